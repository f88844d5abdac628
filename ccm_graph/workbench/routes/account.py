"""Signing in and out (a workbench with accounts, :mod:`~ccm_graph.workbench.auth`).

The sign-in form carries a token bound to a cookie of its own (so another site cannot sign a
browser into an account of its choosing); a success starts a new session with a new id (an id
planted before sign-in is worth nothing after it); a failure says only "Wrong name or
password.", and failures are throttled per name and per client address.
"""

from __future__ import annotations

import math
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...i18n import translator
from ..auth import LOGIN_COOKIE, SESSION_COOKIE, SignInSettings, safe_next, signin_active
from ..web import check_token, language, link, page, session_id, viewer, workbench

__all__ = ["ROUTES", "login", "logout"]


def _settings(request: Request) -> SignInSettings:
    found: SignInSettings = request.app.state.signin
    return found


async def login(request: Request) -> Response:
    """``/login``: the sign-in form (GET), or signing in (POST: ``name``, ``password``,
    ``token``, ``next``)."""
    lang = language(request)
    if not signin_active(request):
        return RedirectResponse(link("/", lang), status_code=303)
    if request.method != "POST":
        target = safe_next(request.query_params.get("next"))
        if viewer(request).name:
            return RedirectResponse(target, status_code=303)
        return _form(request, target, "", None)
    async with request.form(max_files=0, max_fields=10) as sent:
        form = {k: v for k, v in sent.items() if isinstance(v, str)}
    pre = request.cookies.get(LOGIN_COOKIE, "")
    if not pre or not workbench(request).tokens.verify("login", form.get("token"), pre):
        return _form(request, safe_next(form.get("next")), form.get("name", ""), "stale", 403)
    return await _sign_in(request, form)


async def _sign_in(request: Request, form: dict[str, str]) -> Response:
    """Check the name and password (unless throttled) and start a new session."""
    settings = _settings(request)
    name, target = form.get("name", "").strip(), safe_next(form.get("next"))
    client = request.client.host if request.client else ""
    wait = settings.throttle.wait(name, client)
    if wait > 0:
        return _form(request, target, name, "wait", 429, wait=wait)
    assert settings.accounts is not None  # sign-in is active
    account = await run_in_threadpool(settings.accounts.verify, name, form.get("password", ""))
    if account is None:
        settings.throttle.failed(name, client)
        return _form(request, target, name, "wrong", 401)
    settings.throttle.succeeded(name, client)
    settings.sessions.end(request.cookies.get(SESSION_COOKIE))
    ident = settings.sessions.start(account)
    response = RedirectResponse(target, status_code=303)
    settings.set_cookie(response, request, SESSION_COOKIE, ident)
    settings.clear_cookie(response, request, LOGIN_COOKIE)
    return response


def _form(request: Request, target: str, name: str, problem: str | None, status: int = 200,
          *, wait: float = 0) -> Response:  # fmt: skip
    """The sign-in page, with a new pre-sign-in cookie when the browser has none."""
    settings = _settings(request)
    _ = translator(language(request))
    pre = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    messages = {
        "wrong": _("Wrong name or password."),
        "stale": _("This form is out of date; sign in again."),
        "wait": _("Too many failed sign-ins: wait {n} seconds and try again.").format(
            n=math.ceil(wait)
        ),
    }
    response = page(request, "login.html.j2", analyses=None, status=status, next=target,
                    name=name, problem=messages.get(problem or ""),
                    token=workbench(request).tokens.issue("login", pre))  # fmt: skip
    if request.cookies.get(LOGIN_COOKIE) != pre:
        settings.set_cookie(response, request, LOGIN_COOKIE, pre)
    return response


async def logout(request: Request) -> Response:
    """``/logout`` (POST with its token): end this session; back to the sign-in page."""
    settings = _settings(request)
    async with request.form(max_files=0, max_fields=10) as sent:
        check_token(request, "logout", sent.get("token"))
    settings.sessions.end(session_id(request))
    response = RedirectResponse(link("/login", language(request)), status_code=303)
    settings.clear_cookie(response, request, SESSION_COOKIE)
    return response


ROUTES = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
]
