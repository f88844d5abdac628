"""Planning a load: what it would add, change, remove or keep, and which edits it would lose.

:func:`plan_load` compares the folder's records with what Neo4j holds and writes nothing;
:class:`LoadPlan` holds the :class:`PlannedChange` of each record and the
:class:`StampChange` of each coalition's stamps; :func:`plan_summary` and :func:`plan_lines`
say it in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..dataset import STAMPS_FILE, Dataset, check_stamps, check_values
from ..diff import FieldChange, field_changes
from ..errors import DataError
from ..schema import NODE_TABLES, CoalitionStamps, Evidence, NodeType, Relation, columns
from ..store import (
    Store,
    evidence_key,
    evidence_properties,
    record_properties,
    relation_key,
    relation_properties,
)
from .stored import StoredState, evidence_text, node_text, read_stored, relation_text

__all__ = [
    "KINDS",
    "Action",
    "LoadPlan",
    "Mode",
    "PlannedChange",
    "StampChange",
    "plan_lines",
    "plan_load",
    "plan_summary",
    "stamp_values",
]


Mode = Literal["load", "sync", "wipe"]


Action = Literal["add", "change", "remove", "keep"]


KINDS = (*(t.value for t in NodeType), "relation", "evidence")
"""The kinds of record a plan counts: actor, obligation, coalition, activity, relation,
evidence (the rows of ``evidence.csv``)."""


_NODE_ORDER = {spec.node_type: columns(spec.record) for spec in NODE_TABLES if spec.node_type}


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
            "before": stamp_values(self.before),
            "after": stamp_values(self.after),
        }


def stamp_values(stamps: CoalitionStamps | None) -> dict[str, str | None]:
    """A coalition's ``created`` and ``updated`` (both ``None`` when it has no stamps)."""
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


def _folder_records(dataset: Dataset) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    records: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for node_type, record in dataset.nodes():
        props = record_properties(record)
        records[(node_type.value, record.id)] = (node_text(node_type.value, props), props)
    for rel in dataset.relations:
        props = relation_properties(rel)
        label = relation_text(rel.from_id, rel.type, rel.to_id, props)
        records[("relation", relation_key(rel))] = (label, props)
    for evidence in dataset.evidence:
        props = evidence_properties(evidence)
        records[("evidence", evidence_key(evidence))] = (evidence_text(props), props)
    return records


_RELATION_ORDER = [
    *(name for name in columns(Relation) if name not in ("from", "type", "to")),
    "rel_key",
]


_EVIDENCE_ORDER = [*columns(Evidence), "ev_key"]


def _order(kind: str) -> list[str]:
    if kind == "evidence":
        return _EVIDENCE_ORDER
    return _RELATION_ORDER if kind == "relation" else _NODE_ORDER[NodeType(kind)]


def plan_load(
    store: Store,
    dataset: Dataset,
    mode: Mode = "load",
    stamps: Mapping[str, CoalitionStamps] | None = None,
    *,
    stored: StoredState | None = None,
) -> LoadPlan:
    """What loading ``dataset`` in ``mode`` would do to the database; writes nothing.

    :param stamps: the coalition workflow's stamps to set on the dataset's coalitions, from
        the folder's ``neo4j-stamps.csv`` (:func:`~ccm_graph.dataset.read_stamps`); the
        coalitions not named keep theirs.
    :param stored: what Neo4j held when ``dataset`` was made from it (:func:`read_stored`),
        to plan against that state rather than a newer one: a write committed meanwhile then
        makes :func:`~ccm_graph.sync.apply_load` refuse the plan instead of undoing it.
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
    state = stored if stored is not None else read_stored(store)
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
        if stamp_values(kept) != stamp_values(wanted):
            stamp_changes.append(StampChange(kept, wanted))
    return LoadPlan(mode, changes, unchanged, state, stamp_changes)


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
