"""The obligations table of a coalition hand-out: deadlines, extensions, the request in view,
and how each fact shown is backed (quoted evidence or indicative)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from ..analysis import GraphIndex, obligation_urgency
from ..graph import fact_evidence, is_open_time_bound
from ._notes import SourceNotes

__all__ = ["obligation_rows"]


def obligation_rows(
    G: nx.MultiDiGraph, index: GraphIndex, sources: SourceNotes, state: str
) -> list[dict[str, Any]]:
    """The State's obligations with their deadlines and notes; ``urgency`` (annex only) for
    an open time-bound one. When the data keeps evidence, ``marks`` names the facts shown
    without quoted evidence (``indicative``) and the notes cite the sources quoted for the
    others."""
    obligations = []
    for ob in sorted(index.obligations_of.get(state, [])):
        data = G.nodes[ob]
        urgency = (
            obligation_urgency(
                data.get("deadline"),
                data.get("extensions"),
                index.as_of,
                requested=data.get("extension_requested"),
                outcome=data.get("request_outcome"),
                data_as_of=index.data_as_of,
                requested_deadline=data.get("requested_deadline"),
            )[0]
            if is_open_time_bound(data)
            else None
        )
        notes = sources.node(G, ob)
        marks: dict[str, str] = {}
        for key, column in _EVIDENCE_SHOWN.items():
            backed = fact_evidence(G, ob, column) if data.get(column) is not None else None
            if backed is None:
                continue
            if backed.indicative or not backed.source:
                marks[key] = "indicative"
            else:
                notes += [n for n in sources.cite(backed.source) if n not in notes]
        obligations.append(
            {
                "article": data.get("article"),
                "status": data.get("status"),
                "deadline": data.get("deadline"),
                "original": data.get("original_deadline"),
                "extensions": data.get("extensions") or 0,
                "requested": data.get("extension_requested"),
                "requested_deadline": (
                    data.get("requested_deadline")
                    if data.get("request_outcome") in ("pending", "not_recorded")
                    else None
                ),
                "urgency": urgency,
                "notes": notes,
                "marks": marks,
            }
        )
    return obligations


_EVIDENCE_SHOWN = {
    "deadline": "deadline",
    "original": "original_deadline",
    "requested": "extension_requested",
}
"""The obligation facts of the brief's table that ``evidence.csv`` backs: a fact without
quoted evidence is marked indicative, a quoted one cites its source (a numbered note)."""
