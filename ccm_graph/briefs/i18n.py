"""The hand-outs' translations: the product-wide catalogs of :mod:`ccm_graph.i18n`, which the
maps share (one catalog for every fixed text), and the :class:`~ccm_graph.wording.Voice` in
which a hand-out words the analyses' sentences (:func:`voice`)."""

from __future__ import annotations

from ..i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    MESSAGE_SOURCES,
    N_,
    PLURAL_SEPARATOR,
    Translate,
    compile_mo,
    extract_messages,
    read_po,
    translations,
    translator,
)
from ..wording import Voice

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "MESSAGE_SOURCES",
    "N_",
    "PLURAL_SEPARATOR",
    "Translate",
    "compile_mo",
    "extract_messages",
    "read_po",
    "translations",
    "translator",
    "voice",
]


def voice(lang: str = "en", *, for_people: bool = True) -> Voice:
    """The :class:`~ccm_graph.wording.Voice` of a hand-out in ``lang``: the catalog's
    sentences, plural forms by the language's rule, enum values as the hand-outs word them
    (:func:`~ccm_graph.briefs.words.word`), and no tool commands (``for_people``).

    :raises ValueError: another language.
    """
    from .words import word

    found = translations(lang)
    return Voice(
        lang=lang,
        gettext=found.gettext,
        ngettext=found.ngettext,
        term=lambda value: word(value, found.gettext),
        for_people=for_people,
    )
