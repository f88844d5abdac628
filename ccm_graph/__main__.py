"""``python -m ccm_graph`` runs the command-line interface."""

from .cli import cli

cli()
