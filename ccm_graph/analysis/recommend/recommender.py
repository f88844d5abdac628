"""The partner recommender: the graph's facts and signals read once, then ranked and worded
for each target (:class:`PartnerRecommender`, :func:`recommend_partners`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ...errors import AnalysisError
from ...schema import TIME_BOUND_ARTICLES
from .._index import CCM_CONVENTIONS, Forums, GraphIndex
from ..standing import PITCHABLE, coalition_standing
from .facts import GraphFacts
from .reasons import Wording, recommendation
from .record import DEFAULT_WEIGHTS, ROLES, Recommendation
from .scoring import Scorer
from .signals import Signal
from .targets import national_bodies_of, resolve_target

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PartnerRecommender", "recommend_partners"]


def _weights(weights: Mapping[str, Mapping[str, float]] | None) -> dict[str, dict[str, float]]:
    """:data:`DEFAULT_WEIGHTS` with ``weights`` put over them, role by role.

    :raises ValueError: an unknown role or signal.
    """
    chosen = {role: dict(signals) for role, signals in DEFAULT_WEIGHTS.items()}
    for role, signals in (weights or {}).items():
        if role not in chosen:
            raise ValueError(f"unknown role {role!r} (expected: {', '.join(ROLES)})")
        unknown = set(signals) - set(chosen[role])
        if unknown:
            raise ValueError(f"unknown {role} signal(s): {', '.join(sorted(unknown))}")
        chosen[role].update(signals)
    return chosen


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
    facts: GraphFacts
    scorer: Scorer

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
        chosen = _weights(weights)
        index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
        facts = GraphFacts.read(index)
        return cls(index, chosen, facts, Scorer.build(index, facts, chosen))

    @property
    def pools(self) -> dict[str, set[str]]:
        """role → the candidates who can hold it (see :class:`GraphFacts`)."""
        return self.facts.pools

    def excluded(self, state: str, coalition: str | None = None,
                 exclude: Iterable[str] = ()) -> set[str]:  # fmt: skip
        """Who is never recommended for ``state``: itself, its national bodies, its live
        coalitions' members, actors already supporting it, and ``exclude``."""
        index = self.index
        out = {state, *exclude, *national_bodies_of(index.graph, state, self.facts.ever)}
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
        for fact in self.facts.received.get(state, []):
            if fact.convention in CCM_CONVENTIONS and index.is_recent(fact.year):
                out.add(fact.funder)
        return out

    def operators_funded_by(self, donor: str) -> set[str]:
        """The candidate operators a donor has funded."""
        return self.facts.operators_funded_by(self.index, donor)

    def scores(self, target: str, *, role: str,
               exclude: Iterable[str] = ()) -> dict[str, float]:  # fmt: skip
        """Every candidate's score for one role (for evaluation): no evidence is written."""
        state, coalition = resolve_target(self.index, target)
        if not self.has_time_bound_obligation(state):
            return {}
        excluded = self.excluded(state, coalition, exclude)
        return {c: s for s, c, _ in self.scorer.ranked(role, state, excluded, None)}

    def has_time_bound_obligation(self, state: str) -> bool:
        """Whether the data records an Article 3 or 4 obligation of ``state`` (in any status):
        the need a Country Coalition gathers partners around."""
        graph = self.index.graph
        return any(
            graph.nodes[ob].get("article") in TIME_BOUND_ARTICLES
            for ob in self.index.obligations_of.get(state, [])
        )

    def without_obligation(self, target: str) -> str | None:
        """Why no partner is proposed for ``target`` (a State or coalition, as for
        :meth:`recommend`), in one paragraph for the reader; ``None`` when partners are
        proposed (:func:`~ccm_graph.analysis.standing.coalition_standing` is ``open``).

        A State that withdrew from the Convention is never pitched a coalition; a State not
        party is told what the Convention asks of it instead (joining it); a State whose
        time-bound obligations are all completed, or a concluded coalition, is pointed to
        what worked (its brief), not to partners to approach.
        """
        state, coalition = resolve_target(self.index, target)
        standing = coalition_standing(self.index.graph, state, coalition)
        if standing == PITCHABLE:
            return None
        name = self.index.name(state)
        data_as_of = self.index.graph.graph.get("as_of")
        dated = f" (data as of {data_as_of})" if data_as_of else ""
        status = self.index.graph.nodes[state].get("ccm_status")
        if standing == "withdrawn":
            return (
                f"No partners proposed: {name} ({state}) has withdrawn from the Convention"
                f"{dated}. A Country Coalition supports a State Party's obligations under the "
                "Convention; none is pitched to a State that has left it."
            )
        if standing == "not_party":
            return (
                f"No partners proposed: {name} ({state}) "
                f"{_STANDING.get(status, 'is not party to the Convention')}{dated}, so it has "
                "no obligation under the Convention for a Country Coalition to support. What "
                f"the Convention asks of {name} is to join it (universalization)."
            )
        if standing in ("completed", "concluded"):
            what = (
                f"the coalition {self.index.name(coalition)} ({coalition}) is concluded"
                if standing == "concluded" and coalition
                else f"every time-bound obligation of {name} ({state}) is recorded as completed"
            )
            return (
                f"No partners proposed: {what}{dated}. Its brief (ccm-graph brief "
                f"{coalition or state}) says what worked: who funded, operated and supported, "
                "and when."
            )
        hint = f" If {name} has one, add it to obligations.csv."
        return (
            f"No partners proposed: {name} ({state}) has no time-bound obligation "
            "(Article 3 stockpile destruction or Article 4 clearance) recorded in the data"
            f"{dated}. A Country Coalition gathers partners around an affected State's "
            f"obligation, so there is no coalition to find partners for.{hint}"
        )

    def recommend(self, target: str, *, top: int = 10, role: str | None = None,
                  exclude: Iterable[str] = ()) -> list[Recommendation]:  # fmt: skip
        """Ranked candidate partners for a State or coalition (best first).

        ``target`` is an id, a name or an alias (case and accents ignored); each
        :class:`Recommendation` carries the id it resolved to. ``role`` keeps one role;
        without it, each candidate appears once, in the role where it scores best.
        ``exclude`` lists ids never to propose (e.g. the Coordinators themselves). A target
        whose :func:`~ccm_graph.analysis.standing.coalition_standing` is not ``open`` gets
        none (:meth:`without_obligation` says why): a withdrawn or non-party State, one with no
        time-bound obligation or with all of them completed, a concluded coalition.

        :raises UnknownRecord: the id names nothing (close matches are suggested).
        :raises AnalysisError: the id is not a State or coalition, ``top`` < 1, or the role
            is unknown.
        """
        if top < 1:
            raise AnalysisError("top: the number of partners to show must be at least 1")
        if role is not None and role not in ROLES:
            raise AnalysisError(f"unknown role {role!r} (expected: {', '.join(ROLES)})")
        state, coalition = resolve_target(self.index, target)
        if coalition_standing(self.index.graph, state, coalition) != PITCHABLE:
            return []
        excluded = self.excluded(state, coalition, exclude)
        best: dict[str, tuple[float, str, dict[str, Signal]]] = {}
        for each in (role,) if role else ROLES:
            for score, candidate, signals in self.scorer.ranked(each, state, excluded, top):
                if candidate not in best or score > best[candidate][0]:
                    best[candidate] = (score, each, signals)
        chosen = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:top]
        wording = Wording(self.index, self.facts.received)
        return [
            recommendation(
                wording,
                self.weights[each],
                coalition or state,
                state,
                candidate,
                each,
                score,
                signals,
            )
            for candidate, (score, each, signals) in chosen
        ]


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
    as_of, window_years : funding in the window counts as current (see :mod:`..gaps`).
    weights : override :data:`DEFAULT_WEIGHTS` by role and signal (0 switches a signal off).

    Returns
    -------
    list of :class:`Recommendation`; each has a ``role``, a ``score`` (the sum of its parts'
    points), a ``band`` and ``parts`` (one :class:`ScorePart` per signal, with evidence).
    Empty for a withdrawn or non-party State, one with no open time-bound obligation, or a
    concluded coalition (:meth:`PartnerRecommender.without_obligation` says why).

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


_STANDING = {
    "signatory": "has signed but not ratified the Convention",
    "non_signatory": "has not joined the Convention",
    "withdrawn": "has withdrawn from the Convention",
}
"""A State's standing in the Convention, in words, where it is not a State Party."""
