"""Hand-outs: a one-to-two-page brief on a coalition (or a State), and the guideline on how to
start a Country Coalition.

:func:`coalition_brief` gathers the facts from the graph (no I/O); :func:`brief_markdown` and
:func:`brief_html` turn them into text through the templates ``brief.md.j2`` and
``brief.html.j2`` (:mod:`ccm_graph.templating`). The body is for States (facts with numbered source
notes, the data's as-of date and the date of issue; no scores, no commands); an optional
analyst annex holds the scores and the command. The HTML is one printable, offline page (print
styles, no script, no request to any host) with every data-derived string escaped and the map
drawn inline as SVG; the Markdown version gets the SVG map as a companion file
(:func:`write_brief`) and escapes markup with backslashes, never with HTML entities.
"""

from __future__ import annotations

from .brief import Brief, coalition_brief
from .guide import guide_html, guide_markdown
from .mapsvg import map_svg
from .render import brief_html, brief_markdown, md_escape, standing_notice, write_brief

__all__ = [
    "Brief",
    "brief_html",
    "brief_markdown",
    "coalition_brief",
    "guide_html",
    "guide_markdown",
    "map_svg",
    "md_escape",
    "standing_notice",
    "write_brief",
]
