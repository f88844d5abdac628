"""A map's view as a graph file: GraphML, GEXF or node-link JSON, for Gephi and other tools."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from .restricted import refuse_restricted
from .views import sorted_edges

__all__ = ["EXPORT_FORMATS", "export_graph"]

EXPORT_FORMATS = ("graphml", "gexf", "json")
"""The graph-file formats :func:`export_graph` writes."""


def export_graph(
    view: nx.MultiDiGraph,
    fmt: str,
    *,
    highlights: Mapping[str, Sequence[str]] | None = None,
    meta: Mapping[str, str] | None = None,
    restricted_included: bool = False,
) -> str:
    """The view as GraphML, GEXF or node-link JSON text, for Gephi and other tools.

    GraphML and GEXF cannot hold empty values or lists: empty fields are left out and lists
    joined with ``"; "``. Edges get unique ids (``e0``, ``e1`` …); in GEXF the relationship
    type is the edge's ``label`` and its ``relationship`` attribute (GEXF reserves ``type``
    for directed/undirected). Highlights become a ``gaps`` node attribute; ``meta`` (title,
    as-of date, command) goes into the graph's attributes.

    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("NLD", "halo", type="FUNDS", amount_usd=1_500_000, purpose=None)
    >>> H = nx.parse_graphml(export_graph(G, "graphml"))
    >>> list(H.edges(data=True))
    [('NLD', 'halo', {'type': 'FUNDS', 'amount_usd': 1500000.0, 'id': 'e0'})]
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    refuse_restricted(view, restricted_included)
    clean = _sanitised(view, highlights or {}, meta or {}, gexf=fmt == "gexf")
    if fmt == "json":
        data = nx.node_link_data(clean, edges="edges")
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(clean)) + "\n"
    return "\n".join(nx.generate_graphml(clean)) + "\n"


def _sanitised(
    view: nx.MultiDiGraph,
    highlights: Mapping[str, Sequence[str]],
    meta: Mapping[str, str],
    *,
    gexf: bool,
) -> nx.MultiDiGraph:
    clean = nx.MultiDiGraph()
    clean.graph.update({k: str(v) for k, v in meta.items() if v is not None})
    for node, data in sorted(view.nodes(data=True), key=lambda item: str(item[0])):
        attrs = _plain(data)
        if highlights.get(node):
            attrs["gaps"] = "; ".join(str(r) for r in highlights[node])
        clean.add_node(str(node), **attrs)
    for number, (u, v, data) in enumerate(sorted_edges(view)):
        attrs = _plain(data)
        if gexf and "type" in attrs:
            attrs["relationship"] = attrs.pop("type")
            attrs["label"] = attrs["relationship"]
        clean.add_edge(str(u), str(v), key=f"e{number}", **attrs)
    return clean


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes GraphML and GEXF can store: no None, lists joined, amounts always floats."""
    plain: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        if key == "amount_usd":
            value = float(value)
        elif isinstance(value, list | tuple | set):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif not isinstance(value, str | int | float | bool):
            value = str(value)
        plain[str(key)] = value
    return plain
