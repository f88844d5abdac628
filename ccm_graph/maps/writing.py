"""Writing a map to disk: the HTML page or a graph file, whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import networkx as nx

from ..files import write_atomically
from .export import EXPORT_FORMATS, export_graph
from .page import render_html

__all__ = ["MAP_FORMATS", "write_map"]

MAP_FORMATS = ("html", *EXPORT_FORMATS)
"""What ``write_map`` can write: the interactive page or a graph file for Gephi and others."""


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
    lang: str = "en",
) -> int:
    """Write the map page (``fmt="html"``) or a graph file; returns the number of bytes.

    The file appears whole or not at all (written beside the target, then renamed). The
    arguments are those of :func:`render_html` and :func:`export_graph` (``lang``: the page's
    language; graph files have no fixed text).
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
            lang=lang,
        )
    else:
        meta = {"title": title, "as_of": as_of, "command": command}
        text = export_graph(
            view, fmt, highlights=highlights, meta=meta, restricted_included=restricted_included
        )
    return write_atomically(path, text)
