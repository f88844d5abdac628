"""The support table as files: CSV and Excel, filtered as the overview's query says."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...analysis.support import SUPPORT_KEYS, SupportRow, render_support
from ...render import render_xlsx
from ..views import filtered_rows
from ..web import workbench

__all__ = ["ROUTES", "support_csv", "support_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(request: Request) -> list[SupportRow]:
    a = workbench(request).analyses()
    q = request.query_params
    return filtered_rows(a, region=q.get("region") or None, article=q.get("article") or None,
                         status=q.get("status") or None)  # fmt: skip


def support_csv(request: Request) -> Response:
    """``/support.csv``: the rows as ``ccm-graph support --format csv`` writes them."""
    text = "\n".join(render_support(_rows(request), "csv")) + "\n"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="support.csv"'},
    )


def support_xlsx(request: Request) -> Response:
    """``/support.xlsx``: the rows as ``ccm-graph support --format xlsx`` writes them."""
    flat = [{k: "; ".join(str(x) for x in v) if isinstance(v, list) else v
             for k, v in r.as_dict().items()} for r in _rows(request)]  # fmt: skip
    data = render_xlsx(flat, list(SUPPORT_KEYS), sheet="support")
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="support.xlsx"'},
    )


ROUTES = [Route("/support.csv", support_csv), Route("/support.xlsx", support_xlsx)]
