"""The gap report: every registered gap rule at once (:func:`synergy_gaps`).

The rule modules are imported here, so importing this module (or the package) registers every
rule; :data:`RULE_MODULES` puts :data:`GAP_RULES` (and with it :data:`GAP_KINDS`, the
``gaps --kind`` choices) in report order, whichever module was imported first. A new rule
module is added to that list; a new rule in a listed module needs nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from .._index import Forums, GraphIndex
from . import coalitions, extensions, forums, obligations
from .record import GAP_RULES, Gap, GapRule, most_severe_first

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GAP_KINDS", "RULE_MODULES", "synergy_gaps"]

RULE_MODULES = (obligations, forums, coalitions, extensions)
"""The modules of gap rules, in report order; within a module, rules run in the order they
are written."""


def _report_position(rule: GapRule) -> tuple[int, int]:
    modules = [module.__name__ for module in RULE_MODULES]
    module = rule.function.__module__
    position = modules.index(module) if module in modules else len(modules)
    return position, rule.function.__code__.co_firstlineno


_in_order = sorted(GAP_RULES.values(), key=_report_position)
GAP_RULES.clear()
GAP_RULES.update((rule.name, rule) for rule in _in_order)

GAP_KINDS: tuple[str, ...] = tuple(kind for rule in GAP_RULES.values() for kind in rule.kinds)
"""Every gap kind, in report order."""


def synergy_gaps(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    forums: Forums | None = None,
    kinds: Iterable[str] | None = None,
    index: GraphIndex | None = None,
) -> list[Gap]:
    """Every gap rule of :data:`GAP_RULES` at once, most severe first.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph`` (see :func:`ccm_graph.graph.build_graph`).
    as_of : reference date for deadlines and the funding window (default: the data's as-of
        date, :func:`ccm_graph.metadata.reference_date`).
    window_years : how many years before the as-of year count as recent funding.
    forums : which forum ids are MASG, the APMBC committee and the CCM bodies.
    kinds : keep only these gap kinds (see :data:`GAP_KINDS`).
    index : a :class:`GraphIndex` of ``G`` already built (e.g. shared with a
        :class:`~ccm_graph.analysis.PartnerRecommender`); ``as_of``, ``window_years`` and
        ``forums`` are then taken from it.

    Returns
    -------
    list of :class:`Gap`, sorted by severity (highest first), then kind and subjects. Empty
    when the graph has no affected State Party.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> sorted({g.kind for g in synergy_gaps(tiny_graph(), as_of="2026-01-01")})
    ['coalition_composition', 'extension_without_resources', 'no_coalition', 'obligation_coverage']
    """
    wanted = set(kinds) if kinds is not None else None
    if wanted is not None and (unknown := wanted - set(GAP_KINDS)):
        raise ValueError(f"unknown gap kind(s): {', '.join(sorted(unknown))}")
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    rules = [r for r in GAP_RULES.values() if wanted is None or wanted & set(r.kinds)]
    gaps = [gap for rule in rules for gap in rule.function(G, index=index)]
    if wanted is not None:
        gaps = [g for g in gaps if g.kind in wanted]
    return most_severe_first(gaps)
