"""Punctuation as each language sets it: French puts a no-break space before ``:`` ``;`` ``?``
``!`` (the one place this rule lives; every translated message goes through it)."""

from __future__ import annotations

import re

__all__ = ["NARROW_NBSP", "NBSP", "french_spacing", "typeset"]

NBSP = "\u00a0"
"""No-break space (espace insécable): before a French colon."""
NARROW_NBSP = "\u202f"
"""Narrow no-break space (espace fine insécable): before a French ``;`` ``?`` ``!``."""

_BEFORE = {":": NBSP, ";": NARROW_NBSP, "?": NARROW_NBSP, "!": NARROW_NBSP}
_FRENCH_MARK = re.compile(r"[ \u00a0\u202f]*([:;?!])(?=\s|$)")
"""A mark that ends a clause (followed by a space or the end: never ``https://`` nor
``10:30``) and the spaces before it."""


def french_spacing(text: str) -> str:
    """``text`` with the French spacing before ``:`` ``;`` ``?`` ``!``, after the Imprimerie
    nationale's rule (*Lexique des règles typographiques*): a no-break space before a colon,
    a narrow no-break space before a semicolon, a question mark and an exclamation mark, so
    that the mark never starts a line. Any space already there is replaced; one is added
    where the text has none. A mark not followed by a space or the end of the text (a URL, a
    time, an id such as ``ob:LAO``) is left alone.

    >>> french_spacing("Tchad : obligations ; appui? oui!")
    'Tchad\\xa0: obligations\\u202f; appui\\u202f? oui\\u202f!'
    >>> french_spacing("voir https://example.org à 10:30")
    'voir https://example.org à 10:30'
    """
    if not text:
        return text
    return _FRENCH_MARK.sub(lambda m: _BEFORE[m.group(1)] + m.group(1), text)


def typeset(text: str, lang: str) -> str:
    """``text`` (a translated message, before any data is put into it) with ``lang``'s
    punctuation spacing: :func:`french_spacing` in French, unchanged otherwise.

    >>> typeset("{name} : note", "fr"), typeset("{name}: nota", "es")
    ('{name}\\xa0: note', '{name}: nota')
    """
    return french_spacing(text) if lang == "fr" else text
