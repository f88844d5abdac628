"""Consistency warnings: rows that are each valid but that a reader would find contradictory.

``validate`` prints them after the errors (``file:line: warning: …``) and exits 0, unless
``--strict``, where any warning fails the check. They catch what the value rules cannot: an
obligation marked ``extended`` whose deadline is still the original one, a completion date in
the future, funding dated after today, a coalition around a State with nothing left to do;
and rows that contradict each other or the Convention: two open obligations of one article for
one State, an Article 5 deadline, an obligation of a State not bound by the Convention, two
States with one ISO code, two actors with one name, a member that joins a coalition before it
was established; a funding row dated after the years ``metadata.json``'s coverage says the
funding data cover for its recipient; and, in a folder that keeps ``evidence.csv``, every
obligation fact that has no evidence row, quoted or indicative.

Partial dates (``2020``, ``2020-07``) compare by the span they cover: a warning says one date
is before or after another only when their spans do not overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .dataset import Dataset
from .dataset.cross_checks import ends_before
from .dataset.evidence import missing_evidence
from .errors import Problem
from .matching import fold
from .metadata import METADATA_FILE
from .schema import (
    CCM_DATE_COLUMNS,
    LIVE_COALITION_STATUSES,
    OPEN_OBLIGATION_STATUSES,
    TIME_BOUND_ARTICLES,
    Actor,
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
    states = {actor.id: actor for actor in dataset.actors if actor.kind == ActorKind.STATE}
    first_open: dict[tuple[str, int], int] = {}
    for i, ob in enumerate(dataset.obligations):
        note = warnings.at("obligations.csv", i, ob.id)
        _obligation_warnings(ob, now, note)
        _party_warnings(ob, states.get(ob.state), note)
        if ob.status in OPEN_OBLIGATION_STATUSES:
            first = first_open.setdefault((ob.state, ob.article), i)
            if first != i:
                where = warnings.where("obligations.csv", first, dataset.obligations[first].id)
                note(
                    f"a second open Article {ob.article} obligation for {ob.state!r} "
                    f"(the first is at {where})"
                )
    live_obligations = {
        ob.state
        for ob in dataset.obligations
        if ob.article in TIME_BOUND_ARTICLES and ob.status in OPEN_OBLIGATION_STATUSES
    }
    for i, co in enumerate(dataset.coalitions):
        note = warnings.at("coalitions.csv", i, co.id)
        if co.status in LIVE_COALITION_STATUSES and co.focus not in live_obligations:
            note(
                f"{co.status} coalition focused on {co.focus!r}, which has no open "
                "Article 3 or 4 obligation"
            )
        if co.established and co.established > now:
            note(f"established {co.established} is in the future")
    established = {co.id: co.established for co in dataset.coalitions if co.established}
    coverage = dataset.info.coverage
    for i, rel in enumerate(dataset.relations):
        note = warnings.at("relations.csv", i, rel.type)
        if rel.type in _MONEY_TYPES and rel.year is not None and rel.year > today.year:
            note(f"{rel.type} dated {rel.year}, which is in the future")
        window = coverage.funding_window(rel.to_id) if rel.type == RelType.FUNDS.value else None
        # a grant before the window is a recorded fact from years whose absences are not
        # known (the window is the latest run of years the source was read for); a grant
        # after it, from the same source, means the coverage was not extended with the rows
        source = coverage.funding.source(window.source) if window and coverage.funding else None
        if (
            window is not None
            and rel.year is not None
            and window.last is not None
            and (rel.year > window.last and (source is None or source.wrote(rel.source)))
        ):
            note(
                f"FUNDS dated {rel.year}, after the years metadata.json's coverage gives for "
                f"{rel.to_id!r} ({_span(window.first, window.last)}): extend the coverage"
            )
        if rel.since and rel.since > now:
            note(f"since {rel.since} is in the future")
        start = established.get(rel.to_id)
        member = rel.type == RelType.MEMBER_OF.value
        if member and rel.since and start and ends_before(rel.since, start):
            note(f"since {rel.since} is before {rel.to_id} was established ({start})")
    _actor_warnings(dataset, warnings, now)
    for missing in missing_evidence(dataset):
        warnings.at(missing.file, missing.index, missing.record)(missing.message)
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

    def where(self, spec_file: str, index: int, ident: str) -> str:
        """Where row ``index`` of ``spec_file`` is, for a message that points back at it:
        ``file:line`` when known, else ``file (ident)``."""
        origin = self.dataset.origins.get((spec_file, index))
        return f"{origin.file}:{origin.line}" if origin else f"{spec_file} ({ident})"


def _obligation_warnings(ob: Obligation, now: str, note: Callable[[str], None]) -> None:
    """An obligation's status, deadlines, dates and extension columns against each other and
    against ``now`` (an ISO date)."""
    if ob.status == "open" and ob.extensions:
        note(
            f"status is 'open' but extensions is {ob.extensions}: an obligation whose deadline "
            "was extended is 'extended'"
        )
    if ob.article == 5:
        for name in ("deadline", "original_deadline"):
            if getattr(ob, name):
                note(
                    "Article 5 (victim assistance) has no deadline in the Convention, but "
                    f"{name} is {getattr(ob, name)}"
                )
    if ob.extension_requested:
        name, extended = _deadline_extended_by_request(ob)
        if extended and ends_before(extended, ob.extension_requested):
            note(
                f"extension_requested {ob.extension_requested} is after the deadline it "
                f"extends ({name} {extended})"
            )
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
    if ob.requested_deadline and ob.request_outcome not in ("pending", "not_recorded"):
        note(
            f"requested_deadline {ob.requested_deadline} is given but request_outcome is "
            f"{ob.request_outcome or 'blank'}: it is for a request whose outcome is pending "
            "or not recorded (a granted request's date is the deadline)"
        )
    if ob.requested_deadline and ob.deadline and ob.requested_deadline <= ob.deadline:
        note(f"requested_deadline {ob.requested_deadline} is not after the deadline {ob.deadline}")
    if ob.status == "completed" and ob.remaining_km2:
        note(f"status is 'completed' but remaining_km2 is {ob.remaining_km2}")
    for name in ("remaining_year", "need_year"):
        year = getattr(ob, name)
        if year is not None and year > int(now[:4]):
            note(f"{name} {year} is in the future")


def _deadline_extended_by_request(ob: Obligation) -> tuple[str, str | None]:
    """The column and date of the deadline that the latest extension request extends.

    Until the request is granted, the deadline in force is the current ``deadline``; once
    granted as the only extension, it extended the ``original_deadline``. Granted as one of
    several, it extended a deadline between the two that the data does not hold: the current
    ``deadline`` is then the latest date the request can have been made.
    """
    if ob.request_outcome == "granted" and ob.extensions == 1 and ob.original_deadline:
        return "original_deadline", ob.original_deadline
    return "deadline", ob.deadline


_NOT_BOUND = {
    "non_signatory": "the Convention's obligations bind its States Parties only",
    "signatory": "the Convention's obligations bind its States Parties only",
}
"""Why an obligation contradicts its State's ``ccm_status``, for a State never bound."""


def _party_warnings(ob: Obligation, state: Actor | None, note: Callable[[str], None]) -> None:
    """An obligation against its State's status under the Convention: a signatory or a
    non-signatory has no obligation under it; a State that withdrew keeps the obligations it
    completed while party (history), not open ones. A blank status says nothing."""
    status = state.ccm_status if state else None
    if status in _NOT_BOUND:
        reason = _NOT_BOUND[status]
    elif status == "withdrawn" and ob.status in OPEN_OBLIGATION_STATUSES:
        reason = "an open obligation ends with the withdrawal"
    else:
        return
    note(f"obligation of {ob.state!r}, whose ccm_status is {status!r}: {reason}")


def _looks_like_iso3(ident: str) -> bool:
    """Whether an id has the form of an ISO 3166 alpha-3 code (three capital letters A-Z)."""
    return len(ident) == 3 and ident.isascii() and ident.isalpha() and ident.isupper()


def _before(later: str, earlier: str) -> bool:
    """Whether partial date ``later`` is before ``earlier``, compared at the precision both
    give (``2013`` is not before ``2013-03-26``)."""
    n = min(len(later), len(earlier))
    return later[:n] < earlier[:n]


def _convention_date_warnings(actor: Actor, now: str, note: Callable[[str], None]) -> None:
    """A State's Convention dates against each other, against its ``ccm_status`` and against
    ``now``: signature, ratification and entry into force in that order; a withdrawal after
    ratification and before it takes effect; an effective withdrawal means ``withdrawn``; a
    ratification means the State is or was a party; a signature means it is no non-signatory."""
    if actor.kind != ActorKind.STATE:
        return  # the dates of a non-State are a validation error (cross_checks)
    dates = {name: getattr(actor, name) for name in CCM_DATE_COLUMNS if getattr(actor, name)}
    order = list(dates)
    for i, later in enumerate(order):
        for earlier in order[:i]:
            if _before(dates[later], dates[earlier]):
                note(f"{later} {dates[later]} is before {earlier} {dates[earlier]}")
    for name in ("ccm_signed", "ccm_ratified", "ccm_withdrawal"):
        if name in dates and dates[name] > now:
            note(f"{name} {dates[name]} is in the future")
    status = actor.ccm_status
    effective = dates.get("ccm_withdrawal_effective")
    if effective and "ccm_withdrawal" not in dates:
        note(f"ccm_withdrawal_effective {effective} without ccm_withdrawal")
    if effective and effective <= now and status != "withdrawn":
        note(
            f"withdrawal took effect on {effective} but ccm_status is {status or 'blank'} "
            "(expected withdrawn)"
        )
    if status == "withdrawn" and not (effective and effective <= now):
        note("ccm_status is withdrawn but no ccm_withdrawal_effective on or before the data's day")
    if "ccm_ratified" in dates and status in ("signatory", "non_signatory"):
        note(f"ccm_ratified {dates['ccm_ratified']} but ccm_status is {status}")
    if "ccm_signed" in dates and status == "non_signatory":
        note(f"ccm_signed {dates['ccm_signed']} but ccm_status is non_signatory")
    force = dates.get("ccm_entry_into_force")
    if force and force <= now and status in ("signatory", "non_signatory"):
        note(f"the Convention entered into force for it on {force} but ccm_status is {status}")


def _actor_warnings(dataset: Dataset, warnings: _Warnings, now: str) -> None:
    """Actors against each other: two States with one ISO code, a State whose id is an ISO
    code other than its ``iso3``, two actors whose names differ only in case, accents or
    spacing; ``languages`` on an actor that is not a State; and each State's Convention
    dates (:func:`_convention_date_warnings`)."""
    iso3_seen: dict[str, int] = {}
    names_seen: dict[str, int] = {}
    for i, actor in enumerate(dataset.actors):
        note = warnings.at("actors.csv", i, actor.id)
        if actor.languages and actor.kind != ActorKind.STATE:
            note(f"languages applies to States, not a {actor.kind}")
        _convention_date_warnings(actor, now, note)
        if actor.iso3:
            if _looks_like_iso3(actor.id) and actor.iso3 != actor.id:
                note(
                    f"iso3 {actor.iso3!r} differs from the id {actor.id!r} "
                    "(a State's id is its ISO code)"
                )
            first = iso3_seen.setdefault(actor.iso3, i)
            if first != i:
                other = dataset.actors[first].id
                where = warnings.where("actors.csv", first, other)
                note(f"iso3 {actor.iso3!r} is also the iso3 of {other!r} ({where})")
        first = names_seen.setdefault(fold(actor.name), i)
        if first != i:
            other = dataset.actors[first].id
            where = warnings.where("actors.csv", first, other)
            note(f"name {actor.name!r} is also the name of {other!r} ({where})")


def _span(first: int | None, last: int | None) -> str:
    """A coverage window for a message: ``2014-2019``, an open end as ``?``."""
    return f"{first if first is not None else '?'}-{last if last is not None else '?'}"


def _metadata_warnings(dataset: Dataset, now: str) -> list[Problem]:
    """``metadata.json``: an as-of date in the future, forum roles naming no forum, funding
    coverage for a recipient not in the data."""
    warnings: list[Problem] = []
    info = dataset.info
    if info.as_of and info.as_of > now:
        warnings.append(Problem(METADATA_FILE, None, f"as_of {info.as_of} is in the future"))
    actors = {actor.id: actor for actor in dataset.actors}
    if info.coverage.funding is not None:
        for recipient, _ in info.coverage.funding.recipients:
            if recipient not in actors:
                message = f"coverage.funding.recipients: no actor {recipient!r} in the data"
                warnings.append(Problem(METADATA_FILE, None, message))
    if info.forums_stated:
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
