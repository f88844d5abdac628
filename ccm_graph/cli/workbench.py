"""``ccm-graph serve``: the workbench in a browser, on this machine, or for a team with
accounts."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from typing import TYPE_CHECKING

import click

from .common import ReadOptions, source_options

if TYPE_CHECKING:
    from ..accounts import AccountStore
    from ..source import DataSource

__all__ = ["serve"]


class HostRefused(click.ClickException):
    """A host other than this machine without any account: refused (exit 2)."""

    exit_code = 2


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.1``, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_accounts(data: DataSource, path: str | None) -> AccountStore | None:
    """The accounts the workbench over ``data`` signs in with
    (:func:`~ccm_graph.accounts.accounts_for`: the file ``path`` when given, else the Neo4j
    database's accounts, or the file beside the seed folder or workbook); ``None`` for data
    with no place of their own (then it serves this machine only).

    :raises StoreUnavailable: a Neo4j source cannot be reached.
    """
    from ..accounts import accounts_for

    if path is None and data.kind != "neo4j" and data.path is None:
        return None
    return accounts_for(data, path)


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: this machine only (127.0.0.1, ::1 or localhost) unless "
    "the workbench has accounts (then e.g. 0.0.0.0, behind a TLS proxy).",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port; the address is printed).",
)
@click.option(
    "--accounts",
    "accounts_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="The accounts file (default: DIR.accounts.json beside the seed folder DIR, or "
    "W.accounts.json beside the workbook W.xlsx). With an account in it, everyone signs in.",
)
@click.option(
    "--idle-minutes",
    default=30,
    show_default=True,
    type=click.IntRange(1, 24 * 60),
    help="Sign a session out after this many minutes without a request.",
)
@source_options
def serve(
    host: str, port: int, accounts_path: str | None, idle_minutes: int, source: ReadOptions
) -> None:
    """The workbench in a browser: browse the graph and keep it current.

    Opens a local web app on the seed files (no server needed) or on Neo4j (--from neo4j): the
    overview with the support table, a page per State, actor and coalition, the maps and the
    briefs in English, French and Spanish; the facts to verify, forms to record a new value
    with its source, a workbook upload (a snapshot is written before every change; a
    workbook source is read only). Without accounts it listens on this machine only, for
    one person, and restricted records are never shown; with accounts (ccm-graph users add),
    everyone signs in and sees and does what the account's role allows. Ctrl-C stops it. See
    docs/workbench.md.
    """
    import uvicorn

    from ..workbench import create_app

    data = source.data_source
    accounts = serve_accounts(data, accounts_path)
    count = len(accounts.list()) if accounts is not None else 0
    if not is_loopback(host) and not count:
        raise HostRefused(f"--host {host}: without accounts the workbench listens on this "
                          "machine only (127.0.0.1, ::1 or localhost); create an account "
                          "first: ccm-graph users add NAME --role admin")  # fmt: skip
    data.read()  # invalid data or an unreachable Neo4j: one message and an exit code, now
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    # listen before the address is printed: a browser opened at once is queued until uvicorn
    # accepts, instead of refused (seen under load in the browser tests)
    listening.listen(128)
    bound = listening.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"The workbench is at http://{shown}:{bound}/ ({data.describe()}); "
               "Ctrl-C stops it.")  # fmt: skip
    if count:
        click.echo(f"Sign-in needed ({count} account{'s' if count != 1 else ''}); serve it to "
                   "others over https only, behind a TLS reverse proxy: see 'Running the "
                   "team server' in docs/workbench.md.")  # fmt: skip
    app = create_app(data, accounts=accounts, idle_minutes=idle_minutes)
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn stops serving, then passes it on
        uvicorn.Server(config).run(sockets=[listening])
    click.echo("Stopped.")
