"""Absences said against coverage: what the funding data cannot tell about a State's years.

A year inside a recipient's coverage window (``metadata.json``, :mod:`ccm_graph.coverage`)
without a ``FUNDS`` row had no funding recorded in that source; a year outside it is not
known. :func:`funding_unknown` says which of the years an output speaks of are not known, so
that "no funding recorded in 2023–2026" is followed by "the funding data for Iraq run to 2019:
2023–2026 not known" instead of standing alone. Data that state no funding coverage at all
(no ``coverage.funding``) get nothing added: their outputs read as before.
"""

from __future__ import annotations

from ..coverage import Coverage, YearWindow
from ..wording import Phrase, say, year_window
from ._index import GraphIndex

__all__ = ["covers_after", "funding_coverage_of", "funding_coverage_words", "funding_span_words",
           "funding_unknown"]  # fmt: skip


def _coverage(index: GraphIndex) -> Coverage:
    found = index.graph.graph.get("coverage")
    return found if isinstance(found, Coverage) else Coverage()


def funding_coverage_of(index: GraphIndex, state: str) -> YearWindow | None:
    """The years the funding data cover for ``state`` (``None``: not stated)."""
    return _coverage(index).funding_window(state)


def funding_coverage_words(index: GraphIndex, state: str) -> Phrase | None:
    """The years the funding data cover for ``state``, in words (``the funding data for Iraq
    cover 2014–2019``; ``the years the funding data cover for Chile are not stated``);
    ``None`` when the data state no funding coverage at all."""
    coverage = _coverage(index)
    if coverage.funding is None:
        return None
    window = coverage.funding_window(state)
    if window is None or window.first is None or window.last is None:
        return say("the years the funding data cover for {state} are not stated",
                   state=index.said(state))  # fmt: skip
    return say("the funding data for {state} cover {years}", state=index.said(state),
               years=year_window(window.first, window.last))  # fmt: skip


def funding_span_words(index: GraphIndex) -> Phrase | None:
    """The widest span of the funding data, for a sentence about many States (``the funding
    data cover at most 2012–2023``): the sources' years, or else the recipients'; ``None``
    when the data state no funding coverage, or no years for it."""
    coverage = _coverage(index)
    if coverage.funding is None:
        return None
    spans = [(s.first, s.last) for s in coverage.funding.sources] or [
        (w.first, w.last) for _r, w in coverage.funding.recipients
    ]
    firsts = [f for f, _l in spans if f is not None]
    lasts = [last for _f, last in spans if last is not None]
    if not firsts or not lasts:
        return None
    return say("the funding data cover at most {years}",
               years=year_window(min(firsts), max(lasts)))  # fmt: skip


def funding_unknown(
    index: GraphIndex, state: str, first: int, last: int | None = None
) -> Phrase | None:
    """Which of the years ``first``–``last`` (default: the as-of year) the funding data do not
    cover for ``state``, in words; ``None`` when they cover them all, or when the data state no
    funding coverage at all.

    ``the funding data for Iraq run to 2019: 2023–2026 not known``; ``the years the funding
    data cover for Chile are not stated`` for a State missing from a stated coverage.
    """
    coverage = _coverage(index)
    if coverage.funding is None:
        return None
    last = index.as_of.year if last is None else last
    window = coverage.funding_window(state)
    if window is None or window.first is None or window.last is None:
        return say("the years the funding data cover for {state} are not stated",
                   state=index.said(state))  # fmt: skip
    if window.last < last:
        start = max(first, window.last + 1)
        return say("the funding data for {state} run to {year}: {years} not known",
                   state=index.said(state), year=window.last,
                   years=year_window(start, last))  # fmt: skip
    if window.first > first:
        return say("the funding data for {state} start in {year}: {years} not known",
                   state=index.said(state), year=window.first,
                   years=year_window(first, min(last, window.first - 1)))  # fmt: skip
    return None


def covers_after(index: GraphIndex, state: str, year: int) -> bool | None:
    """Whether the funding data cover ``state`` in at least one year after ``year`` (so
    "nothing recorded since" is a fact for those years); ``None`` when the data state no
    funding coverage at all (the caller then speaks as before)."""
    coverage = _coverage(index)
    if coverage.funding is None:
        return None
    window = coverage.funding_window(state)
    if window is None or window.last is None:
        return False
    return window.last > year
