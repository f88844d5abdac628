"""Commands that answer coordinators' questions: gaps, recommend, brokers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..analysis.gaps import GAP_KINDS, LEVELS
from ..render import render
from .common import (
    ReadOptions,
    as_of_option,
    check_sheet_target,
    echo_lines,
    out_option,
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

__all__ = ["brokers", "gaps", "recommend", "support", "whatif"]


# --- support ----------------------------------------------------------------------------------


@click.command()
@as_of_option
@window_option
@restricted_option
@source_options
@out_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "md", "markdown", "xlsx"]),
    default="table",
    show_default=True,
    callback=lambda _ctx, _param, value: "md" if value == "markdown" else value,
    help="table for people, md for a meeting note (Markdown table), json or csv for scripts, "
    "xlsx for Excel.",
)
def support(source: ReadOptions, fmt: str, out: Path | None) -> None:
    """One row per State Party with a time-bound obligation, those that asked for help first.

    For each State with an Article 3 or 4 obligation that is open, extended or was completed in
    the window: the deadline (and what became of the latest extension request), supporters and
    funding recorded in the window (amounts not recorded are counted as such, never as 0), the
    last year any support was recorded, operators present, its coalition and whether it has
    asked for assistance. See docs/analysis.md for the JSON keys.
    """
    from ..analysis.support import SUPPORT_KEYS, render_support, support_rows

    rows = support_rows(source.graph(), as_of=source.reference_date(),
                        window_years=source.window_years)  # fmt: skip
    if fmt == "xlsx":
        check_sheet_target(fmt, out)
        flat = [{k: "; ".join(str(x) for x in v) if isinstance(v, list) else v
                 for k, v in r.as_dict().items()} for r in rows]  # fmt: skip
        write_rows_xlsx(flat, list(SUPPORT_KEYS), out, sheet="support")
        return
    write_lines(render_support(rows, fmt), out)


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
    type=click.Choice(list(reversed(LEVELS))),
    default="info",
    show_default=True,
    help="Leave out gaps below this level (info < low < medium < high).",
)
@as_of_option
@window_option
@restricted_option
@source_options
@sheet_output_options
def gaps(
    kinds: Sequence[str], min_level: str, source: ReadOptions, fmt: str, out: Path | None
) -> None:
    """Synergy gaps grouped by State, most severe first, each with its evidence and a next step.

    Under-supported obligations, affected States with no coalition, APMBC support that does not
    reach CCM obligations, MASG reach, coalitions missing a role, and extension requests with
    no resources behind them. Every headline names its window. The table starts with the
    support table (see `ccm-graph support`). See docs/analysis.md for how each is computed.
    """
    from ..analysis import GraphIndex, synergy_gaps
    from ..analysis.support import render_support, support_rows

    reference = source.reference_date()
    graph = source.graph()
    index = GraphIndex.build(graph, as_of=reference, window_years=source.window_years)
    found = synergy_gaps(graph, index=index, kinds=kinds or None)
    found = [g for g in found if LEVELS.index(g.level) <= LEVELS.index(min_level)]
    if fmt == "table":
        lines = [*render_support(support_rows(graph, index=index), "table"), ""]
        lines += _gap_report(found, graph, reference, source.window_years)
        write_lines(lines, out)
        return
    records = [g.as_record() for g in found]
    if fmt in ("csv", "xlsx"):
        records = [_flatten(r) for r in records]
    if fmt == "xlsx":
        write_rows_xlsx(records, _GAP_COLUMNS, out, sheet="gaps")
        return
    write_lines(render(records, fmt, _GAP_COLUMNS), out)


_GAP_COLUMNS = ["kind", "level", "severity", "state", "subjects", "names", "summary",
                "evidence", "next_step"]  # fmt: skip


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    return {k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items()}


def _gap_report(
    found: list[Gap], graph: nx.MultiDiGraph, reference: date, window: int
) -> Iterator[str]:
    from ..analysis.gaps import gaps_by_state
    from ..graph import affected_states
    from ..wording import year_window

    affected = affected_states(graph)
    if not affected:
        yield (
            "No affected State Party with an open Article 3 or 4 obligation in the data: "
            "there is nothing to analyse."
        )
        return
    counts = ", ".join(f"{sum(1 for g in found if g.level == lvl)} {lvl}" for lvl in LEVELS)
    yield (
        f"Synergy gaps as of {reference} (funding window "
        f"{year_window(reference.year - window, reference.year)}): {len(found)} found — "
        f"{counts}. Grouped by State, most severe first."
    )
    number = 0
    for state, group in gaps_by_state(found):
        yield ""
        title = (f"{group[0].names[group[0].subjects.index(state)]} ({state})"
                 if state else "Donors, forum members and organisations")  # fmt: skip
        yield f"== {title}"
        for gap in group:
            number += 1
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
    "--role",
    type=click.Choice(["donor", "operator", "technical"]),
    help="Only candidates for this role (default: each candidate in its best role).",
)
@click.option(
    "--exclude",
    "excluded",
    multiple=True,
    metavar="ID",
    help="Never propose this actor (id, name or alias; repeatable, or comma-separated), "
    "e.g. the Coordinators: --exclude NLD,CHE.",
)
@click.option(
    "--explain", is_flag=True, help="Show every part of each score with the path of ids behind it."
)
@as_of_option
@window_option
@restricted_option
@source_options
@sheet_output_options
def recommend(target: str, top: int, role: str | None, excluded: Sequence[str], explain: bool,
              source: ReadOptions, fmt: str, out: Path | None) -> None:  # fmt: skip
    """Candidate partners for a State's or a coalition's Country Coalition.

    TARGET is a State or coalition: its id (LAO), name or alias ("Lao PDR"). Candidates are
    proposed as donors, operators or technical partners, each with the facts behind it and a
    strong / medium / weak band; the State's own national bodies and actors already supporting
    it are left out. See docs/analysis.md for the signals and how well they predict.
    """
    from ..analysis import PartnerRecommender
    from ..names import NameIndex

    reference = source.reference_date()
    graph = source.graph()
    recommender = PartnerRecommender.build(graph, as_of=reference,
                                           window_years=source.window_years)  # fmt: skip
    names = NameIndex.from_graph(graph)
    left_out = [
        item if item in graph else names.resolve(item, what="actor")
        for text in excluded
        for item in (part.strip() for part in text.split(","))
        if item
    ]
    results = recommender.recommend(target, top=top, role=role, exclude=left_out)
    no_obligation = recommender.without_obligation(target)
    if no_obligation and fmt != "table":
        click.echo(no_obligation, err=True)
    if fmt == "table":
        write_lines(_recommend_report(results, recommender, target, reference, explain, role),
                    out)  # fmt: skip
        return
    records: list[dict[str, Any]] = [r.as_record(explain=explain) for r in results]
    if fmt in ("csv", "xlsx"):
        records = [
            {"rank": i, "candidate": r["candidate"], "name": r["name"], "kind": r["kind"],
             "role": r["role"], "band": r["band"], "score": r["score"],
             "parts": "; ".join(f"{p['signal']}={p['points']}" for p in r["parts"]),
             "reasons": "; ".join(r["reasons"])}
            for i, r in enumerate(records, start=1)
        ]  # fmt: skip
    if fmt == "xlsx":
        write_rows_xlsx(records, None, out, sheet="partners")
        return
    write_lines(render(records, fmt), out)


_ROLE_WORDS = {"donor": "donor", "operator": "operator", "technical": "technical partner"}


def _recommend_report(results: list[Recommendation], recommender: PartnerRecommender,
                      target: str, reference: date, explain: bool,
                      role: str | None) -> Iterator[str]:  # fmt: skip
    from ..analysis.recommend import resolve_target

    index = recommender.index
    state, coalition = resolve_target(index, target)
    no_obligation = recommender.without_obligation(target)
    if no_obligation:
        yield no_obligation
        return
    resolved = coalition or state
    roles = f"{_ROLE_WORDS[role]}s" if role else "donors, operators and technical partners"
    yield (
        f"Candidate {roles} for {index.name(resolved)} ({resolved}) as of {reference}: "
        f"{len(results)} shown."
    )
    supporting = sorted(index.name(a) for a in recommender.already_supporting(state))
    if supporting:
        yield (
            f"Already supporting (support or CCM funding recorded in {index.window_text()}, or "
            "support undated), so left out: " + ", ".join(supporting) + "."
        )
    if not results:
        yield "No candidate with any supporting evidence was found in the data."
        return
    for number, rec in enumerate(results, start=1):
        yield ""
        yield (f"{number:>3}. {rec.band.upper():<6} {_ROLE_WORDS[rec.role]}: "
               f"{rec.name} ({rec.candidate}, {rec.kind})")  # fmt: skip
        for part in rec.parts:
            points = f" [{part.signal} +{part.points:.2f}]" if explain else ""
            yield f"     · {part.evidence[0]}{points}"
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
    top: int, random_seed: int, show_communities: bool, source: ReadOptions, fmt: str
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


# --- whatif -----------------------------------------------------------------------------------


@click.command()
@click.option(
    "--add",
    "add_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of rows in the seed format to add (any of the five files).",
)
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many partners per State to compare.",
)
@as_of_option
@window_option
@restricted_option
@source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "markdown", "json"]),
    default="table",
    show_default=True,
    callback=lambda _ctx, _param, value: "md" if value == "markdown" else value,
    help="table for people, md for a meeting note, json for scripts.",
)
def whatif(add_dir: Path, top: int, source: ReadOptions, fmt: str) -> None:
    """Gaps, support rows and partners if some rows were added; nothing is written.

    Put the rows you are considering (a pledge, a new operator, a coalition) in a folder, in
    the seed format (any subset of the five files, same columns), and compare: the gaps
    opened and closed, the States whose most severe finding moves (high → medium), the
    support rows that change and how each State's top partners move.
    """
    from ..dataset import read_additions
    from ..whatif import render_what_if, what_if

    # the rows are checked against the records this command may use: a restricted id is
    # answered as an unknown one (no "did you mean" naming it, no "already used")
    base = source.visible(source.read_all())
    extended = read_additions(add_dir, base)
    report = what_if(base, source.visible(extended),
                     as_of=source.reference_date(), window_years=source.window_years,
                     top=top)  # fmt: skip
    echo_lines(render_what_if(report, fmt))
