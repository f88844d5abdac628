"""neo4j-stamps.csv: the coalition workflow's created/updated stamps beside the seed files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ccm_graph.dataset import (
    EXPORT_MARKER,
    STAMPS_FILE,
    check_export_target,
    check_stamps,
    read_seed,
    read_stamps,
    write_seed,
)
from ccm_graph.errors import DataError, OutputError
from ccm_graph.schema import CoalitionStamps, Column, ColumnType
from ccm_graph.values import ValueProblem, check_value, parse_cell

from ..conftest import SMALL_SEED

LBN = CoalitionStamps("coal-lbn", None, "2026-03-02T09:15:04+00:00")
SECRET = CoalitionStamps("coal-secret", "2026-01-05T08:00:00+00:00", "2026-02-01T10:30:00Z")
TIME = Column(ColumnType.TIMESTAMP)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02T09:15:04+00:00",  # what the coalition workflow writes
        "2026-03-02T09:15:04Z",
        "2026-03-02T09:15:04.123456Z",
        "2026-03-02T09:15:04.000000000+00:00",  # a Neo4j date-time as text
    ],
)
def test_utc_times_are_kept_exactly(text: str) -> None:
    assert parse_cell(TIME, f" {text} ") == text
    assert check_value(TIME, text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "is not a UTC time in the form YYYY-MM-DDTHH:MM:SS+00:00"),
        ("2026-03-02", "is not a UTC time"),
        ("2026-03-02 09:15:04+00:00", "is not a UTC time"),
        ("2026-02-30T09:15:04+00:00", "is not a UTC time"),
        ("2026-03-02T24:00:00+00:00", "is not a UTC time"),
        ("2026-03-02T09:15:04", "is not a UTC time"),
        ("2026-03-02T09:15:04+01:00", "is not in UTC (it must end in +00:00 or Z)"),
        ("٢٠٢٦-03-02T09:15:04Z", "is not a UTC time"),
    ],
)
def test_other_times_are_refused_in_one_sentence(text: str, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_cell(TIME, text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_write_seed_writes_the_stamps_of_the_coalitions_it_writes(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    stamps = {s.coalition: s for s in (SECRET, LBN)}
    counts = write_seed(dataset, tmp_path / "all", include_restricted=True, stamps=stamps)
    assert counts[STAMPS_FILE] == 2
    assert (tmp_path / "all" / STAMPS_FILE).read_text(encoding="utf-8") == (
        "coalition,created,updated\n"
        "coal-lbn,,2026-03-02T09:15:04+00:00\n"
        "coal-secret,2026-01-05T08:00:00+00:00,2026-02-01T10:30:00Z\n"
    )
    assert read_stamps(tmp_path / "all", read_seed(tmp_path / "all")) == stamps
    # read_seed does not look at the file: the seven files read as before
    assert read_seed(tmp_path / "all").sorted() == dataset.sorted()
    # the restricted coalition's stamps stay out with it
    public = tmp_path / "public"
    write_seed(dataset, public, stamps=stamps)
    assert read_stamps(public, read_seed(public)) == {"coal-lbn": LBN}


def test_without_stamps_no_file_is_written_and_an_old_one_goes(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    out = tmp_path / "out"
    counts = write_seed(dataset, out, include_restricted=True)
    assert STAMPS_FILE not in counts and not (out / STAMPS_FILE).exists()
    write_seed(dataset, out, include_restricted=True, stamps={"coal-lbn": LBN})
    write_seed(dataset, out, include_restricted=True, stamps={})
    assert not (out / STAMPS_FILE).exists()
    assert read_stamps(out, dataset) == {}
    assert read_stamps(SMALL_SEED, dataset) == {}  # an ordinary seed folder


def _folder_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "snapshot"
    shutil.copytree(SMALL_SEED, folder)
    (folder / STAMPS_FILE).write_text(text, encoding="utf-8")
    return folder


BAD_FILES = [
    ("coalition,created,updated\ncoal-lbn,yesterday,\n", 2,
     "created: 'yesterday' is not a UTC time in the form YYYY-MM-DDTHH:MM:SS+00:00"),
    ("coalition,created,updated\ncoal-lbn,,2026-03-02T09:15:04+02:00\n", 2,
     "updated: '2026-03-02T09:15:04+02:00' is not in UTC (it must end in +00:00 or Z)"),
    ("coalition,created,updated\ncoal-lbn,,2026-03-02T09:15:04Z\ncoal-lbm,,\n", 3,
     "coalition: unknown coalition id 'coal-lbm' (did you mean 'coal-lbn'?)"),
    ("coalition,created,updated\ncoal-lbn,,2026-03-02T09:15:04Z\n"
     "coal-lbn,,2026-03-03T09:15:04Z\n", 3,
     "coalition: 'coal-lbn' appears twice (already at {file}:2)"),
    ("coalition,created,updated,who\ncoal-lbn,,2026-03-02T09:15:04Z,ana\n", 1,
     "unknown column 'who'; expected columns: coalition,created,updated"),
    ("coalition,created\ncoal-lbn,2026-03-02T09:15:04Z,x\n", 2,
     "has 3 fields but the header has 2"),
    ("coalition,created,updated\n,2026-03-02T09:15:04Z,\n", 2,
     "coalition: required but blank"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), BAD_FILES)
def test_a_bad_row_is_one_problem_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    folder = _folder_with(tmp_path, text)
    file = str(folder / STAMPS_FILE)
    with pytest.raises(DataError) as info:
        read_stamps(folder, read_seed(folder))
    assert [str(p) for p in info.value.problems] == [f"{file}:{line}: {message.format(file=file)}"]


def test_excel_conventions_of_the_seed_files_hold(tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, "")
    # a byte-order mark, semicolons, CRLF line ends, a blank row
    (folder / STAMPS_FILE).write_bytes(
        b"\xef\xbb\xbfcoalition;created;updated\r\n\r\ncoal-lbn;;2026-03-02T09:15:04+00:00\r\n"
    )
    assert read_stamps(folder, read_seed(folder)) == {"coal-lbn": LBN}


def test_library_stamps_pass_the_same_rules() -> None:
    given = [CoalitionStamps("coal-lbn", "soon", None), CoalitionStamps("coal-x", None, None)]
    checked, problems = check_stamps(given, ["coal-lbn"], where="stamps")
    assert checked == {}
    assert [str(p) for p in problems] == [
        "stamps: coal-lbn: created: 'soon' is not a UTC time in the form YYYY-MM-DDTHH:MM:SS+00:00",
        "stamps: coal-x: coalition: unknown coalition id 'coal-x' (did you mean 'coal-lbn'?)",
    ]


def test_an_export_may_not_drop_the_stamps_a_folder_holds(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    out = tmp_path / "out"
    stamps = {"coal-lbn": LBN, "coal-secret": SECRET}
    write_seed(dataset, out, include_restricted=True, stamps=stamps)
    assert (out / EXPORT_MARKER).is_file()
    check_export_target(dataset, out, include_restricted=True, stamps=stamps)
    changed = {"coal-lbn": CoalitionStamps("coal-lbn", None, "2026-04-01T00:00:00Z")}
    check_export_target(dataset, out, include_restricted=True, stamps={**stamps, **changed})
    with pytest.raises(OutputError) as info:
        check_export_target(dataset, out, include_restricted=True, stamps={"coal-lbn": LBN})
    assert str(info.value) == (
        f"{out} holds 1 row that this export would drop (1 in {STAMPS_FILE}); nothing was written"
    )
    with pytest.raises(OutputError, match=r"\(2 in neo4j-stamps.csv\)"):
        check_export_target(dataset, out, include_restricted=True)
    (out / STAMPS_FILE).write_text("coalition,when\n", encoding="utf-8")
    with pytest.raises(OutputError, match="holds rows ccm-graph cannot read"):
        check_export_target(dataset, out, include_restricted=True, stamps=stamps)
