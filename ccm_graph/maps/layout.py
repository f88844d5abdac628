"""Where records sit on a map: the browser's physics, or fixed positions computed here.

:func:`choose_layout` picks one by size; :func:`static_positions` is a seeded, vectorised
Fruchterman-Reingold layout that places 2,000 records in about a second.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import CcmGraphError

__all__ = ["AUTO_STATIC_ABOVE", "LAYOUTS", "MAX_LAYOUT_SEED", "choose_layout", "static_positions"]

LAYOUTS = ("physics", "static")
"""``physics``: the browser arranges the map and keeps it springy (best for small maps);
``static``: positions are computed here, physics is off, a large map shows at once."""
AUTO_STATIC_ABOVE = 500
""":func:`choose_layout` picks the static layout for views with more nodes than this."""
MAX_LAYOUT_SEED = 2**32 - 1
"""Seeds of the static layout run from 0 to this (the range of NumPy's seeded generator)."""


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

    :raises ValueError: ``seed`` is not from 0 to :data:`MAX_LAYOUT_SEED`.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_LAYOUT_SEED:
        raise ValueError(f"the layout seed {seed!r} is not a whole number from 0 to "
                         f"{MAX_LAYOUT_SEED:,}")  # fmt: skip
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
