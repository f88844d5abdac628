"""What each page shows, as plain records built from the library's analyses (no HTTP here).

Every function takes the :class:`~ccm_graph.workbench.analyses.Analyses` of the current reading
and the page's language, and returns the dataclass its template renders. Restricted records
are not in the reading, so nothing here can show one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ..analysis.funding import FundingSeries, funding_given, funding_received
from ..i18n import translator, voice, word
from ..matching import fold
from ..names import name_in
from .analyses import Analyses

if TYPE_CHECKING:
    from ..analysis import SupportRow
from .charts import stacked_bars

__all__ = [
    "SEARCH_LIMIT",
    "SORT_KEYS",
    "Chart",
    "GapLine",
    "Named",
    "SupportTable",
    "chart",
    "gap_lines",
    "named",
    "region_word",
    "search_matches",
    "support_table",
]


@dataclass(frozen=True)
class Named:
    """A record to link to: its id, name, kind (as a word) and the page it has."""

    id: str
    name: str
    kind: str
    path: str
    note: str = ""
    exact: bool = False
    """In a search: its id, name or alias is the text searched (case and accents ignored)."""

    def under(self, prefix: str) -> str:
        """The record's address under ``prefix`` (``/brief/``), its id percent-encoded."""
        return prefix + quote(self.id, safe="")


@dataclass(frozen=True)
class GapLine:
    """A gap finding as a page says it."""

    level: str
    level_word: str
    state: str | None
    summary: str
    evidence: list[str]
    next_step: str


@dataclass(frozen=True)
class Chart:
    """A chart and its numbers as a table (years as columns, one row per party)."""

    svg: Markup
    years: tuple[int, ...]
    rows: list[tuple[Named, list[str], str]]
    totals: list[str]
    unknown_amounts: int
    undated: int


SORT_KEYS: dict[str, Callable[[Any], Any]] = {
    "state": lambda r: fold(r.name),
    "article": lambda r: r.articles,
    "deadline": lambda r: r.deadline or "9999",
    "status": lambda r: r.status,
    "funding": lambda r: r.funding_usd if r.funding_usd is not None else -1.0,
    "last_support": lambda r: r.last_support_year or 0,
}
"""The support table's sortable columns (``?sort=``); without one, most urgent first."""


def named(a: Analyses, node: str, lang: str, note: str = "") -> Named:
    """``node`` as a link: States to their State page, coalitions to theirs, others to the
    actor page."""
    kind = a.kind(node) or ""
    path = {"state": "/state/", "coalition": "/coalition/"}.get(kind, "/actor/") + quote(
        node, safe=""
    )
    data = a.graph.nodes[node]
    name = name_in(lang, a.index.name(node), data.get("aliases"))
    return Named(node, name, word(kind, translator(lang)), path, note)


def region_word(value: str, lang: str) -> str:
    """A region as the maps name it, in ``lang`` (the value itself when it is not known)."""
    from ..maps import REGION_LABELS

    return translator(lang)(REGION_LABELS[value]) if value in REGION_LABELS else value


@dataclass(frozen=True)
class SupportTable:
    """The support table as filtered and sorted: its heads, rows (the State and the cells),
    the filters' choices and the current order."""

    heads: list[tuple[str | None, str]]
    rows: list[tuple[Named, list[str]]]
    regions: list[tuple[str, str]]
    total: int
    window: str


def support_table(
    a: Analyses, lang: str, *, region: str | None = None, article: str | None = None,
    status: str | None = None, sort: str | None = None, descending: bool = False,
) -> SupportTable:  # fmt: skip
    """The support rows filtered by region, article and status, sorted by a column."""
    _ = translator(lang)
    rows = filtered_rows(a, region=region, article=article, status=status)
    if sort in SORT_KEYS:
        rows = sorted(rows, key=SORT_KEYS[sort], reverse=descending)
    cells = a.kept(("support cells", lang), lambda: _support_cells(a, lang))
    body = [cells[r.state] for r in rows]
    window = a.support[0].window if a.support else a.index.window_text()
    heads = [("state", _("State")), ("article", _("Article")), ("deadline", _("Deadline")),
             ("status", _("Status")), (None, _("Latest extension request")),
             (None, _("Supporters {window}").format(window=window)),
             ("funding", _("Funding {window}").format(window=window)),
             ("last_support", _("Last support recorded")), (None, _("Operators present")),
             (None, _("Coalition")), (None, _("Assistance requested"))]  # fmt: skip
    regions = sorted({str(a.graph.nodes[r.state].get("region") or "") for r in a.support} - {""})
    choices = [(r, region_word(r, lang)) for r in regions]
    return SupportTable(heads, body, choices, len(a.support), window)


def _support_cells(a: Analyses, lang: str) -> dict[str, tuple[Named, list[str]]]:
    """Each support row's State and worded cells in ``lang`` (made once per reading)."""
    speaking = voice(lang)
    return {r.state: (named(a, r.state, lang), list(r.cells(speaking).values())[1:])
            for r in a.support}  # fmt: skip


def filtered_rows(
    a: Analyses, *, region: str | None, article: str | None, status: str | None
) -> list[SupportRow]:
    """The support rows of a region, an article and a status (each ``None``: all)."""
    return [
        r for r in a.support
        if (not region or a.graph.nodes[r.state].get("region") == region)
        and (not article or article in {str(x) for x in r.articles})
        and (not status or r.status == status)
    ]  # fmt: skip


ALL_LEVELS = ("high", "medium", "low", "info")


def gap_lines(
    a: Analyses, lang: str, *, state: str | None = None, levels: Sequence[str] = ALL_LEVELS
) -> list[GapLine]:
    """Gap findings in ``lang``: about ``state`` when given, else every State's; only the
    given levels, most severe first."""
    from ..briefs.brief import gap_text

    _ = translator(lang)
    found = [g for g in a.gaps if g.level in levels and (state is None or state in g.subjects)]
    lines = []
    for gap in found:
        text = gap_text(gap, lang)
        subject = gap.subjects[0] if gap.subjects else None
        level = word(gap.level, _)
        lines.append(GapLine(gap.level, level, subject, text.summary, text.evidence,
                             text.next_step))  # fmt: skip
    return lines


def chart(a: Analyses, series: FundingSeries, lang: str, title: str) -> Chart:
    """``series`` as an SVG stacked bar chart with its numbers as a table."""
    from ..templating import money

    _ = translator(lang)

    def amount(value: float) -> str:
        return money(value, lang)

    svg = stacked_bars(series, title=title, others=_("Others"), money=amount)
    missing = _("amount not recorded")

    def cell(cells: list[tuple[str, int]]) -> str:
        """The amounts of some (party, year) pairs: blank with no grant, never 0 for a grant
        whose amount is not recorded."""
        known = [c for c in cells if c in series.amounts and c not in series.unknown_cells]
        total = sum(series.amounts.get(c, 0.0) for c in cells)
        unknown = any(c in series.unknown_cells for c in cells)
        if not unknown:
            return amount(total) if known or total else ""
        return f"{amount(total)} + {missing}" if total else missing

    rows = [(named(a, p, lang), [cell([(p, y)]) for y in series.years],
             cell([(p, y) for y in series.years])) for p in series.parties]  # fmt: skip
    everything = [(p, y) for p in series.parties for y in series.years]
    totals = [cell([(p, y) for p in series.parties]) for y in series.years] + [cell(everything)]
    return Chart(svg, series.years, rows, totals, series.unknown_amounts, series.undated)


def received_chart(a: Analyses, state: str, lang: str) -> Chart | None:
    """The funding that reached ``state``, by donor and year; ``None`` when none is recorded."""
    series = funding_received(a.index, state)
    if series.empty:
        return None
    title = translator(lang)("Funding recorded for {name}, by year and donor").format(
        name=a.index.name(state))  # fmt: skip
    return chart(a, series, lang, title)


def given_chart(a: Analyses, actor: str, lang: str) -> Chart | None:
    """What ``actor`` gave, by recipient and year; ``None`` when it gave nothing recorded."""
    series = funding_given(a.index, actor)
    if series.empty:
        return None
    title = translator(lang)("Funding recorded from {name}, by year and recipient").format(
        name=a.index.name(actor))  # fmt: skip
    return chart(a, series, lang, title)


SEARCH_LIMIT = 100
"""At most this many matches are listed (the page says how many there are)."""


def search_matches(a: Analyses, text: str, lang: str) -> tuple[list[Named], int]:
    """States, actors and coalitions whose id, name or alias holds ``text`` (case and accents
    ignored), exact matches first, then by name: the first :data:`SEARCH_LIMIT`, and how many
    match in all."""
    wanted = fold(text.strip())
    if not wanted:
        return [], 0
    found = []
    for ident, texts in a.search_texts:
        if any(wanted in t for t in texts):
            found.append((wanted not in texts, fold(a.names.names[ident]), ident))
    listed = [replace(named(a, ident, lang), exact=not partial)
              for partial, _name, ident in sorted(found)[:SEARCH_LIMIT]]  # fmt: skip
    return listed, len(found)
