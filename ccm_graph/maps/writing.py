"""Writing a map to disk: the HTML page or a graph file, whole or not at all."""

from __future__ import annotations

import os

import networkx as nx

from ..files import write_atomically
from .export import EXPORT_FORMATS, export_graph
from .page import MapOptions, render_html

__all__ = ["MAP_FORMATS", "write_map"]

MAP_FORMATS = ("html", *EXPORT_FORMATS)
"""What ``write_map`` can write: the interactive page or a graph file for Gephi and others."""


def write_map(
    view: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    options: MapOptions,
    *,
    fmt: str = "html",
) -> int:
    """Write the map page (``fmt="html"``, :func:`render_html`) or a graph file
    (:func:`export_graph`: title, as-of date, command line and highlights from ``options``;
    no fixed text, so no language); returns the number of bytes.

    The file appears whole or not at all (written beside the target, then renamed).
    """
    if fmt not in MAP_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(MAP_FORMATS)}")
    if fmt == "html":
        text = render_html(view, options)
    else:
        meta = {"title": options.title, "as_of": options.as_of, "command": options.command}
        text = export_graph(
            view,
            fmt,
            highlights=options.highlights,
            meta=meta,
            restricted_included=options.restricted_included,
        )
    return write_atomically(path, text)
