"""Search: a State, actor or coalition by id, name or alias; straight to it on one match."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..views import search_matches
from ..web import analyses, language, link, page

__all__ = ["ROUTES", "search"]


def search(request: Request) -> Response:
    """``/search?q=``: one match, or one record whose id, name or alias is exactly the text
    (case and accents ignored), opens its page; otherwise the matches are listed."""
    a, lang = analyses(request), language(request)
    text = request.query_params.get("q", "").strip()
    matches, count = search_matches(a, text, lang)
    exact = [m for m in matches if m.exact]
    chosen = exact if len(exact) == 1 else matches if count == 1 else []
    if chosen:
        return RedirectResponse(link(chosen[0].path, lang), status_code=303)
    return page(request, "search.html.j2", analyses=a, matches=matches, count=count,
                text=text)  # fmt: skip


ROUTES = [Route("/search", search)]
