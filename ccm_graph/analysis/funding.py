"""Funding by year, split by donor or by recipient: the series behind the workbench's charts.

Pure functions over a :class:`~ccm_graph.analysis.GraphIndex`: what a State received (from
whom, in which year) and what a donor gave (to whom, in which year), every ``FUNDS`` relation
counted once. Grants without an amount are counted as such, never as 0; grants without a
year are counted apart (a chart has no column for them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ._index import FundingFact, GraphIndex

__all__ = ["FundingSeries", "funding_given", "funding_received"]


@dataclass(frozen=True)
class FundingSeries:
    """Amounts by year and by party (the donor or the recipient, as the series says).

    :ivar years: the years with a grant, oldest first (every year between, so gaps show).
    :ivar parties: the party ids, largest total first (ties by id).
    :ivar names: party id → its name.
    :ivar amounts: ``(party, year)`` → US dollars recorded (grants with an amount only).
    :ivar unknown_amounts: grants recorded without an amount.
    :ivar unknown_cells: the ``(party, year)`` pairs with a grant recorded without an amount.
    :ivar undated: grants recorded without a year (not in :attr:`amounts`).
    """

    years: tuple[int, ...]
    parties: tuple[str, ...]
    names: dict[str, str]
    amounts: dict[tuple[str, int], float]
    unknown_amounts: int
    undated: int
    unknown_cells: frozenset[tuple[str, int]] = frozenset()

    def year_total(self, year: int) -> float:
        """Every party's amount in ``year``."""
        return sum(self.amounts.get((p, year), 0.0) for p in self.parties)

    def party_total(self, party: str) -> float:
        """One party's amount over every year."""
        return sum(self.amounts.get((party, y), 0.0) for y in self.years)

    @property
    def total(self) -> float:
        """Everything recorded with an amount and a year."""
        return sum(self.amounts.values())

    @property
    def empty(self) -> bool:
        """No grant at all."""
        return not self.parties and not self.unknown_amounts and not self.undated


def funding_received(index: GraphIndex, state: str) -> FundingSeries:
    """What reached ``state`` (directly, via its national authority or its coalitions), by
    donor and year."""
    return _series(index, index.funding_to_state(state), lambda f: f.funder)


def funding_given(index: GraphIndex, actor: str) -> FundingSeries:
    """What ``actor`` gave, by recipient and year."""
    return _series(index, index.funding_out.get(actor, []), lambda f: f.target)


def _series(index: GraphIndex, facts: Iterable[FundingFact], party_of: Callable[[FundingFact], str]
            ) -> FundingSeries:  # fmt: skip
    amounts: dict[tuple[str, int], float] = defaultdict(float)
    parties: set[str] = set()
    unknown = undated = 0
    unknown_cells: set[tuple[str, int]] = set()
    for fact in facts:
        party = party_of(fact)
        if fact.year is None:
            undated += 1
            continue
        parties.add(party)
        if fact.amount_usd is None:
            unknown += 1
            unknown_cells.add((party, int(fact.year)))
            amounts.setdefault((party, int(fact.year)), 0.0)
            continue
        amounts[(party, int(fact.year))] += float(fact.amount_usd)
    years = sorted({y for _, y in amounts})
    span = tuple(range(years[0], years[-1] + 1)) if years else ()
    totals = {p: sum(v for (q, _), v in amounts.items() if q == p) for p in parties}
    ordered = tuple(sorted(parties, key=lambda p: (-totals[p], p)))
    names = {p: index.name(p) for p in ordered}
    return FundingSeries(span, ordered, names, dict(amounts), unknown, undated,
                         frozenset(unknown_cells))  # fmt: skip
