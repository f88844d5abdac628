"""Coverage as data (issue #18 item 1): read, checked, carried, written back."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.consistency import consistency_warnings
from ccm_graph.coverage import Coverage, YearWindow, coverage_from_json, coverage_to_json
from ccm_graph.dataset import read_data, read_seed, write_seed
from ccm_graph.graph import build_graph
from ccm_graph.metadata import info_from_json, info_to_json
from ccm_graph.workbook import write_workbook

from ..conftest import SHIPPED_SEED, SMALL_SEED

FULL = {
    "funding": {
        "sources": [{"id": "monitor", "name": "Monitor tables", "url": "https://x.test/",
                     "from": 2010, "to": 2023}],
        "recipients": {"LAO": {"from": 2019, "to": 2023, "source": "monitor"},
                       "halo": {"from": 2023, "to": 2024}},
    },
    "operators": {"to": 2025, "source": "MAR 2025"},
    "decisions": {"meeting": "12MSP", "date": "2024-09-13", "source": "MAR 2025"},
}  # fmt: skip


def test_every_part_is_read_and_written_back_equal() -> None:
    coverage, problems = coverage_from_json(FULL)
    assert problems == []
    assert coverage.funding_window("LAO") == YearWindow(2019, 2023, "monitor")
    assert coverage.funding_window("IRQ") is None  # not listed: unknown, not "none"
    assert coverage.operators is not None and coverage.operators.last == 2025
    assert coverage.decisions is not None and coverage.decisions.meeting == "12MSP"
    assert coverage_to_json(coverage) == FULL
    assert coverage_from_json(coverage_to_json(coverage))[0] == coverage


def test_a_window_covers_its_years_and_no_others() -> None:
    window = YearWindow(2019, 2023)
    assert [y for y in (2018, 2019, 2023, 2024) if window.covers(y)] == [2019, 2023]
    assert not YearWindow(2019, None).covers(2020)  # an open end is not coverage


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "coverage: expected an object"),
        ({"fundng": {}}, "coverage: unknown key 'fundng'"),
        ({"funding": {"recipients": {"LAO": {"from": "2019"}}}},
         "coverage.funding.recipients.LAO.from: '2019' is not a whole number"),
        ({"funding": {"recipients": {"LAO": {"from": 2024, "to": 2019}}}},
         "coverage.funding.recipients.LAO: from 2024 is after to 2019"),
        ({"funding": {"recipients": {"LAO": {"to": 2023, "source": "nope"}}}},
         "coverage.funding.recipients.LAO: source 'nope' is not one of"),
        ({"funding": {"sources": [{"name": "no id"}]}},
         "coverage.funding.sources[0]: id is required"),
        ({"funding": {"sources": {}}}, "coverage.funding.sources: expected a list"),
        ({"operators": {"to": 20255}}, "coverage.operators.to:"),
        ({"decisions": {"date": "2024-13-01"}}, "coverage.decisions.date:"),
        ({"decisions": {"meting": "12MSP"}}, "coverage.decisions: unknown key 'meting'"),
    ],
)  # fmt: skip
def test_malformed_coverage_is_a_problem_that_names_its_place(raw: object, message: str) -> None:
    problems = coverage_from_json(raw)[1]
    assert any(p.startswith(message) for p in problems), problems


def test_metadata_carries_coverage_and_reports_its_problems_at_the_file() -> None:
    info, problems = info_from_json(json.dumps({"as_of": "2026-02-27", "coverage": FULL}))
    assert problems == [] and info.coverage.funding_window("LAO") is not None
    assert json.loads(info_to_json(info))["coverage"] == FULL
    bad = info_from_json('{"coverage": {"funding": 3}}', "seed/metadata.json")[1]
    assert [str(p) for p in bad] == [
        "seed/metadata.json: coverage.funding: expected an object with sources, recipients"
    ]
    assert "coverage" not in json.loads(info_to_json(info_from_json("{}")[0]))


def with_coverage(tmp_path: Path, coverage: object) -> Path:
    folder = tmp_path / "seed"
    shutil.copytree(SMALL_SEED, folder)
    meta_path = folder / "metadata.json"
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
    meta["coverage"] = coverage
    meta_path.write_text(json.dumps(meta), "utf-8")
    return folder


def test_validate_fails_on_malformed_coverage_with_file_and_message(tmp_path: Path) -> None:
    folder = with_coverage(tmp_path, {"funding": {"recipients": {"LAO": {"from": "x"}}}})
    result = CliRunner().invoke(cli, ["validate", "--seed", str(folder)])
    assert result.exit_code == 1
    assert "metadata.json: coverage.funding.recipients.LAO.from:" in result.output


def test_a_grant_after_its_recipients_window_is_a_finding(tmp_path: Path) -> None:
    # the small fixture funds halo in 2023 and 2024; coverage says 2023 only
    folder = with_coverage(
        tmp_path,
        {"funding": {"recipients": {"halo": {"from": 2023, "to": 2023}, "nobody": {"to": 2023}}}},
    )
    found = [str(w) for w in consistency_warnings(read_seed(folder), today=date(2026, 3, 1))]
    assert any("FUNDS dated 2024, after the years metadata.json's coverage gives for 'halo' "
               "(2023-2023): extend the coverage" in w for w in found), found  # fmt: skip
    assert not any("FUNDS dated 2023" in w for w in found)
    assert any("coverage.funding.recipients: no actor 'nobody' in the data" in w for w in found)
    result = CliRunner().invoke(cli, ["validate", "--strict", "--seed", str(folder)])
    assert result.exit_code == 1


def test_a_grant_before_the_window_or_from_another_source_is_not_a_finding(
    tmp_path: Path,
) -> None:
    """The window is the latest run of years a source was read for: an older grant is a
    recorded fact from years whose absences are not known; a grant a row cites from another
    publication (``cites`` names the source's own) says nothing about the source's window."""
    folder = with_coverage(tmp_path, {"funding": {
        "sources": [{"id": "m", "name": "Monitor tables", "cites": "no such citation"}],
        "recipients": {"halo": {"from": 2024, "to": 2024, "source": "m"}}}})  # fmt: skip
    found = [str(w) for w in consistency_warnings(read_seed(folder), today=date(2026, 3, 1))]
    assert not any("FUNDS dated" in w for w in found), found
    dataset = read_seed(folder)
    source = dataset.info.coverage.funding.source("m")  # type: ignore[union-attr]
    assert source is not None and source.cites == "no such citation"
    assert source.wrote("from No Such Citation, 2024") and not source.wrote("elsewhere")


def test_the_shipped_seed_states_its_funding_coverage_and_every_grant_is_inside_it() -> None:
    dataset = read_seed(SHIPPED_SEED)
    coverage = dataset.info.coverage
    assert coverage.stated and coverage.funding is not None
    funded_states = {
        rel.to_id for rel in dataset.relations
        if rel.type == "FUNDS" and rel.to_id in {a.id for a in dataset.actors if a.kind == "state"}
    }  # fmt: skip
    listed = {recipient for recipient, _ in coverage.funding.recipients}
    assert listed <= funded_states
    assert "IRQ" in listed and "LAO" in listed
    assert not [w for w in consistency_warnings(dataset) if "coverage" in w.message]


def test_coverage_is_carried_into_the_graph_and_written_back(tmp_path: Path) -> None:
    folder = with_coverage(tmp_path, FULL)
    dataset = read_seed(folder)
    assert build_graph(dataset).graph["coverage"] == dataset.info.coverage
    write_seed(dataset, tmp_path / "out")
    assert read_seed(tmp_path / "out").info.coverage == dataset.info.coverage
    write_workbook(dataset, tmp_path / "seed.xlsx", include_restricted=True)
    assert read_data(tmp_path / "seed.xlsx").info.coverage == dataset.info.coverage


def test_a_workbook_coverage_cell_that_is_not_json_is_a_problem_with_its_row(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    from ccm_graph.errors import DataError

    write_workbook(read_seed(with_coverage(tmp_path, FULL)), tmp_path / "seed.xlsx")
    book = load_workbook(tmp_path / "seed.xlsx")
    sheet = book["metadata"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "coverage")
    sheet.cell(row, 2).value = "{not json"
    book.save(tmp_path / "seed.xlsx")
    with pytest.raises(DataError) as caught:
        read_data(tmp_path / "seed.xlsx")
    assert f"metadata:{row}: coverage: not valid JSON" in str(caught.value)


def test_no_coverage_stated_is_unknown_everywhere() -> None:
    assert Coverage().funding_window("LAO") is None
