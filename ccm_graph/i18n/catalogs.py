"""The product's gettext catalogs at run time: which languages, where the compiled catalogs
are, and the translate functions of a language (with its typography)."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .typography import typeset

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Translate",
    "Translations",
    "translations",
    "translator",
]

DOMAIN = "ccm_graph"
"""The catalogs' gettext domain: ``locale/<lang>/LC_MESSAGES/ccm_graph.po`` (and ``.mo``)."""
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
"""The languages of the hand-outs, maps and sentences: English (source), French, Spanish."""
LOCALE_DIR = Path(__file__).parent / "locale"
"""Where the catalogs are: one catalog per language serves every output."""

Translate = Callable[[str], str]
"""A language's ``gettext``: an English message in, its translation out."""


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; it is translated where it is used."""
    return message


class Translations:
    """A language's catalog: ``gettext`` and ``ngettext`` as the stdlib's, whose results
    are set in the language's typography (:func:`~ccm_graph.i18n.typography.typeset`:
    French no-break spaces). English is the source text, returned as written."""

    def __init__(self, lang: str, found: gettext.NullTranslations) -> None:
        self.lang = lang
        self._found = found
        self._done: dict[tuple[str, ...], str] = {}

    def gettext(self, message: str) -> str:
        """The translation of ``message`` (``message`` itself when the catalog lacks it)."""
        key = (message,)
        if key not in self._done:
            self._done[key] = typeset(self._found.gettext(message), self.lang)
        return self._done[key]

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a plural message for ``n``, by the language's plural rule."""
        return typeset(self._found.ngettext(singular, plural, n), self.lang)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str = "en") -> Translations:
    """The catalog of ``lang`` (``gettext`` and ``ngettext``); English is the source text.

    :raises ValueError: another language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if lang == "en":
        return Translations(lang, gettext.NullTranslations())
    return Translations(lang, gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang]))


def translator(lang: str = "en") -> Translate:
    """The ``gettext`` function of ``lang`` (``en``, ``fr`` or ``es``).

    :raises ValueError: another language.
    """
    return translations(lang).gettext
