"""Writing only what a sync plan changes: the workbench's saves on Neo4j.

:func:`apply_changes` carries out a ``sync`` plan made from a dataset that was itself made
from what Neo4j held (:func:`~ccm_graph.sync.plan_load` with ``stored=``): it writes the
records the plan adds, changes and removes, and nothing else, in one write transaction that
takes the write lock first (:func:`~ccm_graph.history.begin_write`), checks that nothing
changed since the plan, and appends the change record. A save then costs what it changes,
not a reload of the whole data (:func:`~ccm_graph.sync.apply_load`).

What it keeps, and how:

- **Nothing changed since the plan**, checked under the write lock: the newest change record
  is the one the plan saw (every ccm-graph write appends one), and every record the step
  touches is still as the plan read it (the same properties and load stamp; an added one
  still absent; the ends of what it writes still there), so a write made outside ccm-graph to
  those records is seen too. Else :class:`~ccm_graph.errors.ConcurrentChange`, nothing
  written. A write outside ccm-graph to *other* records is not undone: they are not written.
- **The old values**: the change record keeps each changed field's value before and each
  removed record's values (a removed relation's ends and type too). A snapshot (a full
  export, as ``load --sync`` writes) comes first only when the step removes records, or when
  the change record could not keep every old value (more than
  :data:`~ccm_graph.history.DETAILS_LIMIT` characters of details).
- **Edits made in Neo4j stay told apart**: the records a save writes keep their load stamp
  (``_loaded``, :mod:`ccm_graph.bookkeeping`), so a changed record counts as *edited in
  Neo4j since the last load*, as the coalition workflow's edits do, and a later ``load`` of a
  folder without it refuses to overwrite it silently; an added record has no stamp. The other
  records' stamps are not touched. A record the coalition workflow edited may be changed (the
  change was made on its values as stored; the change record keeps them), and a coalition
  keeps its ``created``/``updated`` stamps.
- **Restricted records**: untouched unless the change is theirs; every change-record entry
  that concerns one, or what hangs only on one, before or after, is flagged restricted.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..bookkeeping import LOADED, data_properties
from ..dataset import Dataset
from ..errors import ConcurrentChange
from ..history import DETAILS_LIMIT, ChangeRecord, begin_write, record_change
from ..metadata import info_to_json
from ..queries import (
    DATASET_INFO_ID,
    derived_upsert_query,
    evidence_upsert_query,
    evidence_with_keys_query,
    info_upsert_query,
    node_upsert_query,
    nodes_with_ids_query,
    relation_upsert_query,
    relations_from_query,
    relations_with_elements_query,
)
from ..schema import ActorKind, NodeType, RelType
from ..store import BATCH_SIZE, LoadReport, Store, evidence_key, relation_key
from .applying import LoadOutcome, delete_removed
from .planning import LoadPlan, PlannedChange
from .snapshots import write_snapshot, write_snapshot_as_stored
from .stored import StoredRecord

if TYPE_CHECKING:
    import neo4j

__all__ = ["apply_changes", "keeps_old_values"]

_RESTRICTED_FLAG = len(', "restricted": true')
"""What flagging an entry restricted adds to its JSON (counted for every entry)."""


def keeps_old_values(plan: LoadPlan) -> bool:
    """Whether the change record of ``plan`` keeps every old value it overwrites: the details
    fit within :data:`~ccm_graph.history.DETAILS_LIMIT` (counted as if every entry were
    flagged restricted, so the record never leaves one out)."""
    size = 2
    for entry in plan.details():
        size += len(json.dumps(entry, ensure_ascii=False, default=str)) + 1 + _RESTRICTED_FLAG
        if size > DETAILS_LIMIT:
            return False
    return True


def apply_changes(
    store: Store,
    dataset: Dataset,
    plan: LoadPlan,
    *,
    snapshots_dir: str | os.PathLike[str] = "snapshots",
    by: str | None = None,
    source: str | None = None,
    command: str = "workbench save",
) -> LoadOutcome:
    """Write what ``plan`` (a ``sync`` plan of ``dataset``, made by :func:`plan_load`) adds,
    changes and removes, and nothing else (see the module's description).

    :param dataset: the whole data after the change, checked (``check_values`` and
        ``check_dataset``) by the caller, as :func:`plan_load` was given it.
    :param snapshots_dir: where a snapshot goes when the step needs one.
    :param by: who, for the change record (default the OS user).
    :param source: why, for the change record (``workbench: …``).
    :param command: what wrote, for the change record.
    :raises ConcurrentChange: Neo4j changed since the plan was made (checked under the write
        lock); nothing is written. A caller makes its change again on the new data.
    :raises ValueError: not a ``sync`` plan, or one that sets coalition stamps (a folder's
        ``neo4j-stamps.csv``: :func:`~ccm_graph.sync.apply_load` does that).
    """
    if plan.mode != "sync" or plan.stamps:
        raise ValueError("apply_changes carries out a sync plan without stamps")
    before = plan.state.dataset
    if before is None:
        assert plan.state.problem is not None
        raise plan.state.problem
    snapshot = None
    if plan.of("remove") or not keeps_old_values(plan):
        if plan.state.as_stored is not None:  # pragma: no cover - refused above
            snapshot = write_snapshot_as_stored(plan.state.as_stored, snapshots_dir)
        else:
            snapshot = write_snapshot(before, snapshots_dir, plan.state.stamps)
    if not plan.state.records:
        store.apply_schema()  # an empty database: its constraints first, as a load does
    writes = _Writes(plan, dataset)
    details = list(_flagged(plan, before, dataset))
    info = None
    if info_to_json(dataset.info) != info_to_json(before.info):
        info = {"as_of": dataset.info.as_of, "metadata": info_to_json(dataset.info)}
    changes: list[ChangeRecord] = []

    def work(tx: neo4j.ManagedTransaction) -> None:
        _refuse_if_changed(store, tx, plan, writes)
        writes.remove(store, tx)
        if info is not None:
            store.run_in(tx, info_upsert_query(), id=DATASET_INFO_ID, props=info)
        writes.write(store, tx)
        record = record_change(store, tx, command=command, by=by, counts=plan.counts(),
                               details=details, source=source,
                               snapshot=str(snapshot) if snapshot else None)  # fmt: skip
        if record.details_omitted and snapshot is None:  # keeps_old_values said it would fit
            raise RuntimeError("the change record could not keep every old value")
        changes[:] = [record]

    store.write_transaction(work)
    return LoadOutcome(plan, writes.report(), snapshot, changes[-1])


class _Writes:
    """The statements of one step: what it removes, and the rows it writes (added and
    changed records; a changed one keeps its load stamp, an added one gets none)."""

    def __init__(self, plan: LoadPlan, dataset: Dataset) -> None:
        self.plan = plan
        self.stored = plan.state.records
        self.node_types = {record.id: node_type for node_type, record in dataset.nodes()}
        written = {c.key for c in plan.changes if c.kind == "relation" and c.action != "remove"}
        self.relations = {key: r for r in dataset.relations if (key := relation_key(r)) in written}
        self.nodes: dict[tuple[NodeType, ActorKind | None], list[dict[str, Any]]] = {}
        self.derived: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        self.relation_rows: dict[tuple[RelType, NodeType, NodeType], list[dict[str, Any]]] = {}
        self.evidence_rows: list[dict[str, Any]] = []
        for change in plan.changes:
            if change.action in ("add", "change"):
                self._row(change)

    def _props(self, change: PlannedChange) -> dict[str, Any]:
        assert change.after is not None
        props = dict(change.after)
        stored = self.stored.get((change.kind, change.key))
        if change.action == "change" and stored is not None and stored.loaded is not None:
            props[LOADED] = stored.loaded  # the stamp of the last load stays: edited in Neo4j
        return props

    def _row(self, change: PlannedChange) -> None:
        props = self._props(change)
        if change.kind == "evidence":
            self.evidence_rows.append({"key": change.key, "props": props})
        elif change.kind == "relation":
            rel = self.relations[change.key]
            group = (RelType(rel.type), self.node_types[rel.from_id], self.node_types[rel.to_id])
            self.relation_rows.setdefault(group, []).append(
                {"from": rel.from_id, "to": rel.to_id, "key": change.key, "props": props}
            )
        else:
            node_type = NodeType(change.kind)
            kind = ActorKind(props["kind"]) if node_type is NodeType.ACTOR else None
            self.nodes.setdefault((node_type, kind), []).append({"id": change.key,
                                                                 "props": props})  # fmt: skip
            if node_type is NodeType.OBLIGATION:
                self.derived[RelType.HAS_OBLIGATION].append({"from": props["state"],
                                                             "to": change.key})  # fmt: skip
            elif node_type is NodeType.COALITION:
                self.derived[RelType.FOCUSES_ON].append({"from": change.key,
                                                         "to": props["focus"]})  # fmt: skip

    def ends(self) -> dict[NodeType, set[str]]:
        """The nodes what is written hangs on, by type: they must exist when it is written."""
        needed: dict[NodeType, set[str]] = defaultdict(set)
        for rel in self.relations.values():
            needed[self.node_types[rel.from_id]].add(rel.from_id)
            needed[self.node_types[rel.to_id]].add(rel.to_id)
        for rel_type, rows in self.derived.items():
            for row in rows:
                if rel_type is RelType.HAS_OBLIGATION:
                    needed[NodeType.ACTOR].add(row["from"])
                else:
                    needed[NodeType.ACTOR].add(row["to"])
        return needed

    def remove(self, store: Store, tx: neo4j.ManagedTransaction) -> None:
        """Delete what the step removes: relationships by element id (checked unchanged under
        the write lock), evidence by ``ev_key``, nodes by id with their relationships."""
        removals = self.plan.of("remove")
        elements = [self.stored[("relation", c.key)].element for c in removals
                    if c.kind == "relation"]  # fmt: skip
        delete_removed(store, tx, removals, elements)

    def write(self, store: Store, tx: neo4j.ManagedTransaction) -> None:
        """Write the added and changed records: nodes, the edges derived from them, relations,
        evidence, in batches."""
        for (node_type, kind), rows in self.nodes.items():
            _run_batches(store, tx, node_upsert_query(node_type, kind), rows)
        for rel_type, rows in self.derived.items():
            _run_batches(store, tx, derived_upsert_query(rel_type), rows)
        for group, rows in sorted(self.relation_rows.items()):
            _run_batches(store, tx, relation_upsert_query(*group), rows)
        if self.evidence_rows:
            _run_batches(store, tx, evidence_upsert_query(), self.evidence_rows)

    def report(self) -> LoadReport:
        """What the step wrote (added or changed), per node type and relationship type."""
        nodes: dict[str, int] = defaultdict(int)
        for (node_type, _kind), rows in self.nodes.items():
            nodes[node_type.value] += len(rows)
        if self.evidence_rows:
            nodes["evidence"] = len(self.evidence_rows)
        rels: dict[str, int] = defaultdict(int)
        for rel_type, rows in self.derived.items():
            rels[rel_type.value] += len(rows)
        for (rel_type, _a, _b), rows in self.relation_rows.items():
            rels[rel_type.value] += len(rows)
        return LoadReport(nodes=dict(nodes), relationships=dict(sorted(rels.items())))


def _run_batches(
    store: Store, tx: neo4j.ManagedTransaction, query: str, rows: list[dict[str, Any]]
) -> None:
    for start in range(0, len(rows), BATCH_SIZE):
        store.run_in(tx, query, rows=rows[start : start + BATCH_SIZE])


def _refuse_if_changed(
    store: Store, tx: neo4j.ManagedTransaction, plan: LoadPlan, writes: _Writes
) -> None:
    """Take the write lock, then refuse a plan made on another state than the database's
    now: another ccm-graph write committed since (its change record is named), or a record
    the step touches (or hangs on) is not as the plan read it.

    :raises ConcurrentChange: in one line.
    """
    now, planned = begin_write(store, tx), plan.state.change
    if now is not None and (planned is None or planned.id != now.id):
        _refuse(f"by {now.by} at {now.at}, {now.command}")
    if now is None and planned is not None:
        _refuse("by a write made outside ccm-graph")
    touched = [c for c in plan.changes if c.action != "keep"]
    if not (_nodes_as_planned(store, tx, plan, touched, writes)
            and _relations_as_planned(store, tx, plan, touched, writes)
            and _evidence_as_planned(store, tx, plan, touched)):  # fmt: skip
        _refuse("by a write made outside ccm-graph")


def _refuse(who: str) -> None:
    raise ConcurrentChange(
        f"the database changed while this save was being planned ({who}): make the change "
        "again on the new data"
    )


def _same(stored: StoredRecord | None, raw: dict[str, Any] | None) -> bool:
    """Whether ``raw`` (properties read now, ``None``: absent) is the record the plan read
    (``None``: absent then too): the same data and load stamp."""
    if stored is None or raw is None:
        return stored is None and raw is None
    return data_properties(raw) == stored.props and raw.get(LOADED) == stored.loaded


def _nodes_as_planned(
    store: Store,
    tx: neo4j.ManagedTransaction,
    plan: LoadPlan,
    touched: list[PlannedChange],
    writes: _Writes,
) -> bool:
    own = {(c.kind, c.key) for c in touched if c.kind not in ("relation", "evidence")}
    wanted: dict[NodeType, set[str]] = defaultdict(set)
    for kind, ident in own:
        wanted[NodeType(kind)].add(ident)
    for node_type, ids in writes.ends().items():
        wanted[node_type] |= ids
    for node_type, ids in wanted.items():
        rows = store.run_in(tx, nodes_with_ids_query(node_type), ids=sorted(ids))
        found = {str(row["id"]): row["props"] for row in rows}
        for ident in ids:
            key = (node_type.value, ident)
            if key in own:  # as the plan read it (an added one: still absent)
                if not _same(plan.state.records.get(key), found.get(ident)):
                    return False
            elif ident not in found:  # an end that the step does not write is gone
                return False
    return True


def _relations_as_planned(
    store: Store,
    tx: neo4j.ManagedTransaction,
    plan: LoadPlan,
    touched: list[PlannedChange],
    writes: _Writes,
) -> bool:
    stored = [plan.state.records[("relation", c.key)] for c in touched
              if c.kind == "relation" and c.action != "add"]  # fmt: skip
    if stored:
        rows = store.run_in(tx, relations_with_elements_query(),
                            elements=[r.element for r in stored])  # fmt: skip
        found = {row["element"]: row for row in rows}
        for record in stored:
            row = found.get(record.element)
            if row is None or (row["from"], row["type"], row["to"]) != record.ends:
                return False
            if not _same(record, row["props"]):
                return False
    added: dict[NodeType, list[dict[str, str]]] = defaultdict(list)
    for c in touched:
        if c.kind == "relation" and c.action == "add":
            rel = writes.relations[c.key]
            added[writes.node_types[rel.from_id]].append({"from": rel.from_id, "key": c.key})
    for from_type, rows in added.items():
        if store.run_in(tx, relations_from_query(from_type), rows=rows):
            return False  # made meanwhile
    return True


def _evidence_as_planned(
    store: Store, tx: neo4j.ManagedTransaction, plan: LoadPlan, touched: list[PlannedChange]
) -> bool:
    # evidence made by hand without an ev_key cannot be found by it, as a load cannot
    keys = [c.key for c in touched if c.kind == "evidence" and not c.key.startswith("unkeyed:")]
    if not keys:
        return True
    rows = store.run_in(tx, evidence_with_keys_query(), keys=keys)
    found = {str(row["key"]): row["props"] for row in rows}
    return all(_same(plan.state.records.get(("evidence", k)), found.get(k)) for k in keys)


def _flagged(plan: LoadPlan, before: Dataset, after: Dataset) -> Iterator[dict[str, Any]]:
    """The plan's change-record entries, a removed relation's ends and type in its values
    before, and each entry flagged ``restricted`` that concerns a record hidden from a reader
    without restricted access, before or after (``Dataset.without_restricted``: restricted
    records and what hangs only on them)."""
    hidden = _hidden_keys(before) | _hidden_keys(after)
    for entry in plan.details():
        key = (entry["kind"], entry["key"])
        if entry["action"] == "remove" and entry["kind"] == "relation":
            record = plan.state.records.get(key)
            if record is not None and record.ends is not None:
                start, rel_type, end = record.ends
                entry["before"] = {"from": start, "type": rel_type, "to": end,
                                   **(entry.get("before") or {})}  # fmt: skip
        if key in hidden:
            entry["restricted"] = True
        yield entry


def _hidden_keys(dataset: Dataset) -> set[tuple[str, str]]:
    """The records of ``dataset`` a reader without restricted access does not see, as the
    plan keys them."""
    if not dataset.has_restricted():
        return set()
    return _keys(dataset) - _keys(dataset.without_restricted())


def _keys(dataset: Dataset) -> set[tuple[str, str]]:
    keys = {(node_type.value, record.id) for node_type, record in dataset.nodes()}
    keys |= {("relation", relation_key(rel)) for rel in dataset.relations}
    keys |= {("evidence", evidence_key(row)) for row in dataset.evidence}
    return keys
