"""One translation layer for every output: hand-outs, maps, the analyses' sentences (and, in
time, web pages), in English, French and Spanish.

- :mod:`~ccm_graph.i18n.catalogs`: the gettext catalogs
  (``ccm_graph/i18n/locale/{fr,es}/LC_MESSAGES/ccm_graph.po``, compiled ``.mo`` beside them),
  :func:`translator` and :func:`translations` of a language; English is the source text.
- :mod:`~ccm_graph.i18n.voice`: the :class:`~ccm_graph.wording.Voice` in which the analyses'
  sentences are worded in a language (:func:`voice`).
- :mod:`~ccm_graph.i18n.words`: the data's enum values as words (:data:`WORDS`,
  :func:`word`).
- :mod:`~ccm_graph.i18n.dates`: dates in prose (:func:`format_date`: ``1er août 2030``).
- :mod:`~ccm_graph.i18n.typography`: French spacing before ``: ; ? !`` (:func:`typeset`),
  applied to every translated message.
- :mod:`~ccm_graph.i18n.extract` and :mod:`~ccm_graph.i18n.maintain`: finding every message
  with Babel and keeping the catalogs in step (``scripts/catalogs.py``).

Data-derived text (names, sources, notes, amounts) is never translated by the catalogs; a
State's name comes from its ``fr:``/``es:`` alias when the data has one
(:func:`ccm_graph.names.name_in`). ``docs/translations.md`` lists the Convention terms used.
"""

from __future__ import annotations

from .catalogs import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    N_,
    Translate,
    Translations,
    translations,
    translator,
)
from .dates import format_date
from .extract import PLURAL_SEPARATOR, extract_messages
from .typography import french_spacing, typeset
from .voice import voice
from .words import WORDS, word

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "PLURAL_SEPARATOR",
    "WORDS",
    "Translate",
    "Translations",
    "extract_messages",
    "format_date",
    "french_spacing",
    "translations",
    "translator",
    "typeset",
    "voice",
    "word",
]
