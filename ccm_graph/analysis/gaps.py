"""Synergy gaps: where an affected State's obligations, coalition or supporters fall short.

Every function takes the NetworkX graph built by :func:`ccm_graph.graph.build_graph`, never
changes it, and returns :class:`Gap` records sorted from most to least severe. Each gap carries
the evidence a coordinator can quote in a meeting and a suggested next step.

The rules, their formulas and their limits are explained for coordinators in
``docs/analysis.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ._index import (
    CCM_CONVENTIONS,
    Forums,
    FundingFact,
    GraphIndex,
    money,
)

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "GAP_KINDS",
    "GAP_RULES",
    "HORIZON_DAYS",
    "Gap",
    "GapRule",
    "ObligationCoverage",
    "coalition_composition_gaps",
    "cross_convention_gaps",
    "extension_resource_gaps",
    "gap_rule",
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
        ``medium`` (≥ 0.25) or ``low``.
    :ivar summary: the finding in one sentence.
    :ivar evidence: the facts and relations that produced it, one sentence each.
    :ivar next_step: what a coordinator could do about it.
    """

    kind: str
    subjects: tuple[str, ...]
    names: tuple[str, ...]
    severity: float
    summary: str
    evidence: tuple[str, ...]
    next_step: str

    @property
    def level(self) -> str:
        return level(self.severity)

    def as_record(self) -> dict[str, object]:
        """A plain dict with stable keys (the JSON and CSV form)."""
        record = asdict(self)
        record["subjects"] = list(self.subjects)
        record["names"] = list(self.names)
        record["evidence"] = list(self.evidence)
        record["level"] = self.level
        return record


def level(severity: float) -> str:
    """``high``, ``medium`` or ``low`` for a severity between 0 and 1."""
    return "high" if severity >= 0.5 else "medium" if severity >= 0.25 else "low"


def _gap(index: GraphIndex, kind: str, subjects: Iterable[str], severity: float, summary: str,
         evidence: Iterable[str], next_step: str) -> Gap:  # fmt: skip
    ids = tuple(subjects)
    return Gap(
        kind=kind,
        subjects=ids,
        names=tuple(index.name(s) for s in ids),
        severity=round(min(max(severity, 0.0), 1.0), 3),
        summary=summary,
        evidence=tuple(evidence),
        next_step=next_step,
    )


def _sorted(gaps: Iterable[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (-g.severity, g.kind, g.subjects))


# --- obligation urgency and coverage ---------------------------------------------------------


def obligation_urgency(
    deadline: str | None,
    extensions: int | None,
    as_of: date,
    *,
    requested: str | None = None,
    outcome: str | None = None,
) -> tuple[float, list[str]]:
    """How pressing an obligation is, from 0 to 1, with the reasons.

    ``urgency = 0.75 × deadline pressure + 0.25 × extension history`` where deadline pressure
    is 1 for a passed deadline and falls linearly to 0 at :data:`HORIZON_DAYS` away, and
    extension history is the number of extensions granted, counted up to 3, divided by 3.

    A passed deadline with an extension request whose outcome is ``pending`` or
    ``not_recorded`` (``requested`` is its date) says so: the State is probably not in
    breach, the data just does not hold the decision.

    >>> obligation_urgency("2026-08-01", 3, date(2026, 8, 1))
    (1.0, ['deadline 2026-08-01 has passed or is today', '3 extensions granted already'])
    >>> obligation_urgency("2025-08-01", 1, date(2026, 2, 27), requested="2024",
    ...                    outcome="not_recorded")[1][0]
    'deadline 2025-08-01 has passed; the outcome of the extension request of 2024 is not recorded'
    >>> obligation_urgency("2031-08-01", 0, date(2026, 8, 2))[0]
    0.0
    """
    reasons: list[str] = []
    pressure = 0.0
    if deadline:
        days = (date.fromisoformat(deadline) - as_of).days
        if days <= 0:
            pressure = 1.0
            if requested and outcome == "not_recorded":
                reasons.append(f"deadline {deadline} has passed; the outcome of the extension "
                               f"request of {requested} is not recorded")  # fmt: skip
            elif requested and outcome == "pending":
                reasons.append(f"deadline {deadline} has passed; the extension request of "
                               f"{requested} awaits a decision")  # fmt: skip
            else:
                reasons.append(f"deadline {deadline} has passed or is today")
        else:
            pressure = max(0.0, 1 - days / HORIZON_DAYS)
            reasons.append(f"deadline {deadline} is {days} days away")
    granted = extensions or 0
    if granted:
        reasons.append(f"{granted} extension{'s' if granted != 1 else ''} granted already")
    history = min(granted, 3) / 3
    return round(0.75 * pressure + 0.25 * history, 3), reasons


def urgency_of(obligation: Mapping[str, Any], as_of: date) -> tuple[float, list[str]]:
    """:func:`obligation_urgency` of an obligation node's attributes."""
    return obligation_urgency(
        obligation.get("deadline"),
        obligation.get("extensions"),
        as_of,
        requested=obligation.get("extension_requested"),
        outcome=obligation.get("request_outcome"),
    )


@dataclass(frozen=True)
class ObligationCoverage:
    """How well one open obligation is supported, and how urgent it is.

    ``support`` is the mean of four parts, each 0 to 1: distinct supporters (3 or more count
    fully), recent funding (any, in the window), technical presence (technical or material
    support, or an operator working in the country) and a coalition (active or forming 1,
    proposed 0.5). ``severity = urgency × (1 − support)``.
    """

    obligation: str
    state: str
    urgency: float
    support: float
    supporters: tuple[str, ...]
    recent_funding_usd: float
    funders: tuple[str, ...]
    technical: tuple[str, ...]
    coalitions: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def severity(self) -> float:
        return round(self.urgency * (1 - self.support), 3)


def _coverage(index: GraphIndex, obligation: str) -> ObligationCoverage:
    data = index.graph.nodes[obligation]
    state = next(iter(index.graph.predecessors(obligation)))
    urgency, reasons = urgency_of(data, index.as_of)
    supports = [s for s in index.supports_in.get(obligation, []) if s.year is None
                or index.is_recent(s.year)]  # fmt: skip
    recent_funding = [f for f in index.funding_to_state(state) if index.is_recent(f.year)]
    funders = sorted({f.funder for f in recent_funding} | {s.actor for s in supports
                      if s.kind == "financial"})  # fmt: skip
    supporters = sorted({s.actor for s in supports} | {f.funder for f in recent_funding})
    technical = sorted(
        {s.actor for s in supports if s.kind in ("technical", "material")}
        | index.operators_in.get(state, set())
    )
    live = index.live_coalitions(state)
    coalition_part = 0.0
    for coalition in live:
        status = index.graph.nodes[coalition].get("status")
        coalition_part = max(coalition_part, 1.0 if status in ("active", "forming") else 0.5)
    parts = (
        min(len(supporters) / 3, 1.0),
        1.0 if funders else 0.0,
        1.0 if technical else 0.0,
        coalition_part,
    )
    return ObligationCoverage(
        obligation=obligation,
        state=state,
        urgency=urgency,
        support=round(sum(parts) / 4, 3),
        supporters=tuple(supporters),
        recent_funding_usd=float(sum(f.amount_usd or 0 for f in recent_funding)),
        funders=tuple(funders),
        technical=tuple(technical),
        coalitions=tuple(live),
        reasons=tuple(reasons),
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
    gaps = []
    for state in index.affected_states():
        for obligation in index.open_obligations(state):
            cov = _coverage(index, obligation)
            evidence = [*cov.reasons]
            evidence.append(
                f"{len(cov.supporters)} distinct supporter(s) in {index.window_text()}"
                + (
                    f": {', '.join(index.name(s) for s in cov.supporters)}"
                    if cov.supporters
                    else ""
                )
            )
            evidence.append(
                f"recent funding recorded: {money(cov.recent_funding_usd)}"
                if cov.funders
                else f"no funding recorded for {index.window_text()}"
            )
            evidence.append(
                "technical presence: " + ", ".join(index.name(t) for t in cov.technical)
                if cov.technical
                else "no operator or technical support recorded"
            )
            coalitions = ", ".join(
                f"{index.name(c)} ({index.graph.nodes[c].get('status')})" for c in cov.coalitions
            )
            evidence.append(f"coalition: {coalitions}" if coalitions else "no coalition")
            severity = cov.severity
            summary = (
                f"{index.name(obligation)}: urgency {cov.urgency:.2f}, support {cov.support:.2f}"
            )
            next_step = (
                "Raise it with the State and its partners now; consider proposing a coalition."
                if severity >= 0.5 and not cov.coalitions
                else "Follow up with the State on its plan and on who could close the gap."
                if severity >= 0.25
                else "Keep under review."
            )
            gaps.append(_gap(index, "obligation_coverage", (obligation, state), severity,
                             summary, evidence, next_step))  # fmt: skip
    return _sorted(gaps)


@gap_rule("no_coalition")
def no_coalition_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Affected States Parties with time-bound obligations and no live coalition.

    A coalition is live when it is proposed, forming or active. Severity is the urgency of the
    State's most urgent open obligation (see :func:`obligation_urgency`), at least 0.1: having
    a time-bound obligation and no coalition is worth a look even with a distant deadline.

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [g.subjects for g in no_coalition_gaps(tiny_graph(), as_of="2026-01-01")]
    [('B', 'ob-B-4')]
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        if index.live_coalitions(state):
            continue
        scored = []
        for ob in index.open_obligations(state):
            data = index.graph.nodes[ob]
            urgency, reasons = urgency_of(data, index.as_of)
            scored.append((urgency, ob, reasons))
        urgency, most_urgent, reasons = max(scored)
        evidence = [f"open obligation: {index.name(ob)}" for _, ob, _ in sorted(scored)[::-1]]
        evidence += reasons
        old = [
            c for c in index.coalitions_of.get(state, []) if c not in index.live_coalitions(state)
        ]
        if old:
            evidence.append("earlier coalition(s): " + ", ".join(index.name(c) for c in old))
        else:
            evidence.append("no coalition recorded for this State")
        gaps.append(_gap(
            index, "no_coalition", (state, most_urgent), max(urgency, 0.1),
            f"{index.name(state)} has open obligations and no coalition",
            evidence,
            f"Explore a Country Coalition for {index.name(state)}: "
            f"see `ccm-graph recommend {state}` for partners.",
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
      CCM support for it (no ``SUPPORTS`` of its obligations, no ``FUNDS`` marked CCM or both).
      Severity ``0.25 + 0.25 × urgency`` of the State's most urgent obligation, plus 0.1 per
      such supporter, at most 1.
    * ``apmbc_only_actor``: members of the APMBC cooperation committee with no CCM cooperation
      recorded (no CCM forum, work-plan activity, coalition, ``SUPPORTS`` or CCM funding).
      Severity 0.3.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        data = index.graph.nodes[state]
        if data.get("apmbc_status") != "state_party":
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
            f"{index.name(funder)} funded {index.name(facts[0].target)} "
            f"({facts[0].convention or 'convention not recorded'}, {facts[0].year}, "
            f"{money(facts[0].amount_usd)}) but no CCM support is recorded"
            for funder, facts in sorted(mine_action_only.items())
        ]
        severity = min(0.25 + 0.25 * urgency + 0.1 * len(mine_action_only), 1.0)
        gaps.append(_gap(
            index, "cross_convention", (state, *sorted(mine_action_only)), severity,
            f"{len(mine_action_only)} supporter(s) of {index.name(state)}'s mine action "
            "record no support for its CCM obligations",
            evidence,
            "Ask whether their mine action funding covers cluster munition remnants and invite "
            "them to support the Article 4 plan explicitly.",
        ))  # fmt: skip
    committee = index.forums.apmbc_committee
    for actor in sorted(a for a, f in index.forums_of.items() if committee in f):
        if _ccm_active(index, actor):
            continue
        gaps.append(_gap(
            index, "apmbc_only_actor", (actor,), 0.3,
            f"{index.name(actor)} works on cooperation under the APMBC but not under the CCM",
            [f"{index.forums_of[actor][committee]} of {index.name(committee)}",
             "no CCM forum, work-plan activity, coalition, SUPPORTS or CCM funding recorded"],
            "Invite it to the CCM cooperation and assistance discussions (synergy with the "
            "APMBC committee).",
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
    index: GraphIndex, actor: str, affected: set[str], reach: dict[str, list[tuple[str, bool]]]
) -> list[str]:
    """Sentences saying how an actor supports affected States (empty if it does not)."""
    found = []
    for fact in index.funding_out.get(actor, []):
        if not index.is_recent(fact.year):
            continue
        for state, via_operator in reach.get(fact.target, ()):
            if via_operator:
                found.append(
                    f"funds {index.name(fact.target)} ({fact.year}), which operates in "
                    f"{index.name(state)}"
                )
            else:
                found.append(f"funds {index.name(fact.target)} ({fact.year})")
    for support in index.supports_out.get(actor, []):
        bound_state = next(iter(index.graph.predecessors(support.obligation)), None)
        if bound_state in affected:
            found.append(f"supports {index.name(support.obligation)}")
    for coalition, role in index.joined.get(actor, {}).items():
        if index.focus_of.get(coalition) in affected:
            found.append(f"{role} in {index.name(coalition)}")
    return sorted(set(found))


@gap_rule("masg_member_without_ccm_support", "donor_outside_masg")
def masg_reach_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
    notable_usd: float = 1_000_000,
) -> list[Gap]:  # fmt: skip
    """MASG members engaged with no CCM-affected State; notable donors outside MASG.

    Nothing is reported when the data holds no MASG forum (``forums.masg``).

    * ``masg_member_without_ccm_support``: a MASG member (a State, regional or international
      organisation; not a secretariat) with no recent funding of an affected
      State Party (directly, via its authority or coalition, or via an operator working there),
      no ``SUPPORTS`` of its obligations and no coalition role. Severity 0.4.
    * ``donor_outside_masg``: a State or regional organisation that funded affected States
      Parties in the window (at least ``notable_usd`` in total, or two or more grants) and is
      not a MASG member. Severity 0.3, plus 0.1 per USD 10 million, up to 0.6.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    affected = set(index.affected_states())
    gaps = []
    if not affected or index.forums.masg not in index.graph:
        return []  # no affected State, or no MASG in the data to be a member of
    reach = _reach(index, affected)
    for member in index.masg_members():
        if index.kind(member) not in DONOR_KINDS or _supports_affected(
            index, member, affected, reach
        ):
            continue
        gaps.append(_gap(
            index, "masg_member_without_ccm_support", (member,), 0.4,
            f"MASG member {index.name(member)} supports no CCM-affected State in the data",
            [f"{index.forums_of[member][index.forums.masg]} of {index.name(index.forums.masg)}",
             f"no funding, support or coalition role for the {len(affected)} affected States "
             f"Parties recorded in {index.window_text()}"],
            "Present the Country Coalition model to it through the MASG Chair.",
        ))  # fmt: skip
    donors: dict[str, list[FundingFact]] = {}
    for state in affected:
        for fact in index.funding_to_state(state):
            if index.is_recent(fact.year) and index.kind(fact.funder) in ("state", "regional_org"):
                donors.setdefault(fact.funder, []).append(fact)
    for donor, facts in sorted(donors.items()):
        if index.is_masg_member(donor):
            continue
        total = sum(f.amount_usd or 0 for f in facts)
        if total < notable_usd and len(facts) < 2:
            continue
        evidence = [f"funded {index.name(f.target)} in {f.year} ({money(f.amount_usd)})"
                    for f in facts]  # fmt: skip
        evidence.append(f"not a member of {index.name(index.forums.masg)} in the data")
        gaps.append(_gap(
            index, "donor_outside_masg", (donor,), min(0.3 + 0.1 * total / 10_000_000, 0.6),
            f"{index.name(donor)} funds affected States ({money(total)}) but is not in MASG",
            evidence,
            "Invite it to MASG meetings and to the coalitions of the States it funds.",
        ))  # fmt: skip
    return _sorted(gaps)


COALITION_NEEDS = (
    ("lead or partner State", 0.7),
    ("funder", 0.7),
    ("national authority", 0.6),
    ("operator active in the country", 0.5),
    ("technical partner", 0.4),
)


@gap_rule("coalition_composition")
def coalition_composition_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Live coalitions missing a role they need, with candidates who could fill it.

    The needs (and severities): a lead or partner State (0.7), a funder (0.7), the national
    authority (0.6), an operator active in the country (0.5) and a technical partner (0.4).
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
        member_text = ", ".join(f"{index.name(m)} ({r})" for m, r in sorted(members.items()))
        for need, severity in COALITION_NEEDS:
            if present[need]:
                continue
            names = [index.name(c) for c in candidates[need]]
            evidence = [f"members: {member_text or 'none recorded'}"]
            evidence.append(
                f"candidates: {', '.join(names)}" if names else "no candidate found in the data"
            )
            gaps.append(_gap(
                index, "coalition_composition", (coalition, state, *candidates[need]), severity,
                f"{index.name(coalition)} has no {need}",
                evidence,
                f"Approach {names[0]}" + (f" or {names[1]}" if len(names) > 1 else "")
                + f" as {need}." if names else f"Look for a {need} beyond the data.",
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

    Support since the request is a ``SUPPORTS`` of the obligation, or ``FUNDS`` to the State,
    its authority or its coalition, dated in or after the year of the latest request. Severity:
    the obligation's urgency, at least 0.5 (an unresourced extension is a concern in itself).
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
            urgency, reasons = urgency_of(data, index.as_of)
            gaps.append(_gap(
                index, "extension_without_resources", (ob, state), max(urgency, 0.5),
                f"{index.name(ob)}: extension requested {requested}, no support recorded since",
                [f"latest extension request: {requested}", *reasons,
                 f"no SUPPORTS or FUNDS dated {since} or later"],
                "Work with the Survey and Clearance Coordinators so the request comes with a "
                "resource mobilisation plan; approach its past funders.",
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
