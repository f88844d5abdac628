"""Stakeholder maps: one self-contained, offline HTML page, or a graph file for Gephi.

A map is drawn from a *view* of the graph from :func:`ccm_graph.graph.build_graph`: the whole
network, the neighbourhood of one actor, one Country Coalition, or a preset such as the MASG
picture (:func:`select_view`). :func:`render_html` turns a view into a single HTML page that
carries vis-network (the drawing library Pyvis ships) inline and makes no request to any other
host, so it opens on a laptop with no internet and can be emailed. Every string from the data
reaches the page as JSON and is put on screen as text, never parsed as HTML.
:func:`export_graph` writes the same view as GraphML, GEXF or node-link JSON.

Restricted records must be left out before the graph is built
(:meth:`~ccm_graph.dataset.Dataset.without_restricted`); :func:`render_html` and
:func:`export_graph` refuse a view that still holds one unless told it may.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from . import map_page
from .errors import CcmGraphError, UnknownRecord
from .files import write_atomically
from .graph import affected_states, simple_undirected
from .schema import REGIONS, ActorKind, NodeType, RelType

__all__ = [
    "AUTO_STATIC_ABOVE",
    "EDGE_STYLES",
    "EXPORT_FORMATS",
    "LAYOUTS",
    "MAP_FORMATS",
    "MASG_ID",
    "NODE_STYLES",
    "PRESETS",
    "SIZE_MEASURES",
    "EdgeStyle",
    "NodeStyle",
    "choose_layout",
    "export_graph",
    "highlights_from_gaps",
    "map_payload",
    "node_sizes",
    "render_html",
    "restricted_records",
    "select_view",
    "static_positions",
    "view_title",
    "write_map",
]

MAP_FORMATS = ("html", "graphml", "gexf", "json")
"""What ``write_map`` can write: the interactive page or a graph file for Gephi and others."""
EXPORT_FORMATS = MAP_FORMATS[1:]
LAYOUTS = ("physics", "static")
"""``physics``: the browser arranges the map and keeps it springy (best for small maps);
``static``: positions are computed here, physics is off, a large map shows at once."""
AUTO_STATIC_ABOVE = 500
""":func:`choose_layout` picks the static layout for views with more nodes than this."""
SIZE_MEASURES = ("degree", "funding", "betweenness")
"""What node size shows: number of relations, money given plus received, or brokerage."""
PRESETS = ("masg",)
MASG_ID = "masg"
"""The Mine Action Support Group's id in the seed data."""

_MONEY_TYPES = (RelType.FUNDS.value, RelType.SUPPORTS.value)
_MASG_TYPES = frozenset(
    {RelType.MEMBER_OF, RelType.FUNDS, RelType.SUPPORTS, RelType.HAS_OBLIGATION}
)
_BETWEENNESS_SAMPLE_ABOVE = 500
_BETWEENNESS_SAMPLES = 300


# --- how things look --------------------------------------------------------------------------


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


NODE_STYLES: dict[str, NodeStyle] = {
    ActorKind.STATE: NodeStyle("State", "#332288", "dot"),
    ActorKind.NATIONAL_AUTHORITY: NodeStyle("National authority", "#88CCEE", "triangle"),
    ActorKind.OPERATOR: NodeStyle("Operator", "#DDCC77", "square"),
    ActorKind.INTERNATIONAL_ORG: NodeStyle("International organisation", "#117733", "dot"),
    ActorKind.REGIONAL_ORG: NodeStyle("Regional organisation", "#999933", "triangleDown"),
    ActorKind.CIVIL_SOCIETY: NodeStyle("Civil society", "#CC6677", "dot"),
    ActorKind.FORUM: NodeStyle("Forum", "#AA4499", "hexagon"),
    ActorKind.SECRETARIAT: NodeStyle("Secretariat", "#882255", "hexagon"),
    NodeType.OBLIGATION: NodeStyle("Obligation (Article 3, 4 or 5)", "#44AA99", "diamond"),
    NodeType.COALITION: NodeStyle("Country Coalition", "#E69F00", "star"),
    NodeType.ACTIVITY: NodeStyle("Meeting, activity or output", "#BBBBBB", "square"),
}
"""Colour and shape per actor kind (actors) or node type (everything else); a colour-blind-safe
palette, and no kind is red: red is kept for the gap ring."""
_OTHER_NODE = NodeStyle("Other record", "#777777", "dot")

EDGE_STYLES: dict[str, EdgeStyle] = {
    RelType.FUNDS: EdgeStyle("funds (width: amount)", "#117733"),
    RelType.SUPPORTS: EdgeStyle("supports an obligation", "#44AA99"),
    RelType.OPERATES_IN: EdgeStyle("operates in", "#B8860B", (8, 4)),
    RelType.MEMBER_OF: EdgeStyle("member of", "#AA4499", (2, 4)),
    RelType.FOCUSES_ON: EdgeStyle("coalition focuses on", "#E69F00", (12, 4)),
    RelType.HAS_OBLIGATION: EdgeStyle("has obligation", "#888888"),
    RelType.PARTICIPATES_IN: EdgeStyle("takes part in", "#BBBBBB", (2, 6)),
}
_OTHER_EDGE = EdgeStyle("other relation", "#777777")
GAP_COLOR = "#D00000"

REGION_LABELS = {
    "africa": "Africa",
    "americas": "Americas",
    "asia_pacific": "Asia-Pacific",
    "europe_central_asia": "Europe and Central Asia",
    "middle_east_north_africa": "Middle East and North Africa",
    "": "No region",
}
assert set(REGIONS) <= set(REGION_LABELS)

_ARTICLE_NAMES = {3: "stockpile destruction", 4: "clearance", 5: "victim assistance"}
_SIZE_LABELS = {
    "degree": "number of relations",
    "funding": "money given plus received (US$)",
    "betweenness": "brokerage (betweenness)",
}
_MEASURE_NAMES = {
    "degree": "Relations on this map",
    "funding": "Money given + received",
    "betweenness": "Brokerage (betweenness)",
}
_FIELD_LABELS = {
    "kind": "Kind",
    "iso3": "ISO code",
    "region": "Region",
    "ccm_status": "CCM status",
    "apmbc_status": "Ottawa Convention (APMBC) status",
    "state": "State",
    "article": "Article",
    "deadline": "Deadline",
    "status": "Status",
    "original_deadline": "Original deadline",
    "extensions": "Extensions granted",
    "extension_requested": "Latest extension request",
    "completed": "Completion declared",
    "focus": "Focus State",
    "established": "Established",
    "date": "Date",
    "description": "Description",
    "role": "Role",
    "year": "Year",
    "amount_usd": "Amount",
    "convention": "Convention",
    "purpose": "Purpose",
    "since": "Since",
    "until": "Until",
    "sensitivity": "Sensitivity",
    "source": "Source",
    "notes": "Notes",
}
_HIDDEN_NODE_FIELDS = frozenset({"node_type", "label", "name", "title", "x", "y"})
_HIDDEN_EDGE_FIELDS = frozenset({"type"})
_REFERENCE_FIELDS = frozenset({"state", "focus"})
_ENUM_FIELDS = frozenset(
    {"ccm_status", "apmbc_status", "status", "role", "sensitivity", "kind", "convention"}
)


# --- views ------------------------------------------------------------------------------------


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
    :param preset: ``"masg"``: the members of the Mine Action Support Group (any role), the
        affected States Parties (an Article 3 or 4 obligation still open or extended) with
        those obligations, and the membership, funding and support relations between them.
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
        if preset != "masg":
            raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
        return _masg_view(graph)
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
        return f"{_label(graph, focus)} and its neighbourhood ({steps})"
    if coalition is not None:
        return f"{_label(graph, coalition)}: members, funders and partners"
    if preset == "masg":
        return "MASG members and affected States Parties: funding and support"
    return "CCM stakeholder map: the whole network"


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label", node)) if node in graph else node


# --- measures and layout ----------------------------------------------------------------------


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
        return nx.betweenness_centrality(simple, k=sample, seed=seed)
    raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(SIZE_MEASURES)}")


def choose_layout(view: nx.MultiDiGraph) -> str:
    """``physics`` for small views, ``static`` above :data:`AUTO_STATIC_ABOVE` nodes."""
    return "static" if view.number_of_nodes() > AUTO_STATIC_ABOVE else "physics"


def static_positions(
    graph: nx.MultiDiGraph, *, seed: int = 42, iterations: int = 50
) -> dict[str, tuple[float, float]]:
    """Fixed map positions in pixels: a seeded force-directed layout, records with no relation
    in a tidy grid below it.

    The same graph and seed always give the same positions. The layout is NetworkX's
    Fruchterman-Reingold (``networkx.spring_layout``: same start positions from the seed, same
    forces, same cooling) vectorised with NumPy, plus a gentle pull towards the centre so
    that separate groups stay on screen, and rescaled with ``networkx.rescale_layout``. (From
    500 nodes ``spring_layout`` itself needs SciPy and over 15 seconds for 2,000 nodes; this
    takes about one.) Needs NumPy.
    """
    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise CcmGraphError(
            "the static layout needs NumPy (pip install numpy); or use --layout physics"
        ) from exc
    nodes = sorted(graph, key=str)
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    linked = [node for node in nodes if simple.degree(node) > 0]
    alone = [node for node in nodes if simple.degree(node) == 0]
    positions: dict[str, tuple[float, float]] = {}
    scale = max(400.0, 80.0 * math.sqrt(len(linked) or 1))
    if linked:
        coords = _fruchterman_reingold(simple.subgraph(linked), linked, seed=seed,
                                       iterations=iterations)  # fmt: skip
        for node, (x, y) in zip(linked, coords, strict=True):
            positions[node] = (round(float(x) * scale, 1), round(float(y) * scale, 1))
    positions.update(_grid_below(alone, positions))
    return positions


def _grid_below(
    nodes: list[str], placed: Mapping[str, tuple[float, float]], spacing: float = 110.0
) -> dict[str, tuple[float, float]]:
    """Rows of evenly spaced positions under what is already placed, centred."""
    if not nodes:
        return {}
    columns = max(1, math.ceil(math.sqrt(len(nodes) * 4)))
    top = max((y for _, y in placed.values()), default=-spacing) + 2 * spacing
    left = -(min(columns, len(nodes)) - 1) * spacing / 2
    return {
        node: (round(left + (i % columns) * spacing, 1), round(top + (i // columns) * spacing, 1))
        for i, node in enumerate(nodes)
    }


def _fruchterman_reingold(
    simple: nx.Graph,
    nodes: list[str],
    *,
    seed: int,
    iterations: int,
    gravity: float = 1.0,
    block: int = 256,
) -> Any:
    """NetworkX's dense Fruchterman-Reingold in float32, row block by row block (bounded
    memory), with ``gravity`` pulling every node towards the centre in proportion to its
    distance. Returns unit-scale coordinates in the order of ``nodes``."""
    import numpy as np

    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    src = np.array([index[u] for u, _ in simple.edges()], dtype=np.intp)
    dst = np.array([index[v] for _, v in simple.edges()], dtype=np.intp)
    start = np.random.RandomState(seed).rand(n, 2).astype(np.float32)
    x, y = start[:, 0].copy(), start[:, 1].copy()
    k = np.float32(math.sqrt(1.0 / n))
    k2 = np.float32(k * k)
    temperature = max(float(np.ptp(x)), float(np.ptp(y))) * 0.1
    cooling = temperature / (iterations + 1)
    buffers = [np.empty((block, n), np.float32) for _ in range(4)]
    pull_in = np.float32(gravity)
    for _ in range(iterations):
        dispx, dispy = _repulsion(x, y, k2, block, buffers)
        dispx -= pull_in * (x - x.mean())
        dispy -= pull_in * (y - y.mean())
        ex, ey = x[src] - x[dst], y[src] - y[dst]
        pull = np.maximum(np.sqrt(ex * ex + ey * ey), np.float32(0.01)) / k
        fx, fy = ex * pull, ey * pull
        dispx += (np.bincount(dst, fx, n) - np.bincount(src, fx, n)).astype(np.float32)
        dispy += (np.bincount(dst, fy, n) - np.bincount(src, fy, n)).astype(np.float32)
        length = np.maximum(np.sqrt(dispx * dispx + dispy * dispy), np.float32(0.01))
        step = np.float32(temperature) / length
        x += dispx * step
        y += dispy * step
        temperature -= cooling
    return nx.rescale_layout(np.column_stack([x, y]).astype(np.float64), scale=1)


def _repulsion(x: Any, y: Any, k2: Any, block: int, buffers: list[Any]) -> tuple[Any, Any]:
    """Every node pushed away from every other with force k²/distance, block by block."""
    import numpy as np

    n = len(x)
    dispx = np.empty(n, np.float32)
    dispy = np.empty(n, np.float32)
    for start in range(0, n, block):
        end = min(start + block, n)
        dx, dy, d2, tmp = (b[: end - start] for b in buffers)
        np.subtract(x[start:end, None], x[None, :], out=dx)
        np.subtract(y[start:end, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=d2)
        np.multiply(dy, dy, out=tmp)
        d2 += tmp
        np.maximum(d2, np.float32(1e-4), out=d2)
        np.divide(k2, d2, out=d2)
        np.multiply(dx, d2, out=tmp)
        dispx[start:end] = tmp.sum(axis=1)
        np.multiply(dy, d2, out=tmp)
        dispy[start:end] = tmp.sum(axis=1)
    return dispx, dispy


# --- gaps -------------------------------------------------------------------------------------


class GapLike(Protocol):
    """What :func:`highlights_from_gaps` reads from a finding (``ccm_graph.analysis.Gap``)."""

    subjects: Sequence[str]
    summary: str

    @property
    def level(self) -> str: ...


def highlights_from_gaps(gaps: Iterable[GapLike]) -> dict[str, list[str]]:
    """Gap findings as map highlights: the record each gap is mainly about → its findings.

    A gap's first subject is what it is about (the under-supported obligation, the State with
    no coalition, the MASG member); only that record is ringed, so the red rings stay few
    enough to read. Each reason reads ``HIGH: <summary>`` (level, then the finding).

    >>> from types import SimpleNamespace as Finding
    >>> highlights_from_gaps([Finding(subjects=("ob-LAO-4", "LAO"), level="high",
    ...                               summary="Lao PDR: Article 4: no support")])
    {'ob-LAO-4': ['HIGH: Lao PDR: Article 4: no support']}
    """
    highlights: dict[str, list[str]] = {}
    for gap in gaps:
        if not gap.subjects:
            continue
        reason = f"{gap.level.upper()}: {gap.summary}"
        reasons = highlights.setdefault(gap.subjects[0], [])
        if reason not in reasons:
            reasons.append(reason)
    return highlights


# --- restricted records -----------------------------------------------------------------------


def restricted_records(graph: nx.MultiDiGraph) -> list[str]:
    """Ids of nodes, and ``from -TYPE-> to`` of relations, marked restricted in ``graph``."""
    found = [str(n) for n, d in graph.nodes(data=True) if d.get("sensitivity") == "restricted"]
    found += [
        f"{u} -{d.get('type')}-> {v}"
        for u, v, d in graph.edges(data=True)
        if d.get("sensitivity") == "restricted"
    ]
    return found


def _refuse_restricted(view: nx.MultiDiGraph, restricted_included: bool) -> None:
    if restricted_included:
        return
    found = restricted_records(view)
    if found:
        raise ValueError(
            f"the view holds {len(found)} restricted record(s) ({found[0]} …): build the graph "
            "from Dataset.without_restricted(), or pass restricted_included=True"
        )


# --- the HTML page ----------------------------------------------------------------------------


def render_html(
    view: nx.MultiDiGraph,
    *,
    title: str,
    as_of: str,
    command: str,
    highlights: Mapping[str, Sequence[str]] | None = None,
    layout: str = "physics",
    size_by: str = "degree",
    seed: int = 42,
    restricted_included: bool = False,
) -> str:
    """One self-contained HTML page that draws ``view``, for a browser with no network.

    :param title: the page's heading; ``as_of``: the data's as-of date as shown;
        ``command``: the command line that made the map (shown so it can be remade).
    :param highlights: record id → reasons (gap findings): drawn with a red ring, the reasons
        listed in the record's hover card. Ids not in the view are ignored.
    :param layout: ``physics`` (the browser arranges the map) or ``static`` (positions from
        :func:`static_positions`, physics off: a 2,000-node map shows at once).
    :param size_by: a :data:`SIZE_MEASURES` measure for node size.
    :param restricted_included: the view may hold restricted records; the page then says so
        at the top in red. Without it a view with a restricted record raises ``ValueError``.

    The page holds vis-network inline (from the Pyvis package), a Content-Security-Policy that
    allows no network access at all, and the data as JSON in a ``<script
    type="application/json">`` block with ``<``, ``>``, ``&`` and the JavaScript line
    separators escaped; the page's code puts every data string on screen with
    ``textContent``, so a name such as ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    _refuse_restricted(view, restricted_included)
    payload = map_payload(
        view,
        highlights=highlights or {},
        layout=layout,
        size_by=size_by,
        seed=seed,
        meta={"title": title, "asOf": as_of, "command": command},
        restricted_included=restricted_included,
    )
    restricted_count = payload["meta"]["restrictedCount"]
    return map_page.page(
        title=title,
        as_of=as_of,
        command=command,
        data_json=map_page.script_json(payload),
        restricted_banner=_restricted_banner(restricted_count) if restricted_included else None,
    )


def _restricted_banner(count: int) -> str:
    if count == 0:
        return (
            "RESTRICTED DATA: this map was made with --include-restricted. No record in this "
            "view is marked restricted, but check before you share it."
        )
    held = f"{count} restricted record{'s' if count != 1 else ''}"
    return (
        f"RESTRICTED DATA: this map was made with --include-restricted and holds {held} "
        "(dashed outlines). Do not forward, print for others or publish it."
    )


def map_payload(
    view: nx.MultiDiGraph,
    *,
    highlights: Mapping[str, Sequence[str]],
    layout: str,
    size_by: str,
    seed: int,
    meta: Mapping[str, str],
    restricted_included: bool,
) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-ready data (see :func:`render_html`)."""
    measures = node_sizes(view, size_by, seed=seed)
    positions = static_positions(view, seed=seed) if layout == "static" else {}
    top = max(measures.values(), default=0.0)
    nodes = [
        _node_record(view, node, measures[node], top, size_by, highlights.get(node), positions)
        for node in sorted(view, key=str)
    ]
    top_amount = max(
        (float(d["amount_usd"]) for _, _, d in view.edges(data=True) if d.get("amount_usd")),
        default=0.0,
    )
    edges = []
    seen: dict[tuple[str, str], int] = {}
    for number, (u, v, data) in enumerate(_sorted_edges(view)):
        record = _edge_record(view, number, u, v, data, top_amount)
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        if seen.get(pair):
            record["parallel"] = seen[pair]  # drawn as the n-th curve beside the first line
        seen[pair] = seen.get(pair, 0) + 1
        edges.append(record)
    restricted = sum(n["restricted"] for n in nodes) + sum(e["restricted"] for e in edges)
    return {
        "meta": {
            **meta,
            "layout": layout,
            "seed": seed,
            "sizeBy": _SIZE_LABELS[size_by],
            "restricted": restricted_included,
            "restrictedCount": restricted,
        },
        "styles": _styles(nodes, edges),
        "nodes": nodes,
        "edges": edges,
    }


def _sorted_edges(view: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    edges = view.edges(keys=True, data=True)
    ordered = sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return [(u, v, data) for u, v, _, data in ordered]


def _kind_key(data: Mapping[str, Any]) -> str:
    if data.get("node_type") == NodeType.ACTOR:
        return str(data.get("kind"))
    return str(data.get("node_type"))


def _region(view: nx.MultiDiGraph, data: Mapping[str, Any]) -> str:
    """An actor's region; an obligation's or coalition's is its State's."""
    owner = data.get("state") or data.get("focus")
    if data.get("node_type") != NodeType.ACTOR and owner in view:
        data = view.nodes[owner]
    return str(data.get("region") or "")


def _node_record(
    view: nx.MultiDiGraph,
    node: str,
    measure: float,
    top: float,
    size_by: str,
    gaps: Sequence[str] | None,
    positions: Mapping[str, tuple[float, float]],
) -> dict[str, Any]:
    data = view.nodes[node]
    record: dict[str, Any] = {
        "id": str(node),
        "label": str(data.get("label", node)),
        "kind": _kind_key(data),
        "region": _region(view, data),
        "size": round(10 + 30 * math.sqrt(measure / top), 1) if top > 0 else 14,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _node_details(view, node, data, size_by, measure),
    }
    if gaps:
        record["gaps"] = [str(reason) for reason in gaps]
    if node in positions:
        record["x"], record["y"] = positions[node]
    return record


def _node_details(
    view: nx.MultiDiGraph, node: str, data: Mapping[str, Any], size_by: str, measure: float
) -> list[list[str]]:
    details = [["Id", str(node)]]
    details += _fields(view, data, _HIDDEN_NODE_FIELDS)
    details.append([_MEASURE_NAMES[size_by], _measure_text(size_by, measure)])
    return details


def _edge_record(
    view: nx.MultiDiGraph, number: int, u: str, v: str, data: Mapping[str, Any], top: float
) -> dict[str, Any]:
    amount = data.get("amount_usd")
    width = 1.0
    if amount and top > 0:
        width = round(1.5 + 8.5 * math.sqrt(float(amount) / top), 2)
    elif data.get("type") == RelType.FUNDS:
        width = 1.5
    return {
        "id": number,
        "from": str(u),
        "to": str(v),
        "type": str(data.get("type", "")),
        "width": width,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _fields(view, data, _HIDDEN_EDGE_FIELDS),
    }


def _fields(
    view: nx.MultiDiGraph, data: Mapping[str, Any], hidden: frozenset[str]
) -> list[list[str]]:
    """Label-value pairs for a hover card: known fields in a fixed order, then any others."""
    names = [f for f in _FIELD_LABELS if f in data]
    names += sorted(k for k in data if k not in _FIELD_LABELS)
    pairs = []
    for name in names:
        value = data.get(name)
        if name in hidden or value is None or value == "":
            continue
        pairs.append([_FIELD_LABELS.get(name, str(name)), _value_text(view, name, value, data)])
    return pairs


def _value_text(view: nx.MultiDiGraph, name: str, value: Any, data: Mapping[str, Any]) -> str:
    if name == "amount_usd":
        return _money(float(value))
    if name == "article" and value in _ARTICLE_NAMES:
        return f"{value} ({_ARTICLE_NAMES[value]})"
    if name in _REFERENCE_FIELDS and value in view:
        return f"{_label(view, value)} ({value})"
    if name == "region":
        return REGION_LABELS.get(str(value), str(value))
    if name == "kind" and data.get("node_type") == NodeType.ACTOR:
        return NODE_STYLES.get(str(value), _OTHER_NODE).label
    if name in _ENUM_FIELDS:
        return str(value).replace("_", " ")
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _money(amount: float) -> str:
    return f"US${amount:,.2f}" if amount % 1 else f"US${amount:,.0f}"


def _measure_text(size_by: str, measure: float) -> str:
    if size_by == "funding":
        return _money(measure)
    if size_by == "degree":
        return str(int(measure))
    return f"{measure:.3f}"


def _styles(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """Legend and drawing styles for the kinds, regions and relation types in the view."""
    kinds = sorted({n["kind"] for n in nodes}, key=_style_order(NODE_STYLES))
    types = sorted({e["type"] for e in edges}, key=_style_order(EDGE_STYLES))
    regions = sorted({n["region"] for n in nodes}, key=_style_order(REGION_LABELS))
    return {
        "kinds": [{"key": k, **dataclasses.asdict(NODE_STYLES.get(k, _OTHER_NODE))} for k in kinds],
        "types": [
            {
                "key": t,
                "label": EDGE_STYLES.get(t, _OTHER_EDGE).label,
                "color": EDGE_STYLES.get(t, _OTHER_EDGE).color,
                "dashes": list(EDGE_STYLES.get(t, _OTHER_EDGE).dashes) or False,
            }
            for t in types
        ],
        "regions": [{"key": r, "label": REGION_LABELS.get(r, r)} for r in regions],
        "other": dataclasses.asdict(_OTHER_NODE),
        "otherEdge": {"label": _OTHER_EDGE.label, "color": _OTHER_EDGE.color, "dashes": False},
        "gap": {"color": GAP_COLOR, "label": "red ring: a gap found by the analysis"},
        "gapsShown": any("gaps" in n for n in nodes),
    }


def _style_order(known: Mapping[str, Any]) -> Any:
    order = {key: i for i, key in enumerate(known)}
    return lambda key: (order.get(key, len(order)), key)


# --- graph files ------------------------------------------------------------------------------


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
    _refuse_restricted(view, restricted_included)
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
    for node, data in view.nodes(data=True):
        attrs = _plain(data)
        if highlights.get(node):
            attrs["gaps"] = "; ".join(str(r) for r in highlights[node])
        clean.add_node(str(node), **attrs)
    for number, (u, v, data) in enumerate(_sorted_edges(view)):
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


# --- writing ----------------------------------------------------------------------------------


def write_map(
    view: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    fmt: str = "html",
    title: str,
    as_of: str,
    command: str,
    highlights: Mapping[str, Sequence[str]] | None = None,
    layout: str = "physics",
    size_by: str = "degree",
    seed: int = 42,
    restricted_included: bool = False,
) -> int:
    """Write the map page (``fmt="html"``) or a graph file; returns the number of bytes.

    The file appears whole or not at all (written beside the target, then renamed). The
    arguments are those of :func:`render_html` and :func:`export_graph`.
    """
    if fmt not in MAP_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(MAP_FORMATS)}")
    if fmt == "html":
        text = render_html(
            view,
            title=title,
            as_of=as_of,
            command=command,
            highlights=highlights,
            layout=layout,
            size_by=size_by,
            seed=seed,
            restricted_included=restricted_included,
        )
    else:
        meta = {"title": title, "as_of": as_of, "command": command}
        text = export_graph(
            view, fmt, highlights=highlights, meta=meta, restricted_included=restricted_included
        )
    return write_atomically(path, text)
