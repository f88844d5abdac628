"""The brief as Markdown and as one printable, offline HTML page, and the files written.

:func:`brief_page` words a :class:`~ccm_graph.briefs.brief.Brief` in its language as a
:class:`BriefPage` (typed records of plain text); the templates ``brief.md.j2`` and
``brief.html.j2`` (:mod:`ccm_graph.templating`) lay it out and escape every value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from ..analysis.support import format_km2
from ..files import write_atomically
from ..i18n import N_, Translate, translations, translator, voice, word
from ..templating import md_escape, render
from ..wording import format_number_in, format_usd_in
from .brief import Brief
from .mapsvg import map_svg

__all__ = [
    "NEED_TEXT_LANGUAGE",
    "AnnexSection",
    "BriefPage",
    "GapLine",
    "Labelled",
    "MemberLine",
    "Noted",
    "PartnerLine",
    "TableRow",
    "brief_html",
    "brief_markdown",
    "brief_page",
    "md_escape",
    "standing_notice",
    "write_brief",
]


@dataclass(frozen=True)
class Noted:
    """A text and the numbers of the source notes it rests on; ``quote`` (in the language
    ``quote_lang``, then ``after``) is words quoted from a source as it gives them, marked as
    a quotation in that language: a need stated in English in a French hand-out."""

    text: str
    notes: tuple[int, ...] = ()
    quote: str = ""
    quote_lang: str = ""
    after: str = ""


@dataclass(frozen=True)
class Labelled:
    """A label and what follows it, each part with its source notes: ``CCM status: state
    party [1]``, or an ask line of several parts (``Estimated need: …; …``)."""

    label: str
    items: tuple[Noted, ...]

    @property
    def text(self) -> str:
        """The first part's text (a fact has one part)."""
        return self.items[0].text

    @property
    def notes(self) -> tuple[int, ...]:
        """The first part's notes."""
        return self.items[0].notes


@dataclass(frozen=True)
class TableRow:
    """A row of a table: its cells as text, and the source notes of the last column."""

    cells: tuple[str, ...]
    notes: tuple[int, ...]


@dataclass(frozen=True)
class MemberLine:
    """A coalition member: name, kind, every role held, source notes."""

    name: str
    kind: str
    role: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class GapLine:
    """A gap for States: its level (``high`` …, for the style) and the level's word, the
    summary, its notes and at most three lines of evidence."""

    level: str
    level_word: str
    summary: str
    notes: tuple[int, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class PartnerLine:
    """A partner to approach: name, kind, the reasons (one text) and source notes."""

    name: str
    kind: str
    reasons: str
    notes: tuple[int, ...]


@dataclass(frozen=True)
class AnnexSection:
    """A section of the analyst annex: heading and lines; ``code`` for the command."""

    heading: str
    lines: tuple[str, ...]
    code: bool = False


@dataclass(frozen=True)
class BriefPage:
    """A brief as its templates show it: every text already in the brief's language, data
    not yet escaped (the templates escape it). ``glance`` and ``ask`` are empty when the brief
    has no support row or no ask; ``svg`` (HTML) and ``map_file`` (Markdown) are the map."""

    lang: str
    title: str
    data_as_of: str | None
    issued: str
    as_of: str
    colon: str
    restricted: bool
    annex: bool
    state_name: str
    facts: tuple[Labelled, ...]
    obligations: tuple[TableRow, ...]
    glance: tuple[tuple[str, str], ...]
    ask: tuple[Labelled, ...]
    members: tuple[MemberLine, ...]
    support: tuple[TableRow, ...]
    gaps: tuple[GapLine, ...]
    partners: tuple[PartnerLine, ...]
    map_title: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]
    annex_sections: tuple[AnnexSection, ...]
    svg: Markup | None = None
    map_file: str | None = None
    pitch: bool = True
    """Whether the hand-out pitches a Country Coalition (partners to approach)."""
    worked: bool = False
    """Whether it is a what-worked account (all obligations completed, coalition concluded)."""
    notice: str = ""
    """What the hand-out does not propose, and why, said first (empty when it pitches)."""
    support_more: str = ""
    """The supporters the table leaves out: "and 3 more: …" (empty when none is)."""
    operators: tuple[Labelled, ...] = ()
    """What worked: the operators that worked in the State, with their years."""
    support_absence: str = ""
    """What the page says when it lists no support, against the funding data's years."""


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


_QUOTE = "\x00"
"""Where a quoted need text goes in its sentence (split out into :class:`Noted`'s quote)."""


def _noted(text: str, notes: list[int], quote: str | None, lang: str) -> Noted:
    """A line of the ask; a need's own words (``quote``) in the line, quoted as words of the
    source's language when the hand-out is in another."""
    if not quote or _QUOTE not in text:
        return Noted(text, tuple(notes))
    if lang == NEED_TEXT_LANGUAGE:
        return Noted(text.replace(_QUOTE, quote), tuple(notes))
    before, _sep, after = text.partition(_QUOTE)
    return Noted(before, tuple(notes), quote, NEED_TEXT_LANGUAGE, after)


NEED_TEXT_LANGUAGE = "en"
"""The language the data's need texts are written in (as the sources state them)."""


def _ask_lines(brief: Brief, _: Translate) -> list[tuple[str, list[Noted]]]:
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
        remaining = [Noted(_marked(text, ask.remaining_mark, _), tuple(ask.remaining_notes))]
    else:
        remaining = [Noted(_("No figure for remaining contamination is recorded."))]
    needs = []
    for need in ask.needs:
        article = _("Article {number}").format(number=need.article)
        if need.usd is not None and need.text:
            text = _("{article}: {amount}, {what} (estimate for {year})").format(
                article=article,
                amount=format_usd_in(brief.lang, need.usd),
                what=_QUOTE,
                year=need.year,
            )
        elif need.usd is not None:
            text = _("{article}: {amount} (estimate for {year})").format(
                article=article, amount=format_usd_in(brief.lang, need.usd), year=need.year
            )
        else:
            text = _("{article}: {what} (as stated in {year})").format(
                article=article, what=_QUOTE, year=need.year
            )
        needs.append(_noted(_marked(text, need.mark, _), need.notes, need.text, brief.lang))
    if not needs:
        needs = [Noted(_("No estimate of the need or funding gap is recorded."))]
    contacts = [Noted(who, tuple(notes)) for who, notes in ask.contacts] or [
        Noted(_("No national authority is recorded."))
    ]
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
        lines.append((label, [Noted(funding, tuple(ask.funding_notes))]))
    return lines


def _obligation_cells(ob: dict[str, Any], _: Translate) -> list[str]:
    """An obligation's row of the table; a fact without quoted evidence says
    ``; indicative`` (its source is in the row's notes otherwise)."""
    marks = ob.get("marks", {})

    def fact(key: str) -> str:
        return _marked(str(ob[key] or ""), marks.get(key), _) if ob[key] else ""

    requested = fact("requested")
    if ob.get("requested_deadline"):
        # the request in view: the deadline it asks for, and that the data hold no decision
        requested = _(
            "{requested} (to {requested_deadline}; decision not recorded in the data)"
        ).format(requested=requested, requested_deadline=ob["requested_deadline"])
    return [
        _("Article {number}").format(number=ob["article"]),
        word(ob["status"], _) if ob["status"] else "",
        fact("deadline"),
        fact("original"),
        str(ob["extensions"]),
        requested,
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


def brief_page(
    brief: Brief,
    *,
    restricted: bool = False,
    annex: bool = False,
    svg: str | None = None,
    map_file: str | None = None,
) -> BriefPage:
    """The brief worded for its templates in ``brief.lang``; ``svg`` is the map drawn inline
    (HTML), ``map_file`` the companion SVG's file name (Markdown)."""
    _ = translator(brief.lang)
    return BriefPage(
        lang=brief.lang,
        title=brief.title,
        data_as_of=brief.data_as_of,
        issued=brief.issued,
        as_of=brief.as_of,
        colon=_colon(brief),
        restricted=restricted,
        annex=annex,
        state_name=brief.state_name,
        facts=tuple(Labelled(k, (Noted(v, tuple(n)),)) for k, v, n in brief.state_facts),
        obligations=tuple(
            TableRow(tuple(_obligation_cells(ob, _)), tuple(ob["notes"]))
            for ob in brief.obligations
        ),
        glance=tuple(_glance(brief, _)) if brief.support_row is not None else (),
        ask=tuple(Labelled(label, tuple(items)) for label, items in _ask_lines(brief, _))
        if brief.ask is not None
        else (),
        members=tuple(
            MemberLine(m["name"], m["kind"], m["role"], tuple(m["notes"])) for m in brief.members
        ),
        support=tuple(TableRow(tuple(_support_cells(s)), tuple(s["notes"])) for s in brief.support),
        gaps=tuple(
            GapLine(g.level, word(g.level, _), t.summary, tuple(n), tuple(t.evidence))
            for g, n, t in zip(brief.gaps, brief.gap_notes, brief.gap_texts, strict=True)
        ),
        partners=tuple(
            PartnerLine(p["name"], p["kind"], "; ".join(p["reasons"]), tuple(p["notes"]))
            for p in brief.partners
        ),
        map_title=_map_title(brief, _),
        next_steps=tuple(brief.next_steps),
        sources=tuple(brief.sources),
        annex_sections=tuple(
            AnnexSection(head, tuple(lines), code=i == 0)
            for i, (head, lines) in enumerate(_annex_lines(brief, _))
        ),
        svg=Markup(svg) if svg else None,
        map_file=map_file,
        pitch=brief.standing == "open",
        worked=brief.standing in ("completed", "concluded"),
        notice=_notice(brief, _),
        support_more=_more(brief, _),
        support_absence=brief.support_absence,
        operators=tuple(
            Labelled(who, (Noted(years, tuple(notes)),))
            for who, years, notes in brief.operators_worked
        ),
    )


_NOTICES = {
    "withdrawn": N_(
        "{name} has withdrawn from the Convention on Cluster Munitions. A Country Coalition "
        "supports a State Party's obligations under the Convention: this hand-out proposes "
        "none. It sets out what the data records about {name}."
    ),
    "signatory": N_(
        "{name} has signed but not ratified the Convention on Cluster Munitions. A Country "
        "Coalition supports a State Party's obligations, so this hand-out proposes none. What "
        "the Convention asks of {name} is to ratify it (universalization); as a State Party it "
        "would then destroy any stockpiles (Article 3) and clear any contaminated areas "
        "(Article 4) within the Convention's deadlines."
    ),
    "not_party": N_(
        "{name} has not joined the Convention on Cluster Munitions. A Country Coalition "
        "supports a State Party's obligations, so this hand-out proposes none. What the "
        "Convention asks of {name} is to accede to it (universalization); as a State Party it "
        "would then destroy any stockpiles (Article 3) and clear any contaminated areas "
        "(Article 4) within the Convention's deadlines."
    ),
    "no_obligation": N_(
        "The data records no Article 3 or Article 4 obligation of {name}: there is no "
        "Country Coalition need, and this hand-out proposes no partners."
    ),
    "completed": N_(
        "Every Article 3 and Article 4 obligation of {name} is recorded as completed. This "
        "hand-out says what worked (who funded, operated and supported, and when) for States "
        "Parties that still have work to do; it proposes no partners."
    ),
    "concluded": N_(
        "{name} is concluded. This hand-out says what worked (who funded, operated and "
        "supported, and when) for States Parties that still have work to do; it proposes no "
        "partners."
    ),
}
"""What a hand-out that pitches no coalition says first, by standing (a signatory's own)."""


def standing_notice(
    standing: str, name: str, lang: str = "en", ccm_status: str | None = None
) -> str:
    """What a page about ``name`` says first when it pitches no coalition (``standing`` from
    :func:`~ccm_graph.analysis.coalition_standing`; ``name`` the coalition's for
    ``concluded``, else the State's), in ``lang``; empty when it pitches one (``open``)."""
    if standing not in _NOTICES:
        return ""
    key = "signatory" if standing == "not_party" and ccm_status == "signatory" else standing
    return translator(lang)(_NOTICES[key]).format(name=name)


def _notice(brief: Brief, _: Translate) -> str:
    """The first paragraph of a hand-out that pitches no coalition; empty when it pitches."""
    name = brief.subject_name if brief.standing == "concluded" else brief.state_name
    return standing_notice(brief.standing, name, brief.lang, brief.ccm_status)


def _more(brief: Brief, _: Translate) -> str:
    """ "and 3 more: A, B, C." after a cut support table."""
    if not brief.support_more:
        return ""
    ngettext = translations(brief.lang).ngettext
    count = len(brief.support_more)
    return ngettext("and {count} more: {names}.", "and {count} more: {names}.", count).format(
        count=count, names=", ".join(brief.support_more)
    )


def brief_markdown(
    brief: Brief, *, map_file: str | None = None, annex: bool = False, restricted: bool = False
) -> str:
    """The brief as Markdown; ``map_file`` is the companion SVG's file name, if any.

    The body holds facts with source notes, no scores and no commands; ``annex`` adds the
    analyst annex (scores, the command that made the brief). Fixed text is in ``brief.lang``.
    """
    page = brief_page(brief, restricted=restricted, annex=annex, map_file=map_file)
    return render("brief.md.j2", page=page, lang=brief.lang)


def _map_title(brief: Brief, _: Translate) -> str:
    return _("Map of the records around {name}").format(name=brief.state_name)


def brief_html(
    brief: Brief, *, svg: str | None = None, restricted: bool = False, annex: bool = False
) -> str:
    """The brief as one printable, offline HTML page; ``svg`` is the map drawn inline.

    The body holds facts with source notes, no scores and no commands; ``annex`` adds the
    analyst annex (scores, the command that made the brief) on a page of its own. Fixed text
    is in ``brief.lang``.
    """
    page = brief_page(brief, restricted=restricted, annex=annex, svg=svg)
    return render("brief.html.j2", page=page, lang=brief.lang)


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
