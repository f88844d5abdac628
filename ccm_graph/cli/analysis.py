"""Commands that answer coordinators' questions: gaps, recommend, brokers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..analysis.gaps import GAP_KINDS
from ..render import render
from .common import (
    DataSource,
    as_of_option,
    echo_lines,
    output_options,
    restricted_option,
    sheet_output_options,
    source_options,
    window_option,
    write_lines,
    write_rows_xlsx,
)

if TYPE_CHECKING:
    import networkx as nx

    from ..analysis import Gap, PartnerRecommender, Recommendation, StructureReport

__all__ = ["brokers", "gaps", "recommend"]


# --- gaps -------------------------------------------------------------------------------------


@click.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(GAP_KINDS),
    help="Only these kinds of gap (repeatable).",
)
@click.option(
    "--min-level",
    type=click.Choice(["low", "medium", "high"]),
    default="low",
    show_default=True,
    help="Leave out gaps below this level.",
)
@as_of_option
@window_option
@restricted_option
@source_options
@sheet_output_options
def gaps(
    kinds: Sequence[str], min_level: str, source: DataSource, fmt: str, out: Path | None
) -> None:
    """Synergy gaps, most severe first, each with its evidence and a next step.

    Under-supported obligations, affected States with no coalition, APMBC support that does not
    reach CCM obligations, MASG reach, coalitions missing a role, and extension requests with
    no resources behind them. See docs/analysis.md for how each is computed.
    """
    from ..analysis import synergy_gaps

    reference = source.reference_date()
    graph = source.graph()
    found = synergy_gaps(graph, as_of=reference, window_years=source.window_years,
                         kinds=kinds or None)  # fmt: skip
    floor = {"low": 0.0, "medium": 0.25, "high": 0.5}[min_level]
    found = [g for g in found if g.severity >= floor]
    if fmt == "table":
        write_lines(_gap_report(found, graph, reference, source.window_years), out)
        return
    records = [g.as_record() for g in found]
    if fmt in ("csv", "xlsx"):
        records = [_flatten(r) for r in records]
    if fmt == "xlsx":
        write_rows_xlsx(records, _GAP_COLUMNS, out, sheet="gaps")
        return
    write_lines(render(records, fmt, _GAP_COLUMNS), out)


_GAP_COLUMNS = ["kind", "level", "severity", "subjects", "names", "summary", "evidence",
                "next_step"]  # fmt: skip


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    return {k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()}


def _gap_report(
    found: list[Gap], graph: nx.MultiDiGraph, reference: date, window: int
) -> Iterator[str]:
    from ..graph import affected_states

    affected = affected_states(graph)
    if not affected:
        yield (
            "No affected State Party with an open Article 3 or 4 obligation in the data: "
            "there is nothing to analyse."
        )
        return
    levels = {lvl: sum(1 for g in found if g.level == lvl) for lvl in ("high", "medium", "low")}
    yield (
        f"Synergy gaps as of {reference} (funding window {reference.year - window}–"
        f"{reference.year}): {len(found)} found — {levels['high']} high, "
        f"{levels['medium']} medium, {levels['low']} low."
    )
    for number, gap in enumerate(found, start=1):
        yield ""
        subject = f"{gap.names[0]} ({gap.subjects[0]})"
        yield f"{number:>3}. {gap.level.upper():<6} {gap.severity:.2f}  {gap.kind}: {subject}"
        yield f"     {gap.summary}"
        for fact in gap.evidence:
            yield f"     · {fact}"
        yield f"     → {gap.next_step}"


# --- recommend --------------------------------------------------------------------------------


@click.command()
@click.argument("target")
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many candidates to show.",
)
@click.option(
    "--explain", is_flag=True, help="Show every part of each score with the path of ids behind it."
)
@as_of_option
@window_option
@restricted_option
@source_options
@sheet_output_options
def recommend(
    target: str, top: int, explain: bool, source: DataSource, fmt: str, out: Path | None
) -> None:
    """Candidate partners for a State's or a coalition's Country Coalition.

    TARGET is a State id (e.g. LAO) or a coalition id. Candidates are ranked by a transparent
    score whose parts are shown with their evidence; actors already supporting the State under
    the CCM or already in its coalition are left out. See docs/analysis.md for the weights.
    """
    from ..analysis import PartnerRecommender

    reference = source.reference_date()
    recommender = PartnerRecommender.build(source.graph(), as_of=reference,
                                           window_years=source.window_years)  # fmt: skip
    results = recommender.recommend(target, top=top)
    if fmt == "table":
        write_lines(_recommend_report(results, recommender, target, reference, explain), out)
        return
    records: list[dict[str, Any]] = [r.as_record(explain=explain) for r in results]
    if fmt in ("csv", "xlsx"):
        records = [
            {"rank": i, "candidate": r["candidate"], "name": r["name"], "kind": r["kind"],
             "score": r["score"],
             "parts": "; ".join(f"{p['signal']}={p['points']}" for p in r["parts"]),
             "reasons": "; ".join(r["reasons"])}
            for i, r in enumerate(records, start=1)
        ]  # fmt: skip
    if fmt == "xlsx":
        write_rows_xlsx(records, None, out, sheet="partners")
        return
    write_lines(render(records, fmt), out)


def _recommend_report(results: list[Recommendation], recommender: PartnerRecommender,
                      target: str, reference: date, explain: bool) -> Iterator[str]:  # fmt: skip
    index = recommender.index
    yield (
        f"Candidate partners for {index.name(target)} ({target}) as of {reference}: "
        f"{len(results)} shown."
    )
    if not results:
        yield "No candidate with any supporting evidence was found in the data."
        return
    for number, rec in enumerate(results, start=1):
        yield ""
        yield f"{number:>3}. {rec.name} ({rec.candidate}, {rec.kind}) — score {rec.score:.2f}"
        for part in rec.parts:
            yield f"     {part.signal} +{part.points:.2f}: {part.evidence[0]}"
            for more in part.evidence[1:] if explain else ():
                yield f"       also: {more}"
            for path in part.paths if explain else ():
                yield "       path: " + " → ".join(path)


# --- brokers ----------------------------------------------------------------------------------


@click.command()
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many brokers to show.",
)
@click.option(
    "--random-seed",
    "random_seed",
    default=42,
    show_default=True,
    type=int,
    help="Seed for community detection: the same seed gives the same clusters.",
)
@click.option(
    "--communities",
    "show_communities",
    is_flag=True,
    help="With --format json|csv: output the clusters instead of the brokers.",
)
@restricted_option
@source_options
@output_options
def brokers(
    top: int, random_seed: int, show_communities: bool, source: DataSource, fmt: str
) -> None:
    """Who connects the network (betweenness) and which clusters form in it (Louvain).

    Brokers sit on many of the shortest paths between others: natural conveners and
    go-betweens. Clusters are groups that work mostly with each other.
    """
    from ..analysis import network_structure

    report = network_structure(source.graph(), top=top, seed=random_seed)
    if fmt == "table":
        echo_lines(_structure_report(report))
        return
    if show_communities:
        records = [c.as_record() for c in report.communities]
        if fmt == "csv":
            records = [_flatten(r) for r in records]
    else:
        records = [b.as_record() for b in report.brokers]
    echo_lines(render(records, fmt))


def _structure_report(report: StructureReport) -> Iterator[str]:
    if not report.brokers:
        yield "The graph is empty: there is no network to analyse."
        return
    estimate = "" if report.exact else " (estimated from a seeded sample: large graph)"
    yield f"Brokers: who connects the network{estimate}"
    rows = [
        {"actor": b.actor, "name": b.name, "kind": b.kind, "betweenness": b.betweenness,
         "degree": b.degree, "clusters": b.clusters_reached}
        for b in report.brokers
    ]  # fmt: skip
    yield from render(rows, "table")
    yield ""
    for b in report.brokers:
        yield f"  · {b.explanation}"
    yield ""
    isolated = f"; {report.isolated} records have no ties at all" if report.isolated else ""
    yield f"Clusters (Louvain communities): {len(report.communities)}{isolated}"
    for c in report.communities:
        yield f"  {c.community:>2}. {c.explanation}"
