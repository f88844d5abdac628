"""Stakeholder maps: one self-contained, offline HTML page, or a graph file for Gephi.

A map is drawn from a *view* of the graph from :func:`ccm_graph.graph.build_graph`: the whole
network, the neighbourhood of one actor, one Country Coalition, or a preset such as the MASG
picture (:func:`select_view`). :func:`render_html` turns a view into a single HTML page that
carries vis-network (the drawing library Pyvis ships) inline and makes no request to any other
host, so it opens on a laptop with no internet and can be emailed. Every string from the data
reaches the page as JSON and is put on screen as text, never parsed as HTML. The page's fixed
text is in English, French or Spanish (``lang=``; the product's catalogs, :mod:`ccm_graph.i18n`).
:func:`export_graph` writes the same view as GraphML, GEXF or node-link JSON.

Restricted records must be left out before the graph is built
(:meth:`~ccm_graph.dataset.Dataset.without_restricted`); :func:`render_html` and
:func:`export_graph` refuse a view that still holds one unless told it may.

The package's modules, one job each: :mod:`.views` (what a map shows), :mod:`.style` (how
records and relations look, what node size shows), :mod:`.layout` (positions),
:mod:`.payload` (the data the page's script reads), :mod:`.page` (the HTML page, its assets
and its Content-Security-Policy), :mod:`.export` (graph files), :mod:`.writing` (files on
disk), :mod:`.highlights` (gap rings) and :mod:`.restricted` (restricted records).
"""

from .export import EXPORT_FORMATS, export_graph
from .highlights import (
    DEFAULT_RING_LEVELS,
    GAP_LEVELS,
    GapLike,
    highlight_level,
    highlights_from_gaps,
)
from .layout import AUTO_STATIC_ABOVE, LAYOUTS, choose_layout, static_positions
from .page import MapOptions, render_html
from .payload import map_payload
from .restricted import restricted_records
from .style import (
    AFFECTED_STATE,
    EDGE_STYLES,
    GAP_COLOR,
    NODE_STYLES,
    OTHER_EDGE,
    OTHER_NODE,
    REGION_LABELS,
    SIZE_MEASURES,
    TO_INVITE,
    EdgeStyle,
    NodeStyle,
    edge_style,
    node_sizes,
    node_style,
)
from .views import PRESETS, Preset, masg_id, resolve_record, select_view, view_title
from .writing import MAP_FORMATS, write_map

__all__ = [
    "AFFECTED_STATE",
    "AUTO_STATIC_ABOVE",
    "DEFAULT_RING_LEVELS",
    "EDGE_STYLES",
    "EXPORT_FORMATS",
    "GAP_COLOR",
    "GAP_LEVELS",
    "LAYOUTS",
    "MAP_FORMATS",
    "NODE_STYLES",
    "OTHER_EDGE",
    "OTHER_NODE",
    "PRESETS",
    "REGION_LABELS",
    "SIZE_MEASURES",
    "TO_INVITE",
    "EdgeStyle",
    "GapLike",
    "MapOptions",
    "NodeStyle",
    "Preset",
    "choose_layout",
    "edge_style",
    "export_graph",
    "highlight_level",
    "highlights_from_gaps",
    "map_payload",
    "masg_id",
    "node_sizes",
    "node_style",
    "render_html",
    "resolve_record",
    "restricted_records",
    "select_view",
    "static_positions",
    "view_title",
    "write_map",
]
