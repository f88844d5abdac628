"""The brief's map: a static, printable SVG with full labels and the members' roles."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping

import networkx as nx

from ..graph import simple_undirected
from ..maps import node_style

__all__ = ["map_svg", "wrap_label"]

_LINE = 24  # characters per label line
_LABEL_WIDTH = 150  # room kept right of the rightmost dot, in SVG units


def _colour(kind: str) -> str:
    """The fill colour of a kind of record: the same palette as the interactive maps."""
    return node_style(kind).color


def wrap_label(label: str, width: int = _LINE) -> list[str]:
    """A label as lines of at most ``width`` characters (a longer word stays whole): nothing
    is cut off.

    >>> wrap_label("Haut-Commissariat National au Déminage (HCND), Chad")
    ['Haut-Commissariat', 'National au Déminage', '(HCND), Chad']
    """
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=True) or [label]


def _kind(G: nx.MultiDiGraph, node: str) -> str:
    data = G.nodes[node]
    return str(data.get("kind") if data.get("node_type") == "actor" else data.get("node_type"))


def _picture_graph(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.Graph:
    """The records to draw as a simple undirected graph, nodes and edges in sorted order.

    The order must not come from a set: ``G.subgraph`` of a few nodes iterates the set it was
    given, whose order changes with Python's hash seed, and the spring layout places nodes in
    the order it meets them; sorted, the same data gives the same picture in every process.
    """
    keep = sorted({n for n in nodes if n in G}, key=str)
    ties = simple_undirected(G.subgraph(keep))
    view = nx.Graph()
    view.add_nodes_from(keep)
    view.add_edges_from(sorted((tuple(sorted((u, v), key=str)) for u, v in ties.edges()), key=str))
    return view


def _placer(
    view: nx.Graph, width: int, height: int, seed: int
) -> Callable[[str], tuple[float, float]]:
    """Where each record's dot goes: a seeded spring layout scaled into the picture, with room
    for the labels on the right and the legend below."""
    positions = nx.spring_layout(view, seed=seed, k=1.5 / math.sqrt(view.number_of_nodes()))
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = 40
    legend_height = 30

    def place(node: str) -> tuple[float, float]:
        # labels run to the right of their dot: leave room for them on that side
        x, y = positions[node]
        return (
            margin / 2 + (x - min(xs)) / span_x * (width - margin / 2 - _LABEL_WIDTH),
            margin / 2 + (y - min(ys)) / span_y * (height - margin - legend_height - 24),
        )

    return place


def _record_parts(
    G: nx.MultiDiGraph, node: str, at: tuple[float, float], *, focus: str | None,
    label: str, role: str | None,
) -> list[str]:  # fmt: skip
    """The dot and the label (wrapped, with the member's role in italics) of one record."""
    x, y = at
    radius = 11 if node == focus else 7
    left = f"{x + radius + 3:.1f}"
    lines = [
        f'<tspan x="{left}" dy="{0 if i == 0 else 11}">{html.escape(line)}</tspan>'
        for i, line in enumerate(wrap_label(label))
    ]
    if role:
        lines.append(
            f'<tspan x="{left}" dy="11" font-style="italic" fill="#444">{html.escape(role)}</tspan>'
        )
    weight = ' font-weight="bold"' if node == focus else ""
    return [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{_colour(_kind(G, node))}">'
        f"<title>{html.escape(label)}</title></circle>",
        f'<text x="{left}" y="{y + 4:.1f}" font-size="10" '
        f'font-family="sans-serif"{weight}>{"".join(lines)}</text>',
    ]


def map_svg(
    G: nx.MultiDiGraph,
    nodes: Iterable[str],
    *,
    focus: str | None = None,
    roles: Mapping[str, str] | None = None,
    width: int = 760,
    height: int = 520,
    seed: int = 42,
    title: str = "Map of the records around the State",
    names: Mapping[str, str] | None = None,
    kind_words: Callable[[str], str] | None = None,
) -> str:
    """A static SVG picture of the records around a State: printable, no script, escaped.

    Every label is drawn whole (wrapped over lines, never cut); a coalition member's role(s)
    (``roles``: actor id → words) are drawn under its name, in italics. Positions come from a
    seeded spring layout over the records in sorted order, so the same data draws the same
    picture, byte for byte, in every process. ``names`` (id → name in the hand-out's
    language) and ``kind_words`` (kind → legend word) translate the picture.
    """
    roles = roles or {}
    names = names or {}
    legend = kind_words or (lambda kind: kind.replace("_", " "))
    view = _picture_graph(G, nodes)
    if view.number_of_nodes() == 0:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40"></svg>'
    place = _placer(view, width, height, seed)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{html.escape(title)}">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for u, v in sorted(view.edges()):
        (x1, y1), (x2, y2) = place(u), place(v)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            'stroke="#bbbbbb" stroke-width="1"/>'
        )
    for node in sorted(view.nodes):
        label = names.get(node) or str(G.nodes[node].get("label", node))
        parts += _record_parts(G, node, place(node), focus=focus, label=label,
                               role=roles.get(node))  # fmt: skip
    kinds = sorted({_kind(G, n) for n in view.nodes})
    for i, kind in enumerate(kinds):
        y = height - 12
        x = 10 + i * 125
        parts.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{_colour(kind)}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{y}" font-size="10" font-family="sans-serif">'
            f"{html.escape(legend(kind))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
