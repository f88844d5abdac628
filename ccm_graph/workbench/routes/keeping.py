"""Keeping the data current: the "to verify" queue, a record's form (to fix an item with its
source, or to edit any record), a workbook upload with its preview, and the history of changes.

Every write is a POST carrying the form's token (:mod:`~ccm_graph.workbench.tokens`) and goes
through the library (:mod:`ccm_graph.keeping`): checked with the seed files' rules, a snapshot
first, refused when the record changed meanwhile. Restricted records cannot be opened here:
they are not in the reading, so their address is "not found" like an unknown one.
"""

from __future__ import annotations

import hashlib
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
    FixSource,
    FormCheck,
    apply_upload,
    change_history,
    check_form,
    find_record,
    full_dataset,
    hidden_conflict,
    preview_upload,
    read_upload,
    record_form,
    record_values,
    replace_record,
    save_dataset,
    with_evidence,
)
from ...schema import Column, ColumnType
from ...values import ValueProblem, parse_cell
from ..analyses import Analyses
from ..web import analyses, language, page, viewer, workbench

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
    text = json.dumps(record_values(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


async def verify_item(request: Request) -> Response:
    """``/verify/{key}``: the item's form (GET), or the fix with its source (POST)."""
    a, key = analyses(request), request.path_params["key"]
    item = _item(a, key)
    if item.kind == "coverage":
        return page(request, "verify_coverage.html.j2", analyses=a, item=item,
                    reason=item.reason.render(_voice(request)))  # fmt: skip
    record = find_record(a.reading.dataset, item.table, item.record)
    if record is None:
        raise HTTPException(404)
    form = await _posted(request, f"verify:{key}")
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
    return await _save(request, item.table, item.record, form, check,
                       summary=f"verified {key}: " + ", ".join(told))  # fmt: skip


async def edit_record(request: Request) -> Response:
    """``/edit/{kind}/{key}`` (``new`` for a new record): every field of the record, from the
    schema (GET), or the checked change (POST)."""
    a = analyses(request)
    kind, key = request.path_params["kind"], request.path_params["key"]
    if kind not in RECORD_KINDS:
        raise HTTPException(404)
    record = None if key == "new" else find_record(a.reading.dataset, kind, key)
    if key != "new" and record is None:
        raise HTTPException(404)
    purpose = f"edit:{kind}:{key}"
    form = await _posted(request, purpose)
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
    return await _save(request, kind, key if record else None, form, check,
                       summary=f"{what} {kind} {ident or key}")  # fmt: skip


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
    if not workbench(request).tokens.verify(purpose, form.get("token")):
        raise HTTPException(403)
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
               check: FormCheck | None = None, *, status: int = 200) -> Response:  # fmt: skip
    """A record's form: its fields, the source fields, the token and the record's fingerprint."""
    bench = workbench(request)
    return page(request, template, analyses=a, fields=fields, status=status,
                token=bench.tokens.issue(context["purpose"]),
                base=(form or {}).get("base") or (_base(record) if record else ""),
                sent=form or {}, general=(check.problems.get("", []) if check else []),
                source_problems={n: (check.problems.get(n, []) if check else [])
                                 for n in SOURCE_FIELDS}, **context)  # fmt: skip


async def _save(request: Request, kind: str, key: str | None, form: Mapping[str, str],
                check: FormCheck, *, summary: str) -> Response:  # fmt: skip
    """Write the checked record in place of the one at ``key`` (none: a new record), with
    the evidence rows the fix brings."""
    bench = workbench(request)
    base = form.get("base", "")

    def change(current: Any) -> Any:
        old = find_record(current, kind, key) if key else None
        if key and (old is None or _base(old) != base):
            from ...errors import ConcurrentChange

            raise ConcurrentChange("the record changed since this page was made")
        return with_evidence(replace_record(current, kind, old, check.record), check.evidence)

    saved = await run_in_threadpool(save_dataset, bench.source, change, expected=None,
                                    summary=summary, note=form.get("note", ""))  # fmt: skip
    a = analyses(request)
    return page(request, "saved.html.j2", analyses=a, saved=saved, kind=kind,
                record=check.record)  # fmt: skip


async def upload(request: Request) -> Response:
    """``/upload``: the form (GET); the workbook's problems or its preview (POST)."""
    bench = workbench(request)
    if request.method != "POST":
        return page(request, "upload.html.j2", analyses=analyses(request), problems=[],
                    token=bench.tokens.issue("upload"), limit=MAX_UPLOAD_BYTES)  # fmt: skip
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_UPLOAD_BYTES + 100_000:
        raise HTTPException(413)
    async with request.form(max_files=1, max_fields=10) as sent:
        if not bench.tokens.verify("upload", str(sent.get("token") or "")):
            raise HTTPException(403)
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
                    token=bench.tokens.issue("upload"), limit=MAX_UPLOAD_BYTES,
                    problems=[str(p) for p in exc.problems])  # fmt: skip
    ident = bench.keep_preview(preview)
    return page(request, "upload_preview.html.j2", analyses=analyses(request), preview=preview,
                ident=ident, token=bench.tokens.issue(f"apply:{ident}"))  # fmt: skip


async def upload_apply(request: Request) -> Response:
    """``/upload/{ident}/apply`` (POST): write the previewed workbook, a snapshot first."""
    bench, ident = workbench(request), request.path_params["ident"]
    await _posted(request, f"apply:{ident}")
    preview = bench.previews.get(ident)
    if preview is None:
        raise HTTPException(404)
    saved = await run_in_threadpool(apply_upload, bench.source, preview)
    bench.previews.pop(ident, None)
    return page(request, "saved.html.j2", analyses=analyses(request), saved=saved, kind=None,
                record=None)  # fmt: skip


def history(request: Request) -> Response:
    """``/history``: the changes written, newest first."""
    bench = workbench(request)
    shown = viewer(request).include_restricted
    return page(request, "history.html.j2", analyses=analyses(request),
                entries=change_history(bench.source, include_restricted=shown))  # fmt: skip


ROUTES = [
    Route("/verify", verify_list),
    Route("/verify/{key:path}", verify_item, methods=["GET", "POST"]),
    Route("/edit/{kind}/{key:path}", edit_record, methods=["GET", "POST"]),
    Route("/upload", upload, methods=["GET", "POST"]),
    Route("/upload/{ident}/apply", upload_apply, methods=["POST"]),
    Route("/history", history),
]
