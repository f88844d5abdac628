"""A load larger than the server lets one transaction hold: one line, exit 1, nothing written.

A private Neo4j with ``db.memory.transaction.total.max=10m`` (a user's own small server) gets a
load of about 40 MB of transaction state. ``load`` is one transaction, so Neo4j refuses it; the
user must learn which setting to change, and find the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import Dataset, read_seed, write_seed
from ccm_graph.errors import TransactionTooLarge
from ccm_graph.schema import Actor
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import SMALL_SEED, private_server

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def small_server() -> Iterator[ConnectionSettings]:
    """A private Neo4j whose transactions may hold 10 MiB in all."""
    with private_server("test-small-tx", "the transaction-memory test", heap="512m",
                        pagecache="64m", tx_memory="10m") as settings:  # fmt: skip
        yield settings


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the driver ran each write transaction's function: more than once means it
    retried (a refusal for memory must not be retried as "transient")."""
    counts: list[int] = []
    real = neo4j.Session.execute_write

    def counting(self: neo4j.Session, fn: Callable[..., object], *args: object,
                 **kwargs: object) -> object:  # fmt: skip
        counts.append(0)
        slot = len(counts) - 1

        def counted(tx: neo4j.ManagedTransaction, *a: object, **k: object) -> object:
            counts[slot] += 1
            return fn(tx, *a, **k)

        return real(self, counted, *args, **kwargs)

    monkeypatch.setattr(neo4j.Session, "execute_write", counting)
    return counts


def too_big() -> Dataset:
    """The small seed and 20,000 more organisations with a long note each (synthetic)."""
    dataset = read_seed(SMALL_SEED)
    note = "synthetic test row, long enough to need memory in the transaction; " * 6
    source = "test fixture (synthetic)"
    dataset.actors.extend(
        Actor(f"syn-cso-{i:05d}", "civil_society", f"Organisation {i}", source=source, notes=note)
        for i in range(20_000)
    )
    return dataset


def stored(settings: ConnectionSettings) -> tuple[int, int]:
    with Store.connect(settings) as store:
        nodes = store.query("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
        changes = store.query("MATCH (c:ChangeRecord) RETURN count(c) AS n").rows[0]["n"]
    return nodes, changes


def test_a_load_over_the_transaction_memory_limit_says_which_setting(
    small_server: ConnectionSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    attempts: list[int],
) -> None:
    with Store.connect(small_server) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
        store.load(read_seed(SMALL_SEED))  # a small load fits: the limit is not the problem
    before = stored(small_server)
    folder = tmp_path / "big"
    write_seed(too_big(), folder)
    for key, value in (("NEO4J_URI", small_server.uri), ("NEO4J_USER", small_server.user),
                       ("NEO4J_PASSWORD", small_server.password)):  # fmt: skip
        monkeypatch.setenv(key, value)
    attempts.clear()
    result = CliRunner().invoke(cli, ["load", "--seed", str(folder), "--wipe"])
    assert result.exit_code == 1, result.output
    *progress, error = result.stderr.strip().splitlines()
    assert progress == ["loading"], result.stderr  # the progress label, then one line
    assert error.startswith("Error: Neo4j refused the transaction: it needs more memory than")
    assert "server's db.memory.transaction.total.max (10.0 MiB) allows" in error
    assert "raise db.memory.transaction.total.max in the server's neo4j.conf" in error
    assert "Traceback" not in result.output
    # not retried as a "transient" error: every write transaction ran its function once
    assert attempts and max(attempts) == 1, attempts
    # nothing half-written: the small seed as before, no change record of the refused load
    assert stored(small_server) == before


def test_the_library_raises_transaction_too_large(
    small_server: ConnectionSettings, attempts: list[int]
) -> None:
    with Store.connect(small_server) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
        attempts.clear()
        with pytest.raises(TransactionTooLarge, match=r"db\.memory\.transaction\.total\.max"):
            store.load(too_big())
        assert attempts == [1], "the refused load ran once, and was not retried"
        assert store.count_nodes() == 0
