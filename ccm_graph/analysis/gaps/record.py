"""The gap record, its levels, the registry of gap rules, and what every rule shares.

A :class:`Gap` is one finding of the gap report; :func:`gap_rule` registers a rule function in
:data:`GAP_RULES` (the report, ``gaps --kind`` and the documentation checks read it). The
helpers every rule uses are here too: :func:`make_gap` (a gap with its sentences as phrases),
:func:`most_severe_first`, :func:`assistance_of_state` and :func:`not_asked`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ...wording import ENGLISH, Phrase, Voice, say
from .._index import GraphIndex
from .._window import assistance_of

__all__ = [
    "GAP_RULES",
    "LEVELS",
    "Gap",
    "GapPhrases",
    "GapRule",
    "assistance_of_state",
    "gap_rule",
    "gaps_by_state",
    "level",
    "make_gap",
    "most_severe_first",
    "not_asked",
]


@dataclass(frozen=True)
class GapRule:
    """One rule of the gap report: the function, the gap kinds it finds, what it checks."""

    name: str
    function: Callable[..., list[Gap]]
    kinds: tuple[str, ...]
    description: str


GAP_RULES: dict[str, GapRule] = {}
"""Every gap rule, in report order. Add a gap kind by writing one function decorated with
:func:`gap_rule`: the report, ``--kind`` choices and documentation checks pick it up."""


def gap_rule(*kinds: str) -> Callable[[Callable[..., list[Gap]]], Callable[..., list[Gap]]]:
    """Register a rule function that finds gaps of ``kinds`` (its docstring's first line is
    the rule's description)."""

    def register(function: Callable[..., list[Gap]]) -> Callable[..., list[Gap]]:
        description = (function.__doc__ or "").strip().splitlines()[0]
        GAP_RULES[function.__name__] = GapRule(function.__name__, function, kinds, description)
        return function

    return register


@dataclass(frozen=True)
class Gap:
    """One synergy gap.

    :ivar kind: one of :data:`GAP_KINDS`.
    :ivar subjects: ids of the records the gap is about (the State, obligation, coalition,
        actor…), most important first; ``names`` holds their labels in the same order.
    :ivar severity: 0 (no concern) to 1 (act now); ``level`` is ``high`` (≥ 0.5),
        ``medium`` (≥ 0.25) or ``low``, or ``info`` for an informational finding.
    :ivar summary: the finding in one sentence; it names its window ("in 2023–2026") or its
        date ("as of 2026-02-27").
    :ivar evidence: the facts and relations that produced it, one sentence each.
    :ivar next_step: what a coordinator could do about it.
    :ivar state: the affected State the finding is about (``None`` for findings about a donor,
        forum member or organisation in general).
    :ivar informational: a fact worth knowing, not a shortfall to act on (e.g. the coverage of
        a State that has not asked for assistance); its severity is 0 and its level ``info``.
    :ivar phrases: the summary, each line of evidence and the next step as
        :class:`~ccm_graph.wording.Phrase` (template and data), so a hand-out words them in
        its language (:meth:`worded`); ``summary``, ``evidence`` and ``next_step`` are their
        English.
    """

    kind: str
    subjects: tuple[str, ...]
    names: tuple[str, ...]
    severity: float
    summary: str
    evidence: tuple[str, ...]
    next_step: str
    state: str | None = None
    informational: bool = False
    phrases: GapPhrases | None = field(default=None, compare=False, repr=False)

    @property
    def level(self) -> str:
        return "info" if self.informational else level(self.severity)

    def worded(self, voice: Voice = ENGLISH) -> tuple[str, tuple[str, ...], str]:
        """``(summary, evidence, next_step)`` in ``voice``'s language (the English fields for
        :data:`~ccm_graph.wording.ENGLISH`, or for a gap made without phrases)."""
        if self.phrases is None or voice is ENGLISH:
            return self.summary, self.evidence, self.next_step
        said = self.phrases
        return (
            said.summary.render(voice),
            tuple(p.render(voice) for p in said.evidence),
            said.next_step.render(voice),
        )

    def as_record(self) -> dict[str, object]:
        """A plain dict with stable keys (the JSON and CSV form)."""
        return {
            "kind": self.kind,
            "level": self.level,
            "severity": self.severity,
            "state": self.state,
            "subjects": list(self.subjects),
            "names": list(self.names),
            "summary": self.summary,
            "evidence": list(self.evidence),
            "next_step": self.next_step,
        }


@dataclass(frozen=True)
class GapPhrases:
    """A gap's sentences as phrases (see :attr:`Gap.phrases`)."""

    summary: Phrase
    evidence: tuple[Phrase, ...]
    next_step: Phrase


LEVELS = ("high", "medium", "low", "info")
"""The levels of a gap, most severe first; ``info`` is below ``low``."""


def level(severity: float) -> str:
    """``high``, ``medium`` or ``low`` for a severity between 0 and 1.

    >>> level(0.5), level(0.25), level(0.1)
    ('high', 'medium', 'low')
    """
    return "high" if severity >= 0.5 else "medium" if severity >= 0.25 else "low"


def make_gap(index: GraphIndex, kind: str, subjects: Iterable[str], severity: float,
         summary: Phrase, evidence: Iterable[Phrase], next_step: Phrase, *,
         state: str | None = None, informational: bool = False) -> Gap:  # fmt: skip
    ids = tuple(subjects)
    facts = tuple(evidence)
    return Gap(
        kind=kind,
        subjects=ids,
        names=tuple(index.name(s) for s in ids),
        severity=0.0 if informational else round(min(max(severity, 0.0), 1.0), 3),
        summary=str(summary),
        evidence=tuple(str(f) for f in facts),
        next_step=str(next_step),
        state=state,
        informational=informational,
        phrases=GapPhrases(summary, facts, next_step),
    )


def most_severe_first(gaps: Iterable[Gap]) -> list[Gap]:
    return sorted(gaps, key=lambda g: (-g.severity, g.informational, g.kind, g.subjects))


def gaps_by_state(gaps: Iterable[Gap]) -> list[tuple[str | None, list[Gap]]]:
    """Findings grouped by the State they are about, the group with the most severe finding
    first; within a group, most severe first. Findings about no State (donors, forum
    members, organisations) come last, as one group under ``None``.

    >>> from ccm_graph.analysis import synergy_gaps
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> [state for state, _ in gaps_by_state(synergy_gaps(tiny_graph(), as_of="2026-01-01"))]
    ['B', 'A']
    """
    groups: dict[str | None, list[Gap]] = {}
    for gap in most_severe_first(gaps):
        groups.setdefault(gap.state, []).append(gap)
    order = sorted(
        (state for state in groups if state is not None),
        key=lambda state: (_group_rank(groups[state]), state),
    )
    result: list[tuple[str | None, list[Gap]]] = [(state, groups[state]) for state in order]
    if None in groups:
        result.append((None, groups[None]))
    return result


def _group_rank(gaps: list[Gap]) -> tuple[float, int]:
    top = gaps[0]
    return (-top.severity, LEVELS.index(top.level))


def assistance_of_state(index: GraphIndex, state: str) -> str:
    """Whether a State asked for international assistance for its open Article 3/4
    obligations: ``requested``, ``not_requested`` or ``unknown`` (see
    :func:`~ccm_graph.analysis.support.assistance_of`)."""
    return assistance_of(
        index.graph.nodes[ob].get("assistance_requested") for ob in index.open_obligations(state)
    )


def not_asked(index: GraphIndex, state: str) -> Phrase:
    """The evidence line of a State that has not asked for international assistance."""
    return say("{state} has not asked for international assistance", state=index.said(state))
