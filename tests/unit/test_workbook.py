"""The Excel workbook: written from the schema, read back through the seed rules, cell by cell."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ccm_graph.dataset import Dataset, read_data, read_seed
from ccm_graph.errors import DataError
from ccm_graph.schema import RELATION_RULES, RELATIONS_TABLE, TABLES, ColumnType, Relation
from ccm_graph.values import ValueProblem
from ccm_graph.workbook import (
    METADATA_SHEET,
    README_SHEET,
    ROLE_CHOICES,
    cell_text,
    column_choices,
    read_workbook,
    rows_workbook,
    sheet_name,
    write_workbook,
)

from ..conftest import SHIPPED_SEED, SMALL_SEED


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The small seed written as a workbook, restricted rows included."""
    path = tmp_path / "small.xlsx"
    write_workbook(read_seed(SMALL_SEED), path, include_restricted=True)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        read_workbook(path)
    return [str(p) for p in caught.value.problems]


# --- round trips ---------------------------------------------------------------------------


def test_small_seed_round_trips(book: Path) -> None:
    assert read_workbook(book).sorted() == read_seed(SMALL_SEED).sorted()


def test_shipped_seed_round_trips_with_its_metadata(tmp_path: Path) -> None:
    original = read_seed(SHIPPED_SEED)
    write_workbook(original, tmp_path / "seed.xlsx", include_restricted=True)
    again = read_data(tmp_path / "seed.xlsx")
    assert again.sorted() == original.sorted()
    assert again.info == original.info and again.info.forums_stated


def test_empty_template_reads_as_an_empty_dataset(tmp_path: Path) -> None:
    write_workbook(None, tmp_path / "empty.xlsx")
    assert set(read_workbook(tmp_path / "empty.xlsx").counts().values()) == {0}


def test_restricted_records_are_left_out_unless_asked(tmp_path: Path) -> None:
    counts = write_workbook(read_seed(SMALL_SEED), tmp_path / "public.xlsx")
    read = read_workbook(tmp_path / "public.xlsx")
    assert not read.has_restricted()
    assert counts["coalitions"] == len(read.coalitions) == 1


# --- what the workbook looks like ----------------------------------------------------------


def test_sheets_headers_and_frozen_row(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == [*(sheet_name(s) for s in TABLES), METADATA_SHEET, README_SHEET]
    for spec in TABLES:
        ws = wb[sheet_name(spec)]
        assert [c.value for c in ws[1]] == spec.columns
        assert ws.freeze_panes == "A2"
        assert all(ws.column_dimensions[c.column_letter].width >= 10 for c in ws[1])


def test_every_enum_column_has_a_drop_down(book: Path) -> None:
    wb = load_workbook(book)
    for spec in TABLES:
        ws = wb[sheet_name(spec)]
        lists = {
            str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
            for dv in ws.data_validations.dataValidation
            if dv.type == "list"
        }
        fields = dataclasses.fields(spec.record)
        for letter_index, (name, fld) in enumerate(zip(spec.columns, fields, strict=True)):
            column = fld.metadata["column"]
            letter = ws.cell(row=1, column=letter_index + 1).column_letter
            wants = column.type in (ColumnType.ENUM, ColumnType.ARTICLE)
            assert (letter in lists) == wants, f"{spec.file} {name}"
            if wants:
                choices = lists[letter].strip('"').split(",")
                assert tuple(choices) == column_choices(spec, name, column)
                assert choices
    relations = {n: f.metadata["column"] for n, f in zip(
        Relation.__dataclass_fields__, dataclasses.fields(Relation), strict=True)}  # fmt: skip
    spec = RELATIONS_TABLE
    assert column_choices(spec, "type", relations["type"]) == tuple(t.value for t in RELATION_RULES)
    assert column_choices(spec, "role", relations["role"]) == ROLE_CHOICES
    assert {"chair", "financial", "convener"} <= set(ROLE_CHOICES)


def test_ids_and_dates_are_text_numbers_are_numbers(book: Path) -> None:
    wb = load_workbook(book)
    rel = wb["relations"]
    header = [c.value for c in rel[1]]
    years = [
        r[0]
        for r in rel.iter_rows(
            min_row=2, min_col=header.index("year") + 1, max_col=header.index("year") + 1
        )
        if r[0].value
    ]
    amounts = [
        r[0]
        for r in rel.iter_rows(
            min_row=2,
            min_col=header.index("amount_usd") + 1,
            max_col=header.index("amount_usd") + 1,
        )
        if r[0].value
    ]
    assert years and all(isinstance(c.value, int) and c.data_type == "n" for c in years)
    assert amounts and all(isinstance(c.value, int | float) and c.data_type == "n"
                           for c in amounts)  # fmt: skip
    assert 1200000.5 in [c.value for c in amounts]
    activities = wb["activities"]
    quarter = activities.cell(2, [c.value for c in activities[1]].index("date") + 1)
    assert quarter.value == "2025-Q3" and quarter.data_type == "s"
    coalitions = wb["coalitions"]
    established = coalitions.cell(2, [c.value for c in coalitions[1]].index("established") + 1)
    assert established.value == "2023" and established.data_type == "s"
    # what a coordinator types below the data is text too
    assert activities.column_dimensions["A"].number_format == "@"


def test_formula_like_name_is_stored_as_text_and_round_trips(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    name = '=HYPERLINK("http://example.org","click")'
    dataset.actors[0] = dataclasses.replace(dataset.actors[0], name=name, notes="+1 -2 @x")
    path = tmp_path / "formula.xlsx"
    write_workbook(dataset, path, include_restricted=True)
    names = [row[2] for row in load_workbook(path)["actors"].iter_rows(min_row=2)]
    cell = next(c for c in names if c.value == name)
    assert cell.data_type == "s"
    assert read_workbook(path).sorted() == dataset.sorted()


def test_readme_sheet_documents_every_column_and_is_protected(book: Path) -> None:
    ws = load_workbook(book)[README_SHEET]
    assert ws.protection.sheet
    documented = {(row[0], row[1]) for row in ws.iter_rows(values_only=True) if row[1]}
    for spec in TABLES:
        for name in spec.columns:
            assert (sheet_name(spec), name) in documented


# --- reading cells ---------------------------------------------------------------------------


class FakeCell:
    def __init__(self, value: object, data_type: str = "n") -> None:
        self.value = value
        self.data_type = data_type


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (2024, "2024"),
        (2024.0, "2024"),
        (1500000.5, "1500000.5"),
        (1e16, "10000000000000000"),
        (0.1, "0.1"),
        (datetime(2026, 3, 1), "2026-03-01"),
        (date(2026, 3, 1), "2026-03-01"),
        ("2026-Q2", "2026-Q2"),
    ],
)
def test_cell_text_is_what_the_csv_reader_would_see(value: object, text: str) -> None:
    assert cell_text(FakeCell(value)) == text


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (FakeCell("=A1+1", "f"), r"a formula \(=A1\+1\)"),
        (FakeCell(True, "b"), "TRUE/FALSE"),
        (FakeCell(datetime(2026, 3, 1, 14, 30), "d"), "time of day"),
        (FakeCell(time(9, 0), "d"), "a time"),
        (FakeCell("#N/A", "e"), "Excel error #N/A"),
    ],
)
def test_cell_text_refuses(cell: FakeCell, message: str) -> None:
    with pytest.raises(ValueProblem, match=message):
        cell_text(cell)


def test_excel_typed_numbers_and_dates_read_as_the_folder(book: Path, tmp_path: Path) -> None:
    wb = load_workbook(book)
    obligations = wb["obligations"]
    header = [c.value for c in obligations[1]]
    deadline = obligations.cell(2, header.index("deadline") + 1)
    deadline.value = datetime.fromisoformat(str(deadline.value))  # an Excel date cell
    coalitions = wb["coalitions"]
    established = coalitions.cell(2, [c.value for c in coalitions[1]].index("established") + 1)
    established.value = 2023  # a number typed into a text column
    relations = wb["relations"]
    year = relations.cell(2, [c.value for c in relations[1]].index("year") + 1)
    year.value = float(year.value)  # 2024.0
    wb.save(tmp_path / "typed.xlsx")
    assert read_workbook(tmp_path / "typed.xlsx").sorted() == read_seed(SMALL_SEED).sorted()


def test_bad_cells_are_located_by_sheet_and_row(book: Path, tmp_path: Path) -> None:
    wb = load_workbook(book)
    wb["actors"]["B3"] = "State"  # kind: not one of the choices
    wb["actors"]["Q4"] = "=1+1"  # notes: a formula
    wb["metadata"]["B2"] = "2026-13-01"  # as_of
    wb.save(tmp_path / "bad.xlsx")
    found = problems_of(tmp_path / "bad.xlsx")
    where = str(tmp_path / "bad.xlsx")
    assert any(p.startswith(f"{where}:actors:3: kind: 'State'") for p in found), found
    assert f"{where}:actors:4: notes: a formula (=1+1); type the value itself (formulas are " \
        "never evaluated)" in found  # fmt: skip
    assert any(p.startswith(f"{where}:metadata:2: as_of: '2026-13-01'") for p in found)


def test_cross_record_problems_use_the_same_checks(book: Path, tmp_path: Path) -> None:
    wb = load_workbook(book)
    ws = wb["relations"]
    ws.append(["NLD", "FUNDS", "nobody", None, 2024, None, None, None, None, None, "public", "s"])
    row = ws.max_row
    wb.save(tmp_path / "ref.xlsx")
    found = problems_of(tmp_path / "ref.xlsx")
    assert any(p.startswith(f"{tmp_path / 'ref.xlsx'}:relations:{row}: to: unknown id 'nobody'")
               for p in found), found  # fmt: skip


def test_header_and_sheet_problems(book: Path, tmp_path: Path) -> None:
    wb = load_workbook(book)
    wb["actors"]["C1"] = "nmae"
    wb["activities"].title = "activity"
    wb.save(tmp_path / "header.xlsx")
    found = problems_of(tmp_path / "header.xlsx")
    where = str(tmp_path / "header.xlsx")
    assert any(p.startswith(f"{where}:actors:1: unknown column 'nmae' (did you mean 'name'?)")
               for p in found)  # fmt: skip
    assert f"{where}: missing sheet 'activities' (did you mean 'activity'?)" in found


def test_a_value_right_of_the_header_is_refused(book: Path, tmp_path: Path) -> None:
    wb = load_workbook(book)
    wb["coalitions"]["Z2"] = "stray"
    wb.save(tmp_path / "stray.xlsx")
    assert (
        f"{tmp_path / 'stray.xlsx'}:coalitions:2: a value in column Z, right of the last named "
        "column"
    ) in problems_of(tmp_path / "stray.xlsx")


def test_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_text("id,kind\n", encoding="utf-8")
    assert problems_of(tmp_path / "fake.xlsx")[0].startswith(f"{tmp_path / 'fake.xlsx'}: not an")
    with pytest.raises(DataError, match="a file, not a seed folder"):
        read_data(SMALL_SEED / "actors.csv")


# --- result rows ---------------------------------------------------------------------------


def test_rows_workbook_keeps_types_and_never_writes_formulas() -> None:
    rows = [
        {"name": "=cmd|'/c calc'!A1", "score": 0.75, "rank": 1, "subjects": ["LAO", "ob-LAO-4"]},
        {"name": "Halo Trust", "score": None, "rank": 2, "subjects": []},
    ]
    ws = load_workbook(io.BytesIO(rows_workbook(rows, sheet="partners")))["partners"]
    assert [c.value for c in ws[1]] == ["name", "score", "rank", "subjects"]
    assert ws["A2"].data_type == "s" and ws["A2"].value == "=cmd|'/c calc'!A1"
    assert ws["B2"].value == 0.75 and ws["C2"].value == 1
    assert ws["D2"].value == "LAO; ob-LAO-4" and ws["B3"].value is None


def test_dataset_type_is_the_interchange_form(book: Path) -> None:
    assert isinstance(read_workbook(book), Dataset)
