"""What every page shares: the language, links that keep it, the security headers, rendering.

Routes stay as thin as click commands: read the request's parameters, ask
:class:`~ccm_graph.workbench.analyses.Workbench` and the library, render a template of
``ccm_graph/templates/workbench/`` through :func:`page`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import LANGUAGES, translator
from ..templating import environment
from ..vocabularies import ACCOUNT_ROLES

if TYPE_CHECKING:
    from .analyses import Analyses, Workbench

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "LOCAL_USE",
    "ROLE_REFUSED",
    "SecurityHeaders",
    "Viewer",
    "analyses",
    "check_token",
    "form_token",
    "language",
    "link",
    "page",
    "require",
    "session_id",
    "viewer",
    "workbench",
]

ROLE_REFUSED = "role"
"""The detail of a 403 for an account whose role cannot do what it asked (the error page
says "Your account cannot do this."); any other 403 is a form's token that does not verify."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
"""The workbench pages' policy: no script at all, the style sheet and images from the app
only, forms sent to the app only, never framed by another site."""

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


@dataclass(frozen=True)
class Viewer:
    """Who is asking: an account's name and role (:data:`~ccm_graph.vocabularies.
    ACCOUNT_ROLES`, least first), or :data:`LOCAL_USE` when the workbench has no accounts.

    The role decides what a request may see and do: a ``viewer`` reads public rows, an
    ``editor`` also edits them, ``confidential`` also sees and edits restricted rows,
    ``admin`` does all that and manages the accounts.
    """

    name: str | None
    role: str

    def at_least(self, role: str) -> bool:
        """Whether this role includes ``role``'s rights."""
        return ACCOUNT_ROLES.index(self.role) >= ACCOUNT_ROLES.index(role)

    @property
    def include_restricted(self) -> bool:
        """Whether restricted records are shown to (and editable by) this viewer."""
        return self.at_least("confidential")

    @property
    def can_edit(self) -> bool:
        return self.at_least("editor")

    @property
    def can_admin(self) -> bool:
        return self.at_least("admin")


LOCAL_USE = Viewer(None, "editor")
"""A workbench without accounts, served on this computer alone: one person, who reads and
edits the public rows (restricted rows never show, as in every export without
``--include-restricted``)."""


def viewer(request: Request) -> Viewer:
    """The request's :class:`Viewer` (set on ``request.state.viewer`` by the sign-in layer;
    :data:`LOCAL_USE` when there is none)."""
    found = getattr(request.state, "viewer", None)
    return found if isinstance(found, Viewer) else LOCAL_USE


def require(request: Request, role: str) -> Viewer:
    """The request's :class:`Viewer` when it has ``role``'s rights; else the request is
    refused (403, "Your account cannot do this."). Every writing route asks ``editor``, the
    account pages ``admin``."""
    found = viewer(request)
    if not found.at_least(role):
        raise HTTPException(403, detail=ROLE_REFUSED)
    return found


def session_id(request: Request) -> str:
    """The id of the request's session (set by the sign-in layer), empty without accounts:
    what the forms' tokens are bound to."""
    found = getattr(request.state, "session", "")
    return found if isinstance(found, str) else ""


def form_token(request: Request, purpose: str) -> str:
    """The token a form made for ``purpose`` carries, bound to this request's session."""
    return workbench(request).tokens.issue(purpose, session_id(request))


def check_token(request: Request, purpose: str, token: object) -> None:
    """Refuse (403) a write whose ``token`` was not issued for ``purpose`` in this session."""
    sent = token if isinstance(token, str) else ""
    if not workbench(request).tokens.verify(purpose, sent, session_id(request)):
        raise HTTPException(403)


def analyses(request: Request) -> Analyses:
    """The analyses this request may see (restricted records only for a viewer who may)."""
    return workbench(request).analyses(include_restricted=viewer(request).include_restricted)


def workbench(request: Request) -> Workbench:
    """The app's :class:`Workbench` (set by :func:`~ccm_graph.workbench.create_app`)."""
    found: Workbench = request.app.state.workbench
    return found


def language(request: Request) -> str:
    """``?lang=`` when it is one of the languages, else English."""
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def link(path: str, lang: str, **params: Any) -> str:
    """``path`` with ``params`` (empty ones left out) and the language (when not English)."""
    query = {k: str(v) for k, v in params.items() if v not in (None, "")}
    if lang != "en":
        query["lang"] = lang
    return path + ("?" + urlencode(query) if query else "")


def page(
    request: Request,
    template: str,
    *,
    analyses: Analyses | None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    """Render ``workbench/<template>`` in the request's language, with what every page shows:
    the data's date, the search box (with the words searched), the language links, and who is
    signed in (with the sign-out form's token) so that a page offers only what the account
    may do."""
    lang = language(request)
    who = viewer(request)
    context = {
        "viewer": who,
        "signed_out": bool(getattr(request.state, "signin", False)) and not who.name,
        "role_names": role_names(lang),
        "logout_token": form_token(request, "logout") if who.name else "",
        "lang": lang,
        "url": lambda path, **params: link(path, lang, **params),
        "q": request.query_params.get("q", "") if request.url.path == "/search" else "",
        "languages": _language_links(request, lang),
        "data_as_of": analyses.reading.dataset.info.as_of if analyses else None,
        "restricted_shown": viewer(request).include_restricted,
        **values,
    }
    html = environment("html").get_template(f"workbench/{template}").render(**context)
    return HTMLResponse(html, status_code=status)


def role_names(lang: str) -> dict[str, str]:
    """Each account role's name in ``lang``."""
    _ = translator(lang)
    return {"viewer": _("viewer"), "editor": _("editor"), "confidential": _("confidential"),
            "admin": _("admin")}  # fmt: skip


def _language_links(request: Request, lang: str) -> list[tuple[str, str, str, bool]]:
    """(code, name, this page in that language, current) for each language."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    links = []
    for code in LANGUAGES:
        query = params + ([("lang", code)] if code != "en" else [])
        href = request.url.path + ("?" + urlencode(query) if query else "")
        links.append((code, LANGUAGE_NAMES.get(code, code), href, code == lang))
    return links


def choices(values: Iterable[str], chosen: str | None) -> list[tuple[str, bool]]:
    """Options of a filter's drop-down: each value and whether it is the one chosen."""
    return [(v, v == chosen) for v in values]


class SecurityHeaders:
    """ASGI middleware: the security headers on every response. A route that sends its own
    ``Content-Security-Policy`` (the map page, the brief) keeps it."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str] | None = None) -> None:
        self.app = app
        self.headers = dict(headers or {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "SAMEORIGIN",
        })  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                         for k, v in self.headers.items()
                         if k.lower().encode("latin-1") not in present]  # fmt: skip
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)
