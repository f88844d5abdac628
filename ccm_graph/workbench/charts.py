"""Charts drawn on the server as SVG: no script, no external file, readable by screen readers.

A chart carries a ``<title>`` (its one-sentence summary) and ``role="img"``; the page shows the
same numbers as a table under a ``<details>``. Every data-derived string is escaped here.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from markupsafe import Markup

from ..analysis.funding import FundingSeries

__all__ = ["PALETTE", "stacked_bars"]

PALETTE = ("#1b6ca8", "#e07b00", "#2e8b57", "#b8336a", "#6a4c93", "#8c6d1f", "#0f7f86", "#555")
"""Colours of the first parties; the rest are stacked as one grey "others" band."""

_WIDTH, _HEIGHT, _LEFT, _BOTTOM, _TOP = 640, 260, 90, 30, 12


def stacked_bars(
    series: FundingSeries, *, title: str, others: str, money: Callable[[float], str]
) -> Markup:
    """One bar per year, stacked by party (the largest seven, then ``others``), with a legend.

    :param title: the chart's summary, read out by screen readers and shown on hover.
    :param others: the word for the parties beyond the seventh.
    :param money: an amount as the page's language writes it (the axis's top label).
    """
    shown = list(series.parties[: len(PALETTE) - 1])
    rest = [p for p in series.parties if p not in shown]
    bands: list[tuple[str, str, Callable[[int], float]]] = [
        (series.names[p], PALETTE[i], lambda y, p=p: series.amounts.get((p, y), 0.0))  # type: ignore[misc]
        for i, p in enumerate(shown)
    ]
    if rest:
        bands.append((others, PALETTE[-1],
                      lambda y: sum(series.amounts.get((p, y), 0.0) for p in rest)))  # fmt: skip
    top = max((series.year_total(y) for y in series.years), default=0.0) or 1.0
    plot_h = _HEIGHT - _BOTTOM - _TOP
    step = (_WIDTH - _LEFT - 10) / max(len(series.years), 1)
    legend_h = 18 * len(bands) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT + legend_h}" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_HEIGHT - _BOTTOM}" stroke="#333"/>',
        f'<text x="{_LEFT - 6}" y="{_TOP + 10}" text-anchor="end" font-size="11">'
        f"{escape(money(top))}</text>",
        f'<text x="{_LEFT - 6}" y="{_HEIGHT - _BOTTOM}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, year in enumerate(series.years):
        x, base = _LEFT + i * step + step * 0.15, float(_HEIGHT - _BOTTOM)
        for _name, colour, amount in bands:
            h = amount(year) / top * plot_h
            if h > 0:
                base -= h
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{step * 0.7:.1f}" '
                             f'height="{h:.1f}" fill="{colour}"/>')  # fmt: skip
        parts.append(f'<text x="{x + step * 0.35:.1f}" y="{_HEIGHT - _BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11">{year}</text>')  # fmt: skip
    for i, (name, colour, _amount) in enumerate(bands):
        y = _HEIGHT + 4 + 18 * i
        parts.append(f'<rect x="{_LEFT}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{_LEFT + 18}" y="{y + 11}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
