"""The coalition workflow's rules and words, wherever the data live.

One source of truth for both front doors of the workflow: :mod:`ccm_graph.coalitions`
(Neo4j, the ``ccm-graph coalition`` commands) and :mod:`ccm_graph.keeping.coalitions` (a
:class:`~ccm_graph.dataset.Dataset`, the workbench on a seed folder). Here: each argument's
value rule (:func:`checked`, the seed files' rules of :mod:`ccm_graph.values`), who may be a
coalition's focus (:func:`focus_problem`), the next free id (:func:`free_coalition_id`), the
refusal of a second role (:class:`DuplicateMembership`) and every sentence a change is told
in. Pure functions: no I/O, nothing written.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import CcmGraphError, DataError, Problem
from .schema import MEMBER_ROLES, Coalition, Column, Relation
from .values import ValueProblem, check_value

__all__ = [
    "ACTIONS",
    "REQUIRED",
    "CoalitionChange",
    "DuplicateMembership",
    "FocusFacts",
    "Proposal",
    "added_message",
    "already_message",
    "checked",
    "default_source",
    "duplicate_finding",
    "focus_problem",
    "free_coalition_id",
    "id_prefix",
    "not_a_member",
    "now_stamp",
    "proposal",
    "proposed_message",
    "removed_message",
    "replaced_message",
    "status_message",
    "value_problems",
]


class DuplicateMembership(CcmGraphError):
    """Raised when an actor is already a member of the coalition in another role and the
    role was not asked to be replaced (nothing is written).

    ``finding`` says who is a member of what, in which role(s); ``role`` is the role asked
    for. The message ends with how to ask for the replacement (``replace_role``); a front end
    words that its own way (:meth:`with_remedy`), or asks in its own words from ``member``
    (the actor's name), ``actor`` (its id) and ``roles`` (the roles it holds).
    """

    def __init__(
        self, finding: str, role: str, remedy: str = "ask with replace_role", *,
        member: str = "", actor: str = "", roles: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        self.finding = finding
        self.role = role
        self.member, self.actor, self.roles = member, actor, roles
        super().__init__(f"{finding}; nothing was written ({remedy} to make it {role} instead)")

    @classmethod
    def of(cls, member: str, actor: str, coalition: str, roles: list[str],
           role: str) -> DuplicateMembership:  # fmt: skip
        """The refusal to make ``member`` (id ``actor``), a member of ``coalition`` as
        ``roles``, a member as ``role`` too."""
        return cls(duplicate_finding(member, actor, coalition, roles), role, member=member,
                   actor=actor, roles=tuple(roles))  # fmt: skip

    def with_remedy(self, remedy: str) -> DuplicateMembership:
        """The same refusal, its remedy worded ``remedy`` (``add --replace-role``)."""
        return DuplicateMembership(self.finding, self.role, remedy, member=self.member,
                                   actor=self.actor, roles=self.roles)  # fmt: skip


@dataclass(frozen=True)
class CoalitionChange:
    """What a workflow command did, in words, and the coalition it did it to.

    ``changed`` is false when nothing needed writing (the actor already had that role).
    """

    coalition: str
    message: str
    changed: bool = True


def now_stamp() -> str:
    """The current moment, UTC, ISO 8601 to the second (a coalition's ``created``/``updated``;
    its first ten characters are today's date)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _rule(record: type, name: str) -> Column:
    column: Column = next(f for f in dataclasses.fields(record) if f.name == name).metadata[
        "column"
    ]
    return column


ID = _rule(Coalition, "id")
REF = _rule(Relation, "from_id")
NAME = _rule(Coalition, "name")
TEXT = _rule(Coalition, "notes")
SINCE = _rule(Relation, "since")
ROLE = dataclasses.replace(_rule(Relation, "role"), choices=MEMBER_ROLES)
STATUS = _rule(Coalition, "status")

ACTIONS: Mapping[str, Mapping[str, Column]] = {
    "propose": {"focus": REF, "name": NAME, "lead": REF, "id": ID, "notes": TEXT,
                "source": TEXT},
    "add-member": {"coalition": REF, "actor": REF, "role": ROLE, "since": SINCE,
                   "source": TEXT},
    "remove-member": {"coalition": REF, "actor": REF, "role": ROLE},
    "set-status": {"coalition": REF, "status": STATUS},
}  # fmt: skip
"""The workflow's changes (named as the ``ccm-graph coalition`` commands) and the value rule
of each argument, by the field name a refusal names."""

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "propose": ("focus", "name"),
    "add-member": ("coalition", "actor", "role"),
    "remove-member": ("coalition", "actor"),
    "set-status": ("coalition", "status"),
}
"""The arguments each change cannot do without (the command line's required ones)."""


def checked(field: str, column: Column, value: Any) -> Any:
    """``value`` through the value rules of ``column``; a refusal is a :class:`DataError`
    whose problem names the field (``role: 'boss' is not one of …``)."""
    try:
        return check_value(column, value)
    except ValueProblem as exc:
        raise DataError([Problem(field, None, str(exc))]) from exc


def value_problems(action: str, values: Mapping[str, Any]) -> list[Problem]:
    """Every value of ``values`` (by field name) that breaks its rule in ``action``, all at
    once (a form shows each next to its field), and every required one left blank (``None``
    or spaces). Empty: every value passes (the change itself may still be refused, on what
    the data hold)."""
    problems = []
    for field, column in ACTIONS[action].items():
        try:
            value = checked(field, column, values.get(field))
        except DataError as exc:
            problems += exc.problems
            continue
        if field in REQUIRED[action] and value in (None, ""):
            blank = "a coalition needs a name" if field == "name" else "required but blank"
            problems.append(Problem(field, None, blank))
    return problems


@dataclass(frozen=True)
class Proposal:
    """A proposal's arguments after their value rules; ``source`` is the citation it will
    carry (the default one when none was given)."""

    focus: str
    name: str
    lead: str | None
    coalition_id: str | None
    notes: str | None
    source: str


def proposal(*, focus: str, name: str, lead: str | None, coalition_id: str | None,
             source: str | None, notes: str | None, stamp: str) -> Proposal:  # fmt: skip
    """The arguments of a proposal checked in order, the first refusal raised as a
    :class:`DataError` naming its field (``focus``, ``name``, ``lead``, ``id``, ``notes``,
    ``source``)."""
    focus = checked("focus", REF, focus)
    name = checked("name", NAME, name)
    if not name:
        raise DataError([Problem("name", None, "a coalition needs a name")])
    lead = checked("lead", REF, lead)
    if coalition_id is not None and not coalition_id.strip():
        raise DataError([Problem("id", None, "an id cannot be blank")])
    coalition_id = checked("id", ID, coalition_id)
    notes = checked("notes", TEXT, notes)
    cite = checked("source", TEXT, source) or default_source("proposed", stamp)
    return Proposal(focus, name, lead, coalition_id, notes, cite)


def default_source(verb: str, stamp: str) -> str:
    """The citation of a change made without one: ``proposed with ccm-graph on 2026-12-07``."""
    return f"{verb} with ccm-graph on {stamp[:10]}"


@dataclass(frozen=True)
class FocusFacts:
    """What decides whether an actor may be a coalition's focus: its id, name, kind, CCM
    status and how many Article 3 or 4 obligations it has in the data."""

    id: str
    name: str
    kind: str
    ccm_status: str | None
    time_bound: int


def focus_problem(asked: str, facts: FocusFacts, *, any_state: bool = False) -> Problem | None:
    """Why ``facts``' actor cannot be the focus of a Country Coalition (``asked`` is how it
    was named), or ``None`` when it can.

    A Country Coalition serves an affected State: one with an Article 3 or 4 obligation in the
    data. Another kind of actor is refused; so is a State without one (a donor, a State not
    party), unless ``any_state`` (a coalition prepared ahead of a ratification, say): a
    typo'd or mistaken focus is far more likely than the exception, and a coordinator would
    rather be asked. A State that withdrew from the Convention is refused always: it is never
    pitched a CCM coalition.
    """
    if facts.kind != "state":
        article = "an" if facts.kind[:1] in ("a", "e", "i", "o", "u") else "a"
        return Problem("focus", None, f"{asked!r} is {article} {facts.kind}, not a State")
    status = facts.ccm_status
    if status == "withdrawn":
        return Problem("focus", None, (
            f"{facts.name} ({facts.id}) has withdrawn from the Convention: a Country "
            "Coalition supports a State Party's obligations and is never proposed for a State "
            "that has left it"
        ))  # fmt: skip
    if any_state or facts.time_bound:
        return None
    party = (
        "" if status == "state_party" else f" and is not a State Party ({status or 'no status'})"
    )
    return Problem("focus", None, (
        f"{facts.name} ({facts.id}) has no Article 3 or 4 obligation in the data{party}: "
        "a Country Coalition serves an affected State Party; ask with any_state to propose "
        "it anyway"
    ))  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def id_prefix(state_id: str, chosen: str | None) -> str:
    """The prefix of the ids :func:`free_coalition_id` must know are taken."""
    return chosen or f"coal-{_slug(state_id)}"


def free_coalition_id(state_id: str, chosen: str | None, taken: Collection[str]) -> str:
    """``chosen`` if it is free (:class:`DataError` if ``taken`` has it), else the first free
    one of ``coal-<state>``, ``coal-<state>-2``, ``coal-<state>-3`` … (ids are one namespace:
    ``taken`` holds every record's id that starts with :func:`id_prefix`)."""
    if chosen is not None:
        if chosen in taken:
            raise DataError([Problem("id", None, f"{chosen!r} is already used")])
        return chosen
    base, n = f"coal-{_slug(state_id)}", 2
    new_id = base
    while new_id in taken:
        new_id, n = f"{base}-{n}", n + 1
    return new_id


def proposed_message(new_id: str, name: str, focus_name: str, lead_name: str | None) -> str:
    """``Proposed coal-lao: Lao PDR Coalition (focus Lao PDR), lead Netherlands.``"""
    message = f"Proposed {new_id}: {name} (focus {focus_name})"
    if lead_name is not None:
        message += f", lead {lead_name}"
    return message + "."


def already_message(member: str, role: str, title: str) -> str:
    """The actor already has the role asked: nothing to write."""
    return f"Already there: {member} as {role} of {title}."


def duplicate_finding(member: str, actor_id: str, coalition_id: str, roles: list[str]) -> str:
    """The first half of a :class:`DuplicateMembership`: who is a member of what, as what."""
    return f"{member} ({actor_id}) is already a member of {coalition_id} as {', '.join(roles)}"


def replaced_message(member: str, title: str, roles: list[str], role: str) -> str:
    return f"Changed {member}'s role in {title}: {', '.join(roles)} → {role}."


def added_message(member: str, role: str, title: str) -> str:
    return f"Added {member} as {role} of {title}."


def not_a_member(actor_id: str, coalition_id: str, role: str | None) -> DataError:
    """The refusal of a removal that finds nothing to remove."""
    what = f" as {role}" if role else ""
    return DataError([Problem(actor_id, None, f"is not a member of {coalition_id}{what}")])


def removed_message(member: str, title: str, removed: int) -> str:
    return f"Removed {member} from {title} ({removed})."


def status_message(title: str, before: str | None, status: str) -> str:
    return f"{title}: {before} → {status}."
