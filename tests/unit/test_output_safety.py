"""CSV cells safe for spreadsheets, round trips exact, outputs whole or not at all."""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed, write_seed
from ccm_graph.errors import OutputError
from ccm_graph.files import (
    FORMULA_TRIGGERS,
    escape_formula,
    output_folder,
    unescape_formula,
    write_atomically,
)
from ccm_graph.render import render

from ..conftest import SMALL_SEED

TRICKY = [
    "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'", "''", "'=1", "''=1",
    "'tis", "''tis", "plain", "", "a'=b", "=", "'\t", "'''@x",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_escaping_is_exactly_undone(text: str) -> None:
    escaped = escape_formula(text)
    assert unescape_formula(escaped) == text
    assert not escaped.startswith(FORMULA_TRIGGERS)


def test_escaping_rule() -> None:
    assert escape_formula("=1") == "'=1"
    assert escape_formula("'=1") == "''=1"  # already looks escaped: escaped once more
    assert escape_formula("'tis") == "'tis"  # a quote before ordinary text stays as it is
    assert unescape_formula("'tis") == "'tis"


def formula_dataset(small_seed: Path) -> Path:
    actors = small_seed / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    text = text.replace("test fixture (synthetic),Lao script",
                        "test fixture (synthetic),\"=HYPERLINK(\"\"http://evil\"\")\"")  # fmt: skip
    text = text.replace("Mine Action Support Group", "@MASG")
    text = text.replace(',quotes, commas"', ",'=already quoted\"").replace(
        '"quotes, commas"', '"\'=already quoted"'
    )
    actors.write_text(text, encoding="utf-8")
    return small_seed


def test_seed_files_escape_formulas_and_round_trip_exactly(
    small_seed: Path, tmp_path: Path
) -> None:
    dataset = read_seed(formula_dataset(small_seed))
    names = {a.id: a for a in dataset.actors}
    assert names["masg"].name == "@MASG"
    assert names["na-lao"].notes == '=HYPERLINK("http://evil")'
    write_seed(dataset, tmp_path / "out", include_restricted=True)
    written = (tmp_path / "out" / "actors.csv").read_text(encoding="utf-8")
    assert ",'@MASG," in written and '"\'=HYPERLINK(""http://evil"")"' in written
    for line in written.splitlines():
        for cell in line.split(","):
            assert not cell.startswith(FORMULA_TRIGGERS)
    assert read_seed(tmp_path / "out").sorted() == dataset.sorted()


def test_a_carriage_return_inside_a_cell_survives_export(small_seed: Path, tmp_path: Path) -> None:
    dataset = read_seed(small_seed)
    long_text = "ລາວ" * 33_000  # 99,000 characters, 297,000 bytes: over 128 KiB
    notes = {"LAO": "first line\rsecond line", "LBN": long_text}
    dataset.actors = [dataclasses.replace(a, notes=notes.get(a.id, a.notes))
                      for a in dataset.actors]  # fmt: skip
    write_seed(dataset, tmp_path / "out", include_restricted=True)
    again = read_seed(tmp_path / "out")
    assert {a.id for a in again.actors} == {a.id for a in dataset.actors}
    assert next(a for a in again.actors if a.id == "LAO").notes == "first line\rsecond line"
    assert next(a for a in again.actors if a.id == "LBN").notes == long_text


def test_csv_output_escapes_formulas_and_quotes_carriage_returns() -> None:
    lines = "\n".join(render([{"name": "=cmd|'/c calc'!A0", "n": -3, "t": "a\rb"}], "csv"))
    assert lines == "name,n,t\n'=cmd|'/c calc'!A0,-3,\"a\rb\""


def test_a_read_only_folder_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="read-only"):
            write_atomically(locked / "new" / "map.html", "x")
        assert list(locked.iterdir()) == []
        result = CliRunner().invoke(cli, ["demo", "--seed", str(SMALL_SEED),
                                          "--out", str(locked / "demo")])  # fmt: skip
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            f"Error: cannot write {locked / 'demo'}: the folder is read-only (no permission to "
            "write there)"
        )
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_a_read_only_folder_even_for_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self.parent == tmp_path / "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    (tmp_path / "locked").mkdir()
    monkeypatch.setattr(Path, "mkdir", refuse)
    for args in (
        ["demo", "--seed", str(SMALL_SEED), "--out", str(tmp_path / "locked" / "demo")],
        ["map", "--seed", str(SMALL_SEED), "--out", str(tmp_path / "locked" / "x" / "m.html")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "the folder is read-only" in result.stderr
    assert list((tmp_path / "locked").iterdir()) == []


def test_a_file_in_the_way_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for args in (
        ["demo", "--seed", str(SMALL_SEED), "--out", str(tmp_path / "file" / "demo")],
        ["map", "--seed", str(SMALL_SEED), "--out", str(tmp_path / "file" / "m.html")],
        ["brief", "--guide", "--out", str(tmp_path / "file" / "g.md")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "is a file, not a folder" in result.stderr
        assert "Traceback" not in result.output


def test_a_full_disk_is_one_line_and_leaves_no_partial_folder(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    target = tmp_path / "out"

    def fill(folder: Path) -> None:
        (folder / "a.txt").write_text("a")
        with open("/dev/full", "w") as full:
            full.write("x" * 10)
            full.flush()

    with pytest.raises(OutputError, match="the disk is full"), output_folder(target) as folder:
        fill(folder)
    assert not target.exists()


def test_output_folder_keeps_an_existing_folder(tmp_path: Path) -> None:
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    with pytest.raises(RuntimeError), output_folder(tmp_path / "seed"):
        raise RuntimeError("boom")
    assert (tmp_path / "seed" / "actors.csv").exists()
