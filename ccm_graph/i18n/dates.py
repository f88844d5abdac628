"""Dates as each language writes them in prose: ``1 August 2030``, ``1er août 2030``,
``1 de agosto de 2030``."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["BABEL_LOCALES", "ISO_DATE", "format_date", "iso_date"]

BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}
"""The Babel locale of each language: British English writes the day first, as the
Convention's documents do."""

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""A full date as the data stores it (``2030-08-01``)."""


def iso_date(value: object) -> date | None:
    """``value`` as a date when it is one (a :class:`~datetime.date` or a full ISO date
    string such as ``2030-08-01``), else ``None``.

    >>> iso_date("2030-08-01"), iso_date("2030-08"), iso_date("LAO")
    (datetime.date(2030, 8, 1), None, None)
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def format_date(value: date | str, lang: str = "en", *, style: str = "long") -> str:
    """A date as a sentence in ``lang`` writes it (Babel's CLDR formats).

    ``style`` is a Babel format (``long``: the month in words; ``medium``, ``short``, or a
    pattern such as ``d MMMM y``). French writes the first of the month ``1er``.

    >>> format_date("2030-08-01", "fr"), format_date("2030-08-01", "es")
    ('1er août 2030', '1 de agosto de 2030')
    >>> format_date("2030-08-01", "en"), format_date("2026-10-15", "fr")
    ('1 August 2030', '15 octobre 2026')

    :raises ValueError: ``value`` is not a date, or ``lang`` not a known language.
    """
    from babel.dates import format_date as babel_format_date

    day = iso_date(value)
    if day is None:
        raise ValueError(f"not a date: {value!r}")
    if lang not in BABEL_LOCALES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(BABEL_LOCALES)}")
    text = babel_format_date(day, format=style, locale=BABEL_LOCALES[lang])
    if lang == "fr" and day.day == 1 and text.startswith("1 "):
        text = "1er " + text[2:]
    return text
