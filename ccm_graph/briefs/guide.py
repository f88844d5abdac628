"""The guideline on starting a Country Coalition, with what the data shows."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import networkx as nx

from ..analysis import GraphIndex, obligation_urgency
from .render import md_escape, page

__all__ = ["guide_html", "guide_markdown"]


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _guide_facts(G: nx.MultiDiGraph, as_of: str | date | None) -> dict[str, Any]:
    index = GraphIndex.build(G, as_of=as_of)
    affected = index.affected_states()
    with_live = [s for s in affected if index.live_coalitions(s)]
    coalitions = sorted(index.focus_of)
    roles: dict[str, int] = {}
    for members in index.members.values():
        for role in members.values():
            roles[role] = roles.get(role, 0) + 1
    without = []
    for state in affected:
        if index.live_coalitions(state):
            continue
        urgency = max(
            obligation_urgency(
                G.nodes[o].get("deadline"), G.nodes[o].get("extensions"), index.as_of
            )[0]
            for o in index.open_obligations(state)
        )
        without.append((urgency, index.name(state), state))
    without.sort(reverse=True)
    return {
        "as_of": index.as_of.isoformat(),
        "affected": len(affected),
        "with_live": len(with_live),
        "coalitions": [(index.name(c), G.nodes[c].get("status")) for c in coalitions],
        "roles": sorted(roles.items(), key=lambda kv: (-kv[1], kv[0])),
        "without": without[:10],
    }


_GUIDE_STEPS = [
    (
        "The affected State takes the lead",
        "A Country Coalition is built around one State Party with time-bound obligations — "
        "stockpile destruction (Article 3) or clearance (Article 4). The State decides to start "
        "one, names a focal point (usually its national mine action authority) and states its "
        "needs: what is left to do, by when, and what it costs.",
    ),
    (
        "Start from the plan and the deadline",
        "Use the Article 4 work plan or the extension request as the common basis. An extension "
        "request is the moment to show how resources will be mobilised: ask the Survey and "
        "Clearance Coordinators to look at it together with the Article 6 Coordinators.",
    ),
    (
        "Map the partners",
        "List who already helps (donors, operators working in the country, international "
        "bodies) and who could: States funding the country under the Ottawa Convention or for "
        "mine action in general, MASG members, donors active in the region.",
    ),
    (
        "Agree roles",
        "A working coalition usually has a lead partner State, one or more funders, the "
        "operators clearing on the ground, the national authority, and a technical partner.",
    ),
    (
        "Meet regularly and keep it light",
        "A short meeting in the capital or in Geneva, at a rhythm the State chooses, is enough: "
        "progress against the plan, funding in sight, obstacles, next steps.",
    ),
    (
        "Report and learn",
        "Report progress at the Meetings of States Parties and in the Article 7 reports; share "
        "what worked with other States that consider a coalition.",
    ),
]

_GUIDE_BACKGROUND = (
    "The Country Coalition concept was introduced by Germany as President of the Seventh "
    "Meeting of States Parties (2017) as a country-specific approach to meeting Article 3 and "
    "4 obligations; it was presented at regional seminars (Bangkok and Rakitje, 2017) and "
    "discussed with 16 States Parties at an ISU round table in Geneva (13 March 2019), where "
    "two States Parties shared how such partnerships had helped them progress."
)
_GUIDE_SOURCES = [
    "clusterconvention.org: 'Round table discussion on promoting the establishment of Country "
    "Coalitions' (2019)",
    "clusterconvention.org: 'South East Europe regional seminar on the Country Coalition "
    "Concept' (RACVIAC, 2017)",
    "Cluster Munition Coalition: 'Country Coalition Workshop on Implementation of the "
    "Convention on Cluster Munitions' (Bangkok, 2017)",
]


def guide_markdown(G: nx.MultiDiGraph, *, as_of: str | date | None = None) -> str:
    """The guideline on starting a Country Coalition, with what the data shows, in Markdown."""
    facts = _guide_facts(G, as_of)
    out = [
        "# How to start a Country Coalition",
        "",
        f"*A hand-out of the Article 6 Coordinators' work plan. Data as of {facts['as_of']}.*",
        "",
        "## Why",
        "",
        _GUIDE_BACKGROUND,
        "",
        "## Steps",
        "",
    ]
    for i, (head, text) in enumerate(_GUIDE_STEPS, start=1):
        out += [f"{i}. **{head}.** {text}"]
    out += ["", "## What the data shows", ""]
    out += _guide_data_lines(facts, md_escape)
    out += ["", "## Sources", ""] + [f"- {s}" for s in _GUIDE_SOURCES] + [""]
    return "\n".join(out)


def _guide_data_lines(facts: dict[str, Any], esc: Any) -> list[str]:
    lines = [
        f"- {facts['affected']} States Parties have an open Article 3 or 4 obligation; "
        f"{facts['with_live']} of them have a proposed, forming or active coalition."
    ]
    if facts["coalitions"]:
        lines.append(
            "- Coalitions recorded: "
            + "; ".join(f"{esc(name)} ({esc(status)})" for name, status in facts["coalitions"])
            + "."
        )
    if facts["roles"]:
        lines.append(
            "- Roles members hold in them: "
            + ", ".join(f"{esc(role)} ({n})" for role, n in facts["roles"])
            + "."
        )
    if facts["without"]:
        lines.append(
            "- Without a coalition, most urgent first: "
            + ", ".join(esc(name) for _, name, _ in facts["without"])
            + "."
        )
    return lines


def guide_html(G: nx.MultiDiGraph, *, as_of: str | date | None = None) -> str:
    """The guideline as one printable, offline HTML page."""
    facts = _guide_facts(G, as_of)
    body = [
        "<h1>How to start a Country Coalition</h1>",
        f'<p class="meta">A hand-out of the Article 6 Coordinators\' work plan. Data as of '
        f"{_e(facts['as_of'])}.</p>",
        "<h2>Why</h2>",
        f"<p>{_e(_GUIDE_BACKGROUND)}</p>",
        "<h2>Steps</h2>",
        "<ol>",
    ]
    body += [f"<li><strong>{_e(head)}.</strong> {_e(text)}</li>" for head, text in _GUIDE_STEPS]
    body += ["</ol>", "<h2>What the data shows</h2>", "<ul>"]
    body += [f"<li>{line[2:]}</li>" for line in _guide_data_lines(facts, _e)]
    body += ["</ul>", "<h2>Sources</h2>", "<ul>"]
    body += [f"<li>{_e(s)}</li>" for s in _GUIDE_SOURCES] + ["</ul>"]
    return page("How to start a Country Coalition", body)
