"""Data-derived text made safe for where it is shown: Markdown documents and terminals.

One function per place, shared by every writer, so that a name like
``<img src=x onerror=…>`` or ``[x](javascript:…)`` is shown as typed, never run.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md_escape", "visible"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|<>])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟ (␍ for \r, ␛ for ESC)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: Any) -> str:
    """``text`` with every character that would act on a terminal or reorder a line shown
    instead: C0 controls as their Control Pictures (``\\r`` → ``␍``, ESC → ``␛``), DEL as
    ``␡``, C1 controls, the bidirectional controls (U+202A–U+202E, U+2066–U+2069) and the
    line and paragraph separators as ``<U+202E>``. Every other character is kept.

    >>> visible("Lao\\rPDR"), visible("evil\\u202efdp.exe")
    ('Lao␍PDR', 'evil<U+202E>fdp.exe')
    """
    value = "" if text is None else str(text)
    return _HIDDEN.sub(_shown, value)


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
