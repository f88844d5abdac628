"""The overview: the data's date, counts, the support table and the most severe gaps."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...graph import graph_stats
from ...i18n import translator, word
from ..views import gap_lines, support_table
from ..web import analyses, language, page

__all__ = ["ROUTES", "overview"]

FILTERS = ("region", "article", "status", "sort", "order")
STATUSES = ("open", "extended", "completed")


def overview(request: Request) -> Response:
    """``/``: counts, the support table (``?region= &article= &status= &sort= &order=``),
    its downloads and the high-level gap findings."""
    a, lang = analyses(request), language(request)
    params = {k: request.query_params.get(k) or None for k in FILTERS}
    table = support_table(a, lang, region=params["region"], article=params["article"],
                          status=params["status"], sort=params["sort"],
                          descending=params["order"] == "desc")  # fmt: skip
    _ = translator(lang)
    stats = a.kept("stats", lambda: graph_stats(a.graph))
    counts = [(word(kind, _), n) for kind, n in stats["nodes"].items()]
    return page(request, "overview.html.j2", analyses=a, table=table, params=params,
                counts=counts, relations=sum(stats["relationships"].values()),
                gaps=a.kept(("high gaps", lang), lambda: gap_lines(a, lang, levels=("high",))),
                statuses=[(s, word(s, _)) for s in STATUSES],
                to_verify=len(a.verify))  # fmt: skip


ROUTES = [Route("/", overview, name="overview")]
