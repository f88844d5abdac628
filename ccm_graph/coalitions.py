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
naming ``by`` (default: the OS user) and the before/after values.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import neo4j

from .bookkeeping import LOADED, data_properties
from .errors import CcmGraphError, DataError, Problem
from .history import begin_write, record_change
from .names import NameIndex, alias_names
from .queries import CoalitionQueries
from .schema import MEMBER_ROLES, Coalition, Column, Relation
from .store import Store, relation_properties
from .values import ValueProblem, check_value

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


class DuplicateMembership(CcmGraphError):
    """Raised when an actor is already a member of the coalition in another role and the
    role was not asked to be replaced (nothing is written).

    ``finding`` says who is a member of what, in which role(s); ``role`` is the role asked
    for. The message ends with how to ask for the replacement (``replace_role``); a front end
    words that its own way (:meth:`with_remedy`).
    """

    def __init__(self, finding: str, role: str,
                 remedy: str = "ask with replace_role") -> None:  # fmt: skip
        self.finding = finding
        self.role = role
        super().__init__(f"{finding}; nothing was written ({remedy} to make it {role} instead)")

    def with_remedy(self, remedy: str) -> DuplicateMembership:
        """The same refusal, its remedy worded ``remedy`` (``add --replace-role``)."""
        return DuplicateMembership(self.finding, self.role, remedy)


@dataclass(frozen=True)
class CoalitionChange:
    """What a workflow command did, in words, and the coalition it did it to."""

    coalition: str
    message: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _rule(record: type, name: str) -> Column:
    column: Column = next(f for f in dataclasses.fields(record) if f.name == name).metadata[
        "column"
    ]
    return column


_ID = _rule(Coalition, "id")
_REF = _rule(Relation, "from_id")
_NAME = _rule(Coalition, "name")
_TEXT = _rule(Coalition, "notes")
_SINCE = _rule(Relation, "since")
_ROLE = dataclasses.replace(_rule(Relation, "role"), choices=MEMBER_ROLES)
_STATUS = _rule(Coalition, "status")


def _value(field: str, column: Column, value: Any) -> Any:
    """``value`` through the value rules of ``column``; a refusal is a :class:`DataError`
    whose problem names the field (``role: 'boss' is not one of …``)."""
    try:
        return check_value(column, value)
    except ValueProblem as exc:
        raise DataError([Problem(field, None, str(exc))]) from exc


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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


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
    focus = _value("focus", _REF, focus)
    name = _value("name", _NAME, name)
    if not name:
        raise DataError([Problem("name", None, "a coalition needs a name")])
    lead = _value("lead", _REF, lead)
    if coalition_id is not None and not coalition_id.strip():
        raise DataError([Problem("id", None, "an id cannot be blank")])
    coalition_id = _value("id", _ID, coalition_id)
    notes = _value("notes", _TEXT, notes)
    stamp = _now()
    cite = _value("source", _TEXT, source) or f"proposed with ccm-graph on {stamp[:10]}"

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        state = _focus_state(store, tx, focus, include_restricted)
        state_id = state["id"]
        _refuse_unaffected(store, tx, state, any_state=any_state)
        leader = _fetch_actor(store, tx, lead, include_restricted) if lead else None
        new_id = _free_coalition_id(store, tx, state_id, coalition_id)
        props = {
            "id": new_id,
            "name": name,
            "focus": state_id,
            "status": "proposed",
            "sensitivity": "public",
            "source": cite,
            "created": stamp,
            "updated": stamp,
        }
        if notes:
            props["notes"] = notes
        store.run_in(tx, CoalitionQueries.create, focus=state_id, props=props)
        members = [(state_id, "affected_state")]
        message = f"Proposed {new_id}: {name} (focus {state['name']})"
        if leader:
            members.append((leader["id"], "lead"))
            message += f", lead {leader['name']}"
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
        return CoalitionChange(new_id, message + ".")

    return store.write_transaction(work)


def _focus_state(store: Store, tx: neo4j.ManagedTransaction, focus: str,
                 include_restricted: bool = False) -> dict[str, Any]:  # fmt: skip
    """The State a coalition would focus on; :class:`DataError` when ``focus`` is another
    kind of actor."""
    state = _fetch_actor(store, tx, focus, include_restricted)
    if state["kind"] != "state":
        kind = state["kind"]
        article = "an" if kind[0] in "aeiou" else "a"
        raise DataError([Problem("focus", None, f"{focus!r} is {article} {kind}, not a State")])
    return state


def _free_coalition_id(store: Store, tx: neo4j.ManagedTransaction, state_id: str,
                       chosen: str | None) -> str:  # fmt: skip
    """``chosen`` if it is free (:class:`DataError` if taken), else the first free one of
    ``coal-<state>``, ``coal-<state>-2``, ``coal-<state>-3`` …"""
    prefix = chosen or f"coal-{_slug(state_id)}"
    taken = {r["id"] for r in store.run_in(tx, CoalitionQueries.ids_with_prefix,
                                           prefix=prefix)}  # fmt: skip
    if chosen is not None:
        if chosen in taken:
            raise DataError([Problem("id", None, f"{chosen!r} is already used")])
        return chosen
    base, n = f"coal-{_slug(state_id)}", 2
    new_id = base
    while new_id in taken:
        new_id, n = f"{base}-{n}", n + 1
    return new_id


def _refuse_unaffected(store: Store, tx: neo4j.ManagedTransaction, state: dict[str, Any],
                       *, any_state: bool = False) -> None:  # fmt: skip
    """Refuse a focus State that withdrew from the Convention (always: a CCM coalition is
    never pitched to it) or, unless ``any_state``, one with no Article 3 or 4 obligation (see
    :func:`propose_coalition`)."""
    [row] = store.run_in(tx, CoalitionQueries.time_bound, id=state["id"])
    status = row["ccm_status"]
    if status == "withdrawn":
        raise DataError([Problem("focus", None, (
            f"{state['name']} ({state['id']}) has withdrawn from the Convention: a Country "
            "Coalition supports a State Party's obligations and is never proposed for a State "
            "that has left it"
        ))])  # fmt: skip
    if any_state or row["obligations"]:
        return
    party = (
        "" if status == "state_party" else f" and is not a State Party ({status or 'no status'})"
    )
    raise DataError([Problem("focus", None, (
        f"{state['name']} ({state['id']}) has no Article 3 or 4 obligation in the data{party}: "
        "a Country Coalition serves an affected State Party; ask with any_state to propose "
        "it anyway"
    ))])  # fmt: skip


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
    coalition = _value("coalition", _REF, coalition)
    actor = _value("actor", _REF, actor)
    role = _value("role", _ROLE, role)
    since = _value("since", _SINCE, since)
    source = _value("source", _TEXT, source)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        details = _fetch_coalition(store, tx, coalition, include_restricted)
        member = _fetch_actor(store, tx, actor, include_restricted)
        coalition_id, actor_id = details["id"], member["id"]
        title = details.get("name", coalition_id)
        rows = store.run_in(tx, CoalitionQueries.memberships, actor=actor_id,
                            coalition=coalition_id, role=None)  # fmt: skip
        current = [row["props"] for row in rows if not row["props"].get("until")]
        if any(props.get("role") == role for props in current):
            return CoalitionChange(
                coalition_id, f"Already there: {member['name']} as {role} of {title}."
            )
        key = f"{actor_id} MEMBER_OF {coalition_id}"
        others = sorted({str(props.get("role")) for props in current})
        if others and not replace_role:
            raise DuplicateMembership(
                f"{member['name']} ({actor_id}) is already a member of {coalition_id} as "
                f"{', '.join(others)}",
                role,
            )
        for old in others:
            store.run_in(tx, CoalitionQueries.remove_member, actor=actor_id,
                         coalition=coalition_id, role=old)  # fmt: skip
        cite = source or f"added with ccm-graph on {stamp[:10]}"
        _merge_member(store, tx, coalition_id, actor_id, role, since, cite, stamp)
        after = {"role": role, "since": since, "source": cite}
        if others:
            record_change(store, tx, command="coalition add-member --replace-role", by=by,
                          counts={"relation": {"changed": 1}},
                          details=[{"kind": "relation", "key": key, "action": "change",
                                    "before": [_data(p) for p in current],
                                    "after": after}])  # fmt: skip
            return CoalitionChange(coalition_id, f"Changed {member['name']}'s role in {title}: "
                                                 f"{', '.join(others)} → {role}.")  # fmt: skip
        record_change(store, tx, command="coalition add-member", by=by,
                      counts={"relation": {"added": 1}},
                      details=[{"kind": "relation", "key": key, "action": "add",
                                "after": after}])  # fmt: skip
        return CoalitionChange(coalition_id, f"Added {member['name']} as {role} of {title}.")

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
    coalition = _value("coalition", _REF, coalition)
    actor = _value("actor", _REF, actor)
    role = _value("role", _ROLE, role)
    stamp = _now()

    def work(tx: neo4j.ManagedTransaction) -> CoalitionChange:
        begin_write(store, tx)  # writes take turns: a load or edit under way finishes first
        details = _fetch_coalition(store, tx, coalition, include_restricted)
        member = _fetch_actor(store, tx, actor, include_restricted)
        coalition_id, actor_id = details["id"], member["id"]
        before = store.run_in(tx, CoalitionQueries.memberships, actor=actor_id,
                              coalition=coalition_id, role=role)  # fmt: skip
        removed = store.run_in(tx, CoalitionQueries.remove_member, actor=actor_id,
                               coalition=coalition_id, role=role)[0]["n"]  # fmt: skip
        if removed == 0:
            what = f" as {role}" if role else ""
            raise DataError([Problem(actor_id, None, f"is not a member of {coalition_id}{what}")])
        store.run_in(tx, CoalitionQueries.touch, id=coalition_id, stamp=stamp)
        key = f"{actor_id} MEMBER_OF {coalition_id}"
        record_change(store, tx, command="coalition remove-member", by=by,
                      counts={"relation": {"removed": removed}},
                      details=[{"kind": "relation", "key": key, "action": "remove",
                                "before": _data(row["props"])} for row in before])  # fmt: skip
        title = details.get("name", coalition_id)
        return CoalitionChange(coalition_id,
                               f"Removed {member['name']} from {title} ({removed}).")  # fmt: skip

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
    coalition = _value("coalition", _REF, coalition)
    status = _value("status", _STATUS, status)
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
            details["id"], f"{details.get('name', coalition)}: {before} → {status}."
        )

    return store.write_transaction(work)


def list_coalitions(
    store: Store, *, status: str | None = None, include_restricted: bool = False
) -> list[dict[str, Any]]:
    """Every coalition with its focus, status, member count and stamps, by id.

    Restricted coalitions (and those focused on a restricted State), restricted members and
    memberships are left out unless ``include_restricted``.
    """
    status = _value("status", _STATUS, status)
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

    coalition = _value("coalition", _REF, coalition)

    def work(tx: neo4j.ManagedTransaction) -> dict[str, Any]:
        props = _fetch_coalition(store, tx, coalition, include_restricted)
        members = store.run_in(tx, CoalitionQueries.members, id=props["id"],
                               include_restricted=include_restricted)  # fmt: skip
        return {"coalition": props, "members": members}

    return store.read_transaction(work)
