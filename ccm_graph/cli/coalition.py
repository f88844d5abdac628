"""``ccm-graph coalition``: propose and track Country Coalitions in Neo4j."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click

from ..connection import ConnectionSettings
from ..errors import DataError
from ..render import render
from .common import (
    by_option,
    connect_store,
    connection_options,
    echo_lines,
    output_options,
    restricted_option,
    warn_restricted_included,
)

__all__ = ["coalition"]


@contextmanager
def _options_named(
    options: Mapping[str, str], remedies: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Relay the library's refusals in the command's terms: a problem about a field
    (``role``) is said about its option or argument (``--role``, ``COALITION``), and a
    remedy the library words for any front end (``ask with any_state``) as this command's
    option (``add --any-state``)."""
    try:
        yield
    except DataError as exc:
        problems = []
        for p in exc.problems:
            message = p.message
            for said, option in (remedies or {}).items():
                message = message.replace(said, option)
            problems.append(dataclasses.replace(p, file=options.get(p.file, p.file),
                                                message=message))  # fmt: skip
        raise DataError(problems) from exc


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
@click.option(
    "--any-state",
    is_flag=True,
    help="Allow a focus State with no Article 3 or 4 obligation in the data (refused otherwise).",
)
@restricted_option
@by_option
@connection_options
def propose(
    focus: str, name: str, lead: str | None, coalition_id: str | None, source: str | None,
    notes: str | None, any_state: bool, include_restricted: bool, by: str | None,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Propose a coalition for an affected State (status: proposed).

    The focus must have an Article 3 or 4 obligation in the data: a State without one (a
    donor, a State not party) is refused unless --any-state.
    """
    from ..coalitions import propose_coalition

    store = connect_store(connection)
    options = {"focus": "--focus", "name": "--name", "lead": "--lead", "id": "--id",
               "source": "--source", "notes": "--notes"}  # fmt: skip
    with _options_named(options, {"ask with any_state": "add --any-state"}):
        change = propose_coalition(store, focus=focus, name=name, lead=lead,
                                   coalition_id=coalition_id, source=source, notes=notes,
                                   by=by, any_state=any_state,
                                   include_restricted=include_restricted)  # fmt: skip
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
@click.option(
    "--replace-role",
    is_flag=True,
    help="ACTOR is already a member in another role: make --role its role instead (without "
    "this, a second membership is refused).",
)
@restricted_option
@by_option
@connection_options
def add_member_command(
    coalition_id: str, actor: str, role: str, since: str | None, source: str | None,
    replace_role: bool, include_restricted: bool, by: str | None, connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Add ACTOR to COALITION in a role (an actor is a member once, in one role)."""
    from ..coalitions import DuplicateMembership, add_member

    store = connect_store(connection)
    options = {"coalition": "COALITION", "actor": "ACTOR", "role": "--role", "since": "--since",
               "source": "--source"}  # fmt: skip
    try:
        with _options_named(options):
            change = add_member(store, coalition_id, actor, role, since=since, source=source,
                                by=by, replace_role=replace_role,
                                include_restricted=include_restricted)  # fmt: skip
    except DuplicateMembership as exc:
        raise exc.with_remedy("add --replace-role") from exc
    click.echo(change.message)


@coalition.command("remove-member")
@click.argument("coalition_id", metavar="COALITION")
@click.argument("actor")
@click.option("--role", help="Only this role (default: every role of ACTOR).")
@restricted_option
@by_option
@connection_options
def remove_member_command(
    coalition_id: str, actor: str, role: str | None, include_restricted: bool, by: str | None,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Remove ACTOR from COALITION."""
    from ..coalitions import remove_member

    store = connect_store(connection)
    with _options_named({"coalition": "COALITION", "actor": "ACTOR", "role": "--role"}):
        change = remove_member(store, coalition_id, actor, role=role, by=by,
                               include_restricted=include_restricted)  # fmt: skip
    click.echo(change.message)


@coalition.command("set-status")
@click.argument("coalition_id", metavar="COALITION")
@click.argument("status")
@restricted_option
@by_option
@connection_options
def set_status_command(
    coalition_id: str, status: str, include_restricted: bool, by: str | None,
    connection: ConnectionSettings,
) -> None:  # fmt: skip
    """Set COALITION's STATUS: proposed, forming, active or concluded."""
    from ..coalitions import set_status

    store = connect_store(connection)
    with _options_named({"coalition": "COALITION", "status": "STATUS"}):
        change = set_status(
            store, coalition_id, status, by=by, include_restricted=include_restricted
        )
    click.echo(change.message)


@coalition.command("list")
@click.option("--status", help="Only coalitions with this status.")
@restricted_option
@output_options
@connection_options
def list_command(
    status: str | None, include_restricted: bool, fmt: str, connection: ConnectionSettings
) -> None:
    """List the coalitions with focus, status, member count and dates.

    Restricted coalitions and members are left out unless --include-restricted.
    """
    from ..coalitions import list_coalitions

    if include_restricted:
        warn_restricted_included()
    store = connect_store(connection)
    with _options_named({"status": "--status"}):
        rows = list_coalitions(store, status=status, include_restricted=include_restricted)
    echo_lines(render(rows, fmt, ["id", "name", "focus", "status", "members", "established",
                                  "created", "updated"]))  # fmt: skip


@coalition.command("show")
@click.argument("coalition_id", metavar="COALITION")
@restricted_option
@output_options
@connection_options
def show_command(
    coalition_id: str, include_restricted: bool, fmt: str, connection: ConnectionSettings
) -> None:
    """Show one coalition and its members.

    A restricted coalition, and restricted members, only with --include-restricted: without
    it, a restricted coalition's id is answered exactly as an unknown one.
    """
    from ..coalitions import coalition_details

    if include_restricted:
        warn_restricted_included()
    store = connect_store(connection)
    with _options_named({"coalition": "COALITION"}):
        details = coalition_details(store, coalition_id, include_restricted=include_restricted)
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
