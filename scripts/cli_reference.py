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


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    settings = {"terminal_width": 100, "max_content_width": 100, **command.context_settings}
    return click.Context(command, info_name=name, parent=parent, **settings)


def render() -> str:
    root = _context(cli, "ccm-graph", None)
    parts = [INTRO, "## ccm-graph\n", "```\n" + cli.get_help(root) + "\n```\n"]
    for name in sorted(cli.commands):
        command = cli.commands[name]
        help_text = command.get_help(_context(command, name, root))
        parts.append(f"## ccm-graph {name}\n")
        parts.append("```\n" + help_text + "\n```\n")
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
