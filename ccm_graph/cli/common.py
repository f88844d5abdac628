"""What every ccm-graph command shares: options, error mapping, the data source, the Store.

Two objects carry the options that many commands have in common:

- :class:`~ccm_graph.connection.ConnectionSettings`, built once from ``--uri``, ``--user``,
  ``--password``, ``--database`` and ``--timeout`` (or ``NEO4J_*``, ``CCM_GRAPH_NEO4J_TIMEOUT``)
  by :func:`connection_options`, which hands
  the command a single ``connection`` parameter;
- :class:`ReadOptions`, where a reading command's data comes from (``--from``, ``--seed``, the
  connection) and which part of it counts (``--as-of``, ``--window``, ``--include-restricted``),
  built by :func:`source_options`, which hands the command a single ``source`` parameter; the
  reading itself is the library's :class:`~ccm_graph.source.DataSource`.

So a command reads as: build the source, one library call, print. Heavy libraries (the Neo4j
driver, NetworkX) are imported only when a command actually needs them, so ``--help``,
``--version`` and ``validate`` start quickly.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import click

from ..connection import DEFAULT_TIMEOUT, TIMEOUT_VARIABLE, ConnectionSettings
from ..errors import CcmGraphError, DataError, StoreUnavailable, UnknownRecord
from .output import (
    check_sheet_target,
    echo_lines,
    out_option,
    output_options,
    sheet_output_options,
    write_lines,
    write_rows_xlsx,
)

if TYPE_CHECKING:
    import networkx as nx

    from ..dataset import Dataset
    from ..source import DataSource
    from ..store import Store

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_WINDOW_YEARS",
    "CcmGroup",
    "LazyCommands",
    "ReadOptions",
    "as_of_option",
    "by_option",
    "check_sheet_target",
    "connect_store",
    "connection_options",
    "echo_lines",
    "out_option",
    "output_options",
    "parse_param",
    "restricted_option",
    "seed_option",
    "sheet_output_options",
    "source_options",
    "warn_restricted_included",
    "window_option",
    "write_lines",
    "write_rows_xlsx",
]

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_SEED = "seed"
"""The seed folder read when ``--seed`` is not given."""

DEFAULT_WINDOW_YEARS = 3
"""Funding in this many years before the as-of year (and in it) counts as recent."""

Origin = Literal["seed", "neo4j"]


class Neo4jUnavailable(click.ClickException):
    """Exit 3: the server is unreachable or refused the credentials."""

    exit_code = 3


class InvalidData(click.ClickException):
    """Exit 1 after the problems have been listed on stderr."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name; a lazy one is imported the first time it is looked up.

    Listing the names (``ccm-graph --help``, ``sorted(cli.commands)``) imports nothing; asking
    for a command (running it, its ``--help``) imports its module. For the group's own help a
    lazy command's one-line summary stands in, so ``ccm-graph --help`` stays quick.
    """

    def __init__(self) -> None:
        self._loaded: dict[str, click.Command] = {}
        self._lazy: dict[str, tuple[str, str]] = {}

    def add_lazy(self, name: str, import_path: str, summary: str) -> None:
        """Register ``module:attribute`` as command ``name``, described by ``summary``."""
        self._lazy[name] = (import_path, summary)

    def summary(self, name: str) -> str | None:
        """The stand-in summary of a lazy command not imported yet, else ``None``."""
        if name in self._loaded or name not in self._lazy:
            return None
        return self._lazy[name][1]

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded and name in self._lazy:
            module, _, attribute = self._lazy[name][0].partition(":")
            command = getattr(import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[name][0]} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        found = self._loaded.pop(name, None) is not None
        if self._lazy.pop(name, None) is None and not found:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted({*self._loaded, *self._lazy}))

    def __len__(self) -> int:
        return len({*self._loaded, *self._lazy})

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._lazy


class CcmGroup(click.Group):
    """Maps library errors to messages and exit codes; ``--debug`` shows tracebacks instead.

    Its commands live in a :class:`LazyCommands`, so a command module that needs heavy
    libraries at import time can be registered with :meth:`add_lazy_command`.
    """

    commands: LazyCommands

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lazy = LazyCommands()
        lazy.update(self.commands)
        self.commands = lazy

    def add_lazy_command(self, name: str, import_path: str, summary: str) -> None:
        """Register ``module:attribute`` as ``name``; ``summary`` is its first help sentence."""
        self.commands.add_lazy(name, import_path, summary)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, without importing lazy commands for it."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            summary = self.commands.summary(name)
            command = (
                click.Command(name, help=summary)
                if summary is not None
                else self.get_command(ctx, name)
            )
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CcmGraphError as exc:
            if ctx.meta.get("ccm_graph.debug"):
                raise
            error = _click_error(exc)
            source = ctx.meta.get("ccm_graph.source")
            if isinstance(exc, UnknownRecord) and isinstance(source, ReadOptions):
                hint = source.hint_for_unknown(exc.record_id)
                if hint:
                    error = click.ClickException(f"{exc}\nHint: {hint}")
            raise error from exc


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


# --- the Neo4j connection ---------------------------------------------------------------------


def connection_options(fn: F) -> F:
    """``--uri/--user/--password/--database/--timeout`` (or ``NEO4J_*``,
    ``CCM_GRAPH_NEO4J_TIMEOUT``) → one ``connection`` parameter.

    The command receives a :class:`~ccm_graph.connection.ConnectionSettings`, whose ``repr``
    never shows the password.
    """

    @functools.wraps(fn)
    def with_connection(*args: Any, uri: str, user: str, password: str, database: str,
                        timeout: float, **kwargs: Any) -> Any:  # fmt: skip
        settings = ConnectionSettings(uri=uri, user=user, password=password, database=database,
                                      timeout=timeout)  # fmt: skip
        return fn(*args, connection=settings, **kwargs)

    options = [
        click.option("--timeout", envvar=TIMEOUT_VARIABLE, default=DEFAULT_TIMEOUT,
                     show_envvar=True, show_default=True, metavar="SECONDS",
                     type=click.FloatRange(min=0, min_open=True),
                     help="How long to wait for Neo4j to answer (connecting, or between two "
                     "answers) before giving up with exit 3."),
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
    command: Callable[..., Any] = with_connection
    for option in options:
        command = option(command)
    return cast(F, command)


def connect_store(connection: ConnectionSettings) -> Store:
    """Open the Store for this command; it is closed when the command ends.

    With ``--debug`` every Cypher statement is echoed to stderr (parameter names only).
    """
    from ..store import Store

    store = Store.connect(connection, tracer=_tracer())
    click.get_current_context().call_on_close(store.close)
    return store


def _tracer() -> Callable[[str, list[str]], None] | None:
    """With ``--debug``, a tracer that echoes each Cypher statement to stderr (parameter names
    only); without, ``None``, and the driver's own log lines are silenced: they are not one
    honest sentence, the error that follows is."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("ccm_graph.debug"):

        def tracer(query: str, names: list[str]) -> None:
            click.echo(f"cypher: {query.splitlines()[0]} … params: {names}", err=True)

        return tracer
    neo4j_log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in neo4j_log.handlers):
        neo4j_log.addHandler(logging.NullHandler())
    return None


# --- where the data comes from ----------------------------------------------------------------


@dataclass(frozen=True)
class ReadOptions:
    """What a reading command reads, and which part of it counts: the command line's side of
    the library's :class:`~ccm_graph.source.DataSource`.

    :param origin: ``seed`` (the folder or workbook, no server needed) or ``neo4j``.
    :param seed_dir: the folder (or ``.xlsx`` workbook) read when ``origin`` is ``seed``.
    :param connection: the database read when ``origin`` is ``neo4j``.
    :param as_of: the day deadlines and the funding window count from; ``None`` is the data's
        own as-of date (``--as-of today`` gives today's).
    :param window_years: funding in this many years before the as-of year counts as recent.
    :param include_restricted: keep records marked restricted. ``False`` unless the command
        has ``--include-restricted`` and it was given: a command added later that forgets the
        option still leaves restricted records out.
    """

    origin: Origin = "seed"
    seed_dir: Path = Path(DEFAULT_SEED)
    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    as_of: date | None = None
    window_years: int = DEFAULT_WINDOW_YEARS
    include_restricted: bool = False

    @functools.cached_property
    def data_source(self) -> DataSource:
        """The library's data source for these options (one per command; a Neo4j connection
        is closed when the command ends, and ``--debug`` traces its statements)."""
        from ..source import DataSource

        if self.origin != "neo4j":
            return DataSource.at(self.seed_dir)
        source = DataSource.neo4j(self.connection, tracer=_tracer())
        ctx = click.get_current_context(silent=True)
        if ctx is not None:
            ctx.call_on_close(source.close)
        return source

    def hint_for_unknown(self, record_id: str) -> str | None:
        """What to tell someone whose id is not in the data read.

        Reading the seed folder, an id that the configured Neo4j database holds (a coalition
        proposed with ``ccm-graph coalition``, say) gets "add --from neo4j". The database is
        asked only when a password is configured, with the usual connect timeout. A record
        that is restricted (or hangs on one) gets no hint unless ``include_restricted``,
        whether in the folder or in Neo4j: its answer is the one of an unknown id.
        """
        if self.origin != "seed" or not self.connection.password:
            return None
        from ..store import Store

        try:
            if record_id in self.read_all().node_index():
                return None  # in the folder, so restricted here: said as unknown, no hint
            with Store.connect(self.connection) as store:
                if self.include_restricted:
                    found = store.has_record(record_id)
                else:
                    found = record_id in store.read_dataset().without_restricted().node_index()
        except CcmGraphError:
            return None  # no database to ask: the error message stands on its own
        if not found:
            return None
        return (
            f"{record_id!r} is in the Neo4j database at {self.connection.display_uri} but not "
            f"in the seed folder {self.seed_dir}: add --from neo4j"
        )

    def reference_date(self) -> date:
        """``--as-of``; without it the data's own as-of date (today only when the data state
        none): :func:`ccm_graph.metadata.reference_date`, the one date rule."""
        from ..metadata import reference_date

        if self.as_of is not None:
            return self.as_of
        return reference_date(None, self.read_all().info.as_of)

    def read_all(self) -> Dataset:
        """Every record, restricted or not (shared with the cache: do not change in place)."""
        return self.data_source.dataset(include_restricted=True)

    def visible(self, dataset: Dataset) -> Dataset:
        """``dataset`` without restricted records (and what hangs only on them), unless asked."""
        return dataset if self.include_restricted else dataset.without_restricted()

    def dataset(self) -> Dataset:
        """The records this command may use: restricted ones only with the option."""
        return self.data_source.dataset(include_restricted=self.include_restricted)

    def graph(self) -> nx.MultiDiGraph:
        """The (frozen) NetworkX graph of :meth:`dataset`."""
        return self.data_source.graph(include_restricted=self.include_restricted)


def source_options(fn: F) -> F:
    """``--from seed|neo4j``, ``--seed DIR`` and the connection → one ``source`` parameter.

    ``--as-of``, ``--window`` and ``--include-restricted``, where the command has them (their
    decorators may sit anywhere among its options), go into the :class:`ReadOptions` too.
    """

    @functools.wraps(fn)
    def with_source(*args: Any, origin: Origin, seed_dir: Path,
                    connection: ConnectionSettings, **kwargs: Any) -> Any:  # fmt: skip
        source = ReadOptions(
            origin=origin,
            seed_dir=seed_dir,
            connection=connection,
            as_of=kwargs.pop("as_of", None),
            window_years=kwargs.pop("window_years", DEFAULT_WINDOW_YEARS),
            include_restricted=kwargs.pop("include_restricted", False),
        )
        click.get_current_context().meta["ccm_graph.source"] = source
        if source.include_restricted:
            warn_restricted_included()
        return fn(*args, source=source, **kwargs)

    command: Callable[..., Any] = seed_option("Seed folder to read with --from seed.")(with_source)
    command = click.option(
        "--from",
        "origin",
        type=click.Choice(["seed", "neo4j"]),
        default="seed",
        show_default=True,
        help="Read the seed files (no server needed) or the Neo4j database.",
    )(command)
    return cast(F, connection_options(command))


# --- single options (the output options are in output.py) ------------------------------------


RESTRICTED_WARNING = (
    "Restricted records are included (--include-restricted): this output holds confidential "
    "rows; share it with care."
)


def warn_restricted_included() -> None:
    """Say, in red on stderr, that the output holds restricted records."""
    click.secho(RESTRICTED_WARNING, fg="red", err=True)


def restricted_option(fn: F) -> F:
    """``--include-restricted``: keep records marked restricted (left out by default)."""
    return click.option(
        "--include-restricted",
        is_flag=True,
        help="Also use records marked restricted (left out by default).",
    )(fn)


def by_option(fn: F) -> F:
    """``--by NAME``: who makes a change, for the history (default: the OS user name)."""
    return click.option(
        "--by",
        metavar="NAME",
        default=None,
        help="Who is making this change, for the history (default: your OS user name).",
    )(fn)


def seed_option(help_text: str = "Seed folder to read.") -> Callable[[F], F]:
    """``--seed DIR`` (default ``seed``): a seed folder, or an Excel workbook (``.xlsx``)."""
    return click.option(
        "--seed",
        "seed_dir",
        default=DEFAULT_SEED,
        show_default=True,
        type=click.Path(path_type=Path),
        help=help_text.rstrip(".") + ", or an Excel workbook (.xlsx) of the same tables.",
    )


def _to_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """``YYYY-MM-DD`` as a date, ``today`` as today's; a usage error otherwise."""
    if value is None:
        return None
    if value.strip().lower() == "today":
        return date.today()
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: give YYYY-MM-DD or 'today'", ctx=ctx, param=param
        ) from None


def as_of_option(fn: F) -> F:
    """``--as-of YYYY-MM-DD|today``: the day deadlines and the funding window count from;
    without it, the data's own as-of date."""
    return click.option(
        "--as-of",
        "as_of",
        type=str,
        metavar="YYYY-MM-DD|today",
        default=None,
        callback=_to_date,
        help="Reference date for deadlines and the funding window (YYYY-MM-DD, or 'today'; "
        "default: the data's as-of date, so every 'now' is dated where the data stop).",
    )(fn)


def window_option(fn: F) -> F:
    """``--window YEARS``: how many years of funding count as recent."""
    return click.option(
        "--window",
        "window_years",
        default=DEFAULT_WINDOW_YEARS,
        show_default=True,
        # issue 22 (hardening): analysis._index.MAX_WINDOW_YEARS (a test keeps them equal)
        type=click.IntRange(min=0, max=200),
        help="Funding in this many years before the as-of year (and in it) counts as recent.",
    )(fn)


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` → (name, value), the value typed by
    :func:`~ccm_graph.query_library.param_value`."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="--param")
    # issue 22 (hardening): the typing of the value is the library's (query_library.param_value)
    from ..query_library import param_value

    try:
        return name, param_value(raw)
    except ValueError as exc:
        raise click.BadParameter(f"{name}: {exc}", param_hint="--param") from exc


def lang_option(fixed_text: str) -> Callable[[F], F]:
    """``--lang en|fr|es`` for a command that writes for people; ``fixed_text`` says what is
    translated (e.g. "title, panel, legend, cards")."""
    from ..i18n import LANGUAGES

    return click.option(
        "--lang",
        type=click.Choice(list(LANGUAGES)),
        default="en",
        show_default=True,
        help=f"Language of the fixed text ({fixed_text}); names from the data's aliases in "
        "that language when it has them.",
    )
