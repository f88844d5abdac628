"""The coalition workflow in Neo4j: propose a coalition, add and remove members, set status.

Every change is one write transaction that checks its input first — each value passes the
same value rules as a seed file's cell (:mod:`ccm_graph.values`), the focus is a State, the
actor and coalition exist — and writes nothing when a check fails. The Cypher lives in
:class:`ccm_graph.queries.CoalitionQueries`. Changes stamp the coalition's ``created`` and
``updated`` (UTC, ISO 8601), which live in Neo4j (and, in exports and snapshots, in
``neo4j-stamps.csv``); ``ccm-graph export`` writes the coalitions and their members back to
``coalitions.csv`` and ``relations.csv``. Members are
``MEMBER_OF`` relationships shaped exactly like loaded ones (same properties, same
``rel_key``), so a coalition made here exports and re-loads without duplicates. Concurrent
writes are serialised: each change first takes the database's write lock
(:func:`~ccm_graph.history.begin_write`), so an edit made during a load, or six proposals at
once, run one after the other, each on what the one before left (six proposals get six ids).
Every change appends a change record (:mod:`ccm_graph.history`) in the same transaction,
naming ``by`` (default: the OS user) and the before/after values. The rules and the words of
each change are :mod:`ccm_graph.coalition_rules`, which the workbench's same workflow on a
seed folder (:mod:`ccm_graph.keeping.coalitions`) follows too.
"""

from __future__ import annotations

from typing import Any

import neo4j

from .bookkeeping import LOADED, data_properties
from .coalition_rules import (
    REF,
    ROLE,
    SINCE,
    STATUS,
    TEXT,
    CoalitionChange,
    DuplicateMembership,
    FocusFacts,
    added_message,
    already_message,
    checked,
    default_source,
    focus_problem,
    free_coalition_id,
    id_prefix,
    not_a_member,
    now_stamp,
    proposal,
    proposed_message,
    removed_message,
    replaced_message,
    status_message,
)
from .errors import DataError
from .history import begin_write, record_change
from .names import NameIndex, alias_names
from .queries import CoalitionQueries
from .schema import Relation
from .store import Store, relation_properties

__all__ = [
    "CoalitionChange",
    "DuplicateMembership",
    "add_member",
    "coalition_details",
    "list_coalitions",
    "propose_coalition",
    "remove_member",
    "set_status",
]

_value = checked
"""Each argument through its value rule (:func:`ccm_graph.coalition_rules.checked`)."""
_now = now_stamp


def _resolve(store: Store, tx: neo4j.ManagedTransaction, text: str, names_query: str,
             what: str, include_restricted: bool) -> str:  # fmt: skip
    """The id ``text`` names (id, name or alias, ignoring case and accents) among the records
    ``names_query`` lists; :class:`UnknownRecord` or :class:`AmbiguousName` otherwise.

    Restricted records are left out unless ``include_restricted``: neither a name nor an id
    finds them and "did you mean" never names them."""
    rows = store.run_in(tx, names_query, include_restricted=include_restricted)
    index = NameIndex(
        names={r["id"]: r["name"] or r["id"] for r in rows},
        aliases={r["id"]: alias_names(r["aliases"]) for r in rows},
        kinds={r["id"]: r["kind"] for r in rows},
    )
    return index.resolve(text, what=what)


def _fetch_actor(store: Store, tx: neo4j.ManagedTransaction, actor: str,
                 include_restricted: bool = False) -> dict[str, Any]:  # fmt: skip
    """The actor ``actor`` names (id, name or alias); a restricted one only with
    ``include_restricted``, else it is an unknown id (:class:`UnknownRecord`)."""
    visible = {"include_restricted": include_restricted}
    rows = store.run_in(tx, CoalitionQueries.actor, id=actor, **visible)
    if not rows:
        ident = _resolve(store, tx, actor, CoalitionQueries.actor_names, "actor",
                         include_restricted)  # fmt: skip
        rows = store.run_in(tx, CoalitionQueries.actor, id=ident, **visible)
    return rows[0]


def _fetch_coalition(store: Store, tx: neo4j.ManagedTransaction, coalition: str,
                     include_restricted: bool = False) -> dict[str, Any]:  # fmt: skip
    """The coalition ``coalition`` names; a restricted one (or one focused on a restricted
    State) only with ``include_restricted``, else it is an unknown id."""
    visible = {"include_restricted": include_restricted}
    rows = store.run_in(tx, CoalitionQueries.coalition, id=coalition, **visible)
    if not rows:
        ident = _resolve(store, tx, coalition, CoalitionQueries.coalition_names, "coalition",
                         include_restricted)  # fmt: skip
        rows = store.run_in(tx, CoalitionQueries.coalition, id=ident, **visible)
    return {k: v for k, v in rows[0]["props"].items() if k != LOADED}


def _data(props: dict[str, Any]) -> dict[str, Any]:
    return data_properties(props)


def propose_coalition(
    store: Store, *, focus: str, name: str, lead: str | None = None,
    coalition_id: str | None = None, source: str | None = None, notes: str | None = None,
    by: str | None = None, any_state: bool = False, include_restricted: bool = False,
) -> CoalitionChange:  # fmt: skip
    """Create a ``proposed`` coalition focused on a State, optionally with its lead.

    A Country Coalition serves an affected State: one with an Article 3 or 4 obligation in the
    data. A State without one (a donor, a State not party) is refused, unless ``any_state``
    (a coalition prepared ahead of a ratification, say): a typo'd or mistaken focus is far
    more likely than the exception, and a coordinator would rather be asked. A State that
    withdrew from the Convention is refused always: it is never pitched a CCM coalition.

    The id defaults to ``coal-<focus>`` (``-2``, ``-3`` … when taken). The affected State joins
    as ``affected_state``.

    ``focus``, ``lead`` (and every actor or coalition argument of this module) may be an id, a
    name or an alias, ignoring case and accents: ``focus="Tchad"`` finds Chad.

    :raises UnknownRecord: the focus or lead is not an actor (or, unless
        ``include_restricted``, a restricted one: answered as an unknown id).
    :raises DataError: the focus is not a State, withdrew from the Convention (refused even
        with ``any_state``), or, unless ``any_state``, has no Article 3 or 4 obligation; the
        name is blank or the id is taken; each problem names the field (``focus``, ``name``,
        ``lead``, ``id``, ``source``, ``notes``).
    """
    stamp = _now()
    asked = proposal(focus=focus, name=name, lead=lead, coalition_id=coalition_id,
                     source=source, notes=notes, stamp=stamp)  # fmt: skip
    cite = asked.source

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        state = _focus_state(store, tx, asked.focus, include_restricted, any_state=any_state)
        state_id = state["id"]
        leader = _fetch_actor(store, tx, asked.lead, include_restricted) if asked.lead else None
        new_id = _free_coalition_id(store, tx, state_id, asked.coalition_id)
        props = {
            "id": new_id,
            "name": asked.name,
            "focus": state_id,
            "status": "proposed",
            "sensitivity": "public",
            "source": cite,
            "created": stamp,
            "updated": stamp,
        }
        if asked.notes:
            props["notes"] = asked.notes
        store.run_in(tx, CoalitionQueries.create, focus=state_id, props=props)
        members = [(state_id, "affected_state")]
        if leader:
            members.append((leader["id"], "lead"))
        for actor_id, role in members:
            _merge_member(store, tx, new_id, actor_id, role, None, cite, stamp)
        details = [{"kind": "coalition", "key": new_id, "action": "add", "after": props}]
        details += [
            {"kind": "relation", "key": f"{actor_id} MEMBER_OF {new_id}", "action": "add",
             "after": {"role": role, "source": cite}}
            for actor_id, role in members
        ]  # fmt: skip
        record_change(store, tx, command="coalition propose", by=by, details=details,
                      counts={"coalition": {"added": 1},
                              "relation": {"added": len(members)}})  # fmt: skip
        return CoalitionChange(new_id, proposed_message(
            new_id, asked.name, state["name"], leader["name"] if leader else None))  # fmt: skip

    return store.write_transaction(work)


def _focus_state(store: Store, tx: neo4j.ManagedTransaction, focus: str,
                 include_restricted: bool = False, *, any_state: bool = False,
                 ) -> dict[str, Any]:  # fmt: skip
    """The State a coalition would focus on; :class:`DataError` when ``focus`` is another
    kind of actor, withdrew from the Convention or (unless ``any_state``) has no Article 3 or
    4 obligation (:func:`~ccm_graph.coalition_rules.focus_problem`)."""
    state = _fetch_actor(store, tx, focus, include_restricted)
    [row] = store.run_in(tx, CoalitionQueries.time_bound, id=state["id"])
    facts = FocusFacts(state["id"], state["name"], state["kind"], row["ccm_status"],
                       row["obligations"])  # fmt: skip
    problem = focus_problem(focus, facts, any_state=any_state)
    if problem is not None:
        raise DataError([problem])
    return state


def _free_coalition_id(store: Store, tx: neo4j.ManagedTransaction, state_id: str,
                       chosen: str | None) -> str:  # fmt: skip
    """``chosen`` if it is free (:class:`DataError` if taken), else the first free one of
    ``coal-<state>``, ``coal-<state>-2``, ``coal-<state>-3`` …"""
    taken = {r["id"] for r in store.run_in(tx, CoalitionQueries.ids_with_prefix,
                                           prefix=id_prefix(state_id, chosen))}  # fmt: skip
    return free_coalition_id(state_id, chosen, taken)


def _merge_member(store: Store, tx: neo4j.ManagedTransaction, coalition: str, actor: str,
                  role: str, since: str | None, source: str, stamp: str) -> bool:  # fmt: skip
    """MERGE one MEMBER_OF shaped like a loaded row; True when it was not there before."""
    relation = Relation(actor, "MEMBER_OF", coalition, role, since=since, source=source)
    props = relation_properties(relation)
    rows = store.run_in(tx, CoalitionQueries.merge_member, actor=actor, coalition=coalition,
                        stamp=stamp, key=props["rel_key"], props=props)  # fmt: skip
    return bool(rows) and not rows[0]["existed"]


def add_member(
    store: Store, coalition: str, actor: str, role: str, *, since: str | None = None,
    source: str | None = None, by: str | None = None, replace_role: bool = False,
    include_restricted: bool = False,
) -> CoalitionChange:  # fmt: skip
    """Add an actor to a coalition in a role.

    An actor is a member once: adding it again in the role it holds changes nothing; in
    another role it is refused, unless ``replace_role``, which replaces its current role(s)
    with ``role`` (one change record: before and after).

    :raises DataError: an unknown role.
    :raises DuplicateMembership: the actor is already a member in another role (and not
        ``replace_role``).
    :raises UnknownRecord: no such coalition or actor (or, unless ``include_restricted``, a
        restricted one: answered as an unknown id).
    """
    coalition = _value("coalition", REF, coalition)
    actor = _value("actor", REF, actor)
    role = _value("role", ROLE, role)
    since = _value("since", SINCE, since)
    source = _value("source", TEXT, source)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        details = _fetch_coalition(store, tx, coalition, include_restricted)
        member = _fetch_actor(store, tx, actor, include_restricted)
        coalition_id, actor_id = details["id"], member["id"]
        title = details.get("name", coalition_id)
        # every membership, restricted ones too: an actor is a member once (see the docs)
        rows = store.run_in(tx, CoalitionQueries.memberships, actor=actor_id,
                            coalition=coalition_id, role=None,
                            include_restricted=True)  # fmt: skip
        current = [row["props"] for row in rows if not row["props"].get("until")]
        if any(props.get("role") == role for props in current):
            return CoalitionChange(coalition_id, already_message(member["name"], role, title),
                                   changed=False)  # fmt: skip
        key = f"{actor_id} MEMBER_OF {coalition_id}"
        others = sorted({str(props.get("role")) for props in current})
        if others and not replace_role:
            raise DuplicateMembership.of(member["name"], actor_id, coalition_id, others, role)
        for old in others:
            store.run_in(tx, CoalitionQueries.remove_member, actor=actor_id,
                         coalition=coalition_id, role=old, include_restricted=True)  # fmt: skip
        cite = source or default_source("added", stamp)
        _merge_member(store, tx, coalition_id, actor_id, role, since, cite, stamp)
        after = {"role": role, "since": since, "source": cite}
        if others:
            record_change(store, tx, command="coalition add-member --replace-role", by=by,
                          counts={"relation": {"changed": 1}},
                          details=[{"kind": "relation", "key": key, "action": "change",
                                    "before": [_data(p) for p in current],
                                    "after": after}])  # fmt: skip
            return CoalitionChange(
                coalition_id, replaced_message(member["name"], title, others, role)
            )
        record_change(store, tx, command="coalition add-member", by=by,
                      counts={"relation": {"added": 1}},
                      details=[{"kind": "relation", "key": key, "action": "add",
                                "after": after}])  # fmt: skip
        return CoalitionChange(coalition_id, added_message(member["name"], role, title))

    return store.write_transaction(work)


def remove_member(
    store: Store,
    coalition: str,
    actor: str,
    *,
    role: str | None = None,
    by: str | None = None,
    include_restricted: bool = False,
) -> CoalitionChange:
    """Remove an actor's membership (in one role, or all its roles) from a coalition.

    :raises DataError: the actor is not a member (in that role).
    :raises UnknownRecord: no such coalition or actor (or, unless ``include_restricted``, a
        restricted one: answered as an unknown id).
    """
    coalition = _value("coalition", REF, coalition)
    actor = _value("actor", REF, actor)
    role = _value("role", ROLE, role)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        details = _fetch_coalition(store, tx, coalition, include_restricted)
        member = _fetch_actor(store, tx, actor, include_restricted)
        coalition_id, actor_id = details["id"], member["id"]
        visible = {"include_restricted": include_restricted}  # a hidden membership stays
        before = store.run_in(tx, CoalitionQueries.memberships, actor=actor_id,
                              coalition=coalition_id, role=role, **visible)  # fmt: skip
        removed = store.run_in(tx, CoalitionQueries.remove_member, actor=actor_id,
                               coalition=coalition_id, role=role, **visible)[0]["n"]  # fmt: skip
        if removed == 0:
            raise not_a_member(actor_id, coalition_id, role)
        store.run_in(tx, CoalitionQueries.touch, id=coalition_id, stamp=stamp)
        key = f"{actor_id} MEMBER_OF {coalition_id}"
        record_change(store, tx, command="coalition remove-member", by=by,
                      counts={"relation": {"removed": removed}},
                      details=[{"kind": "relation", "key": key, "action": "remove",
                                "before": _data(row["props"])} for row in before])  # fmt: skip
        title = details.get("name", coalition_id)
        return CoalitionChange(coalition_id, removed_message(member["name"], title, removed))

    return store.write_transaction(work)


def set_status(
    store: Store, coalition: str, status: str, *, by: str | None = None,
    include_restricted: bool = False,
) -> CoalitionChange:  # fmt: skip
    """Move a coalition to a status (proposed, forming, active, concluded).

    Becoming ``active`` for the first time records today as ``established`` if it was blank.

    :raises UnknownRecord: no such coalition (or, unless ``include_restricted``, a restricted
        one: answered as an unknown id).
    """
    coalition = _value("coalition", REF, coalition)
    status = _value("status", STATUS, status)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        details = _fetch_coalition(store, tx, coalition, include_restricted)
        store.run_in(tx, CoalitionQueries.set_status, id=details["id"], status=status,
                     stamp=stamp, today=stamp[:10])  # fmt: skip
        after = _fetch_coalition(store, tx, details["id"], include_restricted)
        fields = ("status", "established")
        changed = any(after.get(k) != details.get(k) for k in fields)
        record_change(store, tx, command="coalition set-status", by=by,
                      counts={"coalition": {"changed": int(changed)}},
                      details=[{"kind": "coalition", "key": details["id"], "action": "change",
                                "before": {k: details.get(k) for k in fields},
                                "after": {k: after.get(k) for k in fields}}])  # fmt: skip
        before = details.get("status")
        return CoalitionChange(
            details["id"], status_message(details.get("name", coalition), before, status)
        )

    return store.write_transaction(work)


def list_coalitions(
    store: Store, *, status: str | None = None, include_restricted: bool = False
) -> list[dict[str, Any]]:
    """Every coalition with its focus, status, member count and stamps, by id.

    Restricted coalitions (and those focused on a restricted State), restricted members and
    memberships are left out unless ``include_restricted``.
    """
    status = _value("status", STATUS, status)
    params = {"status": status, "include_restricted": include_restricted}
    return store.query(CoalitionQueries.list_all, params).rows


def coalition_details(
    store: Store, coalition: str, *, include_restricted: bool = False
) -> dict[str, Any]:
    """One coalition's properties and members (id, name, kind, role, since, until).

    :raises UnknownRecord: no such coalition, or (unless ``include_restricted``) a restricted
        one, answered exactly as an unknown id; restricted members and memberships are not
        shown either.
    """

    coalition = _value("coalition", REF, coalition)

    def work(tx: neo4j.ManagedTransaction) -> dict[str, Any]:
        props = _fetch_coalition(store, tx, coalition, include_restricted)
        members = store.run_in(tx, CoalitionQueries.members, id=props["id"],
                               include_restricted=include_restricted)  # fmt: skip
        return {"coalition": props, "members": members}

    return store.read_transaction(work)
