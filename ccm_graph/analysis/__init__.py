"""Analyses over the ccm-graph NetworkX graph: synergy gaps, partner recommendations, brokers.

Pure functions in the NetworkX mould: they take the graph from
:func:`ccm_graph.graph.build_graph`, never change it, print nothing, and return records that
carry their evidence. ``docs/analysis.md`` explains each result in coordinators' terms.
"""

from ._index import CCM_CONVENTIONS, DEFAULT_FORUMS, Forums, GraphIndex, money
from .gaps import (
    GAP_KINDS,
    Gap,
    coalition_composition_gaps,
    cross_convention_gaps,
    extension_resource_gaps,
    masg_reach_gaps,
    no_coalition_gaps,
    obligation_coverage,
    obligation_urgency,
    synergy_gaps,
)
from .recommend import (
    BANDS,
    DEFAULT_WEIGHTS,
    ROLES,
    PartnerRecommender,
    Recommendation,
    ScorePart,
    band_of,
    national_bodies,
    recommend_partners,
)
from .standing import PITCHABLE, Standing, coalition_standing, is_withdrawn
from .structure import Broker, Community, StructureReport, network_structure
from .support import SupportRow, support_row_for, support_rows

__all__ = [
    "BANDS",
    "CCM_CONVENTIONS",
    "DEFAULT_FORUMS",
    "DEFAULT_WEIGHTS",
    "GAP_KINDS",
    "PITCHABLE",
    "ROLES",
    "Broker",
    "Community",
    "Forums",
    "Gap",
    "GraphIndex",
    "PartnerRecommender",
    "Recommendation",
    "ScorePart",
    "Standing",
    "StructureReport",
    "SupportRow",
    "band_of",
    "coalition_composition_gaps",
    "coalition_standing",
    "cross_convention_gaps",
    "extension_resource_gaps",
    "is_withdrawn",
    "masg_reach_gaps",
    "money",
    "national_bodies",
    "network_structure",
    "no_coalition_gaps",
    "obligation_coverage",
    "obligation_urgency",
    "recommend_partners",
    "support_row_for",
    "support_rows",
    "synergy_gaps",
]
