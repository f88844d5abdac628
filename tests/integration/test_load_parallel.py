"""How a load writes: staged by itself when it is large, two writers at once, its relationships
between nodes found by elementId, the schema checked with one statement.

The size at which a load is staged (``AUTO_STAGED_ROWS``, 50,000 rows) and the rows of a staged
transaction are made small here, so that a synthetic dataset of a few thousand rows takes the
paths a large load takes: several transactions, two writers, the switch.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import time
from typing import Any

import pytest

from ccm_graph.connection import ConnectionSettings
from ccm_graph.dataset import Dataset, read_seed
from ccm_graph.errors import ConcurrentChange, DataError, QueryError
from ccm_graph.queries import stage_state_read_query, stage_switch_queries
from ccm_graph.schema import NODE_TABLES
from ccm_graph.store import Store, loading, stage_writers, staging
from ccm_graph.store.rows import node_row, relation_row

from ..conftest import ROOT, SMALL_SEED

pytestmark = pytest.mark.neo4j

LEFTOVERS = "MATCH (n) WHERE n:Staged OR n:Retired OR n:LoadStage RETURN count(n) AS n"


def synthetic(actors: int, relations: int) -> Dataset:
    """A seeded synthetic dataset (``benchmarks/synthetic.py``, labelled synthetic)."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dataset: Dataset = module.generate(actors, relations, seed=7)
    return dataset


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """A dataset that counts as large: loads over 1,000 rows are staged, in transactions of
    about 500 rows (each a single batch of 250 rows or two)."""
    monkeypatch.setattr(loading, "AUTO_STAGED_ROWS", 1_000)
    monkeypatch.setattr(staging, "STAGED_TRANSACTION_ROWS", 500)
    dataset = synthetic(300, 3_000)
    assert loading.load_rows(dataset) > 1_000
    return dataset


def traced(store: Store) -> list[str]:
    """Every statement ``store`` sends from now on (its tracer)."""
    sent: list[str] = []
    store.tracer = lambda query, _params: sent.append(query)
    return sent


def stamps(store: Store) -> tuple[dict[str, Any], list[str]]:
    nodes = {r["id"]: r["s"] for r in store.query(
        "MATCH (n) WHERE n:Actor OR n:Obligation OR n:Coalition OR n:Activity "
        "RETURN n.id AS id, n._loaded AS s").rows}  # fmt: skip
    rels = sorted(r["s"] for r in store.query(
        "MATCH ()-[r]->() WHERE r.rel_key IS NOT NULL RETURN r._loaded AS s").rows)  # fmt: skip
    return nodes, rels


def test_a_large_load_is_staged_by_itself_and_two_writers_write_it(
    store: Store, large: Dataset
) -> None:
    sent = traced(store)
    batches: list[int] = []
    report = store.load(large, batch_size=250, progress=batches.append)
    assert report.staged  # not asked for: the load is over the size
    transactions = sent.count(stage_state_read_query())
    assert transactions >= 5, transactions  # several transactions, so the writers overlapped
    assert sum(batches) == loading.load_rows(large)  # every batch reported once committed
    assert store.read_dataset().sorted() == large.sorted()
    assert store.query(LEFTOVERS).rows == [{"n": 0}]
    # what a plain load writes, stamps included: load --sync sees no edit
    assert stamps(store) == (
        {record.id: node_row(record)["props"]["_loaded"] for _, record in large.nodes()},
        sorted(relation_row(r)["props"]["_loaded"] for r in large.relations),
    )


def test_the_writers_share_the_nodes_evenly(
    store: Store, large: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The relationships wait for the last node: each writer gets half of them, whatever the
    batches (whole batches once gave one writer 8,400 nodes and the other 3,000)."""
    sizes: list[int] = []
    transaction = stage_writers.StageWriters._transaction

    def counted(self: stage_writers.StageWriters, chunk: list[Any]) -> None:
        if chunk[0][0] in stage_writers.ELEMENT_QUERIES:
            sizes.append(sum(len(rows) for _, rows in chunk))
        transaction(self, chunk)

    monkeypatch.setattr(stage_writers.StageWriters, "_transaction", counted)
    store.load(large, batch_size=250)
    nodes = sum(len(large.table(spec)) for spec in NODE_TABLES)
    assert sorted(sizes) == [nodes // 2, nodes - nodes // 2]
    assert store.read_dataset().sorted() == large.sorted()


def test_the_last_transactions_get_smaller_so_that_the_writers_finish_together(
    store: Store, large: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the nodes, a transaction takes at most an equal share of what is left for each
    writer (whole transactions to the end often left one writer alone on the last 20,000
    rows for half a second)."""
    sent: list[tuple[bool, int]] = []  # (nodes?, rows), in the order sent to the writers
    send = stage_writers.StageWriters._send

    def counted(self: stage_writers.StageWriters) -> None:
        nodes = self.gathering[0][0] in stage_writers.ELEMENT_QUERIES
        sent.append((nodes, sum(len(rows) for _, rows in self.gathering)))
        send(self)

    monkeypatch.setattr(stage_writers.StageWriters, "_send", counted)
    store.load(large, batch_size=250)
    total = loading.load_rows(large)
    assert sum(rows for _, rows in sent) == total
    left = total
    for nodes, rows in sent:
        if not nodes:
            assert rows <= stage_writers.transaction_share(left, 2, 500), (left, sent)
        left -= rows
    assert 0 < sent[-1][1] < 500 // 4  # the last a small one
    assert store.read_dataset().sorted() == large.sorted()


def test_a_relationship_whose_end_is_no_longer_staged_fails_the_load(
    store: Store, large: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An end that matches no staged node (another load removed this one's) creates nothing:
    the writer counts what was created, and the load fails with nothing visible."""
    [outside] = store.query("CREATE (n:Unrelated) RETURN elementId(n) AS e", write=True).rows
    to_elements = staging.to_elements

    def lost(rows: list[Any], elements: dict[str, str]) -> None:
        to_elements(rows, elements)
        rows[0][1] = outside["e"]  # a node that is not staged

    monkeypatch.setattr(staging, "to_elements", lost)
    with pytest.raises(QueryError, match=r"found no staged node at an end"):
        store.load(large)
    assert store.query("MATCH (n:Actor) RETURN count(n) AS n").rows == [{"n": 0}]
    monkeypatch.setattr(staging, "to_elements", to_elements)
    store.load(large)  # the next load removes what the failed one left
    assert store.read_dataset().sorted() == large.sorted()
    assert store.query(LEFTOVERS).rows == [{"n": 0}]


def test_the_checks_across_records_run_while_neo4j_makes_the_switch(
    store: Store, large: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They took a core from Neo4j while it wrote the last transactions; now they start once
    every row is written, Neo4j relabels the staged records meanwhile, and the switch
    commits after them."""
    sent = traced(store)
    relabel = stage_switch_queries()[1]
    began: list[list[str]] = []  # the statements sent when the checks began
    relabelled: list[bool] = []  # whether Neo4j was given the relabelling while they ran
    check = loading.check_dataset

    def checking(dataset: Dataset) -> list[Any]:
        began.append(list(sent))
        deadline = time.monotonic() + 30  # (they would wait in vain if they ran before it)
        while relabel not in sent and time.monotonic() < deadline:
            time.sleep(0.01)
        relabelled.append(relabel in sent)
        return check(dataset)

    monkeypatch.setattr(loading, "check_dataset", checking)
    store.load(large)
    assert relabelled == [True]
    [before] = began
    assert sum(q.startswith("UNWIND") for q in before) == sum(q.startswith("UNWIND") for q in sent)
    assert store.read_dataset().sorted() == large.sorted()


def broken(dataset: Dataset, relations: dict[int, dict[str, Any]]) -> Dataset:
    """``dataset`` with some relations changed (``{index: {field: value}}``)."""
    changed = list(dataset.relations)
    for index, fields in relations.items():
        changed[index] = dataclasses.replace(changed[index], **fields)
    return dataclasses.replace(dataset, relations=changed)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({-1: {"since": "2021", "until": "2019"}}, ["until is before since"]),  # at the switch
        ({5: {"to_id": "NOWHERE"}}, ["unknown id 'NOWHERE'"]),  # the rows stop there
        ({5: {"year": "199x"}, -1: {"since": "2021", "until": "2019"}},
         ["year: '199x' is not a whole number", "until is before since"]),  # both said
    ],
)  # fmt: skip
def test_what_the_checks_across_records_find_leaves_nothing_of_a_staged_load(
    store: Store, large: Dataset, changes: dict[int, dict[str, Any]], said: list[str]
) -> None:
    member_of = [i for i, r in enumerate(large.relations) if r.type == "MEMBER_OF"]
    changes = {member_of[i] if i < 0 else i: fields for i, fields in changes.items()}
    with pytest.raises(DataError) as refused:
        store.load(broken(large, changes))
    messages = [problem.message for problem in refused.value.problems]
    assert all(any(part in message for message in messages) for part in said), messages
    assert store.query("MATCH (n:Actor) RETURN count(n) AS n").rows == [{"n": 0}]
    assert store.query(LEFTOVERS).rows == [{"n": 0}]


def test_checks_longer_than_the_timeout_are_not_taken_for_a_silent_server(
    store: Store, neo4j_settings: ConnectionSettings, large: Dataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The switch waits for the checks across records, not for Neo4j: that time does not
    count towards the timeout (here 5 s, for checks of 7 s: a busy machine still answers
    every statement well within 5 s)."""
    check = loading.check_dataset

    def slow(dataset: Dataset) -> list[Any]:
        time.sleep(7)
        return check(dataset)

    monkeypatch.setattr(loading, "check_dataset", slow)
    with Store.connect(dataclasses.replace(neo4j_settings, timeout=5)) as impatient:
        assert impatient.load(large).staged
    assert store.read_dataset().sorted() == large.sorted()


def test_a_small_load_and_a_load_told_so_are_one_transaction(store: Store, large: Dataset) -> None:
    assert not store.load(read_seed(SMALL_SEED)).staged  # under the size
    assert not store.load(large, wipe=True, staged=False).staged
    assert store.read_dataset().sorted() == large.sorted()


def test_records_written_meanwhile_are_not_replaced_by_a_load_into_an_empty_database(
    store: Store, large: Dataset
) -> None:
    """The database was empty when the load started; another writer stores a record while it
    writes: the switch refuses instead of retiring that record, and nothing of the load stays."""

    def intrude(_rows: int, done: list[int] = []) -> None:  # noqa: B006 (one call only)
        if not done:
            done.append(1)
            store.query("CREATE (:Actor:CivilSociety {id: 'intruder', kind: 'civil_society', "
                        "name: 'Written meanwhile', source: 'test'})", write=True)  # fmt: skip

    with pytest.raises(ConcurrentChange, match=r"^1 records were written to the database while"):
        store.load(large, progress=intrude)
    assert store.query("MATCH (n:Actor) RETURN n.id AS id").rows == [{"id": "intruder"}]
    assert store.query(LEFTOVERS).rows == [{"n": 0}]


def test_a_load_sends_no_schema_statement_when_the_schema_is_in_place(store: Store) -> None:
    def schema_statements(sent: list[str]) -> list[str]:
        return [q for q in sent if q.startswith(("CREATE CONSTRAINT", "CREATE INDEX", "DROP"))]

    sent = traced(store)
    store.load(read_seed(SMALL_SEED))
    assert schema_statements(sent) == []
    store.tracer = None
    store.query("DROP INDEX actor_name", write=True)  # dropped: the next load makes it again
    sent = traced(store)
    store.load(read_seed(SMALL_SEED), wipe=True)
    assert schema_statements(sent) == [
        "CREATE INDEX actor_name IF NOT EXISTS FOR (n:`Actor`) ON (n.name)"
    ]
    names = {r["name"] for r in store.query("SHOW INDEXES YIELD name").rows}
    assert "actor_name" in names


def test_the_index_staged_loads_no_longer_use_is_dropped(store: Store) -> None:
    """Staged relationships find their ends by elementId: the old index on the staged nodes'
    id only cost time, and a database made by an earlier version loses it."""
    store.query("CREATE INDEX staged_id IF NOT EXISTS FOR (n:Staged) ON (n.id)", write=True)
    store.load(read_seed(SMALL_SEED), wipe=True)
    names = {r["name"] for r in store.query("SHOW INDEXES YIELD name").rows}
    assert "staged_id" not in names


def test_the_cli_help_gives_the_size_at_which_a_load_is_staged() -> None:
    from click.testing import CliRunner

    from ccm_graph.cli import cli

    help_text = " ".join(CliRunner().invoke(cli, ["load", "--help"]).output.split())
    assert f"more than {loading.AUTO_STAGED_ROWS:,} rows" in help_text
