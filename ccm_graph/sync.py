"""Keep a seed folder and the shared Neo4j in step without losing anyone's edits.

Three ways to load a folder (:data:`Mode`):

- ``load`` (plain): add and update the folder's records; records only in Neo4j are *kept*.
- ``sync``: make Neo4j equal to the folder; records only in Neo4j are *removed*.
- ``wipe``: delete every ccm-graph record, then load the folder.

:func:`plan_load` reads Neo4j and says what a load would add, change and remove, per kind,
and which of those records were **edited in Neo4j since the last load** (their properties no
longer match their load stamp, or they were made in Neo4j: a proposed coalition, a member
added with the coalition workflow; see :mod:`ccm_graph.bookkeeping`). It writes nothing.

:func:`apply_load` carries a plan out. It refuses (:class:`~ccm_graph.errors.EditsWouldBeLost`,
nothing written) when edited records would be overwritten or removed, unless ``force``.
Before any step that removes records or overwrites edits (``wipe``, a ``sync`` that removes,
anything forced) it writes a **snapshot**: a full export of the database, restricted records
included, into ``snapshot-YYYYMMDDTHHMMSSZ`` in the snapshots folder, with the coalition
workflow's ``created``/``updated`` stamps in its ``neo4j-stamps.csv``. Then, in one write
transaction, it checks Neo4j still is as the plan saw it (else
:class:`~ccm_graph.errors.ConcurrentChange`, nothing written), removes, loads, puts back the
stamps of a folder that has them (a snapshot, an export), and appends a change record
(:mod:`ccm_graph.history`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .bookkeeping import LOADED, content_hash, data_properties
from .dataset import STAMPS_FILE, Dataset, check_stamps, check_values, write_seed
from .diff import FieldChange, field_changes
from .errors import ConcurrentChange, DataError, EditsWouldBeLost, Problem
from .history import ChangeRecord, record_change
from .queries import (
    DATASET_INFO_ID,
    database_names_query,
    delete_nodes_query,
    delete_relations_query,
    read_info_query,
    read_stamps_query,
    read_stored_nodes_query,
    read_stored_relations_query,
    restore_stamps_query,
)
from .schema import (
    NODE_TABLES,
    NODE_TYPE_LABELS,
    RELATION_RULES,
    CoalitionStamps,
    Label,
    NodeType,
    Relation,
    columns,
)
from .store import (
    BATCH_SIZE,
    LoadReport,
    Store,
    dataset_from_properties,
    record_properties,
    relation_key,
    relation_properties,
)

if TYPE_CHECKING:
    import neo4j

__all__ = [
    "KINDS",
    "LoadOutcome",
    "LoadPlan",
    "Mode",
    "PlannedChange",
    "StampChange",
    "StoredRecord",
    "apply_load",
    "default_snapshots_dir",
    "plan_lines",
    "plan_load",
    "plan_summary",
    "read_stored",
    "read_stored_stamps",
    "write_snapshot",
]

Mode = Literal["load", "sync", "wipe"]
Action = Literal["add", "change", "remove", "keep"]

KINDS = (*(t.value for t in NodeType), "relation")
"""The kinds of record a plan counts: actor, obligation, coalition, activity, relation."""

_NODE_ORDER = {spec.node_type: columns(spec.record) for spec in NODE_TABLES if spec.node_type}


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored in Neo4j.

    :ivar kind: ``actor`` … ``activity`` or ``relation``.
    :ivar key: the id, or a relation's ``rel_key`` (``unkeyed:<element id>`` when it has none,
        e.g. made by hand in Cypher: a load can never match it).
    :ivar label: how to name it to people.
    :ivar props: its data properties (bookkeeping left out).
    :ivar loaded: its load stamp, ``None`` when it was made in Neo4j.
    :ivar element: the relationship's element id (relations only).
    """

    kind: str
    key: str
    label: str
    props: dict[str, Any]
    loaded: str | None
    element: str | None = None

    @property
    def edited(self) -> bool:
        """Edited in Neo4j since the last load (or made there)."""
        return self.loaded is None or self.loaded != content_hash(self.props)


@dataclass
class StoredState:
    """Every ccm-graph record in Neo4j, raw, with a fingerprint of all of it, and the
    coalition workflow's stamps (by coalition id)."""

    records: dict[tuple[str, str], StoredRecord]
    fingerprint: str
    dataset: Dataset | None
    problem: DataError | None = None
    stamps: dict[str, CoalitionStamps] = field(default_factory=dict)


@dataclass(frozen=True)
class StampChange:
    """What a load of a folder with ``neo4j-stamps.csv`` does to one coalition's stamps:
    ``before`` is what the coalition would keep without the file (``None``: no stamps, e.g.
    a coalition the load adds, or any after ``--wipe``), ``after`` what the file says."""

    before: CoalitionStamps | None
    after: CoalitionStamps

    @property
    def overwrites(self) -> bool:
        """Whether stamps Neo4j holds are replaced (a snapshot keeps them first)."""
        return self.before is not None and (self.before.created, self.before.updated) != (
            self.after.created,
            self.after.updated,
        )

    def detail(self) -> dict[str, Any]:
        """The entry of the change record."""
        return {
            "kind": "coalition",
            "key": self.after.coalition,
            "action": "stamps",
            "before": _stamp_values(self.before),
            "after": _stamp_values(self.after),
        }


def _stamp_values(stamps: CoalitionStamps | None) -> dict[str, str | None]:
    if stamps is None:
        return {"created": None, "updated": None}
    return {"created": stamps.created, "updated": stamps.updated}


@dataclass(frozen=True)
class PlannedChange:
    """What a load would do to one record.

    ``keep`` is a record only in Neo4j that a plain load leaves alone. ``edited`` says the
    record was edited in Neo4j since the last load; ``before``/``after`` are its data
    properties in Neo4j and in the folder (``None`` where it does not exist).
    """

    kind: str
    key: str
    label: str
    action: Action
    edited: bool = False
    fields: tuple[FieldChange, ...] = ()
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    @property
    def conflict(self) -> bool:
        """An edit made in Neo4j that this load would overwrite or remove."""
        return self.edited and self.action in ("change", "remove")

    def describe(self) -> str:
        """One line for people: ``~ coalition coal-lao: status 'active' → 'proposed'``."""
        sign = {"add": "+", "change": "~", "remove": "-", "keep": "="}[self.action]
        text = f"{sign} {self.label}"
        if self.fields:
            text += ": " + "; ".join(
                f"{f.field} {_shown(f.old)} → {_shown(f.new)}" for f in self.fields
            )
        if self.edited:
            text += "  [edited in Neo4j since the last load]"
        return text


def _shown(value: Any) -> str:
    if value is None:
        return "(blank)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


@dataclass
class LoadPlan:
    """What loading a folder in one :data:`Mode` would do; nothing has been written.

    ``changes`` lists every record added, changed, removed or (plain load) kept, by kind;
    ``unchanged`` counts the others.
    """

    mode: Mode
    changes: list[PlannedChange]
    unchanged: int
    state: StoredState = field(repr=False)
    stamps: list[StampChange] = field(default_factory=list)
    """The coalition stamps the folder's ``neo4j-stamps.csv`` sets (those that differ)."""

    @property
    def conflicts(self) -> list[PlannedChange]:
        """Records edited in Neo4j since the last load that this load would overwrite or
        remove. A plain load or ``sync`` refuses while there are any (unless forced)."""
        return [c for c in self.changes if c.conflict]

    def of(self, action: Action) -> list[PlannedChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def destructive(self) -> bool:
        """Whether it removes records or overwrites edits: a snapshot is written first."""
        if self.mode == "wipe":
            return bool(self.state.records)
        return bool(self.of("remove") or self.conflicts or any(c.overwrites for c in self.stamps))

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: added, changed, removed (and, for a plain load, kept)."""
        names = {"add": "added", "change": "changed", "remove": "removed", "keep": "kept"}
        result: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            result[kind] = {"added": 0, "changed": 0, "removed": 0}
            if self.mode == "load":
                result[kind]["kept"] = 0
        for change in self.changes:
            result[change.kind][names[change.action]] += 1
        return result

    def details(self) -> Iterator[dict[str, Any]]:
        """Before/after of each touched record, for the change record."""
        for c in self.changes:
            if c.action == "keep":
                continue
            entry: dict[str, Any] = {"kind": c.kind, "key": c.key, "action": c.action}
            if c.action == "change":
                entry["before"] = {f.field: f.old for f in c.fields}
                entry["after"] = {f.field: f.new for f in c.fields}
            elif c.action == "remove":
                entry["before"] = c.before
            else:
                entry["after"] = c.after
            if c.edited:
                entry["edited_in_neo4j"] = True
            yield entry


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


# --- reading what Neo4j holds ---------------------------------------------------------------


def _relation_text(from_id: Any, rel_type: str, to_id: Any, props: dict[str, Any]) -> str:
    extras = [
        f"{name}={props[name]}"
        for name in ("role", "year", "convention", "purpose", "since", "until")
        if props.get(name) is not None
    ]
    base = f"relation {from_id} {rel_type} {to_id}"
    return f"{base} ({', '.join(extras)})" if extras else base


def _node_text(node_type: str, props: dict[str, Any]) -> str:
    name = props.get("name") or props.get("title")
    return f"{node_type} {props.get('id')}" + (f" ({name})" if name else "")


def _read_raw(store: Store, tx: neo4j.ManagedTransaction) -> StoredState:
    nodes: dict[NodeType, list[dict[str, Any]]] = {}
    records: dict[tuple[str, str], StoredRecord] = {}
    digest = hashlib.sha256()
    names = store.run_in(tx, database_names_query())
    labels = set(names[0]["labels"]) if names else set()
    types = set(names[0]["types"]) if names else set()
    for node_type in NodeType:
        if NODE_TYPE_LABELS[node_type].value not in labels:
            nodes[node_type] = []
            continue
        rows = store.run_in(tx, read_stored_nodes_query(node_type))
        nodes[node_type] = [row["props"] for row in rows]
        for row in rows:
            raw = row["props"]
            props = data_properties(raw)
            key = str(raw.get("id"))
            records[(node_type.value, key)] = StoredRecord(
                node_type.value, key, _node_text(node_type.value, props), props, raw.get(LOADED)
            )
            digest.update(_canonical([node_type.value, raw]))
    wanted = [t.value for t in RELATION_RULES if t.value in types]
    rels = store.run_in(tx, read_stored_relations_query(), types=wanted) if wanted else []
    for row in sorted(rels, key=lambda r: (str(r["props"].get("rel_key")), r["element"])):
        raw = row["props"]
        props = data_properties(raw)
        key = raw.get("rel_key")
        if not isinstance(key, str) or ("relation", key) in records:
            key = f"unkeyed:{row['element']}"  # made by hand: a load cannot match it
        records[("relation", key)] = StoredRecord(
            "relation", key, _relation_text(row["from"], row["type"], row["to"], props),
            props, raw.get(LOADED), row["element"],
        )  # fmt: skip
        digest.update(_canonical(["relation", row["from"], row["type"], row["to"], raw]))
    info = []
    if Label.DATASET_INFO.value in labels:
        info = store.run_in(tx, read_info_query(), id=DATASET_INFO_ID)
    problems: list[Problem] = []
    try:
        dataset: Dataset | None = dataset_from_properties(
            nodes, [dict(r) for r in rels], info[0]["props"] if info else None
        )
    except DataError as exc:
        dataset, problems = None, list(exc.problems)
    stamps, stamp_problems = _stamps_from_rows(
        {"id": p.get("id"), "created": p.get("created"), "updated": p.get("updated")}
        for p in nodes[NodeType.COALITION]
        if p.get("created") is not None or p.get("updated") is not None
    )
    if stamp_problems:  # a snapshot could not be read back: none is written (apply_load)
        dataset, problems = None, problems + stamp_problems
    problem = DataError(problems) if problems else None
    return StoredState(records, digest.hexdigest(), dataset, problem, stamps)


def _stamps_from_rows(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[dict[str, CoalitionStamps], list[Problem]]:
    """Coalition stamps as stored (``id``, ``created``, ``updated`` per row), through the
    value rules; a stamp set by hand as a Neo4j date-time becomes its ISO text."""
    records: list[CoalitionStamps] = []
    ids: list[str] = []
    for row in rows:
        ident, created, updated = (_plain_value(row[k]) for k in ("id", "created", "updated"))
        records.append(CoalitionStamps(ident, created, updated))
        if isinstance(ident, str):
            ids.append(ident)
    return check_stamps(records, ids, where="neo4j")


def _plain_value(value: Any) -> Any:
    return value.iso_format() if hasattr(value, "iso_format") else value


def read_stored_stamps(store: Store) -> dict[str, CoalitionStamps]:
    """The coalition workflow's stamps in Neo4j, by coalition id (what ``export`` writes to
    ``neo4j-stamps.csv``).

    :raises DataError: a stamp that is not a UTC time (set by hand with ``query --write``).
    """
    rows = store.read_transaction(lambda tx: store.run_in(tx, read_stamps_query()))
    stamps, problems = _stamps_from_rows(rows)
    if problems:
        raise DataError(problems)
    return stamps


def _canonical(value: Any) -> bytes:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text.encode("utf-8") + b"\n"


def read_stored(store: Store) -> StoredState:
    """Every ccm-graph record in Neo4j, as stored, in one read transaction."""
    return store.read_transaction(lambda tx: _read_raw(store, tx))


# --- planning -------------------------------------------------------------------------------


def _folder_records(dataset: Dataset) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    records: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for node_type, record in dataset.nodes():
        props = record_properties(record)
        records[(node_type.value, record.id)] = (_node_text(node_type.value, props), props)
    for rel in dataset.relations:
        props = relation_properties(rel)
        label = _relation_text(rel.from_id, rel.type, rel.to_id, props)
        records[("relation", relation_key(rel))] = (label, props)
    return records


_RELATION_ORDER = [
    *(name for name in columns(Relation) if name not in ("from", "type", "to")),
    "rel_key",
]


def _order(kind: str) -> list[str]:
    return _RELATION_ORDER if kind == "relation" else _NODE_ORDER[NodeType(kind)]


def plan_load(
    store: Store,
    dataset: Dataset,
    mode: Mode = "load",
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> LoadPlan:
    """What loading ``dataset`` in ``mode`` would do to the database; writes nothing.

    :param stamps: the coalition workflow's stamps to set on the dataset's coalitions, from
        the folder's ``neo4j-stamps.csv`` (:func:`~ccm_graph.dataset.read_stamps`); the
        coalitions not named keep theirs.
    :raises DataError: the dataset breaks the value rules, or a stamp does (or names no
        coalition of the dataset, or one twice).
    """
    dataset, problems = check_values(dataset)
    checked, stamp_problems = check_stamps(
        (stamps or {}).values(), [c.id for c in dataset.coalitions], where=STAMPS_FILE
    )
    problems += stamp_problems
    if problems:
        raise DataError(problems)
    state = read_stored(store)
    return _plan(state, dataset, mode, checked)


def _plan(
    state: StoredState,
    dataset: Dataset,
    mode: Mode,
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> LoadPlan:
    folder = _folder_records(dataset)
    changes: list[PlannedChange] = []
    unchanged = 0
    for (kind, key), (label, after) in folder.items():
        stored = state.records.get((kind, key))
        if stored is None:
            changes.append(PlannedChange(kind, key, label, "add", after=after))
            continue
        fields = field_changes(stored.props, after, _order(kind))
        if fields:
            changes.append(PlannedChange(kind, key, label, "change", stored.edited, fields,
                                         stored.props, after))  # fmt: skip
        else:
            unchanged += 1
    for (kind, key), stored in state.records.items():
        if (kind, key) not in folder:
            action: Action = "keep" if mode == "load" else "remove"
            changes.append(PlannedChange(kind, key, stored.label, action, stored.edited,
                                         before=stored.props))  # fmt: skip
    rank = {kind: i for i, kind in enumerate(KINDS)}
    steps = {"add": 0, "change": 1, "remove": 2, "keep": 3}
    changes.sort(key=lambda c: (rank[c.kind], steps[c.action], c.key))
    stamp_changes = []
    for ident, wanted in sorted((stamps or {}).items()):
        kept = None if mode == "wipe" else state.stamps.get(ident)
        if _stamp_values(kept) != _stamp_values(wanted):
            stamp_changes.append(StampChange(kept, wanted))
    return LoadPlan(mode, changes, unchanged, state, stamp_changes)


# --- snapshots ------------------------------------------------------------------------------


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


# --- applying -------------------------------------------------------------------------------

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
) -> LoadOutcome:
    """Carry out ``plan`` (from :func:`plan_load` on the same dataset).

    :param force: overwrite or remove records edited in Neo4j anyway (after a snapshot).
    :param snapshots_dir: where the snapshot goes when the step is destructive.
    :param by: who, for the change record (default the OS user).
    :param source: the seed folder, for the change record.
    :raises EditsWouldBeLost: edited records would be lost and ``force`` is not set.
    :raises ConcurrentChange: Neo4j changed since the plan was made.
    :raises DataError: the dataset is invalid, or a snapshot is needed but what Neo4j holds
        cannot be exported (nothing is written in either case).
    """
    mode = plan.mode
    conflicts = plan.conflicts
    if conflicts and mode != "wipe" and not force:
        hint = (
            "keep them by copying them into the folder first (load --dry-run shows the "
            "values; ccm-graph export --include-restricted writes them out), or add --force "
            "to overwrite them after a snapshot"
        )
        raise EditsWouldBeLost([c.describe() for c in conflicts], hint)
    snapshot: Path | None = None
    if plan.destructive or (force and plan.state.records):
        if plan.state.dataset is None:
            assert plan.state.problem is not None
            raise DataError([
                Problem("snapshot", None, "cannot export what Neo4j holds, so no snapshot "
                        "can be written before this step; fix these first:"),
                *plan.state.problem.problems,
            ])  # fmt: skip
        snapshot = write_snapshot(plan.state.dataset, snapshots_dir, plan.state.stamps)
    removals = plan.of("remove") if mode == "sync" else []
    command = _COMMANDS[mode] + (" --force" if force else "")
    changes: list[ChangeRecord] = []

    def prepare(tx: neo4j.ManagedTransaction) -> None:
        current = _read_raw(store, tx)
        if current.fingerprint != plan.state.fingerprint:
            raise ConcurrentChange(
                "Neo4j changed since this load was planned (someone else wrote to it); "
                "nothing was written: run the command again"
            )
        elements = [
            current.records[("relation", c.key)].element for c in removals if c.kind == "relation"
        ]
        if elements:
            store.run_in(tx, delete_relations_query(), elements=elements)
        by_type: dict[NodeType, list[str]] = defaultdict(list)
        for c in removals:
            if c.kind != "relation":
                by_type[NodeType(c.kind)].append(c.key)
        for node_type, ids in by_type.items():
            store.run_in(tx, delete_nodes_query(node_type), ids=ids)

    def finish(tx: neo4j.ManagedTransaction) -> None:
        if plan.stamps:
            rows = [{"id": c.after.coalition, **_stamp_values(c.after)} for c in plan.stamps]
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
                        prepare=prepare, finish=finish)  # fmt: skip
    return LoadOutcome(plan, report, snapshot, changes[-1] if changes else None)


# --- in words -------------------------------------------------------------------------------


def plan_summary(plan: LoadPlan) -> str:
    """The counts in one line: ``actor +1 ~2; relation -3`` (``no change`` when empty)."""
    signs = {"added": "+", "changed": "~", "removed": "-", "kept": "kept "}
    parts = []
    for kind, numbers in plan.counts().items():
        text = " ".join(f"{signs[name]}{n}" for name, n in numbers.items() if n)
        if text:
            parts.append(f"{kind} {text}")
    return "; ".join(parts) or "no change"


def plan_lines(
    plan: LoadPlan, actions: tuple[Action, ...] = ("add", "change", "remove", "keep"),
    *, limit: int | None = None,
) -> list[str]:  # fmt: skip
    """One line per planned change of ``actions`` (``+`` add, ``~`` change, ``-`` remove,
    ``=`` kept), at most ``limit`` of them and a line saying how many more."""
    chosen = [c for c in plan.changes if c.action in actions]
    lines = [f"  {c.describe()}" for c in chosen[:limit]]
    if limit is not None and len(chosen) > limit:
        lines.append(f"  … and {len(chosen) - limit} more (load --dry-run lists them all)")
    return lines
