"""Turn records into text for people (tables) or scripts (JSON, CSV). One generator of lines."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from .escaping import visible
from .files import csv_line, escape_formula

__all__ = ["FORMATS", "SHEET_FORMATS", "render", "render_xlsx"]

FORMATS = ("table", "json", "csv")
SHEET_FORMATS = (*FORMATS, "xlsx")
"""The formats of commands whose rows may also go to an Excel workbook (``--format xlsx``)."""


def render(
    rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> Iterator[str]:
    """Yield the lines that show ``rows`` in format ``fmt`` (table, json or csv).

    ``columns`` fixes the column order (default: keys of the first row, then any new keys).
    JSON is a list of objects with the same keys; CSV has a header row, quotes cells holding
    a comma, quote, LF or CR, and escapes formula-leading text cells
    (:func:`~ccm_graph.files.escape_formula`).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    cols = list(columns) if columns is not None else _columns(rows)
    if fmt == "json":
        yield json.dumps(
            [{c: row.get(c) for c in cols} for row in rows],
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        return
    if fmt == "csv":
        # a text cell that would start a spreadsheet formula gets one leading ' (OWASP)
        lines = [csv_line(escape_formula(c) for c in cols)]
        for row in rows:
            lines.append(csv_line(_csv_cell(row.get(c)) for c in cols))
        yield "".join(lines).rstrip("\n")
        return
    yield from _table(rows, cols)


def render_xlsx(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, *, sheet: str = "rows"
) -> bytes:
    """An Excel workbook (``.xlsx`` bytes) with one sheet, ``sheet``, holding ``rows``.

    ``columns`` as for :func:`render`. Numbers stay numbers, lists are joined with ``; ``,
    and text is always text: a value starting with ``=`` is never a formula in the sheet.
    """
    from .workbook import rows_workbook

    return rows_workbook(rows, list(columns) if columns is not None else _columns(rows),
                         sheet=sheet)  # fmt: skip


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols


def _csv_cell(value: Any) -> str:
    text = _cell(value)
    return text if isinstance(value, bool | int | float) else escape_formula(text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _table(rows: Sequence[dict[str, Any]], cols: list[str]) -> Iterator[str]:
    if not cols:
        yield "(no rows)"
        return
    # a line break becomes a space; every other control character is shown, never acted on
    cells = [[visible(_cell(row.get(c)).replace("\n", " ")) for c in cols] for row in rows]
    headers = [visible(c) for c in cols]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(headers)]
    numeric = [
        all(isinstance(row.get(c), int | float) or row.get(c) is None for row in rows)
        and bool(rows)
        for c in cols
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    yield line(headers)
    yield "  ".join("-" * w for w in widths)
    for row in cells:
        yield line(row)
    if not rows:
        yield "(no rows)"
