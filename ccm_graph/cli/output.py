"""The output options and writers every command that prints rows shares: ``--format``,
``--out``, and writing lines or an Excel workbook to a file or to stdout (never a workbook
onto a terminal). :mod:`ccm_graph.cli.common` re-exports them."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast

import click

from ..render import FORMATS, SHEET_FORMATS

__all__ = [
    "check_sheet_target",
    "echo_lines",
    "out_option",
    "output_options",
    "sheet_output_options",
    "write_lines",
    "write_rows_xlsx",
]

F = TypeVar("F", bound=Callable[..., Any])


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


def out_option(fn: F) -> F:
    """``--out FILE``: write the output to a file instead of the terminal (any format)."""
    return click.option(
        "--out",
        "out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the output to this file instead of the terminal (needed for --format xlsx "
        "unless the output is redirected).",
    )(fn)


def sheet_output_options(fn: F) -> F:
    """``--format table|json|csv|xlsx`` and ``--out FILE``, for commands that give rows.

    ``--out`` writes the output to a file instead of stdout, in any format. ``xlsx`` is a
    binary workbook: it needs ``--out`` unless stdout is redirected (a pipe or a file), so no
    workbook is ever poured onto a terminal. The command receives ``fmt`` and ``out``; it
    writes with :func:`write_lines` or :func:`write_rows_xlsx`.
    """

    @functools.wraps(fn)
    def checked(*args: Any, fmt: str, out: Path | None, **kwargs: Any) -> Any:
        check_sheet_target(fmt, out)
        return fn(*args, fmt=fmt, out=out, **kwargs)

    command: Callable[..., Any] = out_option(checked)
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(SHEET_FORMATS),
        default="table",
        show_default=True,
        help="table for people, json or csv for scripts, xlsx for an Excel workbook.",
    )(command)
    return cast(F, command)


def check_sheet_target(fmt: str, out: Path | None) -> None:
    """Refuse (exit 2) to pour an xlsx workbook onto a terminal: it needs ``--out``."""
    if fmt == "xlsx" and out is None and _stdout_bytes().isatty():
        raise click.UsageError(
            "--format xlsx writes an Excel workbook: add --out FILE.xlsx "
            "(or redirect the output to a file)"
        )


def _stdout_bytes() -> BinaryIO:
    return sys.stdout.buffer


def write_lines(lines: Iterable[str], out: Path | None) -> None:
    """Print ``lines`` to stdout, or write them (UTF-8, one per line) to ``out``."""
    if out is None:
        echo_lines(lines)
        return
    from ..files import write_atomically

    write_atomically(out, "".join(f"{line}\n" for line in lines))
    click.echo(f"Wrote {out}.", err=True)


def write_rows_xlsx(
    rows: Sequence[dict[str, Any]], columns: Sequence[str] | None, out: Path | None, sheet: str
) -> None:
    """Write ``rows`` as a one-sheet Excel workbook to ``out``, or to stdout when redirected.

    The sheet is called ``sheet``; ``columns`` fixes the column order (default: the rows' keys).
    """
    from ..render import render_xlsx

    data = render_xlsx(rows, columns, sheet=sheet)
    if out is None:
        stream = _stdout_bytes()
        stream.write(data)
        stream.flush()
        return
    from ..files import write_atomically

    write_atomically(out, data)
    click.echo(f"Wrote {out} ({len(rows)} rows).", err=True)


def echo_lines(lines: Iterable[str]) -> None:
    """Print each line to stdout."""
    for line in lines:
        click.echo(line)
