"""The analyses' sentences in English, French and Spanish: templates, data, plurals, hand-outs."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ccm_graph.analysis import PartnerRecommender, synergy_gaps
from ccm_graph.analysis.gaps import obligation_urgency
from ccm_graph.analysis.support import deadline_note, support_row_for, support_rows
from ccm_graph.briefs import brief_markdown, coalition_brief
from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph
from ccm_graph.i18n import extract_messages, voice
from ccm_graph.wording import (
    Listing,
    Money,
    Name,
    Phrase,
    format_usd_in,
    ordinal,
    say,
    say_n,
)

from ..conftest import SHIPPED_SEED

AS_OF = "2026-12-01"  # after Chad's deadline (2026-10-01), after the data's date (2026-02-27)


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(read_seed(SHIPPED_SEED).without_restricted())


def _phrases(graph, target: str) -> list[Phrase]:
    """Every phrase the brief of ``target`` can show: its gaps and its partners' reasons."""
    brief = coalition_brief(graph, target, as_of=AS_OF)
    found: list[Phrase] = []
    for gap in brief.gaps:
        assert gap.phrases is not None
        found += [gap.phrases.summary, *gap.phrases.evidence, gap.phrases.next_step]
    recommender = PartnerRecommender.build(graph, as_of=AS_OF)
    for rec in recommender.recommend(target, top=5):
        found += [p for part in rec.parts for p in part.phrases]
    row = support_row_for(graph, brief.state, as_of=AS_OF)
    if row is not None and row.deadline_words is not None:
        found.append(row.deadline_words)
    return found


def _body(text: str) -> str:
    """A hand-out without its sources (data: citations stay as recorded) and annex."""
    return text.split("\n## Sources")[0].split("\n## Fuentes")[0]


@pytest.mark.parametrize("target", ["TCD", "LAO"])
@pytest.mark.parametrize("lang", ["fr", "es"])
def test_french_and_spanish_briefs_hold_no_english_sentence(seed_graph, target, lang) -> None:
    text = _body(brief_markdown(coalition_brief(seed_graph, target, as_of=AS_OF, lang=lang)))
    english = brief_markdown(coalition_brief(seed_graph, target, as_of=AS_OF))
    phrases = _phrases(seed_graph, target)
    assert phrases
    checked = 0
    for phrase in phrases:
        said_en, said = str(phrase), phrase.render(voice(lang))
        if said_en == said:  # data only (a name, an amount)
            continue
        assert said_en not in text, (lang, said_en)
        checked += 1
    assert checked >= 5
    for word in ("recorded", "deadline", "funded", "supporter", "re-engage", "granted",
                 "passed", "extension", "donors by amount"):  # fmt: skip
        assert word not in text, (lang, word)
    assert not re.search(r"USD \d|\d,\d{3}", text)  # English money: USD 41,623,799
    assert "recorded" in english and re.search(r"USD \d+,\d{3}", english)  # it can fail


def test_chad_in_french_names_the_state_and_words_money_and_ranks(seed_graph) -> None:
    text = brief_markdown(coalition_brief(seed_graph, "TCD", as_of=AS_OF, lang="fr"))
    assert "Tchad\u00a0: article 4 (dépollution)\u00a0: échéance du 1er octobre 2026 dépassée " \
           "après la date des données, le 27 février 2026" in text  # fmt: skip
    assert "33\u00a0440\u00a0807 USD (total de 14 subventions)" in text
    assert "6e sur 29 donateurs par montant" in text
    assert "Chad:" not in _body(text)
    es = brief_markdown(coalition_brief(seed_graph, "TCD", as_of=AS_OF, lang="es"))
    assert "Chad: artículo 4 (limpieza): plazo del 1 de octubre de 2026 vencido después de la " \
           "fecha de los datos, el 27 de febrero de 2026" in es  # fmt: skip
    assert "6.º de 29 donantes por monto" in es


def test_english_outputs_keep_their_wording(seed_graph) -> None:
    text = brief_markdown(coalition_brief(seed_graph, "TCD", as_of=AS_OF))
    assert ("USD 33,440,807 (total of 14 grants) recorded as given to mine action: 6th of 29 "
            "donors by amount") in text  # fmt: skip
    # the funding data for Chad cover 2017–2022 (Mine Action Review): "nothing recorded" is
    # said for those years only, never for 2013–2016, which they do not cover
    assert ("funded Chad in 2017 (amount not recorded) but nothing recorded in 2018–2022, the "
            "last years the funding data cover: re-engage") in text  # fmt: skip
    assert ("funded Chad in 2012 (USD 108,996) but nothing recorded in 2017–2022, the last years "
            "the funding data cover: re-engage") in text  # fmt: skip
    # the next steps follow the partners: no "below" pointing at a section above
    assert ("Ask Chad whether it wants international assistance; if so, see the partners to "
            "approach.") in text  # fmt: skip
    [coverage] = [g for g in synergy_gaps(seed_graph, as_of=AS_OF, kinds=["obligation_coverage"])
                  if g.state == "TCD"]  # fmt: skip
    assert coverage.summary == (
        "Chad: Article 4 (clearance): deadline 2026-10-01 passed after the data's date of "
        "2026-02-27 (a later decision may not be recorded); no supporter and no funding "
        "recorded in 2023–2026; the funding data for Chad run to 2022: 2023–2026 not known"
    )
    assert "no distinct supporter in 2023–2026" in coverage.evidence
    assert not any("(s)" in line for g in synergy_gaps(seed_graph, as_of=AS_OF)
                   for line in (g.summary, *g.evidence))  # fmt: skip


def test_a_deadline_after_the_data_date_is_not_read_as_a_known_fact(seed_graph) -> None:
    row = support_row_for(seed_graph, "TCD", as_of=AS_OF)
    assert row is not None
    assert row.deadline_note == (
        "passed after the data's date of 2026-02-27; a later decision may not be recorded"
    )
    assert "deadline_words" not in row.as_dict()
    # before the data's date, a passed deadline is a passed deadline
    ob = {"deadline": "2026-01-01", "status": "extended"}
    assert deadline_note(ob, date(2026, 12, 1), date(2026, 2, 27)) == "passed"
    reasons = obligation_urgency("2026-10-01", 0, date(2026, 12, 1),
                                 data_as_of=date(2026, 2, 27))[1]  # fmt: skip
    assert reasons == ["deadline 2026-10-01 passed after the data's date (2026-02-27): a later "
                       "decision may not be recorded"]  # fmt: skip
    assert obligation_urgency("2026-10-01", 0, date(2026, 12, 1))[1] == [
        "deadline 2026-10-01 has passed or is today"
    ]
    cells = row.cells(voice("es"), lambda node: seed_graph.nodes[node]["label"])
    assert cells["Deadline"].startswith("2026-10-01 (vencido después de la fecha de los datos")
    assert cells["Deadline"] != row.cells()["Deadline"]
    assert [r.deadline_note for r in support_rows(seed_graph, as_of="2026-02-27")
            if r.state == "TCD"] == ["in 216 days"]  # fmt: skip


def test_funded_by_says_funds_or_funded_by_the_years(seed_graph) -> None:
    recommender = PartnerRecommender.build(seed_graph, as_of=AS_OF)

    def reasons(target: str) -> list[str]:
        return [e for r in recommender.recommend(target, top=10) for p in r.parts
                for e in p.evidence if e.startswith("funded by ")]  # fmt: skip

    assert "funded by Norway, which funds Lao People's Democratic Republic" in reasons("LAO")
    assert "funded by Norway, which funded Lebanon" in reasons("LBN")
    assert not [r for t in ("LAO", "LBN", "TCD", "IRQ") for r in reasons(t) if "(ed)" in r]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["0 distinct supporters", "1 distinct supporter", "2 distinct supporters"]),
        ("fr", ["0 partenaire d'appui distinct", "1 partenaire d'appui distinct",
                "2 partenaires d'appui distincts"]),
        ("es", ["0 entidades de apoyo distintas", "1 entidad de apoyo distinta",
                "2 entidades de apoyo distintas"]),
    ],
)  # fmt: skip
def test_plurals_follow_each_language(lang: str, expected: list[str]) -> None:
    speaking = voice(lang)
    said = [
        say_n("{count} distinct supporter in {window}: {names}",
              "{count} distinct supporters in {window}: {names}", n,
              window="2023–2026", names="X").render(speaking)
        for n in (0, 1, 2)
    ]  # fmt: skip
    assert [s.split(" in ")[0].split(" en ")[0] for s in said] == expected


def test_data_is_inserted_never_translated() -> None:
    fr, es = voice("fr"), voice("es")
    chad = Name("Chad", "fr:Tchad;es:Chad")
    phrase = say("funds {target} ({year})", target=chad, year=2024)
    assert str(phrase) == "funds Chad (2024)"
    assert phrase.render(fr) == "financement (2024)\u202f; bénéficiaire\u00a0: Tchad"
    obligation = Name("Chad: Article 4 (clearance)", None, chad, 4)
    assert say("open obligation: {obligation}", obligation=obligation).render(es) == (
        "obligación pendiente: Chad: artículo 4 (limpieza)"
    )
    assert format_usd_in("fr", 1234567.5) == "1\u00a0234\u00a0567,50 USD"
    assert format_usd_in("es", None, "monto no registrado") == "monto no registrado"
    assert format_usd_in("en", 41623799.0) == "USD 41,623,799"
    assert say("{amount}", amount=Money(None)).render(es) == "monto no registrado"
    assert [ordinal(1, "fr"), ordinal(2, "fr"), ordinal(3, "es"), ordinal(23)] == [
        "1er", "2e", "3.º", "23rd"]  # fmt: skip
    languages = Listing((say("French"), say("English")), " and ")
    assert say("{x}", x=languages).render(es) == "francés e inglés"
    assert say("{x}", x=languages).render(fr) == "français et anglais"


def test_every_template_is_extracted_with_its_plural() -> None:
    messages = extract_messages()
    assert "funds {target} ({year})" in messages
    assert "{count} supporter\0{count} supporters" in messages
    assert "deadline {deadline} passed after the data's date ({data_date}): a later decision " \
           "may not be recorded" in messages  # fmt: skip
    assert not [m for m in messages if re.search(r"\(s\)|\(ed\)", m)]


def test_dates_in_sentences_follow_the_language_and_english_keeps_iso() -> None:
    from datetime import date

    from ccm_graph.i18n import format_date

    phrase = say("deadline {deadline} passed", deadline="2030-08-01")
    assert str(phrase) == "deadline 2030-08-01 passed"  # the CLI's English, as before
    assert phrase.render(voice("fr")) == "échéance du 1er août 2030 dépassée"
    assert phrase.render(voice("es")) == "plazo del 1 de agosto de 2030 vencido"
    assert say("{year}", year="2030-08").render(voice("fr")) == "2030-08"  # not a full date
    assert say("{d}", d=date(2030, 8, 2)).render(voice("fr")) == "2 août 2030"
    assert [format_date("2030-08-01", lang) for lang in ("en", "fr", "es")] == [
        "1 August 2030", "1er août 2030", "1 de agosto de 2030"]  # fmt: skip
    with pytest.raises(ValueError, match="not a date"):
        format_date("soon", "fr")


def test_french_spacing_is_one_rule_for_every_translated_message() -> None:
    from ccm_graph.i18n import translator, typeset

    _ = translator("fr")
    assert _("{text}; {mark}") == "{text}\u202f; {mark}"  # narrow before ; ? !
    assert _("latest extension request: {requested}").endswith("\u00a0: {requested}")
    assert typeset("a : b ; c? d!", "es") == "a : b ; c? d!"  # Spanish: as written
    # data put into a sentence afterwards is never respaced (a URL, a time, an id)
    fr = voice("fr")
    assert say("{x}", x="https://a.org/b:c 10:30").render(fr) == "https://a.org/b:c 10:30"
