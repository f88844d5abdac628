"""Value rules: what a single cell may hold, for every column type of the schema.

One function per column type. Every door through which a value enters ccm-graph uses them: the
CSV reader (:func:`parse_cell` on the cell's text), :meth:`Store.load` for library callers and
:meth:`Store.read_dataset` (:func:`check_value` on typed values), and each write of the coalition
workflow. So a value accepted at one door is never refused, or crashes, at another: ``validate``
accepts nothing that ``load``, ``export``, the analyses or the maps cannot use.

The rules, in the user's terms:

- **ids** are normalised to Unicode NFC (so ``café`` typed on a Mac and on Windows is one id),
  and refuse control, invisible and formatting characters (zero-width spaces, bidi marks), line
  breaks, and more than :data:`MAX_ID_LENGTH` characters (longer keys cannot be indexed).
- **numbers** (years, counts, amounts, areas, articles) accept ASCII digits only (not ``²`` nor
  Arabic-Indic digits), and stay within what Neo4j stores exactly: 64-bit integers, amounts up
  to :data:`MAX_AMOUNT`.
- **dates** are ``YYYY-MM-DD`` in ASCII digits and must exist in the calendar; partial dates
  may stop at the year or month; ``when`` also takes a quarter ``YYYY-Qn``.
- **text** keeps its exact characters (tabs and line breaks included) but refuses other control
  characters, unpaired surrogates and more than :data:`MAX_TEXT_LENGTH` characters.
- **names** (of actors and coalitions, and aliases) are text on one line: no carriage return,
  line feed, tab or line separator, and no bidirectional control (U+202A–U+202E,
  U+2066–U+2069), which would make a name read differently on a terminal or a page than it is
  stored. Right-to-left scripts and the marks U+200E/U+200F are names as any other.
- **UTC times** (the coalition workflow's ``created``/``updated`` stamps, in
  ``neo4j-stamps.csv``) are ISO 8601 ``YYYY-MM-DDTHH:MM:SS+00:00`` (``Z`` for ``+00:00``, an
  optional fraction of a second), a real calendar time, in UTC; kept exactly as written.
- **lists** (aliases, languages, meetings) are ``;``-separated; each item is checked and the
  list is stored in its canonical form ``a;b;c``.

Every refusal raises :class:`ValueProblem` with one sentence that names the value and says what
is expected; callers add the file, line and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from .matching import suggest
from .schema import Column, ColumnType

__all__ = [
    "LIST_SEPARATOR",
    "MAX_AMOUNT",
    "MAX_AREA_KM2",
    "MAX_ID_LENGTH",
    "MAX_INTEGER",
    "MAX_TEXT_LENGTH",
    "ValueProblem",
    "check_value",
    "format_value",
    "normalise_id",
    "not_one_of",
    "parse_cell",
    "split_list",
]

MAX_ID_LENGTH = 200
"""Longest id, in characters. Neo4j's range index keys hold about 8 KB; 200 characters of any
script stay far below that, and no real id comes near."""

MAX_TEXT_LENGTH = 100_000
"""Longest text cell, in characters (a long description is about 2,000)."""

MAX_INTEGER = 2**63 - 1
"""Largest whole number Neo4j stores exactly (a signed 64-bit integer)."""

MAX_AMOUNT = 10**15
"""Largest amount in US dollars (a thousand trillion): above it, a typo is certain and
floating-point amounts stop being exact to the cent."""

MAX_AREA_KM2 = 20_000_000
"""Largest area in square kilometres: more than any State's whole territory, so a larger
figure is a typo (square metres or hectares typed as km²)."""

LIST_SEPARATOR = ";"

_ASCII_DIGITS = re.compile(r"[0-9]+")
_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
_QUARTER = re.compile(r"[0-9]{4}-Q[1-4]")
_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")
_ISO3 = re.compile(r"[A-Z]{3}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_MEETING = re.compile(r"[1-9][0-9]?(MSP|RC)")
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})"
)
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME_BREAK = re.compile("[\t\n\r\u2028\u2029]")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_PLAIN_ASCII_ID = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?")
_BAD_ID_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_YEARS = range(1900, 2101)


class ValueProblem(ValueError):
    """A value a column cannot hold; ``str()`` is one sentence for the user."""


# --- the one entry point per direction -----------------------------------------------------


def parse_cell(column: Column, text: str) -> Any:
    """The typed value of one cell's text, or ``None`` for a blank cell.

    Text columns keep their text exactly; other columns are stripped of surrounding spaces.

    :raises ValueProblem: the text is not a valid value of the column.

    >>> from ccm_graph.schema import Column, ColumnType
    >>> parse_cell(Column(ColumnType.YEAR), " 2024 ")
    2024
    >>> parse_cell(Column(ColumnType.AMOUNT), "1500000.50")
    1500000.5
    >>> parse_cell(Column(ColumnType.DATE), "٢٠٢٤-٠١-٠١")
    Traceback (most recent call last):
    ...
    ccm_graph.values.ValueProblem: '٢٠٢٤-٠١-٠١' is not a date in the form YYYY-MM-DD
    """
    kind = column.type
    if kind is ColumnType.TEXT:
        return _text(text) if text.strip() else None
    if kind is ColumnType.NAME:
        return _name(text) if text.strip() else None
    value = text.strip()
    if not value:
        return None
    if kind is ColumnType.YEAR:
        year = _whole_number(value, "a year (YYYY)")
        if year not in _YEARS or len(value) != 4:
            raise ValueProblem(f"{_show(value)} is not a year (YYYY, from 1900 to 2100)")
        return year
    if kind is ColumnType.COUNT:
        return _count(_whole_number(value, "a whole number"))
    if kind is ColumnType.ARTICLE:
        if value not in {str(choice) for choice in column.choices}:
            raise ValueProblem(not_one_of(value, column.choices))
        return int(value)
    if kind is ColumnType.AMOUNT:
        return _amount(_decimal(value, "an amount in US dollars", "currency signs"))
    if kind is ColumnType.AREA:
        return _area(_decimal(value, "an area in square kilometres", "units"))
    return check_value(column, value)


def _decimal(value: str, what: str, signs: str) -> int | float:
    """A cell of digits with optional decimals as a number: an integer when it is whole.

    >>> _decimal("12.0", "an area", "units"), _decimal("2.5", "an area", "units")
    (12, 2.5)
    """
    if not _AMOUNT.fullmatch(value):
        raise ValueProblem(
            f"{_show(value)} is not {what} (digits only, optional decimals with a point, "
            f"no separators or {signs})"
        )
    whole = value.partition(".")[0]
    if len(whole) > 30:  # beyond every limit (and int() refuses past 4,300 digits)
        raise ValueProblem(f"{_show(value)} is too large for {what} ({len(whole)} digits)")
    if "." not in value:
        return int(value)
    number = float(value)
    return int(number) if number.is_integer() else number


def check_value(column: Column, value: Any) -> Any:
    """Check (and normalise) a typed value, as a library caller or Neo4j gives it.

    ``None`` means blank. Whole numbers must be ``int`` (not ``bool``), amounts ``int`` or
    ``float``, everything else ``str``. Returns the value in canonical form (ids in NFC, lists
    as ``a;b``).

    :raises ValueProblem: the value is not valid for the column.

    >>> from ccm_graph.schema import Column, ColumnType
    >>> check_value(Column(ColumnType.ID), "cafe\u0301") == "caf\u00e9"
    True
    >>> check_value(Column(ColumnType.ID), "MAG\u200b")
    Traceback (most recent call last):
    ...
    ccm_graph.values.ValueProblem: 'MAG\\u200b' contains an invisible or control character (U+200B)
    """
    if value is None:
        return None
    # one function per column type, found in a dict: the chain of comparisons this replaces
    # was half of the value checks of a 110k-record load (docs/performance.md)
    return _CHECKS[column.type](column, value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem(f"{_show(value)} is not a whole number")
    return value


def _stripped(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueProblem(f"{_show(value)} is not text")
    return value.strip()


def _check_year(column: Column, value: Any) -> int:
    return _year(_whole(value))


def _check_count(column: Column, value: Any) -> int:
    return _count(_whole(value))


def _check_article(column: Column, value: Any) -> int:
    return int(_choice(_whole(value), column.choices))


def _check_amount(column: Column, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(f"{_show(value)} is not an amount in US dollars")
    return _amount(value)


def _check_area(column: Column, value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(f"{_show(value)} is not an area in square kilometres")
    return _area(value)


def _check_text(column: Column, value: Any) -> str | None:
    if not isinstance(value, str):
        raise ValueProblem(f"{_show(value)} is not text")
    return _text(value) if value.strip() else None


def _check_name(column: Column, value: Any) -> str | None:
    if not isinstance(value, str):
        raise ValueProblem(f"{_show(value)} is not text")
    return _name(value) if value.strip() else None


def _check_id(column: Column, value: Any) -> str | None:
    value = _stripped(value)
    return normalise_id(value) if value else None


def _check_enum(column: Column, value: Any) -> str | None:
    value = _stripped(value)
    return str(_choice(value, column.choices)) if value else None


def _check_iso3(column: Column, value: Any) -> str | None:
    value = _stripped(value)
    if value and not _ISO3.fullmatch(value):
        raise ValueProblem(
            f"{_show(value)} is not an ISO 3166 alpha-3 code (three capital letters)"
        )
    return value or None


def _check_date(column: Column, value: Any) -> str | None:
    value = _stripped(value)
    if value and not _valid_date(value, full=True):
        _refuse_year(value)
        raise ValueProblem(f"{_show(value)} is not a date in the form YYYY-MM-DD")
    return value or None


def _check_partial_date(column: Column, value: Any) -> str | None:
    value = _stripped(value)
    if value and not _valid_date(value, full=False):
        _refuse_year(value)
        raise ValueProblem(f"{_show(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value or None


def _check_when(column: Column, value: Any) -> str | None:
    text = _stripped(value)
    if not text:
        return None
    if (_QUARTER.fullmatch(text) and int(text[:4]) in _YEARS) or _valid_date(text, full=False):
        return text
    _refuse_year(text)
    raise ValueProblem(f"{_show(text)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)")


def _refuse_year(value: str) -> None:
    """A date or quarter well formed but in a year outside :data:`_YEARS` says so."""
    if (_PARTIAL_DATE.fullmatch(value) or _QUARTER.fullmatch(value)) and (
        int(value[:4]) not in _YEARS
    ):
        raise ValueProblem(
            f"{_show(value)} is outside the years ccm-graph takes (from {_YEARS[0]} to "
            f"{_YEARS[-1]})"
        )


def _check_timestamp(column: Column, value: Any) -> str | None:
    text = _stripped(value)
    if not text:
        return None
    found = _TIMESTAMP.fullmatch(text)
    if found is None or not _real_time(*(int(part) for part in found.groups()[:6])):
        raise ValueProblem(f"{_show(text)} is not a UTC time in the form YYYY-MM-DDTHH:MM:SS+00:00")
    if found.group(8) not in ("Z", "+00:00"):
        raise ValueProblem(f"{_show(text)} is not in UTC (it must end in +00:00 or Z)")
    return text


def _real_time(year: int, month: int, day: int, hour: int, minute: int, second: int) -> bool:
    if year not in _YEARS or hour > 23 or minute > 59 or second > 59:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _list_check(check_item: Callable[[str], str]) -> Callable[[Column, Any], str | None]:
    def check(column: Column, value: Any) -> str | None:
        value = _stripped(value)
        return _list(value, check_item) if value else None

    return check


def format_value(value: Any) -> str:
    """The canonical CSV text of a typed value (the inverse of :func:`parse_cell`).

    >>> format_value(1500000.0), format_value(0.5), format_value(None)
    ('1500000', '0.5', '')
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# --- ids -----------------------------------------------------------------------------------


def normalise_id(value: str) -> str:
    """An id in canonical form (NFC, no surrounding spaces), or :class:`ValueProblem`.

    >>> normalise_id("  coal-lao ")
    'coal-lao'
    >>> normalise_id("x" * 201)
    Traceback (most recent call last):
    ...
    ccm_graph.values.ValueProblem: an id of 201 characters is too long (at most 200)
    """
    value = value.strip()
    if _PLAIN_ASCII_ID.fullmatch(value) and len(value) <= MAX_ID_LENGTH:
        return value  # the common case, without the per-character Unicode checks
    value = unicodedata.normalize("NFC", value)
    if not value:
        raise ValueProblem("an id cannot be blank")
    if len(value) > MAX_ID_LENGTH:
        raise ValueProblem(
            f"an id of {len(value):,} characters is too long (at most {MAX_ID_LENGTH})"
        )
    for char in value:
        if unicodedata.category(char) in _BAD_ID_CATEGORIES or (char.isspace() and char != " "):
            raise ValueProblem(
                f"{_show(value)} contains an invisible or control character (U+{ord(char):04X})"
            )
    return value


# --- lists ---------------------------------------------------------------------------------


def split_list(value: str | None) -> list[str]:
    """The items of a ``;``-separated list cell (aliases, languages, meetings).

    >>> split_list("Laos; fr:Laos ;") , split_list(None)
    (['Laos', 'fr:Laos'], [])
    """
    if not value:
        return []
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def _list(value: str, check_item: Any) -> str | None:
    items = [check_item(item) for item in split_list(value)]
    return LIST_SEPARATOR.join(items) or None


def _alias(item: str) -> str:
    text = _name(unicodedata.normalize("NFC", item))
    if ":" in text[:3] and not _LANGUAGE.fullmatch(text.split(":", 1)[0]):
        raise ValueProblem(
            f"{_show(text)}: a language prefix is two lower-case letters, like 'fr:Tchad'"
        )
    return text


def _language(item: str) -> str:
    if not _LANGUAGE.fullmatch(item):
        raise ValueProblem(
            f"{_show(item)} is not a two-letter language code (ISO 639-1, like 'fr')"
        )
    return item


def _meeting(item: str) -> str:
    if not _MEETING.fullmatch(item):
        raise ValueProblem(f"{_show(item)} is not a meeting code (like '11MSP' or '2RC')")
    return item


# --- numbers, text, dates ------------------------------------------------------------------


def _whole_number(value: str, what: str) -> int:
    if not _ASCII_DIGITS.fullmatch(value):
        hint = " (write it with the digits 0-9)" if value.isdigit() else ""
        raise ValueProblem(f"{_show(value)} is not {what}{hint}")
    if len(value) > 19:
        raise ValueProblem(f"{_show(value)} is too large (at most {MAX_INTEGER:,})")
    return int(value)


def _year(value: int) -> int:
    if value not in _YEARS:
        raise ValueProblem(f"{value} is not a year from {_YEARS[0]} to {_YEARS[-1]}")
    return value


def _count(value: int) -> int:
    if not 0 <= value <= MAX_INTEGER:
        raise ValueProblem(f"{value} is not a whole number between 0 and {MAX_INTEGER:,}")
    return value


def _finite(value: int | float) -> bool:
    # an int of any size is finite (math.isfinite would overflow converting it to a float)
    return isinstance(value, int) or math.isfinite(value)


def _number(value: int | float) -> str:
    """A large number for a message: with thousands separators, shortened when huge."""
    text = f"{value:,}"
    return text if len(text) <= 40 else f"a number of {len(str(int(value)))} digits"


def _amount(value: int | float) -> int | float:
    if not _finite(value) or value < 0:
        raise ValueProblem(f"{_show(value)} is not an amount (a number of 0 or more)")
    if value > MAX_AMOUNT:
        raise ValueProblem(f"{_number(value)} US dollars is more than the limit of {MAX_AMOUNT:,}")
    return value


def _area(value: int | float) -> int | float:
    if not _finite(value) or value < 0:
        raise ValueProblem(f"{_show(value)} is not an area (a number of 0 or more km²)")
    if value > MAX_AREA_KM2:
        raise ValueProblem(
            f"{_number(value)} km² is more than the limit of {MAX_AREA_KM2:,} (larger than any "
            "State; was it typed in m² or hectares?)"
        )
    return value


def _text(value: str) -> str:
    match = _TEXT_CONTROL.search(value)
    if match:
        raise ValueProblem(f"contains a control character (U+{ord(match.group()):04X})")
    # one scan in C: a per-character loop in Python took ~40% of a load's value checks
    if _SURROGATE.search(value):
        raise ValueProblem("contains an unpaired surrogate (not valid Unicode text)")
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueProblem(f"is {len(value):,} characters long (at most {MAX_TEXT_LENGTH:,})")
    return value


def _name(value: str) -> str:
    """Text on one line without bidirectional controls (see the module's rules)."""
    text = _text(value)
    found = _NAME_BREAK.search(text)
    if found:
        raise ValueProblem(
            f"the name {_show(text)} contains a line break or tab "
            f"(U+{ord(found.group()):04X}); a name is one line"
        )
    found = _BIDI_CONTROL.search(text)
    if found:
        raise ValueProblem(
            f"the name {_show(text)} contains a bidirectional control character "
            f"(U+{ord(found.group()):04X}), which shows the name differently than it is stored"
        )
    return text


def _valid_date(value: str, *, full: bool) -> bool:
    if not _PARTIAL_DATE.fullmatch(value):
        return False
    parts = [int(p) for p in value.split("-")]
    if full and len(parts) != 3:
        return False
    if parts[0] not in _YEARS:
        return False
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _choice(value: Any, choices: tuple[Any, ...]) -> Any:
    if choices and value not in choices:
        raise ValueProblem(not_one_of(value, choices))
    return value


def not_one_of(value: Any, choices: Iterable[Any]) -> str:
    """``'x' is not one of: a, b (did you mean 'b'?)`` for a value outside a closed list."""
    options = [str(c) for c in choices]
    message = f"{_show(value)} is not one of: {', '.join(options)}"
    close = suggest(str(value), options, limit=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return message


def _show(value: Any) -> str:
    """A value quoted for a message, shortened so a huge cell gives a readable line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:50] + "…" + text[-8:]


_CHECKS: dict[ColumnType, Callable[[Column, Any], Any]] = {
    ColumnType.YEAR: _check_year,
    ColumnType.COUNT: _check_count,
    ColumnType.ARTICLE: _check_article,
    ColumnType.AMOUNT: _check_amount,
    ColumnType.AREA: _check_area,
    ColumnType.TEXT: _check_text,
    ColumnType.NAME: _check_name,
    ColumnType.ID: _check_id,
    ColumnType.REF: _check_id,
    ColumnType.ENUM: _check_enum,
    ColumnType.ISO3: _check_iso3,
    ColumnType.DATE: _check_date,
    ColumnType.PARTIAL_DATE: _check_partial_date,
    ColumnType.WHEN: _check_when,
    ColumnType.NAME_LIST: _list_check(_alias),
    ColumnType.LANGUAGE_LIST: _list_check(_language),
    ColumnType.MEETING_LIST: _list_check(_meeting),
    ColumnType.TIMESTAMP: _check_timestamp,
}
"""The check of each column type (:func:`check_value`); a test keeps it complete."""
