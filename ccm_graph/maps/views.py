"""What a map shows: the whole graph, one actor's neighbourhood, one Country Coalition, or a
preset such as the MASG picture (:func:`select_view`), and a title that says which
(:func:`view_title`)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UnknownRecord
from ..graph import affected_states
from ..schema import NodeType, RelType

__all__ = [
    "MASG_ID",
    "PRESETS",
    "Preset",
    "record_label",
    "select_view",
    "sorted_edges",
    "view_title",
]

MASG_ID = "masg"
"""The Mine Action Support Group's id in the seed data."""


@dataclass(frozen=True)
class Preset:
    """A ready-made view that needs no id (``ccm-graph map --preset NAME``).

    :param name: what ``--preset`` takes; ``title``: the map's default title;
        ``description``: one sentence for ``--help``; ``view``: the view itself, a function
        that takes the whole graph and returns a new graph (as :func:`select_view` does).
    """

    name: str
    title: str
    description: str
    view: Callable[[nx.MultiDiGraph], nx.MultiDiGraph]


_MASG_TYPES = frozenset(
    {RelType.MEMBER_OF, RelType.FUNDS, RelType.SUPPORTS, RelType.HAS_OBLIGATION}
)


def select_view(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    coalition: str | None = None,
    preset: str | None = None,
) -> nx.MultiDiGraph:
    """The part of the graph a map shows; the whole graph when no view is chosen.

    :param focus: an actor (or any record) id: its neighbourhood, every record at most
        ``depth`` relations away whichever way the relations point, with all relations
        among them.
    :param coalition: a coalition id: the coalition, its members and funders, its focus State
        and that State's obligations, and whoever operates in the State or supports one of
        its obligations, with all relations among them.
    :param preset: the name of a :data:`PRESETS` entry. ``"masg"``: the members of the Mine
        Action Support Group (any role), the affected States Parties (an Article 3 or 4
        obligation still open or extended) with those obligations, and the membership,
        funding and support relations between them.
    :returns: a new graph (the input is never changed) whose nodes keep the input's order.
    :raises UnknownRecord: for an id that is not in the graph, with close matches suggested.
    :raises ValueError: when more than one view is asked for, or for a bad depth or preset.

    >>> G = nx.MultiDiGraph([("NLD", "halo", "FUNDS"), ("halo", "LAO", "OPERATES_IN")])
    >>> sorted(select_view(G, focus="LAO", depth=1)), len(select_view(G, focus="LAO", depth=2))
    (['LAO', 'halo'], 3)
    """
    chosen = [name for name, value in (("focus", focus), ("coalition", coalition),
                                       ("preset", preset)) if value is not None]  # fmt: skip
    if len(chosen) > 1:
        raise ValueError(f"choose one view, not {' and '.join(chosen)}")
    if focus is not None:
        return _neighbourhood(graph, focus, depth)
    if coalition is not None:
        return _coalition_view(graph, coalition)
    if preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        return PRESETS[preset].view(graph)
    return graph.copy()


def _neighbourhood(graph: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    if depth < 1:
        raise ValueError("depth must be at least 1")
    if focus not in graph:
        raise UnknownRecord(focus, "actor", _suggestions(graph, focus))
    nearby = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), focus, cutoff=depth
    )
    return _induced(graph, nearby)


def _coalition_view(graph: nx.MultiDiGraph, coalition: str) -> nx.MultiDiGraph:
    if graph.nodes.get(coalition, {}).get("node_type") != NodeType.COALITION:
        raise UnknownRecord(coalition, "coalition", _suggestions(graph, coalition, "coalition"))
    keep = {coalition}
    keep.update(graph.predecessors(coalition))  # members and funders
    focus = graph.nodes[coalition].get("focus")
    if focus in graph:
        keep.add(focus)
        obligations = [o for o in graph.successors(focus) if _node_type(graph, o) == "obligation"]
        keep.update(obligations)
        for target in (focus, *obligations):
            keep.update(
                u
                for u, _, data in graph.in_edges(target, data=True)
                if data.get("type") in (RelType.OPERATES_IN, RelType.SUPPORTS)
            )
    return _induced(graph, keep)


def _masg_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    if MASG_ID not in graph:
        raise UnknownRecord(MASG_ID, "forum", _suggestions(graph, MASG_ID, "actor"))
    keep = {MASG_ID}
    keep.update(
        u for u, _, d in graph.in_edges(MASG_ID, data=True) if d.get("type") == RelType.MEMBER_OF
    )
    for state, obligations in affected_states(graph).items():
        keep.add(state)
        keep.update(obligations)
    view = _induced(graph, keep)
    view.remove_edges_from(
        [
            (u, v, k)
            for u, v, k, d in view.edges(keys=True, data=True)
            if d["type"] not in _MASG_TYPES
        ]
    )
    return view


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "masg",
            title="MASG members and affected States Parties: funding and support",
            description="MASG members, the affected States Parties, the funding and support "
            "between them.",
            view=_masg_view,
        ),
    )
}
"""The map presets by name; adding a preset is adding an entry here."""


def _induced(graph: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    wanted = set(keep)
    return graph.subgraph([n for n in graph if n in wanted]).copy()


def _node_type(graph: nx.MultiDiGraph, node: str) -> str | None:
    return graph.nodes[node].get("node_type")


def _suggestions(graph: nx.MultiDiGraph, wanted: str, node_type: str | None = None) -> list[str]:
    """Ids whose id or name is close to ``wanted`` (case-insensitive), best first."""
    target = wanted.casefold()
    scores: dict[str, float] = {}
    for node, data in graph.nodes(data=True):
        if node_type is not None and data.get("node_type") != node_type:
            continue
        for name in (str(node), str(data.get("label", ""))):
            score = _closeness(target, name.casefold())
            if score >= 0.6 and score > scores.get(node, 0.0):
                scores[node] = score
    return sorted(scores, key=lambda node: (-scores[node], str(node)))[:3]


def _closeness(wanted: str, name: str) -> float:
    """difflib's similarity, counting swapped letters (``LOA`` for ``LAO``) as close."""
    score = difflib.SequenceMatcher(None, wanted, name).ratio()
    if len(wanted) > 1 and sorted(wanted) == sorted(name):
        score = max(score, 0.9)
    return score


def view_title(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    coalition: str | None = None,
    preset: str | None = None,
) -> str:
    """A title that says what the map shows, e.g. ``Lao PDR and its neighbourhood (1 step)``."""
    if focus is not None:
        steps = "1 step" if depth == 1 else f"{depth} steps"
        return f"{record_label(graph, focus)} and its neighbourhood ({steps})"
    if coalition is not None:
        return f"{record_label(graph, coalition)}: members, funders and partners"
    if preset in PRESETS:
        return PRESETS[preset].title
    return "CCM stakeholder map: the whole network"


def record_label(graph: nx.MultiDiGraph, node: str) -> str:
    """A record's name as people read it (its ``label``), else its id."""
    return str(graph.nodes[node].get("label", node)) if node in graph else node


def sorted_edges(view: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """The view's relations as ``(from, to, data)`` in a fixed order (by from, to and key), so
    the same view always gives the same page and the same graph file."""
    edges = view.edges(keys=True, data=True)
    ordered = sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return [(u, v, data) for u, v, _, data in ordered]
