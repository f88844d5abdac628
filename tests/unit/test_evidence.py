"""evidence.csv (issue #19): the excerpt states the value, rows agree with each other and the
seed, every obligation fact has evidence; over hand-made rows, a fixture copy and the shipped
seed."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.consistency import consistency_warnings
from ccm_graph.dataset import Dataset, read_seed, write_seed
from ccm_graph.dataset.evidence import (
    evidence_counts,
    evidence_problems,
    excerpt_states,
    expected_fields,
    missing_evidence,
)
from ccm_graph.errors import DataError
from ccm_graph.schema import Evidence
from ccm_graph.workbook import read_workbook, write_workbook

from ..conftest import SHIPPED_SEED, SMALL_SEED

HEADER = ["record", "field", "value", "status", "source", "source_date", "excerpt", "note"]
URL = "https://www.clusterconvention.org/example/"


def quoted(record: str, field: str, value: str, excerpt: str, source: str = URL) -> Evidence:
    return Evidence(record, field, value, "quoted", source, "2024", excerpt)


# the small fixture's obligations: LAO-4 (2025-08-01, extended once, original 2020-08-01,
# request 2019-03), LBN-4 (2026-05-01, extended once, original 2021-05-01, request 2020),
# NLD-3 (completed 2018, deadline 2018-08-01); no granted_by, so no extension rows are due
COMPLETE = [
    quoted("ob-LAO-4", "deadline", "2025-08-01", "deadline extended to 1 August 2025"),
    quoted("ob-LAO-4", "original_deadline", "2020-08-01", "an Article 4 deadline of 1 August 2020"),
    quoted("ob-LAO-4", "extension_requested", "2019-03", "request submitted in March 2019"),
    quoted("ob-LBN-4", "deadline", "2026-05-01", "until May 1, 2026"),
    quoted("ob-LBN-4", "original_deadline", "2021-05-01", "its deadline of 1st May 2021"),
    Evidence("ob-LBN-4", "extension_requested", "2020", "indicative", None, None, None,
             "the fixture says so"),
    quoted("ob-NLD-3", "deadline", "2018-08-01", "by 1 August 2018"),
    quoted("ob-NLD-3", "original_deadline", "2018-08-01", "by 1 August 2018"),
    quoted("ob-NLD-3", "completed", "2018", "completed destruction in 2018"),
]  # fmt: skip


def write_evidence(folder: Path, rows: list[Evidence]) -> None:
    with (folder / "evidence.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if getattr(row, name) is None else getattr(row, name)
                             for name in ("record", "field", "value", "status", "source",
                                          "source_date", "excerpt", "note")])  # fmt: skip


def with_evidence(rows: list[Evidence]) -> Dataset:
    data = read_seed(SMALL_SEED)
    data.evidence = list(rows)
    return data


def messages(rows: list[Evidence]) -> list[str]:
    return [p.message for p in evidence_problems(with_evidence(rows))]


# --- the excerpt states the value ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "excerpt"),
    [
        ("deadline", "2023-12-31", "by 31 December 2023"),
        ("deadline", "2023-12-31", "by December 31, 2023,"),
        ("deadline", "2023-12-31", "by 31st Dec. 2023"),
        ("deadline", "2023-12-31", "the deadline (2023-12-31)"),
        ("deadline", "2023-12-31", "by the end of December 2023"),
        ("deadline", "2023-12-01", "by 01  December\u00a02023"),
        ("completed", "2023-12", "completed in December 2023"),
        ("completed", "2023", "completed in 2023."),
        ("extension.1.granted_by", "10MSP", "granted at the 10MSP"),
        ("extension.1.granted_by", "10MSP", "the Tenth Meeting of States Parties decided"),
        ("extension.1.granted_by", "10MSP", "the 10th Meeting of the States Parties"),
        ("extension.2.granted_by", "2RC", "the Second Review Conference granted"),
        ("extension.2.granted_by", "2RC", "at the 2RC in 2021"),
        ("extension.1.granted_by", "8MSP", "(CCM8MSP) in September 2018"),
        ("need_usd", "12500000", "a shortfall of US$12.5 million"),
        ("need_usd", "12500000", "USD 12,500,000 is needed"),
        ("need_usd", "12500000", "12 500 000 dollars"),
        ("remaining_km2", "1.58", "1.58km\u00b2 remain"),
        ("remaining_km2", "200", "almost 200 square kilometres"),
        ("request_outcome", "granted", "the request was granted"),
        ("request_outcome", "pending", "will be considered at the 13MSP"),
        ("assistance_requested", "requested", "Lao PDR seeks international support"),
    ],
)
def test_an_excerpt_that_states_the_value(field: str, value: str, excerpt: str) -> None:
    assert excerpt_states(field, value, excerpt)


@pytest.mark.parametrize(
    ("field", "value", "excerpt"),
    [
        ("deadline", "2023-12-31", "by 30 December 2023"),
        ("deadline", "2023-12-31", "by 31 December 2022"),
        ("deadline", "2023-12-31", "by 1 December 2023, not December 2023"),
        ("deadline", "2023-12-01", "by 11 December 2023"),
        ("completed", "2023", "completed in 20234"),
        ("extension.1.granted_by", "10MSP", "granted at the 11MSP"),
        ("extension.1.granted_by", "1MSP", "granted at the 11MSP"),
        ("extension.1.granted_by", "2RC", "the Second Meeting of States Parties"),
        ("need_usd", "12500000", "US$125 million"),
        ("need_usd", "12500000", "112,500,000"),
        ("remaining_km2", "200", "2,000 square kilometres"),
        ("remaining_km2", "1.5", "1.58 km2"),
        ("request_outcome", "granted", "the request is pending"),
    ],
)
def test_an_excerpt_that_does_not_state_the_value(field: str, value: str, excerpt: str) -> None:
    assert not excerpt_states(field, value, excerpt)


# --- contradictions --------------------------------------------------------------------------


def test_complete_rows_have_no_problem_and_nothing_missing() -> None:
    data = with_evidence(COMPLETE)
    assert evidence_problems(data) == []
    assert missing_evidence(data) == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (quoted("ob-XXX-4", "deadline", "2025-08-01", "1 August 2025"),
         "record: unknown id 'ob-XXX-4'"),
        (quoted("coal-lbn", "deadline", "2025-08-01", "1 August 2025"),
         "record 'coal-lbn' is not an obligation or an actor"),
        (quoted("ob-LAO-4", "deadlin", "2025-08-01", "1 August 2025"),
         "field 'deadlin': not a fact an obligation has evidence for (did you mean 'deadline'?)"),
        (quoted("ob-LAO-4", "status", "extended", "extended"), "field 'status': derived"),
        (quoted("ob-LAO-4", "extensions", "1", "one extension"), "field 'extensions': derived"),
        (quoted("ob-LAO-4", "request_outcome", "not_recorded", "x"),
         "request_outcome: not_recorded says what the sources do not record"),
        (quoted("LAO", "ccm_signed", "2008-12-03", "signed on 3 December 2008"),
         "value '2008-12-03', but the seed's ccm_signed is blank"),
        (quoted("ob-LAO-4", "deadline", "2025-08-01", "1 August 2025", source=""),
         "source: required for a quoted row"),
        (quoted("ob-LAO-4", "deadline", "2025-08-01", "1 August 2025", source="Monitor 2024"),
         "source: 'Monitor 2024' is not a URL"),
        (quoted("ob-LAO-4", "deadline", "2025-08-01", ""), "excerpt: required for a quoted row"),
        (quoted("ob-LAO-4", "deadline", "2025-08-01", "1 August 2025 " + "x" * 400),
         "excerpt: 414 characters, at most 400"),
        (quoted("ob-LAO-4", "deadline", "2025-08-01", "1 August 2024"),
         "the excerpt does not state '2025-08-01'"),
        (Evidence("ob-LAO-4", "deadline", "2025-08-01", "indicative"),
         "note: required for an indicative row"),
        (quoted("ob-LAO-4", "deadline", "2025-09-01", "1 September 2025"),
         "value '2025-09-01' differs from the seed's deadline '2025-08-01'"),
        (quoted("ob-LAO-4", "deadline", "1 Aug 2025", "1 August 2025"),
         "value: '1 Aug 2025' is not a date"),
        (quoted("ob-LAO-4", "completed", "2025", "completed in 2025"),
         "value '2025', but the seed's completed is blank"),
        (quoted("ob-LAO-4", "extension.2.granted_by", "9MSP", "the 9MSP"),
         "extension 2 granted by '9MSP', but the seed's granted_by (blank) names 0 meetings"),
        (quoted("ob-LAO-4", "extension.1.decided", "9MSP", "the 9MSP"),
         "field 'extension.1.decided': an extension's parts are granted_by, deadline, requested"),
    ],
)  # fmt: skip
def test_each_contradiction(row: Evidence, message: str) -> None:
    found = messages([*COMPLETE, row])
    assert any(message in m for m in found), found


def test_rows_that_disagree_and_a_repeated_check() -> None:
    other = "https://the-monitor.org/x"
    found = messages([
        *COMPLETE,
        quoted("ob-NLD-3", "completed", "2017", "completed in 2017", source=other),
        quoted("ob-NLD-3", "deadline", "2018-08-01", "by 1 August 2018"),
    ])  # fmt: skip
    assert any("'2017' disagrees with '2018' of the evidence row #" in m for m in found), found
    assert any("is checked twice" in m for m in found), found


def granted(number: int, meeting: str) -> Evidence:
    return quoted("ob-LAO-4", f"extension.{number}.granted_by", meeting, f"at the {meeting}")


def test_extension_rows_against_the_seed() -> None:
    data = with_evidence([])
    data.obligations[0] = data.obligations[0].__class__(
        **{**vars(data.obligations[0]), "extensions": 2, "granted_by": "9MSP;12MSP"}
    )
    ext = [granted(1, "9MSP"), granted(2, "12MSP"),
           quoted("ob-LAO-4", "extension.1.deadline", "2025-08-01", "to 1 August 2025"),
           quoted("ob-LAO-4", "extension.2.deadline", "2030-08-01", "to 1 Aug 2030")]  # fmt: skip
    data.evidence = ext
    found = [p.message for p in evidence_problems(data)]
    assert found == [
        "ob-LAO-4: the last extension's deadline 2030-08-01 is not the seed's deadline 2025-08-01"
    ]
    data.evidence = ext[:1]
    found = [p.message for p in evidence_problems(data)]
    assert found == ["ob-LAO-4: 1 extension.N.granted_by row, but the seed says extensions = 2"], (
        found
    )
    data.evidence = [ext[1]]
    found = [p.message for p in evidence_problems(data)]
    assert any("numbered 2; number them 1, 2" in m for m in found), found
    data.evidence = [granted(1, "10MSP")]
    found = [p.message for p in evidence_problems(data)]
    assert any("extension 1 was granted by '9MSP'" in m for m in found), found


def test_contradictions_are_errors_at_their_file_and_line(small_seed: Path) -> None:
    write_evidence(
        small_seed,
        [
            *COMPLETE,
            quoted("ob-LAO-4", "deadline", "2024-08-01", "1 August 2024", source="https://x.org"),
        ],
    )
    with pytest.raises(DataError) as caught:
        read_seed(small_seed)
    text = str(caught.value)
    line = len(COMPLETE) + 2
    assert f"evidence.csv:{line}: value '2024-08-01' differs from the seed" in text
    assert f"disagrees with '2025-08-01' of the evidence row {small_seed}/evidence.csv:2" in text


# --- completeness ----------------------------------------------------------------------------


def test_missing_evidence_is_a_strict_finding_on_the_obligation_line(small_seed: Path) -> None:
    write_evidence(small_seed, COMPLETE[1:])
    warnings = [str(w) for w in consistency_warnings(read_seed(small_seed))]
    assert warnings == [
        f"{small_seed}/obligations.csv:2: deadline '2025-08-01' has no evidence: add a row to "
        "evidence.csv (quoted with its source, or indicative with the reason)"
    ]
    result = CliRunner().invoke(cli, ["validate", "--strict", "--seed", str(small_seed)])
    assert result.exit_code == 1
    assert "obligations.csv:2: warning: deadline '2025-08-01' has no evidence" in result.output


def test_a_folder_without_evidence_has_nothing_missing() -> None:
    assert missing_evidence(read_seed(SMALL_SEED)) == []


def test_expected_fields_skip_statements_about_the_sources() -> None:
    ob = read_seed(SHIPPED_SEED).obligations
    iraq = next(o for o in ob if o.id == "ob-IRQ-4")
    names = [name for name, _ in expected_fields(iraq)]
    assert "request_outcome" not in names  # not_recorded
    assert "assistance_requested" not in names  # unknown
    assert "deadline" in names


# --- round trips and restricted records ------------------------------------------------------


def test_evidence_round_trips_through_files_and_a_workbook(
    small_seed: Path, tmp_path: Path
) -> None:
    write_evidence(small_seed, COMPLETE)
    data = read_seed(small_seed)
    assert len(data.evidence) == len(COMPLETE)
    write_seed(data, tmp_path / "out", include_restricted=True)
    assert read_seed(tmp_path / "out").sorted() == data.sorted()
    write_workbook(data, tmp_path / "book.xlsx", include_restricted=True)
    assert read_workbook(tmp_path / "book.xlsx").sorted() == data.sorted()


def test_evidence_of_a_restricted_record_is_restricted() -> None:
    data = with_evidence([
        *COMPLETE, quoted("secretdonor", "iso3", "SDN", "SDN"),
    ])  # fmt: skip
    kept = data.without_restricted().evidence
    assert [e for e in kept if e.record == "secretdonor"] == []
    assert len(kept) == len(COMPLETE)


def test_a_folder_without_evidence_csv_still_reads(tmp_path: Path) -> None:
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    assert read_seed(tmp_path / "seed").evidence == []


def test_counts_by_field_and_status() -> None:
    counts = evidence_counts(with_evidence(COMPLETE))
    assert counts["deadline"] == {"quoted": 3, "indicative": 0}
    assert counts["extension_requested"] == {"quoted": 1, "indicative": 1}
    assert list(counts)[:2] == ["deadline", "original_deadline"]


# --- the shipped seed ------------------------------------------------------------------------


def test_every_shipped_evidence_row_holds() -> None:
    """Every row of seed/evidence.csv states its value and agrees with the seed (all the
    failing rows are listed at once)."""
    data = read_seed(SHIPPED_SEED)
    assert data.evidence, "seed/evidence.csv holds no rows"
    problems = [f"row {p.index + 2}: {p.message}" for p in evidence_problems(data)]
    assert problems == [], "\n".join(problems)


def test_every_shipped_obligation_fact_has_evidence() -> None:
    """Every non-blank evidence-bearing obligation field of the shipped seed has a row in
    seed/evidence.csv, quoted or indicative. Fails until the research rows (issue #19 item
    2) are in; lists every missing fact at once."""
    missing = missing_evidence(read_seed(SHIPPED_SEED))
    lines = [f"{m.record} {m.field} {m.value!r}" for m in missing]
    assert lines == [], f"{len(lines)} facts without evidence:\n" + "\n".join(lines)


def test_the_readme_counts_are_current() -> None:
    """seed/README.md's evidence counts are those of seed/evidence.csv (run
    scripts/evidence_counts.py after changing it)."""
    import importlib.util

    path = SHIPPED_SEED.parent / "scripts" / "evidence_counts.py"
    spec = importlib.util.spec_from_file_location("evidence_counts", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (SHIPPED_SEED / "README.md").read_text(encoding="utf-8")
    assert script.render(readme) == readme, (
        "seed/README.md's evidence counts are stale: run .venv/bin/python "
        "scripts/evidence_counts.py"
    )


def test_the_readme_has_the_checklist_after_the_3rc() -> None:
    readme = (SHIPPED_SEED / "README.md").read_text(encoding="utf-8")
    section = readme.partition("## After the 13th Meeting of States Parties")[2]
    assert "27 February 2026" in section and "nothing later" in section
    for item in ("13MSP extension decisions", "3RC extension decisions", "New deadlines",
                 "Completions", "The new Coordinators"):  # fmt: skip
        assert f"- [ ] **{item}**" in section
    assert "clusterconvention.org" in section and "the-monitor.org" in section
    assert "mineactionreview.org" in section


# --- the outputs say which facts are indicative ----------------------------------------------


def test_a_brief_marks_facts_without_quoted_evidence(small_seed: Path, tmp_path: Path) -> None:
    rows = [r for r in COMPLETE if (r.record, r.field) != ("ob-LAO-4", "original_deadline")]
    write_evidence(small_seed, rows)
    out = tmp_path / "brief.md"
    for lang, mark in (("en", "indicative"), ("fr", "indicatif")):
        result = CliRunner().invoke(
            cli,
            [
                "brief",
                "LAO",
                "--seed",
                str(small_seed),
                "--as-of",
                "2026-03-01",
                "--lang",
                lang,
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        row = next(line for line in text.splitlines() if "| 2025-08-01" in line)
        row = row.replace("\u202f", "")  # French spacing before the semicolon
        # the deadline is quoted (its source cited), the original deadline is not
        assert f"2020-08-01; {mark}" in row and f"2025-08-01; {mark}" not in row
        assert URL in text


def test_a_brief_of_data_without_evidence_marks_nothing(small_seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(
        cli, ["brief", "LAO", "--seed", str(small_seed), "--as-of", "2026-03-01", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "indicative" not in out.read_text(encoding="utf-8")


def test_a_map_card_marks_and_cites(small_seed: Path) -> None:
    from ccm_graph.graph import build_graph
    from ccm_graph.maps.payload import _node_details, _Words

    rows = [r for r in COMPLETE if (r.record, r.field) != ("ob-LAO-4", "original_deadline")]
    write_evidence(small_seed, rows)
    G = build_graph(read_seed(small_seed).without_restricted())
    details = dict(map(tuple, _node_details(G, "ob-LAO-4", G.nodes["ob-LAO-4"], "degree", 1.0,
                                           _Words("es"))))  # fmt: skip
    assert details["Plazo inicial"] == "2020-08-01; indicativo"
    assert details["Plazo"] == "2025-08-01"
    assert details["Fuente (Plazo)"] == URL


def test_the_workbench_state_page_lists_evidence_per_fact(small_seed: Path) -> None:
    import warnings

    from ccm_graph.source import DataSource, clear_cache
    from ccm_graph.workbench import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    rows = [r for r in COMPLETE if (r.record, r.field) != ("ob-LAO-4", "original_deadline")]
    write_evidence(small_seed, rows)
    clear_cache()
    try:
        page = TestClient(create_app(DataSource.at(small_seed))).get("/state/LAO?lang=fr").text
    finally:
        clear_cache()
    assert f'Échéance\u00a0: <a href="{URL}" rel="noopener noreferrer">{URL}</a>' in page
    assert "Échéance initiale\u00a0: indicatif" in page


def test_a_statement_about_the_sources_is_never_called_indicative() -> None:
    from ccm_graph.graph import build_graph
    from ccm_graph.maps.payload import _node_details, _Words

    G = build_graph(read_seed(SHIPPED_SEED).without_restricted())
    node = "ob-AFG-4"  # its 2025 request is indicative, its outcome not recorded
    details = dict(map(tuple, _node_details(G, node, G.nodes[node], "degree", 1.0, _Words("en"))))
    assert details["Outcome of the latest request"] == "not recorded"
    assert details["Assistance requested"] == "unknown"
    assert details["Latest extension request"] == "2025; indicative"
