"""What Neo4j holds, as stored: every record with its load stamp, and a fingerprint of it all.

:func:`read_stored` reads it in one read transaction (:func:`read_state` inside one already
open, as the sync's write transaction does to check nothing changed since the plan);
:attr:`StoredRecord.edited` tells a record edited in Neo4j since the last load.
:func:`read_stored_stamps` reads the coalition workflow's stamps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..bookkeeping import LOADED, content_hash, data_properties
from ..dataset import Dataset, check_dataset, check_stamps
from ..errors import DataError, Problem
from ..history import ChangeRecord, newest_change
from ..queries import (
    DATASET_INFO_ID,
    database_names_query,
    read_evidence_query,
    read_info_query,
    read_stamps_query,
    read_stored_nodes_query,
    read_stored_relations_query,
)
from ..schema import NODE_TYPE_LABELS, RELATION_RULES, CoalitionStamps, Label, NodeType
from ..store import Store, read_properties

if TYPE_CHECKING:
    import neo4j

__all__ = [
    "AsStored",
    "StoredRecord",
    "StoredState",
    "evidence_text",
    "node_text",
    "read_state",
    "read_stored",
    "read_stored_stamps",
    "relation_text",
    "rule_problems",
]


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored in Neo4j.

    :ivar kind: ``actor`` … ``activity``, ``relation`` or ``evidence``.
    :ivar key: the id, a relation's ``rel_key`` or an evidence node's ``ev_key``
        (``unkeyed:<element id>`` when it has none, e.g. made by hand in Cypher: a load can
        never match it).
    :ivar label: how to name it to people.
    :ivar props: its data properties (bookkeeping left out).
    :ivar loaded: its load stamp, ``None`` when it was made in Neo4j.
    :ivar element: the relationship's element id (relations only).
    :ivar ends: the relationship's ``(from id, type, to id)`` (relations only).
    """

    kind: str
    key: str
    label: str
    props: dict[str, Any]
    loaded: str | None
    element: str | None = None
    ends: tuple[Any, str, Any] | None = None

    @property
    def edited(self) -> bool:
        """Edited in Neo4j since the last load (or made there)."""
        return self.loaded is None or self.loaded != content_hash(self.props)


@dataclass(frozen=True)
class AsStored:
    """What Neo4j holds when it breaks the rules, as stored: every record (a value that
    fails the rules kept as it is, see :func:`~ccm_graph.store.reading.read_properties`),
    every coalition's stamps and the stored ``metadata.json`` text, with what is wrong.
    A snapshot writes it out for a person to see and fix (:func:`~ccm_graph.sync.write_snapshot`).
    """

    dataset: Dataset
    stamps: list[CoalitionStamps]
    metadata: str | None
    problems: list[Problem]


@dataclass
class StoredState:
    """Every ccm-graph record in Neo4j, raw, with a fingerprint of all of it, the coalition
    workflow's stamps (by coalition id) and the newest change record (``None``: no history),
    all read in one transaction. When what is stored breaks the rules, ``dataset`` is
    ``None``, ``problem`` says why and ``as_stored`` holds it all as stored."""

    records: dict[tuple[str, str], StoredRecord]
    fingerprint: str
    dataset: Dataset | None
    problem: DataError | None = None
    stamps: dict[str, CoalitionStamps] = field(default_factory=dict)
    change: ChangeRecord | None = None
    as_stored: AsStored | None = None


def relation_text(from_id: Any, rel_type: str, to_id: Any, props: dict[str, Any]) -> str:
    """How a relation is named to people: ``relation LAO MEMBER_OF coal-lao (role=lead)``."""
    extras = [
        f"{name}={props[name]}"
        for name in ("role", "year", "convention", "purpose", "since", "until")
        if props.get(name) is not None
    ]
    base = f"relation {from_id} {rel_type} {to_id}"
    return f"{base} ({', '.join(extras)})" if extras else base


def evidence_text(props: dict[str, Any]) -> str:
    """How an evidence row is named to people: ``evidence ob-LAO-4 deadline (https://…)``."""
    source = props.get("source")
    base = f"evidence {props.get('record')} {props.get('field')}"
    return f"{base} ({source})" if source else base


def node_text(node_type: str, props: dict[str, Any]) -> str:
    """How a node is named to people: ``actor LAO (Lao PDR)``."""
    name = props.get("name") or props.get("title")
    return f"{node_type} {props.get('id')}" + (f" ({name})" if name else "")


def read_state(store: Store, tx: neo4j.ManagedTransaction) -> StoredState:
    """Every ccm-graph record in Neo4j, as stored, read inside ``tx``; the Dataset they make
    (``None`` with the problem when what is stored breaks the data model) and the stamps."""
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
                node_type.value, key, node_text(node_type.value, props), props, raw.get(LOADED)
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
            "relation", key, relation_text(row["from"], row["type"], row["to"], props),
            props, raw.get(LOADED), row["element"], (row["from"], row["type"], row["to"]),
        )  # fmt: skip
        digest.update(_canonical(["relation", row["from"], row["type"], row["to"], raw]))
    evidence: list[dict[str, Any]] = []
    if Label.EVIDENCE.value in labels:
        evidence = [row["props"] for row in store.run_in(tx, read_evidence_query())]
    for index, raw in enumerate(evidence):
        props = data_properties(raw)
        stored_key = raw.get("ev_key")
        ev_key = stored_key if isinstance(stored_key, str) else ""
        if not ev_key or ("evidence", ev_key) in records:
            ev_key = f"unkeyed:evidence:{index}"  # made by hand: a load cannot match it
        records[("evidence", ev_key)] = StoredRecord(
            "evidence", ev_key, evidence_text(props), props, raw.get(LOADED)
        )
        digest.update(_canonical(["evidence", raw]))
    info = []
    if Label.DATASET_INFO.value in labels:
        info = store.run_in(tx, read_info_query(), id=DATASET_INFO_ID)
    info_props = info[0]["props"] if info else None
    everything, problems = read_properties(nodes, [dict(r) for r in rels], info_props, evidence)
    stamp_rows = [
        {"id": p.get("id"), "created": p.get("created"), "updated": p.get("updated")}
        for p in nodes[NodeType.COALITION]
        if p.get("created") is not None or p.get("updated") is not None
    ]
    stamps, stamp_problems = _stamps_from_rows(stamp_rows)
    problems += stamp_problems  # a snapshot could not be read back: it says so (apply_load)
    change = newest_change(store, tx) if Label.CHANGE_RECORD.value in labels else None
    if not problems:
        return StoredState(records, digest.hexdigest(), everything, None, stamps, change)
    as_stored = AsStored(
        everything,
        [CoalitionStamps(*(_plain_value(r[k]) for k in ("id", "created", "updated")))
         for r in stamp_rows],
        None if info_props is None else info_props.get("metadata"),
        problems,
    )  # fmt: skip
    return StoredState(
        records, digest.hexdigest(), None, DataError(problems), stamps, change, as_stored
    )


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
    return store.read_transaction(lambda tx: read_state(store, tx))


def rule_problems(store: Store) -> list[Problem]:
    """What Neo4j holds that breaks ccm-graph's rules, each located by record id and column:
    values a seed file could not hold, coalition stamps that are not UTC times, and, when
    every value passes, records that contradict each other (an unknown id, a repeated one).

    ``query --write`` asks after committing: such data cannot be read back (``--from
    neo4j``, ``export``), and a load that merges into it is refused; ``load --wipe`` still
    replaces it, after a snapshot of it as stored.
    """
    state = read_stored(store)
    if state.problem is not None:
        return list(state.problem.problems)
    assert state.dataset is not None
    return [Problem("neo4j", None, f"{p.file}: {p.message}") for p in check_dataset(state.dataset)]
