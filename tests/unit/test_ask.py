"""The "ask" of a hand-out: remaining contamination, estimated need, whom to contact.

The figures come from optional, sourced columns of ``obligations.csv``; these tests read and
refuse them, show them in the brief in English, French and Spanish (and say so in one line
when nothing is recorded), escape them, leave restricted ones out, and check that the brief
and ``ccm-graph support`` show the same figure.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.analysis.support import support_row_for
from ccm_graph.briefs import brief_html, brief_markdown, coalition_brief
from ccm_graph.cli import cli
from ccm_graph.consistency import consistency_warnings
from ccm_graph.dataset import read_seed, write_seed
from ccm_graph.errors import DataError
from ccm_graph.graph import build_graph
from ccm_graph.schema import Column, ColumnType, Relation
from ccm_graph.values import ValueProblem, check_value, parse_cell
from ccm_graph.workbook import read_workbook, write_workbook

ASK_COLUMNS = [
    "remaining_km2",
    "remaining_kind",
    "remaining_year",
    "remaining_source",
    "need_usd",
    "need_text",
    "need_year",
    "need_source",
]
LAO_ASK = {
    "remaining_km2": "12.5",
    "remaining_kind": "confirmed",
    "remaining_year": "2024",
    "remaining_source": "synthetic: survey figure of the test fixture",
    "need_usd": "1500000.50",
    "need_text": "clearance teams for 2025-2027",
    "need_year": "2024",
    "need_source": "test fixture need estimate (2024)",
}
HOSTILE = "<script>alert(1)</script> *bold* [x](http://evil.example)"


def add_ask(folder: Path, values: dict[str, dict[str, str]]) -> Path:
    """Append the ask columns to ``obligations.csv`` with ``values`` per obligation id;
    returns the file."""
    path = folder / "obligations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0] += ASK_COLUMNS
    for row in rows[1:]:
        row += [values.get(row[0], {}).get(column, "") for column in ASK_COLUMNS]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


@pytest.fixture
def ask_seed(small_seed: Path) -> Path:
    add_ask(small_seed, {"ob-LAO-4": LAO_ASK})
    return small_seed


# --- reading and refusing ------------------------------------------------------------------


def test_ask_columns_are_read_as_typed_values(ask_seed: Path) -> None:
    lao = next(o for o in read_seed(ask_seed).obligations if o.id == "ob-LAO-4")
    assert (lao.remaining_km2, lao.remaining_kind, lao.remaining_year) == (12.5, "confirmed", 2024)
    assert (lao.need_usd, lao.need_year) == (1500000.5, 2024)
    assert lao.remaining_source == LAO_ASK["remaining_source"]
    lbn = next(o for o in read_seed(ask_seed).obligations if o.id == "ob-LBN-4")
    assert lbn.remaining_km2 is None and lbn.need_usd is None  # blank: not known, not 0


def test_old_folders_without_the_columns_stay_valid(small_seed: Path) -> None:
    assert all(o.remaining_km2 is None for o in read_seed(small_seed).obligations)


def test_area_value_rule() -> None:
    area = Column(ColumnType.AREA)
    assert parse_cell(area, " 1957.04 ") == 1957.04
    assert parse_cell(area, "11.0") == 11 and isinstance(parse_cell(area, "11.0"), int)
    assert parse_cell(area, "") is None
    for text, message in [
        ("1,957", "is not an area in square kilometres"),
        ("11 km2", "is not an area in square kilometres"),
        ("²", "is not an area in square kilometres"),
        ("25000000", "more than the limit of 20,000,000"),
    ]:
        with pytest.raises(ValueProblem, match=message):
            parse_cell(area, text)
    with pytest.raises(ValueProblem, match="is not an area"):
        check_value(area, True)
    with pytest.raises(ValueProblem, match="is not an area"):
        check_value(area, -1.0)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"remaining_km2": "1,957"}, "remaining_km2: '1,957' is not an area in square kilometres"),
        ({"remaining_km2": "3", "remaining_year": "2024", "remaining_source": "s",
          "remaining_kind": "probable"}, "remaining_kind: 'probable' is not one of"),
        ({"remaining_km2": "3"}, "remaining_year: required when remaining_km2 is given"),
        ({"remaining_km2": "3", "remaining_year": "2024"},
         "remaining_source: required when remaining_km2 is given"),
        ({"remaining_year": "2024"},
         "remaining_year is given but remaining_km2 is blank (blank means not known)"),
        ({"need_usd": "$5000"}, "need_usd: '$5000' is not an amount in US dollars"),
        ({"need_text": "teams"}, "need_year: required when need_usd or need_text is given"),
        ({"need_source": "s"}, "need_source is given but need_usd and need_text are blank"),
        ({"need_usd": "10", "need_year": "twenty", "need_source": "s"},
         "need_year: 'twenty' is not a year"),
    ],
)  # fmt: skip
def test_bad_ask_values_are_refused_with_file_and_line(
    small_seed: Path, values: dict[str, str], message: str
) -> None:
    add_ask(small_seed, {"ob-LBN-4": values})  # line 3 of obligations.csv
    result = CliRunner().invoke(cli, ["validate", "--seed", str(small_seed)])
    assert result.exit_code == 1, result.output
    assert f"obligations.csv:3: {message}" in result.output
    assert "Traceback" not in result.output


def test_remaining_contamination_belongs_to_article_4(small_seed: Path) -> None:
    add_ask(small_seed, {"ob-NLD-3": {"remaining_km2": "1", "remaining_year": "2018",
                                      "remaining_source": "s"}})  # fmt: skip
    with pytest.raises(DataError, match=r"obligations.csv:4: remaining_km2 applies to Article 4"):
        read_seed(small_seed)


def test_completed_obligation_with_remaining_area_is_a_warning(ask_seed: Path) -> None:
    dataset = read_seed(ask_seed)
    dataset.obligations = [
        dataclasses.replace(o, status="completed", completed="2024")
        if o.id == "ob-LAO-4" else o
        for o in dataset.obligations
    ]  # fmt: skip
    messages = [p.message for p in consistency_warnings(dataset)]
    assert "status is 'completed' but remaining_km2 is 12.5" in messages


def test_ask_columns_round_trip_through_files_and_the_workbook(
    ask_seed: Path, tmp_path: Path
) -> None:
    dataset = read_seed(ask_seed)
    write_seed(dataset, tmp_path / "export", include_restricted=True)
    assert read_seed(tmp_path / "export").sorted() == dataset.sorted()
    write_workbook(dataset, tmp_path / "book.xlsx", include_restricted=True)
    assert read_workbook(tmp_path / "book.xlsx").sorted() == dataset.sorted()


# --- the brief ---------------------------------------------------------------------------------

EXPECTED = {
    "en": (
        "The ask",
        "12.5 km² of confirmed hazardous area (figure for 2024); synthetic",
        "Article 4: USD 1,500,000.50, clearance teams for 2025-2027 (estimate for 2024)",
        "Whom to contact",
    ),
    "fr": (
        "Besoins et interlocuteurs",
        "12,5 km² de zone dangereuse confirmée (chiffre pour 2024)\u202f; synthétique",
        # the need as its source states it, in English: quoted (and lang="en" in HTML)
        "Article 4\u00a0: 1\u00a0500\u00a0000,50 USD, “clearance teams for 2025-2027” "
        "(estimation pour 2024)",
        "Qui contacter",
    ),
    "es": (
        "Necesidades y contactos",
        "12,5 km² de área peligrosa confirmada (cifra de 2024); sintético",
        "Artículo 4: 1\u00a0500\u00a0000,50 USD, “clearance teams for 2025-2027” "
        "(estimación para 2024)",
        "A quién contactar",
    ),
}
NOTHING = {
    "en": ("No figure for remaining contamination is recorded.",
           "No estimate of the need or funding gap is recorded."),
    "fr": ("Aucun chiffre de contamination restante n'est enregistré.",
           "Aucune estimation des besoins ou du déficit de financement n'est enregistrée."),
    "es": ("No se ha registrado ninguna cifra de contaminación restante.",
           "No se ha registrado ninguna estimación de las necesidades ni del déficit de "
           "financiación."),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_ask_in_each_language_with_its_source_notes(ask_seed: Path, lang: str) -> None:
    graph = build_graph(read_seed(ask_seed).without_restricted())
    brief = coalition_brief(graph, "LAO", as_of="2026-01-01", lang=lang)
    heading, remaining, need, contact = EXPECTED[lang]
    text = brief_markdown(brief)
    assert f"## {heading}" in text
    assert remaining in text and need in text and contact in text
    assert brief.ask is not None
    [note] = brief.ask.remaining_notes
    assert brief.sources[note - 1] == LAO_ASK["remaining_source"]
    assert brief.sources[brief.ask.needs[0].notes[0] - 1] == LAO_ASK["need_source"]
    page = brief_html(brief, svg=None)
    assert remaining in page.replace("&#x27;", "'")
    quoted = '<q lang="en">clearance teams for 2025-2027</q>'
    assert (quoted in page) == (lang != "en")
    # the ask comes after "where things stand" and before the members
    assert text.index(f"## {heading}") < text.index(NOTHING_MEMBERS[lang])


NOTHING_MEMBERS = {"en": "## Members and roles", "fr": "## Membres et rôles",
                   "es": "## Miembros y funciones"}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_nothing_recorded_is_said_in_one_line_never_as_zero(small_seed: Path, lang: str) -> None:
    graph = build_graph(read_seed(small_seed).without_restricted())
    text = brief_markdown(coalition_brief(graph, "LBN", as_of="2026-01-01", lang=lang))
    no_area, no_need = NOTHING[lang]
    assert no_area in text.replace("\\", "") and no_need in text
    assert "0 km²" not in text


def test_a_state_without_open_obligations_has_no_ask(small_seed: Path) -> None:
    graph = build_graph(read_seed(small_seed).without_restricted())
    assert coalition_brief(graph, "NLD", as_of="2026-01-01").ask is None


def test_data_derived_ask_text_is_escaped(small_seed: Path) -> None:
    add_ask(small_seed, {"ob-LAO-4": {**LAO_ASK, "need_text": HOSTILE,
                                      "remaining_source": HOSTILE}})  # fmt: skip
    graph = build_graph(read_seed(small_seed).without_restricted())
    brief = coalition_brief(graph, "LAO", as_of="2026-01-01")
    page = brief_html(brief, svg=None)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = brief_markdown(brief)
    assert "<script>" not in text and "\\<script\\>" in text and "\\*bold\\*" in text


def test_brief_and_support_show_the_same_figure(ask_seed: Path) -> None:
    graph = build_graph(read_seed(ask_seed).without_restricted())
    brief = coalition_brief(graph, "LAO", as_of="2026-01-01")
    row = support_row_for(graph, "LAO", as_of="2026-01-01")
    assert brief.ask is not None and brief.ask.remaining is not None and row is not None
    assert (row.remaining_km2, row.remaining_kind, row.remaining_year, row.remaining_source) == (
        brief.ask.remaining.km2, brief.ask.remaining.kind, brief.ask.remaining.year,
        brief.ask.remaining.source)  # fmt: skip
    assert brief.ask.funding == row.funding  # the ask's funding line is the support row's
    result = CliRunner().invoke(
        cli, ["support", "--seed", str(ask_seed), "--as-of", "2026-01-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    by_state = {r["state"]: r for r in json.loads(result.output)}
    assert by_state["LAO"]["remaining_km2"] == 12.5
    assert by_state["LAO"]["remaining_kind"] == "confirmed"
    assert by_state["LBN"]["remaining_km2"] is None
    table = CliRunner().invoke(cli, ["support", "--seed", str(ask_seed), "--as-of", "2026-01-01"])
    assert "12.5" not in table.output  # the people's table stays narrow


def test_restricted_records_stay_out_of_the_ask_unless_asked(ask_seed: Path) -> None:
    dataset = read_seed(ask_seed)
    dataset.relations.append(
        Relation("na-lao", "OPERATES_IN", "LAO", purpose="national mine action authority",
                 source="test fixture (synthetic)")
    )  # fmt: skip
    dataset.actors = [dataclasses.replace(a, sensitivity="restricted")
                      if a.id in ("na-lao", "LAO") else a for a in dataset.actors]  # fmt: skip
    write_seed(dataset, ask_seed, include_restricted=True)
    # LAO restricted: its obligation and figures leave every output by default
    run = CliRunner().invoke(
        cli, ["support", "--seed", str(ask_seed), "--as-of", "2026-01-01", "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    assert "LAO" not in {r["state"] for r in json.loads(run.output)}
    assert "12.5" not in run.output and "synthetic: survey figure" not in run.output
    run = CliRunner().invoke(cli, ["support", "--seed", str(ask_seed), "--as-of", "2026-01-01",
                                   "--format", "json", "--include-restricted"])  # fmt: skip
    assert {r["state"]: r for r in json.loads(run.stdout)}["LAO"]["remaining_km2"] == 12.5
    # with the State included, a restricted national authority is still left out of contacts
    graph = build_graph(dataset)
    full = coalition_brief(graph, "LAO", as_of="2026-01-01")
    assert full.ask is not None and [n for n, _ in full.ask.contacts] == ["ຄະນະກຳມະການແຫ່ງຊາດ NRA"]
    public = dataclasses.replace(
        dataset, actors=[a if a.id != "LAO" else dataclasses.replace(a, sensitivity="public")
                         for a in dataset.actors]
    ).without_restricted()  # fmt: skip
    brief = coalition_brief(build_graph(public), "LAO", as_of="2026-01-01")
    assert brief.ask is not None and brief.ask.contacts == []
    assert "No national authority is recorded." in brief_markdown(brief)
