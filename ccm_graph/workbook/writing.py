"""Writing the seed tables (or any result rows) as an Excel workbook: one sheet per table with
a frozen header, drop-downs, a ``metadata`` sheet and a protected ``README``."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..coverage import coverage_to_json
from ..dataset.records import Dataset
from ..files import write_atomically
from ..metadata import DatasetInfo
from ..schema import (
    RELATION_RULES,
    TABLES,
    ColumnType,
    Relation,
    TableSpec,
)
from ..values import LIST_SEPARATOR
from .layout import (
    _NUMBER_TYPES,
    METADATA_SHEET,
    README_SHEET,
    _columns,
    column_choices,
    sheet_name,
)

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
    ("coverage", "what the data covers (funding years per recipient, the newest meeting whose "
                 "decisions are recorded), as the JSON object 'coverage' of metadata.json"),
)  # fmt: skip


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
        "coverage": (
            json.dumps(coverage_to_json(info.coverage), ensure_ascii=False)
            if info.coverage.stated
            else None
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
    "The metadata sheet says what the data is: its as-of date, title, publisher, which "
    "actors play the forums and what the data covers.",
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
