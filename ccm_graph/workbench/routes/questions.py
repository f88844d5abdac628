"""Questions: the named queries of the library as forms, their results as a table and as
CSV and Excel files.

A question is asked with GET, so a result has an address to share. It runs read-only through
:func:`~ccm_graph.query_library.run_named`, as ``ccm-graph query --name`` does (Neo4j's
planner is asked first and anything but a plain read is refused), with restricted records
only for a viewer who may see them. Named queries run on Neo4j: served from a seed folder or
a workbook, the pages list them and say how to serve a database instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...errors import QueryError
from ...i18n import translator
from ...query_library import NamedQuery, load_queries, run_named
from ...query_params import ParamCheck, check_values
from ...render import render, render_xlsx
from ...store import QueryResult
from ..questions import question_fields, result_table
from ..web import analyses, language, link, page, viewer, workbench
from .downloads import XLSX

__all__ = ["ROUTES"]

RUN = "run"
"""The form's button: a question with no parameters is asked with ``?run=1``."""


def questions(request: Request) -> Response:
    """``/questions``: every named query, its description and parameters."""
    return page(request, "questions.html.j2", analyses=analyses(request),
                queries=list(load_queries().values()), on_neo4j=_on_neo4j(request))  # fmt: skip


def question(request: Request) -> Response:
    """``/questions/{name}``: the query's form; with its parameters (``?before=…``), the
    result below it, or the form again with each problem next to its field (400)."""
    query, on_neo4j = _query(request), _on_neo4j(request)
    sent = dict(request.query_params)
    asked = on_neo4j and (RUN in sent or any(p.name in sent for p in query.user_params))
    check = check_values(query, sent, analyses(request).names) if asked else ParamCheck()
    result, refused = None, None
    if asked and check.ok:
        try:
            result = _ask(request, query, check)
        except QueryError as exc:
            refused = str(exc)
    return _page(request, query, on_neo4j, check, result=result, refused=refused,
                 status=400 if check.problems or refused else 200)  # fmt: skip


def question_csv(request: Request) -> Response:
    """``/questions/{name}.csv``: the result with the same parameters, as ``ccm-graph query
    --format csv`` writes it (a text cell that would start a formula is escaped)."""
    answered = _answer(request)
    if isinstance(answered, Response):
        return answered
    text = "\n".join(render(answered.rows, "csv", answered.columns)) + "\n"
    return _file(text.encode("utf-8"), "text/csv; charset=utf-8", request, "csv")


def question_xlsx(request: Request) -> Response:
    """``/questions/{name}.xlsx``: the result with the same parameters as an Excel sheet
    (text is always text there, never a formula)."""
    answered = _answer(request)
    if isinstance(answered, Response):
        return answered
    return _file(render_xlsx(answered.rows, answered.columns), XLSX, request, "xlsx")


def _answer(request: Request) -> QueryResult | Response:
    """The result for a download, or the question's page with its problems (400)."""
    query = _query(request)
    if not _on_neo4j(request):
        raise HTTPException(404)
    check = check_values(query, request.query_params, analyses(request).names)
    if not check.ok:
        return _page(request, query, True, check, status=400)
    try:
        return _ask(request, query, check)
    except QueryError as exc:
        return _page(request, query, True, check, refused=str(exc), status=400)


def _ask(request: Request, query: NamedQuery, check: ParamCheck) -> QueryResult:
    """Run ``query`` read-only with the checked values, restricted records as the viewer
    may see them; a data parameter left blank is filled from the data, as the CLI fills it."""
    store = workbench(request).source.store()
    return run_named(store, query, check.values,
                     include_restricted=viewer(request).include_restricted)  # fmt: skip


@dataclass(frozen=True)
class _Downloads:
    """The result's files, with the parameters as sent."""

    csv: str
    xlsx: str


def _page(
    request: Request,
    query: NamedQuery,
    on_neo4j: bool,
    check: ParamCheck,
    *,
    result: QueryResult | None = None,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    a, lang = analyses(request), language(request)
    sent = {p.name: request.query_params.get(p.name, "") for p in query.user_params}
    fields = question_fields(query, sent, check, a.reading.dataset.info,
                             translator(lang))  # fmt: skip
    downloads = None
    if result is not None:
        base = f"/questions/{query.name}"
        params = {**sent, RUN: "1"}
        downloads = _Downloads(link(f"{base}.csv", "en", **params),
                               link(f"{base}.xlsx", "en", **params))  # fmt: skip
    return page(request, "question.html.j2", analyses=a, query=query, on_neo4j=on_neo4j,
                fields=fields, table=result_table(result) if result is not None else None,
                downloads=downloads, refused=refused, status=status)  # fmt: skip


def _file(content: bytes, media_type: str, request: Request, ext: str) -> Response:
    disposition = f'attachment; filename="{request.path_params["name"]}.{ext}"'
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": disposition})  # fmt: skip


def _query(request: Request) -> NamedQuery:
    """The named query of the address; 404 for a name that is not in the library."""
    found = load_queries().get(request.path_params["name"])
    if found is None:
        raise HTTPException(404)
    return found


def _on_neo4j(request: Request) -> bool:
    """Whether the workbench serves a Neo4j database (where named queries run)."""
    return workbench(request).source.kind == "neo4j"


ROUTES = [
    Route("/questions", questions),
    Route("/questions/{name}.csv", question_csv),
    Route("/questions/{name}.xlsx", question_xlsx),
    Route("/questions/{name}", question),
]
