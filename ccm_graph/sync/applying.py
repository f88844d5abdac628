"""Carrying out a load plan: refuse to lose edits, snapshot first, then one write transaction.

:func:`apply_load` checks, in the load's own transaction, that Neo4j is still as the plan saw
it, removes what a ``sync`` removes, loads, puts back the stamps of a folder that has them and
appends a change record (:mod:`ccm_graph.history`); :class:`LoadOutcome` is what it did.
"""

from __future__ import annotations

import itertools
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..dataset import Dataset
from ..errors import ConcurrentChange, EditsWouldBeLost, Problem
from ..history import ChangeRecord, begin_write, record_change
from ..queries import (
    delete_nodes_query,
    delete_relations_query,
    evidence_delete_query,
    restore_stamps_query,
)
from ..schema import NodeType
from ..store import BATCH_SIZE, LoadReport, Store
from .planning import LoadPlan, PlannedChange, stamp_values
from .snapshots import write_snapshot, write_snapshot_as_stored
from .stored import StoredState, read_state

if TYPE_CHECKING:
    import neo4j

__all__ = ["LoadOutcome", "apply_load"]


@dataclass
class LoadOutcome:
    """What :func:`apply_load` did: the load report, the snapshot folder, the change record."""

    plan: LoadPlan
    report: LoadReport
    snapshot: Path | None
    change: ChangeRecord | None

    @property
    def stamps_restored(self) -> int:
        """Coalitions whose ``created``/``updated`` stamps the load set from the folder."""
        return len(self.plan.stamps)

    @property
    def snapshot_problems(self) -> list[Problem]:
        """What the snapshot holds that breaks the rules (what Neo4j held, edited by hand),
        as its ``PROBLEMS.txt`` lists it; empty for a snapshot that loads back as it is."""
        as_stored = self.plan.state.as_stored
        return list(as_stored.problems) if self.snapshot and as_stored else []


_COMMANDS = {"load": "load", "sync": "load --sync", "wipe": "load --wipe"}


def apply_load(
    store: Store,
    dataset: Dataset,
    plan: LoadPlan,
    *,
    force: bool = False,
    snapshots_dir: str | os.PathLike[str] = "snapshots",
    by: str | None = None,
    source: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    staged: bool | None = None,
) -> LoadOutcome:
    """Carry out ``plan`` (from :func:`plan_load` on the same dataset).

    :param force: overwrite or remove records edited in Neo4j anyway (after a snapshot).
    :param snapshots_dir: where the snapshot goes when the step is destructive.
    :param by: who, for the change record (default the OS user).
    :param source: the seed folder, for the change record.
    :param staged: a staged load (``load --wipe --staged``), one transaction (``False``), or
        whichever is faster for the size (``None``): see :meth:`Store.load`.
    :raises EditsWouldBeLost: edited records would be lost and ``force`` is not set.
    :raises ConcurrentChange: Neo4j changed since the plan was made: checked in the load's
        transaction after taking the write lock (:func:`~ccm_graph.history.begin_write`), so
        of two loads planned at once the second to write refuses, naming the first.
    :raises DataError: the dataset is invalid (nothing is written). What Neo4j holds is
        snapshotted even when it breaks the rules: see :attr:`LoadOutcome.snapshot_problems`.
    """
    mode = plan.mode
    _refuse_lost_edits(plan, force=force)
    snapshot = _snapshot_first(plan, force=force, snapshots_dir=snapshots_dir)
    removals = plan.of("remove") if mode == "sync" else []
    command = _COMMANDS[mode] + (" --force" if force else "")
    changes: list[ChangeRecord] = []

    def prepare(tx: neo4j.ManagedTransaction) -> None:
        begin_write(store, tx)  # the write lock first: a write at the same time waits for us
        current = read_state(store, tx)
        _refuse_if_changed(plan, current)
        _remove(store, tx, current, removals)

    def finish(tx: neo4j.ManagedTransaction) -> None:
        if plan.stamps:
            rows = [{"id": c.after.coalition, **stamp_values(c.after)} for c in plan.stamps]
            [found] = store.run_in(tx, restore_stamps_query(), rows=rows)
            if found["n"] != len(rows):  # the plan checked them against the dataset
                raise RuntimeError("a coalition of neo4j-stamps.csv was not loaded")
        details = itertools.chain(plan.details(), (c.detail() for c in plan.stamps))
        changes.clear()
        changes.append(record_change(
            store, tx, command=command, by=by, counts=plan.counts(), details=details,
            snapshot=str(snapshot) if snapshot else None, source=source,
        ))  # fmt: skip

    report = store.load(dataset, wipe=mode == "wipe", batch_size=batch_size, progress=progress,
                        prepare=prepare, finish=finish, staged=staged)  # fmt: skip
    return LoadOutcome(plan, report, snapshot, changes[-1] if changes else None)


_PLANNED = {"load": "load", "sync": "sync", "wipe": "wipe"}


def _refuse_if_changed(plan: LoadPlan, current: StoredState) -> None:
    """Refuse a plan made on another state than ``current`` (read under the write lock):
    another write committed since, whose change record is named; or a write made outside
    ccm-graph (no change record), seen by the fingerprint of every record.

    :raises ConcurrentChange: in one line, with what to do.
    """
    planned, now = plan.state.change, current.change
    if now is not None and (planned is None or planned.id != now.id):
        who = f"by {now.by} at {now.at}, {now.command}"
    elif now != planned or current.fingerprint != plan.state.fingerprint:
        who = "by a write made outside ccm-graph"
    else:
        return
    raise ConcurrentChange(
        f"the database changed while this {_PLANNED[plan.mode]} was being planned ({who}): "
        "run it again to see the new plan"
    )


def _refuse_lost_edits(plan: LoadPlan, *, force: bool) -> None:
    """Refuse a plain load or ``sync`` that would overwrite or remove records edited in Neo4j
    since the last load, unless ``force`` (a ``wipe`` says what it does).

    :raises EditsWouldBeLost: listing them, with how to keep them.
    """
    conflicts = plan.conflicts
    if conflicts and plan.mode != "wipe" and not force:
        hint = (
            "keep them by copying them into the folder first (load --dry-run shows the "
            "values; ccm-graph export --include-restricted writes them out), or add --force "
            "to overwrite them after a snapshot"
        )
        raise EditsWouldBeLost([c.describe() for c in conflicts], hint)


def _snapshot_first(
    plan: LoadPlan, *, force: bool, snapshots_dir: str | os.PathLike[str]
) -> Path | None:
    """Write a snapshot of what Neo4j holds when the step is destructive (or forced over
    stored records); the snapshot folder, or ``None`` when none was needed.

    What Neo4j holds is written as stored when it breaks the rules (edited by hand): there
    is always a way back (:func:`write_snapshot_as_stored`).
    """
    if not (plan.destructive or (force and plan.state.records)):
        return None
    if plan.state.dataset is None:
        assert plan.state.as_stored is not None
        return write_snapshot_as_stored(plan.state.as_stored, snapshots_dir)
    return write_snapshot(plan.state.dataset, snapshots_dir, plan.state.stamps)


def _remove(
    store: Store, tx: neo4j.ManagedTransaction, current: StoredState, removals: list[PlannedChange]
) -> None:
    """Delete the records a ``sync`` removes: relationships by their element id in
    ``current``, evidence by its ``ev_key``, nodes by id per node type."""
    elements = [
        current.records[("relation", c.key)].element for c in removals if c.kind == "relation"
    ]
    delete_removed(store, tx, removals, elements)


def delete_removed(store: Store, tx: neo4j.ManagedTransaction, removals: list[PlannedChange],
                   elements: list[str | None]) -> None:  # fmt: skip
    """Delete ``removals``: the relationships by their element ids ``elements``, evidence by
    its ``ev_key``, nodes by id per node type (with their relationships)."""
    if elements:
        store.run_in(tx, delete_relations_query(), elements=elements)
    evidence = [c.key for c in removals if c.kind == "evidence"]
    if evidence:
        store.run_in(tx, evidence_delete_query(), keys=evidence)
    by_type: dict[NodeType, list[str]] = defaultdict(list)
    for c in removals:
        if c.kind not in ("relation", "evidence"):
            by_type[NodeType(c.kind)].append(c.key)
    for node_type, ids in by_type.items():
        store.run_in(tx, delete_nodes_query(node_type), ids=ids)
