"""``ccm-graph serve``: the workbench in a browser, on this machine."""

from __future__ import annotations

import contextlib
import ipaddress
import socket

import click

from .common import ReadOptions, source_options

__all__ = ["serve"]


class HostRefused(click.ClickException):
    """A host other than this machine: refused until accounts and TLS exist (exit 2)."""

    exit_code = 2


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.1``, ``::1``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: this machine only (127.0.0.1, ::1 or localhost).",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port; the address is printed).",
)
@source_options
def serve(host: str, port: int, source: ReadOptions) -> None:
    """The workbench in a browser: browse the graph and keep it current.

    Opens a local web app on the seed files (no server needed) or on Neo4j (--from neo4j): the
    overview with the support table, a page per State, actor and coalition, the maps and the
    briefs in English, French and Spanish; the facts to verify, forms to record a new value
    with its source, a workbook upload (a snapshot is written before every change; a
    workbook source is read only). Restricted records are never shown. It listens on this
    machine only; Ctrl-C stops it. See docs/workbench.md.
    """
    if not is_loopback(host):
        raise HostRefused(f"--host {host}: the workbench listens on this machine only "
                          "(127.0.0.1, ::1 or localhost) until it has accounts")  # fmt: skip
    import uvicorn

    from ..workbench import create_app

    data = source.data_source
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
    config = uvicorn.Config(create_app(data), log_level="warning", access_log=False)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn stops serving, then passes it on
        uvicorn.Server(config).run(sockets=[listening])
    click.echo("Stopped.")
