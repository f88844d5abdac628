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
from ..i18n import N_, translator
from ..metadata import DEFAULT_FORUMS
from ..names import NameIndex, name_in, suggest
from ..schema import ActorKind, NodeType, RelType

__all__ = [
    "AFFECTED_KEY",
    "PRESETS",
    "TO_INVITE_KEY",
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

    :param name: what ``--preset`` takes; ``title``: the map's default title (an English
        message, translated where it is shown);
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
        view = _neighbourhood(graph, focus, depth)
    elif coalition is not None:
        view = _coalition_view(graph, coalition)
    elif preset is not None:
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        view = PRESETS[preset].view(graph)
    else:
        view = graph.copy()
    # Whether a State is affected depends on its obligations, which a view may leave out.
    view.graph[AFFECTED_KEY] = sorted(affected_states(graph))
    return view


AFFECTED_KEY = "affected_states"
"""The view's graph attribute listing the affected States Parties of the whole graph (sorted
ids); the map draws them apart from other States."""
TO_INVITE_KEY = "to_invite"
"""The view's graph attribute listing donors outside MASG that fund an affected State (sorted
ids), set by the ``masg`` preset; the map draws them as "to invite"."""


def _neighbourhood(graph: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    if depth < 1:
        raise ValueError("depth must be at least 1")
    focus = resolve_record(graph, focus)
    nearby = set(
        nx.single_source_shortest_path_length(
            graph.to_undirected(as_view=True), focus, cutoff=depth
        )
    )
    nearby.update(_funders(graph, _own_bodies(graph, focus)))
    return _induced(graph, nearby)


def _own_bodies(graph: nx.MultiDiGraph, state: str) -> list[str]:
    """A State's national authorities (operating in it) and the coalitions focused on it."""
    bodies = []
    for u, _, kind in graph.in_edges(state, data="type"):
        if kind == RelType.FOCUSES_ON or (
            kind == RelType.OPERATES_IN
            and graph.nodes[u].get("kind") == ActorKind.NATIONAL_AUTHORITY
        ):
            bodies.append(u)
    return bodies


def _funders(graph: nx.MultiDiGraph, targets: Iterable[str]) -> set[str]:
    """Whoever funds one of ``targets``: so that a State's map shows the money that reaches
    its national authority and its coalition, not only the State itself."""
    return {
        u
        for target in targets
        for u, _, kind in graph.in_edges(target, data="type")
        if kind == RelType.FUNDS
    }


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
    members = {
        u for u, _, d in graph.in_edges(masg, data=True) if d.get("type") == RelType.MEMBER_OF
    }
    keep.update(members)
    affected = affected_states(graph)
    for state, obligations in affected.items():
        keep.add(state)
        keep.update(obligations)
    to_invite = _donors_outside(graph, affected, members | {masg})
    keep.update(to_invite)
    view = _induced(graph, keep)
    view.graph[TO_INVITE_KEY] = sorted(to_invite)
    view.remove_edges_from(
        [
            (u, v, k)
            for u, v, k, d in view.edges(keys=True, data=True)
            if d["type"] not in _MASG_TYPES
        ]
    )
    return view


def _donors_outside(
    graph: nx.MultiDiGraph, affected: dict[str, list[str]], inside: set[str]
) -> set[str]:
    """Actors outside MASG that fund an affected State Party (``FUNDS`` to the State or one
    of its open obligations, or financial ``SUPPORTS``): the donors a MASG meeting could
    invite. Technical support from operators does not count."""
    targets = set(affected) | {ob for obligations in affected.values() for ob in obligations}
    return {
        u
        for u, v, d in graph.edges(data=True)
        if v in targets
        and (
            d.get("type") == RelType.FUNDS
            or (d.get("type") == RelType.SUPPORTS and d.get("kind") == "financial")
        )
        and u not in inside
        and u not in affected
        and graph.nodes[u].get("node_type") == NodeType.ACTOR
    }


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "masg",
            title=N_("MASG members, observers and affected States Parties: funding and support"),
            description="MASG members and observers, the affected States Parties, donors "
            "outside MASG that fund them (to invite), the funding and support between them.",
            view=_masg_view,
        ),
    )
}
"""The map presets by name; adding a preset is adding an entry here."""


def _induced(graph: nx.MultiDiGraph, keep: Iterable[str]) -> nx.MultiDiGraph:
    """The records in ``keep`` with every relation among them, nodes and edges in the input's
    order. (Built here rather than with ``graph.subgraph``, whose node order follows a set's
    and so changes with Python's hash seed.)"""
    wanted = set(keep)
    view = nx.MultiDiGraph()
    view.graph.update(graph.graph)
    view.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if n in wanted)
    view.add_edges_from(
        (u, v, k, dict(d))
        for u, v, k, d in graph.edges(keys=True, data=True)
        if u in wanted and v in wanted
    )
    return view


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
    lang: str = "en",
) -> str:
    """A title that says what the map shows, e.g. ``Lao PDR and its neighbourhood (1 step)``,
    in ``lang`` (``en``, ``fr``, ``es``; a name from the record's alias in that language)."""
    _ = translator(lang)

    def name(node: str) -> str:
        label = record_label(graph, node)
        return label if lang == "en" else name_in(lang, label, graph.nodes[node].get("aliases"))

    if focus is not None:
        focus = resolve_record(graph, focus)
        if depth == 1:
            return _("{name} and its neighbourhood (1 step)").format(name=name(focus))
        text = _("{name} and its neighbourhood ({depth} steps)")
        return text.format(name=name(focus), depth=depth)
    if coalition is not None:
        coalition = resolve_record(graph, coalition, kinds={"coalition"}, what="coalition")
        return _("{name}: members, funders and partners").format(name=name(coalition))
    if preset in PRESETS:
        return _(PRESETS[preset].title)
    return _("CCM stakeholder map: the whole network")


def record_label(graph: nx.MultiDiGraph, node: str) -> str:
    """A record's name as people read it (its ``label``), else its id."""
    return str(graph.nodes[node].get("label", node)) if node in graph else node


def sorted_edges(view: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """The view's relations as ``(from, to, data)`` in a fixed order (by from, to and key), so
    the same view always gives the same page and the same graph file."""
    edges = view.edges(keys=True, data=True)
    ordered = sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return [(u, v, data) for u, v, _, data in ordered]
