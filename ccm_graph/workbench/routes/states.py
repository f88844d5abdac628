"""A State's page and its brief in each language."""

from __future__ import annotations

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ...i18n import LANGUAGES, translator, word
from ..analyses import Analyses
from ..records import state_page
from ..web import analyses, language, page, viewer

__all__ = ["ROUTES", "brief", "state"]

BRIEF_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
"""The brief's own policy (its page says the same in a meta tag), plus no framing."""


def state(request: Request) -> Response:
    """``/state/{id}``: a State's obligations, funding, bodies, coalitions, gaps, partners."""
    a, lang = analyses(request), language(request)
    ident = request.path_params["id"]
    if a.kind(ident) != "state":
        raise HTTPException(404)
    _ = translator(lang)
    roles = {"donor": _("Donors"), "operator": _("Operators"),
             "technical": _("Technical partners")}  # fmt: skip
    return page(request, "state.html.j2", analyses=a, p=state_page(a, ident, lang),
                brief_languages=LANGUAGES, role_names=roles,
                propose=viewer(request).can_edit and may_be_focus(a, ident))  # fmt: skip


def may_be_focus(a: Analyses, state: str) -> bool:
    """Whether ``state`` may be proposed a Country Coalition without the "any State"
    exception (:func:`~ccm_graph.coalition_rules.focus_problem`): a State with an Article 3
    or 4 obligation that has not withdrawn from the Convention."""
    from ...coalition_rules import FocusFacts, focus_problem

    data = a.graph.nodes[state]
    time_bound = sum(1 for ob in a.index.obligations_of.get(state, ())
                     if a.graph.nodes[ob].get("article") in (3, 4))  # fmt: skip
    facts = FocusFacts(state, a.index.name(state), str(data.get("kind")),
                       data.get("ccm_status"), time_bound)  # fmt: skip
    return focus_problem(state, facts) is None


def brief(request: Request) -> Response:
    """``/brief/{id}?lang=``: the printable brief on a State or a coalition (made once per
    reading, language and day of issue)."""
    a, lang = analyses(request), language(request)
    ident = request.path_params["id"]
    if a.kind(ident) not in ("state", "coalition"):
        raise HTTPException(404)
    issued = date.today()
    html = a.kept(("brief", ident, lang, issued), lambda: _brief_html(a, ident, lang, issued))
    return HTMLResponse(html, headers={"Content-Security-Policy": BRIEF_POLICY})


def _brief_html(a: Analyses, ident: str, lang: str, issued: date) -> str:
    """The brief's page with its map drawn inline, as ``ccm-graph brief --out X.html``."""
    from ...briefs import brief_html, coalition_brief, map_svg

    facts = coalition_brief(a.graph, ident, as_of=a.as_of, lang=lang, issued=issued,
                            data_as_of=a.reading.dataset.info.as_of,
                            command="ccm-graph serve")  # fmt: skip
    _ = translator(lang)
    svg = map_svg(a.graph, facts.map_nodes, focus=facts.state, roles=facts.roles,
                  title=_("Map of the records around {name}").format(name=facts.state_name),
                  names=facts.names, kind_words=lambda kind: word(kind, _))  # fmt: skip
    restricted = a.reading.include_restricted and a.reading.dataset.has_restricted()
    return brief_html(facts, svg=svg, restricted=restricted)


ROUTES = [Route("/state/{id}", state), Route("/brief/{id}", brief)]
