"""What changed between two snapshots of the data, or a snapshot and the data now, by
snapshot name: the workbench's "what changed" page asks here.

Only the names of the snapshot folders in the source's snapshots folder
(:func:`~ccm_graph.keeping.saving.snapshots_dir_of`) are taken; a name that is not one of
them is refused, so no path a person types is ever read.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from ..diff import DatasetDiff, diff_datasets
from ..source import DataSource
from .saving import snapshots_dir_of

__all__ = ["CURRENT", "UnknownSnapshot", "compare_snapshots", "snapshot_names"]

CURRENT = "current"
"""The name that stands for the data now (the source's current reading)."""

_SNAPSHOT = re.compile(r"(snapshot-[0-9]{8}T[0-9]{6}Z)(?:-([0-9]+))?")


class UnknownSnapshot(LookupError):
    """A name that is not one of the snapshots (nor ``current``)."""


def snapshot_names(
    source: DataSource, snapshots_dir: str | os.PathLike[str] | None = None
) -> list[str]:
    """The snapshots of ``source`` by folder name (``snapshot-YYYYMMDDTHHMMSSZ``), oldest
    first: the states of the data before each change, that can be compared."""
    root = snapshots_dir_of(source, snapshots_dir)
    try:
        found = [p.name for p in root.iterdir() if p.is_dir() and _SNAPSHOT.fullmatch(p.name)]
    except OSError:  # no snapshots folder yet
        return []
    return sorted(found, key=_order)


def _order(name: str) -> tuple[str, int]:
    """Time order: ``snapshot-…Z`` before ``snapshot-…Z-2`` before ``snapshot-…Z-10``."""
    match = _SNAPSHOT.fullmatch(name)
    assert match is not None  # only names that match are listed
    return match.group(1), int(match.group(2) or 1)


def compare_snapshots(
    source: DataSource,
    old: str,
    new: str,
    *,
    as_of: date,
    include_restricted: bool = False,
    snapshots_dir: str | os.PathLike[str] | None = None,
) -> DatasetDiff:
    """What changed from snapshot ``old`` to snapshot ``new`` (either may be
    :data:`CURRENT`), records and synergy gaps, the gaps of both computed for ``as_of``.
    Restricted records are left out of both unless ``include_restricted``.

    :raises UnknownSnapshot: a name that is not one of :func:`snapshot_names` nor ``current``.
    :raises DataError: a snapshot that breaks the rules (one written as stored, with its
        ``PROBLEMS.txt``).
    """
    from ..dataset import read_data

    names = set(snapshot_names(source, snapshots_dir))
    root = snapshots_dir_of(source, snapshots_dir)
    datasets = []
    for name in (old, new):
        if name == CURRENT:
            datasets.append(source.read(include_restricted=include_restricted).dataset)
            continue
        if name not in names:
            raise UnknownSnapshot(name)
        data = read_data(Path(root, name))
        datasets.append(data if include_restricted else data.without_restricted())
    return diff_datasets(datasets[0], datasets[1], as_of=as_of)
