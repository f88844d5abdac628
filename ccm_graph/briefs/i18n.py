"""The hand-outs' translations: the product-wide catalogs of :mod:`ccm_graph.i18n`, which the
maps share (one catalog for every fixed text)."""

from __future__ import annotations

from ..i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    N_,
    Translate,
    compile_mo,
    extract_messages,
    read_po,
    translator,
)

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Translate",
    "compile_mo",
    "extract_messages",
    "read_po",
    "translator",
]
