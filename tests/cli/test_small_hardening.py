"""Small items of issue 22 (item 13): dates outside the calendar range say so, the funding
window is bounded, workbooks on either side of diff, the local server's status finds the
home's port."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.analysis import GraphIndex
from ccm_graph.analysis._index import MAX_WINDOW_YEARS
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph
from ccm_graph.localserver import LocalServer, main
from ccm_graph.schema import Column, ColumnType
from ccm_graph.values import ValueProblem, parse_cell
from ccm_graph.workbook import write_workbook

from ..conftest import SMALL_SEED


@pytest.mark.parametrize("kind", [ColumnType.DATE, ColumnType.PARTIAL_DATE, ColumnType.WHEN])
@pytest.mark.parametrize("text", ["9999-12-31", "1800-01-01", "1899", "2101-01"])
def test_a_date_outside_the_years_says_the_range(kind: ColumnType, text: str) -> None:
    with pytest.raises(ValueProblem, match="from 1900 to 2100") as caught:
        parse_cell(Column(kind), text)
    assert "not a date in the form" not in str(caught.value)


def test_a_quarter_outside_the_years_says_the_range() -> None:
    with pytest.raises(ValueProblem, match="from 1900 to 2100"):
        parse_cell(Column(ColumnType.WHEN), "2200-Q1")


def test_the_window_is_bounded_in_the_cli_and_the_library() -> None:
    from ccm_graph.cli.analysis import gaps

    window = next(p for p in gaps.params if p.name == "window_years")
    assert window.type.max == MAX_WINDOW_YEARS  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["gaps", "--seed", str(SMALL_SEED), "--window", "100000000"])
    assert result.exit_code == 2 and "--window" in result.stderr
    assert "-" not in CliRunner().invoke(
        cli, ["gaps", "--seed", str(SMALL_SEED), "--window", str(MAX_WINDOW_YEARS),
              "--as-of", "2026-01-01", "--format", "csv"]
    ).stderr  # fmt: skip
    graph = build_graph(read_seed(SMALL_SEED))
    with pytest.raises(ValueError, match="window"):
        GraphIndex.build(graph, as_of="2026-01-01", window_years=MAX_WINDOW_YEARS + 1)


def test_diff_takes_workbooks_on_either_side(tmp_path: Path) -> None:
    old, new = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(read_seed(SMALL_SEED), old)
    write_workbook(read_seed(SMALL_SEED).without_restricted(), new)
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--format", "json",
                                      "--as-of", "2026-06-01"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "no such folder" not in result.output
    mixed = CliRunner().invoke(cli, ["diff", str(SMALL_SEED), str(new), "--as-of", "2026-06-01"])
    assert mixed.exit_code == 0, mixed.output


def test_status_uses_the_port_of_the_home(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        server = LocalServer(home=tmp_path / "home", port=port)
        server._write_config()
        server.pid_file.write_text(str(os.getpid()), encoding="utf-8")
        assert main(["status", "--home", str(tmp_path / "home")]) == 0
        assert capsys.readouterr().out.strip() == f"running at bolt://127.0.0.1:{port}"
    finally:
        listener.close()
