"""What a map shows: the whole graph, one actor's neighbourhood, one Country Coalition, or a
preset such as the MASG picture (:func:`select_view`), and a title that says which
(:func:`view_title`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..errors import UnknownRecord
from ..graph import affected_states
from ..metadata import DEFAULT_FORUMS
from ..names import NameIndex, suggest
from ..schema import NodeType, RelType

__all__ = [
    "PRESETS",
    "Preset",
    "masg_id",
    "record_label",
    "resolve_record",
    "select_view",
    "sorted_edges",
    "view_title",
]


def masg_id(graph: nx.MultiDiGraph) -> str:
    """The Mine Action Support Group's id: the data's ``metadata.json`` forums, else ``masg``."""
    forums = graph.graph.get("forums", DEFAULT_FORUMS)
    return str(forums.masg)


def _actor_ids(graph: nx.MultiDiGraph) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d.get("node_type") == NodeType.ACTOR]


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
    focus = resolve_record(graph, focus)
    nearby = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), focus, cutoff=depth
    )
    return _induced(graph, nearby)


def _coalition_view(graph: nx.MultiDiGraph, coalition: str) -> nx.MultiDiGraph:
    coalition = resolve_record(graph, coalition, kinds={NodeType.COALITION.value}, what="coalition")
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
    masg = masg_id(graph)
    if masg not in graph:
        raise UnknownRecord(masg, "forum", suggest(masg, _actor_ids(graph)))
    keep = {masg}
    keep.update(
        u for u, _, d in graph.in_edges(masg, data=True) if d.get("type") == RelType.MEMBER_OF
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
    node_type = graph.nodes[node].get("node_type")
    return None if node_type is None else str(node_type)


def resolve_record(
    graph: nx.MultiDiGraph, text: str, *, kinds: set[str] | None = None, what: str = "actor"
) -> str:
    """The id of the record ``text`` names: an id in the graph, else an actor's or
    coalition's name or alias (case and accents ignored; see :class:`ccm_graph.names.NameIndex`).

    :raises UnknownRecord: nothing matches (with suggestions).
    :raises AmbiguousName: a name fits several records.
    """
    if text in graph and (kinds is None or _kind(graph, text) in kinds):
        return text
    return NameIndex.from_graph(graph).resolve(text, kinds=kinds, what=what)


def _kind(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    return str(data.get("kind") or data.get("node_type"))


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
        focus = resolve_record(graph, focus)
        return f"{record_label(graph, focus)} and its neighbourhood ({steps})"
    if coalition is not None:
        coalition = resolve_record(graph, coalition, kinds={"coalition"}, what="coalition")
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
