"""Synergy gaps: where an affected State's obligations, coalition or supporters fall short.

Every function takes the NetworkX graph built by :func:`ccm_graph.graph.build_graph`, never
changes it, and returns :class:`Gap` records sorted from most to least severe. Each gap carries
the evidence a coordinator can quote in a meeting and a suggested next step.

The rules, their formulas and their limits are explained for coordinators in
``docs/analysis.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..wording import (
    ENGLISH,
    N_,
    Command,
    Listing,
    Money,
    Phrase,
    Term,
    Voice,
    provenance_mark,
    say,
    say_n,
    year_window,
)
from ._index import (
    CCM_CONVENTIONS,
    Forums,
    FundingFact,
    GraphIndex,
)
from ._window import Funding, assistance_of, window_support

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "GAP_KINDS",
    "GAP_RULES",
    "HORIZON_DAYS",
    "LEVELS",
    "Gap",
    "GapRule",
    "ObligationCoverage",
    "assistance_of_state",
    "coalition_composition_gaps",
    "cross_convention_gaps",
    "extension_resource_gaps",
    "gap_rule",
    "gaps_by_state",
    "level",
    "masg_reach_gaps",
    "no_coalition_gaps",
    "obligation_coverage",
    "obligation_urgency",
    "synergy_gaps",
    "urgency_of",
]

DONOR_KINDS = ("state", "regional_org", "international_org")
"""Actor kinds that give money (MASG also lists secretariats and operators as participants)."""

HORIZON_DAYS = 5 * 365
"""Deadlines further away than this add no urgency; a passed deadline adds full urgency."""


@dataclass(frozen=True)
class GapRule:
    """One rule of the gap report: the function, the gap kinds it finds, what it checks."""

    name: str
    function: Callable[..., list[Gap]]
    kinds: tuple[str, ...]
    description: str


GAP_RULES: dict[str, GapRule] = {}
"""Every gap rule, in report order. Add a gap kind by writing one function decorated with
:func:`gap_rule`: the report, ``--kind`` choices and documentation checks pick it up."""


def gap_rule(*kinds: str) -> Callable[[Callable[..., list[Gap]]], Callable[..., list[Gap]]]:
    """Register a rule function that finds gaps of ``kinds`` (its docstring's first line is
    the rule's description)."""

    def register(function: Callable[..., list[Gap]]) -> Callable[..., list[Gap]]:
        description = (function.__doc__ or "").strip().splitlines()[0]
        GAP_RULES[function.__name__] = GapRule(function.__name__, function, kinds, description)
        return function

    return register


@dataclass(frozen=True)
class Gap:
    """One synergy gap.

    :ivar kind: one of :data:`GAP_KINDS`.
    :ivar subjects: ids of the records the gap is about (the State, obligation, coalition,
        actor…), most important first; ``names`` holds their labels in the same order.
    :ivar severity: 0 (no concern) to 1 (act now); ``level`` is ``high`` (≥ 0.5),
        ``medium`` (≥ 0.25) or ``low``, or ``info`` for an informational finding.
    :ivar summary: the finding in one sentence; it names its window ("in 2023–2026") or its
        date ("as of 2026-02-27").
    :ivar evidence: the facts and relations that produced it, one sentence each.
    :ivar next_step: what a coordinator could do about it.
    :ivar state: the affected State the finding is about (``None`` for findings about a donor,
        forum member or organisation in general).
    :ivar informational: a fact worth knowing, not a shortfall to act on (e.g. the coverage of
        a State that has not asked for assistance); its severity is 0 and its level ``info``.
    :ivar phrases: the summary, each line of evidence and the next step as
        :class:`~ccm_graph.wording.Phrase` (template and data), so a hand-out words them in
        its language (:meth:`worded`); ``summary``, ``evidence`` and ``next_step`` are their
        English.
    """

    kind: str
    subjects: tuple[str, ...]
    names: tuple[str, ...]
    severity: float
    summary: str
    evidence: tuple[str, ...]
    next_step: str
    state: str | None = None
    informational: bool = False
    phrases: GapPhrases | None = field(default=None, compare=False, repr=False)

    @property
    def level(self) -> str:
        return "info" if self.informational else level(self.severity)

    def worded(self, voice: Voice = ENGLISH) -> tuple[str, tuple[str, ...], str]:
        """``(summary, evidence, next_step)`` in ``voice``'s language (the English fields for
        :data:`~ccm_graph.wording.ENGLISH`, or for a gap made without phrases)."""
        if self.phrases is None or voice is ENGLISH:
            return self.summary, self.evidence, self.next_step
        said = self.phrases
        return (
            said.summary.render(voice),
            tuple(p.render(voice) for p in said.evidence),
            said.next_step.render(voice),
        )

    def as_record(self) -> dict[str, object]:
        """A plain dict with stable keys (the JSON and CSV form)."""
        return {
            "kind": self.kind,
            "level": self.level,
            "severity": self.severity,
            "state": self.state,
            "subjects": list(self.subjects),
            "names": list(self.names),
            "summary": self.summary,
            "evidence": list(self.evidence),
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class GapPhrases:
    """A gap's sentences as phrases (see :attr:`Gap.phrases`)."""

    summary: Phrase
    evidence: tuple[Phrase, ...]
    next_step: Phrase


LEVELS = ("high", "medium", "low", "info")
"""The levels of a gap, most severe first; ``info`` is below ``low``."""


def level(severity: float) -> str:
    """``high``, ``medium`` or ``low`` for a severity between 0 and 1.

    >>> level(0.5), level(0.25), level(0.1)
    ('high', 'medium', 'low')
    """
    return "high" if severity >= 0.5 else "medium" if severity >= 0.25 else "low"


def _gap(index: GraphIndex, kind: str, subjects: Iterable[str], severity: float,
         summary: Phrase, evidence: Iterable[Phrase], next_step: Phrase, *,
         state: str | None = None, informational: bool = False) -> Gap:  # fmt: skip
    ids = tuple(subjects)
    facts = tuple(evidence)
    return Gap(
        kind=kind,
        subjects=ids,
        names=tuple(index.name(s) for s in ids),
        severity=0.0 if informational else round(min(max(severity, 0.0), 1.0), 3),
        summary=str(summary),
        evidence=tuple(str(f) for f in facts),
        next_step=str(next_step),
        state=state,
        informational=informational,
        phrases=GapPhrases(summary, facts, next_step),
    )


def _sorted(gaps: Iterable[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (-g.severity, g.informational, g.kind, g.subjects))


def gaps_by_state(gaps: Iterable[Gap]) -> list[tuple[str | None, list[Gap]]]:
    """Findings grouped by the State they are about, the group with the most severe finding
    first; within a group, most severe first. Findings about no State (donors, forum
    members, organisations) come last, as one group under ``None``.

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [state for state, _ in gaps_by_state(synergy_gaps(tiny_graph(), as_of="2026-01-01"))]
    ['B', 'A']
    """
    groups: dict[str | None, list[Gap]] = {}
    for gap in _sorted(gaps):
        groups.setdefault(gap.state, []).append(gap)
    order = sorted(
        (state for state in groups if state is not None),
        key=lambda state: (_group_rank(groups[state]), state),
    )
    result: list[tuple[str | None, list[Gap]]] = [(state, groups[state]) for state in order]
    if None in groups:
        result.append((None, groups[None]))
    return result


def _group_rank(gaps: list[Gap]) -> tuple[float, int]:
    top = gaps[0]
    return (-top.severity, LEVELS.index(top.level))


def assistance_of_state(index: GraphIndex, state: str) -> str:
    """Whether a State asked for international assistance for its open Article 3/4
    obligations: ``requested``, ``not_requested`` or ``unknown`` (see
    :func:`~ccm_graph.analysis.support.assistance_of`)."""
    return assistance_of(
        index.graph.nodes[ob].get("assistance_requested") for ob in index.open_obligations(state)
    )


# --- obligation urgency and coverage ---------------------------------------------------------


def obligation_urgency(
    deadline: str | None,
    extensions: int | None,
    as_of: date,
    *,
    requested: str | None = None,
    outcome: str | None = None,
    data_as_of: date | None = None,
) -> tuple[float, list[str]]:
    """How pressing an obligation is, from 0 to 1, with the reasons.

    ``urgency = 0.75 × deadline pressure + 0.25 × extension history`` where deadline pressure
    is 1 for a passed deadline and falls linearly to 0 at :data:`HORIZON_DAYS` away, and
    extension history is the number of extensions granted, counted up to 3, divided by 3.

    A passed deadline with an extension request whose outcome is ``pending`` or
    ``not_recorded`` (``requested`` is its date) says so: the State is probably not in
    breach, the data just does not hold the decision. So does a deadline that passed after
    the data's own date (``data_as_of``): a later decision may not be recorded.

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
    """
    urgency, reasons = urgency_phrases(
        deadline, extensions, as_of, requested=requested, outcome=outcome, data_as_of=data_as_of
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
) -> tuple[float, list[Phrase]]:
    """:func:`obligation_urgency` with its reasons as :class:`~ccm_graph.wording.Phrase`."""
    reasons: list[Phrase] = []
    pressure = 0.0
    if deadline:
        days = (date.fromisoformat(deadline) - as_of).days
        if days <= 0:
            pressure = 1.0
            if requested and outcome == "not_recorded":
                reasons.append(say("deadline {deadline} has passed; the outcome of the extension "
                                   "request of {requested} is not recorded",
                                   deadline=deadline, requested=requested))  # fmt: skip
            elif requested and outcome == "pending":
                reasons.append(say("deadline {deadline} has passed; the extension request of "
                                   "{requested} awaits a decision",
                                   deadline=deadline, requested=requested))  # fmt: skip
            elif days < 0 and _after_data(deadline, data_as_of):
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


def _after_data(deadline: str, data_as_of: date | None) -> bool:
    """Whether a deadline falls after the data's own date (so the data cannot know what was
    decided about it)."""
    return data_as_of is not None and date.fromisoformat(deadline) > data_as_of


def urgency_of(obligation: Mapping[str, Any], as_of: date,
               data_as_of: date | None = None) -> tuple[float, list[str]]:  # fmt: skip
    """:func:`obligation_urgency` of an obligation node's attributes; the deadline reason
    says ``(indicative)`` when the obligation's source does (see
    :func:`ccm_graph.wording.provenance_mark`)."""
    urgency, reasons = _urgency_of(obligation, as_of, data_as_of)
    return urgency, [str(r) for r in reasons]


def _urgency_of(obligation: Mapping[str, Any], as_of: date,
                data_as_of: date | None = None) -> tuple[float, list[Phrase]]:  # fmt: skip
    urgency, reasons = urgency_phrases(
        obligation.get("deadline"),
        obligation.get("extensions"),
        as_of,
        requested=obligation.get("extension_requested"),
        outcome=obligation.get("request_outcome"),
        data_as_of=data_as_of,
    )
    mark = provenance_mark(obligation.get("source"))
    if mark and reasons and reasons[0].text.startswith("deadline "):
        reasons[0] = say("{reason} ({mark})", reason=reasons[0], mark=Term(mark))
    return urgency, reasons


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
    urgency, reasons = _urgency_of(data, index.as_of, index.data_as_of)
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
    as_of : the reference date (default today); deadlines and the funding window count from it.
    window_years : funding in the ``window_years`` years before the as-of year (and in it)
        counts as recent.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [(g.subjects[0], g.level) for g in obligation_coverage(tiny_graph(), as_of="2026-01-01")]
    [('ob-B-4', 'high'), ('ob-A-4', 'low')]
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    window = index.window_text()
    gaps = []
    for state in index.affected_states():
        no_ask = assistance_of_state(index, state) == "not_requested"
        for obligation in index.open_obligations(state):
            cov = _coverage(index, obligation)
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
            evidence.append(say("coalition: {coalitions}", coalitions=coalitions)
                            if cov.coalitions else say("no coalition"))  # fmt: skip
            supporters = _count_supporters(len(cov.supporters))
            if no_ask:
                evidence.append(_no_ask(index, state))
                summary = say("{obligation}: {supporters} recorded in {window}; the State has "
                              "not asked for assistance", obligation=index.said(obligation),
                              supporters=supporters, window=window)  # fmt: skip
                next_step = say("None for now: ask at the next meeting whether its own plan "
                                "and budget still cover the work.")  # fmt: skip
            else:
                deadline = _deadline_words(index, obligation)
                money_text = (cov.funding.phrase() if cov.funding.grants
                              else say("no funding"))  # fmt: skip
                summary = say("{obligation}: {deadline}; {supporters} and {funding} "
                              "recorded in {window}", obligation=index.said(obligation),
                              deadline=deadline, supporters=supporters, funding=money_text,
                              window=window)  # fmt: skip
                next_step = (
                    say("Raise it with the State and its partners now; consider proposing a "
                        "coalition.")
                    if cov.severity >= 0.5 and not cov.coalitions
                    else say("Raise it with the State and its partners now.")
                    if cov.severity >= 0.5
                    else say("Follow up with the State on its plan and on who could close the "
                             "gap.")
                    if cov.severity >= 0.25
                    else say("Keep under review.")
                )  # fmt: skip
            gaps.append(_gap(index, "obligation_coverage", (obligation, state), cov.severity,
                             summary, evidence, next_step, state=state,
                             informational=no_ask))  # fmt: skip
    return _sorted(gaps)


def _no_ask(index: GraphIndex, state: str) -> Phrase:
    return say("{state} has not asked for international assistance", state=index.said(state))


def _count_supporters(number: int) -> Phrase:
    """``no supporter``, ``1 supporter``, ``3 supporters``."""
    if number == 0:
        return say("no supporter")
    return say_n("{count} supporter", "{count} supporters", number)


def _deadline_words(index: GraphIndex, obligation: str) -> Phrase:
    """``deadline 2026-05-01, in 63 days``, ``deadline 2025-08-01 passed (outcome of the 2024
    request not recorded)``, ``deadline 2026-10-01 passed after the data's date of 2026-02-27
    (a later decision may not be recorded)``."""
    data = index.graph.nodes[obligation]
    deadline = data.get("deadline")
    if not deadline:
        return say("deadline not recorded")
    days = (date.fromisoformat(deadline) - index.as_of).days
    if days > 0:
        return say_n(
            "deadline {deadline}, in {count} day",
            "deadline {deadline}, in {count} days",
            days,
            deadline=deadline,
        )
    requested = (data.get("extension_requested") or "")[:4]
    outcome = data.get("request_outcome")
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
    if days < 0 and _after_data(deadline, index.data_as_of):
        return say(
            "deadline {deadline} passed after the data's date of {data_date} (a later "
            "decision may not be recorded)",
            deadline=deadline,
            data_date=str(index.data_as_of),
        )
    return say("deadline {deadline} passed", deadline=deadline)


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
            urgency, reasons = _urgency_of(data, index.as_of, index.data_as_of)
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
        gaps.append(_gap(
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
    return _sorted(gaps)


@gap_rule("cross_convention", "apmbc_only_actor")
def cross_convention_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Where Ottawa Convention (APMBC) support does not reach CCM obligations.

    Two findings:

    * ``cross_convention``: for an affected State Party of both conventions, actors that
      funded it under the APMBC or for mine action in general in the window, but recorded no
      CCM support for it in any year (no ``SUPPORTS`` of its obligations, no ``FUNDS`` marked
      CCM or both). Severity ``0.2 + 0.15 × urgency`` of the State's most urgent obligation,
      plus 0.05 per such supporter, at most 0.45 (a question to put to donors, never high).
      States that have not asked for international assistance are left out.
    * ``apmbc_only_actor``: members of the APMBC cooperation committee with no CCM cooperation
      recorded in any year (no CCM forum, work-plan activity, coalition, ``SUPPORTS`` or CCM
      funding). Severity 0.2 (low: an opening for synergy, not a shortfall).
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        data = index.graph.nodes[state]
        if data.get("apmbc_status") != "state_party":
            continue
        if assistance_of_state(index, state) == "not_requested":
            continue
        funding = index.funding_to_state(state)
        ccm_supporters = {f.funder for f in funding if f.convention in CCM_CONVENTIONS}
        for ob in index.obligations_of.get(state, []):
            ccm_supporters |= {s.actor for s in index.supports_in.get(ob, [])}
        mine_action_only: dict[str, list[FundingFact]] = {}
        for fact in funding:
            if (
                index.is_recent(fact.year)
                and fact.convention in ("APMBC", "general", None)
                and fact.funder not in ccm_supporters
            ):
                mine_action_only.setdefault(fact.funder, []).append(fact)
        if not mine_action_only:
            continue
        urgency = max(
            urgency_of(index.graph.nodes[o], index.as_of)[0]
            for o in index.open_obligations(state)
        )  # fmt: skip
        evidence = [
            say("{funder} funded {target} ({convention}, {year}, {amount}) but no CCM support "
                "is recorded", funder=index.said(funder), target=index.said(facts[0].target),
                convention=Term(facts[0].convention) if facts[0].convention
                else say("convention not recorded"),
                year=facts[0].year, amount=Money(facts[0].amount_usd))
            for funder, facts in sorted(mine_action_only.items())
        ]  # fmt: skip
        severity = min(0.2 + 0.15 * urgency + 0.05 * len(mine_action_only), 0.45)
        donors = len(mine_action_only)
        gaps.append(_gap(
            index, "cross_convention", (state, *sorted(mine_action_only)), severity,
            say_n("{count} donor funded {state}'s mine action in {window} but records no "
                  "support for its CCM obligations in any year",
                  "{count} donors funded {state}'s mine action in {window} but record no "
                  "support for its CCM obligations in any year", donors,
                  state=index.said(state), window=index.window_text()),
            evidence,
            say("Ask whether their mine action funding covers cluster munition remnants and "
                "invite them to support the Article 4 plan explicitly."),
            state=state,
        ))  # fmt: skip
    committee = index.forums.apmbc_committee
    for actor in sorted(a for a, f in index.forums_of.items() if committee in f):
        if _ccm_active(index, actor):
            continue
        gaps.append(_gap(
            index, "apmbc_only_actor", (actor,), 0.2,
            say("{actor} works on cooperation under the APMBC; no CCM cooperation is recorded "
                "for it in any year", actor=index.said(actor)),
            [say("{role} of {forum}", role=Term(index.forums_of[actor][committee]),
                 forum=index.said(committee)),
             say("no CCM forum, work-plan activity, coalition, SUPPORTS or CCM funding "
                 "recorded")],
            say("Invite it to the CCM cooperation and assistance discussions (synergy with the "
                "APMBC committee)."),
        ))  # fmt: skip
    return _sorted(gaps)


def _ccm_active(index: GraphIndex, actor: str) -> bool:
    if any(index.is_ccm_body(f) for f in index.forums_of.get(actor, {})):
        return True
    if index.participates.get(actor) or index.supports_out.get(actor):
        return True
    if index.joined.get(actor):
        return True
    return any(f.convention in CCM_CONVENTIONS for f in index.funding_out.get(actor, []))


def _reach(index: GraphIndex, affected: set[str]) -> dict[str, list[tuple[str, bool]]]:
    """Where money reaches affected States: record id → [(State, through an operator?)]."""
    reach: dict[str, list[tuple[str, bool]]] = {}
    for state in sorted(affected):
        for target in index.support_targets(state):
            reach.setdefault(target, []).append((state, False))
        for operator in index.operators_in.get(state, ()):
            reach.setdefault(operator, []).append((state, True))
    return reach


def _supports_affected(
    index: GraphIndex,
    actor: str,
    affected: set[str],
    reach: dict[str, list[tuple[str, bool]]],
    *,
    in_window: bool = True,
) -> list[tuple[int | None, Phrase]]:
    """How an actor reaches affected States: ``(year, sentence)`` pairs, empty if it does not.

    An actor reaches an affected State when it funds the State, its national authority, its
    coalition or an operator working there, supports one of its obligations (dated in the
    window when ``in_window``, else in any year), is a member of its coalition, or operates in
    it itself (memberships and presence as of the index's date; ``year`` ``None``). A State's
    support for its own obligation is not reach.
    """
    found: set[tuple[int | None, Phrase]] = set()
    for fact in index.funding_out.get(actor, []):
        if fact.year is None or (in_window and not index.is_recent(fact.year)):
            continue
        for state, via_operator in reach.get(fact.target, ()):
            if via_operator:
                found.add((fact.year, say("funds {target} ({year}), which operates in {state}",
                                          target=index.said(fact.target), year=fact.year,
                                          state=index.said(state))))  # fmt: skip
            else:
                found.add(
                    (
                        fact.year,
                        say(
                            "funds {target} ({year})",
                            target=index.said(fact.target),
                            year=fact.year,
                        ),
                    )
                )
    for support in index.supports_out.get(actor, []):
        if support.year is None or (in_window and not index.is_recent(support.year)):
            continue
        bound_state = next(iter(index.graph.predecessors(support.obligation)), None)
        if bound_state in affected and bound_state != actor:
            found.add((support.year, say("supports {obligation} ({year})",
                                         obligation=index.said(support.obligation),
                                         year=support.year)))  # fmt: skip
    for coalition, role in index.joined.get(actor, {}).items():
        if index.focus_of.get(coalition) in affected:
            found.add(
                (
                    None,
                    say("{role} in {coalition}", role=Term(role), coalition=index.said(coalition)),
                )
            )
    for state in sorted(index.operates_in.get(actor, set()) & affected):
        found.add((None, say("operates in {state}", state=index.said(state))))
    return sorted(found, key=lambda pair: (-(pair[0] or 9999), str(pair[1])))


@gap_rule("masg_member_without_ccm_support", "donor_outside_masg")
def masg_reach_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
    notable_usd: float = 1_000_000,
) -> list[Gap]:  # fmt: skip
    """MASG members that reach no CCM-affected State in the window; notable donors outside MASG.

    Nothing is reported when the data holds no MASG forum (``forums.masg``). The named query
    ``masg-footprint`` (with ``since_year`` and ``as_of``) lists the same reach per member.

    * ``masg_member_without_ccm_support``: a MASG member (a State, regional or international
      organisation; not a secretariat) that reaches no affected State Party in the window:
      no funding dated in the window to the State, its authority, its coalition or an operator
      working there, no ``SUPPORTS`` of its obligations dated in the window, no role in its
      coalition and no presence of its own there (``OPERATES_IN``). Severity 0.3 (medium) when
      the data records no such support in any year; 0.15 (low) when it records some before
      the window (the evidence names the latest: the data may simply be out of date).
    * ``donor_outside_masg``: a State or regional organisation that funded affected States
      Parties in the window (at least ``notable_usd`` in known amounts, or two or more grants)
      and is not a MASG member. Severity 0.3, plus 0.1 per USD 10 million, at most 0.45.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    affected = set(index.affected_states())
    gaps = []
    if not affected or index.forums.masg not in index.graph:
        return []  # no affected State, or no MASG in the data to be a member of
    window = index.window_text()
    reach = _reach(index, affected)
    for member in index.masg_members():
        if index.kind(member) not in DONOR_KINDS or _supports_affected(
            index, member, affected, reach
        ):
            continue
        earlier = _supports_affected(index, member, affected, reach, in_window=False)
        evidence = [
            say("{role} of {forum}", role=Term(index.forums_of[member][index.forums.masg]),
                forum=index.said(index.forums.masg)),
            say_n("no funding, support, coalition role or presence recorded in {window} for "
                  "the {count} affected State Party",
                  "no funding, support, coalition role or presence recorded in {window} for "
                  "any of the {count} affected States Parties", len(affected), window=window),
        ]  # fmt: skip
        if earlier:
            year = earlier[0][0]
            evidence.append(say("last recorded ({year}): {facts}", year=year, facts=Listing(
                tuple(text for y, text in earlier if y == year), "; ")))  # fmt: skip
        else:
            evidence.append(say("no support for an affected State Party recorded in any year"))
        gaps.append(_gap(
            index, "masg_member_without_ccm_support", (member,), 0.15 if earlier else 0.3,
            say("MASG member {member}: no recorded support for a CCM-affected State Party in "
                "{window}", member=index.said(member), window=window),
            evidence,
            say("Check whether the data misses its recent support before raising it; then "
                "present the Country Coalition model to it through the MASG Chair.")
            if earlier
            else say("Present the Country Coalition model to it through the MASG Chair."),
        ))  # fmt: skip
    donors: dict[str, list[FundingFact]] = {}
    for state in affected:
        for fact in index.funding_to_state(state):
            if index.is_recent(fact.year) and index.kind(fact.funder) in ("state", "regional_org"):
                donors.setdefault(fact.funder, []).append(fact)
    for donor, facts in sorted(donors.items()):
        own = index.support_targets(donor)  # an affected State funding its own work: not a donor
        facts = [f for f in facts if f.target not in own]
        if index.is_masg_member(donor) or not facts:
            continue
        total = sum(f.amount_usd for f in facts if f.amount_usd is not None)
        if total < notable_usd and len(facts) < 2:
            continue
        funding = Funding(
            total if any(f.amount_usd is not None for f in facts) else None,
            sum(1 for f in facts if f.amount_usd is not None),
            sum(1 for f in facts if f.amount_usd is None),
        )
        evidence = [say("funded {target} in {year} ({amount})", target=index.said(f.target),
                        year=f.year, amount=Money(f.amount_usd)) for f in facts]  # fmt: skip
        evidence.append(say("not a member of {forum} in the data",
                            forum=index.said(index.forums.masg)))  # fmt: skip
        gaps.append(_gap(
            index, "donor_outside_masg", (donor,), min(0.3 + 0.1 * total / 10_000_000, 0.45),
            say("{donor} funded affected States Parties in {window} ({funding}) but is not a "
                "MASG member", donor=index.said(donor), window=window,
                funding=funding.phrase()),
            evidence,
            say("Invite it to MASG meetings and to the coalitions of the States it funds."),
        ))  # fmt: skip
    return _sorted(gaps)


COALITION_NEEDS = (
    (N_("lead or partner State"), 0.5),
    (N_("funder"), 0.5),
    (N_("national authority"), 0.4),
    (N_("operator active in the country"), 0.3),
    (N_("technical partner"), 0.25),
)


@gap_rule("coalition_composition")
def coalition_composition_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Live coalitions missing a role they need, with candidates who could fill it.

    The needs (and severities): a lead or partner State (0.5), a funder (0.5), the national
    authority (0.4), an operator active in the country (0.3) and a technical partner (0.25).
    Roles count by the member's role (``lead``, ``partner``, ``donor``, ``operator``,
    ``national_authority``, ``technical_partner``) or by its kind; a ``FUNDS`` relation to the
    coalition also counts as a funder.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for coalition in sorted(index.focus_of):
        if index.graph.nodes[coalition].get("status") not in ("proposed", "forming", "active"):
            continue
        state = index.focus_of[coalition]
        members = index.members.get(coalition, {})
        present = _roles_present(index, coalition, state, members)
        candidates = _role_candidates(index, state, members)
        member_text = Listing(tuple(
            say("{member} ({role})", member=index.said(m), role=Term(r))
            for m, r in sorted(members.items())
        ))  # fmt: skip
        for need, severity in COALITION_NEEDS:
            if present[need]:
                continue
            names = [index.said(c) for c in candidates[need]]
            role = Phrase(need)
            evidence = [say("members: {members}", members=member_text) if members
                        else say("members: none recorded")]  # fmt: skip
            evidence.append(
                say("candidates: {names}", names=Listing(tuple(names)))
                if names
                else say("no candidate found in the data")
            )
            if len(names) > 1:
                step = say("Approach {first} or {second} as {need}.", first=names[0],
                           second=names[1], need=role)  # fmt: skip
            elif names:
                step = say("Approach {first} as {need}.", first=names[0], need=role)
            else:
                step = say("Look for a {need} beyond the data.", need=role)
            gaps.append(_gap(
                index, "coalition_composition", (coalition, state, *candidates[need]), severity,
                say("{coalition} has no {need} as of {date}", coalition=index.said(coalition),
                    need=role, date=index.as_of.isoformat()),
                evidence,
                step,
                state=state,
            ))  # fmt: skip
    return _sorted(gaps)


def _roles_present(
    index: GraphIndex, coalition: str, state: str, members: dict[str, str]
) -> dict[str, bool]:
    def has(roles: tuple[str, ...], kinds: tuple[str, ...] = ()) -> bool:
        return any(r in roles or index.kind(m) in kinds for m, r in members.items() if m != state)

    return {
        "lead or partner State": any(
            r in ("lead", "partner", "donor") and index.kind(m) in ("state", "regional_org")
            for m, r in members.items()
            if m != state
        ),
        "funder": has(("donor",)) or bool(index.funding_in.get(coalition)),
        "national authority": has(("national_authority",), ("national_authority",)),
        "operator active in the country": has(("operator",), ("operator",)),
        "technical partner": has(("technical_partner",), ("international_org",)),
    }


def _role_candidates(
    index: GraphIndex, state: str, members: dict[str, str]
) -> dict[str, list[str]]:
    funders: dict[str, float] = {}
    for fact in index.funding_to_state(state):
        if fact.funder not in members and index.kind(fact.funder) in ("state", "regional_org"):
            funders[fact.funder] = funders.get(fact.funder, 0) + (fact.amount_usd or 0)
    by_money = [f for f, _ in sorted(funders.items(), key=lambda kv: (-kv[1], kv[0]))]
    in_country = sorted(index.operators_in.get(state, set()) - set(members))
    operators = [o for o in in_country if index.kind(o) == "operator"]
    technical = [o for o in in_country if index.kind(o) == "international_org"]
    return {
        "lead or partner State": by_money[:3],
        "funder": by_money[:3],
        "national authority": sorted(index.authorities_of.get(state, set()) - set(members)),
        "operator active in the country": operators[:3],
        "technical partner": technical[:3],
    }


@gap_rule("extension_without_resources")
def extension_resource_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Obligations with an extension requested and no support recorded since the request.

    Support since the request is a ``SUPPORTS`` of the obligation (the State's own national
    funding included), or ``FUNDS`` to the State, its authority or its coalition, dated in or
    after the year of the latest request. Severity ``0.25 + 0.2 × urgency``: always medium (a
    request without resources behind it is worth raising with the Survey and Clearance
    Coordinators), more urgent obligations first. For a State that has not asked for
    international assistance the finding is informational.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        for ob in index.open_obligations(state):
            data = index.graph.nodes[ob]
            requested = data.get("extension_requested")
            if not requested:
                continue
            since = int(requested[:4])
            later_support = [s for s in index.supports_in.get(ob, [])
                             if s.year is not None and s.year >= since]  # fmt: skip
            later_funding = [f for f in index.funding_to_state(state)
                             if f.year is not None and f.year >= since]  # fmt: skip
            if later_support or later_funding:
                continue
            urgency, reasons = _urgency_of(data, index.as_of, index.data_as_of)
            no_ask = assistance_of_state(index, state) == "not_requested"
            evidence = [say("latest extension request: {requested}", requested=requested),
                        *reasons,
                        say("no SUPPORTS or FUNDS dated {year} or later", year=since)]  # fmt: skip
            if no_ask:
                evidence.append(_no_ask(index, state))
            gaps.append(_gap(
                index, "extension_without_resources", (ob, state), 0.25 + 0.2 * urgency,
                say("{obligation}: extension requested {requested}; no support recorded in "
                    "{window}", obligation=index.said(ob), requested=requested,
                    window=year_window(since, index.as_of.year)),
                evidence,
                say("None for now: the State funds its own work; ask whether its budget covers "
                    "the extended plan.") if no_ask else
                say("Work with the Survey and Clearance Coordinators so the request comes with "
                    "a resource mobilisation plan; approach its past funders."),
                state=state, informational=no_ask,
            ))  # fmt: skip
    return _sorted(gaps)


GAP_KINDS: tuple[str, ...] = tuple(kind for rule in GAP_RULES.values() for kind in rule.kinds)
"""Every gap kind, in report order."""


def synergy_gaps(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    forums: Forums | None = None,
    kinds: Iterable[str] | None = None,
    index: GraphIndex | None = None,
) -> list[Gap]:
    """Every gap rule of :data:`GAP_RULES` at once, most severe first.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph`` (see :func:`ccm_graph.graph.build_graph`).
    as_of : reference date for deadlines and the funding window (default today).
    window_years : how many years before the as-of year count as recent funding.
    forums : which forum ids are MASG, the APMBC committee and the CCM bodies.
    kinds : keep only these gap kinds (see :data:`GAP_KINDS`).
    index : a :class:`GraphIndex` of ``G`` already built (e.g. shared with a
        :class:`~ccm_graph.analysis.PartnerRecommender`); ``as_of``, ``window_years`` and
        ``forums`` are then taken from it.

    Returns
    -------
    list of :class:`Gap`, sorted by severity (highest first), then kind and subjects. Empty
    when the graph has no affected State Party.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> sorted({g.kind for g in synergy_gaps(tiny_graph(), as_of="2026-01-01")})
    ['coalition_composition', 'extension_without_resources', 'no_coalition', 'obligation_coverage']
    """
    wanted = set(kinds) if kinds is not None else None
    if wanted is not None and (unknown := wanted - set(GAP_KINDS)):
        raise ValueError(f"unknown gap kind(s): {', '.join(sorted(unknown))}")
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    rules = [r for r in GAP_RULES.values() if wanted is None or wanted & set(r.kinds)]
    gaps = [gap for rule in rules for gap in rule.function(G, index=index)]
    if wanted is not None:
        gaps = [g for g in gaps if g.kind in wanted]
    return _sorted(gaps)
