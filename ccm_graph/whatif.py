"""What if: the same analyses on the data as it is and with some rows added, side by side.

"If Qatar funds Chad's national authority, does Chad still need a coalition?" A coordinator
writes the extra rows in the seed format (any subset of the five files, see
:func:`ccm_graph.dataset.read_additions`) and :func:`what_if` answers, writing nothing
anywhere: the synergy gaps opened and closed, the States whose most severe finding moves
(``Chad: high → medium``), the per-State support rows that change, and how each State's top
partners move.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .dataset import Dataset
from .escaping import md_escape
from .schema import TABLES

__all__ = ["LevelMove", "PartnerMove", "SupportChange", "WhatIf", "render_what_if", "what_if"]


@dataclass(frozen=True)
class LevelMove:
    """A State whose most severe gap finding changes level (``none`` when it has none)."""

    state: str
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class SupportChange:
    """A State's support row before and after, with the fields that differ (worded cells)."""

    state: str
    name: str
    changes: tuple[tuple[str, str, str], ...]  # (field, before, after)


@dataclass(frozen=True)
class PartnerMove:
    """A State's top partners before and after: who enters, who leaves."""

    state: str
    name: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def entered(self) -> tuple[str, ...]:
        return tuple(p for p in self.after if p not in self.before)

    @property
    def left(self) -> tuple[str, ...]:
        return tuple(p for p in self.before if p not in self.after)


@dataclass
class WhatIf:
    """Everything :func:`what_if` found. Lists are empty when nothing moves."""

    as_of: str
    window: str
    added: dict[str, int]
    gaps_opened: list[Any] = field(default_factory=list)
    gaps_closed: list[Any] = field(default_factory=list)
    level_moves: list[LevelMove] = field(default_factory=list)
    support_changes: list[SupportChange] = field(default_factory=list)
    partner_moves: list[PartnerMove] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly record."""
        return {
            "as_of": self.as_of,
            "window": self.window,
            "added": self.added,
            "gaps_opened": [g.as_record() for g in self.gaps_opened],
            "gaps_closed": [g.as_record() for g in self.gaps_closed],
            "level_moves": [vars(m) for m in self.level_moves],
            "support_changes": [_change_record(c) for c in self.support_changes],
            "partner_moves": [_move_record(m) for m in self.partner_moves],
        }


def _change_record(change: SupportChange) -> dict[str, Any]:
    fields = [{"field": f, "before": b, "after": a} for f, b, a in change.changes]
    return {"state": change.state, "name": change.name, "changes": fields}


def _move_record(move: PartnerMove) -> dict[str, Any]:
    return {
        "state": move.state,
        "name": move.name,
        "before": list(move.before),
        "after": list(move.after),
        "entered": list(move.entered),
        "left": list(move.left),
    }


def what_if(
    base: Dataset,
    extended: Dataset,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    top: int = 5,
) -> WhatIf:
    """Compare the analyses of ``base`` and ``extended`` (``base`` plus added rows).

    Gaps are the same finding when their kind and subjects match. A State's level is that of
    its most severe finding. Partners are the ``top`` recommendations for each State Party with
    a time-bound obligation in either dataset.
    """
    from .analysis import GraphIndex, PartnerRecommender, synergy_gaps
    from .analysis.gaps import LEVELS, gaps_by_state
    from .analysis.support import support_rows
    from .graph import affected_states, build_graph
    from .wording import year_window

    graphs = [build_graph(base), build_graph(extended)]
    indexes = [GraphIndex.build(G, as_of=as_of, window_years=window_years) for G in graphs]
    reference = indexes[0].as_of
    before, after = (synergy_gaps(G, index=ix) for G, ix in zip(graphs, indexes, strict=True))
    key = _gap_key
    before_keys, after_keys = {key(g) for g in before}, {key(g) for g in after}
    report = WhatIf(
        as_of=reference.isoformat(),
        window=year_window(reference.year - window_years, reference.year),
        added={
            spec.file: len(extended.table(spec)) - len(base.table(spec))
            for spec in TABLES
            if len(extended.table(spec)) != len(base.table(spec))
        },
        gaps_opened=[g for g in after if key(g) not in before_keys],
        gaps_closed=[g for g in before if key(g) not in after_keys],
    )

    def levels(gaps: Sequence[Any]) -> dict[str, str]:
        return {state: group[0].level for state, group in gaps_by_state(gaps) if state}

    old_levels, new_levels = levels(before), levels(after)
    name = indexes[1].name
    for state in sorted(set(old_levels) | set(new_levels)):
        was, now = old_levels.get(state, "none"), new_levels.get(state, "none")
        if was != now:
            report.level_moves.append(LevelMove(state, name(state), was, now))
    report.level_moves.sort(key=lambda m: (_rank(m.after, LEVELS), m.state))

    rows = [
        {r.state: r for r in support_rows(G, index=ix)}
        for G, ix in zip(graphs, indexes, strict=True)
    ]
    for state in sorted(set(rows[0]) | set(rows[1])):
        old, new = rows[0].get(state), rows[1].get(state)
        old_cells = old.cells() if old else {}
        new_cells = new.cells() if new else {}
        changes = tuple(
            (f, old_cells.get(f, "—"), new_cells.get(f, "—"))
            for f in dict.fromkeys([*old_cells, *new_cells])
            if old_cells.get(f) != new_cells.get(f)
        )
        if changes:
            report.support_changes.append(SupportChange(state, name(state), changes))

    states = sorted(set(affected_states(graphs[0])) | set(affected_states(graphs[1])))
    pairs = list(zip(graphs, indexes, strict=True))
    recommenders = [PartnerRecommender.build(G, index=ix) for G, ix in pairs]
    for state in states:
        tops = [
            tuple(r.candidate for r in rec.recommend(state, top=top)) if state in G else ()
            for rec, G in zip(recommenders, graphs, strict=True)
        ]
        if tops[0] != tops[1]:
            report.partner_moves.append(PartnerMove(state, name(state), tops[0], tops[1]))
    return report


def _gap_key(gap: Any) -> tuple[str, tuple[str, ...]]:
    return gap.kind, tuple(gap.subjects)


def _rank(level: str, levels: Sequence[str]) -> int:
    return levels.index(level) if level in levels else len(levels)


def render_what_if(report: WhatIf, fmt: str = "table") -> Iterator[str]:
    """Lines for people (``table`` or ``md``); ``json`` is :meth:`WhatIf.as_dict`.

    In ``md`` every data-derived text is escaped (:func:`~ccm_graph.escaping.md_escape`)."""
    import json

    if fmt == "json":
        yield json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        return
    md = fmt == "md"
    e = md_escape if md else str
    head = "## " if md else ""
    bullet = "- " if md else "  · "
    added = ", ".join(f"{n} {file.removesuffix('.csv')}" for file, n in report.added.items())
    yield (f"{'# ' if md else ''}What if these rows were added ({e(added) or 'nothing new'}): "
           f"as of {report.as_of}, window {report.window}. Nothing was written.")  # fmt: skip
    yield ""
    yield f"{head}States whose most severe finding moves ({len(report.level_moves)})"
    for m in report.level_moves:
        yield f"{bullet}{e(m.name)} ({e(m.state)}): {m.before} → {m.after}"
    if not report.level_moves:
        yield f"{bullet}none"
    for title, gaps in (("Gaps closed", report.gaps_closed), ("Gaps opened", report.gaps_opened)):
        yield ""
        yield f"{head}{title} ({len(gaps)})"
        for g in gaps:
            yield f"{bullet}[{g.level}] {e(g.summary)}"
        if not gaps:
            yield f"{bullet}none"
    yield ""
    yield f"{head}Support rows that change ({len(report.support_changes)})"
    for c in report.support_changes:
        yield f"{bullet}{e(c.name)} ({e(c.state)}):"
        for f, b, a in c.changes:
            yield f"{'    ' if md else '      '}{e(f)}: {e(b)} → {e(a)}"
    if not report.support_changes:
        yield f"{bullet}none"
    yield ""
    yield f"{head}Top partners that move ({len(report.partner_moves)})"
    for p in report.partner_moves:
        moves = []
        if p.entered:
            moves.append("in: " + ", ".join(e(x) for x in p.entered))
        if p.left:
            moves.append("out: " + ", ".join(e(x) for x in p.left))
        moved = "; ".join(moves) or "same partners, new order"
        yield f"{bullet}{e(p.name)} ({e(p.state)}): {moved}"
    if not report.partner_moves:
        yield f"{bullet}none"
