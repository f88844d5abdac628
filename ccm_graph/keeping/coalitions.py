"""The coalition workflow over a :class:`~ccm_graph.dataset.Dataset`: propose a coalition, add
and remove members, set its status — the same rules and the same words as ``ccm-graph
coalition`` on Neo4j (:mod:`ccm_graph.coalition_rules`, shared with :mod:`ccm_graph.coalitions`).

The four functions are pure: each takes a dataset (every record, restricted ones included:
what a write starts from) and gives a new one with the change, and what it did
(:class:`~ccm_graph.coalition_rules.CoalitionChange`); the dataset given is never changed, and
a refusal raises before anything is made. Names and aliases are resolved as the command line
resolves them (:class:`~ccm_graph.names.NameIndex`); a restricted record (or a coalition
focused on a restricted State) is answered exactly as an unknown id unless
``include_restricted``.

:func:`change_coalition` is what the workbench calls: on Neo4j the command line's own function
(so the change record is the command's, ``coalition propose``), on a seed folder
:func:`~ccm_graph.keeping.saving.save_dataset` with the pure function (a snapshot first, the
files together, a history line ``coalition propose coal-lao``).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..coalition_rules import (
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
    not_a_member,
    now_stamp,
    proposal,
    proposed_message,
    removed_message,
    replaced_message,
    status_message,
)
from ..dataset import Dataset
from ..errors import ConcurrentChange, DataError
from ..names import NameIndex, alias_names
from ..schema import Actor, Coalition, Relation
from ..source import DataSource
from .saving import change_history, full_dataset, save_dataset

__all__ = [
    "CHANGES",
    "add_member",
    "change_coalition",
    "coalition_history",
    "focus_facts",
    "history_line",
    "propose",
    "remove_member",
    "set_status",
]

MEMBER_OF = "MEMBER_OF"


def _visible_actors(dataset: Dataset, include_restricted: bool) -> dict[str, Actor]:
    return {a.id: a for a in dataset.actors
            if include_restricted or a.sensitivity != "restricted"}  # fmt: skip


def _visible_coalitions(dataset: Dataset, include_restricted: bool) -> dict[str, Coalition]:
    """The coalitions a reader may name: not restricted, nor focused on a restricted State
    (unless ``include_restricted``)."""
    if include_restricted:
        return {c.id: c for c in dataset.coalitions}
    hidden = {a.id for a in dataset.actors if a.sensitivity == "restricted"}
    return {c.id: c for c in dataset.coalitions
            if c.sensitivity != "restricted" and c.focus not in hidden}  # fmt: skip


def _actor(dataset: Dataset, text: str, include_restricted: bool) -> Actor:
    """The actor ``text`` names (id, name or alias, ignoring case and accents);
    :class:`~ccm_graph.errors.UnknownRecord` or :class:`~ccm_graph.names.AmbiguousName`."""
    actors = _visible_actors(dataset, include_restricted)
    index = NameIndex(names={i: a.name or i for i, a in actors.items()},
                      aliases={i: alias_names(a.aliases) for i, a in actors.items()},
                      kinds={i: a.kind for i, a in actors.items()})  # fmt: skip
    return actors[index.resolve(text, what="actor")]


def _coalition(dataset: Dataset, text: str, include_restricted: bool) -> Coalition:
    """The coalition ``text`` names (id or name); as :func:`_actor`."""
    coalitions = _visible_coalitions(dataset, include_restricted)
    index = NameIndex(names={i: c.name or i for i, c in coalitions.items()},
                      kinds=dict.fromkeys(coalitions, "coalition"))  # fmt: skip
    return coalitions[index.resolve(text, what="coalition")]


def focus_facts(dataset: Dataset, actor: Actor) -> FocusFacts:
    """What decides whether ``actor`` may be a coalition's focus, read from ``dataset``."""
    time_bound = sum(1 for o in dataset.obligations if o.state == actor.id and o.article in (3, 4))
    return FocusFacts(actor.id, actor.name, actor.kind, actor.ccm_status, time_bound)


def _ids(dataset: Dataset) -> set[str]:
    """Every record's id (one namespace across all kinds), restricted ones included."""
    return {record.id for _, record in dataset.nodes()}


def _member(coalition: str, actor: str, role: str, since: str | None, source: str) -> Relation:
    return Relation(actor, MEMBER_OF, coalition, role, since=since, source=source)


def _with_relation(relations: list[Relation], relation: Relation) -> list[Relation]:
    """``relations`` and ``relation``, once (a row with the same key is the same fact)."""
    if any(r.key == relation.key for r in relations):
        return relations
    return [*relations, relation]


def propose(
    dataset: Dataset, *, focus: str, name: str, lead: str | None = None,
    coalition_id: str | None = None, source: str | None = None, notes: str | None = None,
    any_state: bool = False, include_restricted: bool = False,
) -> tuple[Dataset, CoalitionChange]:  # fmt: skip
    """``dataset`` with a ``proposed`` coalition focused on a State (joined as
    ``affected_state``), and its lead (as ``lead``) when given; as
    :func:`ccm_graph.coalitions.propose_coalition`.

    :raises UnknownRecord: the focus or lead is not an actor (a restricted one unless
        ``include_restricted``).
    :raises DataError: a value breaks its rule; the focus is not a State, withdrew from the
        Convention, or (unless ``any_state``) has no Article 3 or 4 obligation; the id is
        taken. Each problem names its field.
    """
    stamp = now_stamp()
    asked = proposal(focus=focus, name=name, lead=lead, coalition_id=coalition_id,
                     source=source, notes=notes, stamp=stamp)  # fmt: skip
    state = _actor(dataset, asked.focus, include_restricted)
    problem = focus_problem(asked.focus, focus_facts(dataset, state), any_state=any_state)
    if problem is not None:
        raise DataError([problem])
    leader = _actor(dataset, asked.lead, include_restricted) if asked.lead else None
    new_id = free_coalition_id(state.id, asked.coalition_id, _ids(dataset))
    coalition = Coalition(new_id, asked.name, state.id, "proposed", sensitivity="public",
                          source=asked.source, notes=asked.notes or None)  # fmt: skip
    relations = _with_relation(
        dataset.relations, _member(new_id, state.id, "affected_state", None, asked.source)
    )
    if leader is not None:
        relations = _with_relation(
            relations, _member(new_id, leader.id, "lead", None, asked.source)
        )
    new = dataclasses.replace(dataset, coalitions=[*dataset.coalitions, coalition],
                              relations=relations)  # fmt: skip
    message = proposed_message(new_id, asked.name, state.name, leader.name if leader else None)
    return new, CoalitionChange(new_id, message)


def _memberships(dataset: Dataset, actor: str, coalition: str) -> list[Relation]:
    return [r for r in dataset.relations
            if r.type == MEMBER_OF and r.from_id == actor and r.to_id == coalition]  # fmt: skip


def add_member(
    dataset: Dataset, coalition: str, actor: str, role: str, *, since: str | None = None,
    source: str | None = None, replace_role: bool = False, include_restricted: bool = False,
) -> tuple[Dataset, CoalitionChange]:  # fmt: skip
    """``dataset`` with ``actor`` a member of ``coalition`` in ``role``; as
    :func:`ccm_graph.coalitions.add_member`.

    An actor is a member once: adding it again in the role it holds gives ``dataset`` itself
    (``changed`` false); in another role it is refused, unless ``replace_role``, which
    replaces its current role(s) with ``role``.

    :raises DataError: a value breaks its rule (an unknown role, say).
    :raises DuplicateMembership: the actor is a member in another role (and not
        ``replace_role``).
    :raises UnknownRecord: no such coalition or actor (a restricted one unless
        ``include_restricted``).
    """
    coalition = checked("coalition", REF, coalition)
    actor = checked("actor", REF, actor)
    role = checked("role", ROLE, role)
    since = checked("since", SINCE, since)
    source = checked("source", TEXT, source)
    stamp = now_stamp()
    found = _coalition(dataset, coalition, include_restricted)
    member = _actor(dataset, actor, include_restricted)
    title = found.name or found.id
    current = [r for r in _memberships(dataset, member.id, found.id) if not r.until]
    if any(r.role == role for r in current):
        return dataset, CoalitionChange(found.id, already_message(member.name, role, title),
                                        changed=False)  # fmt: skip
    others = sorted({str(r.role) for r in current})
    if others and not replace_role:
        raise DuplicateMembership.of(member.name, member.id, found.id, others, role)
    # as in Neo4j: every membership in a replaced role goes, a past one (with until) too
    kept = [r for r in dataset.relations
            if not (r.type == MEMBER_OF and r.from_id == member.id and r.to_id == found.id
                    and r.role in others)]  # fmt: skip
    cite = source or default_source("added", stamp)
    relations = _with_relation(kept, _member(found.id, member.id, role, since, cite))
    new = dataclasses.replace(dataset, relations=relations)
    if others:
        return new, CoalitionChange(found.id, replaced_message(member.name, title, others, role))
    return new, CoalitionChange(found.id, added_message(member.name, role, title))


def remove_member(
    dataset: Dataset, coalition: str, actor: str, *, role: str | None = None,
    include_restricted: bool = False,
) -> tuple[Dataset, CoalitionChange]:  # fmt: skip
    """``dataset`` without ``actor``'s membership of ``coalition`` (in ``role``, or in every
    role); as :func:`ccm_graph.coalitions.remove_member`.

    :raises DataError: a value breaks its rule, or the actor is not a member (in that role).
    :raises UnknownRecord: no such coalition or actor (a restricted one unless
        ``include_restricted``).
    """
    coalition = checked("coalition", REF, coalition)
    actor = checked("actor", REF, actor)
    role = checked("role", ROLE, role)
    found = _coalition(dataset, coalition, include_restricted)
    member = _actor(dataset, actor, include_restricted)

    def goes(r: Relation) -> bool:  # a restricted membership stays unless it may be seen
        return (r.type == MEMBER_OF and r.from_id == member.id and r.to_id == found.id
                and (role is None or r.role == role)
                and (include_restricted or r.sensitivity != "restricted"))  # fmt: skip

    kept = [r for r in dataset.relations if not goes(r)]
    removed = len(dataset.relations) - len(kept)
    if removed == 0:
        raise not_a_member(member.id, found.id, role)
    new = dataclasses.replace(dataset, relations=kept)
    return new, CoalitionChange(found.id, removed_message(member.name, found.name or found.id,
                                                          removed))  # fmt: skip


def set_status(
    dataset: Dataset, coalition: str, status: str, *, include_restricted: bool = False
) -> tuple[Dataset, CoalitionChange]:
    """``dataset`` with ``coalition`` moved to ``status`` (proposed, forming, active,
    concluded); becoming ``active`` with no ``established`` date records today. As
    :func:`ccm_graph.coalitions.set_status`.

    :raises DataError: an unknown status.
    :raises UnknownRecord: no such coalition (a restricted one unless ``include_restricted``).
    """
    coalition = checked("coalition", REF, coalition)
    status = checked("status", STATUS, status)
    stamp = now_stamp()
    found = _coalition(dataset, coalition, include_restricted)
    established = found.established
    if status == "active" and not established:
        established = stamp[:10]
    moved = dataclasses.replace(found, status=status, established=established)
    coalitions = [moved if c is found else c for c in dataset.coalitions]
    new = dataclasses.replace(dataset, coalitions=coalitions)
    return new, CoalitionChange(found.id, status_message(found.name or found.id, found.status,
                                                         status))  # fmt: skip


CHANGES: dict[str, Callable[..., tuple[Dataset, CoalitionChange]]] = {
    "propose": propose,
    "add-member": add_member,
    "remove-member": remove_member,
    "set-status": set_status,
}
"""The workflow's changes over a dataset, named as the ``ccm-graph coalition`` commands."""


def change_coalition(
    source: DataSource, action: str, /, *, by: str | None = None,
    snapshots_dir: str | os.PathLike[str] | None = None, **args: Any,
) -> CoalitionChange:  # fmt: skip
    """Make one change of the coalition workflow where ``source``'s data live.

    :param action: ``propose``, ``add-member``, ``remove-member`` or ``set-status``.
    :param by: who (an account's name; default: the OS user).
    :param args: the change's arguments, as the functions of :data:`CHANGES` take them
        (``focus``, ``name``, ``lead`` … for a proposal; ``coalition``, ``actor``, ``role``
        … for a member; ``include_restricted`` for a reader who may name restricted records).

    On Neo4j it is the command line's change (:mod:`ccm_graph.coalitions`: the write lock, a
    change record ``coalition propose`` naming ``by``); on a seed folder the files are
    written by :func:`~ccm_graph.keeping.saving.save_dataset` (a snapshot first, all files or
    none, a history line ``coalition propose coal-lao: Proposed coal-lao: …``). Nothing is
    written when the change is refused, nor when there is nothing to change.

    :raises DataError, UnknownRecord, AmbiguousName, DuplicateMembership: refused, as the
        functions of :data:`CHANGES` say; nothing is written.
    :raises ConcurrentChange: the folder changed while the change was being written, so that
        it would now do something else (another proposal took the id); nothing is written.
    :raises OutputError: a workbook source (read only), or the folder cannot be written.
    """
    if action not in CHANGES:
        raise ValueError(f"no coalition change {action!r}; one of {', '.join(CHANGES)}")
    if source.kind == "neo4j":
        return _change_in_neo4j(source, action, by=by, args=args)
    make = CHANGES[action]
    before = full_dataset(source)
    _, planned = make(before, **args)  # refused here, before the folder is locked
    if not planned.changed:
        return planned

    def change(current: Dataset) -> Dataset:
        new, done = make(current, **args)
        if done != planned:
            raise ConcurrentChange(
                "the data changed while this change was being written; nothing was written. "
                "Open the page again and make the change again."
            )
        return new

    line = history_line(action, planned, _named(before, args))
    save_dataset(source, change, expected=None, by=by, snapshots_dir=snapshots_dir,
                 summary=line, note="")  # fmt: skip
    return planned


def _named(dataset: Dataset, args: dict[str, Any]) -> dict[str, Any]:
    """``args`` with the actors named by their ids (a name or an alias resolved)."""
    seen = args.get("include_restricted", False)
    return {k: _actor(dataset, v, seen).id if k in ("focus", "lead", "actor") and v else v
            for k, v in args.items()}  # fmt: skip


def history_line(action: str, change: CoalitionChange, args: dict[str, Any]) -> str:
    """A folder's history line of a change, as the command line would be typed (``args``
    with ids), then what it did: ``coalition add-member coal-lao halo --role operator:
    Added The HALO Trust as operator of Lao PDR Coalition.`` (every record it concerns is
    named by its id, so the line can be found, or left out, by id)."""
    words = ["coalition", action, change.coalition]
    if action in ("add-member", "remove-member"):
        words.append(str(args["actor"]))
    for option in ("focus", "lead", "role"):
        if args.get(option):
            words.append(f"--{option} {args[option]}")
    if action == "set-status":
        words.append(str(args["status"]))
    if args.get("replace_role"):
        words.append("--replace-role")
    return " ".join(words) + f": {change.message}"


def _change_in_neo4j(source: DataSource, action: str, *, by: str | None,
                     args: dict[str, Any]) -> CoalitionChange:  # fmt: skip
    """The command line's change on ``source``'s Neo4j, then a fresh reading."""
    from .. import coalitions

    functions: dict[str, Callable[..., CoalitionChange]] = {
        "propose": coalitions.propose_coalition,
        "add-member": coalitions.add_member,
        "remove-member": coalitions.remove_member,
        "set-status": coalitions.set_status,
    }
    try:
        return functions[action](source.store(), by=by, **args)
    finally:
        source.refresh()


def coalition_history(
    source: DataSource, coalition: str, *, include_restricted: bool = False, limit: int = 500
) -> list[dict[str, Any]]:
    """The changes written that concern ``coalition``, newest first (as
    :func:`~ccm_graph.keeping.saving.change_history` gives them: ``when``, ``by``,
    ``summary``, ``note``, ``snapshot``): Neo4j's change records that touch it or its
    members, or a folder's history lines that name it. Unless ``include_restricted``, a line
    that names a restricted record is left out (Neo4j's records: their restricted entries)."""
    if source.kind == "neo4j":
        return _neo4j_history(source, coalition, include_restricted, limit)
    entries = change_history(source, limit=limit, include_restricted=include_restricted)
    return [e for e in entries
            if coalition in _words(f"{e.get('summary', '')} {e.get('note', '')}")]  # fmt: skip


def _words(text: str) -> Iterable[str]:
    """The id-like words of a line (ids hold letters, digits, ``-``, ``_``, ``.``)."""
    return re.findall(r"[\w.-]+", text)


def _neo4j_history(source: DataSource, coalition: str, include_restricted: bool,
                   limit: int) -> list[dict[str, Any]]:  # fmt: skip
    from ..history import read_history

    records = read_history(source.store(), include_restricted=include_restricted)
    found = []
    for r in reversed(records):
        if any(coalition in _words(str(d.get("key", ""))) for d in r.details):
            found.append({"when": r.at, "by": r.by, "summary": f"{r.command}: {r.summary()}",
                          "note": r.source or "", "snapshot": r.snapshot})  # fmt: skip
        if len(found) >= limit:
            break
    return found
