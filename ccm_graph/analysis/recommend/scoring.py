"""Scores and rankings: a candidate's score is the sum of its signals' points (weight × value).

The target-independent part of every score is computed once per role and region
(:meth:`Scorer.build`), so ranking the candidates for a State scores in full only those tied
to it; the best of the others come straight from a precomputed order.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

from ...schema import REGIONS
from .._index import GraphIndex
from .facts import GraphFacts
from .record import ROLES
from .signals import (
    Found,
    Regional,
    Signal,
    generic_signals,
    in_state,
    regional_signals,
    target_signals,
)

__all__ = ["Ranked", "Scorer", "points"]

Ranked = tuple[float, str, dict[str, Signal]]
"""(score, candidate, its signals)."""

Key = tuple[str, str | None]
"""(role, region or None)."""


def points(weights: Mapping[str, float], signals: Mapping[str, Signal]) -> float:
    """The score of a candidate's signals: the sum of ``weight × value`` (values capped at 1),
    each part rounded as it is shown, so the parts a reader adds up give the score."""
    parts = (round(weights[s] * min(sig.value, 1.0), 3) for s, sig in signals.items())
    return round(sum(parts), 3)


@dataclass
class Scorer:
    """Ranks the candidates of a role for a State, on one graph with one set of weights."""

    index: GraphIndex
    facts: GraphFacts
    weights: Mapping[str, Mapping[str, float]]
    generic: dict[str, Found]
    regional: dict[str, Regional]
    base_points: dict[Key, dict[str, float]]
    base_order: dict[Key, list[str]]

    @classmethod
    def build(cls, index: GraphIndex, facts: GraphFacts,
              weights: Mapping[str, Mapping[str, float]]) -> Scorer:  # fmt: skip
        """Compute the signals that do not depend on the target and, for each role and
        region, every candidate's score from them and the candidates in that order."""
        generic = generic_signals(index, facts)
        regional = regional_signals(index, facts)
        base_points: dict[Key, dict[str, float]] = {}
        base_order: dict[Key, list[str]] = {}
        for role in ROLES:
            for region in (*REGIONS, None):
                base = regional[role].get(region, {}) if region else {}
                scores = {
                    c: points(weights[role], {**signals, **dict([base[c]] if c in base else [])})
                    for c, signals in generic[role].items()
                }
                base_points[(role, region)] = scores
                base_order[(role, region)] = sorted(scores, key=lambda c: (-scores[c], c))
        return cls(index, facts, weights, generic, regional, base_points, base_order)

    def ranked(self, role: str, state: str, excluded: set[str], top: int | None) -> list[Ranked]:
        """(score, candidate, signals) for one role, best first; all of them when ``top`` is
        None.

        Candidates with a tie to the State itself are scored in full; for everyone else the
        score is target-independent within the region (computed once), so the best of them
        come straight from a precomputed order.
        """
        region = self.index.graph.nodes[state].get("region")
        region = region if region in REGIONS else None
        regional = self.regional[role].get(region, {}) if region else {}
        specific = target_signals(self.index, self.facts, role, state)
        self._recount_region(role, state, regional, specific)
        scored = self._tied(role, regional, specific, excluded)
        generic = self.generic[role]
        base = self.base_points[(role, region)]
        added = 0
        for candidate in self.base_order[(role, region)]:
            if top is not None and added >= top:
                break
            if candidate not in excluded and candidate not in scored:
                signals = dict(generic[candidate])
                if candidate in regional:
                    signals[regional[candidate][0]] = regional[candidate][1]
                scored[candidate] = (base[candidate], signals)
                added += 1
        rows = [(s, c, sig) for c, (s, sig) in scored.items() if s > 0]
        key = lambda row: (-row[0], row[1])  # noqa: E731
        return heapq.nsmallest(top, rows, key=key) if top is not None else sorted(rows, key=key)

    def _recount_region(self, role: str, state: str, regional: dict[str, tuple[str, Signal]],
                        specific: Found) -> None:  # fmt: skip
        """A regional signal counts the *other* States of the region: the State's own
        partners (who fund it or work there) get it recomputed without the State."""
        for candidate in in_state(self.index, self.facts, role, state):
            if candidate in regional:
                name, found = regional[candidate]
                others = tuple(s for s in found.facts if s != state)
                specific.setdefault(candidate, {})
                if others:
                    specific[candidate][name] = Signal(min(len(others), 3) / 3, others)
                else:
                    specific[candidate][name] = Signal(0.0)

    def _tied(self, role: str, regional: dict[str, tuple[str, Signal]], specific: Found,
              excluded: set[str]) -> dict[str, tuple[float, dict[str, Signal]]]:  # fmt: skip
        """The candidates tied to the State, scored in full: generic, regional, then the
        State's own signals (signals worth nothing left out)."""
        pool, generic = self.facts.pools[role], self.generic[role]
        scored: dict[str, tuple[float, dict[str, Signal]]] = {}
        for candidate, signals in specific.items():
            if candidate in pool and candidate not in excluded:
                merged = {**generic.get(candidate, {})}
                if candidate in regional:
                    merged[regional[candidate][0]] = regional[candidate][1]
                merged.update(signals)
                merged = {k: v for k, v in merged.items() if v.value > 0}
                scored[candidate] = (points(self.weights[role], merged), merged)
        return scored
