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
_FRENCH_MARK = re.compile(r"[ \u00a0\u202f]+([:;?!])|([:;?!])(?=\s|$)")
"""A mark with a space before it (the translator spaced it), or one that ends a clause
(followed by a space or the end of the text: never ``https://`` nor ``10:30``)."""


def french_spacing(text: str) -> str:
    """``text`` with the French spacing before ``:`` ``;`` ``?`` ``!``, after the Imprimerie
    nationale's rule (*Lexique des règles typographiques*): a no-break space before a colon,
    a narrow no-break space before a semicolon, a question mark and an exclamation mark, so
    that the mark never starts a line. Any space already there is replaced; one is added
    where the text has none. A mark not followed by a space or the end of the text (a URL, a
    time, an id such as ``ob:LAO``) and without a space before it is left alone.

    >>> french_spacing("Tchad : obligations ; appui? oui!")
    'Tchad\\xa0: obligations\\u202f; appui\\u202f? oui\\u202f!'
    >>> french_spacing("voir https://example.org à 10:30"), french_spacing("**Statut :**")
    ('voir https://example.org à 10:30', '**Statut\\xa0:**')
    """
    if not text:
        return text

    def spaced(match: re.Match[str]) -> str:
        mark = match.group(1) or match.group(2)
        return _BEFORE[mark] + mark

    return _FRENCH_MARK.sub(spaced, text)


def typeset(text: str, lang: str) -> str:
    """``text`` (a translated message, before any data is put into it) with ``lang``'s
    punctuation spacing: :func:`french_spacing` in French, unchanged otherwise.

    >>> typeset("{name} : note", "fr"), typeset("{name}: nota", "es")
    ('{name}\\xa0: note', '{name}: nota')
    """
    return french_spacing(text) if lang == "fr" else text
