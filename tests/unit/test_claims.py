"""The claims check's rules on small made-up texts (ccm_graph.review.claims): what each rule
refuses and what it lets through, in English, French and Spanish."""

from __future__ import annotations

import pytest

from ccm_graph.review.claims import (
    Subject,
    check_file,
    english_words,
    has_coverage,
    has_coverage_years,
    has_window,
    units,
)


def rules(text: str, lang: str = "en", **subject: object) -> list[str]:
    found = check_file("X.md", text, Subject("IRQ", lang, **subject))  # type: ignore[arg-type]
    return [v.rule for v in found]


@pytest.mark.parametrize(
    ("lang", "bare", "said"),
    [
        ("en", "No funding recorded for Iraq.",
         "No funding recorded in 2020–2023; the funding data for Iraq run to 2023."),
        ("fr", "Aucun financement enregistré pour l'Iraq.",
         "Aucun financement enregistré en 2020–2023 ; les données de financement pour l'Iraq "
         "vont jusqu'en 2023."),
        ("es", "Ningún financiamiento registrado para el Iraq.",
         "Ningún financiamiento registrado en 2020–2023; los datos de financiación del Iraq "
         "llegan hasta 2023."),
    ],
)  # fmt: skip
def test_an_absence_needs_its_window_and_the_datas_coverage(lang: str, bare: str,
                                                            said: str) -> None:  # fmt: skip
    assert rules(bare, lang) == ["absence_without_window", "absence_without_coverage"]
    window_only = said.split(";")[0] + "."
    assert rules(window_only, lang) == ["absence_without_coverage"]
    assert rules(said, lang) == []


def test_a_table_cell_none_under_a_funding_heading_is_an_absence() -> None:
    table = "| State | Funding 2023–2026 |\n|---|---|\n| Iraq | none recorded |\n"
    assert rules(table) == ["absence_without_coverage"]
    pairs = "| | |\n|---|---|\n| Operators present | none recorded |\n| Coalition | none |\n"
    assert rules(pairs) == []  # not a funding absence; a table is dated by its caption
    covered = "| | |\n|---|---|\n| Funding 2023–2026 (coverage: to 2023) | none recorded |\n"
    assert rules(covered) == []
    captioned = "The funding data for Iraq run to 2023.\n\n" + table
    assert rules(captioned) == []


def test_a_nested_item_reads_the_window_and_coverage_of_its_parent() -> None:
    text = ("- Iraq: no support in 2023–2026; the funding data for Iraq run to 2023\n"
            "  - no supporter\n"
            "- no grant\n")  # fmt: skip
    found = check_file("X.md", text, Subject("IRQ", "en"))
    assert [(v.where, v.rule) for v in found] == [
        ("X.md:3", "absence_without_window"), ("X.md:3", "absence_without_coverage"),
    ]  # fmt: skip


def test_window_and_coverage_words() -> None:
    assert has_window("2023–2026") and has_window("funded in 2019, nothing recorded since")
    assert not has_window("in the funding window") and not has_window("since then")
    assert has_coverage("the funding data for Iraq run to 2023", "en")
    assert has_coverage("couverture des données inconnue", "fr")
    assert not has_coverage("data as of 2026-02-27", "en")


@pytest.mark.parametrize(
    ("lang", "not_stated", "last_years"),
    [
        ("en", "No grant recorded; the years the funding data cover for Chile are not stated.",
         "funded Chile in 2014 but nothing recorded in 2015, the last years the funding data "
         "cover"),
        ("fr", "Aucun financement enregistré ; les années couvertes par les données de "
               "financement pour le Chili ne sont pas indiquées.",
         "a financé le Chili en 2014, rien n'est enregistré en 2015, dernières années couvertes "
         "par les données de financement"),
        ("es", "Ningún financiamiento registrado; los años que cubren los datos de financiación "
               "para Chile no se indican.",
         "financió a Chile en 2014, no se registra nada en 2015, los últimos años que cubren "
         "los datos de financiación"),
    ],
)  # fmt: skip
def test_coverage_not_stated_or_ending_before_is_said(lang: str, not_stated: str,
                                                       last_years: str) -> None:  # fmt: skip
    """Saying that the years are not stated is a coverage, and gives the absence its window
    (the years the data cover, whatever they are); so is a year said as the last covered."""
    assert has_coverage(not_stated, lang) and has_coverage_years(not_stated, lang)
    assert rules(not_stated, lang) == []
    assert has_coverage(last_years, lang)
    assert rules(last_years, lang) == []
    # the words alone, without the "not stated" or a year, are no coverage
    cut = {"en": "the funding data cover", "fr": "les années couvertes par les données",
           "es": "los años que cubren los datos"}[lang]  # fmt: skip
    assert not has_coverage_years(cut, lang)


def test_one_year_is_a_window_and_a_citation_is_not_a_claim() -> None:
    assert has_window("nothing recorded in 2015") and has_window("rien n'est enregistré en 2015")
    assert not has_window("nothing recorded, 2015")
    citation = "Mine Action Review (2023): the project ended in 2022, no donor support since"
    cited = "9. " + citation
    assert rules(cited) == ["absence_without_coverage"]
    assert rules(cited, verbatim=(citation,)) == []


def test_spanish_no_consta_is_an_absence_in_a_cell_and_in_a_sentence() -> None:
    table = "| | |\n|---|---|\n| Financiación 2023–2026 | no consta |\n"
    assert rules(table, "es") == ["absence_without_coverage"]
    cell = "| | |\n|---|---|\n| Entidades de apoyo 2023–2026 | no consta (sin datos) |\n"
    assert rules(cell, "es") == ["absence_without_coverage"]
    assert rules("financió a Chile en 2014, pero no consta nada en 2015", "es") == [
        "absence_without_coverage"]  # fmt: skip
    covered = ("| | |\n|---|---|\n| Entidades de apoyo 2023–2026 | no consta (los datos de "
               "financiación para Iraq llegan hasta 2019) |\n")  # fmt: skip
    assert rules(covered, "es") == []
    assert rules("| | |\n|---|---|\n| Coalición | no consta |\n", "es") == []


def test_markdown_escapes_are_read_away_before_the_english_check() -> None:
    citation = "status recorded as state_party, pending parliament"
    assert rules("1. status recorded as state\\_party, pending parliament", "fr",
                 verbatim=(citation,)) == []  # fmt: skip
    assert rules("1. statut : pending", "fr", verbatim=(citation,)) == [
        "english_in_translation"]  # fmt: skip


def test_a_present_absence_is_dated() -> None:
    assert rules("Iraq: open obligations and no coalition") == ["undated_now"]
    assert rules("Iraq: open obligations and no coalition as of 2026-02-27") == []
    assert rules("Iraq : aucune coalition au 27 février 2026", "fr") == []
    assert rules("Iraq: ninguna coalición", "es") == ["undated_now"]
    dated_parent = "- no coalition as of 2026-02-27\n  - no coalition recorded for this State\n"
    assert rules(dated_parent) == []


def test_no_advice_about_a_withdrawn_state() -> None:
    advice = "## Partners to approach\n\n1. Present the Country Coalition model to it.\n"
    assert rules(advice, ccm_status="withdrawn") == ["advice_to_withdrawn"] * 2
    assert rules(advice, ccm_status="state_party") == []
    assert rules("Lituania se retiró de la Convención.", "es", ccm_status="withdrawn") == []
    assert rules("Inviter l'État à rejoindre.", "fr", ccm_status="withdrawn") == [
        "advice_to_withdrawn"
    ]
    partners = "## `recommend`\n\n1. **Norway** (donor)\n"
    assert rules(partners, ccm_status="withdrawn") == ["advice_to_withdrawn"]


def test_an_observer_is_not_called_a_member() -> None:
    observers = ("UNMAS", "Service de la lutte antimines des Nations Unies")
    assert rules("MASG member: UNMAS", observers=observers) == ["observer_as_member"]
    assert rules("observer of the MASG (not a member): UNMAS", observers=observers) == []
    assert rules("membre du MASG : Service de la lutte antimines des Nations Unies", "fr",
                 observers=observers) == ["observer_as_member"]  # fmt: skip
    assert rules("MASG member: Norway", observers=observers) == []


def test_no_english_in_french_or_spanish_outside_quotes_names_and_citations() -> None:
    assert english_words("Besoins : clearance teams and funding") == [
        "clearance", "teams", "and", "funding"]  # fmt: skip
    assert english_words("Besoins : « clearance teams and funding » (en anglais)") == []
    assert english_words("Opérateurs : The HALO Trust", ["The HALO Trust"]) == []
    assert english_words("Pérou (PER), `ccm-graph recommend PER`") == []
    assert english_words("une coalition, une extension, on a vu, no consta") == []
    assert rules("Besoins : clearance capacity", "fr") == ["english_in_translation"]
    assert rules("Needs: clearance capacity") == []  # English is English in an English output


def test_units_skip_the_corpus_scaffolding() -> None:
    text = ("<!-- ccm-graph corpus: IRQ fr, data as of 2026-02-27. -->\n\n# IRQ · fr\n\n"
            "## `support`\n\n| | |\n|---|---|\n| Coalition | aucune |\n")  # fmt: skip
    found = units(text)
    assert [(u.line, u.section, u.text) for u in found] == [
        (7, "support", "| | |"), (9, "support", "| Coalition | aucune |"),
    ]  # fmt: skip
    assert found[1].context == "| | |" and found[0].context == ""


def test_a_citation_that_quotes_a_page_title_is_still_the_datas_own_text() -> None:
    citation = "Landmine and Cluster Munition Monitor, Somalia 'Support for Mine Action' (2011)"
    assert english_words(f"7. {citation}", [citation]) == []
    assert english_words("7. the support of the donors", [citation]) == [
        "the",
        "of",
        "the",
        "donors",
    ]
