"""A staged load, on a server whose transaction memory cannot hold the load.

A private Neo4j whose transactions may hold 32 MiB in all refuses the plain load of a synthetic
dataset of 2,000 actors and 30,000 relations. The staged load writes the same data in many small
transactions, unseen by every reader, and switches it in with one; readers in between see the
old data only; an interrupted one leaves the old data visible, and the next load removes it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.cli.data import parse_param
from ccm_graph.dataset import Dataset, read_seed, write_seed
from ccm_graph.errors import QueryError, TransactionTooLarge
from ccm_graph.query_library import load_queries
from ccm_graph.store import ConnectionSettings, Store
from ccm_graph.store.rows import node_row, relation_row
from ccm_graph.sync.stored import read_state

from ..conftest import ROOT, SHIPPED_SEED, SMALL_SEED, private_server

pytestmark = pytest.mark.neo4j

LIBRARY = load_queries()
LEFTOVERS = "MATCH (n) WHERE n:Staged OR n:Retired OR n:LoadStage RETURN count(n) AS n"


@pytest.fixture(scope="module")
def small_server() -> Iterator[ConnectionSettings]:
    """A private Neo4j whose transactions may hold 32 MiB in all: not the load below, but its
    switch (label changes only)."""
    with private_server("test-staged", "the staged-load test", heap="512m", pagecache="64m",
                        tx_memory="32m") as settings:  # fmt: skip
        yield settings


@pytest.fixture
def store(small_server: ConnectionSettings) -> Iterator[Store]:
    """The small server holding the shipped seed (the "old data"), nothing else."""
    with Store.connect(small_server) as store:
        with store.session() as session:  # in small transactions: the limit holds for this too
            for what in ("()-[r]->() CALL (r) { DELETE r }", "(n) CALL (n) { DELETE n }"):
                session.run(f"MATCH {what} IN TRANSACTIONS OF 500 ROWS").consume()
        store.load(read_seed(SHIPPED_SEED))
        yield store


def too_big() -> Dataset:
    """A seeded synthetic dataset (``benchmarks/synthetic.py``: 2,000 actors, 2,340 other
    records, 30,000 relations): about 120 MiB of transaction state in one load, too much for
    the 32 MiB limit; its switch changes the labels of its 2,340 nodes only."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dataset: Dataset = module.generate(2_000, 30_000, seed=42)
    return dataset


NEW_ID = "syn-civil-society-00001"
"""A record of the new data only."""


def what_readers_see(store: Store) -> dict[str, Any]:
    """Everything ccm-graph reads: the dataset, the counts, the restricted markers, the data
    state ``load --sync`` plans against, and every named query with its example."""
    seen: dict[str, Any] = {
        "dataset": store.read_dataset().sorted(),
        "nodes": store.count_nodes(),
        "restricted": store.restricted_markers(),
        "has new record": store.has_record(NEW_ID),
        "fingerprint": store.read_transaction(lambda tx: read_state(store, tx)).fingerprint,
    }
    for name, query in sorted(LIBRARY.items()):
        params = dict(parse_param(f"{p.name}={p.example}") for p in query.params)
        seen[name] = store.query(query.text, params).rows
    return seen


def leftovers(store: Store) -> int:
    return int(store.query(LEFTOVERS).rows[0]["n"])


def test_a_staged_load_completes_where_a_plain_load_is_refused(store: Store) -> None:
    before = what_readers_see(store)
    big = too_big()
    with pytest.raises(TransactionTooLarge, match=r"load --wipe --staged"):
        store.load(big, wipe=True)
    assert what_readers_see(store) == before
    during: list[dict[str, Any]] = []
    report = store.load(big, wipe=True, staged=True, batch_size=2000,
                        progress=lambda _: during.append(what_readers_see(store)))  # fmt: skip
    assert report.staged and report.cleaned is None
    assert len(during) >= 10  # read between batches, each committed
    assert all(seen == before for seen in during), "a reader saw the staged load half-done"
    assert store.read_dataset().sorted() == big.sorted()
    assert leftovers(store) == 0
    # the stamps are those a plain load writes: load --sync sees no edit
    stamps = {r["id"]: r["s"] for r in store.query(
        "MATCH (n) WHERE n:Actor OR n:Obligation OR n:Coalition OR n:Activity "
        "RETURN n.id AS id, n._loaded AS s").rows}  # fmt: skip
    expected = {record.id: node_row(record)["props"]["_loaded"] for _, record in big.nodes()}
    assert stamps == expected
    rel_stamps = sorted(r["s"] for r in store.query("MATCH ()-[r]->() WHERE r.rel_key IS NOT "
                                                    "NULL RETURN r._loaded AS s").rows)  # fmt: skip
    assert rel_stamps == sorted(relation_row(r)["props"]["_loaded"] for r in big.relations)
    labels = store.query("MATCH (n {id: $id}) RETURN labels(n) AS l", {"id": NEW_ID}).rows[0]["l"]
    assert sorted(labels) == ["Actor", "CivilSociety"]


def test_an_interrupted_staged_load_leaves_the_old_data_and_the_next_load_cleans_it(
    store: Store,
) -> None:
    before = what_readers_see(store)
    batches: list[int] = []

    def interrupt(rows: int) -> None:
        batches.append(rows)
        if len(batches) == 4:
            raise KeyboardInterrupt("injected after four batches")

    with pytest.raises(KeyboardInterrupt):
        store.load(too_big(), wipe=True, staged=True, batch_size=2000, progress=interrupt)
    assert what_readers_see(store) == before
    # the staged records so far and the marker: at least the batches reported (a transaction
    # of several batches reports them once committed; the other writer's may commit too)
    staged = leftovers(store) - 1
    assert staged >= sum(batches)
    report = store.load(read_seed(SMALL_SEED), wipe=True)  # a plain load cleans up first
    assert report.cleaned is not None
    assert report.cleaned.startswith("Removed what an interrupted staged load left")
    assert f": {staged} staged records that never became visible." in report.cleaned
    assert leftovers(store) == 0
    assert store.read_dataset().sorted() == read_seed(SMALL_SEED).sorted()


def test_a_stage_still_writing_is_not_removed(store: Store) -> None:
    """A stage that wrote a moment ago belongs to a load still running (another process): a
    load refuses instead of removing it; once it stopped writing long enough, it is removed."""
    marker = {"id": "other", "state": "writing", "started": "2026-12-07T00:00:00+00:00"}
    store.query("CREATE (s:LoadStage) SET s = $m, s.beat = $beat",
                {"m": marker, "beat": time.time()}, write=True)  # fmt: skip
    store.query("CREATE (:Staged {id: 'x', _staged: 'Actor'})", write=True)
    with pytest.raises(QueryError, match=r"staged load \(other, .*\) is still writing"):
        store.load(read_seed(SMALL_SEED), wipe=True)
    store.query("MATCH (s:LoadStage) SET s.beat = $beat", {"beat": time.time() - 3600},
                write=True)  # fmt: skip
    report = store.load(read_seed(SMALL_SEED), wipe=True)
    assert report.cleaned == (
        "Removed what an interrupted staged load left — other (started "
        "2026-12-07T00:00:00+00:00, writing): 1 staged records that never became visible."
    )
    assert leftovers(store) == 0


def test_the_refusal_suggests_a_staged_load_and_it_writes_a_change_record(
    store: Store, small_server: ConnectionSettings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder = tmp_path / "big"
    write_seed(too_big(), folder)
    for key, value in (("NEO4J_URI", small_server.uri), ("NEO4J_USER", small_server.user),
                       ("NEO4J_PASSWORD", small_server.password)):  # fmt: skip
        monkeypatch.setenv(key, value)
    changes = "MATCH (c:ChangeRecord) RETURN c.command AS command ORDER BY c.at"
    before = store.query(changes).rows
    refused = CliRunner().invoke(cli, ["load", "--seed", str(folder), "--wipe"])
    assert refused.exit_code == 1, refused.output
    assert "ccm-graph load --wipe --staged" in refused.stderr.strip().splitlines()[-1]
    assert store.query(changes).rows == before
    staged = CliRunner().invoke(cli, ["load", "--seed", str(folder), "--staged"])
    assert staged.exit_code == 2 and "add --wipe" in staged.stderr  # it replaces: say so
    done = CliRunner().invoke(cli, ["load", "--seed", str(folder), "--wipe", "--staged"])
    assert done.exit_code == 0, done.output
    assert "(staged: written in batches, then switched in)" in done.stdout
    assert store.query(changes).rows == [*before, {"command": "load --wipe"}]
    assert store.read_dataset().sorted() == dataclasses.replace(read_seed(folder)).sorted()
    assert leftovers(store) == 0
