"""The coalition workflow in Neo4j: propose a coalition, add and remove members, set status.

Every change is one write transaction that checks its input first — the focus is a State,
the actor and coalition exist, the role and status are known — and writes nothing when a
check fails. Changes stamp the coalition's ``created`` and ``updated`` (UTC, ISO 8601), which
live in Neo4j only; ``ccm-graph export`` writes the coalitions and their members back to
``coalitions.csv`` and ``relations.csv``. Members are ``MEMBER_OF`` relationships shaped
exactly like loaded ones (same properties, same ``rel_key``), so a coalition made here
exports and re-loads without duplicates. Concurrent edits of one coalition are serialised by
Neo4j's lock on the coalition node; deadlocks are retried by the driver.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import neo4j

from .errors import DataError, Problem, UnknownRecord
from .schema import COALITION_STATUSES, MEMBER_ROLES, Relation
from .store import Store, relation_properties

__all__ = [
    "CoalitionChange",
    "add_member",
    "coalition_details",
    "list_coalitions",
    "propose_coalition",
    "remove_member",
    "set_status",
]


@dataclass(frozen=True)
class CoalitionChange:
    """What a workflow command did, in words, and the coalition it did it to."""

    coalition: str
    message: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataError([Problem(option, None, f"{value!r} is not one of: "
                                               f"{', '.join(choices)}{hint}")])  # fmt: skip


def _fetch_actor(tx: neo4j.ManagedTransaction, actor: str) -> dict[str, Any]:
    record = tx.run(
        "MATCH (a:Actor {id: $id}) RETURN a.id AS id, a.name AS name, a.kind AS kind", id=actor
    ).single()
    if record is None:
        ids = [r["id"] for r in tx.run("MATCH (a:Actor) RETURN a.id AS id")]
        raise UnknownRecord(actor, "actor", difflib.get_close_matches(actor, ids, n=3))
    return dict(record)


def _fetch_coalition(tx: neo4j.ManagedTransaction, coalition: str) -> dict[str, Any]:
    record = tx.run(
        "MATCH (c:Coalition {id: $id}) RETURN properties(c) AS props", id=coalition
    ).single()
    if record is None:
        ids = [r["id"] for r in tx.run("MATCH (c:Coalition) RETURN c.id AS id")]
        raise UnknownRecord(coalition, "coalition", difflib.get_close_matches(coalition, ids, n=3))
    return dict(record["props"])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def propose_coalition(
    store: Store, *, focus: str, name: str, lead: str | None = None,
    coalition_id: str | None = None, source: str | None = None, notes: str | None = None,
) -> CoalitionChange:  # fmt: skip
    """Create a ``proposed`` coalition focused on a State, optionally with its lead.

    The id defaults to ``coal-<focus>`` (``-2``, ``-3`` … when taken). The affected State joins
    as ``affected_state``.

    :raises UnknownRecord: the focus or lead is not an actor.
    :raises DataError: the focus is not a State, the name is blank or the id is taken.
    """
    if not name.strip():
        raise DataError([Problem("--name", None, "a coalition needs a name")])
    stamp = _now()
    cite = source or f"proposed with ccm-graph on {stamp[:10]}"

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        state = _fetch_actor(tx, focus)
        if state["kind"] != "state":
            kind = state["kind"]
            article = "an" if kind[0] in "aeiou" else "a"
            raise DataError(
                [Problem("--focus", None, f"{focus!r} is {article} {kind}, not a State")]
            )
        leader = _fetch_actor(tx, lead) if lead else None
        taken = {r["id"] for r in tx.run(
            "MATCH (n) WHERE (n:Actor OR n:Coalition OR n:Obligation OR n:Activity) "
            "AND n.id STARTS WITH $prefix RETURN n.id AS id",
            prefix=coalition_id or f"coal-{_slug(focus)}")}  # fmt: skip
        if coalition_id is not None:
            if coalition_id in taken:
                raise DataError([Problem("--id", None, f"{coalition_id!r} is already used")])
            new_id = coalition_id
        else:
            base, n = f"coal-{_slug(focus)}", 2
            new_id = base
            while new_id in taken:
                new_id, n = f"{base}-{n}", n + 1
        props = {
            "id": new_id,
            "name": name,
            "focus": focus,
            "status": "proposed",
            "sensitivity": "public",
            "source": cite,
            "created": stamp,
            "updated": stamp,
        }
        if notes:
            props["notes"] = notes
        tx.run(
            "MATCH (s:Actor {id: $focus}) CREATE (c:Coalition) SET c = $props "
            "CREATE (c)-[:FOCUSES_ON]->(s)",
            focus=focus, props=props,
        ).consume()  # fmt: skip
        _merge_member(tx, new_id, focus, "affected_state", None, cite, stamp)
        message = f"Proposed {new_id}: {name} (focus {state['name']})"
        if leader:
            _merge_member(tx, new_id, leader["id"], "lead", None, cite, stamp)
            message += f", lead {leader['name']}"
        return CoalitionChange(new_id, message + ".")

    return store.write_transaction(work)


def _merge_member(tx: neo4j.ManagedTransaction, coalition: str, actor: str, role: str,
                  since: str | None, source: str, stamp: str) -> bool:  # fmt: skip
    """MERGE one MEMBER_OF shaped like a loaded row; True when it was not there before."""
    relation = Relation(actor, "MEMBER_OF", coalition, role, since=since, source=source)
    props = relation_properties(relation)
    record = tx.run(
        "MATCH (a:Actor {id: $actor}), (c:Coalition {id: $coalition}) "
        "SET c.updated = $stamp "
        "WITH a, c "
        "OPTIONAL MATCH (a)-[old:MEMBER_OF {rel_key: $key}]->(c) "
        "WITH a, c, old IS NOT NULL AS existed "
        "MERGE (a)-[r:MEMBER_OF {rel_key: $key}]->(c) "
        "ON CREATE SET r = $props "
        "RETURN existed",
        actor=actor, coalition=coalition, stamp=stamp, key=props["rel_key"], props=props,
    ).single()  # fmt: skip
    return record is not None and not record["existed"]


def add_member(
    store: Store, coalition: str, actor: str, role: str, *, since: str | None = None,
    source: str | None = None,
) -> CoalitionChange:  # fmt: skip
    """Add an actor to a coalition in a role (adding the same membership again changes nothing).

    :raises DataError: an unknown role.
    :raises UnknownRecord: no such coalition or actor.
    """
    _check_choice("--role", role, MEMBER_ROLES)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        details = _fetch_coalition(tx, coalition)
        member = _fetch_actor(tx, actor)
        cite = source or f"added with ccm-graph on {stamp[:10]}"
        added = _merge_member(tx, coalition, actor, role, since, cite, stamp)
        verb = "Added" if added else "Already there:"
        return CoalitionChange(coalition, f"{verb} {member['name']} as {role} of "
                                          f"{details.get('name', coalition)}.")  # fmt: skip

    return store.write_transaction(work)


def remove_member(
    store: Store, coalition: str, actor: str, *, role: str | None = None
) -> CoalitionChange:
    """Remove an actor's membership (in one role, or all its roles) from a coalition.

    :raises DataError: the actor is not a member (in that role).
    :raises UnknownRecord: no such coalition or actor.
    """
    if role is not None:
        _check_choice("--role", role, MEMBER_ROLES)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        details = _fetch_coalition(tx, coalition)
        member = _fetch_actor(tx, actor)
        removed = tx.run(
            "MATCH (a:Actor {id: $actor})-[r:MEMBER_OF]->(c:Coalition {id: $coalition}) "
            "WHERE $role IS NULL OR r.role = $role "
            "DELETE r RETURN count(*) AS n",
            actor=actor, coalition=coalition, role=role,
        ).single()["n"]  # fmt: skip
        if removed == 0:
            what = f" as {role}" if role else ""
            raise DataError([Problem(actor, None, f"is not a member of {coalition}{what}")])
        tx.run("MATCH (c:Coalition {id: $id}) SET c.updated = $stamp", id=coalition,
               stamp=stamp).consume()  # fmt: skip
        title = details.get("name", coalition)
        return CoalitionChange(coalition, f"Removed {member['name']} from {title} ({removed}).")

    return store.write_transaction(work)


def set_status(store: Store, coalition: str, status: str) -> CoalitionChange:
    """Move a coalition to a status (proposed, forming, active, concluded).

    Becoming ``active`` for the first time records today as ``established`` if it was blank.
    """
    _check_choice("STATUS", status, COALITION_STATUSES)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        details = _fetch_coalition(tx, coalition)
        tx.run(
            "MATCH (c:Coalition {id: $id}) SET c.status = $status, c.updated = $stamp "
            "WITH c WHERE $status = 'active' AND c.established IS NULL "
            "SET c.established = $today",
            id=coalition, status=status, stamp=stamp, today=stamp[:10],
        ).consume()  # fmt: skip
        before = details.get("status")
        return CoalitionChange(coalition, f"{details.get('name', coalition)}: {before} → {status}.")

    return store.write_transaction(work)


def list_coalitions(store: Store, *, status: str | None = None) -> list[dict[str, Any]]:
    """Every coalition with its focus, status, member count and stamps, by id."""
    if status is not None:
        _check_choice("--status", status, COALITION_STATUSES)
    return store.query(
        "MATCH (c:Coalition) WHERE $status IS NULL OR c.status = $status "
        "OPTIONAL MATCH (c)-[:FOCUSES_ON]->(s) "
        "OPTIONAL MATCH (m)-[:MEMBER_OF]->(c) "
        "RETURN c.id AS id, c.name AS name, s.id AS focus, c.status AS status, "
        "count(DISTINCT m) AS members, c.established AS established, "
        "c.created AS created, c.updated AS updated ORDER BY id",
        {"status": status},
    ).rows


def coalition_details(store: Store, coalition: str) -> dict[str, Any]:
    """One coalition's properties and members (id, name, kind, role, since, until)."""

    def work(tx: neo4j.ManagedTransaction) -> dict[str, Any]:
        props = _fetch_coalition(tx, coalition)
        members = tx.run(
            "MATCH (a:Actor)-[r:MEMBER_OF]->(:Coalition {id: $id}) "
            "RETURN a.id AS actor, a.name AS name, a.kind AS kind, r.role AS role, "
            "r.since AS since, r.until AS until ORDER BY role, actor",
            id=coalition,
        ).data()
        return {"coalition": props, "members": members}

    return store.read_transaction(work)
