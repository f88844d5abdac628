"""Matching what people type: text folded for comparison, and the one "did you mean".

:func:`fold` makes two spellings of a name compare equal when they differ only in case,
accents or spacing; :func:`suggest` picks the closest of some options to a mistyped text (an
id, a column name, an enum value, a query name). Both know nothing of the data model, so the
value rules (:mod:`ccm_graph.values`) and the name resolver (:mod:`ccm_graph.names`, which
re-exports them) can share them without depending on each other.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["fold", "suggest"]


def fold(text: str) -> str:
    """Text for matching: case-folded, accents removed, spaces collapsed.

    >>> fold("  République   Démocratique ") == fold("republique democratique")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _closeness(wanted: str, name: str) -> float:
    """difflib's similarity, counting swapped letters (``LOA`` for ``LAO``) as close."""
    score = difflib.SequenceMatcher(None, wanted, name).ratio()
    if len(wanted) > 1 and sorted(wanted) == sorted(name):
        score = max(score, 0.9)
    return score


def suggest(
    wanted: str, options: Iterable[str] | Mapping[str, Iterable[str]], *, limit: int = 3
) -> list[str]:
    """The options closest to ``wanted``, best first (case- and accent-insensitive).

    ``options`` is a list of strings, or a mapping from each option to other texts that also
    count for it (an id to its name and aliases).

    >>> suggest("LOA", ["LAO", "LBN", "IRQ"])
    ['LAO']
    >>> suggest("lebanon", {"LBN": ["Lebanon"], "LAO": ["Lao PDR"]})
    ['LBN']
    """
    target = fold(wanted)
    texts = options if isinstance(options, Mapping) else {option: () for option in options}
    scores: dict[str, float] = {}
    for option, others in texts.items():
        for text in (option, *others):
            folded = fold(text)
            score = 1.0 if target and target in folded else _closeness(target, folded)
            if score >= 0.65 and score > scores.get(option, 0.0):
                scores[option] = score
    return sorted(scores, key=lambda option: (-scores[option], option))[:limit]
