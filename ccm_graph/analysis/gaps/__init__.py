"""Synergy gaps: where an affected State's obligations, coalition or supporters fall short.

Every rule takes the NetworkX graph built by :func:`ccm_graph.graph.build_graph`, never
changes it, and returns :class:`Gap` records sorted from most to least severe. Each gap carries
the evidence a coordinator can quote in a meeting and a suggested next step.

The package, by job: :mod:`.record` (the :class:`Gap` record, its levels, the rule registry
:func:`gap_rule`), :mod:`.urgency` (how pressing an obligation is), the rules by subject
(:mod:`.obligations`, :mod:`.forums`, :mod:`.coalitions`, :mod:`.extensions`) and
:mod:`.report` (:func:`synergy_gaps`, every rule at once). Importing the package registers
every rule.

The rules, their formulas and their limits are explained for coordinators in
``docs/analysis.md``.
"""

from .coalitions import COALITION_NEEDS, coalition_composition_gaps
from .extensions import extension_resource_gaps
from .forums import cross_convention_gaps, masg_reach_gaps
from .obligations import ObligationCoverage, no_coalition_gaps, obligation_coverage
from .record import (
    GAP_RULES,
    LEVELS,
    Gap,
    GapPhrases,
    GapRule,
    assistance_of_state,
    gap_rule,
    gaps_by_state,
    level,
)
from .report import GAP_KINDS, synergy_gaps
from .urgency import HORIZON_DAYS, obligation_urgency, urgency_of, urgency_phrases

__all__ = [
    "COALITION_NEEDS",
    "GAP_KINDS",
    "GAP_RULES",
    "HORIZON_DAYS",
    "LEVELS",
    "Gap",
    "GapPhrases",
    "GapRule",
    "ObligationCoverage",
    "assistance_of_state",
    "coalition_composition_gaps",
    "cross_convention_gaps",
    "extension_resource_gaps",
    "gap_rule",
    "gaps_by_state",
    "level",
    "masg_reach_gaps",
    "no_coalition_gaps",
    "obligation_coverage",
    "obligation_urgency",
    "synergy_gaps",
    "urgency_of",
    "urgency_phrases",
]
