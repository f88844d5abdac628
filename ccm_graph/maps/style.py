"""How a map looks: colour and shape per kind of record, line style per relationship type,
region names, and the measure that node size shows.

One palette for every map and hand-out (:mod:`ccm_graph.briefs` draws with it too):
colour-blind-safe, and no kind is red, because red is kept for the gap ring. The legend texts
are English messages (marked ``N_``) that the map translates where it shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..graph import simple_undirected
from ..i18n import N_
from ..schema import REGIONS, ActorKind, NodeType, RelType

__all__ = [
    "AFFECTED_STATE",
    "EDGE_STYLES",
    "GAP_COLOR",
    "NODE_STYLES",
    "OTHER_EDGE",
    "OTHER_NODE",
    "REGION_LABELS",
    "SIZE_MEASURES",
    "TO_INVITE",
    "EdgeStyle",
    "NodeStyle",
    "edge_style",
    "node_sizes",
    "node_style",
]

SIZE_MEASURES = ("degree", "funding", "betweenness")
"""What node size shows: number of relations, money given plus received, or brokerage."""

_MONEY_TYPES = (RelType.FUNDS.value, RelType.SUPPORTS.value)
_BETWEENNESS_SAMPLE_ABOVE = 500
_BETWEENNESS_SAMPLES = 300


@dataclass(frozen=True)
class NodeStyle:
    """How one kind of record is drawn: legend text, fill colour, vis-network shape."""

    label: str
    color: str
    shape: str


@dataclass(frozen=True)
class EdgeStyle:
    """How one relationship type is drawn: legend text, line colour, dash pattern (or none)."""

    label: str
    color: str
    dashes: tuple[int, ...] = ()


AFFECTED_STATE = "affected_state"
"""The style key of an affected State Party (an Article 3 or 4 obligation still open)."""
TO_INVITE = "to_invite"
"""The style key of a donor outside MASG that funds an affected State (``--preset masg``)."""

NODE_STYLES: dict[str, NodeStyle] = {
    AFFECTED_STATE: NodeStyle(
        N_("Affected State Party (open Article 3 or 4 obligation)"), "#EE7733", "square"
    ),
    ActorKind.STATE: NodeStyle(N_("State"), "#332288", "dot"),
    TO_INVITE: NodeStyle(
        N_("Donor outside MASG funding an affected State: to invite"), "#BBCCEE", "dot"
    ),
    ActorKind.NATIONAL_AUTHORITY: NodeStyle(N_("National authority"), "#88CCEE", "triangle"),
    ActorKind.OPERATOR: NodeStyle(N_("Operator"), "#DDCC77", "square"),
    ActorKind.INTERNATIONAL_ORG: NodeStyle(N_("International organisation"), "#117733", "dot"),
    ActorKind.REGIONAL_ORG: NodeStyle(N_("Regional organisation"), "#999933", "triangleDown"),
    ActorKind.CIVIL_SOCIETY: NodeStyle(N_("Civil society"), "#CC6677", "dot"),
    ActorKind.FUNDER: NodeStyle(
        N_("Funder (foundation, private donor, development agency)"), "#0072B2", "triangleDown"
    ),
    ActorKind.FORUM: NodeStyle(N_("Forum"), "#AA4499", "hexagon"),
    ActorKind.SECRETARIAT: NodeStyle(N_("Secretariat"), "#882255", "hexagon"),
    NodeType.OBLIGATION: NodeStyle(N_("Obligation (Article 3, 4 or 5)"), "#44AA99", "diamond"),
    NodeType.COALITION: NodeStyle(N_("Country Coalition"), "#E69F00", "star"),
    NodeType.ACTIVITY: NodeStyle(N_("Meeting, activity or output"), "#BBBBBB", "square"),
}
"""Colour and shape per actor kind (actors) or node type (everything else); a colour-blind-safe
palette, and no kind is red: red is kept for the gap ring."""
OTHER_NODE = NodeStyle(N_("Other record"), "#777777", "dot")
"""How a record of a kind not in :data:`NODE_STYLES` is drawn."""

EDGE_STYLES: dict[str, EdgeStyle] = {
    RelType.FUNDS: EdgeStyle(N_("funds (width: amount)"), "#117733"),
    RelType.SUPPORTS: EdgeStyle(N_("supports an obligation"), "#44AA99"),
    RelType.OPERATES_IN: EdgeStyle(N_("operates in"), "#B8860B", (8, 4)),
    RelType.MEMBER_OF: EdgeStyle(N_("member of"), "#AA4499", (2, 4)),
    RelType.FOCUSES_ON: EdgeStyle(N_("coalition focuses on"), "#E69F00", (12, 4)),
    RelType.HAS_OBLIGATION: EdgeStyle(N_("has obligation"), "#888888"),
    RelType.PARTICIPATES_IN: EdgeStyle(N_("takes part in"), "#BBBBBB", (2, 6)),
}
"""Line colour and dash pattern per relationship type."""
OTHER_EDGE = EdgeStyle(N_("other relation"), "#777777")
"""How a relation of a type not in :data:`EDGE_STYLES` is drawn."""
GAP_COLOR = "#D00000"
"""The ring round a record a synergy gap is about."""

REGION_LABELS = {
    "africa": N_("Africa"),
    "americas": N_("Americas"),
    "asia_pacific": N_("Asia-Pacific"),
    "europe_central_asia": N_("Europe and Central Asia"),
    "middle_east_north_africa": N_("Middle East and North Africa"),
    "": N_("No region"),
}
"""Region names for the legend and the region filter (``""``: a record with no region)."""
assert set(REGIONS) <= set(REGION_LABELS)


def node_style(kind: str) -> NodeStyle:
    """The style of an actor kind or node type; :data:`OTHER_NODE` for one not in the table."""
    return NODE_STYLES.get(kind, OTHER_NODE)


def edge_style(rel_type: str) -> EdgeStyle:
    """The style of a relationship type; :data:`OTHER_EDGE` for one not in the table."""
    return EDGE_STYLES.get(rel_type, OTHER_EDGE)


def node_sizes(
    graph: nx.MultiDiGraph, measure: str = "degree", *, seed: int = 42
) -> dict[str, float]:
    """The measure that a map's node size shows, per node (raw values, not pixels).

    :param measure: ``degree``: how many relations a record has in the view; ``funding``:
        the US dollars it gives plus receives through ``FUNDS`` and ``SUPPORTS`` relations
        with an amount; ``betweenness``: how often it lies on the shortest path between two
        others (a broker between groups), from 0 to 1, estimated from 300 sampled sources
        (seeded) when the view has more than 500 nodes.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("NLD", "halo", type="FUNDS", amount_usd=1_500_000.0)
    >>> _ = G.add_edge("CHE", "halo", type="FUNDS", amount_usd=500_000.0)
    >>> node_sizes(G, "funding")
    {'NLD': 1500000.0, 'halo': 2000000.0, 'CHE': 500000.0}
    """
    if measure == "degree":
        return {node: float(degree) for node, degree in graph.degree()}
    if measure == "funding":
        totals = dict.fromkeys(graph, 0.0)
        for u, v, data in graph.edges(data=True):
            amount = data.get("amount_usd")
            if data.get("type") in _MONEY_TYPES and amount is not None:
                totals[u] += float(amount)
                totals[v] += float(amount)
        return totals
    if measure == "betweenness":
        simple = simple_undirected(graph)
        sample = None
        if len(simple) > _BETWEENNESS_SAMPLE_ABOVE:
            sample = _BETWEENNESS_SAMPLES
        centrality: dict[str, float] = nx.betweenness_centrality(simple, k=sample, seed=seed)
        return centrality
    raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(SIZE_MEASURES)}")
