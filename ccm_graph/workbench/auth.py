"""Sign-in for a workbench served to a team: server-side sessions and the middleware that puts
the signed-in account on every request.

Without any account in the store, nothing changes: every request is
:data:`~ccm_graph.workbench.web.LOCAL_USE` (and ``ccm-graph serve`` listens on this machine
only). Once an account exists, every page but the sign-in page, the style sheet and the icon
needs a session: a GET is sent to ``/login?next=…``, anything else is refused (403). A session
is a random id in the ``ccm_session`` cookie (HttpOnly, SameSite=Lax, Secure over https) that
points to an entry kept in memory: it ends after :attr:`Sessions.idle_minutes` without a
request, after :data:`ABSOLUTE_HOURS` in any case, at sign-out, when its account is removed or
its password changed, and when the server restarts. The account is read again on every request,
so a new role counts at once.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..accounts import Account, AccountStore
from ..accounts.throttle import LoginThrottle
from ..i18n import translator
from .web import Viewer, language, link, page

__all__ = [
    "ABSOLUTE_HOURS",
    "LOGIN_COOKIE",
    "OPEN_PATHS",
    "SESSION_COOKIE",
    "SIGNED_OUT",
    "Session",
    "Sessions",
    "SignIn",
    "SignInSettings",
    "safe_next",
    "signin_active",
]

SESSION_COOKIE = "ccm_session"
"""The cookie that holds the session's id (and nothing else)."""
LOGIN_COOKIE = "ccm_login"
"""The cookie that binds the sign-in form's token to the browser that asked for the form."""
ABSOLUTE_HOURS = 12
"""A session ends this long after sign-in, however busy."""
OPEN_PATHS = ("/login", "/favicon.ico")
"""Paths answered without a session (and everything under ``/static/``)."""
SIGNED_OUT = Viewer(None, "viewer")
"""Who a request without a session is, on a workbench with accounts: no name, the least role
(it reaches only the sign-in page and the static files anyway)."""


@dataclass
class Session:
    """One signed-in browser: whose it is and when it began and was last used (seconds on
    the sessions' clock); the account's ``password_changed`` at sign-in (a new password
    ends the session)."""

    name: str
    created: float
    last_seen: float
    password_changed: str


@dataclass
class Sessions:
    """The sessions of this server, in memory, by id: a restart signs everyone out."""

    idle_minutes: int = 30
    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, Session] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(self, account: Account) -> str:
        """A new session for ``account``: its id, random (256 bits), never seen before."""
        now = self.clock()
        ident = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_expired(now)
            self._sessions[ident] = Session(account.name, now, now, account.password_changed)
        return ident

    def find(self, ident: str | None) -> Session | None:
        """The live session ``ident`` (its last use now), or ``None`` when unknown, idle for
        too long or too old (then it is forgotten)."""
        if not ident:
            return None
        now = self.clock()
        with self._lock:
            found = self._sessions.get(ident)
            if found is None:
                return None
            if self._expired(found, now):
                del self._sessions[ident]
                return None
            found.last_seen = now
            return found

    def end(self, ident: str | None) -> None:
        """End the session ``ident`` (nothing if there is none)."""
        with self._lock:
            self._sessions.pop(ident or "", None)

    def _expired(self, found: Session, now: float) -> bool:
        return (now - found.last_seen >= self.idle_minutes * 60
                or now - found.created >= ABSOLUTE_HOURS * 3600)  # fmt: skip

    def _forget_expired(self, now: float) -> None:
        for ident in [i for i, s in self._sessions.items() if self._expired(s, now)]:
            del self._sessions[ident]


@dataclass
class SignInSettings:
    """What the sign-in layer and its pages share (``app.state.signin``): the accounts (none:
    no sign-in), the sessions, the failed sign-ins, and whether cookies are ``Secure``
    (``None``: when the request came over https)."""

    accounts: AccountStore | None
    sessions: Sessions
    throttle: LoginThrottle
    secure_cookies: bool | None = None

    def active(self) -> bool:
        """Whether sign-in is needed: there is at least one account (read now, so an account
        added with ``ccm-graph users add`` counts at once)."""
        return self.accounts is not None and bool(self.accounts.list())

    def secure(self, request: Request) -> bool:
        """Whether a cookie set in answer to ``request`` is marked ``Secure``."""
        if self.secure_cookies is not None:
            return self.secure_cookies
        return request.url.scheme == "https"

    def set_cookie(self, response: Response, request: Request, name: str, value: str) -> None:
        """Set one of the sign-in cookies: HttpOnly, SameSite=Lax, for the whole app, ending
        with the browser (the server ends the session earlier)."""
        response.set_cookie(name, value, path="/", httponly=True, samesite="lax",
                            secure=self.secure(request))  # fmt: skip

    def clear_cookie(self, response: Response, request: Request, name: str) -> None:
        response.delete_cookie(name, path="/", httponly=True, samesite="lax",
                               secure=self.secure(request))  # fmt: skip


def signin_active(request: Request) -> bool:
    """Whether this request went through an active sign-in layer (the workbench has
    accounts)."""
    return bool(getattr(request.state, "signin", False))


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: ``target`` when it is a path of this app, else ``/``
    (never another site: ``//host``, ``/\\host`` or a scheme are refused)."""
    text = (target or "").strip()
    if (not text.startswith("/") or text.startswith(("//", "/\\"))
            or any(ord(c) < 0x20 or c == "\\" for c in text)):  # fmt: skip
        return "/"
    return text


class SignIn:
    """ASGI middleware: who is asking, on every request. With accounts, a request without a
    live session is sent to the sign-in page (GET) or refused (403); with one, the account's
    :class:`~ccm_graph.workbench.web.Viewer` is on ``request.state.viewer`` and the session id
    on ``request.state.session``; pages say ``Cache-Control: no-store``."""

    def __init__(self, app: ASGIApp, settings: SignInSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)  # the style sheet: the same for everyone
            return
        request = Request(scope, receive)
        if not await run_in_threadpool(self.settings.active):
            if _forwarded(request):
                await _refused(request, "proxied")(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["signin"] = True
        account, ident = await self._account(request)
        state["viewer"] = SIGNED_OUT
        if account is not None:
            state["viewer"] = Viewer(account.name, account.role)
            state["session"] = ident
        path = scope["path"]
        if account is None and path not in OPEN_PATHS:
            if request.method in ("GET", "HEAD"):
                query = request.url.query
                target = path + ("?" + query if query else "")
                where = link("/login", language(request), next=target)
                response: Response = RedirectResponse(where, status_code=303)
            else:
                response = _refused(request, "signed_out")
            await _no_store(response)(scope, receive, send)
            return
        await self.app(scope, receive, _no_store_send(send))

    async def _account(self, request: Request) -> tuple[Account | None, str]:
        """The account of the request's live session, and the session's id; a session whose
        account is gone (or whose password changed) ends here."""
        ident = request.cookies.get(SESSION_COOKIE, "")
        found = self.settings.sessions.find(ident)
        if found is None or self.settings.accounts is None:
            return None, ""
        account = await run_in_threadpool(self.settings.accounts.get, found.name)
        if account is None or account.password_changed != found.password_changed:
            self.settings.sessions.end(ident)
            return None, ""
        return account, ident


def _forwarded(request: Request) -> bool:
    """Whether the request came through a proxy (which would serve the workbench beyond this
    machine)."""
    return any(h in request.headers for h in ("forwarded", "x-forwarded-for"))


def _refused(request: Request, why: str) -> Response:
    """The 403 page for a request without a session (``signed_out``), or for a workbench
    without accounts reached through a proxy (``proxied``)."""
    _ = translator(language(request))
    if why == "proxied":
        message = _("This workbench has no accounts, so it answers this computer only. Create "
                    "an account first: ccm-graph users add NAME --role admin.")  # fmt: skip
    else:
        message = _("Sign in first: this workbench needs an account.")
    return page(request, "error.html.j2", analyses=None, status=403, message=message)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _no_store_send(send: Send) -> Send:
    """``send`` that adds ``Cache-Control: no-store`` to the response (pages that show data
    or a form with a token are never kept by a browser or a proxy)."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", [])
                       if k.lower() != b"cache-control"]  # fmt: skip
            message["headers"] = [*headers, (b"cache-control", b"no-store")]
        await send(message)

    return sending
