"""A coalition's page and its workflow: propose a coalition, add and remove members, change
its status — ``ccm-graph coalition`` in the browser, with the same rules and change records.

Every change is a POST carrying its form's token (:mod:`~ccm_graph.workbench.tokens`), for an
account that may edit; it goes through :func:`ccm_graph.keeping.change_coalition` (Neo4j: the
command line's own change; a seed folder: a snapshot first, all files or none). Each value is
checked first, every problem shown next to its field, and nothing is written until all pass.
A member who holds another role is not changed without asking: the page asks "make it … instead?"
and the answer is a second form. After a change, the coalition's page (a redirect: reloading
it changes nothing) says what was done, and its history lists the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...coalition_rules import DuplicateMembership, value_problems
from ...errors import DataError, UnknownRecord
from ...i18n import LANGUAGES, translator, word
from ...keeping import change_coalition, coalition_history
from ...names import AmbiguousName
from ...schema import COALITION_STATUSES, MEMBER_ROLES
from ..analyses import Analyses
from ..records import coalition_page
from ..views import named
from ..web import (
    analyses,
    check_token,
    form_token,
    language,
    link,
    page,
    require,
    viewer,
    workbench,
)

__all__ = ["DATALIST_LIMIT", "ROUTES", "coalition"]

DATALIST_LIMIT = 2000
"""Up to this many actors, a text box that names one offers them all as suggestions (a
``<datalist>``); beyond, it takes an id, a name or an alias without suggestions."""

DONE = ("proposed", "added", "replaced", "removed", "status", "unchanged")
"""What the coalition's page may say was just done (``?done=``): fixed sentences only."""

REMEDY = "tick the box at the end of this form"
"""The library's remedy for a focus with no time-bound obligation (``ask with any_state``),
as this form offers it."""

PROPOSE_FIELDS = ("focus", "name", "lead", "notes", "source")
MEMBER_FIELDS = ("actor", "role", "since", "source")


def coalition(request: Request) -> Response:
    """``/coalition/{id}``: members, roles, status, history; the workflow's forms for an
    account that may edit."""
    a = analyses(request)
    ident = request.path_params["id"]
    if a.kind(ident) != "coalition":
        raise HTTPException(404)
    done = request.query_params.get("done")
    return _coalition_page(request, a, ident, done=done if done in DONE else None)


def _coalition_page(request: Request, a: Analyses, ident: str, *, status: int = 200,
                    **forms: Any) -> Response:  # fmt: skip
    """The coalition's page; ``forms`` the add-member form's sent values and problems
    (``sent``, ``problems``, ``general``) after a refusal, or ``done``."""
    lang, who = language(request), viewer(request)
    history = coalition_history(workbench(request).source, ident,
                                include_restricted=who.include_restricted)  # fmt: skip
    context: dict[str, Any] = {"sent": {}, "problems": {}, "general": [], "done": None,
                               **forms, "history": history, "editing": who.can_edit}  # fmt: skip
    if who.can_edit:
        context |= {
            "members_token": _token(request, f"coalition:{ident}:members"),
            "status_token": _token(request, f"coalition:{ident}:status"),
            "roles": _words(MEMBER_ROLES, lang),
            "statuses": _words(COALITION_STATUSES, lang),
            "status_now": a.graph.nodes[ident].get("status"),
            "actors": _actor_options(a),
        }
    return page(request, "coalition.html.j2", analyses=a, status=status,
                p=coalition_page(a, ident, lang), brief_languages=LANGUAGES,
                **context)  # fmt: skip


async def propose(request: Request) -> Response:
    """``/coalition/new``: the proposal's form (GET, the focus from ``?focus=``), or the
    proposal (POST), then the new coalition's page."""
    require(request, "editor")
    a = analyses(request)
    form = await _posted(request, "coalition:new")
    if form is None:
        sent = {"focus": request.query_params.get("focus", "")}
        return _propose_page(request, a, sent)
    values = {**{k: _blank_is_none(form.get(k)) for k in PROPOSE_FIELDS},
              "any_state": form.get("any_state") == "1"}  # fmt: skip
    try:
        change = await _change(request, "propose", values)
    except _Refused as refused:
        return _propose_page(request, a, form, refused.problems, refused.general, status=400)
    return _done(request, change.coalition, "proposed")


def _propose_page(request: Request, a: Analyses, sent: Mapping[str, str],
                  problems: Mapping[str, list[str]] | None = None,
                  general: list[str] | None = None, *, status: int = 200) -> Response:  # fmt: skip
    return page(request, "coalition_new.html.j2", analyses=a, status=status, sent=sent,
                problems=problems or {}, general=general or [],
                token=_token(request, "coalition:new"), actors=_actor_options(a),
                states=_actor_options(a, kind="state"))  # fmt: skip


async def add_member(request: Request) -> Response:
    """``/coalition/{id}/members`` (POST): add a member; when it holds another role, ask
    whether to make it the new one (the answer sends ``replace_role``)."""
    if request.method != "POST":
        return _back(request)
    a, ident, form = await _editable(request, "members")
    values = {"coalition": ident, **{k: _blank_is_none(form.get(k)) for k in MEMBER_FIELDS},
              "replace_role": form.get("replace_role") == "1"}  # fmt: skip
    try:
        change = await _change(request, "add-member", values)
    except _Refused as refused:
        return await run_in_threadpool(_coalition_page, request, a, ident, sent=form,
                                       problems=refused.problems, general=refused.general,
                                       status=400)  # fmt: skip
    except DuplicateMembership as held:
        return _confirm_page(request, a, ident, form, held)
    done = "unchanged" if not change.changed else "replaced" if values["replace_role"] else "added"
    return _done(request, ident, done)


def _confirm_page(request: Request, a: Analyses, ident: str, form: Mapping[str, str],
                  held: DuplicateMembership) -> Response:  # fmt: skip
    """ "X is already a member as Y. Make it Z instead?", and the form that says yes."""
    lang = language(request)
    _ = translator(lang)
    member = named(a, held.actor, lang).name if held.actor in a.graph else held.member
    question = _("{actor} is already a member as {roles}. Make it {role} instead?").format(
        actor=member, roles=", ".join(word(r, _) for r in held.roles),
        role=word(held.role, _))  # fmt: skip
    return page(request, "coalition_confirm.html.j2", analyses=a, question=question,
                p=coalition_page(a, ident, language(request)), role_word=word(held.role, _),
                sent={k: form.get(k, "") for k in MEMBER_FIELDS},
                token=_token(request, f"coalition:{ident}:members"))  # fmt: skip


async def remove_member(request: Request) -> Response:
    """``/coalition/{id}/members/remove`` (POST): the member's every role in the coalition
    (or the one sent as ``role``) ends."""
    if request.method != "POST":
        return _back(request)
    a, ident, form = await _editable(request, "members")
    values = {"coalition": ident, "actor": _blank_is_none(form.get("actor")),
              "role": _blank_is_none(form.get("role"))}  # fmt: skip
    try:
        await _change(request, "remove-member", values)
    except _Refused as refused:
        lines = [m for ms in refused.problems.values() for m in ms] + refused.general
        return await run_in_threadpool(
            _coalition_page, request, a, ident, general=lines, status=400
        )
    return _done(request, ident, "removed")


async def set_status(request: Request) -> Response:
    """``/coalition/{id}/status`` (POST): move the coalition to the status chosen."""
    if request.method != "POST":
        return _back(request)
    a, ident, form = await _editable(request, "status")
    values = {"coalition": ident, "status": _blank_is_none(form.get("status"))}
    try:
        await _change(request, "set-status", values)
    except _Refused as refused:
        lines = [m for ms in refused.problems.values() for m in ms] + refused.general
        return await run_in_threadpool(
            _coalition_page, request, a, ident, general=lines, status=400
        )
    return _done(request, ident, "status")


# --- what the routes share ------------------------------------------------------------------


class _Refused(Exception):
    """The change was refused on its values or on the data: the problems by field (a form
    shows each next to its field) and the others."""

    def __init__(self, problems: dict[str, list[str]], general: list[str]) -> None:
        super().__init__("refused")
        self.problems, self.general = problems, general


async def _change(request: Request, action: str, values: dict[str, Any]) -> Any:
    """Check every value (all problems at once), then make the change where the data live,
    named after the account; a refusal as :class:`_Refused` (nothing written)."""
    checked = {k: v for k, v in values.items() if k not in ("any_state", "replace_role")}
    problems = value_problems(action, checked)
    if problems:
        raise _Refused(*_by_field(problems, values))
    who = viewer(request)
    try:
        return await run_in_threadpool(change_coalition, workbench(request).source, action,
                                       by=who.name, include_restricted=who.include_restricted,
                                       **values)  # fmt: skip
    except DataError as exc:
        raise _Refused(*_by_field(exc.problems, values)) from exc
    except (UnknownRecord, AmbiguousName) as exc:
        asked = exc.record_id if isinstance(exc, UnknownRecord) else exc.text
        fields = [k for k in ("focus", "lead", "actor")
                  if str(values.get(k) or "").strip() == asked.strip()]  # fmt: skip
        if not fields:  # the coalition itself went meanwhile
            raise HTTPException(404) from exc
        raise _Refused({fields[0]: [str(exc)]}, []) from exc


def _by_field(problems: list[Any], values: Mapping[str, Any]) -> tuple[dict, list[str]]:
    """Problems about a form's field (by its name), and the others as sentences."""
    fields: dict[str, list[str]] = {}
    general = []
    for p in problems:
        if p.file in values and p.file != "coalition":
            message = p.message.replace("ask with any_state", REMEDY)
            fields.setdefault(p.file, []).append(message)
        else:
            general.append(str(p))
    return fields, general


async def _editable(request: Request, form: str) -> tuple[Analyses, str, dict[str, str]]:
    """The analyses, the coalition and the form sent of a change to a coalition: 403 for an
    account that may not edit or a form without its token (``coalition:{id}:{form}``), then
    404 for a coalition this account cannot see (unknown and restricted alike)."""
    require(request, "editor")
    ident = request.path_params["id"]
    sent = await _posted(request, f"coalition:{ident}:{form}")
    a = analyses(request)
    if sent is None or a.kind(ident) != "coalition":
        raise HTTPException(404)
    return a, ident, sent


async def _posted(request: Request, purpose: str) -> dict[str, str] | None:
    """The form sent (``None`` for a GET); a POST without this form's token is refused."""
    if request.method != "POST":
        return None
    async with request.form(max_files=0, max_fields=50) as sent:
        form = {k: v for k, v in sent.items() if isinstance(v, str)}
    check_token(request, purpose, form.get("token"))
    return form


def _token(request: Request, purpose: str) -> str:
    return form_token(request, purpose)


def _blank_is_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def _done(request: Request, ident: str, done: str) -> Response:
    """To the coalition's page, saying what was done (a GET: reloading changes nothing)."""
    where = link("/coalition/" + quote(ident, safe=""), language(request), done=done)
    return RedirectResponse(where, status_code=303)


def _back(request: Request) -> Response:
    """A change's address opened (a language link of a page answering a change): the
    coalition's page, in that language; nothing is changed."""
    where = link("/coalition/" + quote(request.path_params["id"], safe=""), language(request))
    return RedirectResponse(where, status_code=303)


def _words(values: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    """(value, its word in ``lang``) of an enum, for a drop-down."""
    _ = translator(lang)
    return [(v, word(v, _)) for v in values]


def _actor_options(a: Analyses, kind: str | None = None) -> list[tuple[str, str]]:
    """(id, name) of the actors a form may name (of ``kind``), by name, for a ``<datalist>``;
    none beyond :data:`DATALIST_LIMIT` (the box then takes an id, name or alias unaided)."""

    def make() -> list[tuple[str, str]]:
        kinds = a.names.kinds
        chosen = [(i, n) for i, n in a.names.names.items()
                  if kinds.get(i) != "coalition" and kind in (None, kinds.get(i))]  # fmt: skip
        if len(chosen) > DATALIST_LIMIT:
            return []
        return sorted(chosen, key=lambda pair: (pair[1].casefold(), pair[0]))

    return a.kept(("actor-options", kind), make)


ROUTES = [
    Route("/coalition/new", propose, methods=["GET", "POST"]),
    Route("/coalition/{id}", coalition),
    # GET: back to the coalition's page (a page answering a change links to itself in the
    # other languages)
    Route("/coalition/{id}/members", add_member, methods=["GET", "POST"]),
    Route("/coalition/{id}/members/remove", remove_member, methods=["GET", "POST"]),
    Route("/coalition/{id}/status", set_status, methods=["GET", "POST"]),
]
