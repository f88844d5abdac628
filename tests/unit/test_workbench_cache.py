"""The workbench's shared cache on a seed folder (#21): a change made by one request, by
another workbench process on the same folder, or by any other writer shows at the next request
of every user; the Store's sessions carry one bookmark manager (the Neo4j side is in
tests/integration/test_workbench_team.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from ccm_graph import dataset as dataset_module
from ccm_graph.dataset import read_seed
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import Store
from ccm_graph.workbench import create_app

from ..conftest import ROOT, SMALL_SEED
from .test_workbench_keeping import form_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

RENAME = """
import dataclasses, sys
from ccm_graph.keeping import find_record, replace_record, save_dataset
from ccm_graph.source import DataSource

folder, ident, names = sys.argv[1], sys.argv[2], sys.argv[3:]
for name in names:
    def rename(current):
        old = find_record(current, "actor", ident)
        return replace_record(current, "actor", old, dataclasses.replace(old, name=name))

    save_dataset(DataSource.at(folder), rename, expected=None, summary="renamed elsewhere")
"""
"""What another workbench process does when someone saves there: its own cache, its own
locks, the same folder."""


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


def test_a_save_in_one_request_shows_at_every_user_s_next_request(folder: Path) -> None:
    app = create_app(DataSource.at(folder))
    editor, reader = TestClient(app), TestClient(app)
    assert "Lao PDR" in reader.get("/state/LAO").text  # the reading is cached now
    sent = {**form_of(editor.get("/edit/actor/LAO").text), "name": "Laos"}
    assert editor.post("/edit/actor/LAO", data=sent).status_code == 200
    assert "Laos" in reader.get("/state/LAO").text
    assert "Laos" in reader.get("/search?q=Laos").text


def test_a_save_by_another_workbench_process_shows_at_the_next_request(folder: Path) -> None:
    app = create_app(DataSource.at(folder))
    first, second = TestClient(app), TestClient(app)
    assert "Lao PDR" in first.get("/state/LAO").text
    assert "Lao PDR" in second.get("/state/LAO").text
    for name in ("Laos", "Lao P.D.R."):  # twice within a second: same size, same instant
        done = subprocess.run([sys.executable, "-c", RENAME, str(folder), "LAO", name], cwd=ROOT,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert name in first.get("/state/LAO").text
        assert name in second.get("/state/LAO").text


def test_two_workbenches_on_one_folder_see_each_other_s_saves(folder: Path) -> None:
    one = TestClient(create_app(DataSource.at(folder)))
    other = TestClient(create_app(DataSource.at(folder)))
    assert "Lao PDR" in other.get("/state/LAO").text
    sent = {**form_of(one.get("/edit/actor/LAO").text), "name": "Laos"}
    assert one.post("/edit/actor/LAO", data=sent).status_code == 200
    assert "Laos" in other.get("/state/LAO").text


def test_two_processes_saving_one_folder_at_once_lose_nothing(folder: Path) -> None:
    names = {"LAO": [f"Laos {i}" for i in range(6)], "LBN": [f"Lebanon {i}" for i in range(6)]}
    running = [subprocess.Popen([sys.executable, "-c", RENAME, str(folder), ident, *given],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for ident, given in names.items()]  # fmt: skip
    for process in running:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
    actors = {a.id: a.name for a in read_seed(folder).actors}
    assert (actors["LAO"], actors["LBN"]) == ("Laos 5", "Lebanon 5")
    assert (folder.parent / "snapshots" / "workbench-history.jsonl").read_text().count("\n") == 12


def test_requests_that_find_the_data_changed_at_once_share_one_reading(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = DataSource.at(folder)
    source.read()
    reads: list[str] = []
    first_inside, go = threading.Event(), threading.Event()
    real = dataset_module.read_data

    def held(path: str | os.PathLike[str]) -> dataset_module.Dataset:
        reads.append(str(path))
        first_inside.set()
        go.wait(timeout=60)  # the other requests ask while this reading is under way
        return real(path)

    monkeypatch.setattr(dataset_module, "read_data", held)
    with (folder / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("added,civil_society,Added,,,,,public,test,\n")
    readings: list[object] = []
    threads = [threading.Thread(target=lambda: readings.append(source.read())) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert first_inside.wait(timeout=60)
    go.set()
    for thread in threads:
        thread.join(timeout=120)
    assert len(reads) == 1 and len(readings) == 8
    assert all(r is readings[0] for r in readings)
    assert "added" in source.graph()


def test_every_session_of_a_store_carries_one_bookmark_manager(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = neo4j.GraphDatabase.driver("bolt://127.0.0.1:9", auth=("neo4j", "unused"))
    opened: list[dict[str, object]] = []
    real = driver.session

    def spy(**config: object) -> neo4j.Session:
        opened.append(config)
        return real(**config)  # type: ignore[arg-type]

    monkeypatch.setattr(driver, "session", spy)
    try:
        store, other = Store(driver, "neo4j"), Store(driver, "neo4j")
        store.session().close()
        other.session().close()
        mine = neo4j.GraphDatabase.bookmark_manager()
        Store(driver, "neo4j", bookmark_manager=mine).session().close()
    finally:
        driver.close()
    shared = driver.execute_query_bookmark_manager
    assert [c["bookmark_manager"] for c in opened] == [shared, shared, mine]
    assert all(c["database"] == "neo4j" for c in opened)
