"""Keeping the data current: the "to verify" queue, a record's form (to fix an item with its
source, or to edit any record), a workbook upload with its preview, and the history of changes.

The forms and every write need an ``editor`` account (or more; any request without accounts).
Every write is a POST carrying the form's token, bound to the session
(:mod:`~ccm_graph.workbench.tokens`), names the account in its change record, and goes
through the library (:mod:`ccm_graph.keeping`): checked with the seed files' rules, a snapshot
first, refused when the record changed meanwhile. Restricted records cannot be opened here:
they are not in the reading, so their address is "not found" like an unknown one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import DataError
from ...i18n import translator
from ...keeping import (
    MAX_UPLOAD_BYTES,
    RECORD_KINDS,
    Conflict,
    FixSource,
    FormCheck,
    RecordChanged,
    apply_upload,
    change_history,
    check_form,
    find_record,
    full_dataset,
    hidden_conflict,
    preview_upload,
    read_started,
    read_upload,
    record_conflict,
    record_fingerprint,
    record_form,
    record_values,
    replace_record,
    save_dataset,
    with_evidence,
)
from ...schema import Column, ColumnType
from ...values import ValueProblem, parse_cell
from ..analyses import Analyses
from ..web import analyses, check_token, form_token, language, page, require, viewer, workbench
from .changes import history_choices

__all__ = ["ROUTES"]

SOURCE_FIELDS = ("source_url", "source_date", "excerpt", "note")
"""The fields of a fix besides the record's: where the new value is stated, and why."""

_PARTIAL_DATE = Column(ColumnType.PARTIAL_DATE)
"""How a source's date is checked (YYYY, YYYY-MM or YYYY-MM-DD)."""


def verify_list(request: Request) -> Response:
    """``/verify``: the queue, by kind."""
    a = analyses(request)
    return page(request, "verify.html.j2", analyses=a, items=_items(a, language(request)))


def _items(a: Analyses, lang: str) -> list[tuple[Any, str]]:
    from ...i18n import voice

    speaking = voice(lang)
    return [(item, item.reason.render(speaking)) for item in a.verify]


def _item(a: Analyses, key: str) -> Any:
    found = next((i for i in a.verify if i.key == key), None)
    if found is None:
        raise HTTPException(404)
    return found


def _base(record: Any) -> str:
    """The fingerprint of a record as the form showed it (a changed record refuses the save)."""
    return record_fingerprint(record_values(record))


async def verify_item(request: Request) -> Response:
    """``/verify/{key}``: the item's form (GET), or the fix with its source (POST). A fix of a
    record someone saved meanwhile shows both changes (409), on this form while the item is
    still to verify, else on the record's form."""
    require(request, "editor")
    a, key = analyses(request), request.path_params["key"]
    form = await _posted(request, f"verify:{key}")
    if form is not None and not any(i.key == key for i in a.verify):
        return _verified_meanwhile(request, a, key, form)
    item = _item(a, key)
    if item.kind == "coverage":
        return page(request, "verify_coverage.html.j2", analyses=a, item=item,
                    reason=item.reason.render(_voice(request)))  # fmt: skip
    record = find_record(a.reading.dataset, item.table, item.record)
    if record is None:
        raise HTTPException(404)
    shown = [f for f in record_form(item.table, record_values(record)) if f.name in item.fields]
    context = {"item": item, "reason": item.reason.render(_voice(request)), "record": record,
               "purpose": f"verify:{key}", "action": f"/verify/{key}"}  # fmt: skip
    if form is None:
        return _form_page(request, a, "verify_item.html.j2", shown, record, context)
    values = {**record_values(record), **{f.name: form.get(f.name, "") for f in shown}}
    check = check_form(a.reading.dataset, item.table, record, values, _source_of(form),
                       item.confirms)  # fmt: skip
    _check_source(request, form, check)
    if not check.ok:
        shown = [f for f in record_form(item.table, values, check.problems)
                 if f.name in item.fields]  # fmt: skip
        return _form_page(request, a, "verify_item.html.j2", shown, record, context, form,
                          check, status=400)  # fmt: skip
    before = record_values(record)
    changed = [n for n in item.fields if values.get(n, "") != before.get(n, "")]
    told = changed or [e.field for e in check.evidence]
    try:
        return await _save(request, item.table, item.record, form, check,
                           summary=f"verified {key}: " + ", ".join(told))  # fmt: skip
    except RecordChanged as meanwhile:
        started = read_started(form.get("started"), form.get("base", ""))
        mine = {f.name: form.get(f.name, "") for f in shown}
        conflict = _conflict(item.table, started, meanwhile.current, mine)
        context["record"] = meanwhile.current
        fields = [f for f in record_form(item.table, conflict.values) if f.name in item.fields]
        return _form_page(request, analyses(request), "verify_item.html.j2", fields,
                          meanwhile.current, context, form, conflict=conflict)  # fmt: skip


def _verified_meanwhile(request: Request, a: Analyses, key: str,
                        form: Mapping[str, str]) -> Response:  # fmt: skip
    """A fix sent for an item no longer to verify (someone fixed it meanwhile): the record's
    form, with the values this person sent and the ones stored now (409); nothing written."""
    ident = key.split(":")[1] if ":" in key else ""
    for table in ("obligation", "actor"):
        record = find_record(a.reading.dataset, table, ident)
        if record is not None:
            break
    else:
        raise HTTPException(404)
    started = read_started(form.get("started"), form.get("base", ""))
    mine = {n: form[n] for n in record_values(record) if n in form}
    conflict = _conflict(table, started, record, mine)
    context = {"kind": table, "record": record, "purpose": f"edit:{table}:{ident}",
               "action": f"/edit/{table}/{ident}"}  # fmt: skip
    return _form_page(request, a, "edit.html.j2", record_form(table, conflict.values), record,
                      context, form, conflict=conflict)  # fmt: skip


def _conflict(kind: str, started: Mapping[str, str] | None, current: Any,
              mine: Mapping[str, str]) -> Conflict:  # fmt: skip
    """What a person sees of a record saved by someone else while they edited it; ``mine``
    the fields their form sent (the others are as they started). A removed record refuses
    the save as any change made meanwhile."""
    if current is None:
        from ...errors import ConcurrentChange

        raise ConcurrentChange("the record was removed since this page was made")
    stored = record_values(current)
    yours = {**(started or stored), **mine}
    return record_conflict(list(stored), started, stored, yours)


async def edit_record(request: Request) -> Response:
    """``/edit/{kind}/{key}`` (``new`` for a new record): every field of the record, from the
    schema (GET), or the checked change (POST)."""
    require(request, "editor")
    a = analyses(request)
    kind, key = request.path_params["kind"], request.path_params["key"]
    purpose = f"edit:{kind}:{key}"
    form = await _posted(request, purpose)
    if kind not in RECORD_KINDS:
        raise HTTPException(404)
    record = None if key == "new" else find_record(a.reading.dataset, kind, key)
    if key != "new" and record is None:
        raise HTTPException(404)
    start = record_values(record) if record else dict(request.query_params)
    context = {"kind": kind, "record": record, "purpose": purpose,
               "action": f"/edit/{kind}/{key}"}  # fmt: skip
    if form is None:
        return _form_page(request, a, "edit.html.j2", record_form(kind, start), record, context)
    values = {f.name: form.get(f.name, "") for f in record_form(kind)}
    sourced = bool(form.get("source_url") or form.get("excerpt"))
    check = check_form(a.reading.dataset, kind, record, values,
                       _source_of(form) if sourced else None)  # fmt: skip
    if sourced:
        _check_source(request, form, check)
    if check.ok and not viewer(request).include_restricted:
        _check_hidden(request, kind, record, check)
    if not check.ok:
        return _form_page(request, a, "edit.html.j2", record_form(kind, values, check.problems),
                          record, context, form, check, status=400)  # fmt: skip
    ident = getattr(check.record, "id", None)
    what = "added" if record is None else "edited"
    try:
        return await _save(request, kind, key if record else None, form, check,
                           summary=f"{what} {kind} {ident or key}")  # fmt: skip
    except RecordChanged as meanwhile:
        started = read_started(form.get("started"), form.get("base", ""))
        conflict = _conflict(kind, started, meanwhile.current, values)
        context["record"] = meanwhile.current
        return _form_page(request, analyses(request), "edit.html.j2",
                          record_form(kind, conflict.values), meanwhile.current, context, form,
                          conflict=conflict)  # fmt: skip


def _check_hidden(request: Request, kind: str, record: Any, check: FormCheck) -> None:
    """A reader who may not see the restricted records cannot take a hidden record's id, nor
    change an id a hidden record refers to (the save would touch a record it cannot see)."""
    _ = translator(language(request))
    why = hidden_conflict(full_dataset(workbench(request).source), record, check.record)
    field = "id" if kind != "relation" else ""
    if why == "taken":
        check.problems.setdefault(field, []).append(
            _("This id cannot be used; choose another one.")
        )
    elif why == "referenced":
        check.problems.setdefault(field, []).append(_("This id cannot be changed here."))


def _voice(request: Request) -> Any:
    from ...i18n import voice

    return voice(language(request))


def _source_of(form: Mapping[str, str]) -> FixSource:
    """The source a form gives for its new values."""
    return FixSource(form.get("source_url", "").strip(), form.get("source_date", "").strip(),
                     form.get("excerpt", "").strip(), form.get("note", "").strip())  # fmt: skip


async def _posted(request: Request, purpose: str) -> Mapping[str, str] | None:
    """The form sent (``None`` for a GET); a POST without this form's token is refused."""
    if request.method != "POST":
        return None
    async with request.form(max_files=0, max_fields=200) as sent:
        form = {k: v for k, v in sent.items() if isinstance(v, str)}
    check_token(request, purpose, form.get("token"))
    return form


def _check_source(request: Request, form: Mapping[str, str], check: FormCheck) -> None:
    """A fix needs its source: an https address, its date and a quoted excerpt."""
    _ = translator(language(request))
    url = form.get("source_url", "").strip()
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        check.problems.setdefault("source_url", []).append(
            _("Give the address of the source, starting with https://.")
        )
    try:
        if parse_cell(_PARTIAL_DATE, form.get("source_date", "")) is None:
            raise ValueProblem("blank")
    except ValueProblem:
        check.problems.setdefault("source_date", []).append(
            _("Give the source's date as YYYY, YYYY-MM or YYYY-MM-DD.")
        )
    excerpt = form.get("excerpt", "").strip()
    if not excerpt or len(excerpt) > 400:
        check.problems.setdefault("excerpt", []).append(
            _("Copy the sentence of the source that states the value (at most 400 characters).")
        )


def _form_page(request: Request, a: Analyses, template: str, fields: list[Any], record: Any,
               context: dict[str, Any], form: Mapping[str, str] | None = None,
               check: FormCheck | None = None, *, status: int = 200,
               conflict: Conflict | None = None) -> Response:  # fmt: skip
    """A record's form: its fields, the source fields, the token, the record's fingerprint
    and the values it starts from (kept from the form sent while it is corrected). With a
    ``conflict`` (409), the form starts again from the record as stored now."""
    sent = form or {}
    if conflict is not None or not sent.get("base"):
        values = record_values(record) if record else {}
        base, started = (
            (_base(record), json.dumps(values, ensure_ascii=False)) if record else ("", "")
        )
    else:
        base, started = sent["base"], sent.get("started", "")
    return page(request, template, analyses=a, fields=fields,
                status=409 if conflict is not None else status,
                token=form_token(request, context["purpose"]), base=base, started=started,
                sent=sent, general=(check.problems.get("", []) if check else []),
                conflict=conflict,
                source_problems={n: (check.problems.get(n, []) if check else [])
                                 for n in SOURCE_FIELDS}, **context)  # fmt: skip


async def _save(request: Request, kind: str, key: str | None, form: Mapping[str, str],
                check: FormCheck, *, summary: str) -> Response:  # fmt: skip
    """Write the checked record in place of the one at ``key`` (none: a new record), with
    the evidence rows the fix brings.

    :raises RecordChanged: the record is no longer what the form started from."""
    bench = workbench(request)
    base = form.get("base", "")

    def change(current: Any) -> Any:
        old = find_record(current, kind, key) if key else None
        if key and (old is None or _base(old) != base):
            raise RecordChanged(old)
        return with_evidence(replace_record(current, kind, old, check.record), check.evidence)

    saved = await run_in_threadpool(save_dataset, bench.source, change, expected=None,
                                    summary=summary, note=form.get("note", ""),
                                    by=viewer(request).name)  # fmt: skip
    a = analyses(request)
    return page(request, "saved.html.j2", analyses=a, saved=saved, kind=kind,
                record=check.record)  # fmt: skip


async def upload(request: Request) -> Response:
    """``/upload``: the form (GET); the workbook's problems or its preview (POST)."""
    require(request, "editor")
    bench = workbench(request)
    if request.method != "POST":
        return page(request, "upload.html.j2", analyses=analyses(request), problems=[],
                    token=form_token(request, "upload"), limit=MAX_UPLOAD_BYTES)  # fmt: skip
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_UPLOAD_BYTES + 100_000:
        raise HTTPException(413)
    async with request.form(max_files=1, max_fields=10) as sent:
        check_token(request, "upload", sent.get("token"))
        file = sent.get("workbook")
        content = await file.read(MAX_UPLOAD_BYTES + 1) if isinstance(file, UploadFile) else b""
    try:
        dataset = await run_in_threadpool(read_upload, content)
        # records the reader may not see are neither shown, nor counted, nor overwritten
        shown = viewer(request).include_restricted
        preview = await run_in_threadpool(preview_upload, bench.source, dataset,
                                          include_restricted=shown)  # fmt: skip
    except DataError as exc:
        return page(request, "upload.html.j2", analyses=analyses(request), status=400,
                    token=form_token(request, "upload"), limit=MAX_UPLOAD_BYTES,
                    problems=[str(p) for p in exc.problems])  # fmt: skip
    ident = bench.keep_preview(preview)
    return page(request, "upload_preview.html.j2", analyses=analyses(request), preview=preview,
                ident=ident, token=form_token(request, f"apply:{ident}"))  # fmt: skip


async def upload_apply(request: Request) -> Response:
    """``/upload/{ident}/apply`` (POST): write the previewed workbook, a snapshot first."""
    require(request, "editor")
    bench, ident = workbench(request), request.path_params["ident"]
    await _posted(request, f"apply:{ident}")
    preview = bench.previews.get(ident)
    if preview is None:
        raise HTTPException(404)
    saved = await run_in_threadpool(apply_upload, bench.source, preview, by=viewer(request).name)
    bench.previews.pop(ident, None)
    return page(request, "saved.html.j2", analyses=analyses(request), saved=saved, kind=None,
                record=None)  # fmt: skip


def history(request: Request) -> Response:
    """``/history``: the changes written, newest first."""
    bench = workbench(request)
    shown = viewer(request).include_restricted
    entries = change_history(bench.source, include_restricted=shown)
    return page(request, "history.html.j2", analyses=analyses(request), entries=entries,
                **history_choices(bench.source, entries, language(request)))  # fmt: skip


ROUTES = [
    Route("/verify", verify_list),
    Route("/verify/{key:path}", verify_item, methods=["GET", "POST"]),
    Route("/edit/{kind}/{key:path}", edit_record, methods=["GET", "POST"]),
    Route("/upload", upload, methods=["GET", "POST"]),
    Route("/upload/{ident}/apply", upload_apply, methods=["POST"]),
    Route("/history", history),
]
