"""The support table as files: CSV and Excel, filtered as the overview's query says."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...analysis.support import SUPPORT_KEYS, render_support
from ...render import render_xlsx
from ..views import filtered_rows
from ..web import analyses

__all__ = ["ROUTES", "support_csv", "support_xlsx"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FILTERS = ("region", "article", "status")


def _download(request: Request, fmt: str) -> bytes:
    """The support rows the query's filters keep, as ``fmt``; made once per reading."""
    a = analyses(request)
    chosen = {k: request.query_params.get(k) or None for k in FILTERS}

    def make() -> bytes:
        rows = filtered_rows(a, **chosen)
        if fmt == "csv":
            return ("\n".join(render_support(rows, "csv")) + "\n").encode("utf-8")
        flat = [{k: "; ".join(str(x) for x in v) if isinstance(v, list) else v
                 for k, v in r.as_dict().items()} for r in rows]  # fmt: skip
        return render_xlsx(flat, list(SUPPORT_KEYS), sheet="support")

    return a.kept((fmt, *chosen.values()), make)


def support_csv(request: Request) -> Response:
    """``/support.csv``: the rows as ``ccm-graph support --format csv`` writes them."""
    return Response(
        _download(request, "csv"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="support.csv"'},
    )


def support_xlsx(request: Request) -> Response:
    """``/support.xlsx``: the rows as ``ccm-graph support --format xlsx`` writes them."""
    return Response(
        _download(request, "xlsx"),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="support.xlsx"'},
    )


ROUTES = [Route("/support.csv", support_csv), Route("/support.xlsx", support_xlsx)]
