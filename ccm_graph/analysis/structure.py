"""Brokers and clusters: who connects the network, and which groups form within it.

Betweenness centrality finds the actors that sit between others (natural conveners and
go-betweens); Louvain community detection (seeded, so the same graph gives the same groups)
finds clusters of actors that work mostly with each other. Both run on the undirected,
simple version of the graph: a relation is a tie whichever way it points.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from ..graph import simple_undirected

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Broker", "Community", "StructureReport", "network_structure"]

EXACT_BETWEENNESS_LIMIT = 2000
"""Above this many nodes betweenness is estimated from a seeded sample of source nodes."""


@dataclass(frozen=True)
class Community:
    """A cluster of actors that are more connected with each other than with the rest."""

    community: int
    size: int
    states: int
    leading: tuple[str, ...]
    leading_names: tuple[str, ...]
    explanation: str

    def as_record(self) -> dict[str, object]:
        record = asdict(self)
        record["leading"] = list(self.leading)
        record["leading_names"] = list(self.leading_names)
        return record


@dataclass(frozen=True)
class Broker:
    """An actor that connects others: high betweenness, ties into several clusters."""

    actor: str
    name: str
    kind: str
    betweenness: float
    degree: int
    community: int
    clusters_reached: int
    explanation: str

    def as_record(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class StructureReport:
    """Brokers (best first), communities of two or more (largest first), how many records have
    no tie at all, and whether betweenness is exact."""

    brokers: tuple[Broker, ...]
    communities: tuple[Community, ...]
    exact: bool
    isolated: int = 0


def network_structure(G: nx.MultiDiGraph, *, top: int = 10, seed: int = 42) -> StructureReport:
    """Find the brokers and the clusters of the coalition network.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph``.
    top : how many brokers to return.
    seed : seeds Louvain (and the betweenness sample on large graphs): same graph, same answer.

    Returns
    -------
    :class:`StructureReport`. A broker's ``betweenness`` is the share of shortest paths
    between other nodes that pass through it (0 to 1); ``clusters_reached`` counts the distinct
    communities among its neighbours. Only actors are listed as brokers.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> report = network_structure(tiny_graph(), top=2)
    >>> [b.actor for b in report.brokers]
    ['A', 'D']
    """
    import networkx as nx

    if top < 1:
        raise ValueError("top: the number of brokers to show must be at least 1")
    simple = simple_undirected(G)
    if simple.number_of_nodes() == 0:
        return StructureReport((), (), True, 0)
    exact = simple.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT
    betweenness = nx.betweenness_centrality(
        simple, k=None if exact else min(500, simple.number_of_nodes()), seed=seed
    )
    groups = _clusters_of(simple, seed)
    membership = {node: i for i, group in enumerate(groups) for node in group}
    communities = _communities(G, simple, groups)
    brokers = _brokers(G, simple, betweenness, membership, top)
    isolated = sum(1 for group in groups if len(group) == 1)
    return StructureReport(tuple(brokers), tuple(communities), exact, isolated)


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node))


def _clusters_of(simple: nx.Graph, seed: int) -> list[set[str]]:
    """The Louvain communities of ``simple``, largest first (then by smallest id)."""
    import networkx as nx

    # Louvain walks sets of nodes; string hashes change between runs, integers do not, so
    # cluster on integer labels (in sorted id order) for the same answer every time.
    ordered = sorted(simple.nodes)
    numbered = nx.relabel_nodes(simple, {n: i for i, n in enumerate(ordered)})
    numbered_groups = nx.community.louvain_communities(numbered, seed=seed)
    groups = [{ordered[i] for i in group} for group in numbered_groups]
    return sorted(groups, key=lambda g: (-len(g), min(g)))


def _communities(G: nx.MultiDiGraph, simple: nx.Graph,
                 groups: list[set[str]]) -> list[Community]:  # fmt: skip
    """A :class:`Community` for each group of two or more, with its most connected records."""
    communities = []
    for i, group in enumerate(groups):
        if len(group) < 2:
            continue
        leading = sorted(group, key=lambda n: (-simple.degree(n), n))[:5]
        states = sum(1 for n in group if G.nodes[n].get("kind") == "state")
        kinds = Counter(
            G.nodes[n].get("kind") or G.nodes[n].get("node_type") for n in sorted(group)
        )
        kind_text = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common(3))
        communities.append(Community(
            community=i,
            size=len(group),
            states=states,
            leading=tuple(leading),
            leading_names=tuple(_label(G, n) for n in leading),
            explanation=(
                f"{len(group)} records ({kind_text}) that are tied mostly to each other; "
                f"most connected: {', '.join(_label(G, n) for n in leading[:3])}."
            ),
        ))  # fmt: skip
    return communities


def _brokers(G: nx.MultiDiGraph, simple: nx.Graph, betweenness: dict[str, float],
             membership: dict[str, int], top: int) -> list[Broker]:  # fmt: skip
    """The ``top`` actors by betweenness (then degree, then id), each with the clusters its
    ties reach."""
    actors = [n for n in simple if G.nodes[n].get("node_type") == "actor"]
    ranked = sorted(actors, key=lambda n: (-betweenness[n], -simple.degree(n), n))[:top]
    brokers = []
    for node in ranked:
        reached = {membership[m] for m in simple[node]} | {membership[node]}
        share = betweenness[node]
        brokers.append(Broker(
            actor=node,
            name=_label(G, node),
            kind=str(G.nodes[node].get("kind")),
            betweenness=round(share, 4),
            degree=simple.degree(node),
            community=membership[node],
            clusters_reached=len(reached),
            explanation=(
                f"{_label(G, node)} lies on {share:.1%} of the shortest paths between other "
                f"records and has ties into {_clusters(len(reached))}: "
                + ("a natural convener between groups." if len(reached) > 1
                   else "central within its own group.")
            ),
        ))  # fmt: skip
    return brokers


def _clusters(count: int) -> str:
    """The number of clusters in words, singular or plural.

    >>> _clusters(1), _clusters(3)
    ('1 cluster', '3 clusters')
    """
    return f"{count} cluster" if count == 1 else f"{count} clusters"
