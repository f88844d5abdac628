"""Gap findings as map highlights: which records get a red ring, and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ..i18n import voice

__all__ = [
    "DEFAULT_RING_LEVELS",
    "GAP_LEVELS",
    "GapLike",
    "highlight_level",
    "highlights_from_gaps",
]

GAP_LEVELS = ("high", "medium", "low", "info")
"""Gap levels, most severe first (``info``: a fact worth knowing, not a concern)."""
DEFAULT_RING_LEVELS = ("high",)
"""The levels whose records a map rings when it opens; a box on the page adds the others, so a
map for a meeting shows the few findings that call for action."""


class GapLike(Protocol):
    """What :func:`highlights_from_gaps` reads from a finding (``ccm_graph.analysis.Gap``)."""

    @property
    def subjects(self) -> Sequence[str]: ...

    @property
    def summary(self) -> str: ...

    @property
    def level(self) -> str: ...


def highlights_from_gaps(gaps: Iterable[GapLike], lang: str = "en") -> dict[str, list[str]]:
    """Gap findings as map highlights: the record each gap is mainly about → its findings.

    With ``lang`` ``fr`` or ``es`` the finding is worded in that language (a gap of
    :mod:`ccm_graph.analysis` carries its sentences; names from the data's aliases); the
    ``HIGH:`` prefix stays the level's key, which the page shows in the page's language.

    A gap's first subject is what it is about (the under-supported obligation, the State with
    no coalition, the MASG member); only that record is ringed, so the red rings stay few
    enough to read. Each reason reads ``HIGH: <summary>`` (level, then the finding).

    >>> from types import SimpleNamespace as Finding
    >>> highlights_from_gaps([Finding(subjects=("ob-LAO-4", "LAO"), level="high",
    ...                               summary="Lao PDR: Article 4: no support")])
    {'ob-LAO-4': ['HIGH: Lao PDR: Article 4: no support']}
    """
    said = None
    if lang != "en":
        said = voice(lang)
    highlights: dict[str, list[str]] = {}
    for gap in gaps:
        if not gap.subjects:
            continue
        worded = getattr(gap, "worded", None)
        summary = worded(said)[0] if said is not None and worded is not None else gap.summary
        reason = f"{gap.level.upper()}: {summary}"
        reasons = highlights.setdefault(gap.subjects[0], [])
        if reason not in reasons:
            reasons.append(reason)
    return highlights


def highlight_level(reasons: Sequence[str]) -> str:
    """The most severe level among a record's reasons (``HIGH: …``, ``MEDIUM: …``…).

    A reason with no level of its own (a hand-made highlight) counts as ``high``: whoever
    wrote it wants it seen.

    >>> highlight_level(["LOW: a", "MEDIUM: b"]), highlight_level(["see this"])
    ('medium', 'high')
    """
    found = []
    for reason in reasons:
        prefix, sep, _ = str(reason).partition(":")
        level = prefix.strip().lower()
        found.append(level if sep and level in GAP_LEVELS else "high")
    return min(found, key=GAP_LEVELS.index, default="high")
