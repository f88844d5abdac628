"""Honest failures: a frozen server, a connection lost while committing, credentials in a URI."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.errors import CommitUnknown
from ccm_graph.localserver import free_port
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import SMALL_SEED, returns

COMMIT = b"\x00\x02\xb0\x12\x00\x00"
"""A Bolt COMMIT message in one chunk (a struct of no fields, signature 0x12)."""


class Listener:
    """A loopback server for one behaviour: silent, or a proxy that cuts on COMMIT."""

    def __init__(self, serve: object) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.serve = serve
        self.open: list[socket.socket] = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.open.append(conn)
            threading.Thread(target=self.serve, args=(self, conn), daemon=True).start()

    def close(self) -> None:
        self.stopped = True
        for conn in [self.sock, *self.open]:
            try:
                conn.close()
            except OSError:
                continue


def silent(listener: Listener, conn: socket.socket) -> None:
    """Accept and never answer (a frozen or SIGSTOPped process looks like this)."""
    while conn.recv(4096):
        continue


def handshake_then_silent(listener: Listener, conn: socket.socket) -> None:
    """Agree on Bolt 5.4, then never answer again."""
    received = b""
    while len(received) < 20:
        chunk = conn.recv(20 - len(received))
        if not chunk:
            return
        received += chunk
    conn.sendall(b"\x00\x00\x04\x05")
    while conn.recv(4096):
        continue


@pytest.fixture(params=[silent, handshake_then_silent], ids=["silent", "handshake-then-silent"])
def frozen(request: pytest.FixtureRequest) -> Iterator[Listener]:
    listener = Listener(request.param)
    yield listener
    listener.close()


def test_a_frozen_server_fails_with_exit_3_within_the_connect_timeout(frozen: Listener) -> None:
    # the message names the timeout that fired: the connection's, or the 12 s deadline
    result = returns(
        lambda: CliRunner().invoke(
            cli, ["stats", "--from", "neo4j", "--uri", frozen.uri, "--password", "x"]
        )
    )
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: cannot reach Neo4j at {frozen.uri}") or lines[0] == (
        f"Error: Neo4j at {frozen.uri} did not answer within 12 seconds"
    )
    assert len(lines) == 2 and lines[1].startswith("Hint: ")


@pytest.mark.parametrize("scheme", ["bolt", "neo4j", "neo4j+s"])
def test_credentials_in_the_uri_are_never_printed(scheme: str) -> None:
    uri = f"{scheme}://neo4j:hunter22secret@127.0.0.1:{free_port()}"
    result = CliRunner().invoke(cli, ["stats", "--from", "neo4j", "--uri", uri])
    assert result.exit_code == 3
    assert "hunter22secret" not in result.output
    assert f"{scheme}://***@127.0.0.1" in result.stderr


def cut_on_commit(upstream_port: int, cuts: list[bool]):  # type: ignore[no-untyped-def]
    """A proxy to the real server that drops both sides right after passing on the COMMIT
    of a transaction that wrote (``UNWIND $rows``: a load)."""

    def serve(listener: Listener, client: socket.socket) -> None:
        server = socket.create_connection(("127.0.0.1", upstream_port))
        listener.open.append(server)

        committing = threading.Event()

        def down() -> None:
            try:
                while (data := server.recv(65536)) and not committing.is_set():
                    client.sendall(data)
            except OSError:
                return

        threading.Thread(target=down, daemon=True).start()
        tail = b""
        wrote = False
        try:
            while data := client.recv(65536):
                wrote = wrote or b"UNWIND $rows" in data
                if wrote and COMMIT in tail + data:
                    committing.set()  # the server's answer to COMMIT never reaches the client
                server.sendall(data)
                if committing.is_set():
                    time.sleep(1.0)  # the server commits; its answer never arrives
                    cuts.append(True)
                    for side in (client, server):
                        side.shutdown(socket.SHUT_RDWR)
                        side.close()
                    return
                tail = (tail + data)[-len(COMMIT) :]
        except OSError:
            return

    return serve


def test_a_connection_lost_while_committing_says_the_outcome_is_unknown(
    store: Store, neo4j_settings: ConnectionSettings, tmp_path: Path
) -> None:
    port = int(neo4j_settings.uri.rsplit(":", 1)[1])
    cuts: list[bool] = []
    proxy = Listener(cut_on_commit(port, cuts))
    try:
        result = CliRunner().invoke(cli, [
            "load", "--seed", str(SMALL_SEED), "--uri", proxy.uri,
            "--user", neo4j_settings.user, "--password", neo4j_settings.password,
        ])  # fmt: skip
    finally:
        proxy.close()
    assert cuts, result.output
    assert result.exit_code == 3, result.output
    first, hint = result.stderr.splitlines()
    assert first == (
        f"Error: the connection to Neo4j at {proxy.uri} was lost while committing, so whether "
        "the change was written is unknown"
    )
    assert hint.startswith("Hint: check what is stored")
    assert "cannot reach" not in result.stderr
    # it was in fact written: the message did not claim otherwise
    assert store.count_nodes() == 15


def test_commit_unknown_exits_3_like_an_unreachable_server() -> None:
    from ccm_graph.errors import StoreUnavailable

    assert issubclass(CommitUnknown, StoreUnavailable)
