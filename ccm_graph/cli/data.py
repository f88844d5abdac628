"""Commands that move data: validate, load, export, query, stats, demo."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import click

from ..connection import ConnectionSettings
from ..dataset import (
    PROBLEMS_FILE,
    STAMPS_FILE,
    check_export_target,
    read_data,
    read_stamps,
    write_seed,
)
from ..graph import graph_stats
from ..names import suggest
from ..query_library import load_queries, run_named
from ..render import render
from ..schema import TABLES
from .common import (
    InvalidData,
    ReadOptions,
    as_of_option,
    by_option,
    connect_store,
    connection_options,
    echo_lines,
    output_options,
    parse_param,
    restricted_option,
    seed_option,
    source_options,
    warn_restricted_included,
)

if TYPE_CHECKING:
    from ..store import Store
    from ..sync import LoadOutcome, LoadPlan, StampChange

__all__ = ["demo", "export", "load", "query", "stats", "validate"]


@click.command()
@seed_option("Seed folder to check.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on consistency warnings too, not only on errors.",
)
def validate(seed_dir: Path, strict: bool) -> None:
    """Check a seed folder; list every problem as file:line: message.

    Errors (a value a column cannot hold, an unknown id) make the folder invalid. Warnings are
    rows that are each valid but contradict each other or the calendar (an obligation marked
    extended whose deadline is the original one, funding dated in the future); they are listed
    as file:line: warning: message and fail the check only with --strict. The coalition
    stamps of a snapshot or an export (neo4j-stamps.csv) are checked too.
    """
    from ..consistency import consistency_warnings

    dataset = read_data(seed_dir)
    stamps = read_stamps(seed_dir, dataset)
    warnings = consistency_warnings(dataset)
    for warning in warnings:
        click.echo(f"{warning.file}{f':{warning.line}' if warning.line else ''}: "
                   f"warning: {warning.message}", err=True)  # fmt: skip
    counts = dataset.counts()
    optional = {spec.file for spec in TABLES if spec.optional}
    summary = ", ".join(
        _records(n, name) for name, n in counts.items() if n or name not in optional
    )
    if stamps:
        summary += f"; {STAMPS_FILE}: the stamps of {_coalitions(len(stamps))}"
    if warnings:
        noun = "warning" if len(warnings) == 1 else "warnings"
        if strict:
            raise InvalidData(f"{len(warnings)} {noun} with --strict; nothing was written.")
        click.echo(f"{seed_dir}: valid, with {len(warnings)} {noun} ({summary}).")
        return
    click.echo(f"{seed_dir}: valid ({summary}).")


@click.command()
@seed_option("Seed folder to load.")
@click.option(
    "--sync",
    "sync_mode",
    is_flag=True,
    help="Make Neo4j equal to the folder: also remove records that are not in the files. "
    "Refuses, listing them, when records edited in Neo4j since the last load would be "
    "overwritten or removed (unless --force).",
)
@click.option(
    "--wipe",
    is_flag=True,
    help="Replace every ccm-graph record, all at once (in the load's transaction, or at a "
    "staged load's switch), after writing a snapshot of the database.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what would be added, changed and removed, per kind; write nothing.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite or remove records edited in Neo4j anyway, after writing a snapshot.",
)
@click.option(
    "--snapshots",
    "snapshots_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for snapshots [default: snapshots/ beside the seed folder].",
)
@by_option
@click.option(
    "--batch-size",
    default=5000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per UNWIND batch.",
)
@click.option(
    "--staged/--one-transaction",
    default=None,
    help="--staged (with --wipe, or into an empty database): write the records in many small "
    "transactions, unseen by every reader, then switch them in with one; for a server whose "
    "transaction memory cannot hold the load. --one-transaction: all in one. [default: staged "
    "when the load creates more than 50,000 rows, where it is faster]",
)
@connection_options
def load(
    seed_dir: Path, sync_mode: bool, wipe: bool, dry_run: bool, force: bool,
    snapshots_dir: Path | None, by: str | None, batch_size: int, staged: bool | None,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Load a seed folder into Neo4j: validated first, then all or nothing.

    Records are merged on their id, so loading the same folder twice changes nothing. A plain
    load adds and updates; records only in Neo4j are kept (and listed). --sync also removes
    them; --wipe replaces everything. A load refuses (exit 1, listing them) to overwrite or
    remove records edited in Neo4j since the last load — by the coalition workflow or query
    --write — unless --force. Before any step that removes records or overwrites edits it
    writes a snapshot (a full export, restricted records included, with the coalition
    workflow's created/updated stamps in neo4j-stamps.csv) and says where. Loading a snapshot
    or an export puts those stamps back. Every load appends a change record: see ccm-graph
    history.
    """
    from ..sync import apply_load, default_snapshots_dir, plan_load

    if sync_mode and wipe:
        raise click.UsageError("use --sync or --wipe, not both")
    mode: Literal["load", "sync", "wipe"] = "sync" if sync_mode else "wipe" if wipe else "load"
    dataset = read_data(seed_dir)
    stamps = read_stamps(seed_dir, dataset)
    store = connect_store(connection)
    plan = plan_load(store, dataset, mode, stamps)
    if staged and mode != "wipe" and plan.state.records:
        raise click.UsageError(
            "--staged replaces what is stored: add --wipe (the database holds records)"
        )
    where = f"{connection.display_uri} ({connection.database})"
    if dry_run:
        echo_lines(_dry_run_lines(plan, seed_dir, where, force))
        return
    snapshots = snapshots_dir or default_snapshots_dir(seed_dir)
    total = sum(dataset.counts().values()) + len(dataset.obligations) + len(dataset.coalitions)
    run = functools.partial(apply_load, store, dataset, plan, force=force,
                            snapshots_dir=snapshots, by=by, source=str(seed_dir),
                            batch_size=batch_size, staged=staged)  # fmt: skip
    if total > 20_000:
        with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
            outcome = run(progress=bar.update)
    else:
        outcome = run()
    echo_lines(_load_lines(outcome, seed_dir, where))


def _dry_run_lines(plan: LoadPlan, seed_dir: Path, where: str, force: bool) -> list[str]:
    from ..sync import plan_lines

    flag = {"load": "", "sync": " --sync", "wipe": " --wipe"}[plan.mode]
    lines = [f"Dry run, nothing written: load{flag} of {seed_dir} into {where} would change:"]
    rows = [{"kind": kind, **numbers} for kind, numbers in plan.counts().items()]
    lines += [f"  {line}" for line in render(rows, "table")]
    lines.append(f"  ({plan.unchanged} records unchanged)")
    lines += plan_lines(plan)
    if plan.stamps:
        count = _coalitions(len(plan.stamps))
        lines.append(f"The created/updated stamps of {count} would be set from {STAMPS_FILE}:")
        lines += [f"  {_stamp_line(change)}" for change in plan.stamps]
    conflicts = plan.conflicts
    if conflicts and plan.mode != "wipe" and not force:
        lines.append(
            f"This load would be refused: {len(conflicts)} record(s) edited in Neo4j since the "
            "last load would be overwritten or removed (marked above); --force overrides, "
            "after a snapshot."
        )
    elif plan.destructive or (force and plan.state.records):
        lines.append("A snapshot of the database would be written first.")
    return lines


def _load_lines(outcome: LoadOutcome, seed_dir: Path, where: str) -> list[str]:
    from ..sync import plan_lines, plan_summary

    plan, report = outcome.plan, outcome.report
    lines = []
    if report.cleaned:
        lines.append(report.cleaned)
    if outcome.snapshot is not None and outcome.snapshot_problems:
        broken = len(outcome.snapshot_problems)
        lines.append(
            f"Snapshot of the database before this step: {outcome.snapshot} (a full export, "
            "restricted records included: the team's own backup). It holds what Neo4j held as "
            f"stored, with {broken} value{'s' if broken != 1 else ''} that break the rules "
            f"(edited by hand), listed in {outcome.snapshot / PROBLEMS_FILE}: fix them before "
            f"loading it back with ccm-graph load --seed {outcome.snapshot} --sync --force."
        )
    elif outcome.snapshot is not None:
        lines.append(
            f"Snapshot of the database before this step: {outcome.snapshot} (a full export, "
            "restricted records included: the team's own backup; load it back with "
            f"ccm-graph load --seed {outcome.snapshot} --sync --force)."
        )
    nodes = ", ".join(f"{kind} {n}" for kind, n in report.nodes.items())
    rels = sum(report.relationships.values())
    wiped = " after wiping the old graph" if report.wiped else ""
    if report.staged:
        wiped += " (staged: written in batches, then switched in)"
    lines.append(f"Loaded {seed_dir} into {where}{wiped}: {nodes}; {rels} relationships.")
    lines.append(f"Changes: {plan_summary(plan)} (ccm-graph history lists every load).")
    if outcome.stamps_restored:
        count = _coalitions(outcome.stamps_restored)
        lines.append(f"Set the created/updated stamps of {count} from {STAMPS_FILE}.")
    if plan.conflicts:
        flag = "--wipe" if plan.mode == "wipe" else "--force"
        lines.append(f"Overwritten or removed although edited in Neo4j ({flag}; they are in "
                     "the snapshot):")  # fmt: skip
        lines += [f"  {c.describe()}" for c in plan.conflicts]
    removed = [c for c in plan.of("remove") if not c.conflict]
    if removed:
        lines.append("Removed (not in the folder):")
        lines += [f"  {c.describe()}" for c in removed[:50]]
        if len(removed) > 50:
            lines.append(f"  … and {len(removed) - 50} more (ccm-graph history --details "
                         "lists them)")  # fmt: skip
    if plan.of("keep"):
        lines.append("Kept in Neo4j but not in the folder (load --sync would remove them):")
        lines += plan_lines(plan, ("keep",), limit=50)
    return lines


def _coalitions(n: int) -> str:
    return _records(n, "coalitions.csv")


def _records(n: int, file: str) -> str:
    """A count of one seed file's rows in words.

    >>> _records(1, "coalitions.csv"), _records(3, "activities.csv"), _records(1, "activities.csv")
    ('1 coalition', '3 activities', '1 activity')
    >>> _records(2, "evidence.csv")
    '2 evidence rows'
    """
    if file == "evidence.csv":
        return f"{n} evidence row{'' if n == 1 else 's'}"
    plural = file.removesuffix(".csv")
    singular = "activity" if plural == "activities" else plural.removesuffix("s")
    return f"{n} {singular if n == 1 else plural}"


def _stamp_line(change: StampChange) -> str:
    """``~ coalition coal-lao: created (blank) → 2026-03-02T09:15:04+00:00; updated …``."""
    before, after = change.before, change.after
    parts = [
        f"{name} {getattr(before, name, None) or '(blank)'} → {getattr(after, name) or '(blank)'}"
        for name in ("created", "updated")
        if getattr(before, name, None) != getattr(after, name)
    ]
    return f"~ coalition {after.coalition}: {'; '.join(parts)}"


@click.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Also write records marked restricted (left out by default).",
)
@connection_options
def export(out_dir: Path, include_restricted: bool, connection: ConnectionSettings) -> None:
    """Write the Neo4j graph back as a seed folder (restricted rows only when asked).

    The coalition workflow's created/updated stamps, which live in Neo4j only, go to
    neo4j-stamps.csv beside the seed files; loading the folder puts them back. The folder
    must be new, empty, or one an earlier export wrote; an export that would drop rows that
    folder holds is refused before anything is written, with how many. Text cells that a
    spreadsheet would run as a formula (=, +, -, @, tab, CR first) get one leading quote,
    which reading the folder removes again.
    """
    from ..sync import read_stored_stamps

    if include_restricted:
        warn_restricted_included()
    store = connect_store(connection)
    dataset = store.read_dataset()
    stamps = read_stored_stamps(store)
    check_export_target(dataset, out_dir, include_restricted=include_restricted, stamps=stamps)
    counts = write_seed(dataset, out_dir, include_restricted=include_restricted, stamps=stamps)
    left_out = ""
    if not include_restricted and dataset.has_restricted():
        left_out = " Restricted records were left out (--include-restricted to keep them)."
    stamped = counts.pop(STAMPS_FILE, 0)
    summary = ", ".join(_records(n, name) for name, n in counts.items())
    if stamped:
        summary += f"; the created/updated stamps of {_coalitions(stamped)} in {STAMPS_FILE}"
    click.echo(f"Exported to {out_dir}: {summary}.{left_out}")


@click.command()
@restricted_option
@source_options
@output_options
def stats(source: ReadOptions, fmt: str) -> None:
    """Counts by kind and relationship type; obligations by article and status.

    Restricted records are not counted unless --include-restricted.
    """
    echo_lines(_render_stats(graph_stats(source.graph()), fmt))


def _render_stats(result: dict[str, dict[str, int]], fmt: str) -> list[str]:
    if fmt == "json":
        return [json.dumps(result, indent=2)]
    rows = [
        {"section": section, "name": name, "count": count}
        for section, values in result.items()
        for name, count in values.items()
    ]
    if fmt == "csv":
        return list(render(rows, "csv"))
    lines: list[str] = []
    titles = {
        "nodes": "Records by kind",
        "relationships": "Relationships by type",
        "obligations": "Obligations by article and status",
    }
    for section, values in result.items():
        if lines:
            lines.append("")
        lines.append(titles.get(section, section))
        table = [{"name": k, "count": v} for k, v in values.items()]
        lines.extend(render(table, "table", ["name", "count"]))
    return lines


@click.command()
@click.argument("text", required=False)
@click.option(
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the Cypher from a file.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A query parameter; repeatable. Numbers, true/false, null and JSON are typed; nan, "
    "inf and 1_000 stay text.",
)
@click.option(
    "--write", is_flag=True, help="Allow the query to change data (otherwise it runs read-only)."
)
@click.option(
    "--name",
    "query_name",
    metavar="NAME",
    help="Run a query of the library in cypher/queries (see --list).",
)
@click.option(
    "--list",
    "list_queries",
    is_flag=True,
    help="List the library's named queries with their parameters and stop.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="With --name: also show records marked restricted (left out by default).",
)
@by_option
@output_options
@connection_options
def query(
    text: str | None, query_file: TextIO | None, params: Sequence[str], write: bool,
    query_name: str | None, list_queries: bool, include_restricted: bool, fmt: str,
    by: str | None, connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Run Cypher against Neo4j, read-only unless --write.

    The Cypher comes from TEXT, from --file, or from the library (--name; --list shows it).
    Without --write the query runs in a read transaction (Neo4j refuses to write in it), and
    Neo4j's planner is asked first what it does: LOAD CSV, procedures other than a few read
    procedures and transaction administration are refused. Pass values with --param, never
    by pasting them into the query.

    Named queries leave restricted records out unless --include-restricted. Your own Cypher
    sees everything; when its result holds restricted records, stderr says so. Workbench
    accounts are not data: a query that names the Account label or a hash, or whose result
    holds an account, is refused (see ccm-graph users).
    """
    if list_queries:
        _list_queries(fmt)
        return
    sources = [text is not None, query_file is not None, query_name is not None]
    if sum(sources) != 1:
        raise click.UsageError("give the Cypher as an argument, with --file, or with --name")
    if include_restricted and query_name is None:
        raise click.UsageError(
            "--include-restricted goes with --name; your own Cypher sees every record"
        )
    values = dict(parse_param(p) for p in params)
    if "include_restricted" in values:
        raise click.UsageError(
            "include_restricted is not a --param; use --include-restricted (with --name)"
        )
    if query_name is not None:
        _run_named_query(query_name, values, write, include_restricted, fmt, connection)
        return
    cypher = text if text is not None else _read_query_file(query_file)
    _run_cypher(cypher, values, write, by, fmt, connection)


def _list_queries(fmt: str) -> None:
    """``query --list``: the library's named queries with their parameters."""
    rows = [
        {"name": q.name,
         "parameters": ", ".join(f"{p.name} (e.g. {p.example})" for p in q.params),
         "description": q.description}
        for q in load_queries().values()
    ]  # fmt: skip
    echo_lines(render(rows, fmt, ["name", "parameters", "description"]))


def _run_named_query(
    query_name: str, values: dict[str, Any], write: bool, include_restricted: bool, fmt: str,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """``query --name``: a library query, its parameters checked before Neo4j is asked."""
    library = load_queries()
    if query_name not in library:
        close = suggest(query_name, list(library), limit=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; see query --list"
        raise click.UsageError(f"no query named {query_name!r} in the library{hint}")
    named = library[query_name]
    missing = [p for p in named.required_params if p.name not in values]
    if missing:
        raise click.UsageError(
            f"query {named.name!r} needs "
            + ", ".join(f"--param '{p.name}=…'" for p in missing)
            + f"; for example: {named.usage()}"
        )
    if write:
        raise click.UsageError("named queries only read; leave out --write")
    store = connect_store(connection)
    result = run_named(store, named, values, include_restricted=include_restricted)
    if include_restricted:
        warn_restricted_included()
    echo_lines(render(result.rows, fmt, result.columns))


def _read_query_file(query_file: TextIO | None) -> str:
    """The Cypher of ``--file``; a file that is not UTF-8 text is a usage error."""
    assert query_file is not None  # exactly one of TEXT, --file, --name was given
    try:
        return query_file.read()
    except UnicodeDecodeError as exc:
        raise click.BadParameter(
            f"{query_file.name} is not UTF-8 text (byte {exc.start}); save the Cypher as "
            "a UTF-8 text file",
            param_hint="--file",
        ) from None


def _run_cypher(
    cypher: str, values: dict[str, Any], write: bool, by: str | None, fmt: str,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """The user's own Cypher: read-only unless ``write`` (then one change record with it);
    stderr says when the result holds restricted records."""
    store = connect_store(connection)

    def record(tx: Any, counters: dict[str, int]) -> None:
        from ..history import record_change

        details = [{"kind": "cypher", "key": "query --write", "action": "run",
                    "after": {"cypher": cypher, "params": sorted(values)}}]  # fmt: skip
        record_change(store, tx, command="query --write", by=by, counts=counters,
                      details=details)  # fmt: skip

    result = store.query(cypher, values, write=write, on_write=record if write else None)
    echo_lines(render(result.rows, fmt, result.columns))
    if write:
        _warn_rule_problems(store)
    held = store.restricted_markers().count_in(result) if result.rows else 0
    if held:
        click.secho(
            f"{held} of the {len(result.rows)} rows hold restricted records: "
            "do not share this result as is.",
            fg="red",
            err=True,
        )


def _warn_rule_problems(store: Store) -> None:
    """After a committed ``query --write``: a warning line on stderr for each value Neo4j now
    holds that breaks the rules (the exit code stays 0: the write happened)."""
    from ..sync import rule_problems

    problems = rule_problems(store)
    if not problems:
        return
    count = len(problems)
    click.secho(
        f"Warning: written, but Neo4j now holds {count} value{'s' if count != 1 else ''} that "
        "break ccm-graph's rules: reading it back (--from neo4j, export) and a plain load "
        "refuse until they are fixed; load --wipe replaces them after a snapshot of them as "
        "stored.",
        fg="yellow",
        err=True,
    )
    for problem in problems[:50]:
        click.echo(f"warning: {problem}", err=True)
    if count > 50:
        click.echo(f"warning: … and {count - 50} more", err=True)


@click.command()
@seed_option("Seed folder to use.")
@click.option(
    "--out",
    "out_dir",
    default="out/demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the map, the gap report, the brief and the statistics.",
)
@as_of_option
def demo(seed_dir: Path, out_dir: Path, as_of: date | None) -> None:
    """The main job on the seed files, no server needed: check them, analyse, write outputs.

    Writes the MASG stakeholder map, the gap report, a brief for one coalition (or for the
    most urgent affected State without one) and the statistics into the --out folder.
    """
    from ..demo import run_demo

    report = run_demo(seed_dir, out_dir, as_of=as_of)
    click.echo(
        f"Seed {seed_dir} is valid: {report.records} records, {report.relationships} relationships."
    )
    click.echo("")
    echo_lines(_render_stats(report.stats, "table"))
    click.echo("")
    click.echo(f"{report.gaps} synergy gaps found, {report.high} of them high.")
    click.echo(f"Wrote into {out_dir}:")
    for path in report.files:
        click.echo(f"  {path}")
    if report.brief_subject is None:
        click.echo("No brief: the data holds no coalition and no affected State Party to "
                   "brief on.")  # fmt: skip
        click.echo("Open masg-map.html in a browser; gaps.md is the gap report.")
        return
    click.echo("Open masg-map.html and the brief in a browser; gaps.md is the gap report.")
