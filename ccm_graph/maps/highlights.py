"""Gap findings as map highlights: which records get a red ring, and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

__all__ = ["GapLike", "highlights_from_gaps"]


class GapLike(Protocol):
    """What :func:`highlights_from_gaps` reads from a finding (``ccm_graph.analysis.Gap``)."""

    @property
    def subjects(self) -> Sequence[str]: ...

    @property
    def summary(self) -> str: ...

    @property
    def level(self) -> str: ...


def highlights_from_gaps(gaps: Iterable[GapLike]) -> dict[str, list[str]]:
    """Gap findings as map highlights: the record each gap is mainly about → its findings.

    A gap's first subject is what it is about (the under-supported obligation, the State with
    no coalition, the MASG member); only that record is ringed, so the red rings stay few
    enough to read. Each reason reads ``HIGH: <summary>`` (level, then the finding).

    >>> from types import SimpleNamespace as Finding
    >>> highlights_from_gaps([Finding(subjects=("ob-LAO-4", "LAO"), level="high",
    ...                               summary="Lao PDR: Article 4: no support")])
    {'ob-LAO-4': ['HIGH: Lao PDR: Article 4: no support']}
    """
    highlights: dict[str, list[str]] = {}
    for gap in gaps:
        if not gap.subjects:
            continue
        reason = f"{gap.level.upper()}: {gap.summary}"
        reasons = highlights.setdefault(gap.subjects[0], [])
        if reason not in reasons:
            reasons.append(reason)
    return highlights
