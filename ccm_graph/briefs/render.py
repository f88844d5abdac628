"""The brief as Markdown and as one printable, offline HTML page, and the files written."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import networkx as nx

from ..analysis.support import format_km2
from ..files import write_atomically
from ..i18n import N_, Translate, translator, voice, word
from ..wording import format_number_in, format_usd_in
from .brief import Brief
from .mapsvg import map_svg

__all__ = ["brief_html", "brief_markdown", "md_escape", "page", "write_brief"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_escape(text: Any) -> str:
    """Neutralise Markdown and HTML in a data-derived string for a Markdown document.

    Markup characters get a backslash (CommonMark shows them as typed); nothing becomes an
    HTML entity, so ``&`` stays ``&`` — only an ``&`` that would start an entity is escaped.

    >>> md_escape("Humanity & Inclusion <b>*HI*</b>")
    'Humanity & Inclusion \\\\<b\\\\>\\\\*HI\\\\*\\\\</b\\\\>'
    """
    value = "" if text is None else str(text)
    value = " ".join(value.replace("\r", " ").split("\n"))
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return _ENTITY.sub(r"\\&", value)


def _refs(notes: list[int]) -> str:
    """Note references as text: `` [1, 3]`` (empty when there are none)."""
    return f" [{', '.join(str(n) for n in notes)}]" if notes else ""


def _dated(brief: Brief, _: Translate) -> str:
    text = _("Data as of {date}.").format(
        date=brief.data_as_of or _("a date not stated in the data")
    )
    text += " " + _("Issued on {date}.").format(date=brief.issued)
    if brief.as_of != brief.issued:
        text += " " + _("Deadlines counted from {date}.").format(date=brief.as_of)
    return text


_OB_HEAD = [N_("Obligation"), N_("Status"), N_("Deadline"), N_("First deadline"),
            N_("Extensions"), N_("Latest request"), N_("Sources")]  # fmt: skip
_SUPPORT_HEAD = [N_("Who"), N_("What"), N_("Year"), N_("Amount"), N_("Convention"),
                 N_("Sources")]  # fmt: skip
_RESTRICTED = N_(
    "This hand-out includes records marked restricted. Do not share it beyond the people "
    "cleared to see them."
)
_GLANCE_KEYS = {
    "State": N_("State"),
    "Article": N_("Article"),
    "Deadline": N_("Deadline"),
    "Status": N_("Status"),
    "Latest extension request": N_("Latest extension request"),
    "Supporters": N_("Supporters"),
    "Funding": N_("Funding"),
    "Last support recorded": N_("Last support recorded"),
    "Operators present": N_("Operators present"),
    "Coalition": N_("Coalition"),
    "Assistance requested": N_("Assistance requested"),
}


def _support_cells_in(brief: Brief) -> dict[str, str]:
    """The State's support row worded in the hand-out's language, keyed by the support
    table's English headings (``Funding 2023–2026`` …), records named as in the hand-out."""
    assert brief.support_row is not None
    if brief.lang == "en":
        return brief.support_row.cells()
    return brief.support_row.cells(voice(brief.lang), lambda n: brief.names.get(n, n))


def _glance(brief: Brief, _: Translate) -> list[tuple[str, str]]:
    """The State's support row as (heading, cell) in the hand-out's language: the support
    table's cells worded in that language, records named as in the rest of the hand-out."""
    rows = []
    for key, value in _support_cells_in(brief).items():
        head, _sep, window = key.partition(" ")
        if key in _GLANCE_KEYS:
            label = _(_GLANCE_KEYS[key])
        elif head in _GLANCE_KEYS and window[:1].isdigit():
            label = f"{_(_GLANCE_KEYS[head])} {window}"
        else:
            label = key
        if key.startswith("State"):
            value = f"{brief.state_name} ({brief.state})"
        rows.append((label, value))
    return rows


_REMAINING_KINDS = {
    "confirmed": N_("confirmed hazardous area"),
    "suspected": N_("suspected hazardous area"),
    "confirmed_and_suspected": N_("confirmed and suspected hazardous area"),
}


def _colon(brief: Brief) -> str:
    """The colon after a label: French puts a no-break space before it."""
    return "\u00a0:" if brief.lang == "fr" else ":"


def _marked(text: str, mark: str | None, _: Translate) -> str:
    return _("{text}; {mark}").format(text=text, mark=word(mark, _)) if mark else text


def _ask_lines(brief: Brief, _: Translate) -> list[tuple[str, list[tuple[str, list[int]]]]]:
    """The ask as (label, [(line, notes)]): remaining contamination, estimated need, whom to
    contact, funding recorded; one honest line where nothing is recorded."""
    ask = brief.ask
    assert ask is not None
    if ask.remaining is not None:
        r = ask.remaining
        area = format_number_in(brief.lang, format_km2(r.km2))
        if r.kind:
            text = _("{area} km² of {kind} (figure for {year})").format(
                area=area, kind=_(_REMAINING_KINDS[r.kind]), year=r.year
            )
        else:
            text = _("{area} km² (figure for {year})").format(area=area, year=r.year)
        remaining = [(_marked(text, ask.remaining_mark, _), ask.remaining_notes)]
    else:
        remaining = [(_("No figure for remaining contamination is recorded."), [])]
    needs = []
    for need in ask.needs:
        article = _("Article {number}").format(number=need.article)
        if need.usd is not None and need.text:
            text = _("{article}: {amount}, {what} (estimate for {year})").format(
                article=article,
                amount=format_usd_in(brief.lang, need.usd),
                what=need.text,
                year=need.year,
            )
        elif need.usd is not None:
            text = _("{article}: {amount} (estimate for {year})").format(
                article=article, amount=format_usd_in(brief.lang, need.usd), year=need.year
            )
        else:
            text = _("{article}: {what} (as stated in {year})").format(
                article=article, what=need.text, year=need.year
            )
        needs.append((_marked(text, need.mark, _), need.notes))
    if not needs:
        needs = [(_("No estimate of the need or funding gap is recorded."), [])]
    contacts = list(ask.contacts) or [(_("No national authority is recorded."), [])]
    lines = [
        (_("Remaining contamination"), remaining),
        (_("Estimated need"), needs),
        (_("Whom to contact"), contacts),
    ]
    if ask.funding is not None:
        # the same words as the support row's funding cell ("Where things stand")
        cells = _support_cells_in(brief) if brief.support_row is not None else {}
        funding = next((v for k, v in cells.items() if k.startswith("Funding")), ask.funding)
        label = _("Funding recorded in {window}").format(window=ask.window)
        lines.append((label, [(funding, [])]))
    return lines


def _obligation_cells(ob: dict[str, Any], _: Translate) -> list[str]:
    return [
        _("Article {number}").format(number=ob["article"]),
        word(ob["status"], _) if ob["status"] else "",
        str(ob["deadline"] or ""),
        str(ob["original"] or ""),
        str(ob["extensions"]),
        str(ob["requested"] or ""),
    ]


def _support_cells(s: dict[str, Any]) -> list[str]:
    return [str(s["who"]), str(s["what"]), str(s["year"] or ""), str(s["amount"]),
            str(s["convention"])]  # fmt: skip


_MADE_WITH = N_("Made with")


def _annex_lines(brief: Brief, _: Translate) -> list[tuple[str, list[str]]]:
    """The analyst annex as (heading, lines) of plain text: scores and the command."""
    sections: list[tuple[str, list[str]]] = [
        (_(_MADE_WITH), [brief.command or "ccm-graph brief"]),
    ]
    urgencies = [
        _("Article {number}: urgency {urgency}").format(
            number=ob["article"], urgency=f"{ob['urgency']:.2f}"
        )
        for ob in brief.obligations
        if ob["urgency"] is not None
    ]
    if urgencies:
        sections.append((_("Obligation urgency (0 = none, 1 = act now)"), urgencies))
    if brief.gaps:
        sections.append(
            (
                _("Gap severity (0 to 1)"),
                [
                    f"{g.severity:.2f} {word(g.level, _)}: {t.summary}"
                    for g, t in zip(brief.gaps, brief.gap_texts, strict=True)
                ]
                + [f for t in brief.gap_texts for f in t.scores],
            )
        )
    if brief.partners:
        sections.append(
            (_("Partner scores"), [f"{p['score']:.2f} {p['name']}" for p in brief.partners])
        )
    return sections


def brief_markdown(
    brief: Brief, *, map_file: str | None = None, annex: bool = False, restricted: bool = False
) -> str:
    """The brief as Markdown; ``map_file`` is the companion SVG's file name, if any.

    The body holds facts with source notes, no scores and no commands; ``annex`` adds the
    analyst annex (scores, the command that made the brief). Fixed text is in ``brief.lang``.
    """
    _ = translator(brief.lang)
    out = [f"# {md_escape(brief.title)}", "", f"*{md_escape(_dated(brief, _))}*", ""]
    if restricted:
        out += [f"> **{_(_RESTRICTED)}**", ""]
    out += [f"## {md_escape(brief.state_name)}", ""]
    out += [
        f"- **{label}{_colon(brief)}** {md_escape(value)}{_refs(notes)}"
        for label, value, notes in brief.state_facts
    ] + [""]
    if brief.obligations:
        heads = [_(h) for h in _OB_HEAD]
        out += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        out += [
            "| " + " | ".join(md_escape(c) for c in _obligation_cells(ob, _))
            + f" | {_refs(ob['notes']).strip()} |"
            for ob in brief.obligations
        ]  # fmt: skip
        out.append("")
    if brief.support_row is not None:
        out += [f"## {_('Where things stand')}", "", "| | |", "|---|---|"]
        out += [f"| {md_escape(k)} | {md_escape(v)} |" for k, v in _glance(brief, _)]
        out.append("")
    if brief.ask is not None:
        out += [f"## {_('The ask')}", ""]
        for label, items in _ask_lines(brief, _):
            shown = "; ".join(f"{md_escape(text)}{_refs(notes)}" for text, notes in items)
            out.append(f"- **{md_escape(label)}{_colon(brief)}** {shown}")
        out.append("")
    out += [f"## {_('Members and roles')}", ""]
    if brief.members:
        out += [
            f"- {md_escape(m['name'])} ({md_escape(m['kind'])}): **{md_escape(m['role'])}**"
            f"{_refs(m['notes'])}"
            for m in brief.members
        ]
    else:
        out.append(_("No coalition members recorded yet."))
    out += ["", f"## {_('Support recorded')}", ""]
    if brief.support:
        heads = [_(h) for h in _SUPPORT_HEAD]
        out += ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        out += [
            "| " + " | ".join(md_escape(c) for c in _support_cells(s))
            + f" | {_refs(s['notes']).strip()} |"
            for s in brief.support
        ]  # fmt: skip
    else:
        out.append(_("No support recorded in the funding window."))
    out += ["", f"## {_('Gaps found')}", ""]
    if brief.gaps:
        for gap, notes, text in zip(brief.gaps, brief.gap_notes, brief.gap_texts, strict=True):
            level = word(gap.level, _)
            out.append(f"- **{level}{_colon(brief)}** {md_escape(text.summary)}{_refs(notes)}")
            out += [f"  - {md_escape(fact)}" for fact in text.evidence]
    else:
        out.append(_("No gap found in the data."))
    out += ["", f"## {_('Partners to approach')}", ""]
    if brief.partners:
        for i, p in enumerate(brief.partners, start=1):
            out.append(
                f"{i}. **{md_escape(p['name'])}** ({md_escape(p['kind'])}): "
                + "; ".join(md_escape(r) for r in p["reasons"])
                + _refs(p["notes"])
            )
    else:
        out.append(_("No candidate found in the data."))
    out += ["", f"## {_('Map')}", ""]
    out.append(f"![{md_escape(_map_title(brief, _))}]({map_file})" if map_file else _("(no map)"))
    out += ["", f"## {_('Next steps')}", ""]
    out += [f"{i}. {md_escape(step)}" for i, step in enumerate(brief.next_steps, start=1)]
    out += ["", f"## {_('Sources')}", ""]
    out += [f"{i}. {md_escape(s)}" for i, s in enumerate(brief.sources, start=1)]
    if not brief.sources:
        out.append(_("No source recorded for these facts."))
    if not restricted:
        out += ["", f"*{_('Records marked restricted are left out of this hand-out.')}*"]
    if annex:
        out += ["", "---", "", f"## {_('Analyst annex')}", ""]
        for head, lines in _annex_lines(brief, _):
            out += [f"**{md_escape(head)}**", ""]
            out += [f"- {md_escape(line)}" for line in lines] + [""]
    out.append("")
    return "\n".join(out)


def _map_title(brief: Brief, _: Translate) -> str:
    return _("Map of the records around {name}").format(name=brief.state_name)


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48rem; margin: 2rem auto;
       color: #111; line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem;
border-bottom: 1px solid #ccc; } table { border-collapse: collapse; width: 100%;
font-size: .85rem; } th, td { border: 1px solid #ccc; padding: .2rem .4rem; text-align: left;
vertical-align: top; } .meta { color: #555; font-size: .85rem; } .level-high { color: #b00; }
.level-medium { color: #b60; } .restricted { border: 2px solid #b00; padding: .4rem;
color: #b00; } ul, ol { margin-top: .2rem; } sup.ref { color: #555; font-size: .7rem; }
.sources { font-size: .85rem; } .annex { border-top: 2px solid #999; margin-top: 2rem; }
table.glance th { width: 30%; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; } h2 { break-after: avoid; }
  table, li, svg { break-inside: avoid; } @page { size: A4; margin: 16mm; }
  .annex { break-before: page; } }
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def page(title: str, body: list[str], *, lang: str = "en") -> str:
    """One offline HTML page: no script, nothing requested from any host."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{html.escape(lang)}">',
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


def _sup(notes: list[int]) -> str:
    if not notes:
        return ""
    links = ", ".join(str(n) for n in notes)
    return f'<sup class="ref">[{links}]</sup>'


def brief_html(
    brief: Brief, *, svg: str | None = None, restricted: bool = False, annex: bool = False
) -> str:
    """The brief as one printable, offline HTML page; ``svg`` is the map drawn inline.

    The body holds facts with source notes, no scores and no commands; ``annex`` adds the
    analyst annex (scores, the command that made the brief) on a page of its own. Fixed text
    is in ``brief.lang``.
    """
    _ = translator(brief.lang)
    body = [f"<h1>{_e(brief.title)}</h1>", f'<p class="meta">{_e(_dated(brief, _))}</p>']
    if restricted:
        body.append(f'<p class="restricted">{_e(_(_RESTRICTED))}</p>')
    body.append(f"<h2>{_e(brief.state_name)}</h2><ul>")
    body += [
        f"<li><strong>{_e(k)}{_colon(brief)}</strong> {_e(v)}{_sup(n)}</li>"
        for k, v, n in brief.state_facts
    ]
    body.append("</ul>")
    if brief.obligations:
        body.append("<table><tr>" + "".join(f"<th>{_e(_(h))}</th>" for h in _OB_HEAD) + "</tr>")
        body += [
            "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in _obligation_cells(ob, _))
            + f"<td>{_sup(ob['notes'])}</td></tr>"
            for ob in brief.obligations
        ]  # fmt: skip
        body.append("</table>")
    if brief.support_row is not None:
        body.append(f'<h2>{_e(_("Where things stand"))}</h2><table class="glance">')
        body += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in _glance(brief, _)]
        body.append("</table>")
    if brief.ask is not None:
        body.append(f'<h2>{_e(_("The ask"))}</h2><ul class="ask">')
        for label, items in _ask_lines(brief, _):
            shown = "; ".join(f"{_e(text)}{_sup(notes)}" for text, notes in items)
            body.append(f"<li><strong>{_e(label)}{_colon(brief)}</strong> {shown}</li>")
        body.append("</ul>")
    body.append(f"<h2>{_e(_('Members and roles'))}</h2>")
    if brief.members:
        body.append(
            "<ul>"
            + "".join(
                f"<li>{_e(m['name'])} ({_e(m['kind'])}): <strong>{_e(m['role'])}</strong>"
                f"{_sup(m['notes'])}</li>"
                for m in brief.members
            )
            + "</ul>"
        )
    else:
        body.append(f"<p>{_e(_('No coalition members recorded yet.'))}</p>")
    body.append(f"<h2>{_e(_('Support recorded'))}</h2>")
    if brief.support:
        heads = "".join(f"<th>{_e(_(h))}</th>" for h in _SUPPORT_HEAD)
        body.append(f"<table><tr>{heads}</tr>")
        body += [
            "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in _support_cells(s))
            + f"<td>{_sup(s['notes'])}</td></tr>"
            for s in brief.support
        ]  # fmt: skip
        body.append("</table>")
    else:
        body.append(f"<p>{_e(_('No support recorded in the funding window.'))}</p>")
    body.append(f"<h2>{_e(_('Gaps found'))}</h2>")
    if brief.gaps:
        body.append("<ul>")
        for gap, notes, text in zip(brief.gaps, brief.gap_notes, brief.gap_texts, strict=True):
            facts = "".join(f"<li>{_e(f)}</li>" for f in text.evidence)
            body.append(
                f'<li><strong class="level-{_e(gap.level)}">{_e(word(gap.level, _))}{_colon(brief)}'
                f"</strong> "
                f"{_e(text.summary)}{_sup(notes)}<ul>{facts}</ul></li>"
            )
        body.append("</ul>")
    else:
        body.append(f"<p>{_e(_('No gap found in the data.'))}</p>")
    body.append(f"<h2>{_e(_('Partners to approach'))}</h2>")
    if brief.partners:
        body.append(
            "<ol>"
            + "".join(
                f"<li><strong>{_e(p['name'])}</strong> ({_e(p['kind'])}): "
                f"{_e('; '.join(p['reasons']))}{_sup(p['notes'])}</li>"
                for p in brief.partners
            )
            + "</ol>"
        )
    else:
        body.append(f"<p>{_e(_('No candidate found in the data.'))}</p>")
    body.append(f"<h2>{_e(_('Map'))}</h2>")
    body.append(svg or f"<p>{_e(_('(no map)'))}</p>")
    body.append(f"<h2>{_e(_('Next steps'))}</h2><ol>")
    body += [f"<li>{_e(step)}</li>" for step in brief.next_steps]
    body.append("</ol>")
    body.append(f'<h2>{_e(_("Sources"))}</h2><ol class="sources">')
    body += [f"<li>{_e(s)}</li>" for s in brief.sources]
    body.append("</ol>")
    if not brief.sources:
        body.append(f"<p>{_e(_('No source recorded for these facts.'))}</p>")
    if not restricted:
        left_out = _("Records marked restricted are left out of this hand-out.")
        body.append(f'<p class="meta">{_e(left_out)}</p>')
    if annex:
        body.append(f'<section class="annex"><h2>{_e(_("Analyst annex"))}</h2>')
        for i, (head, lines) in enumerate(_annex_lines(brief, _)):
            body.append(f"<h3>{_e(head)}</h3><ul>")
            body += [f"<li><code>{_e(x)}</code></li>" if i == 0 else f"<li>{_e(x)}</li>"
                     for x in lines]  # fmt: skip
            body.append("</ul>")
        body.append("</section>")
    return page(brief.title, body, lang=brief.lang)


def write_brief(
    G: nx.MultiDiGraph,
    brief: Brief,
    out: Path,
    *,
    restricted: bool = False,
    annex: bool = False,
) -> list[Path]:
    """Write the brief as ``.md`` (plus a companion ``.map.svg``) or ``.html`` (map inline).

    :returns: the files written.
    :raises ValueError: another suffix.
    """
    _ = translator(brief.lang)
    svg = map_svg(G, brief.map_nodes, focus=brief.state, roles=brief.roles,
                  title=_map_title(brief, _), names=brief.names,
                  kind_words=lambda kind: word(kind, _))  # fmt: skip
    suffix = out.suffix.lower()
    if suffix == ".html":
        write_atomically(out, brief_html(brief, svg=svg, restricted=restricted, annex=annex))
        return [out]
    if suffix == ".md":
        companion = out.with_suffix(".map.svg")
        write_atomically(companion, svg + "\n")
        text = brief_markdown(brief, map_file=companion.name, annex=annex, restricted=restricted)
        write_atomically(out, text)
        return [out, companion]
    raise ValueError(f"{out.name}: write the brief to a .md or .html file")
