"""Consistency warnings: rows that are each valid but that a reader would find contradictory.

``validate`` prints them after the errors (``file:line: warning: …``) and exits 0, unless
``--strict``, where any warning fails the check. They catch what the value rules cannot: an
obligation marked ``extended`` whose deadline is still the original one, a completion date in
the future, funding dated after today, a coalition around a State with nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .dataset import Dataset
from .errors import Problem
from .metadata import METADATA_FILE
from .schema import (
    LIVE_COALITION_STATUSES,
    OPEN_OBLIGATION_STATUSES,
    TIME_BOUND_ARTICLES,
    ActorKind,
    Obligation,
    RelType,
)
from .values import split_list

__all__ = ["consistency_warnings"]

_MONEY_TYPES = (RelType.FUNDS.value, RelType.SUPPORTS.value)


def consistency_warnings(dataset: Dataset, *, today: date | None = None) -> list[Problem]:
    """Every consistency warning for a dataset that has passed validation.

    :param today: the day "in the future" is counted from (default: the real today).
    :returns: problems located like validation errors (file and line when known).
    """
    today = today or date.today()
    now = today.isoformat()
    warnings = _Warnings(dataset)
    for i, ob in enumerate(dataset.obligations):
        _obligation_warnings(ob, now, warnings.at("obligations.csv", i, ob.id))
    live_obligations = {
        ob.state
        for ob in dataset.obligations
        if ob.article in TIME_BOUND_ARTICLES and ob.status in OPEN_OBLIGATION_STATUSES
    }
    for i, co in enumerate(dataset.coalitions):
        if co.status in LIVE_COALITION_STATUSES and co.focus not in live_obligations:
            warnings.at("coalitions.csv", i, co.id)(
                f"{co.status} coalition focused on {co.focus!r}, which has no open "
                "Article 3 or 4 obligation"
            )
    for i, rel in enumerate(dataset.relations):
        note = warnings.at("relations.csv", i, rel.type)
        if rel.type in _MONEY_TYPES and rel.year is not None and rel.year > today.year:
            note(f"{rel.type} dated {rel.year}, which is in the future")
        if rel.since and rel.since > now:
            note(f"since {rel.since} is in the future")
    for i, actor in enumerate(dataset.actors):
        if actor.languages and actor.kind != ActorKind.STATE:
            warnings.at("actors.csv", i, actor.id)(
                f"languages applies to States, not a {actor.kind}"
            )
    return warnings.found + _metadata_warnings(dataset, now)


class _Warnings:
    """The warnings found so far, each located like a validation error."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.found: list[Problem] = []

    def at(self, spec_file: str, index: int, ident: str) -> Callable[[str], None]:
        """A function that records a warning about row ``index`` of ``spec_file``: at the
        file and line it came from when known, else at the table, prefixed with ``ident``."""
        origin = self.dataset.origins.get((spec_file, index))
        file, line, prefix = (
            (origin.file, origin.line, "") if origin else (spec_file, None, f"{ident}: ")
        )
        return lambda message: self.found.append(Problem(file, line, prefix + message))


def _obligation_warnings(ob: Obligation, now: str, note: Callable[[str], None]) -> None:
    """An obligation's status, deadlines, dates and extension columns against each other and
    against ``now`` (an ISO date)."""
    if ob.status == "extended" and ob.original_deadline and ob.deadline == ob.original_deadline:
        note("status is 'extended' but the deadline is still the original deadline")
    if ob.deadline and ob.original_deadline and ob.deadline < ob.original_deadline:
        note(f"deadline {ob.deadline} is before the original deadline {ob.original_deadline}")
    if ob.status == "completed" and not ob.completed:
        note("status is 'completed' but the completion date (completed) is blank")
    if ob.completed and ob.completed > now:
        note(f"completed {ob.completed} is in the future")
    if ob.completed and ob.status != "completed":
        note(f"has a completion date ({ob.completed}) but its status is {ob.status!r}")
    granted = split_list(ob.granted_by)
    if granted and len(granted) != (ob.extensions or 0):
        note(f"granted_by names {len(granted)} meeting(s) but extensions is {ob.extensions or 0}")
    if ob.request_outcome and not ob.extension_requested:
        note("request_outcome is given but extension_requested (the request's date) is blank")
    if ob.status == "completed" and ob.remaining_km2:
        note(f"status is 'completed' but remaining_km2 is {ob.remaining_km2}")
    for name in ("remaining_year", "need_year"):
        year = getattr(ob, name)
        if year is not None and year > int(now[:4]):
            note(f"{name} {year} is in the future")


def _metadata_warnings(dataset: Dataset, now: str) -> list[Problem]:
    """``metadata.json``: an as-of date in the future, forum roles naming no forum."""
    warnings: list[Problem] = []
    info = dataset.info
    if info.as_of and info.as_of > now:
        warnings.append(Problem(METADATA_FILE, None, f"as_of {info.as_of} is in the future"))
    if info.forums_stated:
        actors = {actor.id: actor for actor in dataset.actors}
        named = [("masg", info.forums.masg), ("apmbc_committee", info.forums.apmbc_committee)]
        named += [("ccm_coordinators", ident) for ident in info.forums.ccm_coordinators]
        for key, ident in named:
            forum = actors.get(ident)
            if forum is None:
                warnings.append(
                    Problem(METADATA_FILE, None, f"forums.{key}: no actor {ident!r} in the data")
                )
            elif forum.kind != ActorKind.FORUM:
                message = f"forums.{key}: {ident!r} is a {forum.kind}, not a forum"
                warnings.append(Problem(METADATA_FILE, None, message))
    return warnings
