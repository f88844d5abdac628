"""Where a State (or a coalition) stands towards a Country Coalition: whether partners can be
proposed for it at all, and if not, what a hand-out says instead (:func:`coalition_standing`).

One rule shared by ``recommend``, the briefs and ``coalition propose``:

* a State that **withdrew** from the Convention is never pitched a CCM coalition;
* a State that is **not party** (signatory, not signed) has no obligation under the
  Convention for a coalition to support: what the Convention asks of it is to join;
* a State Party with **no time-bound obligation** (Article 3 or 4) has no coalition need;
* a State whose time-bound obligations are **all completed**, or a **concluded** coalition,
  gets a "what worked" account (who funded, operated, supported, when), not partners;
* otherwise (an open obligation, or a live coalition) partners are proposed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ..graph import is_open_time_bound
from ..schema import TIME_BOUND_ARTICLES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["PITCHABLE", "Standing", "coalition_standing", "is_withdrawn"]

Standing = Literal["open", "withdrawn", "not_party", "no_obligation", "completed", "concluded"]
"""Where a target stands: ``open`` (partners are proposed) or why they are not."""

PITCHABLE: Standing = "open"
"""The one standing for which partners to approach are proposed."""


def is_withdrawn(G: nx.MultiDiGraph, state: str) -> bool:
    """Whether the data records that ``state`` withdrew from the Convention."""
    return state in G and G.nodes[state].get("ccm_status") == "withdrawn"


def coalition_standing(G: nx.MultiDiGraph, state: str, coalition: str | None = None) -> Standing:
    """Where ``state`` (or ``coalition``, focused on it) stands towards a Country Coalition.

    The order matters: a withdrawal or a State that is not party is said first, whatever
    obligations are recorded; then a concluded coalition; then the State's time-bound
    obligations (none, all completed, or one open).

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> coalition_standing(tiny_graph(), "B"), coalition_standing(tiny_graph(), "D")
    ('open', 'no_obligation')
    """
    status = G.nodes[state].get("ccm_status")
    if status == "withdrawn":
        return "withdrawn"
    if status not in (None, "state_party"):
        return "not_party"
    if coalition is not None and G.nodes[coalition].get("status") == "concluded":
        return "concluded"
    time_bound = [
        G.nodes[ob]
        for _, ob, kind in G.out_edges(state, data="type")
        if kind == "HAS_OBLIGATION" and G.nodes[ob].get("article") in TIME_BOUND_ARTICLES
    ]
    if not time_bound:
        return "no_obligation"
    if not any(is_open_time_bound(ob) for ob in time_bound):
        return "completed"
    return "open"
