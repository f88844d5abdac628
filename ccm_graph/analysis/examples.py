"""A tiny hand-made graph for the analysis docstrings and tests (synthetic, not real data).

Two affected States: **A** (Article 4 deadline 2030-08-01, never extended, an active coalition
led by donor **D**, operator **op** working there, D funded A in 2025) and **B** (Article 4
deadline 2026-03-01, extended twice, extension requested in 2024, no support, no coalition).
D is a MASG member.
"""

from __future__ import annotations

import networkx as nx

from ..dataset import Dataset
from ..graph import build_graph
from ..schema import Actor, Coalition, Obligation, Relation

__all__ = ["tiny_dataset", "tiny_graph"]

_SOURCE = "synthetic example (ccm_graph.analysis.examples)"


def tiny_dataset() -> Dataset:
    """The records of :func:`tiny_graph`."""
    return Dataset(
        actors=[
            Actor("A", "state", "State A", "AAA", "africa", "state_party", "state_party",
                  source=_SOURCE),
            Actor("B", "state", "State B", "BBB", "africa", "state_party", "non_party",
                  source=_SOURCE),
            Actor("D", "state", "Donor D", "DDD", "europe_central_asia", "state_party",
                  "state_party", source=_SOURCE),
            Actor("op", "operator", "Operator Op", source=_SOURCE),
            Actor("masg", "forum", "Mine Action Support Group", source=_SOURCE),
        ],
        obligations=[
            Obligation("ob-A-4", "A", 4, "2030-08-01", "open", extensions=0, source=_SOURCE),
            Obligation("ob-B-4", "B", 4, "2026-03-01", "extended", "2021-03-01", 2,
                       extension_requested="2024", source=_SOURCE),
        ],
        coalitions=[Coalition("coal-A", "Coalition for A", "A", "active", "2024", source=_SOURCE)],
        relations=[
            Relation("A", "MEMBER_OF", "coal-A", "affected_state", source=_SOURCE),
            Relation("D", "MEMBER_OF", "coal-A", "lead", source=_SOURCE),
            Relation("D", "MEMBER_OF", "masg", "member", source=_SOURCE),
            Relation("D", "FUNDS", "A", year=2025, amount_usd=1_000_000, convention="CCM",
                     source=_SOURCE),
            Relation("op", "OPERATES_IN", "A", since="2010", source=_SOURCE),
        ],
    )  # fmt: skip


def tiny_graph() -> nx.MultiDiGraph:
    """The graph of :func:`tiny_dataset` (see the module docstring)."""
    return build_graph(tiny_dataset())
