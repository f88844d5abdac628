"""Snapshots and exports keep the coalition workflow's created/updated stamps (in
neo4j-stamps.csv), and loading them back puts the stamps back, in the load's transaction."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import PROBLEMS_FILE, STAMPS_FILE, read_seed, read_stamps
from ccm_graph.history import read_history
from ccm_graph.store import Store
from ccm_graph.sync import plan_load

from ..conftest import SMALL_SEED

Stamps = dict[str, tuple[str | None, str | None]]


def run(*args: str | Path) -> object:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def stamps_in(store: Store) -> Stamps:
    """Every coalition's (created, updated), for those that have either."""
    rows = store.query(
        "MATCH (c:Coalition) RETURN c.id AS id, c.created AS created, c.updated AS updated"
    ).rows
    return {r["id"]: (r["created"], r["updated"]) for r in rows if r["created"] or r["updated"]}


def ids(store: Store) -> set[str]:
    return {r["id"] for r in store.query("MATCH (c:Coalition) RETURN c.id AS id").rows}


def stamps_file(folder: Path) -> Stamps:
    with (folder / STAMPS_FILE).open(encoding="utf-8", newline="") as handle:
        return {r["coalition"]: (r["created"] or None, r["updated"] or None)
                for r in csv.DictReader(handle)}  # fmt: skip


def use_the_workflow(store: Store) -> Stamps:
    """Propose coal-lao with a lead, add a member, move coal-lbn (loaded from the files) to
    the status it has (which stamps ``updated`` only); the stamps that leaves."""
    for args in (
        ("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR Coalition", "--lead", "NLD"),
        ("coalition", "add-member", "coal-lao", "halo", "--role", "operator"),
        ("coalition", "set-status", "coal-lbn", "active"),
    ):
        result = run(*args)
        assert result.exit_code == 0, result.output
    stamps = stamps_in(store)
    assert set(stamps) == {"coal-lao", "coal-lbn"}
    assert stamps["coal-lbn"][0] is None and stamps["coal-lao"][0] is not None
    return stamps


def test_wipe_then_loading_the_snapshot_brings_the_stamps_back(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    assert run("load", "--seed", SMALL_SEED).exit_code == 0
    before = use_the_workflow(store)

    snapshots = tmp_path / "snaps"
    result = run("load", "--seed", SMALL_SEED, "--wipe", "--snapshots", snapshots)
    assert result.exit_code == 0, result.output
    [snapshot] = list(snapshots.iterdir())
    assert stamps_file(snapshot) == before
    assert stamps_in(store) == {}  # the wipe loaded the files, which have no stamps

    result = run("load", "--seed", snapshot, "--wipe", "--snapshots", tmp_path / "snaps2")
    assert result.exit_code == 0, result.output
    assert f"Set the created/updated stamps of 2 coalitions from {STAMPS_FILE}." in result.stdout
    assert stamps_in(store) == before
    # the load and the stamps are one write, with one change record
    last = read_history(store)[-1]
    assert last.command == "load --wipe"
    restored = {d["key"]: d["after"] for d in last.details if d["action"] == "stamps"}
    assert {k: (v["created"], v["updated"]) for k, v in restored.items()} == before
    # stamps are bookkeeping, not data: Neo4j now is what the snapshot holds, nothing edited
    plan = plan_load(store, read_seed(snapshot), "sync",
                     read_stamps(snapshot, read_seed(snapshot)))  # fmt: skip
    assert (plan.changes, plan.stamps, plan.destructive) == ([], [], False)
    result = run("load", "--seed", snapshot, "--sync")
    assert result.exit_code == 0, result.output
    assert "Changes: no change" in result.stdout and "stamps" not in result.stdout


def test_sync_back_to_a_snapshot_sets_its_stamps_after_a_snapshot_of_the_newer_ones(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    assert run("load", "--seed", SMALL_SEED).exit_code == 0
    before = use_the_workflow(store)
    snapshots = tmp_path / "snaps"
    # --force removes the proposed coalition (made in Neo4j) after a snapshot
    result = run("load", "--seed", SMALL_SEED, "--sync", "--force", "--snapshots", snapshots)
    assert result.exit_code == 0, result.output
    [snapshot] = list(snapshots.iterdir())
    assert "coal-lao" not in stamps_in(store)

    # back: coal-lao is added again with its stamps; coal-lbn's stay as they are
    result = run("load", "--seed", snapshot, "--sync", "--snapshots", snapshots)
    assert result.exit_code == 0, result.output
    assert stamps_in(store) == before
    assert len(list(snapshots.iterdir())) == 1  # nothing removed or overwritten

    # a newer stamp is no edit of the data, but replacing it loses it: a snapshot keeps it
    store.query("MATCH (c:Coalition {id: 'coal-lao'}) SET c.updated = $t",
                {"t": "2030-01-01T00:00:00+00:00"}, write=True)  # fmt: skip
    preview = run("load", "--seed", snapshot, "--sync", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert (
        f"The created/updated stamps of 1 coalition would be set from {STAMPS_FILE}:\n"
        f"  ~ coalition coal-lao: updated 2030-01-01T00:00:00+00:00 → {before['coal-lao'][1]}\n"
        "A snapshot of the database would be written first.\n"
    ) in preview.stdout
    result = run("load", "--seed", snapshot, "--sync", "--snapshots", snapshots)
    assert result.exit_code == 0, result.output
    assert stamps_in(store) == before
    [newer] = [p for p in snapshots.iterdir() if p != snapshot]
    assert stamps_file(newer)["coal-lao"] == (before["coal-lao"][0], "2030-01-01T00:00:00+00:00")


BAD_ROWS = [
    ("coal-lbn,yesterday,\n", 2, "created: 'yesterday' is not a UTC time"),
    ("coal-nope,2026-03-02T09:15:04+00:00,\n", 2, "coalition: unknown coalition id 'coal-nope'"),
    ("coal-lbn,,2026-03-02T09:15:04Z\ncoal-lbn,,2026-03-03T09:15:04Z\n", 3,
     "coalition: 'coal-lbn' appears twice (already at {file}:2)"),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "line", "message"), BAD_ROWS)
@pytest.mark.parametrize("mode", ["--wipe", "--sync"])
def test_a_bad_stamps_row_is_refused_with_its_line_and_nothing_is_written(
    neo4j_env: dict, store: Store, small_seed: Path, mode: str, rows: str, line: int,
    message: str,
) -> None:  # fmt: skip
    assert run("load", "--seed", SMALL_SEED).exit_code == 0
    before = use_the_workflow(store)
    history = len(read_history(store))
    sidecar = small_seed / STAMPS_FILE
    sidecar.write_text("coalition,created,updated\n" + rows, encoding="utf-8")
    expected = f"{sidecar}:{line}: {message.format(file=sidecar)}"

    result = run("validate", "--seed", small_seed)
    assert result.exit_code == 1 and expected in result.stderr

    snapshots = small_seed.parent / "snaps"
    result = run("load", "--seed", small_seed, mode, "--force", "--snapshots", snapshots)
    assert result.exit_code == 1
    assert expected in result.stderr and "Traceback" not in result.output
    assert stamps_in(store) == before and "coal-lao" in ids(store)
    assert len(read_history(store)) == history and not snapshots.exists()


def test_an_unknown_stamps_column_is_refused(neo4j_env: dict, store: Store,
                                             small_seed: Path) -> None:  # fmt: skip
    (small_seed / STAMPS_FILE).write_text(
        "coalition,created,updated,by\ncoal-lbn,,2026-03-02T09:15:04Z,ana\n", encoding="utf-8"
    )
    result = run("load", "--seed", small_seed)
    assert result.exit_code == 1
    assert f"{small_seed / STAMPS_FILE}:1: unknown column 'by'" in result.stderr
    assert store.count_nodes() == 0 and read_history(store) == []


def test_a_seed_folder_without_stamps_leaves_them_as_they_are(
    neo4j_env: dict, store: Store, small_seed: Path, tmp_path: Path
) -> None:
    assert run("load", "--seed", small_seed).exit_code == 0
    before = use_the_workflow(store)
    # the export is the round-trip path: it writes the stamps too
    assert run("export", "--out", tmp_path / "out", "--include-restricted").exit_code == 0
    assert stamps_file(tmp_path / "out") == before

    assert not (small_seed / STAMPS_FILE).exists()
    result = run("load", "--seed", small_seed)  # keeps coal-lao, coal-lbn unchanged
    assert result.exit_code == 0, result.output
    assert "stamps" not in result.stdout
    assert stamps_in(store) == before
    preview = run("load", "--seed", small_seed, "--sync", "--dry-run")
    assert preview.exit_code == 0 and "stamps" not in preview.stdout
    assert run("validate", "--seed", small_seed).stdout == (
        f"{small_seed}: valid (9 actors, 3 obligations, 2 coalitions, 1 activity, 10 relations).\n"
    )


def test_export_writes_the_stamps_and_will_not_drop_them(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    assert run("load", "--seed", SMALL_SEED).exit_code == 0
    before = use_the_workflow(store)
    assert (
        run("coalition", "set-status", "coal-secret", "forming", "--include-restricted").exit_code
        == 0
    )
    with_secret = stamps_in(store)
    out = tmp_path / "out"
    result = run("export", "--out", out, "--include-restricted")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(
        f"; the created/updated stamps of 3 coalitions in {STAMPS_FILE}."
    )
    assert stamps_file(out) == with_secret
    public = tmp_path / "public"
    assert run("export", "--out", public).exit_code == 0
    assert stamps_file(public) == before  # a restricted coalition's stamps stay out with it

    # the stamps are gone from Neo4j (a wipe from files): the export that holds them is kept
    assert run("load", "--seed", SMALL_SEED, "--wipe", "--snapshots", tmp_path / "s").exit_code == 0
    saved = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run("export", "--out", out, "--include-restricted")
    assert result.exit_code == 1
    assert f"(1 in coalitions.csv, 3 in relations.csv, 3 in {STAMPS_FILE})" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == saved
    # … and loading it puts them back
    assert run("load", "--seed", out, "--wipe", "--snapshots", tmp_path / "s").exit_code == 0
    assert stamps_in(store) == with_secret


def test_stamps_neo4j_holds_must_read_back_before_an_export(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    assert run("load", "--seed", SMALL_SEED).exit_code == 0
    lbn = "MATCH (c:Coalition {id: 'coal-lbn'}) "
    store.query(lbn + "SET c.updated = 'last week'", write=True)
    try:
        message = "neo4j: coal-lbn: updated: 'last week' is not a UTC time"
        result = run("export", "--out", tmp_path / "out")
        assert result.exit_code == 1 and message in result.stderr
        assert not (tmp_path / "out").exists()
        # a wipe still goes on: its snapshot keeps the stamp as stored, and says what is wrong
        result = run("load", "--seed", SMALL_SEED, "--wipe", "--snapshots", tmp_path / "s")
        assert result.exit_code == 0, result.output
        [snapshot] = (tmp_path / "s").iterdir()
        assert message in (snapshot / PROBLEMS_FILE).read_text(encoding="utf-8")
        assert stamps_file(snapshot) == {"coal-lbn": (None, "last week")}
        assert stamps_in(store) == {}
    finally:  # the next session's tests may start on this database
        store.query(lbn + "REMOVE c.updated", write=True)
    # a Neo4j date-time set by hand is written as its ISO text, and loads back as that text
    store.query(lbn + "SET c.updated = datetime('2026-03-02T09:15:04Z')", write=True)
    assert run("export", "--out", tmp_path / "out").exit_code == 0
    [(created, updated)] = stamps_file(tmp_path / "out").values()
    assert (created, updated) == (None, "2026-03-02T09:15:04.000000000+00:00")
    assert (
        run("load", "--seed", tmp_path / "out", "--wipe", "--snapshots", tmp_path / "s").exit_code
        == 0
    )
    assert stamps_in(store) == {"coal-lbn": (None, updated)}
