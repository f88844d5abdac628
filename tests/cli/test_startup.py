"""Start-up: quick commands import only what they need; lazy commands stay truthful."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

import ccm_graph
from ccm_graph.cli import COMMANDS, cli

from ..conftest import ROOT

HEAVY = ("neo4j", "networkx", "pyvis", "numpy")

RUN_AND_LIST_MODULES = f"""
import sys
from ccm_graph.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="ccm-graph")
except SystemExit as exit:
    status = exit.code or 0
print("heavy:" + ",".join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)
sys.exit(status)
"""


@pytest.mark.parametrize(
    "args", [["--version"], ["--help"], ["validate", "--seed", "seed"], ["validate", "--help"]]
)
def test_quick_commands_do_not_import_heavy_libraries(args: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[-1] == "heavy:", f"{args} imported {run.stderr}"


def test_import_ccm_graph_is_light_and_names_resolve_on_use() -> None:
    code = (
        f"import sys, ccm_graph; before = [m for m in {HEAVY!r} if m in sys.modules]; "
        f"ccm_graph.Store; after = [m for m in {HEAVY!r} if m in sys.modules]; "
        "print(before, 'neo4j' in after)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[] True"


def test_every_public_name_resolves() -> None:
    for name in ccm_graph.__all__:
        assert getattr(ccm_graph, name) is not None
    assert set(dir(ccm_graph)) >= set(ccm_graph.__all__)
    with pytest.raises(AttributeError):
        _ = ccm_graph.no_such_name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_lazy_summary_matches_the_command_help(name: str) -> None:
    real = cli.commands[name]
    stand_in = click.Command(name, help=COMMANDS[name][1])
    for limit in (45, 60, 80, 200):
        assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


def test_every_command_is_registered() -> None:
    assert sorted(cli.commands) == sorted(COMMANDS)
    assert all(isinstance(cli.commands[name], click.Command) for name in COMMANDS)
