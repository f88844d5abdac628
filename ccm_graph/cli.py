"""The ``ccm-graph`` command: a thin click layer over the library.

Every command parses its options, gets a Dataset or a Store, makes one library call and renders
the result. Library errors become exit codes in one place (:class:`CcmGroup`): 1 invalid data or
a failed query, 2 usage, 3 Neo4j unreachable or credentials refused.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .dataset import Dataset, read_seed, write_seed
from .errors import CcmGraphError, DataError, StoreUnavailable
from .graph import build_graph, graph_stats
from .render import FORMATS, render
from .store import ConnectionSettings, Store

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_SEED = "seed"


class Neo4jUnavailable(click.ClickException):
    """Exit 3: the server is unreachable or refused the credentials."""

    exit_code = 3


class InvalidData(click.ClickException):
    """Exit 1 after the problems have been listed on stderr."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class CcmGroup(click.Group):
    """Maps library errors to messages and exit codes; ``--debug`` shows tracebacks instead."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcmGraphError as exc:
            if ctx.meta.get("ccm_graph.debug"):
                raise
            raise _click_error(exc) from exc


def _click_error(exc: CcmGraphError) -> click.ClickException:
    if isinstance(exc, StoreUnavailable):
        message = str(exc) + (f"\nHint: {exc.hint}" if exc.hint else "")
        return Neo4jUnavailable(message)
    if isinstance(exc, DataError):
        lines = [str(p) for p in exc.problems]
        count = len(lines)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")
        return InvalidData("\n".join(lines))
    return click.ClickException(str(exc))


# --- shared options ---------------------------------------------------------------------------


def neo4j_options(fn: F) -> F:
    """``--uri/--user/--password/--database``, each with its ``NEO4J_*`` environment variable."""
    options = [
        click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_envvar=True,
                     show_default=True, help="Neo4j database name."),
        click.option("--password", envvar="NEO4J_PASSWORD", default="", show_envvar=True,
                     show_default=False, help="Neo4j password (prefer the environment variable)."),
        click.option("--user", envvar="NEO4J_USER", default="neo4j", show_envvar=True,
                     show_default=True, help="Neo4j user."),
        click.option("--uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687",
                     show_envvar=True, show_default=True,
                     help="Neo4j address: bolt://, neo4j:// or neo4j+s:// (Aura)."),
    ]  # fmt: skip
    for option in options:
        fn = option(fn)
    return fn


def output_options(fn: F) -> F:
    """``--format table|json|csv``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="table for people, json or csv for scripts.",
    )(fn)


def source_options(fn: F) -> F:
    """``--from seed|neo4j`` and ``--seed DIR`` plus the Neo4j options."""
    fn = click.option(
        "--seed",
        "seed_dir",
        default=DEFAULT_SEED,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Seed folder to read with --from seed.",
    )(fn)
    fn = click.option(
        "--from",
        "source",
        type=click.Choice(["seed", "neo4j"]),
        default="seed",
        show_default=True,
        help="Read the seed files (no server needed) or the Neo4j database.",
    )(fn)
    return neo4j_options(fn)


def _settings(uri: str, user: str, password: str, database: str) -> ConnectionSettings:
    return ConnectionSettings(uri=uri, user=user, password=password, database=database)


def _connect(ctx: click.Context, uri: str, user: str, password: str, database: str) -> Store:
    tracer = None
    if ctx.meta.get("ccm_graph.debug"):

        def tracer(query: str, names: list[str]) -> None:
            click.echo(f"cypher: {query.splitlines()[0]} … params: {names}", err=True)

    store = Store.connect(_settings(uri, user, password, database), tracer=tracer)
    ctx.call_on_close(store.close)
    return store


def load_dataset(
    ctx: click.Context, source: str, seed_dir: Path, uri: str, user: str, password: str,
    database: str,
) -> Dataset:  # fmt: skip
    """The Dataset a reading command works on: the seed folder or the Neo4j database."""
    if source == "neo4j":
        return _connect(ctx, uri, user, password, database).read_dataset()
    return read_seed(seed_dir)


def _echo_lines(lines: Any) -> None:
    for line in lines:
        click.echo(line)


# --- commands ---------------------------------------------------------------------------------


@click.group(cls=CcmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccm-graph")
@click.option("--debug", is_flag=True, help="Show tracebacks and the Cypher sent to Neo4j.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Plan Country Coalitions under the Convention on Cluster Munitions.

    ccm-graph keeps who is who — States Parties and their Article 3 and 4 obligations, donors,
    operators, national authorities, forums and coalitions — as a graph. It reads the seed
    folder directly (no server needed) or a shared Neo4j database.
    """
    ctx.meta["ccm_graph.debug"] = debug


@cli.command()
@click.option("--seed", "seed_dir", default=DEFAULT_SEED, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Seed folder to check.")  # fmt: skip
def validate(seed_dir: Path) -> None:
    """Check a seed folder; list every problem as file:line: message."""
    dataset = read_seed(seed_dir)
    counts = dataset.counts()
    summary = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in counts.items())
    click.echo(f"{seed_dir}: valid ({summary}).")


@cli.command()
@click.option(
    "--seed",
    "seed_dir",
    default=DEFAULT_SEED,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder to load.",
)
@click.option(
    "--wipe", is_flag=True, help="Delete every ccm-graph node first (in the same transaction)."
)
@click.option(
    "--batch-size",
    default=5000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows per UNWIND batch.",
)
@neo4j_options
@click.pass_context
def load(
    ctx: click.Context, seed_dir: Path, wipe: bool, batch_size: int, uri: str, user: str,
    password: str, database: str,
) -> None:  # fmt: skip
    """Load a seed folder into Neo4j: validated first, then all or nothing.

    Records are merged on their id, so loading the same folder twice changes nothing. Rows
    removed from the files stay in Neo4j unless you --wipe.
    """
    dataset = read_seed(seed_dir)
    store = _connect(ctx, uri, user, password, database)
    total = sum(dataset.counts().values()) + len(dataset.obligations) + len(dataset.coalitions)
    if total > 20_000:
        with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
            report = store.load(dataset, wipe=wipe, batch_size=batch_size, progress=bar.update)
    else:
        report = store.load(dataset, wipe=wipe, batch_size=batch_size)
    nodes = ", ".join(f"{kind} {n}" for kind, n in report.nodes.items())
    rels = sum(report.relationships.values())
    wiped = " after wiping the old graph" if wipe else ""
    click.echo(f"Loaded {seed_dir} into {uri} ({database}){wiped}: {nodes}; {rels} relationships.")


@cli.command()
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
@neo4j_options
@click.pass_context
def export(
    ctx: click.Context, out_dir: Path, include_restricted: bool, uri: str, user: str,
    password: str, database: str,
) -> None:  # fmt: skip
    """Write the Neo4j graph back as a seed folder (restricted rows only when asked)."""
    dataset = _connect(ctx, uri, user, password, database).read_dataset()
    counts = write_seed(dataset, out_dir, include_restricted=include_restricted)
    left_out = ""
    if not include_restricted and dataset.has_restricted():
        left_out = " Restricted records were left out (--include-restricted to keep them)."
    summary = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in counts.items())
    click.echo(f"Exported to {out_dir}: {summary}.{left_out}")


@cli.command()
@source_options
@output_options
@click.pass_context
def stats(
    ctx: click.Context, source: str, seed_dir: Path, uri: str, user: str, password: str,
    database: str, fmt: str,
) -> None:  # fmt: skip
    """Counts by kind and relationship type; obligations by article and status."""
    dataset = load_dataset(ctx, source, seed_dir, uri, user, password, database)
    _echo_lines(_render_stats(graph_stats(build_graph(dataset)), fmt))


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


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` → (name, value): integers, floats, booleans, null and JSON recognised."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--param")
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return name, lowered == "true"
    if lowered == "null":
        return name, None
    for convert in (int, float):
        try:
            return name, convert(raw)
        except ValueError:
            continue
    if raw and raw[0] in '[{"':
        try:
            return name, json.loads(raw)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(
                f"{name}: not valid JSON ({exc})", param_hint="--param"
            ) from exc
    return name, raw


@cli.command()
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
    help="A query parameter; repeatable. Numbers, true/false, null and JSON are typed.",
)
@click.option(
    "--write", is_flag=True, help="Allow the query to change data (otherwise it runs read-only)."
)
@output_options
@neo4j_options
@click.pass_context
def query(
    ctx: click.Context, text: str | None, query_file: Any, params: Sequence[str], write: bool,
    fmt: str, uri: str, user: str, password: str, database: str,
) -> None:  # fmt: skip
    """Run Cypher against Neo4j, read-only unless --write.

    Read-only is enforced by Neo4j (the query runs in a read transaction), not by looking at
    the text. Pass values with --param, never by pasting them into the query.
    """
    if (text is None) == (query_file is None):
        raise click.UsageError("give the Cypher either as an argument or with --file")
    cypher = text if text is not None else query_file.read()
    values = dict(parse_param(p) for p in params)
    result = _connect(ctx, uri, user, password, database).query(cypher, values, write=write)
    _echo_lines(render(result.rows, fmt, result.columns))


@cli.command()
@click.option(
    "--seed",
    "seed_dir",
    default=DEFAULT_SEED,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Seed folder to use.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the statistics as JSON into this folder.",
)
def demo(seed_dir: Path, out_dir: Path | None) -> None:
    """The main job on the embedded default: validate the seed, build the graph, show stats."""
    dataset = read_seed(seed_dir)
    graph = build_graph(dataset)
    result = graph_stats(graph)
    click.echo(
        f"Seed {seed_dir} is valid: {graph.number_of_nodes()} records, "
        f"{graph.number_of_edges()} relationships."
    )
    click.echo("")
    _echo_lines(_render_stats(result, "table"))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / "stats.json"
        target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        click.echo(f"\nWrote {target}")


if __name__ == "__main__":  # pragma: no cover
    cli()
