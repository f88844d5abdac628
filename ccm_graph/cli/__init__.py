"""The ``ccm-graph`` command: a thin click layer over the library.

Every command parses its options, gets a Dataset or a Store, makes one library call and renders
the result. Library errors become exit codes in one place (:class:`~.common.CcmGroup`): 1 invalid
data or a failed query, 2 usage, 3 Neo4j unreachable or credentials refused. Commands live in
modules by theme (``data``) and are registered here.
"""

from __future__ import annotations

import click

from .. import __version__
from . import analysis, briefs, coalition, data, maps
from .common import CcmGroup
from .data import parse_param

__all__ = ["cli", "parse_param"]


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


for _command in (
    data.validate,
    data.load,
    data.export,
    data.query,
    data.stats,
    analysis.gaps,
    analysis.recommend,
    analysis.brokers,
    maps.map_command,
    coalition.coalition,
    briefs.brief,
    data.demo,
):
    cli.add_command(_command)
