"""Snapshots: the team's own backup of what Neo4j holds, written before a destructive load.

:func:`write_snapshot` writes a full export (restricted records and the coalition stamps
included) into a new ``snapshot-YYYYMMDDTHHMMSSZ`` folder; :func:`default_snapshots_dir` is
``snapshots/`` beside the seed folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from ..dataset import Dataset, write_seed
from ..schema import CoalitionStamps

__all__ = ["default_snapshots_dir", "write_snapshot"]


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
    root = Path(snapshots_dir)
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target, n = root / f"snapshot-{stamp}", 2
    while True:
        try:
            target.mkdir()
            break
        except FileExistsError:
            target, n = root / f"snapshot-{stamp}-{n}", n + 1
    write_seed(dataset, target, include_restricted=True, stamps=stamps)
    return target
