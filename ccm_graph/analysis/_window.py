"""What the data records in support of one State, inside and before a window.

Internal, shared by :mod:`.gaps` and :mod:`.support` so that a gap finding and the support
table count supporters, money and national funding the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..schema import TIME_BOUND_ARTICLES
from ..wording import Money, Phrase, say, say_n
from ._index import GraphIndex

__all__ = ["Funding", "Grant", "WindowSupport", "assistance_of", "window_support"]


@dataclass(frozen=True)
class Grant:
    """One gift of money reaching a State in the window (``amount_usd`` ``None``: not recorded)."""

    funder: str
    year: int
    amount_usd: float | None
    via: str  # the record the money went to: the State, its authority, coalition or obligation


@dataclass(frozen=True)
class Funding:
    """Money recorded in a window: the known total and how many grants had no amount.

    >>> Funding(1_200_000, 2, 3).text()
    'USD 1,200,000 + 3 grants of unknown amount'
    >>> Funding(None, 0, 1).text(), Funding(None, 0, 0).text()
    ('1 grant of unknown amount', 'none recorded')
    """

    known_usd: float | None
    known_grants: int
    unknown_grants: int

    @property
    def grants(self) -> int:
        return self.known_grants + self.unknown_grants

    def text(self) -> str:
        """The amount as people read it; unknown amounts are counted, never added as 0."""
        return str(self.phrase())

    def phrase(self) -> Phrase:
        """:meth:`text` as a :class:`~ccm_graph.wording.Phrase`, for other languages."""
        unknown = say_n("{count} grant of unknown amount", "{count} grants of unknown amount",
                        self.unknown_grants)  # fmt: skip
        if not self.grants:
            return say("none recorded")
        if self.known_grants and self.unknown_grants:
            return say("{amount} + {unknown}", amount=Money(self.known_usd), unknown=unknown)
        if self.known_grants:
            return Phrase("{amount}", (("amount", Money(self.known_usd)),))  # data only
        return unknown

    @classmethod
    def of(cls, grants: Iterable[Grant]) -> Funding:
        known = [g.amount_usd for g in grants if g.amount_usd is not None]
        unknown = sum(1 for g in grants if g.amount_usd is None)
        return cls(float(sum(known)) if known else None, len(known), unknown)


@dataclass(frozen=True)
class WindowSupport:
    """What the data records for a State's time-bound obligations, in and before the window.

    :ivar supporters: partners (never the State itself) with a ``SUPPORTS`` of one of the
        obligations dated in the window, or ``FUNDS`` dated in the window to the State, its
        national authority or its coalitions.
    :ivar grants: the money among that, each gift once (see the module docstring).
    :ivar technical: partners with technical or material ``SUPPORTS`` dated in the window.
    :ivar national_funding_years: years of the State's own support for its obligations.
    :ivar last_support_year: the latest year any support or funding is recorded, any year,
        national funding included; ``None`` when nothing dated is recorded.
    """

    supporters: tuple[str, ...]
    grants: tuple[Grant, ...]
    technical: tuple[str, ...]
    national_funding_years: tuple[int, ...]
    last_support_year: int | None

    @property
    def funding(self) -> Funding:
        return Funding.of(self.grants)


def window_support(
    index: GraphIndex, state: str, obligations: Iterable[str] | None = None
) -> WindowSupport:
    """The support recorded for ``state`` in the index's window (see :class:`WindowSupport`).

    ``obligations`` limits the ``SUPPORTS`` counted to those obligations (default: every
    Article 3 or 4 obligation of the State). Funding to the State counts for all of them.
    Undated rows count for no window: the data cannot say they fall in it.
    """
    if obligations is None:
        obligations = [
            ob
            for ob in index.obligations_of.get(state, [])
            if index.graph.nodes[ob].get("article") in TIME_BOUND_ARTICLES
        ]
    supports = [s for ob in obligations for s in index.supports_in.get(ob, [])]
    funding = index.funding_to_state(state)
    dated = [s.year for s in supports if s.year is not None]
    dated += [f.year for f in funding if f.year is not None]
    national = sorted({s.year for s in supports if s.actor == state and s.year is not None})
    recent_supports = [s for s in supports if s.actor != state and index.is_recent(s.year)]
    recent_funding = [f for f in funding if f.funder != state and index.is_recent(f.year)]
    grants = [Grant(f.funder, f.year, f.amount_usd, f.target)
              for f in recent_funding if f.year is not None]  # fmt: skip
    funded = {(g.funder, g.year) for g in grants}
    for s in recent_supports:
        if s.kind != "financial" or s.year is None:
            continue
        if (s.actor, s.year) in funded:
            if s.amount_usd is not None:
                grants = _fill_amount(grants, s.actor, s.year, s.amount_usd)
            continue
        grants.append(Grant(s.actor, s.year, s.amount_usd, s.obligation))
        funded.add((s.actor, s.year))
    supporters = {s.actor for s in recent_supports} | {f.funder for f in recent_funding}
    technical = {s.actor for s in recent_supports if s.kind in ("technical", "material")}
    return WindowSupport(
        supporters=tuple(sorted(supporters)),
        grants=tuple(sorted(grants, key=lambda g: (-g.year, g.funder, g.via))),
        technical=tuple(sorted(technical)),
        national_funding_years=tuple(national),
        last_support_year=max(dated) if dated else None,
    )


def _fill_amount(grants: list[Grant], funder: str, year: int, amount: float) -> list[Grant]:
    """Give the amount of a ``SUPPORTS`` row to the same donor's grant of that year when the
    ``FUNDS`` rows lack one (the first such grant only)."""
    same = [g for g in grants if (g.funder, g.year) == (funder, year)]
    if any(g.amount_usd is not None for g in same):
        return grants
    first = same[0]
    return [Grant(g.funder, g.year, amount, g.via) if g is first else g for g in grants]


def assistance_of(values: Iterable[str | None]) -> str:
    """A State's answer over its obligations: ``requested`` if any obligation asks for
    international assistance, ``not_requested`` if every one says it does not, else
    ``unknown``.

    >>> assistance_of(["not_requested", None]), assistance_of(["unknown", "requested"])
    ('unknown', 'requested')
    >>> assistance_of(["not_requested"])
    'not_requested'
    """
    answers = [v or "unknown" for v in values]
    if "requested" in answers:
        return "requested"
    if answers and all(a == "not_requested" for a in answers):
        return "not_requested"
    return "unknown"
