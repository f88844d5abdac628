"""The accounts page, for admins: list, add, remove, change a role, set a new password.

Every change is a POST with its form's token and goes through the account store, which checks
it (a name's spelling, a known role, a long enough password, never the last admin removed or
demoted). A password is never shown back, not even on a form sent again after a problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...accounts import MIN_PASSWORD_LENGTH, AccountStore
from ...errors import DataError
from ...i18n import translator
from ...vocabularies import ACCOUNT_ROLES
from ..web import check_token, form_token, language, link, page, require

__all__ = ["ACTIONS", "ROUTES", "accounts_page", "change_account"]

ACTIONS = ("add", "remove", "role", "password")
"""What the page's forms do, each posted to ``/admin/accounts/<action>``."""


def _store(request: Request) -> AccountStore:
    found: AccountStore | None = request.app.state.signin.accounts
    if found is None:  # a workbench without an account store has no accounts to manage
        raise HTTPException(404)
    return found


async def accounts_page(request: Request, *, status: int = 200,
                        problems: list[str] | None = None) -> Response:  # fmt: skip
    """``/admin/accounts``: every account with its role and dates, and the forms."""
    require(request, "admin")
    store = _store(request)
    accounts = await run_in_threadpool(store.list)
    _ = translator(language(request))
    done = {"add": _("The account {name} was added."),
            "remove": _("The account {name} was removed."),
            "role": _("The role of {name} was changed."),
            "password": _("The password of {name} was changed.")}  # fmt: skip
    action, name = request.query_params.get("done", ""), request.query_params.get("name", "")
    message = done[action].format(name=name) if action in done and not problems else None
    return page(request, "accounts.html.j2", analyses=None, status=status, accounts=accounts,
                roles=ACCOUNT_ROLES, message=message, problems=problems or [],
                min_length=MIN_PASSWORD_LENGTH,
                tokens={a: form_token(request, f"accounts:{a}") for a in ACTIONS})  # fmt: skip


async def change_account(request: Request) -> Response:
    """``/admin/accounts/{action}`` (POST): add, remove, change a role, set a password."""
    require(request, "admin")
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise HTTPException(404)
    async with request.form(max_files=0, max_fields=10) as sent:
        form = {k: v for k, v in sent.items() if isinstance(v, str)}
    check_token(request, f"accounts:{action}", form.get("token"))
    store, name = _store(request), form.get("name", "").strip()
    _ = translator(language(request))
    password = form.get("password", "")
    if action in ("add", "password") and password != form.get("password2", ""):
        return await accounts_page(request, status=400,
                                   problems=[_("The two passwords differ.")])  # fmt: skip
    change: dict[str, Callable[[], Any]] = {
        "add": lambda: store.add(name, form.get("role", ""), password),
        "remove": lambda: store.remove(name),
        "role": lambda: store.set_role(name, form.get("role", "")),
        "password": lambda: store.set_password(name, password),
    }
    try:
        await run_in_threadpool(change[action])
    except DataError as exc:
        return await accounts_page(request, status=400,
                                   problems=[p.message for p in exc.problems])  # fmt: skip
    shown = name.lower()
    return RedirectResponse(link("/admin/accounts", language(request), done=action, name=shown),
                            status_code=303)  # fmt: skip


ROUTES = [
    Route("/admin/accounts", accounts_page),
    Route("/admin/accounts/{action}", change_account, methods=["POST"]),
]
