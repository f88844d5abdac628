"""What the recommender reads from the graph once, whoever the target: who funds whom (and
for which State), who works where, which States have completed an obligation, who gives
technical support, and the pool of candidates for each role."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ...schema import DONOR_KINDS, TIME_BOUND_ARTICLES
from .._index import FundingFact, GraphIndex
from .targets import countries_ever

__all__ = ["FIELD_KINDS", "FUNDING_ROLES", "TECHNICAL_KINDS", "TECHNICAL_SUPPORT", "GraphFacts"]

FIELD_KINDS = ("operator", "international_org", "civil_society")
"""Actor kinds that can be proposed as operators (when they work in a country)."""
TECHNICAL_KINDS = ("international_org", "regional_org")
"""Actor kinds always in the pool of technical partners (States join it by experience)."""
FUNDING_ROLES = ("chair", "member", "vice_chair", "coordinator")
"""MASG roles that make an actor a donor candidate even with no grant recorded."""
TECHNICAL_SUPPORT = ("technical", "material")
"""``SUPPORTS`` kinds that count as technical support."""

Regions = dict[str, dict[str, set[str]]]
"""region → actor → the States of the region it funds (or works in)."""


@dataclass
class GraphFacts:
    """The facts of one graph the signals are computed from (see :meth:`read`).

    :ivar state_of: which State(s) each funding recipient stands for: its national
        authorities and its coalitions.
    :ivar received: every grant each State received (directly, through its authority or its
        coalition), up to the as-of year.
    :ivar given: the money each actor gave others (not its own programme), and ``grants`` the
        number of grants.
    :ivar funded_in_region: region → funder → the States of the region it funded.
    :ivar not_donors: States that are affected or receive funding (donors only by grants).
    :ivar ever: every State each actor has ever worked in.
    :ivar footprint: region → actor → the States of the region it works in now.
    :ivar completed: State → its completed Article 3/4 obligations.
    :ivar tech_supports: actor → the obligations it gave technical or material support.
    :ivar masg_role: actor → its role in MASG.
    :ivar pools: role → the candidates who can hold it.
    """

    state_of: dict[str, set[str]]
    received: dict[str, list[FundingFact]]
    given: dict[str, float]
    grants: dict[str, int]
    funded_in_region: Regions
    not_donors: set[str]
    ever: dict[str, set[str]]
    footprint: Regions
    completed: dict[str, list[str]]
    tech_supports: dict[str, set[str]]
    masg_role: dict[str, str]
    pools: dict[str, set[str]] = field(default_factory=dict)
    _speakers: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _funded_operators: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, index: GraphIndex) -> GraphFacts:
        """Read the facts of ``index``'s graph as of its date (later grants are not known)."""
        state_of = _recipients(index)
        received, given, grants, funded_in_region = _funding_flows(index, state_of)
        _add_financial_support(index, given, grants)
        nodes = index.graph.nodes
        affected = {
            s for s, obs in index.obligations_of.items() if index.open_obligations(s) and obs
        }
        facts = cls(
            state_of=state_of,
            received=dict(received),
            given=given,
            grants=grants,
            funded_in_region=funded_in_region,
            not_donors={n for n in affected | set(received) if nodes[n].get("kind") == "state"},
            ever=countries_ever(index.graph),
            footprint=_footprint(index),
            completed=_completed(index),
            tech_supports=_technical_supports(index),
            masg_role={
                a: forums[index.forums.masg]
                for a, forums in index.forums_of.items()
                if index.forums.masg in forums
            },
        )
        facts.pools = facts._pools(index)
        return facts

    def _pools(self, index: GraphIndex) -> dict[str, set[str]]:
        """The candidates of each role: donors (who gave, or sit in MASG in a funding role and
        receive nothing), operators (operators, and field bodies that work in a country),
        technical partners (international and regional bodies, States with a completion or
        technical support to share)."""
        graph = index.graph
        nodes = graph.nodes

        def actors(kinds: tuple[str, ...]) -> list[str]:
            return [n for n, d in graph.nodes(data=True)
                    if d.get("node_type") == "actor" and d.get("kind") in kinds]  # fmt: skip

        return {
            "donor": {
                a for a in actors(DONOR_KINDS)
                if self.grants.get(a)
                or (a not in self.not_donors and self.masg_role.get(a) in FUNDING_ROLES)
            },
            "operator": {
                a for a in actors(FIELD_KINDS)
                if nodes[a].get("kind") == "operator" or a in self.ever
            },
            "technical": {
                *actors(TECHNICAL_KINDS),
                *(s for s in actors(("state",)) if s in self.completed or s in self.tech_supports),
            },
        }  # fmt: skip

    def speakers(self, index: GraphIndex, languages: frozenset[str]) -> set[str]:
        """The States with one of ``languages`` as an official language (read once)."""
        cache = self._speakers
        if not cache:
            by_language: dict[str, set[str]] = defaultdict(set)
            for node, data in index.graph.nodes(data=True):
                if data.get("kind") == "state":
                    for language in languages_of(data.get("languages")):
                        by_language[language].add(node)
            cache.update(by_language)
        return set().union(*(cache.get(lang, set()) for lang in languages))

    def operators_funded_by(self, index: GraphIndex, donor: str) -> set[str]:
        """The candidate operators a donor has funded (read once per donor)."""
        cache = self._funded_operators
        if donor not in cache:
            pool = self.pools["operator"]
            cache[donor] = {f.target for f in index.funding_out.get(donor, [])
                            if f.target in pool}  # fmt: skip
        return cache[donor]


def languages_of(value: object) -> set[str]:
    """The language codes of a ``languages`` attribute (``"fr; ar"``)."""
    return {p.strip() for p in str(value or "").split(";") if p.strip()}


def _recipients(index: GraphIndex) -> dict[str, set[str]]:
    """Which State each funding recipient stands for: the State, its authority, its coalition."""
    state_of: dict[str, set[str]] = {}
    for state, authorities in index.authorities_of.items():
        for authority in authorities:
            state_of.setdefault(authority, set()).add(state)
    for coalition, state in index.focus_of.items():
        state_of.setdefault(coalition, set()).add(state)
    return state_of


def _funding_flows(
    index: GraphIndex, state_of: dict[str, set[str]]
) -> tuple[dict[str, list[FundingFact]], dict[str, float], dict[str, int], Regions]:
    """Every ``FUNDS`` up to the as-of year: what each State received, what each funder gave
    others (amount, grants) and which States of each region each funder funded."""
    nodes, year = index.graph.nodes, index.as_of.year
    received: dict[str, list[FundingFact]] = defaultdict(list)
    given: dict[str, float] = defaultdict(float)
    grants: dict[str, int] = defaultdict(int)
    funded_in_region: Regions = defaultdict(lambda: defaultdict(set))
    for facts in index.funding_out.values():
        for fact in facts:
            if fact.year is not None and fact.year > year:
                continue  # after the as-of date: not known yet
            kind = nodes[fact.target].get("kind")
            states = {fact.target} if kind == "state" else state_of.get(fact.target, ())
            if fact.funder not in states:  # a State paying for its own programme gives nothing
                given[fact.funder] += fact.amount_usd or 0.0
                grants[fact.funder] += 1
            for state in states:
                received[state].append(fact)
                region = nodes[state].get("region")
                if region:
                    funded_in_region[region][fact.funder].add(state)
    return received, given, grants, funded_in_region


def _add_financial_support(index: GraphIndex, given: dict[str, float],
                           grants: dict[str, int]) -> None:  # fmt: skip
    """Count financial ``SUPPORTS`` of another State's obligation as given money."""
    year = index.as_of.year
    for supports in index.supports_out.values():
        for support in supports:
            if (
                support.kind == "financial"
                and (support.year or 0) <= year
                and support.obligation not in index.obligations_of.get(support.actor, ())
            ):
                given[support.actor] += support.amount_usd or 0.0
                grants[support.actor] += 1


def _footprint(index: GraphIndex) -> Regions:
    """region → actor → the States of the region it works in (``OPERATES_IN`` now)."""
    nodes = index.graph.nodes
    footprint: Regions = defaultdict(lambda: defaultdict(set))
    for actor, states in index.operates_in.items():
        for state in states:
            region = nodes[state].get("region")
            if region:
                footprint[region][actor].add(state)
    return footprint


def _completed(index: GraphIndex) -> dict[str, list[str]]:
    """State → its Article 3/4 obligations completed by the as-of year."""
    nodes, year = index.graph.nodes, index.as_of.year
    completed: dict[str, list[str]] = defaultdict(list)
    for state, obs in index.obligations_of.items():
        for ob in obs:
            data = nodes[ob]
            done = str(data.get("completed") or "")
            if (
                data.get("status") == "completed"
                and data.get("article") in TIME_BOUND_ARTICLES
                and (not done or int(done[:4]) <= year)
            ):
                completed[state].append(ob)
    return dict(completed)


def _technical_supports(index: GraphIndex) -> dict[str, set[str]]:
    """actor → the obligations it gave technical or material support, by the as-of year."""
    year = index.as_of.year
    tech: dict[str, set[str]] = defaultdict(set)
    for actor, given_support in index.supports_out.items():
        for item in given_support:
            if item.kind in TECHNICAL_SUPPORT and (item.year or 0) <= year:
                tech[actor].add(item.obligation)
    return dict(tech)
