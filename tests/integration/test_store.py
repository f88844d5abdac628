"""Loader, reader and query runner against a real Neo4j over Bolt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import networkx as nx
import pytest

from ccm_graph.coverage import YearWindow, coverage_from_json
from ccm_graph.dataset import Dataset, read_seed, write_seed
from ccm_graph.errors import DataError, QueryError, StoreUnavailable
from ccm_graph.graph import build_graph
from ccm_graph.localserver import free_port
from ccm_graph.metadata import DatasetInfo
from ccm_graph.schema import Actor, Relation
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import SHIPPED_SEED, SMALL_SEED, returns


def graph_signature(graph: nx.MultiDiGraph) -> tuple[dict, list]:
    nodes = dict(graph.nodes(data=True))
    edges = sorted((u, v, k, sorted(d.items())) for u, v, k, d in graph.edges(keys=True, data=True))
    return nodes, edges


def db_counts(store: Store) -> tuple[int, int]:
    nodes = store.query("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
    rels = store.query("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
    return nodes, rels


def test_load_writes_every_record(store: Store) -> None:
    report = store.load(read_seed(SMALL_SEED))
    assert report.nodes == {"actor": 9, "obligation": 3, "coalition": 2, "activity": 1}
    assert db_counts(store) == (15 + 1, 15)  # the records and the one DatasetInfo node
    labels = store.query("MATCH (n {id: 'na-lao'}) RETURN labels(n) AS l").rows[0]["l"]
    assert sorted(labels) == ["Actor", "NationalAuthority"]


def test_loading_twice_changes_nothing(store: Store) -> None:
    dataset = read_seed(SMALL_SEED)
    store.load(dataset)
    first = (db_counts(store), store.read_dataset().sorted())
    store.load(dataset)
    assert (db_counts(store), store.read_dataset().sorted()) == first


def test_round_trip_gives_the_same_graph(store: Store) -> None:
    dataset = read_seed(SMALL_SEED)
    store.load(dataset)
    again = store.read_dataset()
    assert again.sorted() == dataset.sorted()
    assert graph_signature(build_graph(again)) == graph_signature(build_graph(dataset))


def test_ask_figures_round_trip_through_neo4j(store: Store, tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    dataset.obligations = [
        dataclasses.replace(
            o, remaining_km2=1957.04, remaining_kind="confirmed_and_suspected",
            remaining_year=2023, remaining_source="indicative: test (synthetic)",
            need_usd=2500000, need_text="teams <b>& dogs</b>", need_year=2024,
            need_source="test (synthetic)",
        ) if o.id == "ob-LAO-4" else o
        for o in dataset.obligations
    ]  # fmt: skip
    store.load(dataset)
    props = store.query(
        "MATCH (o:Obligation {id: 'ob-LAO-4'}) RETURN o.remaining_km2 AS area, "
        "o.need_usd AS usd, o.remaining_year AS year"
    ).rows[0]
    assert props == {"area": 1957.04, "usd": 2500000, "year": 2023}
    again = store.read_dataset()
    assert again.sorted() == dataset.sorted()
    write_seed(again, tmp_path / "export", include_restricted=True)
    assert read_seed(tmp_path / "export").sorted() == dataset.sorted()


def test_shipped_seed_round_trips(store: Store, tmp_path: Path) -> None:
    dataset = read_seed(SHIPPED_SEED)
    store.load(dataset, wipe=True)
    again = store.read_dataset()
    assert graph_signature(build_graph(again)) == graph_signature(build_graph(dataset))
    write_seed(again, tmp_path / "export", include_restricted=True)
    for name in ("actors.csv", "obligations.csv", "coalitions.csv", "activities.csv",
                 "relations.csv"):  # fmt: skip
        original = (SHIPPED_SEED / name).read_text(encoding="utf-8-sig").splitlines()
        exported = (tmp_path / "export" / name).read_text(encoding="utf-8").splitlines()
        assert exported[0] == original[0]
        assert sorted(exported[1:]) == sorted(line for line in original[1:] if line.strip())


def test_failure_midway_leaves_the_database_as_it_was(store: Store) -> None:
    dataset = read_seed(SMALL_SEED)
    store.load(dataset)
    before = (db_counts(store), store.read_dataset().sorted())
    calls = []

    def fail_after_first_batch(rows: int) -> None:
        calls.append(rows)
        if len(calls) == 2:
            raise RuntimeError("simulated crash in the middle of a load")

    changed = Dataset(
        actors=[Actor("NEW", "state", "Newland", source="test"), *dataset.actors],
        obligations=dataset.obligations,
        coalitions=dataset.coalitions,
        activities=dataset.activities,
        relations=dataset.relations,
    )
    with pytest.raises(RuntimeError, match="simulated crash"):
        store.load(changed, wipe=True, batch_size=1, progress=fail_after_first_batch)
    assert (db_counts(store), store.read_dataset().sorted()) == before


def test_invalid_dataset_writes_nothing(store: Store) -> None:
    dataset = read_seed(SMALL_SEED)
    dataset.actors.append(Actor("LAO", "state", "Duplicate", source="test"))
    with pytest.raises(DataError) as info:
        store.load(dataset)
    assert [p.message for p in info.value.problems] == [
        f"LAO: duplicate id 'LAO' (already used at {SMALL_SEED / 'actors.csv'}:2)"
    ]
    assert db_counts(store) == (0, 0)


def test_a_problem_found_while_writing_rolls_the_load_back(store: Store) -> None:
    # into an empty database the checks run while the rows are written: a reference that
    # only the cross-record checks see (the last relation's end) is found after every row
    # was sent, and the transaction is rolled back
    dataset = read_seed(SMALL_SEED)
    dataset.relations[-1] = dataclasses.replace(dataset.relations[-1], to_id="NOWHERE")
    sent: list[int] = []
    with pytest.raises(DataError) as info:
        store.load(dataset, batch_size=1, progress=sent.append)
    assert [str(p) for p in info.value.problems] == [
        f"{SMALL_SEED / 'relations.csv'}:{len(dataset.relations) + 1}: to: unknown id 'NOWHERE'"
    ]
    assert len(sent) > len(dataset.actors)  # the rows were written before the problem showed
    assert db_counts(store) == (0, 0)


def test_a_wipe_does_not_start_on_data_that_would_be_refused(store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    before = (db_counts(store), store.read_dataset().sorted())
    dataset = read_seed(SMALL_SEED)
    dataset.relations.append(Relation("NLD", "FUNDS", "LAO", year=1700, source="test"))
    sent: list[int] = []
    with pytest.raises(DataError, match="year"):
        store.load(dataset, wipe=True, progress=sent.append)
    assert sent == []  # checked before the transaction: nothing was sent
    assert (db_counts(store), store.read_dataset().sorted()) == before


def test_hostile_text_is_only_data(store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    evil = store.query(
        "MATCH (a:Actor {id: $id}) RETURN a.name AS name, a.notes AS notes", {"id": "evil"}
    ).rows
    assert evil == [{"name": "'}) DETACH DELETE n //", "notes": "<script>alert(1)</script>"}]
    lao = store.query("MATCH (a:Actor {id: 'na-lao'}) RETURN a.name AS name").rows
    assert lao == [{"name": "ຄະນະກຳມະການແຫ່ງຊາດ NRA"}]
    assert db_counts(store) == (15 + 1, 15)  # the records and the one DatasetInfo node


def test_read_only_queries_cannot_write(store: Store) -> None:
    with pytest.raises(QueryError, match="--write"):
        store.query("CREATE (:Actor {id: 'x'})")
    assert db_counts(store) == (0, 0)
    store.query("CREATE (:Probe {id: $id})", {"id": "x"}, write=True)
    assert db_counts(store) == (1, 0)


def test_syntax_error_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.query("MATCH (n RETURN n")


def test_wrong_password_is_store_unavailable(neo4j_settings: ConnectionSettings) -> None:
    wrong = ConnectionSettings(uri=neo4j_settings.uri, user="neo4j", password="not-the-password")
    with pytest.raises(StoreUnavailable, match="refused the credentials") as info:
        Store.connect(wrong)
    assert "not-the-password" not in str(info.value) + info.value.hint


def test_unreachable_server_fails_fast() -> None:
    settings = ConnectionSettings(uri=f"bolt://127.0.0.1:{free_port()}", password="x")
    with pytest.raises(StoreUnavailable, match="cannot reach Neo4j"):
        returns(lambda: Store.connect(settings))


def test_unknown_database_is_store_unavailable(neo4j_settings: ConnectionSettings) -> None:
    settings = ConnectionSettings(
        uri=neo4j_settings.uri, password=neo4j_settings.password, database="nosuchdb"
    )
    with pytest.raises(StoreUnavailable, match="no database 'nosuchdb'"):
        Store.connect(settings)


def test_metadata_round_trips_through_neo4j(store: Store, tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    coverage, problems = coverage_from_json(
        {"funding": {"sources": [{"id": "m", "name": "Monitor", "from": 2010, "to": 2023}],
                     "recipients": {"LAO": {"from": 2019, "to": 2023, "source": "m"}}},
         "decisions": {"meeting": "12MSP", "date": "2024-09-13", "source": "s"}}
    )  # fmt: skip
    assert problems == []
    dataset.info = DatasetInfo(
        as_of="2026-02-27", title="Test data", coverage=coverage, stated=True
    )
    store.load(dataset)
    again = store.read_dataset()
    assert again.info == dataset.info
    assert store.dataset_info().coverage == coverage
    write_seed(again, tmp_path / "out")
    back = read_seed(tmp_path / "out").info
    assert back.as_of == "2026-02-27"
    assert back.coverage.funding_window("LAO") == YearWindow(2019, 2023, "m")


def test_library_datasets_pass_the_value_rules_before_anything_is_written(store: Store) -> None:
    dataset = read_seed(SMALL_SEED)
    dataset.relations.append(Relation("NLD", "FUNDS", "LAO", year=2024, amount_usd=2**70,
                                      source="test"))  # fmt: skip
    dataset.actors.append(Actor("x" * 10_000, "operator", "Long", source="test"))
    with pytest.raises(DataError) as info:
        store.load(dataset)
    messages = [p.message for p in info.value.problems]
    assert any("id: an id of 10,000 characters is too long" in m for m in messages)
    assert any("amount_usd:" in m and "more than the limit" in m for m in messages)
    assert db_counts(store) == (0, 0)


def test_reading_neo4j_checks_types_like_reading_files(store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    store.query("MATCH ()-[r:FUNDS]->() SET r.year = 'twenty'", write=True)
    with pytest.raises(DataError, match="year: 'twenty' is not a whole number"):
        store.read_dataset()


@pytest.mark.parametrize(
    ("cypher", "why"),
    [
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TerminateTransactions"),
        ("SHOW TRANSACTIONS YIELD parameters RETURN parameters", "ShowTransactions"),
        ("LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row", "LOAD CSV"),
        ("CALL db.clearQueryCaches()", "procedure db.clearQueryCaches"),
        ("CALL dbms.listConfig() YIELD name RETURN name", "procedure dbms.listConfig"),
        ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n", "IN TRANSACTIONS"),
        ("CREATE INDEX probe IF NOT EXISTS FOR (n:Probe) ON (n.x)", "changes the schema"),
    ],
)
def test_read_only_query_refuses_anything_but_a_plain_read(
    store: Store, cypher: str, why: str
) -> None:
    with pytest.raises(QueryError, match="a query without --write may only read") as info:
        store.query(cypher)
    assert why in str(info.value)
    assert "\n" not in str(info.value)


def test_read_only_query_allows_reads_and_read_procedures(store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    assert store.query("CALL db.labels() YIELD label RETURN count(*) AS n").rows[0]["n"] > 3
    assert store.query("SHOW INDEXES YIELD name RETURN count(*) AS n").rows[0]["n"] > 0
    assert store.query("MATCH (a:Actor) RETURN count(a) AS n").rows == [{"n": 9}]


def test_other_users_transactions_are_out_of_reach_of_the_cli(
    neo4j_env: dict, store: Store
) -> None:
    from click.testing import CliRunner

    from ccm_graph.cli import cli

    for cypher in ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "CALL db.clearQueryCaches()"):
        result = CliRunner().invoke(cli, ["query", cypher])
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: refused: ") and result.stderr.count("\n") == 1


def test_load_without_wipe_checks_the_folder_merged_with_what_is_stored(store: Store) -> None:
    from ccm_graph.schema import Coalition

    store.load(read_seed(SMALL_SEED))
    before = db_counts(store)
    lebanon = next(a for a in read_seed(SMALL_SEED).actors if a.id == "LBN")
    dataset = Dataset(  # valid on its own: one State and a coalition for it
        actors=[lebanon],
        coalitions=[Coalition("halo", "Named like the operator", "LBN", "proposed", source="test")],
    )
    with pytest.raises(DataError) as info:
        store.load(dataset)
    assert [str(p) for p in info.value.problems] == [
        "coalitions.csv: halo: duplicate id 'halo' (already used at neo4j (halo))",
        "neo4j (halo OPERATES_IN LAO): from: 'halo' is a coalition, expected actor",
        "neo4j (halo SUPPORTS ob-LAO-4): from: 'halo' is a coalition, expected actor",
    ]
    assert db_counts(store) == before
    store.load(dataset, wipe=True)  # on its own it is valid
    assert db_counts(store) == (2 + 1, 1)


def test_a_load_into_an_empty_graph_creates_and_gives_what_merging_gives(
    neo4j_settings: ConnectionSettings,
) -> None:
    """Into an empty database (or with --wipe) the loader creates instead of merging; the
    graph read back is the same as after a merging load of the same data over it, and a
    second load over existing data merges (nothing is duplicated)."""
    seen: list[str] = []
    with Store.connect(neo4j_settings, tracer=lambda q, _p: seen.append(q)) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
        seed = read_seed(SHIPPED_SEED)
        store.load(seed)
        statements = [q for q in seen if q.startswith("UNWIND")]
        assert statements and all("MERGE" not in q for q in statements)
        assert any("CREATE (a)-[r:" in q for q in statements)
        created = store.read_dataset().sorted()  # ties of (from, type, to) in storage order
        counts = store.query(
            "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
        ).rows
        seen.clear()
        store.load(seed)  # over what is there: merges, adds nothing
        assert any("MERGE (n:" in q for q in seen if q.startswith("UNWIND"))
        assert store.read_dataset().sorted() == created
        assert (
            store.query(
                "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
            ).rows
            == counts
        )
        seen.clear()
        store.load(seed, wipe=True)  # wiped in the same transaction: creates again
        assert all("MERGE (n:" not in q for q in seen if q.startswith("UNWIND"))
        assert store.read_dataset().sorted() == created
