"""An actor's page: a donor's funding by recipient and year, its forums and coalitions."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..records import actor_page
from ..web import analyses, language, page

__all__ = ["ROUTES", "actor"]


def actor(request: Request) -> Response:
    """``/actor/{id}``: any actor, States included (what they gave)."""
    a, lang = analyses(request), language(request)
    ident = request.path_params["id"]
    if a.graph.nodes.get(ident, {}).get("node_type") != "actor":
        raise HTTPException(404)
    return page(request, "actor.html.j2", analyses=a, p=actor_page(a, ident, lang))


ROUTES = [Route("/actor/{id}", actor)]
