"""The analyses of one reading, computed once and shared by every page until the data change.

The :class:`~ccm_graph.source.DataSource` hands out the same :class:`~ccm_graph.source.Reading`
while the data's state is unchanged; :class:`Workbench` keeps the index, the support rows, the
gap findings, the name index and the recommender of the last reading, so a page costs its own
rendering, not a fresh analysis.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..metadata import reference_date as metadata_reference_date
from ..source import DataSource, Reading
from .tokens import FormTokens

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis import Gap, GraphIndex, PartnerRecommender, SupportRow
    from ..analysis.verify import VerifyItem
    from ..keeping import UploadPreview
    from ..names import NameIndex

__all__ = ["KEPT", "WINDOW_YEARS", "Analyses", "Workbench", "reference_date"]

KEPT = 32
"""Things made for the pages kept per reading (downloads by filter, table cells by language)."""

T = TypeVar("T")

WINDOW_YEARS = 3
"""The funding window of every page (as the command line's default ``--window``)."""


def reference_date(reading: Reading) -> date:
    """The day the pages count from: the data's as-of date, so that the pages say what the
    data say at their date; today only when the data state no date."""
    return metadata_reference_date(None, reading.dataset.info.as_of)


@dataclass(eq=False)
class Analyses:
    """What the pages ask of one reading; each part is computed at its first use."""

    reading: Reading
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _kept: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.reading.graph

    @cached_property
    def as_of(self) -> date:
        return reference_date(self.reading)

    @cached_property
    def index(self) -> GraphIndex:
        from ..analysis import GraphIndex

        return GraphIndex.build(self.graph, as_of=self.as_of, window_years=WINDOW_YEARS)

    @cached_property
    def support(self) -> list[SupportRow]:
        from ..analysis import support_rows

        return support_rows(self.graph, index=self.index)

    @cached_property
    def gaps(self) -> list[Gap]:
        from ..analysis import synergy_gaps

        return synergy_gaps(self.graph, index=self.index)

    @cached_property
    def names(self) -> NameIndex:
        from ..names import NameIndex

        return NameIndex.from_graph(self.graph)

    @cached_property
    def search_texts(self) -> list[tuple[str, frozenset[str]]]:
        """Each actor's and coalition's id, name and aliases, folded (case and accents
        ignored), for the search box."""
        from ..matching import fold

        return [(i, frozenset(fold(t) for t in self.names.texts(i))) for i in self.names.names]

    @cached_property
    def recommender(self) -> PartnerRecommender:
        from ..analysis import PartnerRecommender

        return PartnerRecommender.build(self.graph, index=self.index)

    @cached_property
    def verify(self) -> list[VerifyItem]:
        """The "to verify" queue of the reading (restricted records are not in it), with
        its evidence rows and stated funding coverage; deadlines passed by today."""
        from ..analysis.verify import to_verify

        return to_verify(self.reading.dataset, as_of=self.as_of, today=date.today())

    def kind(self, node: str) -> str | None:
        """The record's kind (``state``, ``operator``, ``coalition`` …), ``None`` if absent."""
        data = self.graph.nodes.get(node)
        if data is None:
            return None
        return str(data.get("kind") or data.get("node_type"))

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """Something made once per reading (``key`` names it: a download with its filters,
        the support table's cells in a language); the last :data:`KEPT` are kept."""
        found = self._kept.get(key)
        if found is None:
            found = make()
            with self._lock:
                if len(self._kept) >= KEPT:
                    self._kept.pop(next(iter(self._kept)))
                self._kept[key] = found
        return cast(T, found)

    def warm(self) -> Analyses:
        """Compute every part now (under a lock, so two requests do not compute it twice)."""
        with self._lock:
            _ = self.index, self.support, self.gaps, self.names, self.search_texts
        return self


@dataclass(eq=False)
class Workbench:
    """The one data source the app reads, and the analyses of its latest reading."""

    source: DataSource
    tokens: FormTokens = field(default_factory=FormTokens, repr=False)
    """The per-form tokens every write must carry (:mod:`~ccm_graph.workbench.tokens`)."""
    previews: dict[str, UploadPreview] = field(default_factory=dict, repr=False)
    """Uploaded workbooks previewed and not yet applied, by a random id (the last few)."""
    _last: dict[bool, Analyses] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def analyses(self, *, include_restricted: bool = False) -> Analyses:
        """The analyses of the source's current reading: restricted records left out, unless
        ``include_restricted`` (for an account that may see them, :class:`~ccm_graph.
        workbench.web.Viewer`). The two readings are kept apart, each with its own analyses.

        :raises DataError: the data break the rules.
        :raises StoreUnavailable: Neo4j cannot be reached.
        """
        reading = self.source.read(include_restricted=include_restricted)
        with self._lock:
            current = self._last.get(include_restricted)
            if current is None or current.reading is not reading:
                current = self._last[include_restricted] = Analyses(reading)
        return current.warm()

    def keep_preview(self, preview: UploadPreview) -> str:
        """Keep ``preview`` until it is applied; its id (the oldest of more than
        :data:`KEPT` previews is forgotten)."""
        import secrets

        ident = secrets.token_urlsafe(16)
        with self._lock:
            while len(self.previews) >= KEPT:
                self.previews.pop(next(iter(self.previews)))
            self.previews[ident] = preview
        return ident
