"""The Excel door: ``template`` writes the seed tables as a workbook to fill in."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["template"]


@click.command()
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Workbook to write; its name must end in .xlsx.",
)
@click.option(
    "--seed",
    "seed_dir",
    default=None,
    type=click.Path(path_type=Path),
    help="Seed folder (or workbook) whose records fill the sheets; without it they are empty.",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Also write records marked restricted (left out by default, as by export).",
)
def template(out_file: Path, seed_dir: Path | None, include_restricted: bool) -> None:
    """Write an Excel workbook of the seed tables, with drop-down lists to fill in.

    One sheet per table (actors, obligations, coalitions, activities, relations, evidence) with the
    exact column names in a frozen first row, a drop-down list on every column with a closed
    set of values, a metadata sheet and a README sheet explaining every column. With --seed
    the sheets hold that data. Every --seed option of ccm-graph takes the filled-in workbook:
    validate --seed FILE.xlsx checks it (problems as file:sheet:row: message), load --seed
    FILE.xlsx loads it.
    """
    from ..dataset import read_data
    from ..workbook import is_workbook, write_workbook

    if not is_workbook(out_file):
        raise click.UsageError(f"--out {out_file}: the workbook's name must end in .xlsx")
    dataset = read_data(seed_dir) if seed_dir is not None else None
    counts = write_workbook(dataset, out_file, include_restricted=include_restricted)
    if dataset is None:
        click.echo(f"Wrote an empty template to {out_file}.")
        return
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    left_out = ""
    if not include_restricted and dataset.has_restricted():
        left_out = " Restricted records were left out (--include-restricted to keep them)."
    click.echo(f"Wrote {out_file} from {seed_dir}: {summary}.{left_out}")
