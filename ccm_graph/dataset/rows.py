"""One table's text into records: decoding, the delimiter, the header, the rows.

:func:`read_table` reads one CSV file's bytes (UTF-8 with or without BOM, comma or semicolon
delimited); :func:`parse_rows` turns a header and rows of cell text into records with the seed
files' rules, for every reader (the CSV files here, the Excel workbook of
:mod:`ccm_graph.workbook`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import Problem
from ..files import unescape_formula
from ..matching import suggest
from ..schema import RELATION_RULES, Column, Relation, TableSpec
from ..values import ValueProblem, parse_cell
from .records import Origin
from .value_checks import CHECKED_RECORDS

__all__ = ["QUOTE_NEVER_CLOSED", "cuts_the_file", "parse_rows", "read_table"]


_CSV_FIELD_LIMIT = 16 * 1024 * 1024


def _decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            display,
            line,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as 'CSV UTF-8' and try again",
        )


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_table(
    spec: TableSpec, raw: bytes, display: str
) -> tuple[list[Any], list[Origin], list[Problem]]:
    """The records of one CSV file's bytes (UTF-8 with or without BOM, comma or semicolon
    delimited), where each was read, and the problems, located as ``display:line``.

    A quote that opens a cell and is never closed stops the reading there: it is one problem
    at the line where the quote opened (:data:`QUOTE_NEVER_CLOSED`, :func:`cuts_the_file`),
    not a field count for every row after it, whose cells it has shifted.
    """
    text, problem = _decode(raw, display)
    if text is None:
        return [], [], [problem] if problem else []
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        # let over-long cells reach the value rules, which say how long they may be
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    delimiter = _sniff_delimiter(text)
    # strict: a quote that does not end a cell (text follows it) or the end of the file
    # inside a quoted cell is an error, where the lenient reader would shift every later cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def unreadable(start: int, exc: csv.Error) -> Problem:
        return _quote_problem(text, start, reader.line_num, delimiter, display) or Problem(
            display, start, f"unreadable CSV: {exc}"
        )

    try:
        header = next(reader)
    except StopIteration:
        return [], [], [Problem(display, 1, "empty file: expected a header row")]
    except csv.Error as exc:
        return [], [], [unreadable(1, exc)]
    stopped: list[Problem] = []

    def numbered_rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                stopped.append(unreadable(start, exc))
                return
            yield start, row

    records, origins, problems = parse_rows(spec, header, numbered_rows(), display)
    return records, origins, problems + stopped


QUOTE_NEVER_CLOSED = "a quote opened here is never closed"
"""The start of the problem :func:`read_table` reports where a quoted cell is never closed."""


def cuts_the_file(problem: Problem) -> bool:
    """Whether ``problem`` stopped the reading of its file (a quote never closed): the rows
    after it are missing, so the checks across records would report every reference to them."""
    return problem.message.startswith(QUOTE_NEVER_CLOSED)


def _quote_problem(
    text: str, start: int, failed_at: int, delimiter: str, display: str
) -> Problem | None:
    """The problem of a quote never closed, for the strict reader's error in the row that
    starts on line ``start`` and failed on line ``failed_at``, or ``None`` when the error is
    not about a quote.

    The culprit is the last quote that opened a cell before the failure: the reader failed
    either at the end of the file inside it, or at a later quote that it took as the cell's
    end but that text follows (that quote was meant to open another cell).
    """
    lines = io.StringIO(text, newline="").readlines()[start - 1 : failed_at]
    opened: int | None = None
    in_quotes, at_cell_start = False, True
    for number, line in enumerate(lines, start):
        i = 0
        while i < len(line):
            char = line[i]
            if in_quotes:
                if char == '"' and line[i + 1 : i + 2] == '"':
                    i += 1  # a quote written twice is one quote in the cell
                elif char == '"':
                    in_quotes, at_cell_start = False, False
                    following = line[i + 1 : i + 2]
                    if following and following not in (delimiter, "\r", "\n"):
                        return Problem(
                            display,
                            opened,
                            f"{QUOTE_NEVER_CLOSED} (the quote on line {number} is taken as "
                            "its end, and text follows it)",
                        )
            elif char == '"' and at_cell_start:
                in_quotes, opened = True, number
            else:
                at_cell_start = char in (delimiter, "\r", "\n")
            i += 1
    if in_quotes:
        return Problem(display, opened, f"{QUOTE_NEVER_CLOSED} (the file ends inside it)")
    return None


def parse_rows(
    spec: TableSpec,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    display: str,
) -> tuple[list[Any], list[Origin], list[Problem]]:
    """Records from one table's header and rows of cell text, with the seed files' rules.

    The one place a table's text becomes records, for every reader (CSV files, the Excel
    workbook of :mod:`ccm_graph.workbook`): the header is checked (unknown, repeated and
    missing columns), blank rows are skipped, and each cell goes through
    :func:`~ccm_graph.values.parse_cell`. Problems are located as ``display:line: message``.

    :param header: the column names of the header row (line 1).
    :param rows: ``(line, cells)`` per row after the header, cells as text.
    :returns: the records, where each was read (an :class:`Origin` per record), the problems.
    """
    problems: list[Problem] = []
    fields = {f.name: f for f in dataclasses.fields(spec.record)}
    by_csv_name = {name: fields[attr] for name, attr in zip(spec.columns, fields, strict=True)}
    header = [h.strip() for h in header]
    for name in header:
        if name not in by_csv_name:
            problems.append(Problem(display, 1, _unknown_column(name, spec.columns)))
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(display, 1, f"column {name!r} appears twice"))
        seen.add(name)
    for name, fld in by_csv_name.items():
        if fld.metadata["column"].required and name not in header:
            problems.append(Problem(display, 1, f"missing column {name!r}"))
    if problems:
        return [], [], problems

    records: list[Any] = []
    origins: list[Origin] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(display, line, f"has {len(row)} fields but the header has {len(header)}")
            )
            continue
        values: dict[str, Any] = {}
        row_ok = True
        for name, cell in zip(header, row, strict=True):
            fld = by_csv_name[name]
            column: Column = fld.metadata["column"]
            if name == "type" and spec.record is Relation:
                column = dataclasses.replace(column, choices=tuple(RELATION_RULES))
            try:
                value = parse_cell(column, unescape_formula(cell))
            except ValueProblem as problem:
                problems.append(Problem(display, line, f"{name}: {problem}"))
                row_ok = False
                continue
            if value is None and column.required:
                problems.append(Problem(display, line, f"{name}: required but blank"))
                row_ok = False
            elif value is not None:
                values[fld.name] = value
        if row_ok:
            record = spec.record(**values)
            CHECKED_RECORDS.add(record)
            records.append(record)
            origins.append(Origin(display, line))
    return records, origins, problems


def _unknown_column(name: str, expected: list[str]) -> str:
    message = f"unknown column {name!r}"
    close = suggest(name, expected, limit=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return message + "; expected columns: " + ",".join(expected)
