"""The main job on the embedded default: seed folder in, a coordinator's folder of outputs out.

:func:`run_demo` validates the seed, builds the graph (restricted records left out), finds the
synergy gaps, and writes into one folder: the MASG stakeholder map (HTML, offline), the gap
report (Markdown, headed by the support table, and JSON), the support table (JSON), a brief
for one coalition (or, when no coalition is live, for the most urgent affected State without
one) and the statistics. No server is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .analysis import GraphIndex, synergy_gaps
from .analysis.gaps import LEVELS, Gap, gaps_by_state
from .analysis.support import SupportRow, support_markdown, support_rows
from .briefs import coalition_brief, write_brief
from .escaping import md_escape
from .files import output_folder, write_atomically
from .graph import graph_stats
from .maps import MapOptions, highlights_from_gaps, select_view, write_map
from .source import DataSource

__all__ = ["DemoReport", "gap_report_markdown", "run_demo"]


@dataclass(frozen=True)
class DemoReport:
    """What the demo found and wrote."""

    records: int
    relationships: int
    stats: dict[str, dict[str, int]]
    gaps: int
    high: int
    brief_subject: str | None
    """The coalition or State briefed; ``None`` when the data has neither a coalition nor an
    affected State Party (no brief is written)."""
    files: tuple[Path, ...]


def gap_report_markdown(
    gaps: list[Gap],
    *,
    as_of: str,
    data_as_of: str | None,
    support: list[SupportRow] | None = None,
) -> str:
    """The gap report as Markdown: the support table first (when given), then the gaps
    grouped by State (the State with the most severe finding first), with evidence and next
    steps; findings about donors and forum members last."""
    counts = ", ".join(f"{sum(1 for g in gaps if g.level == lvl)} {lvl}" for lvl in LEVELS)
    lines = [
        "# Synergy gaps",
        "",
        f"*As of {as_of}"
        + (f"; data as of {data_as_of}" if data_as_of else "")
        + f". {len(gaps)} gaps ({counts}), grouped by State, most severe first. How each is "
        "computed: docs/analysis.md.*",
        "",
    ]
    if support is not None:
        lines += ["## Support by State", "", support_markdown(support), "## Gaps by State", ""]
    number = 0
    for state, group in gaps_by_state(gaps):
        first = group[0]
        title = (f"{first.names[first.subjects.index(state)]} ({state})" if state
                 else "Donors, forum members and organisations")  # fmt: skip
        lines += [f"### {md_escape(title)}", ""]
        for gap in group:
            number += 1
            lines.append(f"{number}. **{gap.level}** ({gap.severity:.2f}) `{gap.kind}`: "
                         f"{md_escape(gap.summary)}")  # fmt: skip
            lines += [f"    - {md_escape(fact)}" for fact in gap.evidence]
            lines.append(f"    - *Next step:* {md_escape(gap.next_step)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _brief_subject(index: GraphIndex, gaps: list[Gap]) -> str | None:
    """The live coalition with the most severe gap, else the most urgent State without one;
    ``None`` when the data holds neither a coalition nor an affected State."""
    live = [
        c
        for c in index.focus_of
        if index.graph.nodes[c].get("status") in ("proposed", "forming", "active")
    ]
    for gap in gaps:
        for subject in gap.subjects:
            if subject in live:
                return subject
    if live:
        return sorted(live)[0]
    for gap in gaps:
        if gap.kind == "no_coalition":
            return gap.subjects[0]
    states = index.affected_states()
    return states[0] if states else None


def run_demo(
    seed: str | Path | DataSource,
    out: str | Path,
    *,
    as_of: str | date | None = None,
) -> DemoReport:
    """Run the main job on the data and write its outputs into ``out``.

    :param seed: a seed folder, an ``.xlsx`` workbook, or any :class:`DataSource` (Neo4j).
    :raises DataError: the data are invalid (nothing is written).
    """
    source = seed if isinstance(seed, DataSource) else DataSource.at(seed)
    out = Path(out)
    reading = source.read()  # restricted records left out
    data_as_of = reading.dataset.info.as_of
    graph = reading.graph
    index = GraphIndex.build(graph, as_of=as_of)
    reference = index.as_of.isoformat()
    gaps = synergy_gaps(graph, index=index)
    support = support_rows(graph, index=index)
    with output_folder(out):  # a failure leaves no half-made folder
        files: list[Path] = []

        stats = graph_stats(graph)
        write_atomically(out / "stats.json", json.dumps(stats, indent=2) + "\n")
        files.append(out / "stats.json")

        write_atomically(
            out / "gaps.md",
            gap_report_markdown(gaps, as_of=reference, data_as_of=data_as_of, support=support),
        )
        write_atomically(
            out / "gaps.json",
            json.dumps([g.as_record() for g in gaps], indent=2, ensure_ascii=False) + "\n",
        )
        write_atomically(
            out / "support.json",
            json.dumps([r.as_dict() for r in support], indent=2, ensure_ascii=False) + "\n",
        )
        files += [out / "gaps.md", out / "gaps.json", out / "support.json"]

        view = select_view(graph, preset="masg")
        map_path = out / "masg-map.html"
        options = MapOptions(
            title="MASG members, affected States Parties and their gaps",
            as_of=data_as_of or "unknown",
            command=f"ccm-graph demo --out {out.name}",
            highlights=highlights_from_gaps(gaps),
        )
        write_map(view, map_path, options)
        files.append(map_path)

        subject = _brief_subject(index, gaps)
        if subject is not None:
            brief = coalition_brief(
                graph,
                subject,
                as_of=index.as_of,
                data_as_of=data_as_of,
                command=f"ccm-graph brief {subject} --out brief-{subject}.html",
            )
            files += write_brief(graph, brief, out / f"brief-{subject}.html")

    return DemoReport(
        records=graph.number_of_nodes(),
        relationships=graph.number_of_edges(),
        stats=stats,
        gaps=len(gaps),
        high=sum(1 for g in gaps if g.level == "high"),
        brief_subject=subject,
        files=tuple(files),
    )
