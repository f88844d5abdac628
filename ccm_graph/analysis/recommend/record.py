"""The candidate record and what it is scored on: the roles, the weights of the signals, the
bands, and a :class:`Recommendation` with its :class:`ScorePart` s."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...wording import ENGLISH, Phrase, Voice

__all__ = [
    "BANDS",
    "DEFAULT_WEIGHTS",
    "ROLES",
    "Recommendation",
    "ScorePart",
    "band_of",
]

ROLES = ("donor", "operator", "technical")
"""The three roles a candidate can be proposed for."""

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "donor": {
        "current_funder": 3.0,
        "past_funder": 3.0,
        "funding_continuity": 1.0,
        "regional_funder": 2.0,
        "donor_size": 4.0,
        "funds_operator_there": 1.5,
        "shared_language": 1.0,
        "masg_member": 1.0,
    },
    "operator": {
        "operates_there": 4.0,
        "regional_footprint": 2.0,
        "funded_by_target_donors": 1.5,
        "field_reach": 1.0,
        "clearance_experience": 1.0,
    },
    "technical": {
        "completion_experience": 1.5,
        "supported_target_before": 2.0,
        "technical_support_elsewhere": 2.0,
        "same_region": 3.0,
        "shared_language": 1.5,
        "works_there": 1.0,
    },
}
"""Points per signal at full strength, by role (a signal's value runs from 0 to 1)."""

BANDS: tuple[tuple[str, float], ...] = (("strong", 5.0), ("medium", 3.0), ("weak", 0.0))
"""A score of at least this many points earns the band (checked in order)."""


def band_of(score: float) -> str:
    """The band of a score: ``strong``, ``medium`` or ``weak`` (:data:`BANDS`).

    >>> band_of(6.0), band_of(3.0), band_of(0.5)
    ('strong', 'medium', 'weak')
    """
    for band, floor in BANDS:
        if score >= floor:
            return band
    return BANDS[-1][0]


@dataclass(frozen=True)
class ScorePart:
    """One signal's contribution: ``points = weight × value``, with its evidence.

    ``phrases`` holds the evidence as :class:`~ccm_graph.wording.Phrase` (``evidence`` is their
    English), so a hand-out words it in its language (:meth:`worded`).
    """

    signal: str
    weight: float
    value: float
    evidence: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...] = ()
    phrases: tuple[Phrase, ...] = field(default=(), compare=False, repr=False)

    def worded(self, voice: Voice = ENGLISH) -> tuple[str, ...]:
        """The evidence in ``voice``'s language (English when made without phrases)."""
        if not self.phrases or voice is ENGLISH:
            return self.evidence
        return tuple(p.render(voice) for p in self.phrases)

    @property
    def points(self) -> float:
        return round(self.weight * self.value, 3)


@dataclass(frozen=True)
class Recommendation:
    """A candidate partner for a State or coalition, in one role, with the parts of its score.

    ``target`` is the id the request resolved to (the coalition's id for a coalition).
    """

    target: str
    candidate: str
    name: str
    kind: str
    role: str
    score: float
    parts: tuple[ScorePart, ...]

    @property
    def band(self) -> str:
        """``strong``, ``medium`` or ``weak`` (:func:`band_of`)."""
        return band_of(self.score)

    @property
    def reasons(self) -> list[str]:
        """One plain sentence per signal, strongest first."""
        return [part.evidence[0] for part in self.parts if part.evidence]

    def reasons_in(self, voice: Voice = ENGLISH) -> list[str]:
        """:attr:`reasons` in ``voice``'s language."""
        return [part.worded(voice)[0] for part in self.parts if part.evidence]

    def as_record(self, *, explain: bool = False) -> dict[str, object]:
        """Plain dict with stable keys; ``explain`` adds all evidence and the paths of ids."""
        parts = []
        for part in self.parts:
            entry: dict[str, object] = {
                "signal": part.signal,
                "weight": part.weight,
                "value": round(part.value, 3),
                "points": part.points,
                "evidence": list(part.evidence),
            }
            if explain:
                entry["paths"] = [list(p) for p in part.paths]
            parts.append(entry)
        return {
            "target": self.target,
            "candidate": self.candidate,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "band": self.band,
            "score": self.score,
            "reasons": self.reasons,
            "parts": parts,
        }
