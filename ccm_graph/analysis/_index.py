"""Lookups the analyses share, built once per graph in one pass over its edges.

Internal: the public functions in :mod:`.gaps`, :mod:`.recommend` and :mod:`.structure` take a
graph and build (or are handed) a :class:`GraphIndex`, so answering many questions about one
graph costs one pass over it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..graph import affected_states, is_open_time_bound
from ..metadata import DEFAULT_FORUMS, Forums, reference_date
from ..schema import LIVE_COALITION_STATUSES
from ..wording import Name, format_usd

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "CCM_CONVENTIONS",
    "DEFAULT_FORUMS",
    "MAX_WINDOW_YEARS",
    "NOT_MEMBER_ROLES",
    "Forums",
    "FundingFact",
    "GraphIndex",
    "SupportFact",
    "money",
    "parse_as_of",
]


NOT_MEMBER_ROLES = ("observer", "secretariat")
"""Roles in a forum that take part without membership: an observer is never counted or
called a member, nor is the secretariat."""

CCM_CONVENTIONS = ("CCM", "both")
"""``convention`` values of funding and support that count for the CCM (``both``: CCM and
APMBC alike)."""


@dataclass(frozen=True)
class FundingFact:
    """One ``FUNDS`` relation: who gave, to whom, when, how much, under which convention."""

    funder: str
    target: str
    year: int | None
    amount_usd: float | None
    convention: str | None
    purpose: str | None


@dataclass(frozen=True)
class SupportFact:
    """One ``SUPPORTS`` relation: an actor helping with an obligation."""

    actor: str
    obligation: str
    kind: str | None
    year: int | None
    convention: str | None
    amount_usd: float | None


def parse_as_of(value: str | date | None) -> date:
    """The reference date: a ``date``, an ISO ``YYYY-MM-DD`` string, or today when ``None``."""
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _active(since: str | None, until: str | None, as_of: date) -> bool:
    """Whether a ``since``/``until`` span (partial dates allowed) covers ``as_of``."""
    today = as_of.isoformat()
    if since and since[: len(today)] > today[: len(since)]:
        return False
    return not (until and until < today[: len(until)])


MAX_WINDOW_YEARS = 200
"""The longest funding window in years: from any as-of date it reaches before 1900, the first
year a record may hold, and no year it computes is negative."""


@dataclass
class GraphIndex:
    """Everything the analyses look up, keyed by id."""

    graph: nx.MultiDiGraph
    as_of: date
    window_years: int = 3
    forums: Forums = DEFAULT_FORUMS
    obligations_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    authorities_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    coalitions_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    focus_of: dict[str, str] = field(default_factory=dict)
    members: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    joined: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    operators_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    operates_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    funding_in: dict[str, list[FundingFact]] = field(default_factory=lambda: defaultdict(list))
    funding_out: dict[str, list[FundingFact]] = field(default_factory=lambda: defaultdict(list))
    supports_in: dict[str, list[SupportFact]] = field(default_factory=lambda: defaultdict(list))
    supports_out: dict[str, list[SupportFact]] = field(default_factory=lambda: defaultdict(list))
    forums_of: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    participates: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    data_as_of: date | None = None
    """The data's own as-of date (``G.graph["as_of"]``, from ``metadata.json``): what happened
    after it may simply not be recorded yet."""

    @classmethod
    def build(
        cls,
        graph: nx.MultiDiGraph,
        *,
        as_of: str | date | None = None,
        window_years: int = 3,
        forums: Forums | None = None,
    ) -> GraphIndex:
        """Index ``graph`` for analyses as of a date, with a funding window in years.

        Without ``as_of`` the analyses count from the data's own as-of date (``G.graph
        ["as_of"]``), today only when the data state none: :func:`~ccm_graph.metadata.
        reference_date`, the one date rule of every output."""
        if not 0 <= window_years <= MAX_WINDOW_YEARS:
            raise ValueError(
                f"the funding window of {window_years} years is not from 0 to "
                f"{MAX_WINDOW_YEARS} (years in the data run from 1900 to 2100)"
            )
        if forums is None:
            forums = graph.graph.get("forums", DEFAULT_FORUMS)
        stated = graph.graph.get("as_of")
        index = cls(graph, reference_date(as_of, stated), window_years, forums)
        index.data_as_of = parse_as_of(stated) if stated else None
        nodes = graph.nodes
        for u, v, data in graph.edges(data=True):
            kind = data.get("type")
            if kind == "HAS_OBLIGATION":
                index.obligations_of[u].append(v)
            elif kind == "FOCUSES_ON":
                index.coalitions_of[v].append(u)
                index.focus_of[u] = v
            elif kind == "MEMBER_OF":
                if not _active(None, data.get("until"), index.as_of):
                    continue
                if nodes[v].get("node_type") == "coalition":
                    index.members[v][u] = data.get("role") or "member"
                    index.joined[u][v] = data.get("role") or "member"
                else:
                    index.forums_of[u][v] = data.get("role") or "member"
            elif kind == "OPERATES_IN":
                if not _active(data.get("since"), data.get("until"), index.as_of):
                    continue
                if nodes[u].get("kind") == "national_authority":
                    index.authorities_of[v].add(u)
                else:
                    index.operators_in[v].add(u)
                    index.operates_in[u].add(v)
            elif kind == "FUNDS":
                fact = FundingFact(
                    u, v, data.get("year"), data.get("amount_usd"), data.get("convention"),
                    data.get("purpose"),
                )  # fmt: skip
                index.funding_in[v].append(fact)
                index.funding_out[u].append(fact)
            elif kind == "SUPPORTS":
                support = SupportFact(
                    u, v, data.get("role"), data.get("year"), data.get("convention"),
                    data.get("amount_usd"),
                )  # fmt: skip
                index.supports_in[v].append(support)
                index.supports_out[u].append(support)
            elif kind == "PARTICIPATES_IN":
                index.participates[u].add(v)
        return index

    # --- small questions ---------------------------------------------------------------------

    def name(self, node: str) -> str:
        """The human-readable label of a node."""
        data = self.graph.nodes.get(node)
        return str(data.get("label", node)) if data is not None else node

    def said(self, node: str) -> Name:
        """A node's name for a sentence (:class:`~ccm_graph.wording.Name`): its label, its
        aliases, and for an obligation its State and article, so each language words it."""
        data = self.graph.nodes.get(node)
        if data is None:
            return Name(node)
        aliases = data.get("aliases")
        if data.get("node_type") == "obligation":
            state = next((u for u, _, kind in self.graph.in_edges(node, data="type")
                          if kind == "HAS_OBLIGATION"), None)  # fmt: skip
            if state is not None and data.get("article") is not None:
                return Name(self.name(node), None, self.said(state), int(data["article"]))
        return Name(self.name(node), str(aliases) if aliases else None)

    def kind(self, node: str) -> str:
        """An actor's kind, or the node type for other records."""
        data = self.graph.nodes[node]
        return str(data.get("kind") if data.get("node_type") == "actor" else data.get("node_type"))

    def is_recent(self, year: int | None) -> bool:
        """Whether a year falls in the funding window ending at the as-of year."""
        return year is not None and self.as_of.year - self.window_years <= year <= self.as_of.year

    def window_text(self) -> str:
        return f"{self.as_of.year - self.window_years}–{self.as_of.year}"

    def open_obligations(self, state: str) -> list[str]:
        """A State's time-bound (Article 3 or 4) obligations that are not completed."""
        result = []
        for ob in self.obligations_of.get(state, []):
            if is_open_time_bound(self.graph.nodes[ob]):
                result.append(ob)
        return sorted(result)

    def affected_states(self) -> list[str]:
        """States Parties with at least one open Article 3 or 4 obligation
        (:func:`ccm_graph.graph.affected_states`)."""
        return sorted(affected_states(self.graph))

    def support_targets(self, state: str) -> set[str]:
        """Where money for a State can go: the State, its national authority, its coalitions."""
        return {state, *self.authorities_of.get(state, ()), *self.coalitions_of.get(state, ())}

    def funding_to_state(self, state: str) -> list[FundingFact]:
        """Every ``FUNDS`` fact reaching a State directly, via its authority or coalition."""
        facts = [f for t in self.support_targets(state) for f in self.funding_in.get(t, [])]
        return sorted(facts, key=_funding_order)

    def live_coalitions(self, state: str) -> list[str]:
        """Coalitions focused on a State that are proposed, forming or active."""
        return sorted(
            c
            for c in self.coalitions_of.get(state, [])
            if self.graph.nodes[c].get("status") in LIVE_COALITION_STATUSES
        )

    def masg_role(self, actor: str) -> str | None:
        """The actor's role in MASG as of the index's date (``member``, ``chair``,
        ``observer``, ``secretariat`` …), ``None`` when it has none."""
        return self.forums_of.get(actor, {}).get(self.forums.masg)

    def is_masg_member(self, actor: str) -> bool:
        """Whether the actor is a MASG member (or its chair): an observer or the
        secretariat takes part without being a member."""
        return self.masg_role(actor) not in (None, *NOT_MEMBER_ROLES)

    def masg_members(self) -> list[str]:
        """MASG's members as of the index's date; observers and the secretariat left out."""
        return sorted(a for a in self.forums_of if self.is_masg_member(a))

    def is_coordinator(self, actor: str) -> bool:
        """Whether the actor is one of the CCM Coordinators (a role in a forum of
        ``forums.ccm_coordinators``) as of the index's date: the tool's own users."""
        coordinators = set(self.forums.ccm_coordinators)
        return any(
            forum in coordinators and role == "coordinator"
            for forum, role in self.forums_of.get(actor, {}).items()
        )

    def is_ccm_body(self, node: str) -> bool:
        return node.startswith(self.forums.ccm_prefix) and self.kind(node) in (
            "forum",
            "secretariat",
        )


def _funding_order(fact: FundingFact) -> tuple[int, str, str]:
    return (-(fact.year or 0), fact.funder, fact.target)


money = format_usd
