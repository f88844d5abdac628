"""The seed tables as one Excel workbook, for coordinators who work in Excel.

:func:`write_workbook` writes a Dataset (or nothing: an empty template) as an ``.xlsx`` file
with one sheet per seed table (``actors``, ``obligations``, ``coalitions``, ``activities``,
``relations``), the exact CSV column names as a frozen header row, a drop-down list on every
column with a closed set of values, a ``metadata`` sheet (the keys of ``metadata.json``) and a
protected ``README`` sheet that explains every column.

:func:`read_workbook` reads such a workbook back with the seed files' own rules: each cell is
turned into the text the CSV reader would see (numbers as plain digits, date cells as
``YYYY-MM-DD``) and goes through :func:`~ccm_graph.dataset.parse_rows`, then the cross-record
checks of :func:`~ccm_graph.dataset.check_dataset`. Problems are located as
``book.xlsx:sheet:row: column: message``. Formula cells are refused, never evaluated.

:func:`rows_workbook` writes any list of result rows (gaps, recommendations) as a one-sheet
workbook, for ``--format xlsx``.

Everything goes through openpyxl; no XML is written by hand.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
import os
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from .dataset import Dataset, check_dataset, parse_rows
from .errors import DataError, Problem
from .files import write_atomically
from .metadata import DatasetInfo, info_from_json
from .names import suggest
from .schema import (
    MEMBER_ROLES,
    PARTICIPATION_ROLES,
    RELATION_RULES,
    SUPPORT_KINDS,
    TABLES,
    Column,
    ColumnType,
    Relation,
    TableSpec,
)
from .values import LIST_SEPARATOR, ValueProblem

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "METADATA_SHEET",
    "README_SHEET",
    "ROLE_CHOICES",
    "cell_text",
    "column_choices",
    "is_workbook",
    "read_workbook",
    "rows_workbook",
    "sheet_name",
    "write_workbook",
]

METADATA_SHEET = "metadata"
README_SHEET = "README"

MAX_ROWS = 100_000
"""Rows per sheet (the header included) :func:`read_workbook` reads; a sheet that reaches
further is refused. The seed tables hold hundreds of rows; a bigger dataset goes in CSV."""
MAX_COLUMNS = 64
"""Columns per sheet (the widest table has 13; a stray value a little to the right is still
reported as such)."""
MAX_CELLS = 2_000_000
"""Cells, filled or empty, over all the sheets read."""
MAX_UNCOMPRESSED_BYTES = 200_000_000
"""The archive's total uncompressed size, checked before anything is unpacked."""
MAX_COMPRESSION_RATIO = 100
"""Uncompressed to compressed size of one member of the archive (above 1 MB unpacked);
spreadsheet XML compresses about 5 to 20 times, a compression bomb thousands of times."""
_RATIO_FLOOR = 1_000_000
ROLE_CHOICES: tuple[str, ...] = (*MEMBER_ROLES, *SUPPORT_KINDS, *PARTICIPATION_ROLES)
"""Every value ``relations.role`` may hold; which ones apply depends on the row's ``type``."""

_NUMBER_TYPES = frozenset({ColumnType.YEAR, ColumnType.COUNT, ColumnType.AMOUNT,
                           ColumnType.AREA, ColumnType.ARTICLE})  # fmt: skip
"""Columns written as Excel numbers; every other column is text, so Excel keeps ``2026-Q2``,
``1994`` or ``=x`` exactly as typed."""
_TEXT_FORMAT = "@"
_MAX_ROW = 1_048_576  # Excel's last row: drop-downs cover the whole column below the header
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TYPE_WORDS = {
    ColumnType.ID: "the record's id: unique across all sheets",
    ColumnType.REF: "the id of another record",
    ColumnType.TEXT: "free text",
    ColumnType.NAME: "a name, on one line",
    ColumnType.ENUM: "one of the listed values (drop-down)",
    ColumnType.DATE: "a date, YYYY-MM-DD",
    ColumnType.PARTIAL_DATE: "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    ColumnType.WHEN: "a date (YYYY, YYYY-MM, YYYY-MM-DD) or a quarter (YYYY-Qn)",
    ColumnType.YEAR: "a year, YYYY",
    ColumnType.AMOUNT: "US dollars: digits, optional decimals with a point, no separators",
    ColumnType.AREA: "square kilometres: digits, optional decimals with a point, no units",
    ColumnType.COUNT: "a whole number, 0 or more",
    ColumnType.ARTICLE: "the CCM article: 3, 4 or 5 (drop-down)",
    ColumnType.ISO3: "three capital letters (ISO 3166-1 alpha-3)",
    ColumnType.NAME_LIST: "names separated by ';'",
    ColumnType.LANGUAGE_LIST: "ISO 639-1 language codes separated by ';'",
    ColumnType.MEETING_LIST: "meeting codes like 2RC or 11MSP separated by ';'",
    ColumnType.TIMESTAMP: "a UTC time, YYYY-MM-DDTHH:MM:SS+00:00",
}
_METADATA_ROWS = (
    ("as_of", "the date the data is true on, YYYY-MM-DD"),
    ("title", "the dataset's title"),
    ("publisher", "who publishes the dataset"),
    ("forums.masg", "the actor id of the Mine Action Support Group"),
    ("forums.apmbc_committee", "the actor id of the APMBC Committee on the Enhancement of "
                               "Cooperation and Assistance"),
    ("forums.ccm_coordinators", "the actor ids of the CCM Coordinators on International "
                                "Cooperation and Assistance, separated by ';'"),
)  # fmt: skip


def sheet_name(spec: TableSpec) -> str:
    """The sheet that holds a seed table: its file name without ``.csv``."""
    return spec.file.removesuffix(".csv")


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Excel workbook (``.xlsx``) rather than a seed folder."""
    return Path(path).suffix.lower() == ".xlsx"


def _columns(spec: TableSpec) -> list[tuple[str, Column]]:
    return [
        (name, f.metadata["column"])
        for name, f in zip(spec.columns, dataclasses.fields(spec.record), strict=True)
    ]


def column_choices(spec: TableSpec, name: str, column: Column) -> tuple[str, ...]:
    """The values a column's drop-down offers; empty for a column without a closed set.

    ``relations.type`` offers the relationship types of ``RELATION_RULES``; ``relations.role``
    every member role, kind of support and participation role (which apply depends on the
    type; ``validate`` checks the pair).
    """
    if spec.record is Relation and name == "type":
        return tuple(t.value for t in RELATION_RULES)
    if spec.record is Relation and name == "role":
        return ROLE_CHOICES
    return tuple(str(choice) for choice in column.choices)


# --- writing --------------------------------------------------------------------------------


def write_workbook(
    dataset: Dataset | None,
    path: str | os.PathLike[str],
    *,
    include_restricted: bool = False,
) -> dict[str, int]:
    """Write the seed tables as an Excel workbook (an empty template when ``dataset`` is None).

    Restricted records are left out unless ``include_restricted``, as in
    :func:`~ccm_graph.dataset.write_seed`. The file is written to a temporary file first and
    renamed into place, so no half-written workbook is ever left.

    :returns: rows written per sheet.
    """
    data = Dataset() if dataset is None else dataset
    data = (data if include_restricted else data.without_restricted()).sorted()
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    counts: dict[str, int] = {}
    for spec in TABLES:
        records = data.table(spec)
        _write_table(book.create_sheet(sheet_name(spec)), spec, records)
        counts[sheet_name(spec)] = len(records)
    _write_metadata(book.create_sheet(METADATA_SHEET), data.info)
    _write_readme(book.create_sheet(README_SHEET))
    _save(book, Path(path))
    return counts


def _save(book: Workbook, path: Path) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomically(path, buffer.getvalue())


def _set(cell: Cell, value: Any, *, as_text: bool) -> None:
    """Put a value in a cell: text stays text (never a formula), numbers stay numbers."""
    if value is None:
        return
    if as_text or not isinstance(value, int | float) or isinstance(value, bool):
        cell.value = str(value)
        cell.data_type = "s"  # '=HYPERLINK(…)' is a name, not a formula
        cell.number_format = _TEXT_FORMAT
    else:
        cell.value = value


def _write_header(sheet: Worksheet, names: Sequence[str]) -> None:
    for index, name in enumerate(names, start=1):
        cell = sheet.cell(row=1, column=index)
        _set(cell, name, as_text=True)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"


def _width(texts: Iterable[str]) -> float:
    longest = max((len(line) for text in texts for line in text.splitlines() or [""]), default=0)
    return float(min(max(longest + 2, 10), 60))


def _write_table(sheet: Worksheet, spec: TableSpec, records: Sequence[Any]) -> None:
    columns = _columns(spec)
    _write_header(sheet, [name for name, _ in columns])
    fields = [f.name for f in dataclasses.fields(spec.record)]
    for row, record in enumerate(records, start=2):
        for index, (attr, (_, column)) in enumerate(zip(fields, columns, strict=True), start=1):
            value = getattr(record, attr)
            _set(sheet.cell(row=row, column=index), value,
                 as_text=column.type not in _NUMBER_TYPES)  # fmt: skip
    for index, (name, column) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        choices = column_choices(spec, name, column)
        values = [str(getattr(r, fields[index - 1]) or "") for r in records[:500]]
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width([name, *values, *choices])
        if column.type not in _NUMBER_TYPES:
            # what a coordinator types below the data stays text too (2026-Q2, 1994, 007)
            dimension.number_format = _TEXT_FORMAT
        if choices:
            listed = ",".join(choices)
            if len(listed) > 255:  # Excel's limit for a list typed into the validation
                raise ValueError(f"{sheet.title}.{name}: drop-down list too long for Excel")
            validation = DataValidation(
                type="list",
                formula1=f'"{listed}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{name}: not an allowed value",
                error="Pick one of the listed values (see the README sheet).",
            )
            validation.add(f"{letter}2:{letter}{_MAX_ROW}")
            sheet.add_data_validation(validation)


def _write_metadata(sheet: Worksheet, info: DatasetInfo) -> None:
    _write_header(sheet, ["key", "value", "about"])
    forums = info.forums
    values: dict[str, str | None] = {
        "as_of": info.as_of,
        "title": info.title,
        "publisher": info.publisher,
        "forums.masg": forums.masg if info.forums_stated else None,
        "forums.apmbc_committee": forums.apmbc_committee if info.forums_stated else None,
        "forums.ccm_coordinators": (
            LIST_SEPARATOR.join(forums.ccm_coordinators) if info.forums_stated else None
        ),
    }
    for row, (key, about) in enumerate(_METADATA_ROWS, start=2):
        _set(sheet.cell(row=row, column=1), key, as_text=True)
        _set(sheet.cell(row=row, column=2), values[key], as_text=True)
        _set(sheet.cell(row=row, column=3), about, as_text=True)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["B"].number_format = _TEXT_FORMAT
    sheet.column_dimensions["C"].width = 80


_README_INTRO = (
    "How to fill in this workbook (ccm-graph)",
    "",
    "Each of the sheets actors, obligations, coalitions, activities and relations is one table "
    "of the seed data; one row is one record.",
    "Row 1 holds the column names: do not rename, add or remove columns. Leave a cell blank "
    "where it does not apply.",
    "Columns with a drop-down take only the listed values. Type values, not formulas: a cell "
    "holding a formula is refused.",
    "Ids, dates and quarters are text: 2026-Q2 stays 2026-Q2. Dates may also be Excel date "
    "cells; they are read as YYYY-MM-DD.",
    "The metadata sheet says what the data is: its as-of date, title, publisher and which "
    "actors play the forums.",
    "Check the workbook with: ccm-graph validate --seed THIS-FILE.xlsx (every problem is listed "
    "as file:sheet:row: column: message).",
    "Load it into Neo4j with: ccm-graph load --seed THIS-FILE.xlsx. Every --seed option takes "
    "this workbook as well as a folder.",
    "",
)


def _write_readme(sheet: Worksheet) -> None:
    row = 1
    for line in _README_INTRO:
        _set(sheet.cell(row=row, column=1), line or None, as_text=True)
        row += 1
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    header = ["sheet", "column", "required", "what it holds", "allowed values", "notes"]
    for index, name in enumerate(header, start=1):
        cell = sheet.cell(row=row, column=index)
        _set(cell, name, as_text=True)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for spec in TABLES:
        for name, column in _columns(spec):
            row += 1
            notes = column.doc
            if spec.record is Relation and name == "role":
                notes = "; ".join(
                    f"{t.value}: {', '.join(rule.roles)}"
                    for t, rule in RELATION_RULES.items()
                    if rule.roles
                )
            elif spec.record is Relation and name == "type":
                notes = "; ".join(f"{t.value}: {rule.description}"
                                  for t, rule in RELATION_RULES.items())  # fmt: skip
            cells = [
                sheet_name(spec),
                name,
                "yes" if column.required else "",
                _TYPE_WORDS[column.type],
                ", ".join(column_choices(spec, name, column)),
                notes,
            ]
            for index, text in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=index)
                _set(cell, text or None, as_text=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (14, 22, 10, 40, 40, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.protection.sheet = True  # read-only: a guide, not data


def rows_workbook(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    sheet: str = "rows",
) -> bytes:
    """One sheet holding ``rows`` (a header row, then one row per dict), as ``.xlsx`` bytes.

    Numbers stay numbers; lists are joined with ``; ``; objects become JSON; every other value
    is text, never a formula (a name that starts with ``=`` stays that name).
    """
    cols = list(columns) if columns is not None else _keys(rows)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet[:31]
    _write_header(ws, cols)
    for row, record in enumerate(rows, start=2):
        for index, name in enumerate(cols, start=1):
            value = record.get(name)
            if isinstance(value, list | tuple):
                value = "; ".join(str(v) for v in value)
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False, default=str)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            _set(ws.cell(row=row, column=index), value, as_text=not number)
    for index, name in enumerate(cols, start=1):
        sample = [str(r.get(name) or "") for r in rows[:200]]
        ws.column_dimensions[get_column_letter(index)].width = _width([name, *sample])
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows), 1) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _keys(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return keys


# --- reading --------------------------------------------------------------------------------


def cell_text(cell: Any) -> str:
    """The text the CSV reader would see for an Excel cell.

    Blank → ``""``; numbers as plain digits (``2024``, not ``2024.0`` nor ``2e3``); date cells
    as ``YYYY-MM-DD``. Formulas, TRUE/FALSE, times and error values are refused.

    :raises ValueProblem: the cell holds something no seed column takes.
    """
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        shown = value.text if isinstance(value, ArrayFormula) else str(value)
        raise ValueProblem(
            f"a formula ({shown[:60]}); type the value itself (formulas are never evaluated)"
        )
    if cell.data_type == "e":
        raise ValueProblem(f"the Excel error {value}; type the value itself")
    if isinstance(value, bool):
        raise ValueProblem(f"a TRUE/FALSE cell ({str(value).upper()}); no column takes one")
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise ValueProblem(f"a date with a time of day ({value}); type the date only")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        raise ValueProblem(f"a time ({value}), not a date or a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem(f"{value} is not a number")
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def read_workbook(path: str | os.PathLike[str]) -> Dataset:
    """Read and validate a workbook written by :func:`write_workbook` (and filled in by hand).

    The same rules as :func:`~ccm_graph.dataset.read_seed`: every cell through the value
    rules, then the cross-record checks. Sheets other than the five tables and ``metadata``
    (the README, a coordinator's own notes) are ignored.

    :returns: the :class:`~ccm_graph.dataset.Dataset`, in sheet order.
    :raises DataError: listing every problem, as ``book.xlsx:sheet:row: column: message``.
    """
    path = Path(path)
    display = str(path)
    if not path.is_file():
        raise DataError([Problem(display, None, "no such file")])
    _check_archive(path, display)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not read (conditional formats …)
            warnings.simplefilter("ignore")
            # streaming: cells are parsed as they are read, never held as a whole sheet
            book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # zipfile, XML and openpyxl errors: not a workbook we can read
        reason = str(exc) or type(exc).__name__
        raise DataError(
            [Problem(display, None, f"not an Excel workbook (.xlsx) ccm-graph can read: {reason}")]
        ) from exc
    try:
        return _read_book(book, display)
    finally:
        book.close()


def _read_book(book: Any, display: str) -> Dataset:
    budget = _Budget(display)
    problems: list[Problem] = []
    dataset = Dataset()
    for spec in TABLES:
        name = sheet_name(spec)
        if name not in book.sheetnames:
            close = suggest(name, book.sheetnames, limit=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(display, None, f"missing sheet {name!r}{hint}"))
            continue
        rows = budget.rows(book[name], name)
        records, origins, sheet_problems = _read_sheet(spec, rows, f"{display}:{name}")
        problems.extend(sheet_problems)
        dataset.table(spec).extend(records)
        for index, origin in enumerate(origins):
            dataset.origins[(spec.file, index)] = origin
    if METADATA_SHEET in book.sheetnames:
        dataset.info, info_problems = _read_metadata(
            budget.rows(book[METADATA_SHEET], METADATA_SHEET), f"{display}:{METADATA_SHEET}"
        )
        problems.extend(info_problems)
    problems.extend(check_dataset(dataset))
    if problems:
        raise DataError(problems)
    return dataset


def _check_archive(path: Path, display: str) -> None:
    """Refuse an archive that would unpack beyond :data:`MAX_UNCOMPRESSED_BYTES`, or holds a
    member compressed beyond :data:`MAX_COMPRESSION_RATIO`, before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not an archive: openpyxl says what it is not
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DataError([Problem(display, None, (
            f"unpacks to {total:,} bytes; ccm-graph reads workbooks of at most "
            f"{MAX_UNCOMPRESSED_BYTES:,} bytes uncompressed"
        ))])  # fmt: skip
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise DataError([Problem(display, None, (
                f"{member.filename} is compressed {ratio:,.0f} to 1; ccm-graph reads workbooks "
                f"compressed at most {MAX_COMPRESSION_RATIO} to 1"
            ))])  # fmt: skip


class _Budget:
    """The rows of the sheets read, within :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and
    :data:`MAX_CELLS`; beyond them, one :class:`DataError` naming the file and the limit."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.cells = 0

    def _refuse(self, name: str, what: str, limit: str) -> DataError:
        return DataError([Problem(self.display, None, (
            f"sheet {name!r} {what}; ccm-graph reads at most {limit}"
        ))])  # fmt: skip

    def rows(self, sheet: Any, name: str) -> Iterator[tuple[int, Sequence[Any]]]:
        """``(row number, cells)`` from row 1, each row as long as its last cell."""
        if (sheet.max_row or 0) > MAX_ROWS:
            raise self._refuse(
                name, f"reaches row {sheet.max_row:,}", f"{MAX_ROWS:,} rows per sheet"
            )
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise self._refuse(name, f"reaches column {get_column_letter(sheet.max_column)}",
                               f"{MAX_COLUMNS} columns per sheet")  # fmt: skip
        sheet.reset_dimensions()  # the declared size may lie: read the cells that are there
        return self._counted(sheet, name)

    def _counted(self, sheet: Any, name: str) -> Iterator[tuple[int, Sequence[Any]]]:
        for line, cells in enumerate(sheet.iter_rows(), start=1):
            if line > MAX_ROWS:
                raise self._refuse(name, f"goes beyond row {MAX_ROWS:,}",
                                   f"{MAX_ROWS:,} rows per sheet")  # fmt: skip
            if len(cells) > MAX_COLUMNS:
                raise self._refuse(name, f"has a cell in column {get_column_letter(len(cells))}",
                                   f"{MAX_COLUMNS} columns per sheet")  # fmt: skip
            self.cells += len(cells)
            if self.cells > MAX_CELLS:
                raise self._refuse(name, f"brings the cells read beyond {MAX_CELLS:,}",
                                   f"{MAX_CELLS:,} cells per workbook")  # fmt: skip
            yield line, cells


def _header(cells: Sequence[Any]) -> list[str]:
    names = []
    for cell in cells:
        try:
            names.append(cell_text(cell))
        except ValueProblem:
            names.append(str(cell.value))
    while names and not names[-1].strip():
        names.pop()
    return names


def _read_sheet(
    spec: TableSpec, rows: Iterator[tuple[int, Sequence[Any]]], display: str
) -> tuple[list[Any], list[Any], list[Problem]]:
    first = next(rows, None)
    header = _header(first[1] if first else ())
    if not header:
        return [], [], [Problem(display, 1, "empty sheet: expected the column names in row 1")]
    width = len(header)
    cell_problems: list[Problem] = []

    def numbered_rows() -> Iterator[tuple[int, list[str]]]:
        for line, cells in rows:
            texts: list[str] = []
            row_ok = True
            for index, cell in enumerate(cells):
                name = header[index] if index < width else get_column_letter(index + 1)
                try:
                    text = cell_text(cell)
                except ValueProblem as exc:
                    cell_problems.append(Problem(display, line, f"{name}: {exc}"))
                    row_ok = False
                    continue
                if index >= width:
                    if text.strip():
                        cell_problems.append(Problem(
                            display, line,
                            f"a value in column {name}, right of the last named column",
                        ))  # fmt: skip
                        row_ok = False
                    continue
                texts.append(text)
            if row_ok:
                yield line, texts + [""] * (width - len(texts))

    records, origins, problems = parse_rows(spec, header, numbered_rows(), display)
    return records, origins, problems + cell_problems


def _read_metadata(
    rows: Iterator[tuple[int, Sequence[Any]]], display: str
) -> tuple[DatasetInfo, list[Problem]]:
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    seen: dict[str, int] = {}
    next(rows, None)  # the header row
    for line, row in rows:
        cells = (*row[:2], *(EMPTY_CELL,) * (2 - len(row[:2])))
        try:
            key, value = (cell_text(cell).strip() for cell in cells)
        except ValueProblem as exc:
            problems.append(Problem(display, line, str(exc)))
            continue
        if not key:
            continue
        if key in seen:
            problems.append(Problem(display, line, f"key {key!r} appears twice (row {seen[key]})"))
            continue
        seen[key] = line
        if not value:
            continue
        one: dict[str, Any] = {}
        top, _, sub = key.partition(".")
        if top == "forums" and sub:
            items = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
            item: Any = items if sub == "ccm_coordinators" else value
            one = {"forums": {sub: item}}
            data.setdefault("forums", {})[sub] = item
        else:
            one = {key: value}
            data[key] = value
        # each row alone first, so that its problems carry its row number
        for problem in info_from_json(json.dumps(one), display)[1]:
            problems.append(Problem(display, line, problem.message))
    if problems:
        return DatasetInfo(), problems
    info, _ = info_from_json(json.dumps(data), display)
    return info, problems
