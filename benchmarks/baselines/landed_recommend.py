"""The partner recommender as it landed on ``main`` (commit ad6405b), kept as a baseline.

Copied verbatim from ``git show ad6405b:ccm_graph/analysis/recommend.py``; only this docstring
was put in front of the original one and the package-relative imports (``from ..x``) were made
absolute (``from ccm_graph.x``) so that it runs from ``benchmarks/``. The index it builds on
(``ccm_graph.analysis._index``) has only had additions since, so its scores are those of the
landed code. ``benchmarks/recommend_eval.py`` ranks with it in the same run as the new model.

The original docstring follows.

Partner recommendations: who could credibly join a State's coalition, and why.

A candidate's score is a weighted sum of interpretable signals, each backed by facts in the
graph, plus a NetworkX link-prediction score (resource allocation index on the undirected
graph). Every part of the score is returned with its evidence, so a coordinator can defend
the list in a meeting. Actors already supporting the State under the CCM, or already in its
coalition, are never recommended.

The weights (:data:`DEFAULT_WEIGHTS`) and signals are explained in ``docs/analysis.md``.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ccm_graph.analysis._index import (
    CCM_CONVENTIONS,
    Forums,
    GraphIndex,
    money,
)
from ccm_graph.errors import AnalysisError
from ccm_graph.graph import simple_undirected
from ccm_graph.names import NameIndex

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "CANDIDATE_KINDS",
    "DEFAULT_WEIGHTS",
    "PartnerRecommender",
    "Recommendation",
    "ScorePart",
    "recommend_partners",
    "resolve_target",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "funds_state_other_convention": 3.0,
    "operates_in_state": 3.0,
    "funds_operator_in_state": 2.0,
    "link_prediction": 2.0,
    "past_funder": 1.5,
    "regional_funder": 1.5,
    "masg_member": 1.0,
    "coalition_experience": 1.0,
    "supports_other_obligations": 1.0,
    "apmbc_committee": 0.5,
}
"""Points per signal at full strength (a signal's value runs from 0 to 1)."""

CANDIDATE_KINDS = ("state", "regional_org", "international_org", "operator", "civil_society")
"""Actor kinds that can be recommended (not forums, secretariats or national authorities)."""

_EXPERIENCE_ROLES = ("lead", "partner", "donor", "technical_partner", "operator")


@dataclass(frozen=True)
class ScorePart:
    """One signal's contribution: ``points = weight × value``, with its evidence."""

    signal: str
    weight: float
    value: float
    evidence: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...] = ()

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 3)


@dataclass(frozen=True)
class Recommendation:
    """A candidate partner for a State or coalition, with the parts of its score."""

    target: str
    candidate: str
    name: str
    kind: str
    score: float
    parts: tuple[ScorePart, ...]

    @property
    def reasons(self) -> list[str]:
        """The evidence of every part, strongest part first."""
        return [e for part in self.parts for e in part.evidence]

    def as_record(self, *, explain: bool = False) -> dict[str, object]:
        """Plain dict with stable keys; ``explain`` adds each part's evidence paths (ids)."""
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


@dataclass
class PartnerRecommender:
    """Recommendations for many targets on one graph, sharing one index (use for batches).

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> recommender = PartnerRecommender.build(tiny_graph(), as_of="2026-01-01")
    >>> [(r.candidate, r.score) for r in recommender.recommend("B")]
    [('D', 2.5)]
    """

    index: GraphIndex
    weights: Mapping[str, float]
    undirected: nx.Graph
    generic: dict[str, list[ScorePart]] = field(default_factory=dict)
    generic_points: dict[str, float] = field(default_factory=dict)
    generic_order: list[str] = field(default_factory=list)
    candidates: set[str] = field(default_factory=set)
    region_funding: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
        forums: Forums | None = None, weights: Mapping[str, float] | None = None,
        index: GraphIndex | None = None,
    ) -> PartnerRecommender:  # fmt: skip
        """Index ``G`` once; ``weights`` override :data:`DEFAULT_WEIGHTS` by signal name.

        Pass ``index`` to reuse a :class:`GraphIndex` of ``G`` (its date, window and forums
        then apply).
        """
        chosen = dict(DEFAULT_WEIGHTS)
        if weights:
            unknown = set(weights) - set(DEFAULT_WEIGHTS)
            if unknown:
                raise ValueError(f"unknown signal(s): {', '.join(sorted(unknown))}")
            chosen.update(weights)
        index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
        recommender = cls(index, chosen, simple_undirected(G))
        recommender._prepare()
        return recommender

    def _candidate(self, node: str) -> bool:
        data = self.index.graph.nodes[node]
        return data.get("node_type") == "actor" and data.get("kind") in CANDIDATE_KINDS

    def _prepare(self) -> None:
        """Target-independent signals and who funds which States in each region."""
        index, nodes = self.index, self.index.graph.nodes
        region_funding: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for funder, facts in index.funding_out.items():
            for fact in facts:
                if index.is_recent(fact.year) and nodes[fact.target].get("kind") == "state":
                    region = nodes[fact.target].get("region")
                    if region:
                        region_funding[region][funder].add(fact.target)
        self.region_funding = region_funding
        self.candidates = {n for n in index.graph.nodes if self._candidate(n)}
        for actor in sorted(self.candidates):
            parts = self._generic_parts(actor)
            if parts:
                self.generic[actor] = parts
                self.generic_points[actor] = sum(p.points for p in parts)
        self.generic_order = sorted(self.generic, key=lambda a: (-self.generic_points[a], a))

    def _part(self, signal: str, value: float, evidence: list[str],
              paths: list[tuple[str, ...]] | None = None) -> ScorePart | None:  # fmt: skip
        weight = self.weights[signal]
        if value <= 0 or weight == 0:
            return None
        return ScorePart(signal, weight, min(value, 1.0), tuple(evidence), tuple(paths or ()))

    def _generic_parts(self, actor: str) -> list[ScorePart]:
        index = self.index
        parts = []
        forums = index.forums_of.get(actor, {})
        if index.forums.masg in forums:
            parts.append(self._part("masg_member", 1.0, [
                f"{forums[index.forums.masg]} of {index.name(index.forums.masg)}"
            ], [(actor, index.forums.masg)]))  # fmt: skip
        if index.forums.apmbc_committee in forums:
            committee = index.forums.apmbc_committee
            parts.append(self._part("apmbc_committee", 1.0, [
                f"{forums[committee]} of {index.name(committee)}"
            ], [(actor, committee)]))  # fmt: skip
        coalitions = sorted(
            (c, members[actor])
            for c, members in index.members.items()
            if members.get(actor) in _EXPERIENCE_ROLES
        )
        if coalitions:
            parts.append(self._part(
                "coalition_experience", 1.0,
                [f"{role} in {index.name(c)}" for c, role in coalitions],
                [(actor, c) for c, _ in coalitions],
            ))  # fmt: skip
        supported = sorted({s.obligation for s in index.supports_out.get(actor, [])})
        if supported:
            parts.append(self._part(
                "supports_other_obligations", min(len(supported), 3) / 3,
                [f"supports {index.name(o)}" for o in supported[:5]],
                [(actor, o) for o in supported],
            ))  # fmt: skip
        return [p for p in parts if p is not None]

    # --- per target -------------------------------------------------------------------------

    def excluded(self, state: str, coalition: str | None = None) -> set[str]:
        """Who is never recommended for ``state``: itself, its authority, its coalition
        members, and actors already supporting it under the CCM."""
        index = self.index
        out = {state, *index.authorities_of.get(state, ())}
        for c in index.live_coalitions(state) + ([coalition] if coalition else []):
            out.add(c)
            out.update(index.members.get(c, {}))
        for ob in index.obligations_of.get(state, []):
            out.update(s.actor for s in index.supports_in.get(ob, []))
        for fact in index.funding_to_state(state):
            if fact.convention in CCM_CONVENTIONS and (
                fact.year is None or index.is_recent(fact.year)
            ):
                out.add(fact.funder)
        return out

    def _specific_parts(self, state: str, excluded: set[str]) -> dict[str, list[ScorePart]]:
        index = self.index
        found: dict[str, list[ScorePart]] = defaultdict(list)

        def add(actor: str, part: ScorePart | None) -> None:
            if part is not None and actor not in excluded and actor in self.candidates:
                found[actor].append(part)

        recent: dict[str, list] = defaultdict(list)
        past: dict[str, list] = defaultdict(list)
        for fact in index.funding_to_state(state):
            (recent if index.is_recent(fact.year) else past)[fact.funder].append(fact)
        for funder, facts in recent.items():
            add(funder, self._part("funds_state_other_convention", 1.0, [
                f"funds {index.name(f.target)} under {f.convention or 'an unrecorded convention'} "
                f"({f.year}, {money(f.amount_usd)})" for f in facts
            ], [(funder, f.target) for f in facts]))  # fmt: skip
        for funder, facts in past.items():
            if funder in recent:
                continue
            add(funder, self._part("past_funder", 1.0, [
                f"funded {index.name(f.target)} in {f.year or 'an unrecorded year'} "
                f"({money(f.amount_usd)})" for f in facts
            ], [(funder, f.target) for f in facts]))  # fmt: skip
        for operator in sorted(index.operators_in.get(state, ())):
            add(
                operator,
                self._part(
                    "operates_in_state",
                    1.0,
                    [f"operates in {index.name(state)}"],
                    [(operator, state)],
                ),
            )
            funders: dict[str, list[int | None]] = defaultdict(list)
            for fact in index.funding_in.get(operator, []):
                funders[fact.funder].append(fact.year)
            for funder, years in funders.items():
                known = sorted(y for y in years if y)
                when = f" ({known[-1]})" if known else ""
                add(funder, self._part(
                    "funds_operator_in_state", 1.0,
                    [f"funds {index.name(operator)}{when}, which operates in {index.name(state)}"],
                    [(funder, operator, state)],
                ))  # fmt: skip
        return found

    def _regional_values(self, state: str, excluded: set[str]) -> dict[str, float]:
        """``regional_funder`` values (other States of the region funded, 3 count fully)."""
        region = self.index.graph.nodes[state].get("region")
        values = {}
        for funder, states in self.region_funding.get(region, {}).items():
            others = len(states) - (state in states)
            if others and funder not in excluded and funder in self.candidates:
                values[funder] = min(others, 3) / 3
        return values

    def _regional_part(self, state: str, funder: str) -> ScorePart | None:
        region = self.index.graph.nodes[state].get("region")
        others = sorted(self.region_funding[region][funder] - {state})
        return self._part(
            "regional_funder", min(len(others), 3) / 3,
            [f"funds {len(others)} other State(s) in the region: "
             + ", ".join(self.index.name(s) for s in others[:5])],
            [(funder, s) for s in others],
        )  # fmt: skip

    def _link_scores(self, state: str, excluded: set[str]) -> dict[str, float]:
        """Resource allocation index of the State with every candidate two steps away.

        The same value as ``networkx.resource_allocation_index`` (a test checks it), summed in
        one sweep over the State's neighbours instead of one set intersection per candidate.
        """
        if self.weights["link_prediction"] == 0 or state not in self.undirected:
            return {}
        adjacency = self.undirected.adj
        scores: dict[str, float] = defaultdict(float)
        for neighbour in adjacency[state]:
            ties = adjacency[neighbour]
            share = 1 / len(ties)
            for candidate in ties:
                scores[candidate] += share
        return {
            c: score
            for c, score in scores.items()
            if c != state and c in self.candidates and c not in excluded
        }

    def _link_part(self, state: str, candidate: str, score: float) -> ScorePart | None:
        shared = sorted(set(self.undirected[state]) & set(self.undirected[candidate]))
        return self._part(
            "link_prediction", min(score, 1.0),
            [f"resource allocation index {score:.3f}: shares "
             + ", ".join(self.index.name(z) for z in shared[:4])
             + (f" and {len(shared) - 4} more" if len(shared) > 4 else "")
             + f" with {self.index.name(state)}"],
            [(candidate, z, state) for z in shared],
        )  # fmt: skip

    def recommend(self, target: str, *, top: int = 10) -> list[Recommendation]:
        """Ranked candidate partners for a State or coalition (best first).

        ``target`` is an id, a name or an alias (case and accents ignored); each
        :class:`Recommendation` carries the id it resolved to.

        :raises UnknownRecord: the id names nothing (close matches are suggested).
        :raises AnalysisError: the id is not a State or coalition, or ``top`` < 1.
        """
        if top < 1:
            raise AnalysisError("--top must be at least 1")
        state, coalition = resolve_target(self.index, target)
        target = coalition or state
        excluded = self.excluded(state, coalition)
        specific = self._specific_parts(state, excluded)
        links = self._link_scores(state, excluded)
        weight = self.weights["link_prediction"]
        # Rank on numbers first; evidence text is written only for the winners.
        regional = self._regional_values(state, excluded)
        regional_weight = self.weights["regional_funder"]
        totals: dict[str, float] = {}
        for candidate in set(specific) | set(links) | set(regional):
            totals[candidate] = (
                sum(p.points for p in specific.get(candidate, ()))
                + self.generic_points.get(candidate, 0.0)
                + round(weight * min(links.get(candidate, 0.0), 1.0), 3)
                + round(regional_weight * regional.get(candidate, 0.0), 3)
            )
        added = 0
        for candidate in self.generic_order:
            if added >= top:
                break
            if candidate not in excluded and candidate not in totals:
                totals[candidate] = self.generic_points[candidate]
                added += 1
        best = heapq.nsmallest(top, totals, key=lambda c: (-round(totals[c], 3), c))
        results = []
        for candidate in best:
            parts = [*specific.get(candidate, []), *self.generic.get(candidate, [])]
            if candidate in regional:
                part = self._regional_part(state, candidate)
                if part is not None:
                    parts.append(part)
            if candidate in links:
                link = self._link_part(state, candidate, links[candidate])
                if link is not None:
                    parts.append(link)
            if not parts:
                continue
            parts.sort(key=lambda p: (-p.points, p.signal))
            results.append(Recommendation(
                target=target,
                candidate=candidate,
                name=self.index.name(candidate),
                kind=self.index.kind(candidate),
                score=round(sum(p.points for p in parts), 3),
                parts=tuple(parts),
            ))  # fmt: skip
        results.sort(key=lambda r: (-r.score, r.candidate))
        return results[:top]


def recommend_partners(
    G: nx.MultiDiGraph, target: str, *, top: int = 10, as_of: str | date | None = None,
    window_years: int = 3, forums: Forums | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[Recommendation]:  # fmt: skip
    """Candidate partners for a State's (or a coalition's) Country Coalition, best first.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph``.
    target : a State id (e.g. ``"LAO"``) or a coalition id (its focus State is used and its
        members are left out).
    top : how many to return.
    as_of, window_years : funding in the window counts as current (see :mod:`.gaps`).
    weights : override :data:`DEFAULT_WEIGHTS` by signal name (0 switches a signal off).

    Returns
    -------
    list of :class:`Recommendation`; each has ``score`` (the sum of its parts' points) and
    ``parts`` (one :class:`ScorePart` per signal, with the evidence behind it).

    Raises
    ------
    UnknownRecord : no node has the id (close matches are suggested).
    AnalysisError : the id is neither a State nor a coalition.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> best = recommend_partners(tiny_graph(), "A", as_of="2026-01-01")[0]
    >>> best.candidate, [(p.signal, p.points) for p in best.parts]
    ('op', [('operates_in_state', 3.0)])
    """
    recommender = PartnerRecommender.build(
        G, as_of=as_of, window_years=window_years, forums=forums, weights=weights
    )
    return recommender.recommend(target, top=top)
