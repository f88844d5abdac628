"""How pressing an obligation is: its deadline, its extensions, and how that is worded.

The gap rules and the support table rank obligations by :func:`obligation_urgency`;
:func:`deadline_words` says a deadline in a gap's headline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ...wording import Phrase, Term, provenance_mark, say, say_n
from .._index import GraphIndex

__all__ = [
    "HORIZON_DAYS",
    "after_data",
    "deadline_words",
    "obligation_urgency",
    "request_words",
    "urgency_of",
    "urgency_phrases",
    "urgency_reasons",
]

HORIZON_DAYS = 5 * 365
"""Deadlines further away than this add no urgency; a passed deadline adds full urgency."""


def obligation_urgency(
    deadline: str | None,
    extensions: int | None,
    as_of: date,
    *,
    requested: str | None = None,
    outcome: str | None = None,
    data_as_of: date | None = None,
    requested_deadline: str | None = None,
) -> tuple[float, list[str]]:
    """How pressing an obligation is, from 0 to 1, with the reasons.

    ``urgency = 0.75 × deadline pressure + 0.25 × extension history`` where deadline pressure
    is 1 for a passed deadline and falls linearly to 0 at :data:`HORIZON_DAYS` away, and
    extension history is the number of extensions granted, counted up to 3, divided by 3.

    A passed deadline with an extension request whose outcome is ``pending`` or
    ``not_recorded`` (``requested`` is its date) says so: the State is probably not in
    breach, the data just does not hold the decision. So does a deadline that passed after
    the data's own date (``data_as_of``): a later decision may not be recorded. When that
    undecided request names the deadline it asks for (``requested_deadline``), the pressure is
    counted against the requested deadline instead, and the reason says so: the obligation is
    not scored as overdue while the data cannot tell whether the request was granted.

    >>> obligation_urgency("2026-08-01", 3, date(2026, 8, 1))
    (1.0, ['deadline 2026-08-01 has passed or is today', '3 extensions granted already'])
    >>> obligation_urgency("2025-08-01", 1, date(2026, 2, 27), requested="2024",
    ...                    outcome="not_recorded")[1][0]
    'deadline 2025-08-01 has passed; the outcome of the extension request of 2024 is not recorded'
    >>> obligation_urgency("2026-10-01", 0, date(2026, 12, 1),
    ...                    data_as_of=date(2026, 2, 27))[1][0].split(": ")[0]
    "deadline 2026-10-01 passed after the data's date (2026-02-27)"
    >>> obligation_urgency("2031-08-01", 0, date(2026, 8, 2))[0]
    0.0
    >>> urgency, reasons = obligation_urgency("2025-08-01", 0, date(2026, 8, 1),
    ...     requested="2024", outcome="not_recorded", requested_deadline="2030-08-01")
    >>> urgency, reasons[0].split(", ")[1]
    (0.15, 'decision not recorded in the data: counted against the requested deadline')
    """
    urgency, reasons = urgency_phrases(
        deadline,
        extensions,
        as_of,
        requested=requested,
        outcome=outcome,
        data_as_of=data_as_of,
        requested_deadline=requested_deadline,
    )
    return urgency, [str(r) for r in reasons]


def urgency_phrases(
    deadline: str | None,
    extensions: int | None,
    as_of: date,
    *,
    requested: str | None = None,
    outcome: str | None = None,
    data_as_of: date | None = None,
    requested_deadline: str | None = None,
) -> tuple[float, list[Phrase]]:
    """:func:`obligation_urgency` with its reasons as :class:`~ccm_graph.wording.Phrase`."""
    reasons: list[Phrase] = []
    pressure = 0.0
    request = request_words(requested, outcome, requested_deadline)
    if deadline:
        days = (date.fromisoformat(deadline) - as_of).days
        if days <= 0:
            pressure = 1.0
            if request is not None and requested_deadline:
                asked_days = (date.fromisoformat(requested_deadline) - as_of).days
                pressure = 1.0 if asked_days <= 0 else max(0.0, 1 - asked_days / HORIZON_DAYS)
                reasons.append(say("deadline {deadline} has passed; {request}: counted against "
                                   "the requested deadline", deadline=deadline,
                                   request=request))  # fmt: skip
            elif requested and outcome == "not_recorded":
                reasons.append(say("deadline {deadline} has passed; the outcome of the extension "
                                   "request of {requested} is not recorded",
                                   deadline=deadline, requested=requested))  # fmt: skip
            elif requested and outcome == "pending":
                reasons.append(say("deadline {deadline} has passed; the extension request of "
                                   "{requested} awaits a decision",
                                   deadline=deadline, requested=requested))  # fmt: skip
            elif days < 0 and after_data(deadline, data_as_of):
                reasons.append(say("deadline {deadline} passed after the data's date "
                                   "({data_date}): a later decision may not be recorded",
                                   deadline=deadline, data_date=str(data_as_of)))  # fmt: skip
            else:
                reasons.append(say("deadline {deadline} has passed or is today", deadline=deadline))
        else:
            pressure = max(0.0, 1 - days / HORIZON_DAYS)
            reasons.append(say_n("deadline {deadline} is {count} day away",
                                 "deadline {deadline} is {count} days away", days,
                                 deadline=deadline))  # fmt: skip
    granted = extensions or 0
    if granted:
        reasons.append(say_n("{count} extension granted already",
                             "{count} extensions granted already", granted))  # fmt: skip
    history = min(granted, 3) / 3
    return round(0.75 * pressure + 0.25 * history, 3), reasons


def request_words(
    requested: str | None, outcome: str | None, requested_deadline: str | None
) -> Phrase | None:
    """An undecided extension request said beside the deadline it would replace:
    ``extension to 2030-08-01 requested in 2024, decision not recorded in the data`` (or
    ``awaiting a decision`` when it is pending); ``None`` when there is no such request or
    the data do not say which deadline it asks for."""
    if not requested_deadline or outcome not in ("pending", "not_recorded"):
        return None
    year = (requested or "")[:4]
    if outcome == "pending":
        if year:
            return say("extension to {requested_deadline} requested in {year}, awaiting a "
                       "decision", requested_deadline=requested_deadline, year=year)  # fmt: skip
        return say("extension to {requested_deadline} requested, awaiting a decision",
                   requested_deadline=requested_deadline)  # fmt: skip
    if year:
        return say("extension to {requested_deadline} requested in {year}, decision not "
                   "recorded in the data", requested_deadline=requested_deadline,
                   year=year)  # fmt: skip
    return say("extension to {requested_deadline} requested, decision not recorded in the data",
               requested_deadline=requested_deadline)  # fmt: skip


def after_data(deadline: str, data_as_of: date | None) -> bool:
    """Whether a deadline falls after the data's own date (so the data cannot know what was
    decided about it)."""
    return data_as_of is not None and date.fromisoformat(deadline) > data_as_of


def urgency_of(obligation: Mapping[str, Any], as_of: date,
               data_as_of: date | None = None) -> tuple[float, list[str]]:  # fmt: skip
    """:func:`obligation_urgency` of an obligation node's attributes; the deadline reason
    says ``(indicative)`` when the obligation's source does (see
    :func:`ccm_graph.wording.provenance_mark`)."""
    urgency, reasons = urgency_reasons(obligation, as_of, data_as_of)
    return urgency, [str(r) for r in reasons]


def urgency_reasons(obligation: Mapping[str, Any], as_of: date,
                data_as_of: date | None = None) -> tuple[float, list[Phrase]]:  # fmt: skip
    urgency, reasons = urgency_phrases(
        obligation.get("deadline"),
        obligation.get("extensions"),
        as_of,
        requested=obligation.get("extension_requested"),
        outcome=obligation.get("request_outcome"),
        data_as_of=data_as_of,
        requested_deadline=obligation.get("requested_deadline"),
    )
    mark = provenance_mark(obligation.get("source"))
    if mark and reasons and reasons[0].text.startswith("deadline "):
        reasons[0] = say("{reason} ({mark})", reason=reasons[0], mark=Term(mark))
    return urgency, reasons


def deadline_words(index: GraphIndex, obligation: str) -> Phrase:
    """``deadline 2026-05-01, in 63 days``, ``deadline 2025-08-01 passed (outcome of the 2024
    request not recorded)``, ``deadline 2025-08-01 passed; extension to 2030-08-01 requested
    in 2024, decision not recorded in the data`` (the request's own deadline known),
    ``deadline 2026-10-01 passed after the data's date of 2026-02-27 (a later decision may not
    be recorded)``."""
    data = index.graph.nodes[obligation]
    deadline = data.get("deadline")
    if not deadline:
        return say("deadline not recorded")
    days = (date.fromisoformat(deadline) - index.as_of).days
    requested = (data.get("extension_requested") or "")[:4]
    outcome = data.get("request_outcome")
    request = request_words(requested, outcome, data.get("requested_deadline"))
    if days > 0:
        when = say_n(
            "deadline {deadline}, in {count} day",
            "deadline {deadline}, in {count} days",
            days,
            deadline=deadline,
        )
        return when if request is None else say("{when}; {request}", when=when, request=request)
    if request is not None:
        return say("deadline {deadline} passed; {request}", deadline=deadline, request=request)
    if requested and outcome == "not_recorded":
        return say(
            "deadline {deadline} passed (outcome of the {requested} request not recorded)",
            deadline=deadline,
            requested=requested,
        )
    if requested and outcome == "pending":
        return say(
            "deadline {deadline} passed (the {requested} request awaits a decision)",
            deadline=deadline,
            requested=requested,
        )
    if days < 0 and after_data(deadline, index.data_as_of):
        return say(
            "deadline {deadline} passed after the data's date of {data_date} (a later "
            "decision may not be recorded)",
            deadline=deadline,
            data_date=str(index.data_as_of),
        )
    return say("deadline {deadline} passed", deadline=deadline)
