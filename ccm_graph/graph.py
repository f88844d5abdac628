"""Build the NetworkX graph that every analysis, map and brief works on.

Nodes are keyed by record id and carry the record's fields plus ``node_type`` (actor,
obligation, coalition, activity) and ``label`` (a human-readable name). Edges carry ``type``
(a :class:`~ccm_graph.schema.RelType` value) and the relation's fields. ``HAS_OBLIGATION`` and
``FOCUSES_ON`` edges are derived from ``Obligation.state`` and ``Coalition.focus``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dataset import Dataset
from .schema import (
    ARTICLE_NAMES,
    OPEN_OBLIGATION_STATUSES,
    TIME_BOUND_ARTICLES,
    Obligation,
    RelType,
)

if TYPE_CHECKING:  # NetworkX is imported where a graph is made, so importing this is cheap
    import networkx as nx

__all__ = [
    "EVIDENCE_KEY",
    "FactEvidence",
    "affected_states",
    "build_graph",
    "fact_evidence",
    "graph_stats",
    "is_open_time_bound",
    "node_label",
    "simple_undirected",
]


def node_label(dataset_index: dict[str, Any], record: Any) -> str:
    """A short human-readable label for a record (names for actors, coalitions, activities)."""
    if isinstance(record, Obligation):
        state = dataset_index.get(record.state)
        state_name = state[1].name if state else record.state
        return f"{state_name}: Article {record.article} ({ARTICLE_NAMES[record.article]})"
    return str(getattr(record, "name", None) or getattr(record, "title", None) or record.id)


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """Turn a :class:`Dataset` into a ``networkx.MultiDiGraph``.

    The graph is built from the dataset in canonical order, so two equal datasets give
    graphs with the same nodes, edges and edge keys. ``G.graph`` holds the dataset's
    ``forums`` (which ids are MASG, the APMBC committee, the CCM coordinators), ``as_of``
    date and ``coverage`` (see :mod:`ccm_graph.metadata`); the analyses read them from there.
    When the dataset keeps evidence (``evidence.csv``), ``G.graph["evidence"]`` says how each
    fact is backed (:func:`fact_evidence`); evidence is not a node. Nothing is dropped: filter
    restricted records with :meth:`Dataset.without_restricted` first when the graph is for
    export.

    >>> from ccm_graph.schema import Actor
    >>> G = build_graph(Dataset(actors=[Actor("LAO", "state", "Lao PDR", source="s")]))
    >>> G.nodes["LAO"]["node_type"], G.nodes["LAO"]["label"]
    ('actor', 'Lao PDR')
    """
    import networkx as nx

    data = dataset.sorted()
    index = data.node_index()
    graph = nx.MultiDiGraph(
        forums=data.info.forums, as_of=data.info.as_of, coverage=data.info.coverage
    )
    if data.evidence:
        graph.graph[EVIDENCE_KEY] = _evidence_by_record(data)
    nodes = []
    for node_type, record in data.nodes():
        attrs = {"node_type": node_type.value, "label": node_label(index, record)}
        attrs.update(_fields(record, skip=("id",)))
        nodes.append((record.id, attrs))
    graph.add_nodes_from(nodes)
    has, focuses = RelType.HAS_OBLIGATION.value, RelType.FOCUSES_ON.value
    edges: list[tuple[str, str, str, dict[str, Any]]] = [
        (ob.state, ob.id, has, {"type": has}) for ob in data.obligations
    ]
    edges += [(co.id, co.focus, focuses, {"type": focuses}) for co in data.coalitions]
    seen: Counter[tuple[str, str, str]] = Counter()
    for rel in data.relations:
        attrs = {k: v for k, v in vars(rel).items() if v is not None}
        del attrs["from_id"], attrs["to_id"]
        base = (rel.from_id, rel.to_id, rel.type)
        count = seen[base]
        seen[base] = count + 1
        edges.append((rel.from_id, rel.to_id, f"{rel.type}#{count}" if count else rel.type, attrs))
    graph.add_edges_from(edges)
    return graph


EVIDENCE_KEY = "evidence"
"""The graph attribute that holds, per record id and field, how the fact is backed."""


@dataclass(frozen=True)
class FactEvidence:
    """How one fact shown to people is backed: ``quoted`` with the URLs of the sources that
    state it (``sources``, in file order), or ``indicative`` (no stored source quoted)."""

    status: str
    sources: tuple[str, ...] = ()

    @property
    def indicative(self) -> bool:
        return self.status != "quoted" or not self.sources

    @property
    def source(self) -> str | None:
        """The first source quoted, if any."""
        return self.sources[0] if self.sources else None


def _evidence_by_record(data: Dataset) -> dict[str, dict[str, FactEvidence]]:
    found: dict[str, dict[str, FactEvidence]] = {}
    for row in data.evidence:
        facts = found.setdefault(row.record, {})
        before = facts.get(row.field)
        if row.status == "quoted" and row.source:
            sources = before.sources if before is not None else ()
            if row.source not in sources:
                facts[row.field] = FactEvidence("quoted", (*sources, row.source))
        elif before is None:
            facts[row.field] = FactEvidence("indicative")
    return found


def fact_evidence(G: nx.MultiDiGraph, record: str, field: str) -> FactEvidence | None:
    """How the fact ``field`` of ``record`` is backed, for an output to say so.

    ``None`` when the data keeps no evidence at all (a folder without ``evidence.csv``: its
    facts are shown as they are); otherwise the first quoted source, or ``indicative`` when
    the fact has no quoted evidence (an indicative row, or none).
    """
    by_record: dict[str, dict[str, FactEvidence]] | None = G.graph.get(EVIDENCE_KEY)
    if not by_record:
        return None
    return by_record.get(record, {}).get(field, FactEvidence("indicative"))


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """``G`` as a simple undirected graph (a tie whichever way relations point).

    Built node by node and edge by edge in ``G``'s own order: ``G.to_undirected()`` merges
    adjacency through sets, whose order changes between runs, and seeded algorithms such as
    Louvain or a layout then give different answers on the same data.
    """
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def is_open_time_bound(data: dict[str, Any]) -> bool:
    """Whether a node's attributes describe an Article 3 or 4 obligation not yet completed."""
    return (
        data.get("node_type") == "obligation"
        and data.get("article") in TIME_BOUND_ARTICLES
        and data.get("status") in OPEN_OBLIGATION_STATUSES
    )


def affected_states(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """States Parties with an open Article 3 or 4 obligation → those obligations' ids.

    This is what "affected State Party" means throughout ccm-graph (gaps, maps, briefs). Only
    the State's own obligations count (``HAS_OBLIGATION``), not those it supports.
    """
    affected: dict[str, list[str]] = {}
    for state, data in G.nodes(data=True):
        if data.get("kind") != "state" or data.get("ccm_status") != "state_party":
            continue
        open_ones = sorted(
            {
                ob
                for _, ob, kind in G.out_edges(state, data="type")
                if kind == RelType.HAS_OBLIGATION and is_open_time_bound(G.nodes[ob])
            }
        )
        if open_ones:
            affected[state] = open_ones
    return affected


def _fields(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record's fields as a dict (a shallow, fast ``dataclasses.asdict``)."""
    fields = dict(vars(record))  # the records are plain dataclasses: fields are their __dict__
    for name in skip:
        fields.pop(name, None)
    return fields


def graph_stats(graph: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """Counts a coordinator asks for first.

    :returns: ``{"nodes": {kind: n}, "relationships": {type: n},
        "obligations": {"Article 4 extended": n, ...}}`` where an actor's kind is its actor
        kind (state, operator …) and other nodes count under their node type.
    """
    nodes: Counter[str] = Counter()
    obligations: Counter[str] = Counter()
    for _, data in graph.nodes(data=True):
        if data["node_type"] == "actor":
            nodes[data["kind"]] += 1
        else:
            nodes[data["node_type"]] += 1
        if data["node_type"] == "obligation":
            obligations[f"Article {data['article']} {data['status']}"] += 1
    relationships = Counter(data["type"] for _, _, data in graph.edges(data=True))
    return {
        "nodes": dict(sorted(nodes.items())),
        "relationships": dict(sorted(relationships.items())),
        "obligations": dict(sorted(obligations.items())),
    }
