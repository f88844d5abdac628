"""The stakeholder map as a page of its own: the offline map page, with its own policy."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..web import language, workbench

__all__ = ["ROUTES", "map_page"]

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def map_page(request: Request) -> Response:
    """``/map?preset=masg|focus=ID|coalition=ID&lang=``: the map page ``ccm-graph map``
    writes, sent with the page's own content security policy (plus no framing)."""
    from ...errors import UnknownRecord
    from ...maps import MapOptions, choose_layout, render_html, select_view, view_title

    a, lang = workbench(request).analyses(), language(request)
    q = request.query_params
    focus, coalition, preset = (q.get(k) or None for k in ("focus", "coalition", "preset"))
    try:
        view = select_view(a.graph, focus=focus, coalition=coalition, preset=preset)
    except (UnknownRecord, ValueError) as exc:
        raise HTTPException(404) from exc
    options = MapOptions(title=view_title(a.graph, focus=focus, coalition=coalition,
                                           preset=preset, lang=lang),
                         as_of=a.reading.dataset.info.as_of_text(), command="ccm-graph serve",
                         layout=choose_layout(view), lang=lang)  # fmt: skip
    html = render_html(view, options)
    found = _POLICY.search(html)
    policy = found.group(1).replace("&#x27;", "'") if found else "default-src 'none'"
    return HTMLResponse(html, headers={"Content-Security-Policy":
                                       policy + "; frame-ancestors 'self'"})  # fmt: skip


ROUTES = [Route("/map", map_page)]
