"""Keeping files and Neo4j in step: preview, sync, refusals, snapshots and the history."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.coalitions import propose_coalition, set_status
from ccm_graph.dataset import read_seed
from ccm_graph.errors import ConcurrentChange, EditsWouldBeLost
from ccm_graph.history import read_history, record_change
from ccm_graph.store import Store
from ccm_graph.sync import apply_load, plan_load

from ..conftest import SMALL_SEED


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def drop_row(folder: Path, file: str, *start: str) -> None:
    path = folder / file
    rows = list(csv.reader(path.open(encoding="utf-8")))
    kept = [r for r in rows if tuple(r[: len(start)]) != start]
    assert len(kept) == len(rows) - 1
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def ids(store: Store, label: str = "Coalition") -> set[str]:
    return {r["id"] for r in store.query(f"MATCH (n:{label}) RETURN n.id AS id").rows}


# --- the defects of today's main ---------------------------------------------------------


def test_wipe_after_propose_keeps_a_snapshot_and_says_so(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    assert run("load", "--seed", str(SMALL_SEED)).exit_code == 0
    assert run("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR Coalition",
               "--lead", "NLD").exit_code == 0  # fmt: skip
    snapshots = tmp_path / "snaps"
    result = run("load", "--seed", str(SMALL_SEED), "--wipe", "--snapshots", str(snapshots))
    assert result.exit_code == 0, result.output
    [snapshot] = list(snapshots.iterdir())
    assert snapshot.name.startswith("snapshot-") and snapshot.name.endswith("Z")
    assert f"Snapshot of the database before this step: {snapshot}" in result.stdout
    assert "restricted records included" in result.stdout
    assert "- coalition coal-lao (Lao PDR Coalition)" in result.stdout
    assert "coal-lao" not in ids(store)
    saved = read_seed(snapshot)
    assert "coal-lao" in {c.id for c in saved.coalitions}
    assert {("LAO", "affected_state"), ("NLD", "lead")} <= {
        (r.from_id, r.role) for r in saved.relations if r.to_id == "coal-lao"
    }
    assert "secretdonor" in {a.id for a in saved.actors}  # restricted rows kept
    # the history survives the wipe
    commands = [c.command for c in read_history(store)]
    assert commands == ["load", "coalition propose", "load --wipe"]


def test_plain_load_lists_rows_deleted_from_the_files_and_sync_removes_them(
    neo4j_env: dict, store: Store, small_seed: Path
) -> None:
    assert run("load", "--seed", str(small_seed)).exit_code == 0
    drop_row(small_seed, "activities.csv", "wp-a")
    drop_row(small_seed, "relations.csv", "halo", "OPERATES_IN")
    drop_row(small_seed, "relations.csv", "NLD", "PARTICIPATES_IN")
    result = run("load", "--seed", str(small_seed))
    assert result.exit_code == 0, result.output
    assert "Kept in Neo4j but not in the folder (load --sync would remove them):" in result.stdout
    assert "= activity wp-a (Build synergies with the APMBC committee)" in result.stdout
    assert "= relation halo OPERATES_IN LAO (since=1994)" in result.stdout
    assert "wp-a" in ids(store, "Activity")

    preview = run("load", "--seed", str(small_seed), "--sync", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert preview.stdout.startswith("Dry run, nothing written: load --sync of")
    assert (
        "- activity wp-a" in preview.stdout and "- relation halo OPERATES_IN LAO" in preview.stdout
    )
    assert "wp-a" in ids(store, "Activity")

    snapshots = small_seed.parent / "snapshots"
    result = run("load", "--seed", str(small_seed), "--sync")
    assert result.exit_code == 0, result.output
    assert "wp-a" not in ids(store, "Activity")
    assert store.read_dataset().sorted() == read_seed(small_seed).sorted()
    assert "Removed (not in the folder):" in result.stdout
    assert len(list(snapshots.iterdir())) == 1  # default: snapshots/ beside the seed folder


def test_sync_refuses_to_lose_edits_made_in_neo4j(
    neo4j_env: dict, store: Store, small_seed: Path
) -> None:
    assert run("load", "--seed", str(small_seed)).exit_code == 0
    propose_coalition(store, focus="LAO", name="Lao PDR Coalition", by="ana")
    set_status(store, "coal-lbn", "concluded", by="ana")
    store.query("MATCH (a:Actor {id: 'halo'}) SET a.name = 'HALO'", write=True)
    before = store.read_dataset().sorted()

    result = run("load", "--seed", str(small_seed), "--sync")
    assert result.exit_code == 1
    # halo, coal-lbn, and the proposed coal-lao with its affected_state member
    assert "4 records edited in Neo4j since the last load" in result.stderr
    assert "- relation LAO MEMBER_OF coal-lao (role=affected_state)" in result.stderr
    assert (
        "actor halo" in result.stderr and "name 'HALO' → 'The HALO Trust \"HALO\"'" in result.stderr
    )
    assert (
        "coalition coal-lbn" in result.stderr and "status 'concluded' → 'active'" in result.stderr
    )
    assert "- coalition coal-lao" in result.stderr
    assert "Traceback" not in result.output
    assert store.read_dataset().sorted() == before

    # a plain load refuses too: it would overwrite halo and coal-lbn (coal-lao is kept)
    result = run("load", "--seed", str(small_seed))
    assert result.exit_code == 1 and "2 records edited" in result.stderr
    assert store.read_dataset().sorted() == before

    snapshots = small_seed.parent / "snaps"
    result = run("load", "--seed", str(small_seed), "--sync", "--force", "--by", "lead",
                 "--snapshots", str(snapshots))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert store.read_dataset().sorted() == read_seed(small_seed).sorted()
    [snapshot] = list(snapshots.iterdir())
    assert read_seed(snapshot).sorted() == before
    last = read_history(store)[-1]
    assert (last.command, last.by, last.snapshot) == ("load --sync --force", "lead", str(snapshot))
    assert last.counts["coalition"] == {"added": 0, "changed": 1, "removed": 1}
    change = next(d for d in last.details if d["key"] == "coal-lbn")
    assert change["before"] == {"status": "concluded"} and change["after"] == {"status": "active"}
    assert change["edited_in_neo4j"] is True


def test_edits_that_the_files_already_hold_are_no_conflict(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    store.load(read_seed(SMALL_SEED))
    propose_coalition(store, focus="LAO", name="Lao PDR Coalition", lead="NLD")
    assert run("export", "--out", str(tmp_path / "out"), "--include-restricted").exit_code == 0
    plan = plan_load(store, read_seed(tmp_path / "out"), "sync")
    assert plan.conflicts == [] and plan.changes == []
    result = run("load", "--seed", str(tmp_path / "out"), "--sync")
    assert result.exit_code == 0, result.output
    assert "Changes: no change" in result.stdout
    # after that load the proposed coalition came from files: a sync may now remove it
    plan = plan_load(store, read_seed(SMALL_SEED), "sync")
    assert plan.conflicts == []
    assert {c.key for c in plan.of("remove")} >= {"coal-lao"}


def test_dry_run_writes_nothing(neo4j_env: dict, store: Store) -> None:
    result = run("load", "--seed", str(SMALL_SEED), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+ actor LAO (Lao PDR)" in result.stdout
    assert store.count_nodes() == 0 and read_history(store) == []
    rows = result.stdout.splitlines()
    assert any(line.split()[:2] == ["actor", "9"] for line in rows)


def test_concurrent_edit_between_plan_and_write_is_refused(store: Store, tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    store.load(dataset)
    plan = plan_load(store, dataset, "sync")
    store.query("MATCH (a:Actor {id: 'halo'}) SET a.name = 'HALO'", write=True)
    with pytest.raises(ConcurrentChange) as refused:
        apply_load(store, dataset, plan, snapshots_dir=tmp_path)
    assert str(refused.value) == (
        "the database changed while this sync was being planned (by a write made outside "
        "ccm-graph): run it again to see the new plan"
    )
    assert store.query("MATCH (a:Actor {id: 'halo'}) RETURN a.name AS n").rows == [{"n": "HALO"}]


def test_library_refusal_names_each_record(store: Store, tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    store.load(dataset)
    store.query("MATCH ()-[r:FUNDS {year: 2024}]->() SET r.amount_usd = 1", write=True)
    plan = plan_load(store, dataset, "load")
    with pytest.raises(EditsWouldBeLost) as info:
        apply_load(store, dataset, plan, snapshots_dir=tmp_path)
    assert info.value.records == [
        "~ relation NLD FUNDS halo (year=2024, convention=CCM, purpose=clearance in Lao PDR): "
        "amount_usd 1 → 1500000  [edited in Neo4j since the last load]"
    ]
    assert not tmp_path.joinpath("snapshot").exists() and list(tmp_path.iterdir()) == []


def test_bookkeeping_stays_out_of_exports(neo4j_env: dict, store: Store, tmp_path: Path) -> None:
    store.load(read_seed(SMALL_SEED))
    stamps = store.query("MATCH (n {id: 'LAO'}) RETURN n._loaded AS s").rows[0]["s"]
    assert isinstance(stamps, str) and len(stamps) == 24
    assert run("export", "--out", str(tmp_path / "x"), "--include-restricted").exit_code == 0
    for file in tmp_path.joinpath("x").iterdir():
        assert "_loaded" not in file.read_text(encoding="utf-8")


# --- the history ----------------------------------------------------------------------------


def test_history_lists_every_write(neo4j_env: dict, store: Store) -> None:
    assert run("load", "--seed", str(SMALL_SEED), "--by", "ana").exit_code == 0
    assert run("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR Coalition",
               "--by", "ben").exit_code == 0  # fmt: skip
    assert run("coalition", "add-member", "coal-lao", "halo", "--role", "operator").exit_code == 0
    assert run("coalition", "remove-member", "coal-lao", "halo").exit_code == 0
    assert run("coalition", "set-status", "coal-lao", "forming").exit_code == 0
    record_change(store, None, command="query --write", by="cara", counts={"nodes": {"changed": 1}})

    result = run("history", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [(r["command"], r["by"]) for r in records][:2] == [
        ("load", "ana"),
        ("coalition propose", "ben"),
    ]
    assert [r["command"] for r in records][2:] == [
        "coalition add-member", "coalition remove-member", "coalition set-status", "query --write"
    ]  # fmt: skip
    assert records[0]["counts"]["actor"]["added"] == 8  # not the restricted secretdonor
    removal = records[3]["details"][0]
    assert removal["before"]["role"] == "operator" and "_loaded" not in removal["before"]
    status = records[4]["details"][0]
    assert (status["before"]["status"], status["after"]["status"]) == ("proposed", "forming")

    table = run("history")
    assert table.exit_code == 0
    assert "coalition set-status" in table.stdout and "coalition ~1" in table.stdout

    later = run("history", "--since", "2999-01-01", "--format", "json")
    assert json.loads(later.stdout) == []


def test_change_record_details_are_capped(store: Store) -> None:
    details = [{"kind": "actor", "key": f"a{i}", "action": "add", "after": {"notes": "x" * 1000}}
               for i in range(500)]  # fmt: skip
    record = record_change(store, None, command="load", counts={}, details=details)
    assert 0 < len(record.details) < 500
    assert record.details_omitted == 500 - len(record.details)
    [stored] = read_history(store)
    assert stored.details_omitted == record.details_omitted


def test_query_write_appends_a_change_record(store: Store, neo4j_env: dict) -> None:
    store.load(read_seed(SMALL_SEED))
    result = CliRunner().invoke(cli, ["query", "--write", "--by", "analyst",
                                      "MATCH (a:Actor {id: $id}) SET a.notes = 'edited'",
                                      "--param", "id=LAO"])  # fmt: skip
    assert result.exit_code == 0, result.output
    history = CliRunner().invoke(cli, ["history", "--format", "json"])
    records = json.loads(history.stdout)
    [last] = [r for r in records if r["command"] == "query --write"]
    assert last["by"] == "analyst"
    assert last["counts"] == {"properties_set": 1}
