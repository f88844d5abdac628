"""The ``ccm-graph`` command: a thin click layer over the library.

Every command parses its options, gets a Dataset or a Store, makes one library call and renders
the result. Library errors become exit codes in one place (:class:`~.common.CcmGroup`): 1 invalid
data or a failed query, 2 usage, 3 Neo4j unreachable or credentials refused. Commands live in
modules by theme (``data``, ``workbook``) and are registered here.

Commands are registered lazily (:class:`~.common.LazyCommands`): a command's module is imported
only when that command runs or shows its help, and inside it the heavy libraries (the Neo4j
driver, NetworkX, Pyvis) only where they are used. So ``--help``, ``--version`` and
``validate`` start quickly. The one-line summaries below stand in for each command's first help
sentence in ``ccm-graph --help``; a test checks they match.
"""

from __future__ import annotations

import click

from .. import __version__
from .common import CcmGroup, parse_param

__all__ = ["COMMANDS", "cli", "parse_param"]


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


COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("data:validate", "Check a seed folder; list every problem as file:line: message."),
    "load": ("data:load", "Load a seed folder into Neo4j: validated first, then all or nothing."),
    "export": ("data:export", "Write the Neo4j graph back as a seed folder (restricted rows only "
               "when asked)."),
    "query": ("data:query", "Run Cypher against Neo4j, read-only unless --write."),
    "stats": ("data:stats", "Counts by kind and relationship type; obligations by article and "
              "status."),
    "gaps": ("analysis:gaps", "Synergy gaps grouped by State, most severe first, each with its "
             "evidence and a next step."),
    "recommend": ("analysis:recommend", "Candidate partners for a State's or a coalition's "
                  "Country Coalition."),
    "brokers": ("analysis:brokers", "Who connects the network (betweenness) and which clusters "
                "form in it (Louvain)."),
    "map": ("maps:map_command", "Draw a stakeholder map: one HTML file that opens offline and "
            "can be emailed."),
    "coalition": ("coalition:coalition", "Propose coalitions, add and remove members, track "
                  "their status (in Neo4j)."),
    "brief": ("briefs:brief", "A one-to-two-page hand-out on a coalition (or a State), or the "
              "guideline (--guide)."),
    "history": ("changes:history", "Every write to the shared database: when, which command, "
                "who, how many records."),
    "diff": ("changes:diff", "What changed between two datasets: records, relations and synergy "
             "gaps."),
    "template": ("workbook:template", "Write an Excel workbook of the seed tables, with "
                 "drop-down lists to fill in."),
    "demo": ("data:demo", "The main job on the seed files, no server needed: check them, "
             "analyse, write outputs."),
    "support": ("analysis:support", "One row per State Party with a time-bound obligation, those "
                "that asked for help first."),
    "whatif": ("analysis:whatif", "Gaps, support rows and partners if some rows were added; "
               "nothing is written."),
    "serve": ("workbench:serve", "The workbench in a browser: browse the graph and keep it "
              "current."),
    "users": ("users:users", "Accounts for a workbench served to a team: add, list, remove, "
              "password, role."),
}  # fmt: skip
"""Command name → (``module:attribute`` in this package, the first sentence of its help)."""

for _name, (_where, _summary) in COMMANDS.items():
    cli.add_lazy_command(_name, f"{__name__}.{_where}", _summary)
