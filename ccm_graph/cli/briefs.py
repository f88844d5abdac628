"""``ccm-graph brief``: hand-outs for a coalition or a State, and the starting guideline."""

from __future__ import annotations

from pathlib import Path

import click

from ..files import write_atomically
from .common import ReadOptions, as_of_option, lang_option, restricted_option, source_options

__all__ = ["brief"]


@click.command()
@click.argument("target", required=False, metavar="[COALITION|STATE]")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.md (with a companion .map.svg) or FILE.html (printable, map inline).",
)
@click.option(
    "--guide",
    is_flag=True,
    help="Write the generic guideline on starting a Country Coalition instead.",
)
@as_of_option
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many gaps and partners to list.",
)
@click.option(
    "--annex",
    is_flag=True,
    help="Add the analyst annex (scores, the command that made the brief); the body for "
    "States never has them.",
)
@lang_option("the guideline, headings, labels, findings and reasons")
@restricted_option
@source_options
def brief(target: str | None, out: Path, guide: bool, top: int, annex: bool, lang: str,
          source: ReadOptions) -> None:  # fmt: skip
    """A one-to-two-page hand-out on a coalition (or a State), or the guideline (--guide).

    The brief gives the State's obligations and deadlines, where things stand (its support
    row), the members and their roles, the support recorded, the gaps found, the partners to
    approach with their reasons, a map and next steps, with numbered source notes, the data's
    as-of date and the date of issue. No scores or commands unless --annex. HTML is printable
    and works offline; Markdown gets the map as a companion SVG.
    """
    if guide == (target is not None):
        raise click.UsageError("give a COALITION or STATE id, or --guide (not both)")
    if out.suffix.lower() not in (".md", ".html"):
        raise click.UsageError(f"--out {out.name}: use a .md or .html file name")
    from ..briefs import coalition_brief, guide_html, guide_markdown, write_brief
    from ..graph import build_graph

    reference = source.reference_date()
    dataset = source.dataset()
    graph = build_graph(dataset)
    if guide:
        text = (guide_html if out.suffix.lower() == ".html" else guide_markdown)(
            graph, as_of=reference, lang=lang, data_as_of=dataset.info.as_of
        )
        write_atomically(out, text)
        click.echo(f"Wrote the guideline to {out}")
        return
    assert target is not None
    command = (
        f"ccm-graph brief {target} --out {out.name}"
        + (" --annex" if annex else "")
        + (f" --lang {lang}" if lang != "en" else "")
        + (" --from neo4j" if source.origin == "neo4j" else "")
        + (" --include-restricted" if source.include_restricted else "")
    )
    facts = coalition_brief(graph, target, as_of=reference, top=top,
                            data_as_of=dataset.info.as_of, command=command, lang=lang)  # fmt: skip
    written = write_brief(graph, facts, out, restricted=source.include_restricted and
                          dataset.has_restricted(), annex=annex)  # fmt: skip
    click.echo("Wrote " + ", ".join(str(p) for p in written))
