"""A coalition's page: members, roles, status, focus State (read only for now)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...i18n import LANGUAGES
from ..records import coalition_page
from ..web import analyses, language, page

__all__ = ["ROUTES", "coalition"]


def coalition(request: Request) -> Response:
    """``/coalition/{id}``."""
    a, lang = analyses(request), language(request)
    ident = request.path_params["id"]
    if a.kind(ident) != "coalition":
        raise HTTPException(404)
    return page(request, "coalition.html.j2", analyses=a, p=coalition_page(a, ident, lang),
                brief_languages=LANGUAGES)  # fmt: skip


ROUTES = [Route("/coalition/{id}", coalition)]
