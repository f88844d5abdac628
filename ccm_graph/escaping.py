"""Data-derived text made safe for where it is shown: Markdown documents and terminals.

One function per place, shared by every writer, so that a name like
``<img src=x onerror=…>`` or ``[x](javascript:…)`` is shown as typed, never run.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md_escape"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def md_escape(text: Any) -> str:
    """Neutralise Markdown and HTML in a data-derived string for a Markdown document.

    Markup characters get a backslash (CommonMark shows them as typed: no tag, no link, no
    emphasis, no table cell break); nothing becomes an HTML entity, so ``&`` stays ``&`` —
    only an ``&`` that would start an entity is escaped. Line breaks become spaces, so a value
    cannot start a heading or a list of its own.

    >>> md_escape("Humanity & Inclusion <b>*HI*</b>")
    'Humanity & Inclusion \\\\<b\\\\>\\\\*HI\\\\*\\\\</b\\\\>'
    >>> md_escape("[x](javascript:alert(1)) &lt;")
    '\\\\[x\\\\](javascript:alert(1)) \\\\&lt;'
    """
    value = "" if text is None else str(text)
    value = " ".join(value.replace("\r", " ").split("\n"))
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return _ENTITY.sub(r"\\&", value)
