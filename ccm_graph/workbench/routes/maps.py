"""The stakeholder map as a page of its own: the map page ``ccm-graph map`` writes, with its
own policy, its two scripts served as files (no inline script runs on any workbench page)."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..analyses import Analyses
from ..web import analyses, language

__all__ = ["ROUTES", "map_page", "map_script"]

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def map_page(request: Request) -> Response:
    """``/map?preset=masg|focus=ID|coalition=ID&lang=``: the map page ``ccm-graph map``
    writes (made once per reading) with its scripts as files of this app, sent with the
    page's own content security policy (plus no framing)."""
    a, lang = analyses(request), language(request)
    chosen = tuple(request.query_params.get(k) or None for k in ("focus", "coalition", "preset"))
    html = a.kept(("map", *chosen, lang), lambda: _map_html(a, *chosen, lang=lang))
    found = _POLICY.search(html)
    policy = found.group(1).replace("&#x27;", "'") if found else "default-src 'none'"
    return HTMLResponse(html, headers={"Content-Security-Policy":
                                       policy + "; frame-ancestors 'self'"})  # fmt: skip


def _map_html(
    a: Analyses, focus: str | None, coalition: str | None, preset: str | None, *, lang: str
) -> str:
    """The map page of one view; an unknown record (or preset) is a 404."""
    from ...errors import UnknownRecord
    from ...maps import MapOptions, choose_layout, render_html, select_view, view_title

    try:
        view = select_view(a.graph, focus=focus, coalition=coalition, preset=preset)
    except (UnknownRecord, ValueError) as exc:
        raise HTTPException(404) from exc
    options = MapOptions(title=view_title(a.graph, focus=focus, coalition=coalition,
                                           preset=preset, lang=lang),
                         as_of=a.reading.dataset.info.as_of_text(), command="ccm-graph serve",
                         layout=choose_layout(view), lang=lang,
                         scripts_at="/map",
                         restricted_included=a.reading.include_restricted)  # fmt: skip
    return render_html(view, options)


def map_script(request: Request) -> Response:
    """``/map/vis-network.min.js``, ``/map/page.js``: the map page's scripts."""
    from ...maps.page import SCRIPT_FILES

    make = SCRIPT_FILES.get(request.path_params["name"])
    if make is None:
        raise HTTPException(404)
    return Response(make(), media_type="text/javascript; charset=utf-8")


ROUTES = [Route("/map", map_page), Route("/map/{name}", map_script)]
