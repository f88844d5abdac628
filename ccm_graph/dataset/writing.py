"""Writing a Dataset as a seed folder, and refusing an export that could destroy data.

:func:`write_seed` writes the five CSV files, ``metadata.json``, the coalition stamps and the
export marker, all or none (:func:`~ccm_graph.files.write_together`);
:func:`check_export_target` says, before anything is written, whether a folder may be
replaced.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import OutputError, Problem
from ..files import LINK_OUTSIDE, csv_line, escape_formula, links_outside, write_together
from ..metadata import METADATA_FILE, info_to_json
from ..schema import STAMPS_TABLE, TABLES, CoalitionStamps
from ..values import format_value
from .reading import read_folder
from .records import Dataset
from .rows import read_table
from .stamps import STAMPS_FILE

__all__ = ["EXPORT_MARKER", "PROBLEMS_FILE", "check_export_target", "write_seed"]


EXPORT_MARKER = ".ccm-graph-export"
"""The file :func:`write_seed` leaves in a folder it wrote: an export may replace that folder."""

PROBLEMS_FILE = "PROBLEMS.txt"
"""The file that lists, in a folder :func:`write_seed` wrote, the values in it that break the
rules (a snapshot of a database edited by hand): ``validate`` shows them too."""


def write_seed(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    *,
    include_restricted: bool = False,
    stamps: Mapping[str, CoalitionStamps] | None = None,
    problems: Sequence[Problem] = (),
    metadata: str | None = None,
) -> dict[str, int]:
    """Write ``dataset`` as a seed folder (UTF-8, comma-delimited, canonical order).

    ``metadata.json`` is written beside them (:mod:`ccm_graph.metadata`), and the marker
    :data:`EXPORT_MARKER`. Restricted records are left out unless ``include_restricted``.
    Each file is written to a temporary file first and renamed into place, so no
    half-written file is ever left, nor a half-made folder.

    ``stamps`` (coalition id → its ``created``/``updated`` stamps) go to :data:`STAMPS_FILE`,
    those of the coalitions written, by id; without any, no such file is written and one an
    earlier export left is removed, so the folder never holds stamps of other data.

    Cells are quoted when they hold a comma, a quote, a line feed or a carriage return, and
    a text cell that would start a spreadsheet formula gets one leading ``'``
    (:func:`~ccm_graph.files.escape_formula`); the reader undoes it, so round trips are exact.

    ``problems`` are for a folder of values that break the rules, written as they are (a
    snapshot of what Neo4j holds, see :func:`ccm_graph.sync.write_snapshot`): they go to
    :data:`PROBLEMS_FILE`, one a line, for a person to fix the cells; without any, an
    earlier such file is removed. ``metadata`` is then the stored ``metadata.json`` text, written
    as it is instead of ``dataset.info``'s.

    :returns: rows written per file.
    :raises OutputError: a read-only folder, a file in the way, a full disk.
    """
    data = (dataset if include_restricted else dataset.without_restricted()).sorted()
    counts: dict[str, int] = {}
    with write_together(folder) as files:
        for spec in TABLES:
            rows = data.table(spec)
            names = [f.name for f in dataclasses.fields(spec.record)]
            files.write(spec.file, _csv_text(spec.columns, names, rows))
            counts[spec.file] = len(rows)
        written = {c.id for c in data.coalitions}
        stamp_rows = sorted(
            (s for s in (stamps or {}).values() if s.coalition in written),
            key=lambda s: s.coalition,
        )
        if stamp_rows:
            columns = STAMPS_TABLE.columns  # the field names too
            files.write(STAMPS_FILE, _csv_text(columns, columns, stamp_rows))
            counts[STAMPS_FILE] = len(stamp_rows)
        else:
            files.remove(STAMPS_FILE)  # an earlier export's
        files.write(METADATA_FILE, [info_to_json(data.info) if metadata is None else metadata])
        if problems:
            files.write(PROBLEMS_FILE, _problems_text(problems))
        else:
            files.remove(PROBLEMS_FILE)  # an earlier snapshot's
        files.write(EXPORT_MARKER, ["written by ccm-graph export\n"])
    return counts


def _problems_text(problems: Sequence[Problem]) -> Iterator[str]:
    yield (
        "This folder holds values as Neo4j stored them that break ccm-graph's rules (edited by "
        "hand, e.g. with query --write).\nFix these cells, check with ccm-graph validate --seed "
        "FOLDER, then load the folder back:\n\n"
    )
    for problem in problems:
        yield f"{problem}\n"


def _csv_text(header: Sequence[str], names: Sequence[str], records: Iterable[Any]) -> Iterator[str]:
    """The lines of a CSV file: ``header``, then per record the values of its fields
    ``names`` (in the order of the header's columns)."""
    yield csv_line(header)
    for record in records:
        yield csv_line(_export_cell(getattr(record, name)) for name in names)


def _export_cell(value: Any) -> str:
    text = format_value(value)
    if isinstance(value, bool | int | float):
        return text
    return escape_formula(text)


def check_export_target(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    *,
    include_restricted: bool = False,
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> None:
    """Refuse, before anything is written, an export that could destroy data.

    An export may write a new or empty folder, or replace a folder an earlier export wrote
    (it holds :data:`EXPORT_MARKER`) when every row there is also in the new export: the
    rows of :data:`STAMPS_FILE` too, against the ``stamps`` the export writes (see
    :func:`write_seed`).

    :raises OutputError: ``folder`` is a file, is a folder of something else, or holds rows
        this export would drop (how many, by file).
    """
    folder = Path(folder)
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputError(f"cannot export to {folder}: it is a file, not a folder")
    if not any(folder.iterdir()):
        return
    if not (folder / EXPORT_MARKER).is_file():
        raise OutputError(
            f"{folder} is not empty and was not written by ccm-graph export; export to a new "
            "or empty folder (nothing was written)"
        )
    old, problems = read_folder(folder, partial=True)
    old_stamps: list[CoalitionStamps] = []
    if links_outside(folder, folder / STAMPS_FILE):
        problems.append(Problem(str(folder / STAMPS_FILE), None, LINK_OUTSIDE))
    elif (folder / STAMPS_FILE).is_file():
        path = folder / STAMPS_FILE
        old_stamps, _, stamp_problems = read_table(STAMPS_TABLE, path.read_bytes(), str(path))
        problems += stamp_problems
    if problems:
        raise OutputError(
            f"{folder} holds rows ccm-graph cannot read ({problems[0]}); export to a new or "
            "empty folder (nothing was written)"
        )
    new = dataset if include_restricted else dataset.without_restricted()
    dropped: dict[str, int] = {}
    for spec in TABLES:
        if spec.node_type is None:  # relations, evidence: by their key
            kept = {r.key for r in new.table(spec)}
            gone = sum(1 for r in old.table(spec) if r.key not in kept)
        else:
            kept_ids = {r.id for r in new.table(spec)}
            gone = sum(1 for r in old.table(spec) if r.id not in kept_ids)
        if gone:
            dropped[spec.file] = gone
    written = {c.id for c in new.coalitions}
    kept_stamps = {s.coalition for s in (stamps or {}).values() if s.coalition in written}
    gone = sum(1 for s in old_stamps if s.coalition not in kept_stamps)
    if gone:
        dropped[STAMPS_FILE] = gone
    total = sum(dropped.values())
    if total:
        detail = ", ".join(f"{n} in {name}" for name, n in dropped.items())
        hint = ""
        if not include_restricted and dataset.has_restricted():
            hint = "; restricted rows are left out unless --include-restricted"
        raise OutputError(
            f"{folder} holds {total} row{'s' if total != 1 else ''} that this export would "
            f"drop ({detail}); nothing was written{hint}"
        )
