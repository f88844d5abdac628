"""Hand-outs: the facts they gather, escaping in HTML and Markdown, files written."""

from __future__ import annotations

import dataclasses
import gettext
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.briefs import (
    brief_html,
    brief_markdown,
    coalition_brief,
    guide_html,
    guide_markdown,
    map_svg,
    md_escape,
    write_brief,
)
from ccm_graph.briefs._notes import SourceNotes
from ccm_graph.briefs.guide import GUIDE_SOURCES
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.errors import AnalysisError, UnknownRecord
from ccm_graph.graph import build_graph
from ccm_graph.i18n import DOMAIN, LOCALE_DIR, PLURAL_SEPARATOR, extract_messages, translator
from ccm_graph.i18n.maintain import compile_catalog, update_catalogs

from ..conftest import SMALL_SEED

HOSTILE = "<img src=x onerror=alert(1)> *bold* [link](http://evil.example)"


@pytest.fixture
def graph():
    dataset = read_seed(SMALL_SEED).without_restricted()
    dataset.actors = [dataclasses.replace(a, name=HOSTILE) if a.id == "NLD" else a
                      for a in dataset.actors]  # fmt: skip
    return build_graph(dataset)


def test_coalition_brief_gathers_the_facts(graph) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    assert brief.state == "LBN" and brief.title.startswith("Country Coalition Lebanon")
    assert {(m["actor"], m["role"]) for m in brief.members} == {("LBN", "affected State"),
                                                                ("NLD", "lead")}  # fmt: skip
    [ob] = brief.obligations
    assert (ob["article"], ob["deadline"], ob["extensions"]) == (4, "2026-05-01", 1)
    assert brief.gaps and all({"LBN", "coal-lbn", "ob-LBN-4"} & set(g.subjects)
                              for g in brief.gaps)  # fmt: skip
    assert not {p["id"] for p in brief.partners} & {"NLD", "LBN"}
    assert brief.next_steps[-1].startswith("Agree the roles")


def test_state_brief_and_bad_targets(graph) -> None:
    assert coalition_brief(graph, "LAO", as_of="2026-01-01").title == (
        "Towards a Country Coalition for Lao PDR"
    )
    with pytest.raises(UnknownRecord):
        coalition_brief(graph, "nope")
    with pytest.raises(AnalysisError):
        coalition_brief(graph, "halo")


def test_html_escapes_every_data_string_and_requests_nothing(graph) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    page = brief_html(brief, svg=None)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<[^>]*\s(src|href)\s*=", page)  # no attribute loads anything


def test_markdown_neutralises_markup_without_entities(graph) -> None:
    text = brief_markdown(coalition_brief(graph, "coal-lbn", as_of="2026-01-01"))
    assert not re.search(r"(?<!\\)<", text)  # every < is escaped: no raw HTML
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\*bold\\*" in text and "\\[link\\](http://evil.example)" in text
    assert "&lt;" not in text and "&amp;" not in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Humanity & Inclusion", "Humanity & Inclusion"),
        ("A &amp; B", "A \\&amp; B"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("a|b\nc", "a\\|b c"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_md_escape_uses_backslashes_never_entities(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


BODY_FORBIDDEN = re.compile(r"ccm-graph |score|[Uu]rgency|\b0\.\d\d\b|\(\d\.\d\d\)")


def _body(text: str) -> str:
    return text.split("Analyst annex")[0]


def test_body_has_no_scores_or_commands_and_the_annex_has_them(graph) -> None:
    brief = coalition_brief(graph, "LAO", as_of="2026-01-01", command="ccm-graph brief LAO",
                            issued="2026-02-03")  # fmt: skip
    for text in (brief_markdown(brief), brief_html(brief)):
        assert not BODY_FORBIDDEN.search(text), BODY_FORBIDDEN.search(text)
        assert "Analyst annex" not in text
    for text in (brief_markdown(brief, annex=True), brief_html(brief, annex=True)):
        annex = text.split("Analyst annex")[1]
        assert "ccm-graph brief LAO" in annex and "urgency" in annex.lower()
        assert re.search(r"\d\.\d\d", annex)
        assert not BODY_FORBIDDEN.search(_body(text))


def test_dates_and_numbered_source_notes(graph) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01", data_as_of="2025-12-31",
                            issued="2026-02-03")  # fmt: skip
    assert brief.sources == ["test fixture (synthetic)"]
    assert all(m["notes"] == [1] for m in brief.members)
    assert brief.obligations[0]["notes"] == [1]
    text = brief_markdown(brief)
    assert "*Data as of 2025-12-31. Issued on 2026-02-03. Deadlines counted from 2026-01-01.*" \
        in text  # fmt: skip
    assert "## Sources\n\n1. test fixture (synthetic)" in text
    assert "**lead** [1]" in text
    page = brief_html(brief)
    assert "Data as of 2025-12-31. Issued on 2026-02-03." in page
    assert '<sup class="ref">[1]</sup>' in page


def test_source_notes_are_numbered_in_order_and_shared(graph) -> None:
    notes = SourceNotes()
    assert notes.cite("b") == [1] and notes.cite("a") == [2] and notes.cite(" b ") == [1]
    assert notes.cite(None) == [] and notes.texts == ["b", "a"]


def test_members_once_each_with_every_role() -> None:
    dataset = read_seed(SMALL_SEED).without_restricted()
    lbn = next(r for r in dataset.relations if r.from_id == "LBN" and r.to_id == "coal-lbn")
    dataset.relations += [
        dataclasses.replace(lbn, since="2025", source="added again by the workflow"),
        dataclasses.replace(lbn, role="partner", source="added again by the workflow"),
    ]
    brief = coalition_brief(build_graph(dataset), "coal-lbn", as_of="2026-01-01")
    assert [(m["actor"], m["roles"]) for m in brief.members] == [
        ("LBN", ["affected State", "partner"]), ("NLD", ["lead"])]  # fmt: skip
    assert brief.members[0]["notes"] == [1, 2]
    text = brief_markdown(brief)
    assert text.count("Lebanon (State)") == 1
    assert brief.roles == {"LBN": "affected State, partner", "NLD": "lead"}


def test_support_row_of_the_state(graph) -> None:
    brief = coalition_brief(graph, "LAO", as_of="2026-01-01")
    assert brief.support_row is not None and brief.support_row.state == "LAO"
    text = brief_markdown(brief)
    assert "## Where things stand" in text and "| State | Lao PDR (LAO) |" in text


def test_map_draws_full_labels_and_roles(graph) -> None:
    long = "Haut-Commissariat National au Déminage (HCND), a very long name indeed"
    graph.nodes["LBN"]["label"] = long
    svg = map_svg(graph, ["LBN", "NLD", "coal-lbn"], focus="LBN",
                  roles={"LBN": "affected State", "NLD": "lead"})  # fmt: skip
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert "…" not in svg
    for word in long.split():
        assert word in shown
    assert 'font-style="italic" fill="#444">affected State</tspan>' in svg
    assert ">lead</tspan>" in svg


def test_write_brief_files(graph, tmp_path: Path) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    written = write_brief(graph, brief, tmp_path / "b.md")
    assert written == [tmp_path / "b.md", tmp_path / "b.map.svg"]
    svg = (tmp_path / "b.map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "&lt;img src=x" in svg and "<img" not in svg
    assert "![Map of the records around Lebanon](b.map.svg)" in (tmp_path / "b.md").read_text()
    [page] = write_brief(graph, brief, tmp_path / "b.html")
    assert "<svg" in page.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.md or \.html"):
        write_brief(graph, brief, tmp_path / "b.txt")


def test_guide_draws_on_the_data(graph) -> None:
    text = guide_markdown(graph, as_of="2026-01-01", issued="2026-02-03")
    assert text.startswith("# How to start a Country Coalition")
    assert "Data as of 2026-01-01. Issued on 2026-02-03." in text
    assert "2 States Parties have an open Article 3 or 4 obligation; 1 of them" in text
    assert "Without a coalition, earliest deadline first: Lao PDR" in text


GUIDE_SECTIONS = ["## Why a Country Coalition", "## An example: Montenegro", "## How to start",
                  "### First steps", "### Roles", "### Terms of reference: an outline",
                  "### The first 90 days", "## How to report", "## Who to contact",
                  "## What the data shows", "## Sources"]  # fmt: skip


def test_guide_is_a_document_for_states(graph) -> None:
    text = guide_markdown(graph, as_of="2026-01-01")
    positions = [text.index(heading + "\n") for heading in GUIDE_SECTIONS]
    assert positions == sorted(positions)
    assert "ccm-graph" not in text and "`" not in text
    assert not re.search(r"\b0\.\d\d\b", text)  # no scores
    for fact in ("Article 6", "Lausanne Action Plan", "four country coalitions",
                 "two States Parties reached compliance", "Norwegian People's Aid",
                 "Article 7", "Implementation Support Unit"):  # fmt: skip
        assert fact in text
    # every note number a section cites is a source listed at the end
    cited = {int(n) for refs in re.findall(r"\[([\d, ]+)\]", text) for n in refs.split(",")}
    sources = text.split("## Sources")[1]
    assert cited and all(f"\n{n}. " in sources for n in cited)
    assert cited == set(range(1, len(GUIDE_SOURCES) + 1))  # and every source is cited
    page = guide_html(graph, as_of="2026-01-01")
    assert "ccm-graph" not in page and "<h3>The first 90 days</h3>" in page


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_brief_and_guide(tmp_path: Path) -> None:
    seed = str(SMALL_SEED)
    result = run("brief", "coal-lbn", "--seed", seed, "--out", str(tmp_path / "lbn.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "lbn.html").read_text(encoding="utf-8")
    assert "Quiet coalition" not in page and "restricted" not in page.split("<body>")[1][:400]
    result = run("brief", "LAO", "--seed", seed, "--out", str(tmp_path / "lao.html"),
                 "--include-restricted")  # fmt: skip
    assert result.exit_code == 0
    page = (tmp_path / "lao.html").read_text(encoding="utf-8")
    assert "Quiet coalition" in page and "includes records marked restricted" in page
    assert "ccm-graph brief" not in page and "Analyst annex" not in page
    result = run("brief", "LAO", "--seed", seed, "--out", str(tmp_path / "lao.md"), "--annex")
    assert result.exit_code == 0
    text = (tmp_path / "lao.md").read_text(encoding="utf-8")
    assert "## Analyst annex" in text and "ccm-graph brief LAO --out lao.md --annex" in text
    assert run("brief", "--guide", "--seed", seed, "--out", str(tmp_path / "g.md")).exit_code == 0
    assert (tmp_path / "g.md").read_text().startswith("# How to start a Country Coalition")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["brief", "--out", "x.md"], 2),
        (["brief", "coal-lbn", "--guide", "--out", "x.md"], 2),
        (["brief", "coal-lbn", "--out", "x.pdf"], 2),
        (["brief", "nope", "--out", "x.md"], 1),
    ],
)
def test_cli_brief_errors(args: list[str], code: int, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = run(*args, "--seed", str(SMALL_SEED))
    assert result.exit_code == code, result.output
    assert not list(tmp_path.iterdir())  # nothing written


# --- languages ------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\w+\}")


def _po(lang: str) -> dict[str, str]:
    """``msgid`` → ``msgstr`` of a catalog (a plural message: its forms joined with
    :data:`PLURAL_SEPARATOR`, as :func:`extract_messages` joins singular and plural)."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        catalog = read_po(f)
    return {
        (m.id if isinstance(m.id, str) else PLURAL_SEPARATOR.join(m.id)): (
            m.string if isinstance(m.string, str) else PLURAL_SEPARATOR.join(m.string)
        )
        for m in catalog
        if m.id
    }


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_message_has_a_translation_and_the_mo_is_current(lang: str) -> None:
    from babel.messages.pofile import read_po

    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    catalog = _po(lang)
    messages = extract_messages()
    assert len(messages) > 100
    missing = [m for m in messages if not all(catalog.get(m, "").split(PLURAL_SEPARATOR))]
    assert missing == [], f"{lang}: untranslated: {missing}"
    obsolete = [m for m in catalog if m not in messages]
    assert obsolete == [], f"{lang}: no longer used: {obsolete}"
    for message in messages:  # the same {placeholders} in every form: .format() cannot fail
        english = message.split(PLURAL_SEPARATOR)
        forms = catalog[message].split(PLURAL_SEPARATOR)
        assert len(forms) == len(english), message
        for form in forms:
            assert sorted(set(PLACEHOLDER.findall(form))) == sorted(
                set(PLACEHOLDER.findall(english[0]))
            ), message
    with (folder / f"{DOMAIN}.po").open("rb") as f:
        compiled = compile_catalog(read_po(f))
    current = gettext.GNUTranslations(io.BytesIO(compiled))
    found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    for message in messages:  # gettext reads the compiled catalog, plural forms included
        if PLURAL_SEPARATOR in message:
            singular, plural = message.split(PLURAL_SEPARATOR)
            forms = catalog[message].split(PLURAL_SEPARATOR)
            assert found.ngettext(singular, plural, 2) == forms[1]
            assert current.ngettext(singular, plural, 2) == forms[1]
        else:
            assert found.gettext(message) == catalog[message] == current.gettext(message)


def test_update_adds_new_messages_and_check_names_every_problem(tmp_path: Path) -> None:
    """``scripts/catalogs.py`` on a package of one module: a new message gets an empty
    translation (and the check fails until it is translated), a translation that drops a
    placeholder is named, the .mo follows the .po."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(
        'x = _("Hello {name}")\ny = say_n("{count} day", "{count} days", 2)\n', encoding="utf-8"
    )
    locale = tmp_path / "locale"
    report = update_catalogs(root=package, locale_dir=locale)
    assert len(report.written) == 4
    assert any("no translation for 'Hello {name}'" in p for p in report.problems)
    po = locale / "fr" / "LC_MESSAGES" / f"{DOMAIN}.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Hello {name}"' in text and 'msgid_plural "{count} days"' in text
    assert update_catalogs(root=package, locale_dir=locale, check=True).problems
    text = text.replace('msgid "Hello {name}"\nmsgstr ""', 'msgid "Hello {name}"\nmsgstr "Bonjour"')
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""', 'msgstr[0] "{count} jour"\nmsgstr[1] '
                        '"{count} jours"')  # fmt: skip
    po.write_text(text, encoding="utf-8")
    problems = update_catalogs(root=package, locale_dir=locale, check=True).problems
    assert any("'Hello {name}': {name} missing" in p for p in problems), problems
    assert any("fr/LC_MESSAGES/ccm_graph.mo: stale" in p for p in problems), problems


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        translator("de")


OFFICIAL = {
    "fr": ("Convention sur les armes à sous-munitions", "États parties", "coalition de pays"),
    "es": ("Convención sobre Municiones en Racimo", "Estados Partes", "coalición de países"),
}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_guide_in_french_and_spanish(graph, lang: str) -> None:
    text = guide_markdown(graph, as_of="2026-01-01", lang=lang, issued="2026-02-03")
    english = guide_markdown(graph, as_of="2026-01-01", issued="2026-02-03")
    for term in OFFICIAL[lang]:
        assert term in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(headings) == len([x for x in english.splitlines() if x.startswith("#")])
    same = set(headings) & set(english.splitlines())
    assert same <= {"## Sources"}  # every heading translated ("Sources" is French too)
    issued = {"fr": "3 février 2026", "es": "3 de febrero de 2026"}[lang]  # dates in words
    assert issued in text and "2026-02-03" not in text and "ccm-graph" not in text
    page = guide_html(graph, as_of="2026-01-01", lang=lang)
    assert f'<html lang="{lang}">' in page


def test_brief_in_french_uses_the_french_alias(graph) -> None:
    graph.nodes["LBN"]["aliases"] = "fr:Liban;es:Líbano"
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01", issued="2026-02-03",
                            lang="fr")  # fmt: skip
    assert brief.state_name == "Liban"
    text = brief_markdown(brief)
    assert "## Liban" in text and "## Membres et rôles" in text and "État affecté" in text
    assert "Publié le 3 février 2026." in text
    assert "Members and roles" not in text and "Issued on" not in text
    page = brief_html(brief)
    assert '<html lang="fr">' in page and "Lacunes relevées" in page
    es = coalition_brief(graph, "coal-lbn", as_of="2026-01-01", lang="es")
    assert es.state_name == "Líbano" and "Miembros y funciones" in brief_markdown(es)


def test_cli_lang(tmp_path: Path) -> None:
    seed = str(SMALL_SEED)
    out = tmp_path / "g.md"
    assert run("brief", "--guide", "--lang", "fr", "--seed", seed, "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# Comment lancer une coalition de pays")
    result = run("brief", "coal-lbn", "--lang", "es", "--seed", seed, "--out",
                 str(tmp_path / "b.html"))  # fmt: skip
    assert result.exit_code == 0
    assert "Miembros y funciones" in (tmp_path / "b.html").read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["brief", "--guide", "--lang", "de", "--seed", seed,
                                   "--out", str(out)])  # fmt: skip
    assert bad.exit_code == 2


# --- roles and checkable hand-outs (issue 18, items 4 and 5) ------------------------------------


@pytest.fixture(scope="module")
def shipped_graph():
    from ..conftest import SHIPPED_SEED

    return build_graph(read_seed(SHIPPED_SEED).without_restricted())


def test_every_donor_appears_once_largest_first_with_the_rest_named(shipped_graph) -> None:
    brief = coalition_brief(shipped_graph, "LAO", as_of="2026-03-01", top=5)
    who = [row["who"] for row in brief.support]
    assert len(who) == len(set(who)), who
    assert who[0] == "United States of America"  # its USD 36 m is never dropped
    assert brief.support[0]["amount"] == "USD 36,000,000"  # FUNDS and SUPPORTS not summed
    text = brief_markdown(brief)
    assert f"and {len(brief.support_more)} more: " in text
    assert set(who).isdisjoint(brief.support_more)


def test_a_funding_claim_cites_the_funds_rows_not_the_state(shipped_graph) -> None:
    brief = coalition_brief(shipped_graph, "LAO", as_of="2026-03-01")
    state_note = brief.state_facts[0][2]
    assert brief.ask is not None and brief.ask.funding_notes
    assert not set(state_note) & set(brief.ask.funding_notes)
    monitor = [brief.sources[n - 1] for n in brief.ask.funding_notes]
    assert all("Support for Mine Action" in text for text in monitor), monitor
    for gap, notes in zip(brief.gaps, brief.gap_notes, strict=True):
        if gap.kind in ("obligation_coverage", "extension_without_resources"):
            assert not set(state_note) & set(notes), (gap.kind, notes)


@pytest.mark.parametrize(
    ("target", "standing", "first_words"),
    [
        ("coal-mne", "concluded", "Montenegro Country Coalition (with Norway / NPA) is concluded."),
        ("CHE", "completed", "Every Article 3 and Article 4 obligation of Switzerland"),
        ("UKR", "not_party", "Ukraine has not joined the Convention"),
        ("LTU", "withdrawn", "Lithuania has withdrawn from the Convention"),
    ],
)
def test_no_coalition_is_pitched_where_none_can_be(shipped_graph, target, standing, first_words):
    brief = coalition_brief(shipped_graph, target, as_of="2026-03-01")
    assert brief.standing == standing
    assert brief.partners == []
    text = brief_markdown(brief)
    assert "Partners to approach" not in text and "Towards a Country Coalition" not in text
    title, _, body = text.partition("\n\n")
    assert body.split("\n\n", 1)[1].startswith(first_words)  # said first, after the dates
    if standing in ("concluded", "completed"):
        assert title.startswith("# What worked")
        assert "## What worked: who funded and supported, and when" in text
    if standing == "not_party":
        assert "is to accede to it (universalization)" in text


def test_the_isu_is_technical_support_never_a_donor(shipped_graph) -> None:
    brief = coalition_brief(shipped_graph, "coal-mne", as_of="2026-03-01")
    [isu] = [row for row in brief.support if "ISU CCM" in row["who"]]
    assert isu["what"] == "technical support, Article 4"
    assert isu["amount"] == ""


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_french_and_spanish_briefs_leave_no_english_in_the_map_or_the_need(
    shipped_graph, lang, tmp_path
) -> None:
    brief = coalition_brief(shipped_graph, "TCD", as_of="2026-03-01", lang=lang)
    [page] = write_brief(shipped_graph, brief, tmp_path / "brief.html")
    html = page.read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "(clearance)" not in svg and "(victim assistance)" not in svg
    # the need as the source states it, in English: quoted, and marked as English
    assert '<q lang="en">national and international funds' in html


def test_a_brief_made_from_the_library_states_the_graphs_date() -> None:
    """Without ``data_as_of`` the brief says the date of the data its graph was built from
    (``metadata.json``), as the CLI's briefs do, not "The data do not state their date"."""
    from ccm_graph.briefs.render import brief_markdown
    from ccm_graph.dataset import read_seed
    from ccm_graph.graph import build_graph

    from ..conftest import SHIPPED_SEED

    graph = build_graph(read_seed(SHIPPED_SEED).without_restricted())
    text = brief_markdown(coalition_brief(graph, "LAO"))
    assert "Data as of 2026-02-27." in text and "do not state their date" not in text
