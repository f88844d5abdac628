"""Snapshots: the team's own backup of what Neo4j holds, written before a destructive load.

:func:`write_snapshot` writes a full export (restricted records and the coalition stamps
included) into a new ``snapshot-YYYYMMDDTHHMMSSZ`` folder; :func:`write_snapshot_as_stored`
does the same for a database that breaks the rules (edited by hand), cell by cell as stored,
with ``PROBLEMS.txt`` saying what to fix; :func:`default_snapshots_dir` is ``snapshots/``
beside the seed folder.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..dataset import Dataset, write_seed
from ..schema import TABLES, CoalitionStamps
from ..values import format_value
from .stored import AsStored

__all__ = ["default_snapshots_dir", "write_snapshot", "write_snapshot_as_stored"]


def default_snapshots_dir(seed_dir: str | os.PathLike[str]) -> Path:
    """``snapshots/`` beside the seed folder."""
    return Path(seed_dir).resolve().parent / "snapshots"


def write_snapshot(
    dataset: Dataset,
    snapshots_dir: str | os.PathLike[str],
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> Path:
    """Write ``dataset`` as a seed folder ``snapshot-YYYYMMDDTHHMMSSZ`` (UTC) in
    ``snapshots_dir``, restricted records included: the team's own backup. A folder of the
    same second gets ``-2``, ``-3`` …; an existing snapshot is never overwritten. The
    coalition workflow's ``stamps`` go to its ``neo4j-stamps.csv``.

    :returns: the snapshot folder. Load it back with ``ccm-graph load --seed FOLDER``, which
        puts the stamps back too.
    """
    target = _new_folder(snapshots_dir)
    write_seed(dataset, target, include_restricted=True, stamps=stamps)
    return target


def write_snapshot_as_stored(as_stored: AsStored, snapshots_dir: str | os.PathLike[str]) -> Path:
    """Write what Neo4j holds although it breaks the rules as a snapshot folder (named as
    :func:`write_snapshot` names them), so that a load that replaces it always has its backup.

    Every cell is the stored value as text, a value that breaks the rules too (a year
    stored as ``'five million'``, a list, a missing name left blank); the stamps and
    ``metadata.json`` likewise; :data:`~ccm_graph.dataset.PROBLEMS_FILE` lists each problem,
    located by record id and column. ``ccm-graph validate --seed FOLDER`` shows the same
    cells; once fixed, the folder loads back like any snapshot.

    :returns: the snapshot folder.
    """
    target = _new_folder(snapshots_dir)
    stamps = {str(s.coalition): _as_text(s) for s in as_stored.stamps}
    metadata = None if as_stored.metadata is None else str(as_stored.metadata)
    write_seed(_dataset_as_text(as_stored.dataset), target, include_restricted=True,
               stamps=stamps, problems=as_stored.problems, metadata=metadata)  # fmt: skip
    return target


def _new_folder(snapshots_dir: str | os.PathLike[str]) -> Path:
    """A new, empty ``snapshot-YYYYMMDDTHHMMSSZ`` folder (``-2``, ``-3`` … within a second)."""
    root = Path(snapshots_dir)
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target, n = root / f"snapshot-{stamp}", 2
    while True:
        try:
            target.mkdir()
            return target
        except FileExistsError:
            target, n = root / f"snapshot-{stamp}-{n}", n + 1


def _dataset_as_text(dataset: Dataset) -> Dataset:
    """``dataset`` with every value as its cell's text (:func:`_cell`)."""
    result = Dataset(info=dataset.info)
    for spec in TABLES:
        result.table(spec).extend(_as_text(record) for record in dataset.table(spec))
    return result


_KEYS = frozenset({"id", "from_id", "type", "to_id", "coalition", "record", "field", "value"})
"""The fields a seed folder is ordered by: blank rather than ``None`` when not stored."""


def _as_text(record: Any) -> Any:
    """``record`` with each value replaced by the text of its cell."""
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if value is None:
            if f.name in _KEYS:
                changes[f.name] = ""
        elif not isinstance(value, str):
            changes[f.name] = _cell(value)
    return dataclasses.replace(record, **changes) if changes else record


def _cell(value: Any) -> str:
    """A stored value as a cell's text: numbers as a seed file writes them, anything else
    Neo4j can hold (a list, a boolean) as JSON."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_value(value)
    return json.dumps(value, ensure_ascii=False, default=str)
