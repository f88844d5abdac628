"""Excel in and out through the command line: template → fill → validate → load → export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ccm_graph.cli import cli
from ccm_graph.dataset import read_data, read_seed
from ccm_graph.schema import TABLES

from ..conftest import SMALL_SEED

ADDED_ACTOR = {
    "id": "mag",
    "kind": "operator",
    "name": '=HYPERLINK("https://maginternational.org","MAG")',
    "region": None,
    "sensitivity": "public",
    "source": "test fixture (synthetic)",
}
ADDED_RELATIONS = [
    {"from": "mag", "type": "OPERATES_IN", "to": "LAO", "since": "2004",
     "sensitivity": "public", "source": "test fixture (synthetic)"},
    {"from": "NLD", "type": "FUNDS", "to": "mag", "year": 2025, "amount_usd": 250000.75,
     "convention": "CCM", "sensitivity": "public", "source": "test fixture (synthetic)"},
]  # fmt: skip


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def fill(path: Path) -> None:
    """What a coordinator does in Excel: add an operator and two relations, one cell a number."""
    wb = load_workbook(path)
    for sheet, rows in (("actors", [ADDED_ACTOR]), ("relations", ADDED_RELATIONS)):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for row in rows:
            ws.append([row.get(name) for name in header])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # typed into a text column: Excel keeps '=…' as text
    wb.save(path)


def fill_folder(folder: Path) -> None:
    """The same rows typed into the CSV files of a seed folder."""
    for file, rows in (("actors.csv", [ADDED_ACTOR]), ("relations.csv", ADDED_RELATIONS)):
        with (folder / file).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        with (folder / file).open("a", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for row in rows:
                writer.writerow("" if row.get(n) is None else row[n] for n in header)


def test_template_without_seed_is_an_empty_valid_workbook(tmp_path: Path) -> None:
    result = run("template", "--out", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote an empty template to {tmp_path / 't.xlsx'}.\n"
    wb = load_workbook(tmp_path / "t.xlsx")
    for spec in TABLES:
        assert [c.value for c in wb[spec.file.removesuffix(".csv")][1]] == spec.columns
    result = run("validate", "--seed", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 0, result.output
    assert "valid (0 actors, 0 obligations" in result.stdout


def test_template_needs_an_xlsx_name(tmp_path: Path) -> None:
    result = run("template", "--out", str(tmp_path / "t.csv"))
    assert result.exit_code == 2
    assert "must end in .xlsx" in result.stderr
    assert not (tmp_path / "t.csv").exists()


def test_template_of_an_invalid_folder_writes_nothing(small_seed: Path, tmp_path: Path) -> None:
    (small_seed / "actors.csv").write_text("id,kind,name\nX,planet,Mars\n", encoding="utf-8")
    result = run("template", "--out", str(tmp_path / "t.xlsx"), "--seed", str(small_seed))
    assert result.exit_code == 1
    assert "actors.csv:1: missing column 'source'" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_filled_template_validates_and_reads_as_the_folder(
    small_seed: Path, tmp_path: Path
) -> None:
    book = tmp_path / "coalitions.xlsx"
    result = run("template", "--out", str(book), "--seed", str(SMALL_SEED),
                 "--include-restricted")  # fmt: skip
    assert result.exit_code == 0, result.output
    fill(book)
    result = run("validate", "--seed", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{book}: valid (10 actors")
    fill_folder(small_seed)
    assert read_data(book).sorted() == read_seed(small_seed).sorted()


def test_bad_cell_is_sheet_row_problem_exit_1(tmp_path: Path) -> None:
    book = tmp_path / "bad.xlsx"
    run("template", "--out", str(book), "--seed", str(SMALL_SEED))
    wb = load_workbook(book)
    wb["obligations"]["C2"] = 6  # article
    wb["activities"]["D2"] = "=TODAY()"  # date: a formula
    wb.save(book)
    result = run("validate", "--seed", str(book))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{book}:obligations:2: article: '6' is not one of 3, 4, 5" in lines[0] or any(
        line.startswith(f"{book}:obligations:2: article: ") for line in lines
    )
    assert f"{book}:activities:2: date: a formula (=TODAY()); type the value itself " \
        "(formulas are never evaluated)" in lines  # fmt: skip
    assert lines[-1].endswith("nothing was written.")
    result = run("load", "--seed", str(book))
    assert result.exit_code == 1 and f"{book}:activities:2: date: a formula" in result.stderr


def test_round_trip_template_fill_validate_load_export(
    neo4j_env: dict, small_seed: Path, tmp_path: Path
) -> None:
    book = tmp_path / "coalitions.xlsx"
    assert run("template", "--out", str(book), "--seed", str(SMALL_SEED),
               "--include-restricted").exit_code == 0  # fmt: skip
    fill(book)
    assert run("validate", "--seed", str(book)).exit_code == 0

    result = run("load", "--seed", str(book), "--wipe")
    assert result.exit_code == 0, result.output
    assert run("export", "--out", str(tmp_path / "via-excel"),
               "--include-restricted").exit_code == 0  # fmt: skip

    fill_folder(small_seed)
    assert run("load", "--seed", str(small_seed), "--wipe").exit_code == 0
    assert run("export", "--out", str(tmp_path / "via-folder"),
               "--include-restricted").exit_code == 0  # fmt: skip

    via_excel = read_seed(tmp_path / "via-excel")
    assert via_excel.sorted() == read_seed(tmp_path / "via-folder").sorted()
    assert via_excel.sorted() == read_data(book).sorted()
    for spec in TABLES:
        excel = (tmp_path / "via-excel" / spec.file).read_text(encoding="utf-8")
        assert excel == (tmp_path / "via-folder" / spec.file).read_text(encoding="utf-8")
    names = [a.name for a in via_excel.actors if a.id == "mag"]
    assert names == [ADDED_ACTOR["name"]]


# --- --format xlsx -----------------------------------------------------------------------------


def sheet_rows(data: bytes) -> tuple[str, list[list[object]]]:
    ws = load_workbook(io.BytesIO(data)).active
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]


def test_gaps_xlsx_holds_the_csv_rows(tmp_path: Path) -> None:
    common = ["--seed", str(SMALL_SEED), "--as-of", "2026-03-01"]
    result = run("gaps", *common, "--format", "xlsx", "--out", str(tmp_path / "gaps.xlsx"))
    assert result.exit_code == 0, result.output
    title, rows = sheet_rows((tmp_path / "gaps.xlsx").read_bytes())
    expected = list(csv.reader(io.StringIO(run("gaps", *common, "--format", "csv").stdout)))
    assert title == "gaps"
    assert [[("" if v is None else str(v)) for v in row] for row in rows] == expected
    assert len(rows) > 1


def test_recommend_xlsx_to_a_redirected_stdout() -> None:
    result = run("recommend", "LAO", "--seed", str(SMALL_SEED), "--as-of", "2026-03-01",
                 "--format", "xlsx")  # fmt: skip
    assert result.exit_code == 0
    title, rows = sheet_rows(result.stdout_bytes)
    assert title == "partners"
    header = ["rank", "candidate", "name", "kind", "role", "band", "score", "parts", "reasons"]
    assert rows[0] == header
    assert rows[1][0] == 1 and isinstance(rows[1][header.index("score")], float)


def test_xlsx_on_a_terminal_needs_out(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("ccm_graph.cli.output._stdout_bytes", Terminal)
    result = run("gaps", "--seed", str(SMALL_SEED), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--out FILE.xlsx" in result.stderr


def test_out_writes_text_formats_too(tmp_path: Path) -> None:
    result = run("gaps", "--seed", str(SMALL_SEED), "--as-of", "2026-03-01", "--format", "json",
                 "--out", str(tmp_path / "gaps.json"))  # fmt: skip
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "gaps.json").read_text(encoding="utf-8").startswith("[")


def test_reading_commands_take_a_workbook_as_seed(tmp_path: Path) -> None:
    book = tmp_path / "small.xlsx"
    run("template", "--out", str(book), "--seed", str(SMALL_SEED), "--include-restricted")
    for args in (["stats", "--format", "json"], ["gaps", "--as-of", "2026-03-01", "--format",
                                                "json"]):  # fmt: skip
        via_book = run(*args, "--seed", str(book))
        assert via_book.exit_code == 0, via_book.output
        assert via_book.stdout == run(*args, "--seed", str(SMALL_SEED)).stdout
    result = run("demo", "--seed", str(book), "--out", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "gaps.md").is_file()


def test_support_xlsx_has_the_json_keys(tmp_path: Path) -> None:
    out = tmp_path / "support.xlsx"
    result = run("support", "--seed", str(SMALL_SEED), "--as-of", "2026-03-01",
                 "--format", "xlsx", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    title, rows = sheet_rows(out.read_bytes())
    keys = json.loads(run("support", "--seed", str(SMALL_SEED), "--as-of", "2026-03-01",
                          "--format", "json").stdout)  # fmt: skip
    assert title == "support"
    assert rows[0] == list(keys[0])
    assert [row[0] for row in rows[1:]] == [k["state"] for k in keys]
