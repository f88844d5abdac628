"""Write docs/cli.md, the command reference, from the commands' own --help texts.

    .venv/bin/python scripts/cli_reference.py            # rewrite docs/cli.md
    .venv/bin/python scripts/cli_reference.py --check    # exit 1 if docs/cli.md is stale

A test runs the check, so the reference can never drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccm_graph.cli import cli

TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

INTRO = """# Command reference

Generated from `ccm-graph --help` by `scripts/cli_reference.py`; do not edit by hand.
Exit codes: 0 ok; 1 invalid data, failed query or analysis input; 2 usage error;
3 Neo4j unreachable or credentials refused. Add `--debug` before the command
(`ccm-graph --debug load`) to see tracebacks and the Cypher sent to Neo4j.
"""


def _help(command: click.Command, name: str, parent: click.Context | None) -> str:
    ctx = click.Context(command, info_name=name, parent=parent, terminal_width=100,
                        max_content_width=100)  # fmt: skip
    return command.get_help(ctx)


def render() -> str:
    root = click.Context(cli, info_name="ccm-graph", terminal_width=100, max_content_width=100)
    parts = [INTRO, "## ccm-graph\n", "```\n" + _help(cli, "ccm-graph", None) + "\n```\n"]
    for name in sorted(cli.commands):
        parts.append(f"## ccm-graph {name}\n")
        parts.append("```\n" + _help(cli.commands[name], name, root) + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
