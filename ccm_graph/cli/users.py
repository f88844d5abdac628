"""``ccm-graph users``: the accounts of a workbench served to a team."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from ..errors import DataError
from ..render import render
from ..vocabularies import ACCOUNT_ROLES
from .common import ReadOptions, echo_lines, output_options, source_options

if TYPE_CHECKING:
    from ..accounts import AccountStore

__all__ = ["PASSWORD_VARIABLE", "users"]

F = TypeVar("F", bound=Callable[..., Any])

PASSWORD_VARIABLE = "CCM_GRAPH_PASSWORD"
"""The environment variable a script gives a new password in (else it is asked for twice)."""

_ROLES_HELP = (
    "viewer reads public rows; editor also edits them; confidential also sees and edits "
    "restricted rows; admin does all of that and manages accounts."
)


def accounts_options(fn: F) -> F:
    """``--from``/``--seed``/the connection and ``--accounts FILE`` → one ``accounts``
    parameter: the :class:`~ccm_graph.accounts.AccountStore` of that source
    (:func:`~ccm_graph.accounts.accounts_for`), as ``ccm-graph serve`` finds it."""

    @functools.wraps(fn)
    def with_accounts(*args: Any, source: ReadOptions, accounts_file: Path | None,
                      **kwargs: Any) -> Any:  # fmt: skip
        from ..accounts import accounts_for

        if accounts_file is None and source.origin == "seed" and not source.seed_dir.exists():
            raise click.BadParameter(
                f"{source.seed_dir} is neither a seed folder nor a workbook: its accounts are "
                "kept beside it (or give --accounts FILE)",
                param_hint="--seed",
            )
        return fn(*args, accounts=accounts_for(source.data_source, accounts_file), **kwargs)

    command: Callable[..., Any] = click.option(
        "--accounts",
        "accounts_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Keep the accounts in this file instead (default: in the Neo4j database with "
        "--from neo4j, else DIR.accounts.json beside the seed folder or workbook).",
    )(with_accounts)
    return cast(F, source_options(command))


@contextmanager
def _one_line(options: Mapping[str, str]) -> Iterator[None]:
    """The library's refusal as one line (exit 1), its field said as this command's option
    or argument (``name`` → ``NAME``)."""
    try:
        yield
    except DataError as exc:
        said = "; ".join(f"{options.get(p.file, p.file)}: {p.message}" for p in exc.problems)
        raise click.ClickException(f"{said}; nothing was written") from exc


def _where(accounts: AccountStore) -> str:
    """Where ``accounts`` are kept, for messages."""
    path = getattr(accounts, "path", None)
    if path is not None:
        return str(path)
    store = getattr(accounts, "store", None)
    return f"the Neo4j database at {getattr(store, 'uri', '') or '?'}"


def _new_password() -> str:
    """The new password: from ``CCM_GRAPH_PASSWORD``, else asked twice without echo."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    password: str = click.prompt("New password", hide_input=True,
                                 confirmation_prompt="Repeat the new password")  # fmt: skip
    return password


@click.group()
def users() -> None:
    """Accounts for a workbench served to a team: add, list, remove, password, role.

    Roles: viewer reads public rows; editor also edits them; confidential also sees and
    edits restricted rows; admin does all of that and manages accounts. With --from neo4j
    the accounts are kept in the Neo4j database; for a seed folder DIR in DIR.accounts.json
    beside it (a workbook W.xlsx: W.accounts.json), never inside it. A password is asked
    twice without echo, or read from the CCM_GRAPH_PASSWORD environment variable; it is
    stored only as an argon2id hash and never printed. Removing or demoting the last admin is
    refused.
    """


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ACCOUNT_ROLES), help=_ROLES_HELP)
@accounts_options
def add_command(name: str, role: str, accounts: AccountStore) -> None:
    """Add the account NAME with a role; its password is asked twice (or CCM_GRAPH_PASSWORD).

    NAME: 1 to 64 lower case letters, digits, '.', '_' or '-'. A password has at least 12
    characters and is not the name.
    """
    from ..accounts.base import check_name, name_taken

    with _one_line({"name": "NAME", "role": "--role"}):
        if accounts.get(check_name(name)) is not None:  # said before the password is asked
            raise name_taken(check_name(name))
        account = accounts.add(name, role, _new_password())
    click.echo(f"Added the account {account.name!r} ({account.role}) to {_where(accounts)}.")
    if not any(a.role == "admin" for a in accounts.list()):
        click.echo("No account is admin yet: add one with --role admin to manage accounts "
                   "in the workbench.", err=True)  # fmt: skip


@users.command("list")
@output_options
@accounts_options
def list_command(fmt: str, accounts: AccountStore) -> None:
    """List the accounts: name, role, when added and when the password was last set (UTC)."""
    rows = [{"name": a.name, "role": a.role, "created": a.created,
             "password_changed": a.password_changed} for a in accounts.list()]  # fmt: skip
    echo_lines(render(rows, fmt, ["name", "role", "created", "password_changed"]))


@users.command("remove")
@click.argument("name")
@accounts_options
def remove_command(name: str, accounts: AccountStore) -> None:
    """Remove the account NAME (never the last admin); its sessions end at once."""
    from ..accounts import check_name

    with _one_line({"name": "NAME"}):
        accounts.remove(name)
    click.echo(f"Removed the account {check_name(name)!r} from {_where(accounts)}.")


@users.command("password")
@click.argument("name")
@accounts_options
def password_command(name: str, accounts: AccountStore) -> None:
    """Set a new password for NAME, asked twice (or CCM_GRAPH_PASSWORD)."""
    from ..accounts.base import check_name, no_account

    with _one_line({"name": "NAME"}):
        if accounts.get(check_name(name)) is None:  # said before the password is asked for
            raise no_account(check_name(name))
        accounts.set_password(name, _new_password())
    click.echo(f"Set a new password for {check_name(name)!r}.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ACCOUNT_ROLES))
@accounts_options
def role_command(name: str, role: str, accounts: AccountStore) -> None:
    """Give NAME another ROLE (the last admin keeps admin); it counts from the next request."""
    with _one_line({"name": "NAME", "role": "ROLE"}):
        account = accounts.set_role(name, role)
    click.echo(f"{account.name!r} is now {account.role}.")
