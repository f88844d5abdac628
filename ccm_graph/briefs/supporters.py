"""Who supported a State, once each, for a hand-out: the support table (every donor or
supporter on one row, the largest amount first, "and N more" when cut), the operators that
worked there, and the source notes of the very rows behind each claim."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..analysis import CCM_CONVENTIONS, GraphIndex
from ..i18n import Translate, voice, word
from ..wording import format_usd_in, say
from ._notes import SourceNotes

__all__ = [
    "SUPPORT_ROWS",
    "Supporter",
    "funding_notes",
    "operator_lines",
    "support_notes",
    "supporters",
]

SUPPORT_ROWS = 6
"""How many supporters a hand-out's table shows; the rest are named after it ("and N more")."""


@dataclass
class Supporter:
    """One actor's recorded funding and support for a State, summed over its rows: the total
    of the known amounts, the years, the conventions, what it did (``funds …``, ``technical
    support, Article 4``) and the rows behind it (``cites``: ``(from, to, type, match)``)."""

    actor: str
    usd: float | None = None
    years: set[int] = field(default_factory=set)
    conventions: set[str] = field(default_factory=set)
    what: list[str] = field(default_factory=list)
    cites: list[tuple[str, str, str, dict[str, Any]]] = field(default_factory=list)
    gives_money: bool = False
    """Whether any of its rows is funding (``FUNDS`` or financial support): only then is a
    missing amount "not recorded"; technical support has no amount to record."""

    def add(self, usd: float | None, year: int | None, convention: str | None, what: str,
            cite: tuple[str, str, str, dict[str, Any]]) -> None:  # fmt: skip
        if usd is not None:
            self.usd = (self.usd or 0.0) + usd
        if year is not None:
            self.years.add(year)
        if convention:
            self.conventions.add(convention)
        if what not in self.what:
            self.what.append(what)
        self.cites.append(cite)


def _years(years: set[int]) -> str:
    if not years:
        return ""
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def _gathered(
    G: nx.MultiDiGraph, index: GraphIndex, state: str, name: Callable[[str], str],
    _: Translate, *, all_years: bool,
) -> dict[str, Supporter]:  # fmt: skip
    """Every funder and supporter of ``state`` (in the window, or in any year)."""
    found: dict[str, Supporter] = {}
    priced: set[tuple[str, int | None]] = set()  # (funder, year) with a FUNDS amount
    for fact in index.funding_to_state(state):
        if fact.funder == state or not (all_years or index.is_recent(fact.year)):
            continue  # a State funding its own work is no supporter
        if fact.amount_usd is not None:
            priced.add((fact.funder, fact.year))
        found.setdefault(fact.funder, Supporter(fact.funder)).add(
            fact.amount_usd, fact.year, fact.convention,
            _("funds {name}").format(name=name(fact.target)),
            (fact.funder, fact.target, "FUNDS", {"year": fact.year, "amount_usd": fact.amount_usd}),
        )  # fmt: skip
        found[fact.funder].gives_money = True
    for ob in index.obligations_of.get(state, []):
        for s in index.supports_in.get(ob, []):
            if s.actor == state or not (all_years or s.year is None or index.is_recent(s.year)):
                continue
            what = (
                _("{kind} support, Article {article}")
                .format(kind=word(s.kind, _) if s.kind else "", article=G.nodes[ob].get("article"))
                .strip()
            )
            cite = (s.actor, ob, "SUPPORTS", {"year": s.year})
            # the amount of a financial SUPPORTS row is the same money as that year's FUNDS
            # grant when there is one (as the support row counts it): never counted twice
            usd = None if (s.actor, s.year) in priced else s.amount_usd
            if usd is not None:
                priced.add((s.actor, s.year))
            found.setdefault(s.actor, Supporter(s.actor)).add(usd, s.year, s.convention, what, cite)
            if s.kind == "financial":
                found[s.actor].gives_money = True
    return found


def supporters(
    G: nx.MultiDiGraph, index: GraphIndex, state: str, notes: SourceNotes,
    name: Callable[[str], str], _: Translate, lang: str = "en", *, all_years: bool = False,
    limit: int = SUPPORT_ROWS,
) -> tuple[list[dict[str, Any]], list[str]]:  # fmt: skip
    """The support table of a hand-out and the names it leaves out.

    Each funder or supporter of ``state`` appears once — its grants summed (known amounts),
    its years as a span, what it did — the largest known amount first (then by name); in
    the funding window, or in every year (``all_years``: what worked). The first ``limit``
    rows are shown, each citing the sources of its own ``FUNDS`` and ``SUPPORTS`` rows (cited
    in the order shown); the second value names the rest, in the same order.
    """
    found = _gathered(G, index, state, name, _, all_years=all_years)
    ordered = sorted(found.values(), key=lambda s: (-(s.usd or 0.0), name(s.actor), s.actor))
    rows = []
    for supporter in ordered[:limit]:
        numbers: list[int] = []
        for u, v, kind, match in supporter.cites:
            numbers += [n for n in notes.edges(G, u, v, kind, **match) if n not in numbers]
        rows.append(
            {
                "who": name(supporter.actor),
                "what": "; ".join(supporter.what),
                "year": _years(supporter.years),
                "amount": format_usd_in(lang, supporter.usd, _("amount not recorded"))
                if supporter.gives_money or supporter.usd is not None
                else "",
                "convention": ", ".join(word(c, _) for c in sorted(supporter.conventions)),
                "ccm": bool(supporter.conventions & set(CCM_CONVENTIONS)),
                "notes": sorted(numbers),
            }
        )
    return rows, [name(s.actor) for s in ordered[limit:]]


def funding_notes(
    G: nx.MultiDiGraph, index: GraphIndex, state: str, notes: SourceNotes
) -> list[int]:
    """The notes of the ``FUNDS`` rows behind a State's funding in the window (the claim
    "Funding recorded in 2023–2026: USD …" rests on exactly these rows)."""
    numbers: list[int] = []
    for fact in index.funding_to_state(state):
        if index.is_recent(fact.year):
            match = {"year": fact.year, "amount_usd": fact.amount_usd}
            numbers += [n for n in notes.edges(G, fact.funder, fact.target, "FUNDS", **match)
                        if n not in numbers]  # fmt: skip
    return sorted(numbers)


def support_notes(
    G: nx.MultiDiGraph, index: GraphIndex, state: str, notes: SourceNotes
) -> list[int]:
    """The notes of the ``FUNDS`` and ``SUPPORTS`` rows in the window behind a claim about a
    State's support (a gap's "9 supporters and USD … recorded")."""
    numbers = funding_notes(G, index, state, notes)
    for ob in index.obligations_of.get(state, []):
        for s in index.supports_in.get(ob, []):
            if s.actor != state and (s.year is None or index.is_recent(s.year)):
                numbers += [n for n in notes.edges(G, s.actor, ob, "SUPPORTS", year=s.year)
                            if n not in numbers]  # fmt: skip
    return sorted(numbers)


def operator_lines(
    G: nx.MultiDiGraph, state: str, notes: SourceNotes, name: Callable[[str], str]
) -> list[tuple[str, str, list[int]]]:
    """The operators that worked in ``state`` in any year, as ``(name, years, notes)``: from
    their ``OPERATES_IN`` rows (``since``–``until``), each citing its own row."""
    lines = []
    for operator, _target, data in sorted(G.in_edges(state, data=True), key=lambda e: e[0]):
        if (
            data.get("type") != "OPERATES_IN"
            or G.nodes[operator].get("kind") == "national_authority"
        ):
            continue
        since, until = data.get("since") or "", data.get("until") or ""
        years = f"{since}–{until}" if since or until else ""
        lines.append((name(operator), years, notes.cite(data.get("source"))))
    return sorted(lines, key=lambda line: line[0])


def support_absence(index: GraphIndex, state: str, lang: str, *, all_years: bool) -> str:
    """The sentence a hand-out says when it has no support to list for ``state``, in
    ``lang``, against the years the funding data cover: over every year (``all_years``, what
    worked: "No funding or support recorded; the funding data for Chile cover 2012–2019."), or
    in the funding window ("No support recorded in 2023–2026; the funding data for Iraq run to
    2019: 2023–2026 not known."). Data that state no funding coverage get the sentence alone."""
    from ..analysis._coverage import funding_coverage_words, funding_unknown

    covered = funding_coverage_words(index, state)
    if all_years:
        phrase = (say("No funding or support recorded; {coverage}.", coverage=covered)
                  if covered is not None
                  else say("No funding or support recorded in any year."))  # fmt: skip
    else:
        first = index.as_of.year - index.window_years
        coverage = funding_unknown(index, state, first) or covered
        window = index.window_text()
        phrase = (say("No support recorded in {window}; {coverage}.", window=window,
                      coverage=coverage)
                  if coverage is not None
                  else say("No support recorded in {window}.", window=window))  # fmt: skip
    return phrase.render(voice(lang))
