"""The worded reasons of a recommendation: one plain sentence (and the paths of ids behind it)
per signal, as :class:`~ccm_graph.wording.Phrase` so a hand-out words them in its language.

Signals carry the facts they were computed from; the sentences are written only for the
candidates shown (:func:`recommendation`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...coverage import YearWindow
from ...wording import (
    AND,
    N_,
    Listing,
    Money,
    Name,
    Ordinal,
    Phrase,
    Term,
    article_title,
    say,
    say_n,
    year_window,
)
from .._coverage import covers_after, funding_unknown
from .._index import FundingFact, GraphIndex
from .record import Recommendation, ScorePart
from .signals import Signal

__all__ = ["Reason", "Wording", "recommendation"]

Reason = tuple[list[Phrase], list[tuple[str, ...]]]
"""A signal's sentences (the first is the reason shown) and the paths of ids behind them."""

_REGION_NAMES = {
    "africa": N_("Africa"),
    "americas": N_("the Americas"),
    "asia_pacific": N_("Asia-Pacific"),
    "europe_central_asia": N_("Europe and Central Asia"),
    "middle_east_north_africa": N_("the Middle East and North Africa"),
}
_LANGUAGE_NAMES = {
    "ar": N_("Arabic"), "de": N_("German"), "en": N_("English"), "es": N_("Spanish"),
    "fr": N_("French"), "it": N_("Italian"), "ja": N_("Japanese"), "ko": N_("Korean"),
    "lo": N_("Lao"), "nl": N_("Dutch"), "pt": N_("Portuguese"), "ru": N_("Russian"),
    "zh": N_("Chinese"),
}  # fmt: skip


def recommendation(wording: Wording, weights: Mapping[str, float], target: str, state: str,
                   candidate: str, role: str, score: float,
                   signals: Mapping[str, Signal]) -> Recommendation:  # fmt: skip
    """A :class:`Recommendation` of ``candidate`` for ``target`` (whose State is ``state``),
    with one :class:`ScorePart` per signal that counts, strongest first."""
    index = wording.index
    parts = []
    for signal, found in signals.items():
        if weights[signal] == 0 or found.value <= 0:
            continue
        evidence, paths = wording.reason(signal, state, candidate, found)
        parts.append(ScorePart(signal, weights[signal], min(found.value, 1.0),
                               tuple(str(e) for e in evidence), tuple(paths),
                               tuple(evidence)))  # fmt: skip
    parts.sort(key=lambda p: (-p.points, p.signal))
    return Recommendation(
        target=target, candidate=candidate, name=index.name(candidate),
        kind=index.kind(candidate), role=role, score=score, parts=tuple(parts),
    )  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """Words the signals of one graph: ``received`` is every grant each State received."""

    index: GraphIndex
    received: Mapping[str, list[FundingFact]]

    def reason(self, signal: str, state: str, candidate: str, found: Signal) -> Reason:
        """Plain sentences and id paths for one signal of one candidate."""
        word = _REASONS.get(signal)
        if word is None:
            return [Phrase(signal)], []
        return word(self, signal, state, candidate, found.facts)

    def region(self, region: object) -> Phrase:
        """A region's name in a sentence (``Asia-Pacific``), or ``the region``."""
        text = _REGION_NAMES.get(str(region))
        return Phrase(text) if text else say("the region")

    @staticmethod
    def language(code: object) -> Phrase | str:
        """A language's name (``French``), or its code when it has none here."""
        text = _LANGUAGE_NAMES.get(str(code))
        return Phrase(text) if text else str(code)

    def funded_by(self, state: str, donors: tuple[str, ...]) -> Phrase:
        """``funded by Norway, which funds Lao People's Democratic Republic``: ``funds`` when
        every donor's latest grant to the State is dated in the window, ``funded`` when none
        is, and each donor with its own verb otherwise."""
        index = self.index
        latest: dict[str, int | None] = {}
        for fact in self.received.get(state, []):
            if fact.funder in donors:
                before = latest.get(fact.funder)
                latest[fact.funder] = max(fact.year or 0, before or 0) or None
        current = [d for d in donors if index.is_recent(latest.get(d))]
        where = index.said(state)
        names = Listing(tuple(index.said(d) for d in donors))
        if len(current) == len(donors):
            return say_n(
                "funded by {names}, which funds {state}",
                "funded by {names}, which fund {state}",
                len(donors),
                names=names,
                state=where,
            )
        if not current:
            return say("funded by {names}, which funded {state}", names=names, state=where)
        now = Listing(tuple(index.said(d) for d in current))
        past = Listing(tuple(index.said(d) for d in donors if d not in current))
        return say(
            "funded by {current} (funding {state} now) and by {past} (which funded it before)",
            current=now,
            state=where,
            past=past,
        )


def _article(obligation: Mapping[str, Any]) -> Name:
    """An article inside a sentence: ``Article 4 (clearance)`` in English."""
    number = int(obligation["article"])
    return Name(article_title(number), None, None, number)


# --- one function per signal (or pair of signals worded alike) ----------------------------------
# Each takes (wording, signal, state, candidate, the signal's facts) and returns a Reason.


def _funder(w: Wording, signal: str, state: str, candidate: str, facts: tuple[Any, ...]) -> Reason:
    """``current_funder`` and ``past_funder``: the latest grant, then the others."""
    said = w.index.said
    grants = sorted(facts, key=lambda f: -(f.year or 0))
    last = grants[0]
    when = last.year or say("an unrecorded year")
    if signal == "past_funder":
        head = _past_funder_head(w, state, last.year, Money(last.amount_usd))
    else:
        under = Term(last.convention) if last.convention else say("no convention recorded")
        head = say(
            "funds {state} ({year} ({amount}), {convention}), not under the CCM: "
            "ask it to join the coalition",
            state=said(state),
            year=when,
            amount=Money(last.amount_usd),
            convention=under,
        )
    more = [
        say(
            "also funded {target} in {year} ({amount})",
            target=said(f.target),
            year=f.year,
            amount=Money(f.amount_usd),
        )
        for f in grants[1:]
    ]
    return [head, *more], [(candidate, f.target) for f in grants]


def _continuity(w: Wording, signal: str, state: str, candidate: str,
                facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``funding_continuity``: the years in which it funded the State."""
    years = tuple(int(y) for y in facts)
    text = say_n(
        "funded {state} in {count} different year ({years})",
        "funded {state} in {count} different years ({years})",
        len(years),
        state=w.index.said(state),
        years=", ".join(str(y) for y in years),
    )
    return [text], [(candidate, state)]


def _in_region(w: Wording, signal: str, state: str, candidate: str,
               facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``regional_funder`` and ``regional_footprint``: the other States of the region."""
    said = w.index.said
    region = w.region(w.index.graph.nodes[state].get("region"))
    listed: Phrase | Listing = Listing(tuple(said(s) for s in facts[:4]))
    if len(facts) > 4:
        listed = say_n(
            "{names} and {count} more",
            "{names} and {count} more",
            len(facts) - 4,
            names=listed,
        )
    count = len(facts)
    if signal == "regional_funder":
        text = say_n(
            "funds {count} other State in {region}: {names}",
            "funds {count} other States in {region}: {names}",
            count,
            region=region,
            names=listed,
        )
    else:
        text = say_n(
            "works in {count} other State in {region}: {names}",
            "works in {count} other States in {region}: {names}",
            count,
            region=region,
            names=listed,
        )
    return [text], [(candidate, s) for s in facts]


def _funds_operator(w: Wording, signal: str, state: str, candidate: str,
                    facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``funds_operator_there``: the grant to an operator working in the State."""
    said = w.index.said
    operator, fact = facts
    text = (
        say(
            "funded {operator} in {year}, which works in {state}",
            operator=said(operator),
            year=fact.year,
            state=said(state),
        )
        if fact.year
        else say(
            "funded {operator}, which works in {state}",
            operator=said(operator),
            state=said(state),
        )
    )
    return [text], [(candidate, operator, state)]


def _language(w: Wording, signal: str, state: str, candidate: str,
              facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``shared_language``."""
    spoken = Listing(tuple(w.language(x) for x in facts), AND)
    return [
        say(
            "shares an official language with {state}: {languages}",
            state=w.index.said(state),
            languages=spoken,
        )
    ], []


def _masg(w: Wording, signal: str, state: str, candidate: str, facts: tuple[Any, ...]) -> Reason:
    """``masg_member``: its role in the donors' group."""
    masg = w.index.forums.masg
    return (
        [
            say(
                "{role} of {forum}, the donors' group",
                role=Term(str(facts[0])),
                forum=w.index.said(masg),
            )
        ],
        [(candidate, masg)],
    )


def _size(w: Wording, signal: str, state: str, candidate: str, facts: tuple[Any, ...]) -> Reason:
    """``donor_size``: money given and its rank among the donors."""
    total, grants_count, rank, n = facts
    return [
        say_n(
            "{amount} (total of {count} grant) recorded as given to mine action: "
            "{rank} of {donors} donors by amount",
            "{amount} (total of {count} grants) recorded as given to mine action: "
            "{rank} of {donors} donors by amount",
            grants_count,
            amount=Money(total),
            rank=Ordinal(rank),
            donors=n,
        )
    ], []


def _works_there(w: Wording, signal: str, state: str, candidate: str,
                 facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``operates_there`` and ``works_there``."""
    return [say("already works in {state}", state=w.index.said(state))], [(candidate, state)]


def _funded_by_donors(w: Wording, signal: str, state: str, candidate: str,
                      facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``funded_by_target_donors``: who funds both the operator and the State."""
    return [w.funded_by(state, facts)], [(d, candidate) for d in facts]


def _reach(w: Wording, signal: str, state: str, candidate: str, facts: tuple[Any, ...]) -> Reason:
    """``field_reach``: how many countries it has worked in."""
    count = len(facts[0])
    return [say_n("has worked in {count} country", "has worked in {count} countries", count)], []


def _experience(w: Wording, signal: str, state: str, candidate: str,
                facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``clearance_experience``: the coalitions and obligations it worked on."""
    said = w.index.said
    return (
        [say("experience: {names}", names=Listing(tuple(said(x) for x in facts[:3])))],
        [(candidate, x) for x in facts],
    )


def _completion(w: Wording, signal: str, state: str, candidate: str,
                facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``completion_experience``: the obligations the State has completed itself."""
    done = [w.index.graph.nodes[ob] for ob in facts]
    completions = Listing(
        tuple(
            say(
                "{article} completed in {year}",
                article=_article(d),
                year=str(d["completed"])[:4],
            )
            if d.get("completed")
            else say("{article} completed", article=_article(d))
            for d in done
        ),
        "; ",
    )
    return (
        [say("{done}: can share how (South–South cooperation)", done=completions)],
        [(candidate, ob) for ob in facts],
    )


def _past_funder_head(w: Wording, state: str, year: int | None, amount: Money) -> Phrase:
    """ "funded … but nothing recorded since: re-engage" only where the funding data cover the
    years after the grant (:func:`~ccm_graph.analysis._coverage.covers_after`); otherwise the
    grant, and that the later years are not known."""
    said = w.index.said
    when: Any = year or say("an unrecorded year")
    covered = covers_after(w.index, state, year) if year is not None else None
    if covered is False:
        unknown = funding_unknown(w.index, state, year + 1) if year is not None else None
        return say(
            "funded {state} in {year} ({amount}); whether it funded it later is not known "
            "({coverage}): ask before re-engaging",
            state=said(state), year=when, amount=amount,
            coverage=unknown or say("the funding data do not cover the later years"),
        )  # fmt: skip
    window = _window_of(w, state)
    last = window.last if window is not None else None
    if covered and year is not None and last is not None and last < w.index.as_of.year:
        # the covered years after the grant only: a window that starts later leaves the years
        # between the grant and its start not known
        first = max(year + 1, window.first if window and window.first is not None else year + 1)
        return say(
            "funded {state} in {year} ({amount}) but nothing recorded in {years}, the last "
            "years the funding data cover: re-engage",
            state=said(state), year=when, amount=amount,
            years=year_window(first, last),
        )  # fmt: skip
    return say(
        "funded {state} in {year} ({amount}) but nothing recorded since: re-engage",
        state=said(state),
        year=when,
        amount=amount,
    )


def _window_of(w: Wording, state: str) -> YearWindow | None:
    """The years the funding data cover for ``state``, if stated."""
    coverage = w.index.graph.graph.get("coverage")
    return coverage.funding_window(state) if coverage is not None else None


def _supported_before(w: Wording, signal: str, state: str, candidate: str,
                      facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``supported_target_before``: its technical support to the State."""
    support = facts[0]
    return (
        [
            say(
                "gave {state} {kind} support in {year}: re-engage",
                state=w.index.said(state),
                kind=Term(str(support.kind)),
                year=support.year or say("an unrecorded year"),
            )
        ],
        [(candidate, support.obligation)],
    )


def _elsewhere(w: Wording, signal: str, state: str, candidate: str,
               facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``technical_support_elsewhere``."""
    listed = Listing(tuple(w.index.said(x) for x in facts[:3]))
    return (
        [say("gives technical support elsewhere: {names}", names=listed)],
        [(candidate, x) for x in facts],
    )


def _same_region(w: Wording, signal: str, state: str, candidate: str,
                 facts: tuple[Any, ...]) -> Reason:  # fmt: skip
    """``same_region``."""
    return [
        say(
            "in the same region as {state} ({region})",
            state=w.index.said(state),
            region=w.region(str(facts[0])),
        )
    ], []


_REASONS: dict[str, Callable[[Wording, str, str, str, tuple[Any, ...]], Reason]] = {
    "current_funder": _funder,
    "past_funder": _funder,
    "funding_continuity": _continuity,
    "regional_funder": _in_region,
    "regional_footprint": _in_region,
    "funds_operator_there": _funds_operator,
    "shared_language": _language,
    "masg_member": _masg,
    "donor_size": _size,
    "operates_there": _works_there,
    "works_there": _works_there,
    "funded_by_target_donors": _funded_by_donors,
    "field_reach": _reach,
    "clearance_experience": _experience,
    "completion_experience": _completion,
    "supported_target_before": _supported_before,
    "technical_support_elsewhere": _elsewhere,
    "same_region": _same_region,
}
"""How each signal is worded."""
