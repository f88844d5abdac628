"""The workbench for a team on one Neo4j (#21): a change made by the CLI or by another
process shows at every user's next request; saves made at once by several processes lose
nothing (each is planned against the reading it was made from, and made again when another
write came in between); two editors of one record get the conflict page; every session of a
store passes the store's bookmarks on (what a cluster needs to read its own writes)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store
from ccm_graph.workbench import create_app

from ..conftest import ROOT, SMALL_SEED
from ..unit.test_workbench_conflicts import form_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.neo4j

RENAME = """
import dataclasses, sys
from ccm_graph.keeping import find_record, replace_record, save_dataset
from ccm_graph.source import DataSource

snapshots, ident, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with DataSource.neo4j() as source:
    for name in names:
        def rename(current):
            old = find_record(current, "actor", ident)
            return replace_record(current, "actor", old, dataclasses.replace(old, name=name))

        save_dataset(source, rename, expected=None, summary="renamed", snapshots_dir=snapshots)
"""
"""What another workbench process does when someone saves there: its own driver, its own
cache, the same database."""


@pytest.fixture
def loaded(
    store: Store, neo4j_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The small seed in Neo4j; the environment another process needs to reach it. The
    workbench's snapshots go to the test's folder."""
    store.load(read_seed(SMALL_SEED))
    monkeypatch.chdir(tmp_path)
    clear_cache()
    yield {**os.environ, **neo4j_env}
    clear_cache()


def _run(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(args, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)


def _finished(process: subprocess.Popen[str]) -> None:
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, errors


def test_the_cli_and_another_process_show_at_every_user_s_next_request(
    loaded: dict[str, str], neo4j_settings: ConnectionSettings, tmp_path: Path
) -> None:
    with DataSource.neo4j(neo4j_settings) as source:
        app = create_app(source)
        one, other = TestClient(app), TestClient(app)
        assert "Lao PDR" in one.get("/state/LAO").text
        shown = '<th scope="row">Status</th><td>{}</td>'  # the fact, not the status form
        assert shown.format("active") in other.get("/coalition/coal-lbn").text
        cli = Path(sys.executable).parent / "ccm-graph"
        _finished(_run(loaded, str(cli), "coalition", "set-status", "coal-lbn", "concluded"))
        assert shown.format("concluded") in one.get("/coalition/coal-lbn").text
        assert shown.format("concluded") in other.get("/coalition/coal-lbn").text
        _finished(_run(loaded, sys.executable, "-c", RENAME, str(tmp_path), "LAO", "Laos"))
        assert "Laos" in one.get("/state/LAO").text
        assert "Laos" in other.get("/state/LAO").text


def test_processes_saving_at_once_lose_no_edit(
    loaded: dict[str, str], store: Store, tmp_path: Path
) -> None:
    names = {ident: [f"{ident} {i}" for i in range(5)] for ident in ("LAO", "LBN", "NLD")}
    running = [_run(loaded, sys.executable, "-c", RENAME, str(tmp_path), ident, *given)
               for ident, given in names.items()]  # fmt: skip
    for process in running:
        _finished(process)
    actors = {a.id: a.name for a in store.read_dataset().actors}
    assert [actors[i] for i in names] == ["LAO 4", "LBN 4", "NLD 4"]


def test_two_editors_of_one_record_on_neo4j_get_the_conflict_page(
    loaded: dict[str, str], neo4j_settings: ConnectionSettings, store: Store
) -> None:
    with DataSource.neo4j(neo4j_settings) as source:
        app = create_app(source)
        first, second = TestClient(app), TestClient(app)
        form_1 = form_of(first.get("/edit/actor/LAO").text)
        form_2 = form_of(second.get("/edit/actor/LAO").text)
        assert first.post("/edit/actor/LAO", data={**form_1, "name": "Laos"}).status_code == 200
        refused = second.post("/edit/actor/LAO", data={**form_2, "name": "Lao P.D.R."})
        assert refused.status_code == 409 and "Someone else saved this record" in refused.text
        assert {a.id: a.name for a in store.read_dataset().actors}["LAO"] == "Laos"
        assert second.post("/edit/actor/LAO", data=form_of(refused.text)).status_code == 200
        assert {a.id: a.name for a in store.read_dataset().actors}["LAO"] == "Lao P.D.R."


def test_a_read_after_a_write_is_opened_with_the_write_s_bookmark(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On one server every read sees every committed write anyway; what a cluster adds is
    that the read waits for the bookmark. Here: the bookmark exists and is passed on."""
    opened: list[neo4j.Bookmarks] = []
    real = store.driver.session

    def spy(**config: object) -> neo4j.Session:
        manager = config["bookmark_manager"]
        assert manager is store.bookmarks
        opened.append(store.bookmarks.get_bookmarks())
        return real(**config)  # type: ignore[arg-type]

    monkeypatch.setattr(store.driver, "session", spy)
    store.query("CREATE (:Scratch {n: 1})", write=True, check_read_only=False)
    after_write = store.bookmarks.get_bookmarks()
    assert after_write  # the server gave the write's bookmark to the manager
    rows = store.query("MATCH (s:Scratch) RETURN s.n AS n").rows
    assert rows == [{"n": 1}]
    assert set(after_write) <= set(opened[-1])  # the read started after the write
    records, _, _ = store.driver.execute_query("MATCH (s:Scratch) RETURN count(s) AS n")
    assert records[0]["n"] == 1 and set(after_write) <= set(store.bookmarks.get_bookmarks())
