"""Reading a workbook back with the seed files' own rules, as a stream and within limits (rows,
columns, cells, the archive's unpacked size and compression ratio)."""

from __future__ import annotations

import json
import math
import os
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..dataset.cross_checks import check_dataset
from ..dataset.records import Dataset
from ..dataset.rows import parse_rows
from ..errors import DataError, Problem
from ..matching import suggest
from ..metadata import DatasetInfo, info_from_json
from ..schema import (
    TABLES,
    TableSpec,
)
from ..values import LIST_SEPARATOR, ValueProblem
from .layout import METADATA_SHEET, sheet_name

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
            if spec.optional:  # a workbook made before the sheet existed
                continue
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
        elif key == "coverage":
            try:
                one = {key: json.loads(value)}
            except json.JSONDecodeError as exc:
                problems.append(Problem(display, line, f"coverage: not valid JSON: {exc.msg}"))
                continue
            data[key] = one[key]
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
