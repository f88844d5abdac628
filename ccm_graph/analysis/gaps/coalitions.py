"""Gap rule about live coalitions: a role they need and lack (``coalition_composition``),
with the candidates who could fill it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...wording import N_, Listing, Phrase, Term, say
from .._index import Forums, GraphIndex
from .record import Gap, gap_rule, make_gap, most_severe_first

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["COALITION_NEEDS", "coalition_composition_gaps"]

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
            gaps.append(make_gap(
                index, "coalition_composition", (coalition, state, *candidates[need]), severity,
                say("{coalition} has no {need} as of {date}", coalition=index.said(coalition),
                    need=role, date=index.as_of.isoformat()),
                evidence,
                step,
                state=state,
            ))  # fmt: skip
    return most_severe_first(gaps)


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
