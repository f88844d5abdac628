"""The ``map`` command: stakeholder maps (one offline HTML page) and graph files for Gephi."""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import click
import networkx as nx
from click.core import ParameterSource

from ..dataset import Dataset
from ..maps import (
    DEFAULT_RING_LEVELS,
    LAYOUTS,
    MAP_FORMATS,
    PRESETS,
    SIZE_MEASURES,
    MapOptions,
    choose_layout,
    highlight_level,
    highlights_from_gaps,
    select_view,
    view_title,
    write_map,
)
from ..maps.layout import MAX_LAYOUT_SEED
from .common import ReadOptions, lang_option, source_options

__all__ = ["map_command"]

_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".graphml": "graphml", ".gexf": "gexf",
                   ".json": "json"}  # fmt: skip
_HTML_ONLY = ("size_by", "layout", "layout_seed", "lang")
_SECRET_PARAMS = frozenset({"password"})


@click.command("map")
@click.option("--focus", metavar="ID", help="Map the neighbourhood of this State or actor.")
@click.option(
    "--depth",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="With --focus: how many relations away from it to go.",
)
@click.option(
    "--coalition",
    metavar="ID",
    help="Map one Country Coalition: members, funders, its State and who works there.",
)
@click.option(
    "--preset",
    type=click.Choice(tuple(PRESETS)),
    help=" ".join(f"{preset.name}: {preset.description}" for preset in PRESETS.values()),
)
@click.option(
    "--gaps",
    "show_gaps",
    is_flag=True,
    help="Ring in red every record a high-level synergy gap is about (as `ccm-graph gaps` "
    "finds them on the data's as-of date); a box on the page rings medium and low ones too, "
    "and the hover card lists the findings.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Also map records marked restricted; the page then says so in red at the top.",
)
@click.option(
    "--size-by",
    type=click.Choice(SIZE_MEASURES),
    default="degree",
    show_default=True,
    help="What node size shows: relations, money given plus received, or brokerage.",
)
@click.option(
    "--layout",
    type=click.Choice(("auto", *LAYOUTS)),
    default="auto",
    show_default=True,
    help="physics: the browser arranges the map; static: fixed positions computed here, "
    "best for large maps; auto: physics up to 500 records, static above.",
)
@click.option(
    "--layout-seed",
    default=42,
    show_default=True,
    type=click.IntRange(0, MAX_LAYOUT_SEED),
    help="Seed of the layout: the same seed gives the same picture.",
)
@click.option("--title", help="Page title (default: says what the view shows).")
@lang_option("title, panel, legend, cards, gap findings")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MAP_FORMATS),
    help="html (the map), or graphml, gexf, json for Gephi and other tools "
    "[default: from the --out suffix, else html]",
)
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write.",
)
@source_options
@click.pass_context
def map_command(
    ctx: click.Context, focus: str | None, depth: int, coalition: str | None,
    preset: str | None, show_gaps: bool, size_by: str, layout: str, layout_seed: int,
    title: str | None, lang: str, fmt: str | None, out_file: Path, source: ReadOptions,
) -> None:  # fmt: skip
    """Draw a stakeholder map: one HTML file that opens offline and can be emailed.

    The whole network by default, or one view: --focus ID [--depth N], --coalition ID or
    --preset masg. Colour and shape show the kind of record, node size a measure, line width
    the money; the page has a legend, search, filters and hover cards. Restricted records are
    left out unless --include-restricted. --lang fr or es writes the page in French or
    Spanish. With --format graphml, gexf or json the same view is written as a graph file
    instead.
    """
    fmt = fmt or _format_from_suffix(out_file)
    _check_options(ctx, focus, coalition, preset, fmt)
    full = source.read_all()
    graph = source.graph()
    # an id not in the graph read (unknown, or restricted without --include-restricted: the
    # same answer, so that none reveals a restricted record) is UnknownRecord, said by the CLI
    view = select_view(graph, focus=focus, depth=depth, coalition=coalition, preset=preset)
    chosen_layout = choose_layout(view) if layout == "auto" else layout
    highlights = _gap_highlights(graph, full, lang) if show_gaps else None
    if title is None:
        title = view_title(graph, focus=focus, depth=depth, coalition=coalition, preset=preset,
                           lang=lang)  # fmt: skip
    options = MapOptions(
        title=title,
        as_of=_as_of(full),
        command=command_line(ctx),
        highlights=highlights,
        layout=chosen_layout,
        size_by=size_by,
        seed=layout_seed,
        restricted_included=source.include_restricted,
        lang=lang,
    )
    size = write_map(view, out_file, options, fmt=fmt)
    click.echo(_summary(out_file, fmt, view, chosen_layout, size, highlights))
    if not source.include_restricted and full.has_restricted():
        click.echo("Restricted records were left out (--include-restricted to map them).")
    elif source.include_restricted:
        click.echo("The map may hold restricted records: it says so at the top. Share with care.")


def _format_from_suffix(path: Path) -> str:
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "html")


def _check_options(
    ctx: click.Context, focus: str | None, coalition: str | None, preset: str | None, fmt: str
) -> None:
    """Usage mistakes (exit 2) before any data is read."""
    views = [opt for opt, value in (("--focus", focus), ("--coalition", coalition),
                                    ("--preset", preset)) if value is not None]  # fmt: skip
    if len(views) > 1:
        raise click.UsageError(f"use one of --focus, --coalition and --preset, not {views[0]} "
                               f"and {views[1]}")  # fmt: skip
    if focus is None and _given(ctx, "depth"):
        raise click.UsageError("--depth only applies with --focus")
    if fmt != "html":
        for name in _HTML_ONLY:
            if _given(ctx, name):
                option = "--" + name.replace("_", "-")
                raise click.UsageError(f"{option} only applies to --format html, not {fmt}")


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE


def _gap_highlights(
    graph: nx.MultiDiGraph, dataset: Dataset, lang: str = "en"
) -> dict[str, list[str]]:
    from ..analysis import synergy_gaps

    return highlights_from_gaps(synergy_gaps(graph, as_of=_reference_date(dataset)), lang)


def _reference_date(dataset: Dataset) -> date:
    """The day gap findings count from: the data's as-of date, so that the same data always
    makes the same map (byte for byte); today only when the data states no date (the one date
    rule, :func:`ccm_graph.metadata.reference_date`)."""
    from ..metadata import reference_date

    return reference_date(None, dataset.info.as_of)


def _as_of(dataset: Dataset) -> str:
    """The data's as-of date for the page header (from its metadata), never a file path."""
    return dataset.info.as_of_text()


def command_line(ctx: click.Context) -> str:
    """The command that made the map, as typed options, never with a password nor a path of
    the machine.

    Built from the options given on the command line (not those from the environment or
    defaults), so it can be shown in the page and run again; a user name and password inside
    ``--uri`` are dropped too, and an absolute path (``--seed /home/alice/seed``, ``--out``) is
    shown by its last part (``--seed seed``): the map travels, the folders it came from stay.
    """
    words = ["ccm-graph", ctx.info_name or "map"]
    for param in ctx.command.params:
        name = param.name or ""
        if name in _SECRET_PARAMS or not _given(ctx, name):
            continue
        value = ctx.params.get(name)
        option = max(param.opts, key=len)
        if isinstance(param, click.Option) and param.is_flag:
            if value:
                words.append(option)
            continue
        if name == "uri":
            value = _without_credentials(str(value))
        elif isinstance(value, Path) and value.is_absolute():
            value = value.name or str(value)
        words += [option, str(value)]
    return shlex.join(words)


def _without_credentials(uri: str) -> str:
    """``neo4j://user:secret@host`` → ``neo4j://host``: a URI may carry a password too."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _summary(
    out_file: Path, fmt: str, view: nx.MultiDiGraph, layout: str, size: int,
    highlights: dict[str, list[str]] | None,
) -> str:  # fmt: skip
    what = f"{view.number_of_nodes()} records, {view.number_of_edges()} relationships"
    if fmt == "html":
        what += f", {layout} layout"
        if highlights is not None:
            found = [reasons for node, reasons in highlights.items() if node in view]
            ringed = sum(highlight_level(r) in DEFAULT_RING_LEVELS for r in found)
            what += f", {ringed} records ringed for gaps"
            if len(found) > ringed:
                what += f" ({len(found)} with a finding of any level: tick the box on the page)"
    return f"Wrote {out_file} ({fmt}, {_kilobytes(size)}): {what}."


def _kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size} bytes"
