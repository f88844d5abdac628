"""What every ccm-graph command shares: options, error mapping, getting a Dataset or a Store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..dataset import Dataset, read_seed
from ..errors import CcmGraphError, DataError, StoreUnavailable
from ..render import FORMATS
from ..store import ConnectionSettings, Store

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
    fn = seed_option("Seed folder to read with --from seed.")(fn)
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


def connect_store(ctx: click.Context, uri: str, user: str, password: str, database: str) -> Store:
    tracer = None
    if ctx.meta.get("ccm_graph.debug"):

        def tracer(query: str, names: list[str]) -> None:
            click.echo(f"cypher: {query.splitlines()[0]} … params: {names}", err=True)

    store = Store.connect(_settings(uri, user, password, database), tracer=tracer)
    ctx.call_on_close(store.close)
    return store


def load_dataset(
    ctx: click.Context, source: str, seed_dir: Path, uri: str, user: str, password: str,
    database: str, *, include_restricted: bool = True,
) -> Dataset:  # fmt: skip
    """The Dataset a reading command works on: the seed folder or the Neo4j database.

    Without ``include_restricted`` restricted records (and what hangs only on them) are
    dropped before anything else sees the data.
    """
    if source == "neo4j":
        dataset = connect_store(ctx, uri, user, password, database).read_dataset()
    else:
        dataset = read_seed(seed_dir)
    return dataset if include_restricted else dataset.without_restricted()


def restricted_option(fn: F) -> F:
    """``--include-restricted``: keep records marked restricted (left out by default)."""
    return click.option(
        "--include-restricted",
        is_flag=True,
        help="Also use records marked restricted (left out by default).",
    )(fn)


def echo_lines(lines: Any) -> None:
    for line in lines:
        click.echo(line)


def seed_option(help_text: str = "Seed folder to read.") -> Callable[[F], F]:
    """``--seed DIR`` (default ``seed``)."""
    return click.option(
        "--seed",
        "seed_dir",
        default=DEFAULT_SEED,
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def as_of_option(fn: F) -> F:
    """``--as-of YYYY-MM-DD``: the day deadlines and the funding window count from."""
    return click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Reference date for deadlines and the funding window (YYYY-MM-DD; default today).",
    )(fn)
