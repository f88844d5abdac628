"""A workbench save on Neo4j writes only what it changes (``sync.apply_changes``): the other
records are not touched (their load stamps neither), the change record keeps who and the old
values, a write in between is refused and the change made again on the new data, a removal
keeps a way back, restricted records stay as they are."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.coalitions import set_status
from ccm_graph.dataset import Dataset, read_seed
from ccm_graph.errors import ConcurrentChange
from ccm_graph.history import read_history
from ccm_graph.keeping import find_record, full_dataset, replace_record, save_dataset
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store, relation_key
from ccm_graph.sync import apply_changes, plan_load, read_stored
from ccm_graph.workbench import create_app

from ..conftest import SMALL_SEED
from ..unit.test_workbench_conflicts import form_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.neo4j

EVERY_RECORD = (
    "MATCH (n) WHERE n:Actor OR n:Obligation OR n:Coalition OR n:Activity OR n:Evidence "
    "RETURN coalesce(n.id, n.ev_key) AS key, properties(n) AS props "
    "UNION ALL MATCH (a)-[r]->(b) WHERE NOT (a:ChangeRecord OR b:ChangeRecord) "
    "RETURN a.id + ' ' + type(r) + ' ' + b.id + ' ' + coalesce(r.rel_key, '') AS key, "
    "properties(r) AS props"
)
"""Every record and relationship as stored, bookkeeping (the load stamp) included."""


@pytest.fixture
def source(store: Store, neo4j_settings: ConnectionSettings) -> Iterator[DataSource]:
    store.load(read_seed(SMALL_SEED))
    clear_cache()
    with DataSource.neo4j(neo4j_settings) as opened:
        yield opened
    clear_cache()


STAMPS = "MATCH (c:Coalition {id: 'coal-lbn'}) RETURN c.created AS created, c.updated AS updated"


def _read(store: Store, query: str) -> list[dict[str, Any]]:
    return store.read_transaction(lambda tx: store.run_in(tx, query))


def _stored(store: Store) -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row["props"] for row in _read(store, EVERY_RECORD)}


def _new_deadline(current: Dataset, deadline: str = "2030-08-01") -> Dataset:
    old = find_record(current, "obligation", "ob-LAO-4")
    return replace_record(current, "obligation", old, dataclasses.replace(old, deadline=deadline))


def test_a_save_writes_its_record_only_and_its_old_values_in_the_change_record(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    before = _stored(store)
    saved = save_dataset(source, _new_deadline, expected=None, summary="obligation ~1",
                         by="amina", snapshots_dir=tmp_path)  # fmt: skip
    after = _stored(store)
    assert set(after) == set(before)
    changed = {key for key in before if after[key] != before[key]}
    assert changed == {"ob-LAO-4"}  # every other record, its load stamp included, as it was
    old, new = before["ob-LAO-4"], after["ob-LAO-4"]
    assert new["deadline"] == "2030-08-01" and old["deadline"] != "2030-08-01"
    # the load stamp stays: the record counts as edited in Neo4j since the last load
    assert new["_loaded"] == old["_loaded"]
    plan = plan_load(store, read_seed(SMALL_SEED), "sync")
    assert [c.key for c in plan.conflicts] == ["ob-LAO-4"]
    # no snapshot: the change record keeps the value before
    assert saved.snapshot is None and not list(tmp_path.iterdir())
    last = read_history(store)[-1]
    assert (last.command, last.by, last.snapshot) == ("workbench save", "amina", None)
    assert last.details == [{"kind": "obligation", "key": "ob-LAO-4", "action": "change",
                             "before": {"deadline": old["deadline"]},
                             "after": {"deadline": "2030-08-01"}}]  # fmt: skip
    assert last.counts["obligation"] == {"added": 0, "changed": 1, "removed": 0}


def test_a_write_in_between_is_refused_and_the_change_made_again_on_the_new_data(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    made_on: list[str] = []

    def change(current: Dataset) -> Dataset:
        made_on.append(find_record(current, "coalition", "coal-lbn").status)
        if len(made_on) == 1:  # another writer commits between this reading and the write
            set_status(store, "coal-lbn", "concluded", by="ben")
        return _new_deadline(current)

    save_dataset(source, change, expected=None, summary="obligation ~1", by="amina",
                 snapshots_dir=tmp_path)  # fmt: skip
    assert made_on == ["active", "concluded"]  # refused once, made again on ben's data
    data = full_dataset(source)
    assert find_record(data, "coalition", "coal-lbn").status == "concluded"  # ben's write kept
    assert find_record(data, "obligation", "ob-LAO-4").deadline == "2030-08-01"
    history = read_history(store)
    assert [(r.command, r.by) for r in history[-2:]] == [
        ("coalition set-status", "ben"),
        ("workbench save", "amina"),
    ]


def test_a_plan_made_stale_is_refused_with_nothing_written(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    stored = read_stored(store)
    assert stored.dataset is not None
    new = _new_deadline(stored.dataset)
    plan = plan_load(store, new, "sync", stored=stored)
    set_status(store, "coal-lbn", "concluded", by="ben")  # a ccm-graph write: a change record
    with pytest.raises(ConcurrentChange, match="by ben at"):
        apply_changes(store, new, plan, snapshots_dir=tmp_path)
    # a write outside ccm-graph (no change record) to the record the save changes
    stored = read_stored(store)
    assert stored.dataset is not None
    new = _new_deadline(stored.dataset)
    plan = plan_load(store, new, "sync", stored=stored)
    by_hand = "MATCH (o:Obligation {id: 'ob-LAO-4'}) SET o.description = 'by hand'"
    store.write_transaction(lambda tx: store.run_in(tx, by_hand))
    with pytest.raises(ConcurrentChange, match="outside ccm-graph"):
        apply_changes(store, new, plan, snapshots_dir=tmp_path)
    assert find_record(store.read_dataset(), "obligation", "ob-LAO-4").deadline != "2030-08-01"
    assert read_history(store)[-1].command == "coalition set-status"


def test_a_record_the_coalition_workflow_edited_may_change_and_keeps_its_stamps(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    set_status(store, "coal-lbn", "forming", by="ben")  # edited in Neo4j, with stamps
    stamps = _read(store, STAMPS)

    def rename(current: Dataset) -> Dataset:
        old = find_record(current, "coalition", "coal-lbn")
        return replace_record(current, "coalition", old,
                              dataclasses.replace(old, name="Lebanon coalition"))  # fmt: skip

    saved = save_dataset(source, rename, expected=None, summary="coalition ~1",
                         snapshots_dir=tmp_path)  # fmt: skip
    assert saved.snapshot is None
    coalition = find_record(full_dataset(source), "coalition", "coal-lbn")
    assert (coalition.name, coalition.status) == ("Lebanon coalition", "forming")
    assert _read(store, STAMPS) == stamps and stamps[0]["updated"] is not None
    last = read_history(store)[-1]
    assert last.details[0]["edited_in_neo4j"] is True


def test_a_removal_keeps_a_way_back(source: DataSource, store: Store, tmp_path: Path) -> None:
    gone = next(r for r in read_seed(SMALL_SEED).relations if r.type == "OPERATES_IN")

    def remove(current: Dataset) -> Dataset:
        kept = [r for r in current.relations if relation_key(r) != relation_key(gone)]
        return dataclasses.replace(current, relations=kept)

    saved = save_dataset(source, remove, expected=None, summary="relation -1",
                         snapshots_dir=tmp_path)  # fmt: skip
    assert gone not in full_dataset(source).relations
    # a snapshot first, a seed folder that holds the relation (and the restricted records)
    assert saved.snapshot is not None and saved.snapshot.parent == tmp_path
    snapshot = read_seed(saved.snapshot)
    assert gone in snapshot.relations and {a.id for a in snapshot.actors} >= {"secretdonor"}
    # and the change record keeps the removed relation's ends, type and values
    [entry] = read_history(store)[-1].details
    assert entry["action"] == "remove" and entry["before"]["from"] == gone.from_id
    assert (entry["before"]["type"], entry["before"]["to"]) == (gone.type, gone.to_id)
    assert entry["before"]["since"] == gone.since


def test_restricted_records_stay_and_a_change_that_concerns_one_is_hidden_in_the_history(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    before = _stored(store)
    hanging = next(r for r in read_seed(SMALL_SEED).relations if r.from_id == "secretdonor")

    def change(current: Dataset) -> Dataset:
        kept = [r for r in current.relations if relation_key(r) != relation_key(hanging)]
        return _new_deadline(dataclasses.replace(current, relations=kept))

    save_dataset(source, change, expected=None, summary="two changes", snapshots_dir=tmp_path)
    after = _stored(store)
    restricted = [key for key, props in before.items() if props.get("sensitivity") == "restricted"]
    assert restricted and all(after[key] == before[key] for key in restricted)
    # the removed relation hangs on a restricted actor: flagged, and hidden from a reader
    # without restricted access, counts included
    last = read_history(store, include_restricted=True)[-1]
    assert [e.get("restricted", False) for e in last.details] == [False, True]
    shown = read_history(store)[-1]
    assert [e["key"] for e in shown.details] == ["ob-LAO-4"]
    assert shown.counts["relation"]["removed"] == 0


def test_the_saved_page_says_where_the_old_values_are(source: DataSource, store: Store) -> None:
    client = TestClient(create_app(source))
    form = form_of(client.get("/edit/actor/LBN").text)
    saved = client.post("/edit/actor/LBN", data={**form, "name": "Liban"})
    assert saved.status_code == 200 and "The change is written" in saved.text
    assert "No snapshot: the old values are in the change record (see History)." in saved.text
    assert "A snapshot of the data before the change" not in saved.text
    last = read_history(store)[-1]
    assert last.details[0]["before"] == {"name": "Lebanon"}


def test_a_save_whose_old_values_would_not_fit_in_the_change_record_writes_a_snapshot(
    source: DataSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ccm_graph.sync.changing.DETAILS_LIMIT", 50)  # one entry is longer
    saved = save_dataset(source, _new_deadline, expected=None, summary="obligation ~1",
                         snapshots_dir=tmp_path)  # fmt: skip
    assert saved.snapshot is not None and saved.snapshot.parent == tmp_path
    kept = find_record(read_seed(saved.snapshot), "obligation", "ob-LAO-4")
    assert kept.deadline != "2030-08-01"  # the data before the save
