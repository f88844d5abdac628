"""Gap rules about the other forums: Ottawa Convention (APMBC) support that does not reach
CCM obligations (``cross_convention``, ``apmbc_only_actor``), and MASG members and donors
whose money does not reach CCM-affected States (``masg_member_without_ccm_support``,
``donor_outside_masg``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...schema import DONOR_KINDS
from ...wording import Listing, Money, Phrase, Term, say, say_n
from .._coverage import funding_span_words
from .._index import CCM_CONVENTIONS, Forums, FundingFact, GraphIndex
from .._window import Funding
from .record import Gap, assistance_of_state, gap_rule, make_gap, most_severe_first
from .urgency import urgency_of

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["cross_convention_gaps", "masg_reach_gaps"]


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
    gaps = [
        gap
        for state in index.affected_states()
        if (gap := _cross_convention_gap(index, state)) is not None
    ]
    gaps += _apmbc_only_gaps(index)
    return most_severe_first(gaps)


def _mine_action_only(index: GraphIndex, state: str) -> dict[str, list[FundingFact]]:
    """Funders of ``state``'s mine action in the window (under the APMBC, in general, or with
    no convention recorded) that record no CCM support for it in any year, with their grants."""
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
    return mine_action_only


def _cross_convention_gap(index: GraphIndex, state: str) -> Gap | None:
    """The ``cross_convention`` finding of one affected State, or None: not an APMBC State
    Party, no assistance asked for, or no mine-action-only funder."""
    if index.graph.nodes[state].get("apmbc_status") != "state_party":
        return None
    if assistance_of_state(index, state) == "not_requested":
        return None
    mine_action_only = _mine_action_only(index, state)
    if not mine_action_only:
        return None
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
    return make_gap(
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
    )  # fmt: skip


def _apmbc_only_gaps(index: GraphIndex) -> list[Gap]:
    """The ``apmbc_only_actor`` findings: APMBC committee members with no CCM cooperation."""
    gaps = []
    committee = index.forums.apmbc_committee
    for actor in sorted(a for a, f in index.forums_of.items() if committee in f):
        if _ccm_active(index, actor):
            continue
        gaps.append(make_gap(
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
    return gaps


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
      organisation; not an observer or the secretariat, not a State that withdrew from the
      Convention, which is never pitched a CCM coalition, and not one of the CCM Coordinators,
      who are the ones presenting the model) that reaches no affected State Party in the window:
      no funding dated in the window to the State, its authority, its coalition or an operator
      working there, no ``SUPPORTS`` of its obligations dated in the window, no role in its
      coalition and no presence of its own there (``OPERATES_IN``). Severity 0.3 (medium) when
      the data records no such support in any year; 0.15 (low) when it records some before
      the window (the evidence names the latest: the data may simply be out of date).
    * ``donor_outside_masg``: a State or regional organisation that funded affected States
      Parties in the window (at least ``notable_usd`` in known amounts, or two or more grants)
      and takes no part in MASG (neither member nor observer). Severity 0.3, plus 0.1 per
      USD 10 million, at most 0.45.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    affected = set(index.affected_states())
    if not affected or index.forums.masg not in index.graph:
        return []  # no affected State, or no MASG in the data to be a member of
    return most_severe_first(
        _unreaching_member_gaps(index, affected) + _donor_outside_gaps(index, affected, notable_usd)
    )


def _unreaching_member_gaps(index: GraphIndex, affected: set[str]) -> list[Gap]:
    """The ``masg_member_without_ccm_support`` findings: MASG members (donor kinds only) that
    reach no affected State in the window."""
    gaps = []
    window = index.window_text()
    reach = _reach(index, affected)
    span = funding_span_words(index)  # the absence is said against the funding data's years
    for member in index.masg_members():
        if (
            index.kind(member) not in DONOR_KINDS
            or index.graph.nodes[member].get("ccm_status") == "withdrawn"
            or index.is_coordinator(member)
            or _supports_affected(index, member, affected, reach)
        ):
            continue
        earlier = _supports_affected(index, member, affected, reach, in_window=False)
        summary = say("MASG member {member}: no recorded support for a CCM-affected State "
                      "Party in {window}", member=index.said(member), window=window)  # fmt: skip
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
        gaps.append(make_gap(
            index, "masg_member_without_ccm_support", (member,), 0.15 if earlier else 0.3,
            summary if span is None else say("{summary}; {coverage}", summary=summary,
                                             coverage=span),
            evidence,
            say("Check whether the data misses its recent support before raising it; then "
                "present the Country Coalition model to it through the MASG Chair.")
            if earlier
            else say("Present the Country Coalition model to it through the MASG Chair."),
        ))  # fmt: skip
    return gaps


def _donor_outside_gaps(index: GraphIndex, affected: set[str], notable_usd: float) -> list[Gap]:
    """The ``donor_outside_masg`` findings: States and regional organisations that funded
    affected States in the window (notably: ``notable_usd`` or two grants), not in MASG."""
    gaps = []
    window = index.window_text()
    donors: dict[str, list[FundingFact]] = {}
    for state in affected:
        for fact in index.funding_to_state(state):
            if index.is_recent(fact.year) and index.kind(fact.funder) in ("state", "regional_org"):
                donors.setdefault(fact.funder, []).append(fact)
    for donor, facts in sorted(donors.items()):
        own = index.support_targets(donor)  # an affected State funding its own work: not a donor
        facts = [f for f in facts if f.target not in own]
        if index.masg_role(donor) is not None or not facts:  # a member, chair or observer
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
        gaps.append(make_gap(
            index, "donor_outside_masg", (donor,), min(0.3 + 0.1 * total / 10_000_000, 0.45),
            say("{donor} funded affected States Parties in {window} ({funding}) but is not a "
                "MASG member", donor=index.said(donor), window=window,
                funding=funding.phrase()),
            evidence,
            say("Invite it to MASG meetings and to the coalitions of the States it funds."),
        ))  # fmt: skip
    return gaps
