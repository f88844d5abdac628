"""Honest failures: a frozen server, a connection lost while committing, credentials in a URI."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccm_graph.cli import cli
from ccm_graph.errors import CommitUnknown
from ccm_graph.localserver import LocalServer, free_port
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import ARTIFACTS, ROOT, SMALL_SEED, returns, start_or_fail

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
        """Close every connection, both ends of the proxied ones: shut down first, since a
        plain close() leaves a socket that another thread is reading from open (the server
        would keep the frozen transaction, and the write lock it took, for the session)."""
        self.stopped = True
        for conn in [self.sock, *self.open]:
            # the listening socket is not connected, a closed one is already shut down
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
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
    # the message names the timeout that fired: the connection's, or the --timeout deadline
    result = returns(
        lambda: CliRunner().invoke(
            cli, ["stats", "--from", "neo4j", "--uri", frozen.uri, "--password", "x",
                  "--timeout", "3"]
        )
    )  # fmt: skip
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: cannot reach Neo4j at {frozen.uri}") or lines[0] == (
        f"Error: Neo4j at {frozen.uri} did not answer within 3 seconds"
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


# --- a server that freezes or dies after the connection was made ---------------------------


def relay(upstream_port: int, trigger: bytes, action: str, fired: list[str],
          kill: Callable[[], None] | None = None):  # type: ignore[no-untyped-def]  # fmt: skip
    """A proxy to the real server that passes everything on until the client sends
    ``trigger``; then ``action``:

    - ``freeze``: passes nothing more either way, answers nothing (a SIGSTOPped server);
    - ``freeze-after-commit``: passes on the next COMMIT, then nothing back (the server
      commits; its answer never arrives);
    - ``kill``: calls ``kill()`` (``kill -9`` of the server) and passes on what is left.
    """

    def serve(listener: Listener, client: socket.socket) -> None:
        try:
            server = socket.create_connection(("127.0.0.1", upstream_port))
        except OSError:  # the server is gone (killed): so is this connection
            client.close()
            return
        listener.open.append(server)
        frozen = threading.Event()

        def down() -> None:
            try:
                while data := server.recv(65536):
                    if frozen.is_set():
                        continue
                    client.sendall(data)
            except OSError:
                return
            client.close()  # the server went away: so does the connection

        threading.Thread(target=down, daemon=True).start()
        armed, tail = False, b""
        try:
            while data := client.recv(65536):
                if frozen.is_set():
                    continue
                seen = tail + data
                armed = armed or trigger in seen
                if armed and action == "freeze":
                    fired.append(action)
                    frozen.set()
                    continue
                if armed and action == "kill" and not fired:
                    assert kill is not None
                    fired.append(action)
                    kill()
                server.sendall(data)
                if armed and action == "freeze-after-commit" and COMMIT in seen:
                    fired.append(action)
                    frozen.set()
                tail = seen[-max(len(trigger), len(COMMIT)) :]
        except OSError:
            return

    return serve


@pytest.fixture
def through(neo4j_settings: ConnectionSettings) -> Iterator[Callable[..., Listener]]:
    """Proxies to the test server (see :func:`relay`), closed after the test."""
    made: list[Listener] = []

    def make(trigger: bytes, action: str, fired: list[str]) -> Listener:
        port = int(neo4j_settings.uri.rsplit(":", 1)[1])
        made.append(Listener(relay(port, trigger, action, fired)))
        return made[-1]

    yield make
    for listener in made:
        listener.close()


def cli_at(proxy: Listener, settings: ConnectionSettings, *args: str) -> Result:
    """The CLI run against ``proxy`` as the server, failing the test if it hangs."""
    login = ["--uri", proxy.uri, "--user", settings.user, "--password", settings.password]
    return returns(lambda: CliRunner().invoke(cli, [*args, *login]))


def test_a_server_that_freezes_during_a_read_gives_exit_3_within_the_timeout(
    store: Store, neo4j_settings: ConnectionSettings, through: Callable[..., Listener],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("CCM_GRAPH_NEO4J_TIMEOUT", "3")  # the environment sets it too
    fired: list[str] = []
    proxy = through(b"freeze-during-read", "freeze", fired)
    result = cli_at(proxy, neo4j_settings, "query", "RETURN 'freeze-during-read' AS x")
    assert fired, result.output
    assert result.exit_code == 3, result.output
    first, hint = result.stderr.splitlines()
    assert first == f"Error: Neo4j at {proxy.uri} did not answer within 3 seconds"
    assert hint.startswith("Hint: the server may be frozen") and "--timeout" in hint


def test_a_server_that_freezes_during_a_write_gives_exit_3_and_writes_nothing(
    store: Store, neo4j_settings: ConnectionSettings, through: Callable[..., Listener]
) -> None:
    fired: list[str] = []
    proxy = through(b"freeze-during-write", "freeze", fired)
    result = cli_at(proxy, neo4j_settings, "query", "--write", "--timeout", "2",
                    "CREATE (:FreezeProbe {at: 'freeze-during-write'})")  # fmt: skip
    assert fired and result.exit_code == 3, result.output
    assert result.stderr.splitlines()[0] == (
        f"Error: Neo4j at {proxy.uri} did not answer within 2 seconds"
    )
    assert store.query("MATCH (p:FreezeProbe) RETURN count(p) AS n").rows == [{"n": 0}]


def test_a_server_that_freezes_while_committing_says_the_outcome_is_unknown(
    store: Store, neo4j_settings: ConnectionSettings, through: Callable[..., Listener]
) -> None:
    fired: list[str] = []
    proxy = through(b"freeze-at-commit", "freeze-after-commit", fired)
    result = cli_at(proxy, neo4j_settings, "query", "--write", "--timeout", "2",
                    "CREATE (:FreezeProbe {at: 'freeze-at-commit'})")  # fmt: skip
    assert fired and result.exit_code == 3, result.output
    first, hint = result.stderr.splitlines()
    assert first == (
        f"Error: Neo4j at {proxy.uri} did not answer within 2 seconds while committing, so "
        "whether the change was written is unknown"
    )
    assert hint.startswith("Hint: check what is stored")
    # the server did commit: the message did not claim otherwise
    assert store.query("MATCH (p:FreezeProbe) RETURN count(p) AS n").rows == [{"n": 1}]


def test_a_server_that_freezes_during_a_staged_load_gives_exit_3_within_the_timeout(
    store: Store, neo4j_settings: ConnectionSettings, through: Callable[..., Listener]
) -> None:
    """The staged load's writers run in threads of their own: the load stops waiting for them
    within the timeout too, and exits (they are left blocked, to end with the process)."""
    fired: list[str] = []
    proxy = through(b"CREATE (n:`Staged`)", "freeze", fired)
    result = cli_at(proxy, neo4j_settings, "load", "--seed", str(SMALL_SEED), "--wipe",
                    "--staged", "--timeout", "2")  # fmt: skip
    assert fired and result.exit_code == 3, result.output
    assert result.stderr.splitlines()[0] == (
        f"Error: Neo4j at {proxy.uri} did not answer within 2 seconds"
    )
    assert store.count_nodes() == 0  # nothing became visible


@pytest.fixture(scope="module")
def victim() -> Iterator[LocalServer]:
    """A private Neo4j to kill (started again by each test that needs it)."""
    server = LocalServer(home=ROOT / ".neo4j" / "test-kill", port=free_port(), heap="512m",
                         pagecache="64m")  # fmt: skip
    yield server
    server.stop()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "neo4j-kill-console.log").write_text(server.log_tail(200), encoding="utf-8")


@pytest.mark.parametrize(
    ("trigger", "command"),
    [
        (b"kill-during-read", ["query", "RETURN 'kill-during-read' AS x"]),
        (b"UNWIND $rows", ["load", "--seed", str(SMALL_SEED)]),
    ],
    ids=["read", "write"],
)
def test_a_server_killed_mid_command_gives_exit_3_within_the_timeout(
    victim: LocalServer, trigger: bytes, command: list[str]
) -> None:
    start_or_fail(victim, "the kill test")
    settings = ConnectionSettings(uri=victim.uri, user="neo4j", password=victim.password())
    pid = victim.pid()
    assert pid is not None

    def kill() -> None:
        os.kill(pid, signal.SIGKILL)

    fired: list[str] = []
    proxy = Listener(relay(victim.port, trigger, "kill", fired, kill))
    try:
        # the timeout bounds the wait after the kill; it is generous because, on a busy
        # machine, a freshly started server can take more than 3 s to reach the trigger (the
        # command then timed out before the kill, and the test failed on `fired`)
        result = cli_at(proxy, settings, *command, "--timeout", "10")
    finally:
        proxy.close()
    assert fired, result.output
    assert result.exit_code == 3, result.output
    first, hint = result.stderr.splitlines()
    assert first in (
        f"Error: Neo4j at {proxy.uri} did not answer within 10 seconds",
        f"Error: cannot reach Neo4j at {proxy.uri}",
    )
    assert hint.startswith("Hint: ")
