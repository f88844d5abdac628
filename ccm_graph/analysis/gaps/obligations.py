"""Gap rules about an affected State's open obligations: how well each is supported
(``obligation_coverage``) and whether a coalition stands behind them (``no_coalition``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ...wording import Command, Listing, Phrase, Term, say, say_n
from .._coverage import funding_unknown
from .._index import Forums, GraphIndex
from .._window import Funding, window_support
from .record import Gap, assistance_of_state, gap_rule, make_gap, most_severe_first, not_asked
from .urgency import deadline_words, urgency_reasons

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ObligationCoverage", "no_coalition_gaps", "obligation_coverage"]


@dataclass(frozen=True)
class ObligationCoverage:
    """How well one open obligation is supported, and how urgent it is.

    ``support`` is the mean of four parts, each 0 to 1: distinct supporters in the window (3 or
    more count fully; the State itself is not a supporter), funding in the window (any, from a
    partner or national), technical presence (technical or material support in the window, or
    an operator working in the country) and a coalition (active or forming 1, proposed 0.5).
    ``severity = urgency × (1 − support)``. The supporters and money are those of
    :func:`~ccm_graph.analysis.support.window_support`, as in the support table.
    """

    obligation: str
    state: str
    urgency: float
    support: float
    supporters: tuple[str, ...]
    funding: Funding
    funders: tuple[str, ...]
    national_funding_years: tuple[int, ...]
    technical: tuple[str, ...]
    coalitions: tuple[str, ...]
    reasons: tuple[str, ...]
    reason_phrases: tuple[Phrase, ...] = field(default=(), compare=False, repr=False)

    @property
    def severity(self) -> float:
        return round(self.urgency * (1 - self.support), 3)


def _coverage(index: GraphIndex, obligation: str) -> ObligationCoverage:
    data = index.graph.nodes[obligation]
    state = next(iter(index.graph.predecessors(obligation)))
    urgency, reasons = urgency_reasons(data, index.as_of, index.data_as_of)
    facts = window_support(index, state, [obligation])
    national = tuple(y for y in facts.national_funding_years if index.is_recent(y))
    funders = sorted({g.funder for g in facts.grants})
    technical = sorted(set(facts.technical) | index.operators_in.get(state, set()))
    live = index.live_coalitions(state)
    coalition_part = 0.0
    for coalition in live:
        status = index.graph.nodes[coalition].get("status")
        coalition_part = max(coalition_part, 1.0 if status in ("active", "forming") else 0.5)
    parts = (
        min(len(facts.supporters) / 3, 1.0),
        1.0 if funders or national else 0.0,
        1.0 if technical else 0.0,
        coalition_part,
    )
    return ObligationCoverage(
        obligation=obligation,
        state=state,
        urgency=urgency,
        support=round(sum(parts) / 4, 3),
        supporters=facts.supporters,
        funding=facts.funding,
        funders=tuple(funders),
        national_funding_years=national,
        technical=tuple(technical),
        coalitions=tuple(live),
        reasons=tuple(str(r) for r in reasons),
        reason_phrases=tuple(reasons),
    )


@gap_rule("obligation_coverage")
def obligation_coverage(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Open Article 3 and 4 obligations ranked by urgency against the support they get.

    One gap per open (or extended) obligation of a State Party, severity
    ``urgency × (1 − support)`` (see :class:`ObligationCoverage`). A high severity means a
    deadline is near or passed, extensions have piled up, and few actors, little recent money
    and no coalition stand behind it.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph``.
    as_of : the reference date (default: the data's as-of date); deadlines and the funding
        window count from it.
    window_years : funding in the ``window_years`` years before the as-of year (and in it)
        counts as recent.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [(g.subjects[0], g.level) for g in obligation_coverage(tiny_graph(), as_of="2026-01-01")]
    [('ob-B-4', 'high'), ('ob-A-4', 'low')]
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        no_ask = assistance_of_state(index, state) == "not_requested"
        for obligation in index.open_obligations(state):
            gaps.append(_coverage_gap(index, state, _coverage(index, obligation), no_ask))
    return most_severe_first(gaps)


def _coverage_gap(index: GraphIndex, state: str, cov: ObligationCoverage, no_ask: bool) -> Gap:
    """The ``obligation_coverage`` finding of one obligation of ``state`` (informational when
    the State has not asked for assistance: ``no_ask``)."""
    window = index.window_text()
    obligation = cov.obligation
    evidence = _coverage_evidence(index, cov, window)
    unknown = funding_unknown(index, state, index.as_of.year - index.window_years)
    if unknown is not None:
        evidence.append(unknown)
    supporters = _count_supporters(len(cov.supporters))
    if no_ask:
        evidence.append(not_asked(index, state))
        summary = say("{obligation}: {supporters} recorded in {window}; the State has "
                      "not asked for assistance", obligation=index.said(obligation),
                      supporters=supporters, window=window)  # fmt: skip
        if unknown is not None:
            summary = say("{summary}; {coverage}", summary=summary, coverage=unknown)
        next_step = say("None for now: ask at the next meeting whether its own plan "
                        "and budget still cover the work.")  # fmt: skip
    else:
        deadline = deadline_words(index, obligation)
        money_text = (cov.funding.phrase() if cov.funding.grants
                      else say("no funding"))  # fmt: skip
        summary = say("{obligation}: {deadline}; {supporters} and {funding} "
                      "recorded in {window}", obligation=index.said(obligation),
                      deadline=deadline, supporters=supporters, funding=money_text,
                      window=window)  # fmt: skip
        if unknown is not None:
            summary = say("{summary}; {coverage}", summary=summary, coverage=unknown)
        next_step = _coverage_next_step(cov)
    return make_gap(index, "obligation_coverage", (obligation, state), cov.severity,
                    summary, evidence, next_step, state=state,
                    informational=no_ask)  # fmt: skip


def _coverage_evidence(index: GraphIndex, cov: ObligationCoverage, window: str) -> list[Phrase]:
    """The evidence lines of a coverage finding: the urgency reasons and scores, then each of
    the four parts of support (supporters, funding, technical presence, coalition)."""
    scores = say(
        "urgency {urgency}, support {support}",
        urgency=f"{cov.urgency:.2f}",
        support=f"{cov.support:.2f}",
    )
    evidence = [*cov.reason_phrases, scores]
    named = Listing(tuple(index.said(s) for s in cov.supporters))
    count = len(cov.supporters)
    evidence.append(
        say_n("{count} distinct supporter in {window}: {names}",
              "{count} distinct supporters in {window}: {names}", count,
              window=window, names=named)
        if count
        else say("no distinct supporter in {window}", window=window)
    )  # fmt: skip
    evidence.append(say("funding recorded in {window}: {funding}", window=window,
                        funding=cov.funding.phrase()))  # fmt: skip
    if cov.national_funding_years:
        evidence.append(say("national funding recorded in {year}",
                            year=cov.national_funding_years[-1]))  # fmt: skip
    evidence.append(
        say("technical presence: {names}",
            names=Listing(tuple(index.said(t) for t in cov.technical)))
        if cov.technical
        else say("no operator or technical support recorded")
    )  # fmt: skip
    coalitions = Listing(tuple(
        say("{coalition} ({status})", coalition=index.said(c),
            status=Term(str(index.graph.nodes[c].get("status"))))
        for c in cov.coalitions
    ))  # fmt: skip
    today = index.as_of.isoformat()  # "no coalition" is dated at the data's date
    evidence.append(say("coalition: {coalitions}", coalitions=coalitions) if cov.coalitions
                    else say("no coalition as of {date}", date=today))  # fmt: skip
    return evidence


def _coverage_next_step(cov: ObligationCoverage) -> Phrase:
    """What to do about an obligation, by its severity (and whether a coalition exists)."""
    if cov.severity >= 0.5 and not cov.coalitions:
        return say("Raise it with the State and its partners now; consider proposing a "
                   "coalition.")  # fmt: skip
    if cov.severity >= 0.5:
        return say("Raise it with the State and its partners now.")
    if cov.severity >= 0.25:
        return say("Follow up with the State on its plan and on who could close the gap.")
    return say("Keep under review.")


def _count_supporters(number: int) -> Phrase:
    """``no supporter``, ``1 supporter``, ``3 supporters``."""
    if number == 0:
        return say("no supporter")
    return say_n("{count} supporter", "{count} supporters", number)


@gap_rule("no_coalition")
def no_coalition_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Affected States Parties with time-bound obligations and no live coalition.

    A coalition is live when it is proposed, forming or active. A State that has not asked for
    international assistance (``assistance_requested`` is ``not_requested`` for all its open
    obligations) is never told to form a coalition: it gets no finding here.

    Severity ``0.1 + 0.35 × urgency`` of the State's most urgent open obligation (see
    :func:`obligation_urgency`): between 0.1 and 0.45, never high. A missing coalition is an
    opportunity; how pressing the obligation is shows in ``obligation_coverage``.

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [g.subjects for g in no_coalition_gaps(tiny_graph(), as_of="2026-01-01")]
    [('B', 'ob-B-4')]
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        if index.live_coalitions(state) or assistance_of_state(index, state) == "not_requested":
            continue
        scored = []
        for ob in index.open_obligations(state):
            data = index.graph.nodes[ob]
            urgency, reasons = urgency_reasons(data, index.as_of, index.data_as_of)
            scored.append((urgency, ob, reasons))
        urgency, most_urgent, reasons = max(scored, key=lambda item: (item[0], item[1]))
        ranked = sorted(scored, key=lambda item: (item[0], item[1]))[::-1]
        evidence = [say("open obligation: {obligation}", obligation=index.said(ob))
                    for _, ob, _ in ranked]  # fmt: skip
        evidence += reasons
        old = [
            c for c in index.coalitions_of.get(state, []) if c not in index.live_coalitions(state)
        ]
        if old:
            evidence.append(
                say_n(
                    "earlier coalition: {names}",
                    "earlier coalitions: {names}",
                    len(old),
                    names=Listing(tuple(index.said(c) for c in old)),
                )
            )
        else:
            evidence.append(say("no coalition recorded for this State"))
        asked = assistance_of_state(index, state)
        evidence.append(
            say("{state} has asked for international assistance", state=index.said(state))
            if asked == "requested"
            else say("whether it has asked for international assistance is not recorded")
        )
        gaps.append(make_gap(
            index, "no_coalition", (state, most_urgent), 0.1 + 0.35 * urgency,
            say("{state} has open obligations and no coalition as of {date}",
                state=index.said(state), date=index.as_of.isoformat()),
            evidence,
            say("Explore a Country Coalition with {state}: {see_partners}.",
                state=index.said(state), see_partners=Command(state))
            if asked == "requested"
            else say("Ask {state} whether it wants international assistance; if so, "
                     "{see_partners}.", state=index.said(state), see_partners=Command(state)),
            state=state,
        ))  # fmt: skip
    return most_severe_first(gaps)
