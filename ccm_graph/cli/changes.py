"""``ccm-graph history`` and ``ccm-graph diff``: who changed what, and what changed."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..connection import ConnectionSettings
from ..escaping import visible
from ..render import render
from .common import (
    as_of_option,
    connect_store,
    connection_options,
    echo_lines,
    output_options,
    restricted_option,
    warn_restricted_included,
)

if TYPE_CHECKING:
    from ..dataset import Dataset

__all__ = ["diff", "history"]


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> date | datetime | None:
    if value is None:
        return None
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(value)
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or a date-time", ctx, param)


@click.command()
@click.option(
    "--since",
    metavar="DATE",
    callback=_since,
    help="Only changes on or after this date (YYYY-MM-DD) or date-time (UTC).",
)
@click.option("--details", is_flag=True, help="Also show each record's before/after values.")
@restricted_option
@output_options
@connection_options
def history(
    since: date | datetime | None, details: bool, include_restricted: bool, fmt: str,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Every write to the shared database: when, which command, who, how many records.

    Loads (plain, --sync, --wipe), the coalition workflow and query --write each append a
    change record in the same transaction as the write, with the before/after values of the
    records they touched (capped at 100,000 characters per write; the record says how many
    entries were left out). --wipe never deletes the history. JSON has every field.

    Changes to restricted records (and to what hangs only on them) are left out, and out of
    the counts, unless --include-restricted.
    """
    from ..history import read_history

    records = read_history(
        connect_store(connection), since=since, include_restricted=include_restricted
    )
    if include_restricted:
        warn_restricted_included()
    if fmt == "json":
        click.echo(json.dumps([r.as_record() for r in records], indent=2, ensure_ascii=False))
        return
    rows = [
        {"at": r.at[:19].replace("T", " "), "command": r.command, "by": r.by,
         "changes": r.summary(), "snapshot": r.snapshot or ""}
        for r in records
    ]  # fmt: skip
    echo_lines(render(rows, fmt, ["at", "command", "by", "changes", "snapshot"]))
    if details and fmt == "table":
        for record in records:
            if not record.details:
                continue
            click.echo(f"\n{record.at} {record.command} ({record.by}):")
            for entry in record.details:
                click.echo(f"  {visible(json.dumps(entry, ensure_ascii=False, default=str))}")
            if record.details_omitted:
                click.echo(f"  … {record.details_omitted} more not recorded (size cap)")


def _read(where: str, connection: ConnectionSettings) -> Dataset:
    """A seed folder, a snapshot (also a seed folder), an Excel workbook (``.xlsx``) or
    ``neo4j``."""
    from ..dataset import read_data

    if where == "neo4j":
        return connect_store(connection).read_dataset()
    return read_data(Path(where))


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "markdown", "html", "ids", "json"]),
    default="table",
    show_default=True,
    callback=lambda _ctx, _param, value: "markdown" if value == "md" else value,
    help="The meeting page, with names: table for the terminal, md (or markdown) or html (a "
    "printable page) to share. The technical view, with ids and column names: ids for the "
    "terminal, json for scripts.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "fr", "es"]),
    default="en",
    show_default=True,
    help="Language of the meeting page (names from the data's aliases in that language).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
@restricted_option
@as_of_option
@connection_options
def diff(
    old: str, new: str, fmt: str, lang: str, out_file: Path | None, include_restricted: bool,
    as_of: date | None, connection: ConnectionSettings,
) -> None:  # fmt: skip
    """What changed between two datasets: records, relations and synergy gaps.

    OLD and NEW are each a seed folder, a snapshot folder, an Excel workbook (.xlsx) or the word
    neo4j (the shared database): "what changed since the last MASG meeting" is ccm-graph diff
    snapshots/snapshot-20260301T090000Z neo4j. Records are matched by id, relations by
    their identifying columns. The meeting page says each change with names ("Lao PDR,
    Article 4 (clearance): deadline 2025-08-01 → 2030-08-01", "Norway → Lao PDR grant 2023,
    USD 1,200,000 added"), the totals of grants added and removed, and the gaps whose level
    changed ("Iraq: high → medium"); --format ids shows ids and columns. Gaps of both are
    computed for the same --as-of date (default today), so a gap opens, closes or changes
    level because the data changed. Restricted records are left out unless
    --include-restricted (the output then says so at the top).
    """
    from ..diff import diff_datasets
    from ..diff_render import render_diff
    from ..files import write_atomically

    before, after = _read(old, connection), _read(new, connection)
    if not include_restricted:
        before, after = before.without_restricted(), after.without_restricted()
    result = diff_datasets(before, after, as_of=as_of or date.today())
    text = render_diff(result, fmt, old=old, new=new, include_restricted=include_restricted,
                       lang=lang)  # fmt: skip
    if out_file is None:
        click.echo(text.rstrip("\n"))
        return
    write_atomically(out_file, text)
    opened, closed = len(result.gaps_opened), len(result.gaps_closed)
    click.echo(
        f"Wrote {out_file}: {len(result.records)} record changes, {opened} gaps opened, "
        f"{closed} closed, {len(result.gaps_changed)} changed level."
    )
