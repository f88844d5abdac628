"""Search: a State, actor or coalition by id, name or alias; straight to it on one match."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..views import search_matches
from ..web import language, link, page, workbench

__all__ = ["ROUTES", "search"]


def search(request: Request) -> Response:
    """``/search?q=``: one match (or one exact id, name or alias) opens its page; otherwise
    the matches are listed."""
    from ...errors import CcmGraphError

    a, lang = workbench(request).analyses(), language(request)
    text = request.query_params.get("q", "").strip()
    matches = search_matches(a, text, lang)
    if text:
        try:
            exact = a.names.resolve(text)
        except CcmGraphError:
            exact = None
        chosen = [m for m in matches if m.id == exact] or (matches if len(matches) == 1 else [])
        if chosen:
            return RedirectResponse(link(chosen[0].path, lang), status_code=303)
    return page(request, "search.html.j2", analyses=a, matches=matches, text=text)


ROUTES = [Route("/search", search)]
