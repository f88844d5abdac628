"""``ccm-graph coalition``: propose and track Country Coalitions in Neo4j."""

from __future__ import annotations

from typing import Any

import click

from ..coalitions import (
    add_member,
    coalition_details,
    list_coalitions,
    propose_coalition,
    remove_member,
    set_status,
)
from ..render import render
from .common import connect_store, echo_lines, neo4j_options, output_options

__all__ = ["coalition"]


@click.group()
def coalition() -> None:
    """Propose coalitions, add and remove members, track their status (in Neo4j).

    Every change is checked first and written in one transaction, or not at all; changes
    stamp the coalition's created/updated dates. `ccm-graph export` brings coalitions back
    to the seed files.
    """


@coalition.command()
@click.option("--focus", required=True, metavar="STATE", help="The affected State's id.")
@click.option("--name", required=True, help="The coalition's name.")
@click.option("--lead", metavar="ACTOR", help="The lead partner's id (optional).")
@click.option("--id", "coalition_id", metavar="ID", help="Choose the id (default coal-<state>).")
@click.option("--source", help="Citation for the proposal (default: proposed with ccm-graph).")
@click.option("--notes", help="Free-text notes.")
@neo4j_options
@click.pass_context
def propose(
    ctx: click.Context, focus: str, name: str, lead: str | None, coalition_id: str | None,
    source: str | None, notes: str | None, uri: str, user: str, password: str, database: str,
) -> None:  # fmt: skip
    """Propose a coalition for an affected State (status: proposed)."""
    store = connect_store(ctx, uri, user, password, database)
    change = propose_coalition(store, focus=focus, name=name, lead=lead,
                               coalition_id=coalition_id, source=source, notes=notes)  # fmt: skip
    click.echo(change.message)


@coalition.command("add-member")
@click.argument("coalition_id", metavar="COALITION")
@click.argument("actor")
@click.option(
    "--role",
    required=True,
    help="lead, partner, donor, operator, national_authority, technical_partner, …",
)
@click.option("--since", help="Since when (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--source", help="Citation for the membership.")
@neo4j_options
@click.pass_context
def add_member_command(
    ctx: click.Context, coalition_id: str, actor: str, role: str, since: str | None,
    source: str | None, uri: str, user: str, password: str, database: str,
) -> None:  # fmt: skip
    """Add ACTOR to COALITION in a role."""
    store = connect_store(ctx, uri, user, password, database)
    click.echo(add_member(store, coalition_id, actor, role, since=since, source=source).message)


@coalition.command("remove-member")
@click.argument("coalition_id", metavar="COALITION")
@click.argument("actor")
@click.option("--role", help="Only this role (default: every role of ACTOR).")
@neo4j_options
@click.pass_context
def remove_member_command(
    ctx: click.Context, coalition_id: str, actor: str, role: str | None, uri: str, user: str,
    password: str, database: str,
) -> None:  # fmt: skip
    """Remove ACTOR from COALITION."""
    store = connect_store(ctx, uri, user, password, database)
    click.echo(remove_member(store, coalition_id, actor, role=role).message)


@coalition.command("set-status")
@click.argument("coalition_id", metavar="COALITION")
@click.argument("status")
@neo4j_options
@click.pass_context
def set_status_command(
    ctx: click.Context, coalition_id: str, status: str, uri: str, user: str, password: str,
    database: str,
) -> None:  # fmt: skip
    """Set COALITION's STATUS: proposed, forming, active or concluded."""
    store = connect_store(ctx, uri, user, password, database)
    click.echo(set_status(store, coalition_id, status).message)


@coalition.command("list")
@click.option("--status", help="Only coalitions with this status.")
@output_options
@neo4j_options
@click.pass_context
def list_command(
    ctx: click.Context, status: str | None, fmt: str, uri: str, user: str, password: str,
    database: str,
) -> None:  # fmt: skip
    """List the coalitions with focus, status, member count and dates."""
    rows = list_coalitions(connect_store(ctx, uri, user, password, database), status=status)
    echo_lines(render(rows, fmt, ["id", "name", "focus", "status", "members", "established",
                                  "created", "updated"]))  # fmt: skip


@coalition.command("show")
@click.argument("coalition_id", metavar="COALITION")
@output_options
@neo4j_options
@click.pass_context
def show_command(
    ctx: click.Context, coalition_id: str, fmt: str, uri: str, user: str, password: str,
    database: str,
) -> None:  # fmt: skip
    """Show one coalition and its members."""
    details = coalition_details(connect_store(ctx, uri, user, password, database), coalition_id)
    if fmt == "json":
        import json

        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        echo_lines(render(details["members"], "csv",
                          ["actor", "name", "kind", "role", "since", "until"]))  # fmt: skip
        return
    props: dict[str, Any] = details["coalition"]
    click.echo(f"{props.get('name')} ({props.get('id')})")
    for key in ("focus", "status", "established", "created", "updated", "source", "notes"):
        if props.get(key):
            click.echo(f"  {key}: {props[key]}")
    click.echo("")
    echo_lines(render(details["members"], "table",
                      ["actor", "name", "kind", "role", "since", "until"]))  # fmt: skip
