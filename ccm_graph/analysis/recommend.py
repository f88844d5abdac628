"""Partner recommendations by role: who could credibly join a State's Country Coalition, and why.

A coalition needs **donors** (States, regional organisations, funds), **operators** (who clear
and destroy) and **technical partners** (international bodies, and States that have finished
their own clearance or destruction: South–South cooperation). Each role has its own pool of
candidates and its own signals, the facts a desk officer checks first: who funded the State
before and stopped, who funds its region, who shares its official language, who sits in MASG,
which operators already work there. Every signal is a fact in the graph and is returned with a
plain sentence saying so; meetings and work-plan activities are never counted as ties.

Some actors are never proposed: the State itself, its national authority and its own national
operators (:func:`national_bodies`), members of its live coalitions, actors already supporting
it (a ``SUPPORTS`` in the funding window, or ``FUNDS`` under the CCM in the window), and any id
the caller excludes. An affected or recipient State is a donor candidate only if it has itself
funded others (Germany clears its own land and funds others); sharing donors or operators
with the target never makes it one.

The weights (:data:`DEFAULT_WEIGHTS`), bands (:data:`BANDS`) and how well the ranking predicts
new partners on held-out years are in ``docs/analysis.md``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import AnalysisError
from ..names import NameIndex, alias_names, fold
from ..schema import REGIONS, TIME_BOUND_ARTICLES
from ..wording import (
    AND,
    ENGLISH,
    N_,
    Listing,
    Money,
    Name,
    Ordinal,
    Phrase,
    Term,
    Voice,
    say,
    say_n,
)
from ._index import CCM_CONVENTIONS, Forums, FundingFact, GraphIndex

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "BANDS",
    "DEFAULT_WEIGHTS",
    "ROLES",
    "PartnerRecommender",
    "Recommendation",
    "ScorePart",
    "band_of",
    "national_bodies",
    "recommend_partners",
    "resolve_target",
]

ROLES = ("donor", "operator", "technical")
"""The three roles a candidate can be proposed for."""

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "donor": {
        "current_funder": 3.0,
        "past_funder": 3.0,
        "regional_funder": 2.0,
        "donor_size": 4.0,
        "funds_operator_there": 1.5,
        "shared_language": 1.0,
        "masg_member": 1.0,
    },
    "operator": {
        "operates_there": 4.0,
        "regional_footprint": 2.0,
        "funded_by_target_donors": 1.5,
        "field_reach": 1.0,
        "clearance_experience": 1.0,
    },
    "technical": {
        "completion_experience": 3.0,
        "supported_target_before": 2.0,
        "technical_support_elsewhere": 2.0,
        "same_region": 1.5,
        "shared_language": 1.5,
        "works_there": 1.0,
    },
}
"""Points per signal at full strength, by role (a signal's value runs from 0 to 1)."""

BANDS: tuple[tuple[str, float], ...] = (("strong", 5.0), ("medium", 3.0), ("weak", 0.0))
"""A score of at least this many points earns the band (checked in order)."""

_DONOR_KINDS = ("state", "regional_org", "international_org")
_FIELD_KINDS = ("operator", "international_org", "civil_society")
_TECHNICAL_KINDS = ("international_org", "regional_org")
_FUNDING_ROLES = ("chair", "member", "vice_chair", "coordinator")
_TECHNICAL_SUPPORT = ("technical", "material")
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


def band_of(score: float) -> str:
    """The band of a score: ``strong``, ``medium`` or ``weak`` (:data:`BANDS`).

    >>> band_of(6.0), band_of(3.0), band_of(0.5)
    ('strong', 'medium', 'weak')
    """
    for band, floor in BANDS:
        if score >= floor:
            return band
    return BANDS[-1][0]


@dataclass(frozen=True)
class ScorePart:
    """One signal's contribution: ``points = weight × value``, with its evidence.

    ``phrases`` holds the evidence as :class:`~ccm_graph.wording.Phrase` (``evidence`` is their
    English), so a hand-out words it in its language (:meth:`worded`).
    """

    signal: str
    weight: float
    value: float
    evidence: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...] = ()
    phrases: tuple[Phrase, ...] = field(default=(), compare=False, repr=False)

    def worded(self, voice: Voice = ENGLISH) -> tuple[str, ...]:
        """The evidence in ``voice``'s language (English when made without phrases)."""
        if not self.phrases or voice is ENGLISH:
            return self.evidence
        return tuple(p.render(voice) for p in self.phrases)

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 3)


@dataclass(frozen=True)
class Recommendation:
    """A candidate partner for a State or coalition, in one role, with the parts of its score.

    ``target`` is the id the request resolved to (the coalition's id for a coalition).
    """

    target: str
    candidate: str
    name: str
    kind: str
    role: str
    score: float
    parts: tuple[ScorePart, ...]

    @property
    def band(self) -> str:
        """``strong``, ``medium`` or ``weak`` (:func:`band_of`)."""
        return band_of(self.score)

    @property
    def reasons(self) -> list[str]:
        """One plain sentence per signal, strongest first."""
        return [part.evidence[0] for part in self.parts if part.evidence]

    def reasons_in(self, voice: Voice = ENGLISH) -> list[str]:
        """:attr:`reasons` in ``voice``'s language."""
        return [part.worded(voice)[0] for part in self.parts if part.evidence]

    def as_record(self, *, explain: bool = False) -> dict[str, object]:
        """Plain dict with stable keys; ``explain`` adds all evidence and the paths of ids."""
        parts = []
        for part in self.parts:
            entry: dict[str, object] = {
                "signal": part.signal,
                "weight": part.weight,
                "value": round(part.value, 3),
                "points": part.points,
                "evidence": list(part.evidence),
            }
            if explain:
                entry["paths"] = [list(p) for p in part.paths]
            parts.append(entry)
        return {
            "target": self.target,
            "candidate": self.candidate,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "band": self.band,
            "score": self.score,
            "reasons": self.reasons,
            "parts": parts,
        }


def resolve_target(index: GraphIndex, target: str) -> tuple[str, str | None]:
    """(State, coalition or None) for a State or coalition, by id, name or alias.

    :raises UnknownRecord: when nothing has that id, name or alias (with close matches).
    :raises AmbiguousName: when a name or alias fits several records.
    :raises AnalysisError: when the record is neither a State nor a coalition.
    """
    graph = index.graph
    if target not in graph:
        target = NameIndex.from_graph(graph).resolve(target, what="actor or coalition")
    data = graph.nodes[target]
    if data.get("node_type") == "coalition":
        return index.focus_of[target], target
    if data.get("node_type") == "actor" and data.get("kind") == "state":
        return target, None
    what = data.get("kind") if data.get("node_type") == "actor" else data.get("node_type")
    raise AnalysisError(
        f"{target!r} is {'an' if str(what)[0] in 'aeiou' else 'a'} {what}; "
        "recommendations are for a State or a coalition"
    )


def national_bodies(G: nx.MultiDiGraph, state: str) -> set[str]:
    """A State's own national bodies: never proposed as its partners.

    The rule, from the data only:

    - its **national authorities**: ``national_authority`` actors with ``OPERATES_IN`` the State;
    - its **national operators**: operators (or civil-society bodies) whose every
      ``OPERATES_IN`` row, past or present, points to the State, *and* that either receive no
      ``FUNDS`` at all (nothing in the data shows an international NGO) or whose name or
      aliases name the State (its name, an alias, or its id as a word: "UXO Lao").

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> sorted(national_bodies(tiny_graph(), "A"))
    ['op']
    """
    return _national_bodies(G, state, _countries_ever(G))


def _countries_ever(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Every State an actor has ever worked in (``OPERATES_IN``, ended rows included)."""
    ever: dict[str, set[str]] = defaultdict(set)
    for u, v, kind in G.edges(data="type"):
        if kind == "OPERATES_IN":
            ever[u].add(v)
    return ever


def _names_state(G: nx.MultiDiGraph, actor: str, state: str) -> bool:
    """Whether an actor's name or aliases contain the State's name, an alias or its id."""
    data, state_data = G.nodes[actor], G.nodes[state]
    texts = [fold(str(data.get("label") or actor)), *map(fold, alias_names(data.get("aliases")))]
    words = {w for text in texts for w in text.replace("(", " ").replace(")", " ").split()}
    names = [fold(str(state_data.get("label") or state)),
             *map(fold, alias_names(state_data.get("aliases")))]  # fmt: skip
    return fold(state) in words or any(name and name in text for name in names for text in texts)


def _national_bodies(G: nx.MultiDiGraph, state: str, ever: Mapping[str, set[str]]) -> set[str]:
    found = set()
    for actor, _, kind in G.in_edges(state, data="type"):
        if kind != "OPERATES_IN":
            continue
        data = G.nodes[actor]
        if data.get("kind") == "national_authority":
            found.add(actor)
        elif data.get("kind") in ("operator", "civil_society") and ever.get(actor) == {state}:
            funded = any(k == "FUNDS" for _, _, k in G.in_edges(actor, data="type"))
            if not funded or _names_state(G, actor, state):
                found.add(actor)
    return found


def _languages(value: object) -> set[str]:
    return {p.strip() for p in str(value or "").split(";") if p.strip()}


def _percentiles(values: Mapping[str, float]) -> dict[str, tuple[float, int, int]]:
    """Each key's standing among the positive values: (1 for the largest down to 1/n for the
    least, rank from 1, n)."""
    ranked = sorted((k for k, v in values.items() if v > 0), key=lambda k: (-values[k], k))
    n = len(ranked)
    return {k: ((n - i) / n, i + 1, n) for i, k in enumerate(ranked)}


@dataclass
class _Signal:
    """A signal's value for one candidate and the facts to word it with (written lazily)."""

    value: float
    facts: tuple[Any, ...] = ()


@dataclass
class PartnerRecommender:
    """Recommendations for many targets on one graph, sharing one index (use for batches).

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> recommender = PartnerRecommender.build(tiny_graph(), as_of="2026-01-01")
    >>> [(r.candidate, r.role, r.band) for r in recommender.recommend("B")]
    [('D', 'donor', 'strong'), ('op', 'operator', 'weak')]
    """

    index: GraphIndex
    weights: Mapping[str, Mapping[str, float]]
    state_of: dict[str, set[str]] = field(default_factory=dict)
    received: dict[str, list[FundingFact]] = field(default_factory=dict)
    not_donors: set[str] = field(default_factory=set)
    pools: dict[str, set[str]] = field(default_factory=dict)
    generic: dict[str, dict[str, dict[str, _Signal]]] = field(default_factory=dict)
    regional: dict[str, dict[str, dict[str, tuple[str, _Signal]]]] = field(default_factory=dict)
    base_points: dict[tuple[str, str | None], dict[str, float]] = field(default_factory=dict)
    base_order: dict[tuple[str, str | None], list[str]] = field(default_factory=dict)
    funded_in_region: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    footprint: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    ever: dict[str, set[str]] = field(default_factory=dict)
    completed: dict[str, list[str]] = field(default_factory=dict)
    tech_supports: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
        forums: Forums | None = None, weights: Mapping[str, Mapping[str, float]] | None = None,
        index: GraphIndex | None = None,
    ) -> PartnerRecommender:  # fmt: skip
        """Index ``G`` once; ``weights`` override :data:`DEFAULT_WEIGHTS` by role and signal
        (``{"donor": {"masg_member": 0}}``; 0 switches a signal off).

        Pass ``index`` to reuse a :class:`GraphIndex` of ``G`` (its date, window and forums
        then apply).
        """
        chosen = {role: dict(signals) for role, signals in DEFAULT_WEIGHTS.items()}
        for role, signals in (weights or {}).items():
            if role not in chosen:
                raise ValueError(f"unknown role {role!r} (expected: {', '.join(ROLES)})")
            unknown = set(signals) - set(chosen[role])
            if unknown:
                raise ValueError(f"unknown {role} signal(s): {', '.join(sorted(unknown))}")
            chosen[role].update(signals)
        index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
        recommender = cls(index, chosen)
        recommender._prepare()
        return recommender

    # --- once per graph ------------------------------------------------------------------------

    def _prepare(self) -> None:
        index, graph = self.index, self.index.graph
        nodes, year = graph.nodes, index.as_of.year
        # Which State each funding recipient stands for: the State, its authority, its coalition.
        for state, authorities in index.authorities_of.items():
            for authority in authorities:
                self.state_of.setdefault(authority, set()).add(state)
        for coalition, state in index.focus_of.items():
            self.state_of.setdefault(coalition, set()).add(state)
        received: dict[str, list[FundingFact]] = defaultdict(list)
        given: dict[str, float] = defaultdict(float)
        grants: dict[str, int] = defaultdict(int)
        funded_in_region: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for facts in index.funding_out.values():
            for fact in facts:
                if fact.year is not None and fact.year > year:
                    continue  # after the as-of date: not known yet
                kind = nodes[fact.target].get("kind")
                states = {fact.target} if kind == "state" else self.state_of.get(fact.target, ())
                if fact.funder not in states:  # a State paying for its own programme gives nothing
                    given[fact.funder] += fact.amount_usd or 0.0
                    grants[fact.funder] += 1
                for state in states:
                    received[state].append(fact)
                    region = nodes[state].get("region")
                    if region:
                        funded_in_region[region][fact.funder].add(state)
        for supports in index.supports_out.values():
            for support in supports:
                if (
                    support.kind == "financial"
                    and (support.year or 0) <= year
                    and support.obligation not in index.obligations_of.get(support.actor, ())
                ):
                    given[support.actor] += support.amount_usd or 0.0
                    grants[support.actor] += 1
        self.received = dict(received)
        self.funded_in_region = funded_in_region
        affected = {
            s for s, obs in index.obligations_of.items() if index.open_obligations(s) and obs
        }
        self.not_donors = {
            n for n in affected | set(received) if nodes[n].get("kind") == "state"
        }  # fmt: skip

        self.ever = _countries_ever(graph)
        footprint: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for actor, states in index.operates_in.items():
            for state in states:
                region = nodes[state].get("region")
                if region:
                    footprint[region][actor].add(state)
        self.footprint = footprint
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
        self.completed = dict(completed)
        tech: dict[str, set[str]] = defaultdict(set)
        for actor, given_support in index.supports_out.items():
            for item in given_support:
                if item.kind in _TECHNICAL_SUPPORT and (item.year or 0) <= year:
                    tech[actor].add(item.obligation)
        self.tech_supports = dict(tech)

        masg_role = {
            a: forums[index.forums.masg]
            for a, forums in index.forums_of.items()
            if index.forums.masg in forums
        }

        def actors(kinds: tuple[str, ...]) -> list[str]:
            return [n for n, d in graph.nodes(data=True)
                    if d.get("node_type") == "actor" and d.get("kind") in kinds]  # fmt: skip

        self.pools = {
            "donor": {
                a for a in actors(_DONOR_KINDS)
                if grants.get(a)
                or (a not in self.not_donors and masg_role.get(a) in _FUNDING_ROLES)
            },
            "operator": {
                a for a in actors(_FIELD_KINDS)
                if nodes[a].get("kind") == "operator" or a in self.ever
            },
            "technical": {
                *actors(_TECHNICAL_KINDS),
                *(s for s in actors(("state",)) if s in self.completed or s in self.tech_supports),
            },
        }  # fmt: skip
        size = _percentiles({a: given.get(a, 0.0) for a in self.pools["donor"]})
        reach = _percentiles({a: len(self.ever.get(a, ())) for a in self.pools["operator"]})
        generic: dict[str, dict[str, dict[str, _Signal]]] = {r: {} for r in ROLES}
        for donor in self.pools["donor"]:
            signals = {}
            if donor in size:
                value, rank, n = size[donor]
                signals["donor_size"] = _Signal(value, (given[donor], grants[donor], rank, n))
            if masg_role.get(donor) in _FUNDING_ROLES:
                signals["masg_member"] = _Signal(1.0, (masg_role[donor],))
            generic["donor"][donor] = signals
        for operator in self.pools["operator"]:
            signals = {}
            if operator in reach:
                signals["field_reach"] = _Signal(reach[operator][0], (sorted(self.ever[operator]),))
            experience = sorted(
                {*(c for c, role in index.joined.get(operator, {}).items()
                   if role in ("operator", "technical_partner")),
                 *self.tech_supports.get(operator, ())}
            )  # fmt: skip
            if experience:
                signals["clearance_experience"] = _Signal(
                    min(len(experience), 3) / 3, tuple(experience)
                )
            generic["operator"][operator] = signals
        for body in self.pools["technical"]:
            signals = {}
            elsewhere = self._elsewhere(body, set())
            if elsewhere:
                signals["technical_support_elsewhere"] = _Signal(
                    min(len(elsewhere), 3) / 3, tuple(elsewhere)
                )
            generic["technical"][body] = signals
        self.generic = generic
        # Region-wide signals, computed once per region: who funds, works in, or sits in it.
        regional: dict[str, dict[str, dict[str, tuple[str, _Signal]]]] = {r: {} for r in ROLES}
        for region, funders in funded_in_region.items():
            regional["donor"][region] = {
                d: ("regional_funder", _Signal(min(len(states), 3) / 3, tuple(sorted(states))))
                for d, states in funders.items()
                if d in self.pools["donor"]
            }
        for region, operators in footprint.items():
            regional["operator"][region] = {
                o: ("regional_footprint", _Signal(min(len(states), 3) / 3, tuple(sorted(states))))
                for o, states in operators.items()
                if o in self.pools["operator"]
            }
        for body in self.pools["technical"]:
            region = nodes[body].get("region")
            if region:
                regional["technical"].setdefault(region, {})[body] = (
                    "same_region", _Signal(1.0, (region,))
                )  # fmt: skip
        self.regional = regional
        self.base_order = {}
        for role in ROLES:
            for region in (*REGIONS, None):
                base = self.regional[role].get(region, {}) if region else {}
                points = {
                    c: self._points(role, {**signals, **dict([base[c]] if c in base else [])})
                    for c, signals in generic[role].items()
                }
                self.base_points[(role, region)] = points
                self.base_order[(role, region)] = sorted(points, key=lambda c: (-points[c], c))

    def _elsewhere(self, actor: str, own: set[str]) -> list[str]:
        """Obligations of others an actor supports technically, and coalitions where it is
        technical partner."""
        roles = [c for c, r in self.index.joined.get(actor, {}).items() if r == "technical_partner"]
        return sorted(self.tech_supports.get(actor, set()) - own) + sorted(roles)

    def _points(self, role: str, signals: Mapping[str, _Signal]) -> float:
        weights = self.weights[role]
        return round(sum(weights[s] * min(sig.value, 1.0) for s, sig in signals.items()), 3)

    # --- per target ----------------------------------------------------------------------------

    def excluded(self, state: str, coalition: str | None = None,
                 exclude: Iterable[str] = ()) -> set[str]:  # fmt: skip
        """Who is never recommended for ``state``: itself, its national bodies, its live
        coalitions' members, actors already supporting it, and ``exclude``."""
        index = self.index
        out = {state, *exclude, *_national_bodies(index.graph, state, self.ever)}
        for c in index.live_coalitions(state) + ([coalition] if coalition else []):
            out.add(c)
            out.update(index.members.get(c, {}))
        out.update(self.already_supporting(state))
        return out

    def already_supporting(self, state: str) -> set[str]:
        """Actors supporting the State now: a ``SUPPORTS`` of one of its obligations dated in
        the window (or undated), or ``FUNDS`` under the CCM (or both conventions) in it."""
        index = self.index
        out: set[str] = set()
        for ob in index.obligations_of.get(state, []):
            out.update(
                s.actor for s in index.supports_in.get(ob, [])
                if s.year is None or index.is_recent(s.year)
            )  # fmt: skip
        for fact in self.received.get(state, []):
            if fact.convention in CCM_CONVENTIONS and index.is_recent(fact.year):
                out.add(fact.funder)
        return out

    def _donor_signals(self, state: str) -> dict[str, dict[str, _Signal]]:
        index = self.index
        found: dict[str, dict[str, _Signal]] = defaultdict(dict)
        recent: dict[str, list[FundingFact]] = defaultdict(list)
        past: dict[str, list[FundingFact]] = defaultdict(list)
        for fact in self.received.get(state, []):
            (recent if index.is_recent(fact.year) else past)[fact.funder].append(fact)
        for funder, facts in recent.items():
            found[funder]["current_funder"] = _Signal(1.0, tuple(facts))
        for funder, facts in past.items():
            if funder not in recent:
                found[funder]["past_funder"] = _Signal(1.0, tuple(facts))
        # The evidence is the funder's latest grant to an operator working there (then the
        # operator's id): the same data always gives the same sentence.
        for operator in sorted(index.operators_in.get(state, ())):
            for fact in index.funding_in.get(operator, []):
                if fact.year is None or fact.year <= index.as_of.year:
                    seen = found[fact.funder].get("funds_operator_there")
                    if seen is None or (fact.year or 0) > (seen.facts[1].year or 0):
                        found[fact.funder]["funds_operator_there"] = _Signal(1.0, (operator, fact))
        self._language_signal(state, found, self.pools["donor"])
        return found

    def _language_signal(self, state: str, found: dict[str, dict[str, _Signal]],
                         pool: set[str]) -> None:  # fmt: skip
        """``shared_language`` for the States of ``pool`` that share an official language."""
        nodes = self.index.graph.nodes
        spoken = _languages(nodes[state].get("languages"))
        if not spoken:
            return
        for candidate in self._speakers(frozenset(spoken)) & pool:
            shared = sorted(spoken & _languages(nodes[candidate].get("languages")))
            found[candidate]["shared_language"] = _Signal(1.0, tuple(shared))

    def _speakers(self, languages: frozenset[str]) -> set[str]:
        cache = self.__dict__.setdefault("_speakers_cache", {})
        if not cache:
            by_language: dict[str, set[str]] = defaultdict(set)
            for node, data in self.index.graph.nodes(data=True):
                if data.get("kind") == "state":
                    for language in _languages(data.get("languages")):
                        by_language[language].add(node)
            cache.update(by_language)
        return set().union(*(cache.get(lang, set()) for lang in languages))

    def _operator_signals(self, state: str) -> dict[str, dict[str, _Signal]]:
        index = self.index
        found: dict[str, dict[str, _Signal]] = defaultdict(dict)
        for operator in index.operators_in.get(state, ()):
            found[operator]["operates_there"] = _Signal(1.0)
        donors = {f.funder for f in self.received.get(state, [])}
        by_operator: dict[str, set[str]] = defaultdict(set)
        for donor in donors:
            for operator in self.operators_funded_by(donor):
                by_operator[operator].add(donor)
        for operator, funders in by_operator.items():
            found[operator]["funded_by_target_donors"] = _Signal(
                min(len(funders), 3) / 3, tuple(sorted(funders))
            )
        return found

    def operators_funded_by(self, donor: str) -> set[str]:
        """The candidate operators a donor has funded (cached per donor)."""
        cache: dict[str, set[str]] = self.__dict__.setdefault("_funded_cache", {})
        if donor not in cache:
            pool = self.pools["operator"]
            cache[donor] = {f.target for f in self.index.funding_out.get(donor, [])
                            if f.target in pool}  # fmt: skip
        return cache[donor]

    def _technical_signals(self, state: str) -> dict[str, dict[str, _Signal]]:
        index, nodes = self.index, self.index.graph.nodes
        found: dict[str, dict[str, _Signal]] = defaultdict(dict)
        pool = self.pools["technical"]
        needed = {nodes[ob].get("article") for ob in index.open_obligations(state)}
        for other, obs in self.completed.items():
            if other != state and other in pool:
                same = [ob for ob in obs if nodes[ob].get("article") in needed]
                found[other]["completion_experience"] = _Signal(
                    1.0 if same else 0.5, tuple(same or obs)
                )
        own = set(index.obligations_of.get(state, []))
        for ob in own:
            for help_given in index.supports_in.get(ob, []):
                if help_given.kind in _TECHNICAL_SUPPORT and help_given.actor in pool:
                    actor = help_given.actor
                    found[actor]["supported_target_before"] = _Signal(1.0, (help_given,))
                    elsewhere = self._elsewhere(
                        actor, own
                    )  # support to the State is not "elsewhere"
                    found[actor]["technical_support_elsewhere"] = _Signal(
                        min(len(elsewhere), 3) / 3, tuple(elsewhere)
                    )
        for actor in index.operators_in.get(state, ()):
            if actor in pool:
                found[actor]["works_there"] = _Signal(1.0)
        self._language_signal(state, found, pool)
        return found

    def _ranked(self, role: str, state: str, excluded: set[str],
                top: int | None) -> list[tuple[float, str, dict[str, _Signal]]]:  # fmt: skip
        """(score, candidate, signals) for one role, best first; all of them when ``top`` is
        None.

        Candidates with a tie to the State itself are scored in full; for everyone else the
        score is target-independent within the region (computed once), so the best of them
        come straight from a precomputed order.
        """
        specific = {
            "donor": self._donor_signals,
            "operator": self._operator_signals,
            "technical": self._technical_signals,
        }[role](state)
        pool, generic = self.pools[role], self.generic[role]
        region = self.index.graph.nodes[state].get("region")
        region = region if region in REGIONS else None
        regional = self.regional[role].get(region, {}) if region else {}
        # A regional signal counts the *other* States of the region: the State's own partners
        # (who fund it or work there) get it recomputed without the State.
        for candidate in self._in_state(role, state):
            if candidate in regional:
                name, found = regional[candidate]
                others = tuple(s for s in found.facts if s != state)
                specific.setdefault(candidate, {})
                if others:
                    specific[candidate][name] = _Signal(min(len(others), 3) / 3, others)
                else:
                    specific[candidate][name] = _Signal(0.0)
        scored: dict[str, tuple[float, dict[str, _Signal]]] = {}
        for candidate, signals in specific.items():
            if candidate in pool and candidate not in excluded:
                merged = {**generic.get(candidate, {})}
                if candidate in regional:
                    merged[regional[candidate][0]] = regional[candidate][1]
                merged.update(signals)
                merged = {k: v for k, v in merged.items() if v.value > 0}
                scored[candidate] = (self._points(role, merged), merged)
        points = self.base_points[(role, region)]
        added = 0
        for candidate in self.base_order[(role, region)]:
            if top is not None and added >= top:
                break
            if candidate not in excluded and candidate not in scored:
                signals = dict(generic[candidate])
                if candidate in regional:
                    signals[regional[candidate][0]] = regional[candidate][1]
                scored[candidate] = (points[candidate], signals)
                added += 1
        rows = [(s, c, sig) for c, (s, sig) in scored.items() if s > 0]
        key = lambda row: (-row[0], row[1])  # noqa: E731
        return heapq.nsmallest(top, rows, key=key) if top is not None else sorted(rows, key=key)

    def _in_state(self, role: str, state: str) -> set[str]:
        """Who funds the State (donor role) or works there (other roles)."""
        if role == "donor":
            return {f.funder for f in self.received.get(state, [])}
        return set(self.index.operators_in.get(state, ()))

    def scores(self, target: str, *, role: str,
               exclude: Iterable[str] = ()) -> dict[str, float]:  # fmt: skip
        """Every candidate's score for one role (for evaluation): no evidence is written."""
        state, coalition = resolve_target(self.index, target)
        excluded = self.excluded(state, coalition, exclude)
        return {c: s for s, c, _ in self._ranked(role, state, excluded, None)}

    def recommend(self, target: str, *, top: int = 10, role: str | None = None,
                  exclude: Iterable[str] = ()) -> list[Recommendation]:  # fmt: skip
        """Ranked candidate partners for a State or coalition (best first).

        ``target`` is an id, a name or an alias (case and accents ignored); each
        :class:`Recommendation` carries the id it resolved to. ``role`` keeps one role;
        without it, each candidate appears once, in the role where it scores best.
        ``exclude`` lists ids never to propose (e.g. the Coordinators themselves).

        :raises UnknownRecord: the id names nothing (close matches are suggested).
        :raises AnalysisError: the id is not a State or coalition, ``top`` < 1, or the role
            is unknown.
        """
        if top < 1:
            raise AnalysisError("--top must be at least 1")
        if role is not None and role not in ROLES:
            raise AnalysisError(f"unknown role {role!r} (expected: {', '.join(ROLES)})")
        state, coalition = resolve_target(self.index, target)
        excluded = self.excluded(state, coalition, exclude)
        best: dict[str, tuple[float, str, dict[str, _Signal]]] = {}
        for each in (role,) if role else ROLES:
            for score, candidate, signals in self._ranked(each, state, excluded, top):
                if candidate not in best or score > best[candidate][0]:
                    best[candidate] = (score, each, signals)
        chosen = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:top]
        return [
            self._recommendation(coalition or state, state, candidate, each, score, signals)
            for candidate, (score, each, signals) in chosen
        ]

    # --- words ----------------------------------------------------------------------------------

    def _recommendation(self, target: str, state: str, candidate: str, role: str, score: float,
                        signals: Mapping[str, _Signal]) -> Recommendation:  # fmt: skip
        weights = self.weights[role]
        parts = []
        for signal, found in signals.items():
            if weights[signal] == 0 or found.value <= 0:
                continue
            evidence, paths = self._words(signal, state, candidate, found)
            parts.append(ScorePart(signal, weights[signal], min(found.value, 1.0),
                                   tuple(str(e) for e in evidence), tuple(paths),
                                   tuple(evidence)))  # fmt: skip
        parts.sort(key=lambda p: (-p.points, p.signal))
        return Recommendation(
            target=target, candidate=candidate, name=self.index.name(candidate),
            kind=self.index.kind(candidate), role=role, score=score, parts=tuple(parts),
        )  # fmt: skip

    def _words(self, signal: str, state: str, candidate: str,
               found: _Signal) -> tuple[list[Phrase], list[tuple[str, ...]]]:  # fmt: skip
        """Plain sentences and id paths for one signal of one candidate."""
        index, said = self.index, self.index.said
        where, facts = said(state), found.facts
        if signal in ("current_funder", "past_funder"):
            grants = sorted(facts, key=lambda f: -(f.year or 0))
            last = grants[0]
            when = last.year or say("an unrecorded year")
            if signal == "past_funder":
                head = say(
                    "funded {state} in {year} ({amount}) but nothing recorded since: re-engage",
                    state=where,
                    year=when,
                    amount=Money(last.amount_usd),
                )
            else:
                under = Term(last.convention) if last.convention else say("no convention recorded")
                head = say(
                    "funds {state} ({year} ({amount}), {convention}), not under the CCM: "
                    "ask it to join the coalition",
                    state=where,
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
        if signal in ("regional_funder", "regional_footprint"):
            region = self._region(index.graph.nodes[state].get("region"))
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
        if signal == "funds_operator_there":
            operator, fact = facts
            text = (
                say(
                    "funded {operator} in {year}, which works in {state}",
                    operator=said(operator),
                    year=fact.year,
                    state=where,
                )
                if fact.year
                else say(
                    "funded {operator}, which works in {state}",
                    operator=said(operator),
                    state=where,
                )
            )
            return [text], [(candidate, operator, state)]
        if signal == "shared_language":
            spoken = Listing(tuple(self._language(x) for x in facts), AND)
            return [
                say(
                    "shares an official language with {state}: {languages}",
                    state=where,
                    languages=spoken,
                )
            ], []
        if signal == "masg_member":
            return (
                [
                    say(
                        "{role} of {forum}, the donors' group",
                        role=Term(str(facts[0])),
                        forum=said(index.forums.masg),
                    )
                ],
                [(candidate, index.forums.masg)],
            )
        if signal == "donor_size":
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
        if signal in ("operates_there", "works_there"):
            return [say("already works in {state}", state=where)], [(candidate, state)]
        if signal == "funded_by_target_donors":
            return [self._funded_by(state, facts)], [(d, candidate) for d in facts]
        if signal == "field_reach":
            count = len(facts[0])
            return [
                say_n("has worked in {count} country", "has worked in {count} countries", count)
            ], []
        if signal == "clearance_experience":
            return (
                [say("experience: {names}", names=Listing(tuple(said(x) for x in facts[:3])))],
                [(candidate, x) for x in facts],
            )
        if signal == "completion_experience":
            done = [index.graph.nodes[ob] for ob in facts]
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
        if signal == "supported_target_before":
            support = facts[0]
            return (
                [
                    say(
                        "gave {state} {kind} support in {year}: re-engage",
                        state=where,
                        kind=Term(str(support.kind)),
                        year=support.year or say("an unrecorded year"),
                    )
                ],
                [(candidate, support.obligation)],
            )
        if signal == "technical_support_elsewhere":
            listed_elsewhere = Listing(tuple(said(x) for x in facts[:3]))
            return (
                [say("gives technical support elsewhere: {names}", names=listed_elsewhere)],
                [(candidate, x) for x in facts],
            )
        if signal == "same_region":
            return [
                say(
                    "in the same region as {state} ({region})",
                    state=where,
                    region=self._region(str(facts[0])),
                )
            ], []
        return [Phrase(signal)], []

    def _funded_by(self, state: str, donors: tuple[str, ...]) -> Phrase:
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

    @staticmethod
    def _region(region: object) -> Phrase:
        text = _REGION_NAMES.get(str(region))
        return Phrase(text) if text else say("the region")

    @staticmethod
    def _language(code: object) -> Phrase | str:
        text = _LANGUAGE_NAMES.get(str(code))
        return Phrase(text) if text else str(code)


def _article(obligation: Mapping[str, Any]) -> Name:
    """An article inside a sentence: ``Article 4 (clearance)`` in English."""
    from ..wording import article_title

    number = int(obligation["article"])
    return Name(article_title(number), None, None, number)


def recommend_partners(
    G: nx.MultiDiGraph, target: str, *, top: int = 10, role: str | None = None,
    exclude: Iterable[str] = (), as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, weights: Mapping[str, Mapping[str, float]] | None = None,
) -> list[Recommendation]:  # fmt: skip
    """Candidate partners for a State's (or a coalition's) Country Coalition, best first.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph``.
    target : a State or coalition, by id (``"LAO"``), name or alias (``"Lao PDR"``); for a
        coalition its focus State is used and its members are left out.
    top : how many to return.
    role : ``"donor"``, ``"operator"`` or ``"technical"``; None for the best role of each.
    exclude : ids never to propose.
    as_of, window_years : funding in the window counts as current (see :mod:`.gaps`).
    weights : override :data:`DEFAULT_WEIGHTS` by role and signal (0 switches a signal off).

    Returns
    -------
    list of :class:`Recommendation`; each has a ``role``, a ``score`` (the sum of its parts'
    points), a ``band`` and ``parts`` (one :class:`ScorePart` per signal, with evidence).

    Raises
    ------
    UnknownRecord : no node has the id (close matches are suggested).
    AnalysisError : the id is neither a State nor a coalition.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> best = recommend_partners(tiny_graph(), "B", as_of="2026-01-01")[0]
    >>> best.candidate, best.role, [(p.signal, p.points) for p in best.parts]
    ('D', 'donor', [('donor_size', 4.0), ('masg_member', 1.0), ('regional_funder', 0.667)])
    >>> best.reasons[2]
    'funds 1 other State in Africa: State A'
    """
    recommender = PartnerRecommender.build(
        G, as_of=as_of, window_years=window_years, forums=forums, weights=weights
    )
    return recommender.recommend(target, top=top, role=role, exclude=exclude)
