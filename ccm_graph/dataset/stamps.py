"""The coalition workflow's stamps of a snapshot or an export (``neo4j-stamps.csv``).

The ``created``/``updated`` stamps live in Neo4j only; :func:`~ccm_graph.dataset.write_seed`
writes them to :data:`STAMPS_FILE` when given some, :func:`read_stamps` reads and checks that
file, :func:`check_stamps` checks stamps from any source against a dataset's coalitions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..files import LINK_OUTSIDE, links_outside
from ..matching import suggest
from ..schema import STAMPS_TABLE, CoalitionStamps
from ..values import ValueProblem, check_value
from .records import Dataset, Origin
from .rows import read_table
from .value_checks import already_checked, checked_fields

__all__ = ["STAMPS_FILE", "check_stamps", "read_stamps"]


STAMPS_FILE = STAMPS_TABLE.file
"""The file of a snapshot or an export that holds the coalition workflow's ``created`` and
``updated`` stamps (columns ``coalition,created,updated``; see
:class:`~ccm_graph.schema.CoalitionStamps`)."""


def read_stamps(folder: str | os.PathLike[str], dataset: Dataset) -> dict[str, CoalitionStamps]:
    """The coalition stamps of a folder's :data:`STAMPS_FILE`, by coalition id.

    ``{}`` when the folder has no such file (an ordinary seed folder) or is a workbook. The
    file is read with the seed files' rules (:func:`parse_rows`: header, field counts, each
    cell through the value rules); each row must name a coalition of ``dataset`` (the folder's
    ``coalitions.csv``), once. A file that links outside the folder is refused unread.

    :raises DataError: every problem, as ``file:line: message``.
    """
    path = Path(folder) / STAMPS_FILE
    if Path(folder).is_dir() and links_outside(folder, path):
        raise DataError([Problem(str(path), None, LINK_OUTSIDE)])
    if not Path(folder).is_dir() or not path.is_file():
        return {}
    records, origins, problems = read_table(STAMPS_TABLE, path.read_bytes(), str(path))
    ids = [c.id for c in dataset.coalitions]
    stamps, found = check_stamps(records, ids, origins=origins)
    problems += found
    if problems:
        raise DataError(problems)
    return stamps


def check_stamps(
    stamps: Iterable[CoalitionStamps],
    coalitions: Iterable[str],
    *,
    origins: Sequence[Origin] = (),
    where: str = "stamps",
) -> tuple[dict[str, CoalitionStamps], list[Problem]]:
    """Stamps checked against the value rules and against the ids of ``coalitions``: each
    names one of them, once. Returns them by coalition id (values in canonical form) and every
    problem, located at ``origins[i]`` (the file and line of the ``i``-th) when known, else as
    ``where: coalition: message``.
    """
    known = sorted(set(coalitions))
    known_ids = set(known)
    result: dict[str, CoalitionStamps] = {}
    seen: dict[str, Origin | None] = {}
    problems: list[Problem] = []

    def report(origin: Origin | None, ident: str, message: str) -> None:
        if origin is None:
            problems.append(Problem(where, None, f"{ident}: {message}"))
        else:
            problems.append(Problem(origin.file, origin.line, message))

    for index, given in enumerate(stamps):
        origin = origins[index] if index < len(origins) else None
        record = given if already_checked(given) else _checked_stamps(given, origin, report)
        if record is None:
            continue
        ident = record.coalition
        if ident not in known_ids:
            close = suggest(ident, known, limit=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            report(origin, ident, f"coalition: unknown coalition id {ident!r}{hint}")
        elif ident in seen:
            first = seen[ident]
            at = f" (already at {first.file}:{first.line})" if first and first.line else ""
            report(origin, ident, f"coalition: {ident!r} appears twice{at}")
        else:
            seen[ident] = origin
            result[ident] = record
    return result, problems


def _checked_stamps(
    record: CoalitionStamps,
    origin: Origin | None,
    report: Callable[[Origin | None, str, str], None],
) -> CoalitionStamps | None:
    """``record`` through the value rules (for stamps that did not come from the file)."""
    values: dict[str, Any] = {}
    for name, column in checked_fields(CoalitionStamps):
        try:
            values[name] = check_value(column, getattr(record, name))
        except ValueProblem as exc:
            report(origin, str(record.coalition), f"{name}: {exc}")
    if len(values) < len(STAMPS_TABLE.columns):
        return None
    if values["coalition"] is None:
        report(origin, "?", "coalition: required but blank")
        return None
    return CoalitionStamps(**values)
