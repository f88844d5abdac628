"""The :class:`~ccm_graph.wording.Voice` in which hand-outs and maps word the analyses'
sentences in a language."""

from __future__ import annotations

from dataclasses import replace

from ..wording import Voice
from .catalogs import translations
from .dates import format_date
from .typography import typeset
from .words import word

__all__ = ["voice"]


def voice(lang: str = "en", *, for_people: bool = True) -> Voice:
    """The :class:`~ccm_graph.wording.Voice` of ``lang``: the catalog's sentences (in the
    language's typography), plural forms by the language's rule, enum values as the
    hand-outs word them (:func:`~ccm_graph.i18n.words.word`), dates as the language writes
    them in prose (:func:`~ccm_graph.i18n.dates.format_date`; English keeps the ISO date of
    the tables), and no tool commands (``for_people``).

    :raises ValueError: another language.
    """
    found = translations(lang)
    said = Voice(
        lang=lang,
        gettext=found.gettext,
        ngettext=found.ngettext,
        term=lambda value: word(value, found.gettext),
        for_people=for_people,
    )
    if lang == "en":
        return said
    return replace(
        said,
        date=lambda value: format_date(value, lang),
        typeset=lambda text: typeset(text, lang),
    )
