"""The guideline on starting a Country Coalition: a document for States, with what the data
shows.

Why (Article 6, the Lausanne Action Plan, what the ISU reports), the Montenegro example, how to
start (first steps, roles, a terms-of-reference outline, the first 90 days), how to report,
who to contact, what the data shows, and numbered sources. No tool commands: it goes to States
as it is. Every fixed sentence goes through gettext (``lang``: ``en``, ``fr``, ``es``).

The text is in the templates (``_guide_text.j2``, shared by ``guide.md.j2`` and
``guide.html.j2``); this module gathers what the data shows (:func:`guide_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from ..analysis import GraphIndex
from ..i18n import Translate, translator
from ..names import name_in
from ..templating import render

__all__ = ["GUIDE_SOURCES", "GuidePage", "guide_html", "guide_markdown", "guide_page"]


GUIDE_SOURCES: tuple[str, ...] = (
    "Convention on Cluster Munitions (Dublin, 30 May 2008), Articles 3, 4, 6 and 7; UN Treaty "
    "Collection, MTDSG chapter XXVI-6 (treaties.un.org)",
    "CCM Working Group Art. 6 – International Cooperation and Assistance: Work Plan 2025-2026 "
    "(Coordinators: the Kingdom of the Netherlands and Switzerland), section 1 and output (c)",
    "Lausanne Action Plan 2021-2026, adopted at the Second Review Conference (September 2021), "
    "Actions #38 to #42 on international cooperation and assistance "
    "(clusterconvention.org/lausanne-action-plan/)",
    "ISU CCM: 'Round table discussion on promoting the establishment of Country Coalitions' "
    "(Geneva, 13 March 2019), clusterconvention.org",
    "ISU CCM: 'South East Europe regional seminar on the Country Coalition Concept' (RACVIAC, "
    "Rakitje, 12-13 June 2017), clusterconvention.org",
    "ISU CCM: 'International cooperation and assistance', clusterconvention.org (the Country "
    "Coalition concept; four coalitions formed, two States Parties reached compliance)",
    "ISU CCM news: 'ISU Director's visit to Montenegro' (December 2019)",
    "Norwegian People's Aid: 'Montenegro free from cluster munitions 10 years after weapons "
    "were banned' (ReliefWeb, August 2020); Mine Action Review, 'Clearing Cluster Munition "
    "Remnants 2018': Montenegro",
    "UN Geneva: 'Convention on Cluster Munitions' (ungeneva.org), contact of the "
    "Implementation Support Unit",
)
"""The guideline's sources, in the order of their note numbers (1 = the first)."""


def _guide_facts(G: nx.MultiDiGraph, as_of: str | date | None, lang: str) -> dict[str, Any]:
    index = GraphIndex.build(G, as_of=as_of)

    def name(node: str) -> str:
        data = G.nodes[node]
        return name_in(lang, str(data.get("name") or index.name(node)), data.get("aliases"))

    affected = index.affected_states()
    with_live = [s for s in affected if index.live_coalitions(s)]
    without = sorted(
        (min(str(G.nodes[o].get("deadline") or "9999") for o in index.open_obligations(s)),
         name(s))
        for s in affected
        if not index.live_coalitions(s)
    )  # fmt: skip
    return {
        "as_of": index.as_of.isoformat(),
        "affected": len(affected),
        "with_live": len(with_live),
        "coalitions": [
            (str(G.nodes[c].get("name")), str(G.nodes[c].get("status")))
            for c in sorted(index.focus_of)
        ],
        "without": [n for _deadline, n in without[:10]],
    }


def _data_lines(facts: dict[str, Any], _: Translate) -> list[str]:
    """The data section as plain sentences (data-derived parts not yet escaped)."""
    lines = [
        _(
            "{affected} States Parties have an open Article 3 or 4 obligation; {live} of "
            "them have a proposed, forming or active coalition."
        ).format(affected=facts["affected"], live=facts["with_live"])
    ]
    if facts["coalitions"]:
        statuses = {
            "proposed": _("proposed"),
            "forming": _("forming"),
            "active": _("active"),
            "concluded": _("concluded"),
        }
        listed = "; ".join(f"{n} ({statuses.get(s, s)})" for n, s in facts["coalitions"])
        lines.append(_("Coalitions recorded: {list}.").format(list=listed))
    if facts["without"]:
        lines.append(
            _("Without a coalition, earliest deadline first: {list}.").format(
                list=", ".join(facts["without"])
            )
        )
    return lines


def _issued(issued: str | date | None) -> str:
    if isinstance(issued, date):
        return issued.isoformat()
    return issued or date.today().isoformat()


@dataclass(frozen=True)
class GuidePage:
    """What the guideline's templates get: the dates, what the data shows as sentences in
    ``lang`` (data not yet escaped) and the sources in the order of their note numbers."""

    lang: str
    data_as_of: str
    issued: str
    data_lines: tuple[str, ...]
    sources: tuple[str, ...] = GUIDE_SOURCES


def guide_page(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    lang: str = "en",
    issued: str | date | None = None,
    data_as_of: str | None = None,
) -> GuidePage:
    """The guideline's data part in ``lang``: ``data_as_of`` is the dataset's as-of date
    (else the reference date ``as_of``), ``issued`` the date of issue (today when ``None``).

    :raises ValueError: an unknown ``lang``.
    """
    _ = translator(lang)
    facts = _guide_facts(G, as_of, lang)
    return GuidePage(
        lang=lang,
        data_as_of=data_as_of or facts["as_of"],
        issued=_issued(issued),
        data_lines=tuple(_data_lines(facts, _)),
    )


def guide_markdown(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    lang: str = "en",
    issued: str | date | None = None,
    data_as_of: str | None = None,
) -> str:
    """The guideline on starting a Country Coalition, with what the data shows, in Markdown.

    ``lang`` (``en``, ``fr``, ``es``) is the language of the text; State names come from the
    data's aliases in that language. ``data_as_of`` is the dataset's as-of date (else the
    reference date ``as_of``); ``issued`` the date of issue (today when ``None``).

    :raises ValueError: an unknown ``lang``.
    """
    page = guide_page(G, as_of=as_of, lang=lang, issued=issued, data_as_of=data_as_of)
    return render("guide.md.j2", page=page, lang=lang)


def guide_html(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    lang: str = "en",
    issued: str | date | None = None,
    data_as_of: str | None = None,
) -> str:
    """The guideline as one printable, offline HTML page.

    :raises ValueError: an unknown ``lang``.
    """
    page = guide_page(G, as_of=as_of, lang=lang, issued=issued, data_as_of=data_as_of)
    return render("guide.html.j2", page=page, lang=lang)
