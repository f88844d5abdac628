"""The data a map page's script reads: nodes, relations, their hover-card text and the legend.

:func:`map_payload` turns a view into plain JSON-ready data; :mod:`.page` puts it in the page.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from ..graph import affected_states
from ..names import alias_names
from ..schema import ARTICLE_NAMES, ActorKind, NodeType, RelType
from ..wording import format_usd
from .highlights import DEFAULT_RING_LEVELS, GAP_LEVELS, highlight_level
from .layout import static_positions
from .style import (
    AFFECTED_STATE,
    EDGE_STYLES,
    GAP_COLOR,
    NODE_STYLES,
    OTHER_EDGE,
    OTHER_NODE,
    REGION_LABELS,
    TO_INVITE,
    edge_style,
    node_sizes,
    node_style,
)
from .views import AFFECTED_KEY, TO_INVITE_KEY, record_label, sorted_edges

__all__ = ["map_payload"]

_SIZE_LABELS = {
    "degree": "number of relations",
    "funding": "money given plus received (USD)",
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
    # Seeded positions for every layout: the static one keeps them; the physics one starts
    # from them, so the same file shows the same picture every time it opens.
    positions = static_positions(view, seed=seed)
    top = max(measures.values(), default=0.0)
    roles = _map_roles(view)
    nodes = [
        _node_record(
            view,
            node,
            measures[node],
            top,
            size_by,
            highlights.get(node),
            positions,
            roles.get(node),
        )
        for node in sorted(view, key=str)
    ]
    top_amount = max(
        (float(d["amount_usd"]) for _, _, d in view.edges(data=True) if d.get("amount_usd")),
        default=0.0,
    )
    edges = []
    seen: dict[tuple[str, str], int] = {}
    for number, (u, v, data) in enumerate(sorted_edges(view)):
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


def _map_roles(view: nx.MultiDiGraph) -> dict[str, str]:
    """Records drawn apart from their kind: affected States Parties, and donors to invite."""
    affected = view.graph.get(AFFECTED_KEY)
    if affected is None:  # a graph not made by select_view: judge from what it holds
        affected = affected_states(view)
    roles = {
        state: AFFECTED_STATE
        for state in affected
        if state in view and view.nodes[state].get("kind") == ActorKind.STATE
    }
    roles.update({donor: TO_INVITE for donor in view.graph.get(TO_INVITE_KEY, ()) if donor in view})
    return roles


def _kind_key(data: Mapping[str, Any]) -> str:
    if data.get("node_type") == NodeType.ACTOR:
        return str(data.get("kind"))
    return str(data.get("node_type"))


def _year(value: Any) -> int | None:
    """The year of a ``year``, ``since`` or ``until`` value (``2019``, ``2026-09``), if any."""
    text = str(value or "").strip()
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _years(data: Mapping[str, Any]) -> list[int | None] | None:
    """The period a relation covers, ``[first, last]`` (``None``: open), for the page's year
    filter; ``None`` for an undated relation (always shown)."""
    year = _year(data.get("year"))
    if year is not None:
        return [year, year]
    since, until = _year(data.get("since")), _year(data.get("until"))
    if since is None and until is None:
        return None
    return [since, until]


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
    role: str | None,
) -> dict[str, Any]:
    data = view.nodes[node]
    record: dict[str, Any] = {
        "id": str(node),
        "label": str(data.get("label", node)),
        "kind": role or _kind_key(data),
        "region": _region(view, data),
        "size": round(10 + 30 * math.sqrt(measure / top), 1) if top > 0 else 14,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _node_details(view, node, data, size_by, measure),
    }
    aliases = data.get("aliases")
    names = alias_names(aliases) if isinstance(aliases, str) else [str(a) for a in aliases or ()]
    if names:
        record["aliases"] = names
    if gaps:
        record["gaps"] = [str(reason) for reason in gaps]
        record["gapLevel"] = highlight_level(record["gaps"])
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
    record = {
        "id": number,
        "from": str(u),
        "to": str(v),
        "type": str(data.get("type", "")),
        "width": width,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _fields(view, data, _HIDDEN_EDGE_FIELDS),
    }
    years = _years(data)
    if years is not None:
        record["years"] = years
    return record


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
        return format_usd(float(value))
    if name == "article" and value in ARTICLE_NAMES:
        return f"{value} ({ARTICLE_NAMES[value]})"
    if name in _REFERENCE_FIELDS and value in view:
        return f"{record_label(view, value)} ({value})"
    if name == "region":
        return REGION_LABELS.get(str(value), str(value))
    if name == "kind" and data.get("node_type") == NodeType.ACTOR:
        return node_style(str(value)).label
    if name in _ENUM_FIELDS:
        return str(value).replace("_", " ")
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _measure_text(size_by: str, measure: float) -> str:
    if size_by == "funding":
        return format_usd(measure)
    if size_by == "degree":
        return str(int(measure))
    return f"{measure:.3f}"


def _styles(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    """Legend and drawing styles for the kinds, regions and relation types in the view."""
    kinds = sorted({n["kind"] for n in nodes}, key=_style_order(NODE_STYLES))
    types = sorted({e["type"] for e in edges}, key=_style_order(EDGE_STYLES))
    regions = sorted({n["region"] for n in nodes}, key=_style_order(REGION_LABELS))
    return {
        "kinds": [{"key": k, **dataclasses.asdict(node_style(k))} for k in kinds],
        "types": [
            {
                "key": t,
                "label": edge_style(t).label,
                "verb": edge_style(t).label.split(" (")[0],
                "color": edge_style(t).color,
                "dashes": list(edge_style(t).dashes) or False,
            }
            for t in types
        ],
        "regions": [{"key": r, "label": REGION_LABELS.get(r, r)} for r in regions],
        "other": dataclasses.asdict(OTHER_NODE),
        "otherEdge": {"label": OTHER_EDGE.label, "color": OTHER_EDGE.color, "dashes": False},
        "gap": {"color": GAP_COLOR, "label": "red ring: a gap found by the analysis"},
        "gapsShown": any("gaps" in n for n in nodes),
        "gapLevels": [lv for lv in GAP_LEVELS if any(n.get("gapLevel") == lv for n in nodes)],
        "ringLevels": list(DEFAULT_RING_LEVELS),
    }


def _style_order(known: Mapping[str, Any]) -> Any:
    order = {key: i for i, key in enumerate(known)}
    return lambda key: (order.get(key, len(order)), key)
