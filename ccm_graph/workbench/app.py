"""The workbench application: routes, static files, security headers and error pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..accounts import AccountStore
from ..accounts.throttle import LoginThrottle
from ..errors import CcmGraphError, ConcurrentChange, DataError, OutputError, StoreUnavailable
from ..i18n import translator
from ..source import DataSource
from .analyses import Analyses, Workbench
from .auth import Sessions, SignIn, SignInSettings
from .routes import ROUTES
from .web import ROLE_REFUSED, SecurityHeaders, analyses, language, page

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"
"""The style sheet (package data): nothing is loaded from any other host."""


def create_app(
    source: DataSource,
    *,
    accounts: AccountStore | None = None,
    idle_minutes: int = 30,
    secure_cookies: bool | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """The workbench over ``source``, read again on every request (so edits made elsewhere
    show at once; an unchanged source costs one small check).

    Without ``accounts`` (or while the store holds none), every request may read the public
    records and edit them, as one person on this computer. Once an account exists, every page
    needs a session (:mod:`~ccm_graph.workbench.auth`): it ends after ``idle_minutes``
    without a request; its cookie is ``Secure`` when the request came over https
    (``secure_cookies`` forces it on or off); ``clock`` (seconds) times sessions and failed
    sign-ins. The account's role decides what it sees (restricted records from
    ``confidential`` up) and does (edits from ``editor`` up, accounts for ``admin``).

    >>> app = create_app(DataSource.at("tests/fixtures/small"))
    >>> paths = {r.path for r in app.routes if hasattr(r, "path")}
    >>> sorted(paths & {"/", "/state/{id}", "/login", "/admin/accounts"})
    ['/', '/admin/accounts', '/login', '/state/{id}']
    """
    signin = SignInSettings(accounts, Sessions(idle_minutes, clock), LoginThrottle(clock),
                            secure_cookies)  # fmt: skip
    app = Starlette(
        routes=[
            *ROUTES,
            Route("/favicon.ico", _icon),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[Middleware(SecurityHeaders), Middleware(SignIn, settings=signin)],
        exception_handlers={HTTPException: _http_error, CcmGraphError: _data_error},
    )
    app.state.workbench = Workbench(source)
    app.state.signin = signin
    return app


def _icon(request: Request) -> Response:
    """The tab's icon (browsers ask ``/favicon.ico`` for every page, the brief's too)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


def _current(request: Request) -> Analyses | None:
    """The analyses for an error page's date line, or ``None`` when the data cannot be read."""
    try:
        return analyses(request)
    except CcmGraphError:
        return None


def _http_error(request: Request, exc: Exception) -> Response:
    """Not found (an unknown id and a restricted one alike), or another HTTP error."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    _ = translator(language(request))
    if status == 403 and isinstance(exc, HTTPException) and exc.detail == ROLE_REFUSED:
        return page(request, "error.html.j2", analyses=_current(request), status=403,
                    message=_("Your account cannot do this."))  # fmt: skip
    messages = {
        404: _("There is no such page or record here."),
        403: _(
            "This form is out of date or was not sent from this workbench; open the page again."
        ),
        413: _("The file is too large to be read here."),
    }
    message = messages.get(status, _("This request cannot be answered."))
    return page(request, "error.html.j2", analyses=_current(request), status=status,
                message=message)  # fmt: skip


def _data_error(request: Request, exc: Exception) -> Response:
    """The data cannot be read or written: one sentence, never a traceback. A write refused
    because the data changed meanwhile, or that cannot be written there, is 409; Neo4j
    unreachable is 503 (the next request tries again); invalid data 500; any other library
    refusal 404."""
    _ = translator(language(request))
    if isinstance(exc, ConcurrentChange):
        message = _("The data changed since this page was made; nothing was written. Open the "
                    "page again and make the change again.")  # fmt: skip
        return page(request, "error.html.j2", analyses=_current(request), status=409,
                    message=message)  # fmt: skip
    if isinstance(exc, OutputError):
        message = _("Nothing was written: these data cannot be changed here (a workbook is "
                    "read only; a folder may be read only or full).")  # fmt: skip
        return page(request, "error.html.j2", analyses=_current(request), status=409,
                    message=message)  # fmt: skip
    if isinstance(exc, StoreUnavailable):
        message, status = _("The Neo4j database cannot be reached; try again in a moment."), 503
    elif isinstance(exc, DataError):
        message = _("The data have errors and cannot be shown; run ccm-graph validate to see "
                    "them.")  # fmt: skip
        status = 500
    else:
        return _http_error(request, HTTPException(404))
    return page(request, "error.html.j2", analyses=None, status=status, message=message)
