"""How ccm-graph words facts for people, in one place: money, articles, date windows.

Every table, report, map card and hand-out that shows one of these facts uses these functions,
so the same fact reads the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .names import name_in
from .schema import ARTICLE_NAMES

__all__ = [
    "ARTICLE_NAMES_IN",
    "ENGLISH",
    "Command",
    "Listing",
    "Money",
    "Name",
    "Ordinal",
    "Phrase",
    "Term",
    "Voice",
    "article_title",
    "format_usd",
    "format_usd_in",
    "ordinal",
    "provenance_mark",
    "said_name",
    "say",
    "say_n",
    "year_window",
]


def N_(message: str) -> str:
    """Mark a constant for the catalogs' extractor; it is translated where it is used."""
    return message


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


# --- sentences with their data, worded in a language ----------------------------------------

ARTICLE_NAMES_IN: dict[str, dict[int, tuple[str, str]]] = {
    "fr": {
        3: ("article", "destruction des stocks"),
        4: ("article", "dépollution"),
        5: ("article", "assistance aux victimes"),
    },
    "es": {
        3: ("artículo", "destrucción de reservas"),
        4: ("artículo", "limpieza"),
        5: ("artículo", "asistencia a las víctimas"),
    },
}
"""Short article names inside French and Spanish sentences (``article 4 (dépollution)``),
from the titles of Articles 3 to 5 in the Convention's French and Spanish texts (see
``docs/translations.md``). English uses :data:`~ccm_graph.schema.ARTICLE_NAMES`."""

_NBSP = "\u00a0"


def format_usd_in(lang: str, amount: float | None, unknown: str = "amount not recorded") -> str:
    """A US dollar amount as a French or Spanish text writes it: groups of three digits
    separated by a no-break space, a decimal comma, the ISO code after the number (UN
    editorial practice in both languages); English as :func:`format_usd`. ``unknown`` is the
    words for a missing amount, already in the language.

    >>> format_usd_in("fr", 41623799.0), format_usd_in("es", 12500.5)
    ('41\\xa0623\\xa0799 USD', '12\\xa0500,50 USD')
    >>> format_usd_in("en", 1500000)
    'USD 1,500,000'
    """
    if lang == "en":
        return format_usd(amount) if amount is not None else unknown
    if amount is None:
        return unknown
    text = f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"
    whole, _, cents = text.partition(".")
    whole = whole.replace(",", _NBSP)
    return f"{whole},{cents} USD" if cents else f"{whole} USD"


def format_number_in(lang: str, text: str) -> str:
    """A number written the English way (``1,957.04``) as a French or Spanish text writes
    it: groups of three digits separated by a no-break space, a decimal comma.

    >>> format_number_in("fr", "1,957.04"), format_number_in("en", "1,957.04")
    ('1\xa0957,04', '1,957.04')
    """
    if lang == "en":
        return text
    whole, _, decimals = text.partition(".")
    whole = whole.replace(",", _NBSP)
    return f"{whole},{decimals}" if decimals else whole


def ordinal(n: int, lang: str = "en") -> str:
    """``4th``, ``4e`` (``1er``), ``4.º``: a rank as each language abbreviates it.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '22nd']
    >>> ordinal(1, "fr"), ordinal(4, "fr"), ordinal(4, "es")
    ('1er', '4e', '4.º')
    """
    if lang == "fr":
        return "1er" if n == 1 else f"{n}e"
    if lang == "es":
        return f"{n}.º"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _same(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _iso(value: date) -> str:
    return str(value)  # as the CLI printed dates before voices wrote them


@dataclass(frozen=True)
class Voice:
    """The language a :class:`Phrase` is worded in: the catalog's ``gettext`` and ``ngettext``,
    how an enum value reads (``term``), whether tool commands become plain words
    (``for_people``, for hand-outs to States), how a date inside a sentence reads (``date``:
    ISO in English, ``1er août 2030`` in French prose) and the language's spacing around the
    punctuation a sentence adds itself (``typeset``: French no-break spaces).
    :data:`ENGLISH` is the default everywhere; :func:`ccm_graph.i18n.voice` makes the
    others.
    """

    lang: str = "en"
    gettext: Callable[[str], str] = _same
    ngettext: Callable[[str, str, int], str] = _english_plural
    term: Callable[[str], str] = _same
    for_people: bool = False
    date: Callable[[date], str] = _iso
    typeset: Callable[[str], str] = _same


ENGLISH = Voice()
"""English, as the CLI prints it: the source text, enum values as stored."""


@dataclass(frozen=True)
class Name:
    """A record's name inside a sentence: its label (what English prints, unchanged) and its
    aliases, so another language gets the ``fr:``/``es:`` alias when the data has one. An
    obligation's name is built from its State's name and its article in that language."""

    label: str
    aliases: str | None = None
    state: Name | None = None
    article: int | None = None


@dataclass(frozen=True)
class Money:
    """A US dollar amount inside a sentence (``None``: not recorded)."""

    amount: float | None


@dataclass(frozen=True)
class Ordinal:
    """A rank inside a sentence: ``4th``, ``4e``, ``4.º``."""

    n: int


@dataclass(frozen=True)
class Term:
    """An enum value inside a sentence (a role, a status, a convention, a support kind): as
    stored in English, the hand-outs' word for it in other languages."""

    value: str


@dataclass(frozen=True)
class Listing:
    """Items inside a sentence, joined with ``sep`` (``", "``, ``"; "`` or ``" and "``; the
    last is translated)."""

    items: tuple[Any, ...]
    sep: str = ", "


@dataclass(frozen=True)
class Command:
    """A hint with a tool command (``see `ccm-graph recommend TCD` for partners``): hand-outs
    for States say ``see the partners to approach`` instead."""

    target: str


AND = N_(" and ")
SEE_COMMAND = N_("see {command} for partners")
SEE_PARTNERS = N_("see the partners to approach")
"""Direction-free: a hand-out shows a gap's next step after its partners, a gap before them."""


@dataclass(frozen=True)
class Phrase:
    """A sentence of an analysis: an English template with named ``{parameters}`` (the
    catalog's msgid) and the data that goes in them.

    The data is inserted, never translated by the catalog: names (:class:`Name`), amounts
    (:class:`Money`), years, counts; a date (a :class:`~datetime.date` or a full ISO date
    string, ``2030-08-01``) as the voice writes dates in prose (``1er août 2030``; ISO in
    English). ``str(phrase)`` is the English the CLI prints;
    :meth:`render` words it in another :class:`Voice`. A plural phrase (``plural``) picks its
    form from ``count`` by the language's rule.

    >>> str(say_n("{count} supporter", "{count} supporters", 2))
    '2 supporters'
    >>> str(say("funds {name} ({amount})", name=Name("Chad", "fr:Tchad"), amount=Money(5e5)))
    'funds Chad (USD 500,000)'
    """

    text: str
    params: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    count: int = 1

    def render(self, voice: Voice = ENGLISH) -> str:
        """The sentence in ``voice``'s language, its data worded for that language."""
        if self.plural is None:
            template = voice.gettext(self.text)
        else:
            template = voice.ngettext(self.text, self.plural, self.count)
        values = {key: _value(value, voice) for key, value in self.params}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render(ENGLISH)


def say(text: str, /, **params: Any) -> Phrase:
    """A :class:`Phrase`: ``text`` is the English template (a catalog msgid, found by
    :func:`ccm_graph.i18n.extract_messages`), ``params`` its data."""
    return Phrase(text, tuple(params.items()))


def say_n(singular: str, plural: str, count: int, /, **params: Any) -> Phrase:
    """A :class:`Phrase` with a singular and a plural form chosen by ``count`` (also passed as
    the ``{count}`` parameter)."""
    return Phrase(singular, tuple({"count": count, **params}.items()), plural, count)


def _value(value: Any, voice: Voice) -> str:
    if isinstance(value, Phrase):
        return value.render(voice)
    if isinstance(value, Name):
        return _name(value, voice)
    if isinstance(value, Money):
        return format_usd_in(voice.lang, value.amount, voice.gettext("amount not recorded"))
    if isinstance(value, Ordinal):
        return ordinal(value.n, voice.lang)
    if isinstance(value, Term):
        return value.value if voice.lang == "en" else voice.term(value.value)
    if isinstance(value, Listing):
        return _listing(value, voice)
    if isinstance(value, Command):
        if voice.for_people:
            return voice.gettext(SEE_PARTNERS)
        return voice.gettext(SEE_COMMAND).format(command=f"`ccm-graph recommend {value.target}`")
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        day = _as_date(value)
        if day is not None:
            return voice.date(day)
    return str(value)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""A full date as the data stores it: inside a sentence, worded by the voice."""


def _as_date(value: date | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def said_name(value: Name, voice: Voice) -> str:
    """A record's name as ``voice`` writes it: its alias in that language, an obligation as
    its State and article in words of that language (``Tchad : article 4 (dépollution)``)."""
    return _name(value, voice)


def _name(value: Name, voice: Voice) -> str:
    if voice.lang == "en":
        return value.label
    if value.article is not None:
        word, title = ARTICLE_NAMES_IN.get(voice.lang, {}).get(value.article, ("", ""))
        if word and value.state is None:  # the article alone, as a sentence opens with it
            return f"{word.capitalize()} {value.article} ({title})"
        if word and value.state is not None:
            colon = voice.typeset(" : " if voice.lang == "fr" else ": ")
            return f"{_name(value.state, voice)}{colon}{word} {value.article} ({title})"
    return name_in(voice.lang, value.label, value.aliases)


def _listing(value: Listing, voice: Voice) -> str:
    items = [_value(item, voice) for item in value.items]
    if value.sep != AND:
        return voice.typeset(value.sep).join(items)
    joined = items[0] if items else ""
    for item in items[1:]:
        sep = voice.gettext(AND)
        if voice.lang == "es" and sep == " y " and _starts_with_i_sound(item):
            sep = " e "  # Spanish: "francés e inglés"
        joined += sep + item
    return joined


def _starts_with_i_sound(word: str) -> bool:
    low = word.lower()
    return (low.startswith(("i", "hi", "í", "hí"))) and not low.startswith(("hia", "hie", "hio"))
