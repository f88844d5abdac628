"""The signals a candidate is scored on, each a fact of the graph with a value from 0 to 1.

Some signals do not depend on the target (a donor's size, an operator's reach, technical
support given elsewhere: :func:`generic_signals`) or only on its region (who funds, works in
or sits in the region: :func:`regional_signals`); they are computed once per graph. The rest
are ties to the target State itself, computed per target (:func:`target_signals`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sized
from dataclasses import dataclass
from typing import Any

from .._index import FundingFact, GraphIndex
from .facts import FUNDING_ROLES, TECHNICAL_SUPPORT, GraphFacts, languages_of
from .record import ROLES

__all__ = [
    "Found",
    "Regional",
    "Signal",
    "continuity",
    "elsewhere",
    "generic_signals",
    "in_state",
    "regional_signals",
    "target_signals",
]


@dataclass
class Signal:
    """A signal's value for one candidate and the facts to word it with (written lazily)."""

    value: float
    facts: tuple[Any, ...] = ()


Found = dict[str, dict[str, Signal]]
"""candidate → signal name → its :class:`Signal`."""
Regional = dict[str, dict[str, tuple[str, Signal]]]
"""region → candidate → (the region-wide signal's name, its :class:`Signal`)."""


def _percentiles(values: Mapping[str, float]) -> dict[str, tuple[float, int, int]]:
    """Each key's standing among the positive values: (1 for the largest down to 1/n for the
    least, rank from 1, n)."""
    ranked = sorted((k for k, v in values.items() if v > 0), key=lambda k: (-values[k], k))
    n = len(ranked)
    return {k: ((n - i) / n, i + 1, n) for i, k in enumerate(ranked)}


def _share_of_three(items: Sized) -> float:
    """A count as a signal's value: 1 for three or more, else a third each."""
    return min(len(items), 3) / 3


def elsewhere(index: GraphIndex, facts: GraphFacts, actor: str, own: set[str]) -> list[str]:
    """Obligations of others an actor supports technically (not those in ``own``), and
    coalitions where it is technical partner."""
    roles = [c for c, r in index.joined.get(actor, {}).items() if r == "technical_partner"]
    return sorted(facts.tech_supports.get(actor, set()) - own) + sorted(roles)


# --- once per graph ---------------------------------------------------------------------------


def generic_signals(index: GraphIndex, facts: GraphFacts) -> dict[str, Found]:
    """role → candidate → the signals that do not depend on the target."""
    return {
        "donor": _donor_standing(facts),
        "operator": _operator_standing(index, facts),
        "technical": _technical_standing(index, facts),
    }


def _donor_standing(facts: GraphFacts) -> Found:
    """``donor_size`` (percentile of money given) and ``masg_member`` (in a funding role)."""
    pool = facts.pools["donor"]
    size = _percentiles({a: facts.given.get(a, 0.0) for a in pool})
    found: Found = {}
    for donor in pool:
        signals = {}
        if donor in size:
            value, rank, n = size[donor]
            given, grants = facts.given[donor], facts.grants[donor]
            signals["donor_size"] = Signal(value, (given, grants, rank, n))
        if facts.masg_role.get(donor) in FUNDING_ROLES:
            signals["masg_member"] = Signal(1.0, (facts.masg_role[donor],))
        found[donor] = signals
    return found


def _operator_standing(index: GraphIndex, facts: GraphFacts) -> Found:
    """``field_reach`` (percentile of countries worked in) and ``clearance_experience``
    (coalitions joined as operator or technical partner, obligations supported)."""
    pool = facts.pools["operator"]
    reach = _percentiles({a: len(facts.ever.get(a, ())) for a in pool})
    found: Found = {}
    for operator in pool:
        signals = {}
        if operator in reach:
            signals["field_reach"] = Signal(reach[operator][0], (sorted(facts.ever[operator]),))
        experience = sorted(
            {*(c for c, role in index.joined.get(operator, {}).items()
               if role in ("operator", "technical_partner")),
             *facts.tech_supports.get(operator, ())}
        )  # fmt: skip
        if experience:
            signals["clearance_experience"] = Signal(_share_of_three(experience), tuple(experience))
        found[operator] = signals
    return found


def _technical_standing(index: GraphIndex, facts: GraphFacts) -> Found:
    """``technical_support_elsewhere``: technical support given to any State."""
    found: Found = {}
    for body in facts.pools["technical"]:
        signals = {}
        given = elsewhere(index, facts, body, set())
        if given:
            signals["technical_support_elsewhere"] = Signal(_share_of_three(given), tuple(given))
        found[body] = signals
    return found


def regional_signals(index: GraphIndex, facts: GraphFacts) -> dict[str, Regional]:
    """role → region → candidate → its region-wide signal: who funds States of the region
    (``regional_funder``), works in it (``regional_footprint``) or is based in it
    (``same_region``)."""
    nodes = index.graph.nodes
    regional: dict[str, Regional] = {r: {} for r in ROLES}
    for region, funders in facts.funded_in_region.items():
        regional["donor"][region] = {
            d: ("regional_funder", Signal(_share_of_three(states), tuple(sorted(states))))
            for d, states in funders.items()
            if d in facts.pools["donor"]
        }
    for region, operators in facts.footprint.items():
        regional["operator"][region] = {
            o: ("regional_footprint", Signal(_share_of_three(states), tuple(sorted(states))))
            for o, states in operators.items()
            if o in facts.pools["operator"]
        }
    for body in facts.pools["technical"]:
        region = nodes[body].get("region")
        if region:
            regional["technical"].setdefault(region, {})[body] = (
                "same_region", Signal(1.0, (region,))
            )  # fmt: skip
    return regional


# --- per target -------------------------------------------------------------------------------


def in_state(index: GraphIndex, facts: GraphFacts, role: str, state: str) -> set[str]:
    """Who funds the State (donor role) or works there (other roles)."""
    if role == "donor":
        return {f.funder for f in facts.received.get(state, [])}
    return set(index.operators_in.get(state, ()))


def target_signals(index: GraphIndex, facts: GraphFacts, role: str, state: str) -> Found:
    """candidate → its ties to ``state`` for ``role``."""
    return _BY_ROLE[role](index, facts, state)


def _donor_signals(index: GraphIndex, facts: GraphFacts, state: str) -> Found:
    """``current_funder``, ``past_funder``, ``funding_continuity``, ``funds_operator_there``,
    ``shared_language``."""
    found: Found = defaultdict(dict)
    recent: dict[str, list[FundingFact]] = defaultdict(list)
    past: dict[str, list[FundingFact]] = defaultdict(list)
    for fact in facts.received.get(state, []):
        (recent if index.is_recent(fact.year) else past)[fact.funder].append(fact)
    for funder, grants in recent.items():
        found[funder]["current_funder"] = Signal(1.0, tuple(grants))
    for funder, grants in past.items():
        if funder not in recent:
            found[funder]["past_funder"] = Signal(1.0, tuple(grants))
    for funder in {*recent, *past}:
        years = continuity(facts.received.get(state, []), funder)
        if len(years) >= 2:
            found[funder]["funding_continuity"] = Signal(min(len(years) - 1, 3) / 3, years)
    # The evidence is the funder's latest grant to an operator working there (then the
    # operator's id): the same data always gives the same sentence.
    for operator in sorted(index.operators_in.get(state, ())):
        for fact in index.funding_in.get(operator, []):
            if fact.year is None or fact.year <= index.as_of.year:
                seen = found[fact.funder].get("funds_operator_there")
                if seen is None or (fact.year or 0) > (seen.facts[1].year or 0):
                    found[fact.funder]["funds_operator_there"] = Signal(1.0, (operator, fact))
    _language_signal(index, facts, state, found, facts.pools["donor"])
    return found


def continuity(grants: list[FundingFact], funder: str) -> tuple[int, ...]:
    """The distinct years in which ``funder`` made one of ``grants`` (a State's grants), in
    order: the value of ``funding_continuity`` is 1/3 for two years, 2/3 for three and 1 for
    four or more — a donor that came back year after year is likelier to come back again than
    one that gave once.

    >>> from ccm_graph.analysis._index import FundingFact
    >>> g = [FundingFact("NOR", "LAO", y, 1.0, None, None) for y in (2012, 2014, 2014, 2019)]
    >>> continuity(g, "NOR"), continuity(g, "USA")
    ((2012, 2014, 2019), ())
    """
    return tuple(sorted({g.year for g in grants if g.funder == funder and g.year is not None}))


def _language_signal(index: GraphIndex, facts: GraphFacts, state: str, found: Found,
                     pool: set[str]) -> None:  # fmt: skip
    """``shared_language`` for the States of ``pool`` that share an official language."""
    nodes = index.graph.nodes
    spoken = languages_of(nodes[state].get("languages"))
    if not spoken:
        return
    for candidate in facts.speakers(index, frozenset(spoken)) & pool:
        shared = sorted(spoken & languages_of(nodes[candidate].get("languages")))
        found[candidate]["shared_language"] = Signal(1.0, tuple(shared))


def _operator_signals(index: GraphIndex, facts: GraphFacts, state: str) -> Found:
    """``operates_there`` and ``funded_by_target_donors``."""
    found: Found = defaultdict(dict)
    for operator in index.operators_in.get(state, ()):
        found[operator]["operates_there"] = Signal(1.0)
    donors = {f.funder for f in facts.received.get(state, [])}
    by_operator: dict[str, set[str]] = defaultdict(set)
    for donor in donors:
        for operator in facts.operators_funded_by(index, donor):
            by_operator[operator].add(donor)
    for operator, funders in by_operator.items():
        found[operator]["funded_by_target_donors"] = Signal(
            min(len(funders), 3) / 3, tuple(sorted(funders))
        )
    return found


def _technical_signals(index: GraphIndex, facts: GraphFacts, state: str) -> Found:
    """``completion_experience``, ``supported_target_before`` (with support elsewhere
    recounted without the State), ``works_there`` and ``shared_language``."""
    nodes = index.graph.nodes
    found: Found = defaultdict(dict)
    pool = facts.pools["technical"]
    needed = {nodes[ob].get("article") for ob in index.open_obligations(state)}
    for other, obs in facts.completed.items():
        if other != state and other in pool:
            same = [ob for ob in obs if nodes[ob].get("article") in needed]
            found[other]["completion_experience"] = Signal(1.0 if same else 0.5, tuple(same or obs))
    own = set(index.obligations_of.get(state, []))
    for ob in own:
        for help_given in index.supports_in.get(ob, []):
            if help_given.kind in TECHNICAL_SUPPORT and help_given.actor in pool:
                actor = help_given.actor
                found[actor]["supported_target_before"] = Signal(1.0, (help_given,))
                # support to the State is not "elsewhere"
                others = elsewhere(index, facts, actor, own)
                found[actor]["technical_support_elsewhere"] = Signal(
                    _share_of_three(others), tuple(others)
                )
    for actor in index.operators_in.get(state, ()):
        if actor in pool:
            found[actor]["works_there"] = Signal(1.0)
    _language_signal(index, facts, state, found, pool)
    return found


_BY_ROLE: dict[str, Callable[[GraphIndex, GraphFacts, str], Found]] = {
    "donor": _donor_signals,
    "operator": _operator_signals,
    "technical": _technical_signals,
}
