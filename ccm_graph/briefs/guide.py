"""The guideline on starting a Country Coalition: a document for States, with what the data
shows.

Why (Article 6, the Lausanne Action Plan, what the ISU reports), the Montenegro example, how to
start (first steps, roles, a terms-of-reference outline, the first 90 days), how to report,
who to contact, what the data shows, and numbered sources. No tool commands: it goes to States
as it is. Every fixed sentence goes through gettext (``lang``: ``en``, ``fr``, ``es``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from ..analysis import GraphIndex
from ..i18n import N_, Translate, translator
from ..names import name_in
from .render import md_escape, page

__all__ = ["GUIDE_SOURCES", "guide_html", "guide_markdown"]


@dataclass(frozen=True)
class _Section:
    """A heading, paragraphs and (optionally) numbered or bulleted items; ``notes`` are the
    source numbers the section's facts rest on."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    numbered: bool = False
    notes: tuple[int, ...] = ()
    level: int = 2


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


def _sections(_: Translate) -> list[_Section]:
    return [
        _Section(
            _("Why a Country Coalition"),
            (
                _(
                    "Article 6 of the Convention on Cluster Munitions asks each State Party "
                    "in a position to do so to provide technical, material and financial "
                    "assistance to affected States Parties, aimed at implementing the "
                    "Convention. A Country Coalition puts this into practice around one "
                    "affected State Party with time-bound obligations: stockpile destruction "
                    "(Article 3) or clearance of cluster munition remnants (Article 4)."
                ),
                _(
                    "It is built on the State's own plan and led by the State: partner "
                    "States, donors, operators and technical bodies gather around its "
                    "specific needs and meet regularly, so that support is coordinated, "
                    "predictable and matched to the deadline."
                ),
                _(
                    "The Lausanne Action Plan (2021-2026) commits States Parties to "
                    "strengthen international cooperation and assistance (Actions #38 to "
                    "#42); the Article 6 Coordinators' work plan for 2025-2026 rests on "
                    "these actions and includes this hand-out on how to start a Country "
                    "Coalition."
                ),
                _(
                    "The concept was introduced by Germany as President of the Seventh "
                    "Meeting of States Parties (2017), presented at regional seminars and "
                    "discussed with 16 States Parties at a round table in Geneva in March "
                    "2019. The Implementation Support Unit (ISU) reports that four country "
                    "coalitions have been formed and that two States Parties reached "
                    "compliance with their obligations."
                ),
            ),
            notes=(1, 2, 3, 4, 5, 6),
        ),
        _Section(
            _("An example: Montenegro"),
            (
                _(
                    "Montenegro had to clear all cluster munition remnants by 1 August 2020 "
                    "(Article 4). Funding from Norway was secured in 2018 and Norwegian "
                    "People's Aid (NPA) carried out survey and clearance together with the "
                    "national authorities."
                ),
                _(
                    "At the Ninth Meeting of States Parties (September 2019) Montenegro "
                    "described its country coalition with Norway, through NPA, as highly "
                    "successful. NPA completed its operations on 21 July 2020, having "
                    "released about 1.85 km² of land, and Montenegro declared that it had "
                    "fulfilled its Article 4 obligation before the deadline, without an "
                    "extension."
                ),
                _(
                    "What the example suggests: a clear and small remaining task, one "
                    "committed donor, one experienced operator, national ownership, and "
                    "regular reporting to the States Parties."
                ),
            ),
            notes=(7, 8),
        ),
        _Section(_("How to start"), ()),
        _Section(
            _("First steps"),
            items=(
                _(
                    "The affected State decides to start a coalition and names a focal point, "
                    "usually its national mine action authority."
                ),
                _(
                    "It states its needs from its own plan: what remains to be done, by "
                    "when, what it costs, and what the State funds itself."
                ),
                _(
                    "It lists who already helps (donors, operators, international "
                    "organisations) and who could: States that fund mine action in the "
                    "country or the region, including under the Anti-Personnel Mine Ban "
                    "Convention."
                ),
                _(
                    "It invites a lead partner State and the other partners to a first "
                    "meeting, in the capital or in Geneva; the ISU and the Article 6 "
                    "Coordinators can help to prepare it."
                ),
                _(
                    "When an extension request is being prepared, the coalition helps to "
                    "show how resources will be mobilised to meet the new deadline."
                ),
            ),
            numbered=True,
            level=3,
        ),
        _Section(
            _("Roles"),
            items=(
                _("Affected State: leads, owns the plan, hosts the meetings."),
                _("National authority: focal point; coordinates the work on the ground."),
                _(
                    "Lead partner State: co-chairs with the affected State and helps to "
                    "mobilise other partners."
                ),
                _("Donors: fund the plan, ideally over several years."),
                _("Operators: survey, clear or destroy, and report progress."),
                _(
                    "Technical partners and international organisations: advice, "
                    "standards, information management, capacity building."
                ),
            ),
            level=3,
        ),
        _Section(
            _("Terms of reference: an outline"),
            items=(
                _("Purpose: the obligation and the deadline the coalition works towards."),
                _("Members and their roles; the focal point of each."),
                _("The plan: remaining task, milestones, budget and funding gap."),
                _("Meetings: how often, where, who chairs."),
                _("Information: what is shared, how often, with whom."),
                _("Reporting: to the Meetings of States Parties and in Article 7 reports."),
                _("Review and end: when the obligation is fulfilled, or at an agreed date."),
            ),
            numbered=True,
            level=3,
        ),
        _Section(
            _("The first 90 days"),
            items=(
                _("Days 1-30: focal point named; needs and plan written down; partners listed."),
                _("Days 31-60: first meeting; roles agreed; terms of reference drafted."),
                _(
                    "Days 61-90: terms of reference agreed; first commitments recorded; the "
                    "next meetings and the first report to the States Parties scheduled."
                ),
            ),
            level=3,
        ),
        _Section(
            _("How to report"),
            (
                _(
                    "Report the coalition and its progress at the Meetings of States Parties "
                    "and at the intersessional meetings, and in the annual transparency "
                    "report under Article 7: what was done, what was funded, what remains. "
                    "Share what worked with other States Parties that consider a "
                    "coalition; the Third Review Conference (Vientiane, September 2026) is "
                    "the next milestone."
                ),
            ),
            notes=(1, 2),
        ),
        _Section(
            _("Who to contact"),
            (
                _(
                    "The Implementation Support Unit of the Convention on Cluster Munitions "
                    "(ISU), Maison de la Paix, Chemin Eugène-Rigot 2C, 1211 Geneva, "
                    "Switzerland; and the Article 6 Coordinators, the Kingdom of the "
                    "Netherlands and Switzerland, through their permanent missions in "
                    "Geneva."
                ),
            ),
            notes=(9,),
        ),
    ]


_DATA_HEAD = N_("What the data shows")


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


def _header(
    facts: dict[str, Any], data_as_of: str | None, issued: str, _: Translate
) -> tuple[str, str]:
    title = _("How to start a Country Coalition")
    meta = _(
        "A hand-out of the Article 6 Coordinators of the Convention on Cluster Munitions (the "
        "Kingdom of the Netherlands and Switzerland). Data as of {as_of}. Issued on {issued}."
    ).format(as_of=data_as_of or facts["as_of"], issued=issued)
    return title, meta


def _issued(issued: str | date | None) -> str:
    if isinstance(issued, date):
        return issued.isoformat()
    return issued or date.today().isoformat()


def _refs(notes: tuple[int, ...]) -> str:
    return f" [{', '.join(str(n) for n in notes)}]" if notes else ""


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
    _ = translator(lang)
    facts = _guide_facts(G, as_of, lang)
    title, meta = _header(facts, data_as_of, _issued(issued), _)
    out = [f"# {title}", "", f"*{meta}*", ""]
    for section in _sections(_):
        out += [f"{'#' * section.level} {section.heading}", ""]
        for i, paragraph in enumerate(section.paragraphs):
            last = i == len(section.paragraphs) - 1
            out += [paragraph + (_refs(section.notes) if last else ""), ""]
        for i, item in enumerate(section.items, start=1):
            out.append(f"{i}. {item}" if section.numbered else f"- {item}")
        if section.items:
            out.append("")
    out += [f"## {_(_DATA_HEAD)}", ""]
    out += [f"- {md_escape(line)}" for line in _data_lines(facts, _)]
    out += ["", f"## {_('Sources')}", ""]
    out += [f"{i}. {md_escape(s)}" for i, s in enumerate(GUIDE_SOURCES, start=1)] + [""]
    return "\n".join(out)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


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
    _ = translator(lang)
    facts = _guide_facts(G, as_of, lang)
    title, meta = _header(facts, data_as_of, _issued(issued), _)
    body = [f"<h1>{_e(title)}</h1>", f'<p class="meta">{_e(meta)}</p>']
    for section in _sections(_):
        tag = f"h{section.level}"
        body.append(f"<{tag}>{_e(section.heading)}</{tag}>")
        for i, paragraph in enumerate(section.paragraphs):
            last = i == len(section.paragraphs) - 1
            refs = _refs(section.notes).strip() if last else ""
            sup = f' <sup class="ref">{_e(refs)}</sup>' if refs else ""
            body.append(f"<p>{_e(paragraph)}{sup}</p>")
        if section.items:
            list_tag = "ol" if section.numbered else "ul"
            body.append(f"<{list_tag}>")
            body += [f"<li>{_e(item)}</li>" for item in section.items]
            body.append(f"</{list_tag}>")
    body += [f"<h2>{_e(_(_DATA_HEAD))}</h2>", "<ul>"]
    body += [f"<li>{_e(line)}</li>" for line in _data_lines(facts, _)]
    body += ["</ul>", f"<h2>{_e(_('Sources'))}</h2>", '<ol class="sources">']
    body += [f"<li>{_e(s)}</li>" for s in GUIDE_SOURCES] + ["</ol>"]
    return page(title, body, lang=lang)
