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

from .layout import (
    METADATA_SHEET,
    README_SHEET,
    ROLE_CHOICES,
    column_choices,
    is_workbook,
    sheet_name,
)
from .reading import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    cell_text,
    read_workbook,
)
from .writing import rows_workbook, write_workbook

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
