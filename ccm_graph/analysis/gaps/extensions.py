"""Gap rule about extension requests: an obligation whose deadline extension was requested
with no support recorded since (``extension_without_resources``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ...wording import say, year_window
from .._coverage import funding_unknown
from .._index import Forums, GraphIndex
from .record import Gap, assistance_of_state, gap_rule, make_gap, most_severe_first, not_asked
from .urgency import urgency_reasons

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["extension_resource_gaps"]


@gap_rule("extension_without_resources")
def extension_resource_gaps(
    G: nx.MultiDiGraph, *, as_of: str | date | None = None, window_years: int = 3,
    forums: Forums | None = None, index: GraphIndex | None = None,
) -> list[Gap]:  # fmt: skip
    """Obligations with an extension requested and no support recorded since the request.

    Support since the request is a ``SUPPORTS`` of the obligation (the State's own national
    funding included), or ``FUNDS`` to the State, its authority or its coalition, dated in or
    after the year of the latest request. Severity ``0.25 + 0.2 × urgency``: always medium (a
    request without resources behind it is worth raising with the Survey and Clearance
    Coordinators), more urgent obligations first. For a State that has not asked for
    international assistance the finding is informational.
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    gaps = []
    for state in index.affected_states():
        for ob in index.open_obligations(state):
            data = index.graph.nodes[ob]
            requested = data.get("extension_requested")
            if not requested:
                continue
            since = int(requested[:4])
            later_support = [s for s in index.supports_in.get(ob, [])
                             if s.year is not None and s.year >= since]  # fmt: skip
            later_funding = [f for f in index.funding_to_state(state)
                             if f.year is not None and f.year >= since]  # fmt: skip
            if later_support or later_funding:
                continue
            urgency, reasons = urgency_reasons(data, index.as_of, index.data_as_of)
            no_ask = assistance_of_state(index, state) == "not_requested"
            evidence = [say("latest extension request: {requested}", requested=requested),
                        *reasons,
                        say("no SUPPORTS or FUNDS dated {year} or later", year=since)]  # fmt: skip
            if no_ask:
                evidence.append(not_asked(index, state))
            summary = say("{obligation}: extension requested {requested}; no support recorded "
                          "in {window}", obligation=index.said(ob), requested=requested,
                          window=year_window(since, index.as_of.year))  # fmt: skip
            unknown = funding_unknown(index, state, since)
            if unknown is not None:
                evidence.append(unknown)
                summary = say("{summary}; {coverage}", summary=summary, coverage=unknown)
            gaps.append(make_gap(
                index, "extension_without_resources", (ob, state), 0.25 + 0.2 * urgency,
                summary,
                evidence,
                say("None for now: the State funds its own work; ask whether its budget covers "
                    "the extended plan.") if no_ask else
                say("Work with the Survey and Clearance Coordinators so the request comes with "
                    "a resource mobilisation plan; approach its past funders."),
                state=state, informational=no_ask,
            ))  # fmt: skip
    return most_severe_first(gaps)
