"""Restricted records on a map: find them, and refuse a view that holds one unless allowed."""

from __future__ import annotations

import networkx as nx

__all__ = ["refuse_restricted", "restricted_records"]


def restricted_records(graph: nx.MultiDiGraph) -> list[str]:
    """Ids of nodes, and ``from -TYPE-> to`` of relations, marked restricted in ``graph``."""
    found = [str(n) for n, d in graph.nodes(data=True) if d.get("sensitivity") == "restricted"]
    found += [
        f"{u} -{d.get('type')}-> {v}"
        for u, v, d in graph.edges(data=True)
        if d.get("sensitivity") == "restricted"
    ]
    return found


def refuse_restricted(view: nx.MultiDiGraph, restricted_included: bool) -> None:
    """Raise ``ValueError`` if ``view`` holds a restricted record and that was not allowed."""
    if restricted_included:
        return
    found = restricted_records(view)
    if found:
        raise ValueError(
            f"the view holds {len(found)} restricted record(s) ({found[0]} …): build the graph "
            "from Dataset.without_restricted(), or pass restricted_included=True"
        )
