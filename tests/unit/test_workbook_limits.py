"""Hostile workbooks are refused in one line, within bounded time and memory (issue 22, item 4).

A 5 KB workbook with one cell at XFD1048576 used to make ``validate --seed file.xlsx`` climb
past 10 GB: the reader walked every row and column up to that cell. Now every sheet is read in
streaming mode within limits (rows, columns, cells, the archive's uncompressed size and the
compression ratio of each member), and anything beyond them is refused in one line that names
the file and the limit.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ccm_graph import workbook
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.errors import DataError
from ccm_graph.workbook import read_workbook, write_workbook

from ..conftest import SMALL_SEED

SHEETS = ["actors", "obligations", "coalitions", "activities", "relations", "metadata"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "small.xlsx"
    write_workbook(read_seed(SMALL_SEED), path, include_restricted=True)
    return path


def with_cell(template: Path, target: Path, sheet: str, row: int, column: int) -> Path:
    book = load_workbook(template)
    book[sheet].cell(row=row, column=column, value="x")
    book.save(target)
    return target


def without_dimension(path: Path) -> Path:
    """The same workbook with each sheet's ``<dimension>`` removed (it may lie, or be absent)."""
    target = path.with_name("nodim-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            dst.writestr(info, data)
    return target


def refusal(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        read_workbook(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    return str(problems[0])


def test_one_far_cell_is_refused_in_one_line(template: Path, tmp_path: Path) -> None:
    hostile = with_cell(template, tmp_path / "far.xlsx", "actors", 1_048_576, 16_384)
    assert hostile.stat().st_size < 20_000
    result = CliRunner().invoke(cli, ["validate", "--seed", str(hostile)])
    assert result.exit_code == 1
    problem, summary = result.stderr.strip().splitlines()  # the one problem, and the count
    assert str(hostile) in problem and "at most 100,000 rows per sheet" in problem
    assert summary.startswith("1 problem found")


def test_a_far_cell_without_a_declared_dimension_is_refused(template: Path, tmp_path: Path) -> None:
    hostile = without_dimension(
        with_cell(template, tmp_path / "far.xlsx", "relations", 1_048_576, 3)
    )
    assert "rows" in refusal(hostile)
    wide = without_dimension(with_cell(template, tmp_path / "wide.xlsx", "actors", 3, 16_384))
    assert "columns" in refusal(wide)


def test_a_compressed_bomb_is_refused_before_it_is_opened(template: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * 20_000_000)
    message = refusal(bomb)
    assert str(bomb) in message and "compress" in message


def test_the_uncompressed_size_is_bounded(template: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook.reading, "MAX_UNCOMPRESSED_BYTES", 1_000)
    message = refusal(template)
    assert str(template) in message and "uncompressed" in message


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sheet=st.sampled_from(SHEETS),
    row=st.one_of(st.integers(2, 40), st.integers(workbook.MAX_ROWS + 1, 1_048_576)),
    column=st.one_of(st.integers(1, 20), st.integers(workbook.MAX_COLUMNS + 1, 16_384)),
    declared=st.booleans(),
)
def test_any_stray_cell_is_read_or_refused_in_one_line(
    template: Path, tmp_path: Path, sheet: str, row: int, column: int, declared: bool
) -> None:
    path = with_cell(template, tmp_path / f"{sheet}-{row}-{column}.xlsx", sheet, row, column)
    if not declared:
        path = without_dimension(path)
    beyond = row > workbook.MAX_ROWS or column > workbook.MAX_COLUMNS
    try:
        read_workbook(path)
    except DataError as exc:
        texts = [str(p) for p in exc.problems]
        if beyond:
            assert len(texts) == 1 and str(path) in texts[0] and "at most" in texts[0], texts
        else:  # an ordinary problem of the stray value, located in its sheet
            assert all(str(path) in t and "at most" not in t for t in texts), texts
    else:
        assert not beyond
