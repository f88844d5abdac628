"""Numbered source notes: every fact a hand-out shows points to the citation of its record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

__all__ = ["SourceNotes"]


@dataclass
class SourceNotes:
    """Citations in the order a hand-out first uses them; equal citations share one number."""

    texts: list[str] = field(default_factory=list)

    def cite(self, source: Any) -> list[int]:
        """The note numbers for a citation (``[]`` when the record has none)."""
        text = " ".join(str(source or "").split())
        if not text:
            return []
        if text not in self.texts:
            self.texts.append(text)
        return [self.texts.index(text) + 1]

    def node(self, G: nx.MultiDiGraph, node: str) -> list[int]:
        """The note of a record (a node)."""
        return self.cite(G.nodes[node].get("source")) if node in G else []

    def edges(self, G: nx.MultiDiGraph, u: str, v: str, kind: str, **match: Any) -> list[int]:
        """The notes of the ``kind`` relations from ``u`` to ``v`` whose attributes match."""
        numbers: list[int] = []
        if not G.has_edge(u, v):
            return numbers
        for data in G.get_edge_data(u, v).values():
            if data.get("type") != kind:
                continue
            if any(data.get(k) != want for k, want in match.items()):
                continue
            for n in self.cite(data.get("source")):
                if n not in numbers:
                    numbers.append(n)
        return numbers
