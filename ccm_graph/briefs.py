"""Hand-outs: a one-to-two-page brief on a coalition (or a State), and the guideline on how to
start a Country Coalition.

:func:`coalition_brief` gathers the facts from the graph (no I/O); :func:`brief_markdown` and
:func:`brief_html` turn them into text. The HTML is one printable, offline page (print styles,
no script, no request to any host) with every data-derived string escaped and the map drawn
inline as SVG; the Markdown version gets the SVG map as a companion file
(:func:`write_brief`).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from .analysis import (
    CCM_CONVENTIONS,
    Gap,
    GraphIndex,
    PartnerRecommender,
    money,
    obligation_urgency,
    synergy_gaps,
)
from .errors import AnalysisError
from .files import write_atomically
from .graph import is_open_time_bound, simple_undirected
from .maps import node_style
from .names import NameIndex

__all__ = [
    "Brief",
    "brief_html",
    "brief_markdown",
    "coalition_brief",
    "guide_html",
    "guide_markdown",
    "map_svg",
    "md_escape",
    "write_brief",
]


def _colour(kind: str) -> str:
    """The fill colour of a kind of record: the same palette as the interactive maps."""
    return node_style(kind).color


@dataclass
class Brief:
    """Everything a coalition hand-out says, as plain data."""

    title: str
    subject: str
    state: str
    state_name: str
    as_of: str
    data_as_of: str | None
    command: str
    state_facts: list[tuple[str, str]]
    obligations: list[dict[str, Any]]
    members: list[dict[str, Any]]
    support: list[dict[str, Any]]
    gaps: list[Gap]
    partners: list[dict[str, Any]]
    next_steps: list[str]
    map_nodes: list[str] = field(default_factory=list)


def coalition_brief(
    G: nx.MultiDiGraph,
    target: str,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    top: int = 5,
    data_as_of: str | None = None,
    command: str = "",
) -> Brief:
    """Gather the facts of a hand-out for a coalition id, or a State id (a coalition to be).

    ``target`` may also be a name or an alias ("Chad", "Tchad"), case and accents ignored.

    :raises UnknownRecord: no coalition or State has that id, name or alias.
    :raises AnalysisError: the id is another kind of record.
    """
    index = GraphIndex.build(G, as_of=as_of, window_years=window_years)
    if target not in G:
        target = NameIndex.from_graph(G).resolve(target, what="coalition or State")
    data = G.nodes[target]
    if data.get("node_type") == "coalition":
        state, coalition = index.focus_of[target], target
        title = f"{data.get('name')}: Country Coalition brief"
    elif data.get("kind") == "state":
        state, coalition = target, None
        title = f"Towards a Country Coalition for {data.get('name')}"
    else:
        raise AnalysisError(f"{target!r} is neither a coalition nor a State")
    state_data = G.nodes[state]
    facts = [
        ("CCM status", _words(state_data.get("ccm_status"))),
        ("APMBC status", _words(state_data.get("apmbc_status"))),
        (
            "National authority",
            ", ".join(index.name(a) for a in sorted(index.authorities_of.get(state, ())))
            or "not recorded",
        ),
        (
            "Coalitions",
            ", ".join(
                f"{index.name(c)} ({G.nodes[c].get('status')})"
                for c in sorted(index.coalitions_of.get(state, []))
            )
            or "none",
        ),
    ]
    obligations = []
    for ob in sorted(index.obligations_of.get(state, [])):
        ob_data = G.nodes[ob]
        urgency = (
            obligation_urgency(ob_data.get("deadline"), ob_data.get("extensions"), index.as_of)[0]
            if is_open_time_bound(ob_data)
            else None
        )
        obligations.append(
            {
                "article": ob_data.get("article"),
                "status": ob_data.get("status"),
                "deadline": ob_data.get("deadline"),
                "original": ob_data.get("original_deadline"),
                "extensions": ob_data.get("extensions") or 0,
                "requested": ob_data.get("extension_requested"),
                "urgency": urgency,
            }
        )
    members = _members(G, index, coalition) if coalition else []
    support = _support(index, state)
    own = [coalition] if coalition else []
    subjects = {state, *own, *index.obligations_of.get(state, [])}
    gaps = [g for g in synergy_gaps(G, index=index) if subjects & set(g.subjects)][:top]
    partners = []
    if state_data.get("kind") == "state":
        recommender = PartnerRecommender.build(G, index=index)
        for rec in recommender.recommend(coalition or state, top=top):
            partners.append(
                {
                    "id": rec.candidate,
                    "name": rec.name,
                    "kind": rec.kind,
                    "score": rec.score,
                    "reasons": rec.reasons[:2],
                }
            )
    steps = list(dict.fromkeys(g.next_step for g in gaps))[:4]
    if partners:
        steps.append(
            f"Approach {partners[0]['name']}"
            + (f" and {partners[1]['name']}" if len(partners) > 1 else "")
            + " about joining (see the reasons above)."
        )
    steps.append(
        "Agree the roles and a meeting calendar; report progress at the next Meeting "
        "of States Parties."
    )
    around = {
        state,
        *own,
        *index.members.get(coalition or "", {}),
        *index.operators_in.get(state, ()),
        *index.authorities_of.get(state, ()),
        *(f.funder for f in index.funding_to_state(state) if index.is_recent(f.year)),
        *index.obligations_of.get(state, []),
    }
    return Brief(
        title=title,
        subject=target,
        state=state,
        state_name=index.name(state),
        as_of=index.as_of.isoformat(),
        data_as_of=data_as_of,
        command=command,
        state_facts=facts,
        obligations=obligations,
        members=members,
        support=support,
        gaps=gaps,
        partners=partners,
        next_steps=steps,
        map_nodes=sorted(around),
    )


def _words(value: Any) -> str:
    """An enum value for people: ``state_party`` → ``state party``."""
    return str(value).replace("_", " ") if value else "not recorded"


def _members(G: nx.MultiDiGraph, index: GraphIndex, coalition: str) -> list[dict[str, Any]]:
    """Everyone who is or was a member, with the role and, for past members, until when."""
    rows = []
    for actor, _, data in G.in_edges(coalition, data=True):
        if data.get("type") != "MEMBER_OF":
            continue
        role = _words(data.get("role") or "member")
        if data.get("until"):
            role += f" (until {data['until']})"
        rows.append(
            {
                "actor": actor,
                "name": index.name(actor),
                "kind": _words(index.kind(actor)),
                "role": role,
            }
        )
    return sorted(rows, key=lambda r: (r["role"], r["name"]))


def _support(index: GraphIndex, state: str) -> list[dict[str, Any]]:
    rows = []
    for fact in index.funding_to_state(state):
        if index.is_recent(fact.year):
            rows.append(
                {
                    "who": index.name(fact.funder),
                    "what": f"funds {index.name(fact.target)}",
                    "year": fact.year,
                    "amount": money(fact.amount_usd),
                    "convention": fact.convention or "not recorded",
                    "ccm": fact.convention in CCM_CONVENTIONS,
                }
            )
    for ob in index.obligations_of.get(state, []):
        for s in index.supports_in.get(ob, []):
            if s.year is None or index.is_recent(s.year):
                rows.append(
                    {
                        "who": index.name(s.actor),
                        "what": f"{s.kind or 'support'} support, Article "
                        f"{index.graph.nodes[ob].get('article')}",
                        "year": s.year,
                        "amount": money(s.amount_usd),
                        "convention": s.convention or "not recorded",
                        "ccm": s.convention in CCM_CONVENTIONS,
                    }
                )
    for operator in sorted(index.operators_in.get(state, ())):
        rows.append(
            {
                "who": index.name(operator),
                "what": "operates in the country",
                "year": None,
                "amount": "",
                "convention": "",
                "ccm": False,
            }
        )
    rows.sort(key=lambda r: (-int(r["year"] or 0), str(r["who"])))
    return rows[:10]


# --- map ----------------------------------------------------------------------------------------


def map_svg(
    G: nx.MultiDiGraph,
    nodes: Iterable[str],
    *,
    focus: str | None = None,
    width: int = 720,
    height: int = 440,
    seed: int = 42,
) -> str:
    """A static SVG picture of the records around a State: printable, no script, escaped.

    Positions come from a seeded spring layout, so the same data draws the same picture.
    """
    keep = [n for n in nodes if n in G]
    view = simple_undirected(G.subgraph(keep))
    if view.number_of_nodes() == 0:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="40"></svg>'
    positions = nx.spring_layout(view, seed=seed, k=1.5 / math.sqrt(view.number_of_nodes()))
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    margin = 60

    def place(node: str) -> tuple[float, float]:
        # labels run to the right of their dot: leave room for them on that side
        x, y = positions[node]
        return (
            margin / 2 + (x - min(xs)) / span_x * (width - margin / 2 - 190),
            margin / 2 + (y - min(ys)) / span_y * (height - 1.5 * margin),
        )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="Map of the records around the State">',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for u, v in sorted(view.edges()):
        (x1, y1), (x2, y2) = place(u), place(v)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            'stroke="#bbbbbb" stroke-width="1"/>'
        )
    for node in sorted(view.nodes):
        data = G.nodes[node]
        kind = data.get("kind") if data.get("node_type") == "actor" else data.get("node_type")
        colour = _colour(str(kind))
        x, y = place(node)
        radius = 11 if node == focus else 7
        label = str(data.get("label", node))
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}">'
            f"<title>{html.escape(label)}</title></circle>"
        )
        parts.append(
            f'<text x="{x + radius + 3:.1f}" y="{y + 4:.1f}" font-size="10" '
            f'font-family="sans-serif">{html.escape(short)}</text>'
        )
    kinds = sorted(
        {
            str(
                G.nodes[n].get("kind")
                if G.nodes[n].get("node_type") == "actor"
                else G.nodes[n].get("node_type")
            )
            for n in view.nodes
        }
    )
    for i, kind in enumerate(kinds):
        y = height - 14
        x = 10 + i * 100
        parts.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{_colour(kind)}"/>')
        parts.append(
            f'<text x="{x + 14}" y="{y}" font-size="10" font-family="sans-serif">'
            f"{html.escape(kind.replace('_', ' '))}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


# --- Markdown -------------------------------------------------------------------------------


def md_escape(text: Any) -> str:
    """Neutralise Markdown and HTML in a data-derived string for a Markdown document."""
    value = "" if text is None else str(text)
    value = html.escape(value, quote=False).replace("|", "\\|").replace("\n", " ")
    for char in "*_`[]#":
        value = value.replace(char, "\\" + char)
    return value


def _obligation_line(ob: dict[str, Any]) -> list[str]:
    urgency = "" if ob["urgency"] is None else f"{ob['urgency']:.2f}"
    return [
        f"Article {ob['article']}",
        str(ob["status"]),
        str(ob["deadline"] or ""),
        str(ob["original"] or ""),
        str(ob["extensions"]),
        str(ob["requested"] or ""),
        urgency,
    ]


_OB_HEAD = [
    "Obligation",
    "Status",
    "Deadline",
    "First deadline",
    "Extensions",
    "Latest request",
    "Urgency",
]


def brief_markdown(brief: Brief, *, map_file: str | None = None) -> str:
    """The brief as Markdown; ``map_file`` is the companion SVG's file name, if any."""
    out = [f"# {md_escape(brief.title)}", ""]
    provenance = f"As of {brief.as_of}"
    if brief.data_as_of:
        provenance += f"; data as of {brief.data_as_of}"
    out += [f"*{provenance}. Made with `{brief.command or 'ccm-graph brief'}`.*", ""]
    out += [f"## {md_escape(brief.state_name)}", ""]
    out += [f"- **{label}:** {md_escape(value)}" for label, value in brief.state_facts] + [""]
    if brief.obligations:
        out += ["| " + " | ".join(_OB_HEAD) + " |", "|" + "---|" * len(_OB_HEAD)]
        out += [
            "| " + " | ".join(md_escape(c) for c in _obligation_line(ob)) + " |"
            for ob in brief.obligations
        ]
        out.append("")
    out += ["## Members and roles", ""]
    if brief.members:
        out += [
            f"- {md_escape(m['name'])} ({md_escape(m['kind'])}): **{md_escape(m['role'])}**"
            for m in brief.members
        ]
    else:
        out.append("No coalition members recorded yet.")
    out += ["", "## Support recorded", ""]
    if brief.support:
        out += ["| Who | What | Year | Amount | Convention |", "|---|---|---|---|---|"]
        out += [
            f"| {md_escape(s['who'])} | {md_escape(s['what'])} | {md_escape(s['year'] or '')} | "
            f"{md_escape(s['amount'])} | {md_escape(s['convention'])} |"
            for s in brief.support
        ]
    else:
        out.append("No support recorded in the funding window.")
    out += ["", "## Gaps found", ""]
    if brief.gaps:
        for gap in brief.gaps:
            out.append(f"- **{gap.level}** ({gap.severity:.2f}) {md_escape(gap.summary)}")
            out += [f"  - {md_escape(fact)}" for fact in gap.evidence[:3]]
    else:
        out.append("No gap found in the data.")
    out += ["", "## Partners to approach", ""]
    if brief.partners:
        for i, p in enumerate(brief.partners, start=1):
            out.append(
                f"{i}. **{md_escape(p['name'])}** ({md_escape(p['kind'])}, "
                f"score {p['score']:.2f}): " + "; ".join(md_escape(r) for r in p["reasons"])
            )
    else:
        out.append("No candidate found in the data.")
    out += ["", "## Map", ""]
    out.append(
        f"![Map of the records around {md_escape(brief.state_name)}]({map_file})"
        if map_file
        else "(no map)"
    )
    out += ["", "## Next steps", ""]
    out += [f"{i}. {md_escape(step)}" for i, step in enumerate(brief.next_steps, start=1)]
    out += [
        "",
        "---",
        "Facts come from the ccm-graph data; each has its source in the seed "
        "files. Records marked restricted are left out unless the brief was made with "
        "--include-restricted.",
        "",
    ]
    return "\n".join(out)


# --- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48rem; margin: 2rem auto;
       color: #111; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem;
border-bottom: 1px solid #ccc; } table { border-collapse: collapse; width: 100%;
font-size: .85rem; } th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: left;
vertical-align: top; } .meta { color: #555; font-size: .85rem; } .level-high { color: #b00; }
.level-medium { color: #b60; } .restricted { border: 2px solid #b00; padding: .4rem;
color: #b00; } ul, ol { margin-top: .2rem; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; }
  table, li, svg { break-inside: avoid; } @page { size: A4; margin: 16mm; } }
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _page(title: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def brief_html(brief: Brief, *, svg: str | None = None, restricted: bool = False) -> str:
    """The brief as one printable, offline HTML page; ``svg`` is the map drawn inline."""
    body = [f"<h1>{_e(brief.title)}</h1>"]
    provenance = f"As of {brief.as_of}"
    if brief.data_as_of:
        provenance += f"; data as of {brief.data_as_of}"
    body.append(
        f'<p class="meta">{_e(provenance)}. Made with '
        f"<code>{_e(brief.command or 'ccm-graph brief')}</code>.</p>"
    )
    if restricted:
        body.append(
            '<p class="restricted">This hand-out includes records marked restricted. '
            "Do not share it beyond the people cleared to see them.</p>"
        )
    body.append(f"<h2>{_e(brief.state_name)}</h2><ul>")
    body += [f"<li><strong>{_e(k)}:</strong> {_e(v)}</li>" for k, v in brief.state_facts]
    body.append("</ul>")
    if brief.obligations:
        body.append("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in _OB_HEAD) + "</tr>")
        body += [
            "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in _obligation_line(ob)) + "</tr>"
            for ob in brief.obligations
        ]
        body.append("</table>")
    body.append("<h2>Members and roles</h2>")
    if brief.members:
        body.append(
            "<ul>"
            + "".join(
                f"<li>{_e(m['name'])} ({_e(m['kind'])}): <strong>{_e(m['role'])}</strong></li>"
                for m in brief.members
            )
            + "</ul>"
        )
    else:
        body.append("<p>No coalition members recorded yet.</p>")
    body.append("<h2>Support recorded</h2>")
    if brief.support:
        body.append(
            "<table><tr><th>Who</th><th>What</th><th>Year</th><th>Amount</th>"
            "<th>Convention</th></tr>"
        )
        body += [
            f"<tr><td>{_e(s['who'])}</td><td>{_e(s['what'])}</td><td>{_e(s['year'])}</td>"
            f"<td>{_e(s['amount'])}</td><td>{_e(s['convention'])}</td></tr>"
            for s in brief.support
        ]
        body.append("</table>")
    else:
        body.append("<p>No support recorded in the funding window.</p>")
    body.append("<h2>Gaps found</h2>")
    if brief.gaps:
        body.append("<ul>")
        for gap in brief.gaps:
            facts = "".join(f"<li>{_e(f)}</li>" for f in gap.evidence[:3])
            body.append(
                f'<li><strong class="level-{_e(gap.level)}">{_e(gap.level)}</strong> '
                f"({gap.severity:.2f}) {_e(gap.summary)}<ul>{facts}</ul></li>"
            )
        body.append("</ul>")
    else:
        body.append("<p>No gap found in the data.</p>")
    body.append("<h2>Partners to approach</h2>")
    if brief.partners:
        body.append(
            "<ol>"
            + "".join(
                f"<li><strong>{_e(p['name'])}</strong> ({_e(p['kind'])}, score {p['score']:.2f}): "
                f"{_e('; '.join(p['reasons']))}</li>"
                for p in brief.partners
            )
            + "</ol>"
        )
    else:
        body.append("<p>No candidate found in the data.</p>")
    body.append("<h2>Map</h2>")
    body.append(svg or "<p>(no map)</p>")
    body.append("<h2>Next steps</h2><ol>")
    body += [f"<li>{_e(step)}</li>" for step in brief.next_steps]
    body.append("</ol>")
    body.append(
        '<p class="meta">Facts come from the ccm-graph data; each has its source in '
        "the seed files.</p>"
    )
    return _page(brief.title, body)


def write_brief(
    G: nx.MultiDiGraph, brief: Brief, out: Path, *, restricted: bool = False
) -> list[Path]:
    """Write the brief as ``.md`` (plus a companion ``.map.svg``) or ``.html`` (map inline).

    :returns: the files written.
    :raises ValueError: another suffix.
    """
    svg = map_svg(G, brief.map_nodes, focus=brief.state)
    suffix = out.suffix.lower()
    if suffix == ".html":
        write_atomically(out, brief_html(brief, svg=svg, restricted=restricted))
        return [out]
    if suffix == ".md":
        companion = out.with_suffix(".map.svg")
        write_atomically(companion, svg + "\n")
        text = brief_markdown(brief, map_file=companion.name)
        if restricted:
            text = (
                "> **This hand-out includes records marked restricted.** Do not share it "
                "beyond the people cleared to see them.\n\n"
            ) + text
        write_atomically(out, text)
        return [out, companion]
    raise ValueError(f"{out.name}: write the brief to a .md or .html file")


# --- the guideline --------------------------------------------------------------------------


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
        "mine action in general, MASG members, donors active in the region. "
        "`ccm-graph recommend STATE` ranks candidates with the evidence for each.",
    ),
    (
        "Agree roles",
        "A working coalition usually has a lead partner State, one or more funders, the "
        "operators clearing on the ground, the national authority, and a technical partner. "
        "`ccm-graph gaps` shows which of these a coalition still lacks.",
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
            + ", ".join(f"{esc(name)} ({urgency:.2f})" for urgency, name, _ in facts["without"])
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
    return _page("How to start a Country Coalition", body)
