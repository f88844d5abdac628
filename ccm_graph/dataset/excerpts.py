"""Whether an excerpt of a source states a value: dates, meetings, amounts and words written the
ways sources write them (:func:`excerpt_states`), for the checks of ``evidence.csv``
(:mod:`ccm_graph.dataset.evidence`). Pure functions, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from ..values import format_value

__all__ = ["collapse", "excerpt_states", "looked_for", "value_patterns"]


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
_MEETING_CODE = re.compile(r"([1-9][0-9]?)(MSP|RC)")
_WORDS = {
    ("request_outcome", "granted"): r"\bgrant(?:ed|s|ing)?\b|\bapprov(?:ed|al)\b",
    ("request_outcome", "pending"): (
        r"\bpending\b|\b(?:will|to) be considered\b|\bunder consideration\b"
    ),
    ("assistance_requested", "requested"): (
        r"\b(?:request|seek|sought|appeal|call)\w*\b.{0,200}?\b(?:assistance|support|funding|"
        r"resources|partners?)\b|\b(?:assistance|support|funding|resources)\b.{0,200}?"
        r"\b(?:request|seek|sought|need|required?)\w*\b"
    ),
    ("assistance_requested", "not_requested"): (
        r"\b(?:not|no)\b.{0,60}?\b(?:request|need|require|seek)\w*\b.{0,100}?"
        r"\b(?:assistance|support|funding)\b|\bown (?:resources|funds|budget)\b|"
        r"\bnational (?:resources|funds|budget)\b|\bwithout (?:international|external) "
        r"(?:assistance|support)\b"
    ),
}
"""What an excerpt must say for a value that is a word, not a date or a number."""


def excerpt_states(field: str, value: str, excerpt: str) -> bool:
    """Whether ``excerpt`` states ``value`` of ``field``, after normalisation.

    Case, accents, punctuation spacing and runs of whitespace do not count. A date
    ``2023-12-31`` may be written ``31 December 2023``, ``December 31, 2023``, ``31st Dec.
    2023`` or ``2023-12-31``, and ``December 2023`` when the excerpt gives no other day of that
    month; ``2023-12`` as ``December 2023``; a year as itself. A meeting ``10MSP`` as
    ``10MSP``, ``10th MSP``, ``Tenth Meeting of (the) States Parties`` or ``10th Meeting of
    States Parties``; ``2RC`` likewise as ``Second Review Conference``. A number as written
    (``12500000``, ``12,500,000``, ``12 500 000``) or, from a million up, in millions
    (``US$12.5 million``, ``12.5m``). A word value by what it means (``granted``: granted or
    approved; ``pending``: pending, to be considered …).

    >>> excerpt_states("deadline", "2020-08-01", "a CCM Article 4 deadline of 1 August 2020.")
    True
    >>> excerpt_states("extension.1.granted_by", "9MSP", "granted at the Ninth Meeting of "
    ...                "States Parties")
    True
    >>> excerpt_states("need_usd", "12500000", "a shortfall of US$12.5 million")
    True
    >>> excerpt_states("deadline", "2020-08-01", "by 31 August 2020")
    False
    """
    text = _normalise(excerpt)
    return any(pattern.search(text) for pattern in value_patterns(field, value, text))


def value_patterns(field: str, value: str, text: str = "") -> list[re.Pattern[str]]:
    """The patterns an excerpt is searched for to find ``value`` of ``field`` (over the
    normalised excerpt ``text``, which a month-only date form needs to see)."""
    words = _WORDS.get((field, value))
    if words:
        return [re.compile(words)]
    meeting = _MEETING_CODE.fullmatch(value)
    if meeting:
        return [_meeting_pattern(int(meeting.group(1)), meeting.group(2))]
    date = _DATE.fullmatch(value)
    if date and not _is_number_field(field):
        return _date_patterns(date, text)
    try:
        number = float(value)
    except ValueError:
        return [re.compile(re.escape(_normalise(value)))]
    return _number_patterns(number)


def _is_number_field(field: str) -> bool:
    return field in ("remaining_km2", "need_usd")


def looked_for(field: str, value: str) -> str:
    """What :func:`excerpt_states` looked for, in words for a message."""
    meeting = _MEETING_CODE.fullmatch(value)
    if meeting:
        number, kind = int(meeting.group(1)), meeting.group(2)
        name = "Meeting of States Parties" if kind == "MSP" else "Review Conference"
        word = _ORDINALS[number - 1].capitalize() if number <= len(_ORDINALS) else str(number)
        return f"looked for '{value}' or '{word} {name}'"
    date = _DATE.fullmatch(value)
    if date and not _is_number_field(field):
        year, month, day = date.groups()
        if day:
            name = _MONTHS[int(month) - 1].capitalize()
            return (f"looked for a date like '{int(day)} {name} {year}', "
                    f"'{name} {int(day)}, {year}' or '{value}'")  # fmt: skip
        if month:
            return f"looked for '{_MONTHS[int(month) - 1].capitalize()} {year}' or '{value}'"
        return f"looked for the year {year}"
    if (field, value) in _WORDS:
        return f"looked for words that say {value.replace('_', ' ')}"
    return f"looked for {value} as written, with thousands separators or in millions"


def _normalise(text: str) -> str:
    """Lower case, accents and typographic variants folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return collapse(text).lower()


def collapse(text: str) -> str:
    """``text`` with every run of whitespace one space, none at the ends."""
    return " ".join(text.split())


_MONTH_RE = [rf"(?:{name}|{name[:3]}\.?)" for name in _MONTHS]
_MONTH_RE[8] = r"(?:september|sept\.?|sep\.?)"


def _date_patterns(date: re.Match[str], text: str) -> list[re.Pattern[str]]:
    year, month, day = date.groups()
    iso = [re.compile(rf"(?<![0-9]){re.escape(date.group(0))}(?![0-9])")]
    if not month:
        return [re.compile(rf"(?<![0-9]){year}(?![0-9])")]
    m = _MONTH_RE[int(month) - 1]
    month_year = re.compile(rf"\b{m}\s*,?\s+{year}(?![0-9])")
    if not day:
        return [*iso, month_year]
    d = rf"0?{int(day)}(?:st|nd|rd|th)?"
    with_day = [
        re.compile(rf"(?<![0-9]){d}\s+(?:of\s+)?{m}\s*,?\s+{year}(?![0-9])"),
        re.compile(rf"\b{m}\s+{d}\s*,?\s+{year}(?![0-9])"),
    ]
    patterns = [*iso, *with_day]
    any_day = [
        re.compile(rf"(?<![0-9])[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{m}\s*,?\s+{year}"),
        re.compile(rf"\b{m}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\s*,?\s+{year}"),
    ]
    other_day = any(p.search(text) for p in any_day) and not any(p.search(text) for p in with_day)
    if not other_day:
        patterns.append(month_year)  # the source gives the month only
    return patterns


def _meeting_pattern(number: int, kind: str) -> re.Pattern[str]:
    name = r"meeting of (?:the )?states parties" if kind == "MSP" else r"review conference"
    ordinal = rf"{number}(?:st|nd|rd|th)"
    forms = [
        rf"(?<![0-9]){number}\s*{kind.lower()}\b",
        rf"\b{ordinal}\s+(?:{name}|{kind.lower()})\b",
    ]
    if number <= len(_ORDINALS):
        # no boundary after the full name: a source's missing space ("States Partiesin
        # September", the Monitor's stockpile FAQ) still names the meeting
        forms.append(rf"\b{_ORDINALS[number - 1]}\s+{name}")
    return re.compile("|".join(forms))


def _number_patterns(number: float) -> list[re.Pattern[str]]:
    patterns = [_written_number(number)]
    for scale, words in ((1e9, r"(?:billion|bn)"), (1e6, r"(?:million|m)")):
        if number >= scale:
            patterns.append(re.compile(_number_text(number / scale) + rf"\s*{words}\b"))
            break
    return patterns


def _written_number(number: float) -> re.Pattern[str]:
    """A number as sources write it: ``12500000``, ``12,500,000``, ``12 500 000``, ``1.58``."""
    text = format_value(number)
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    body = r"[,\s\u202f]?".join(groups)
    if fraction:
        body += r"\." + fraction + "0*"
    else:
        body += r"(?:\.0+)?"
    return re.compile(rf"(?<![0-9.,]){body}(?![0-9]|[.,][0-9])")


def _number_text(number: float) -> str:
    """A number of millions as it may be written: ``12.5``, ``12.50``; a whole one ``12``."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    body = re.escape(whole) + (rf"\.{fraction}0*" if fraction else r"(?:\.0+)?")
    return rf"(?<![0-9.,]){body}"
