"""How ccm-graph words facts for people, in one place: money, articles, date windows.

Every table, report, map card and hand-out that shows one of these facts uses these functions,
so the same fact reads the same everywhere.
"""

from __future__ import annotations

from .schema import ARTICLE_NAMES

__all__ = ["article_title", "format_usd", "provenance_mark", "year_window"]


def format_usd(amount: float | None) -> str:
    """A US dollar amount for people; an unknown amount says so (never shown as 0).

    >>> format_usd(1500000), format_usd(12500.5), format_usd(None)
    ('USD 1,500,000', 'USD 12,500.50', 'amount not recorded')
    """
    if amount is None:
        return "amount not recorded"
    if amount % 1:
        return f"USD {amount:,.2f}"
    return f"USD {amount:,.0f}"


def article_title(article: int) -> str:
    """``Article 4 (clearance)``.

    >>> article_title(3)
    'Article 3 (stockpile destruction)'
    """
    name = ARTICLE_NAMES.get(article)
    return f"Article {article} ({name})" if name else f"Article {article}"


def year_window(first: int, last: int) -> str:
    """A span of years as people write it: ``2023–2026``, or ``2026`` for one year.

    >>> year_window(2023, 2026), year_window(2026, 2026)
    ('2023–2026', '2026')
    """
    return str(first) if first == last else f"{first}–{last}"


PROVENANCE_MARKS = ("indicative", "synthetic", "unconfirmed")
"""Words that open a record's ``source`` when the fact is not firm (see docs/data-model.md)."""


def provenance_mark(source: object) -> str | None:
    """``indicative``, ``synthetic`` or ``unconfirmed`` when a record's source says so first.

    Outputs add the word next to the fact, so a figure the data itself marks as indicative is
    never shown as firm.

    >>> provenance_mark("indicative: the-monitor.org FAQ (2019)"), provenance_mark("MAR 2025")
    ('indicative', None)
    """
    text = str(source or "").strip().lower()
    return next((mark for mark in PROVENANCE_MARKS if text.startswith(mark)), None)
