"""The evidence rows of a seed folder (``evidence.csv``, the evidence format of issue #19).

One row per checked fact: which record and field, the value, whether a source states it
(``quoted``) or not (``indicative``), the source's URL and date, a verbatim excerpt and a note.
This module only reads the file (leniently: no file, no evidence) and appends rows to it; the
format's checks belong to ``validate``. :func:`read_evidence` is the one place that finds it,
so pointing the workbench at another evidence table is a change here only.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from ..files import csv_line

__all__ = ["EVIDENCE_COLUMNS", "EVIDENCE_FILE", "EvidenceRow", "evidence_text", "read_evidence"]

EVIDENCE_FILE = "evidence.csv"
"""The evidence table, in the seed folder beside the five tables."""


@dataclass(frozen=True)
class EvidenceRow:
    """One checked fact: ``record``'s ``field`` holds ``value``, and why we believe it."""

    record: str
    field: str
    value: str
    status: str  # quoted | indicative
    source: str = ""
    source_date: str = ""
    excerpt: str = ""
    note: str = ""


EVIDENCE_COLUMNS = tuple(f.name for f in fields(EvidenceRow))
"""The file's header, in order (the evidence contract)."""


def read_evidence(folder: str | os.PathLike[str] | None) -> list[EvidenceRow]:
    """The evidence rows of ``folder``; none when there is no folder (a workbook, Neo4j) or
    no evidence file in it. Rows missing the record or field are skipped (``validate`` names
    them); unknown columns are ignored."""
    if folder is None:
        return []
    path = Path(folder) / EVIDENCE_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, NotADirectoryError):
        return []
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        values = {name: (row.get(name) or "").strip() for name in EVIDENCE_COLUMNS}
        if values["record"] and values["field"]:
            rows.append(EvidenceRow(**values))
    return rows


def evidence_text(rows: Iterable[EvidenceRow]) -> Iterator[str]:
    """The evidence file's lines: the header, then one line per row."""
    yield csv_line(EVIDENCE_COLUMNS)
    for row in rows:
        yield csv_line(astuple(row))
