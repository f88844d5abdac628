"""Questions and "what changed" in a real browser: served on Neo4j (the shipped seed loaded),
open a question from the keyboard, fill its fields, see the answer as a table and download it
as CSV; served on a folder with two saved changes, compare its snapshots. No serious or
critical accessibility violation (axe-core) on any of these pages."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.keeping import find_record, replace_record, save_dataset
from ccm_graph.source import DataSource
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import ROOT
from .conftest import console_problems, served_workbench, wait_for
from .test_workbench_browser import axe_source

CHANGED = "Clearance of cluster munition remnants, as the 2026 plan says"
NEO4J_AXE_PAGES = [
    "/questions",
    "/questions/obligations-due-before",
    "/questions/obligations-due-before?before=2026-12-31&run=1",
    "/questions/state-profile?state=Atlantis",
    "/questions/funding-by-donor?from_year=2023&lang=fr",
]


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    """The suite's headless Chromium with no network, except the workbench on 127.0.0.1."""
    return loopback_browser


@pytest.fixture(scope="module")
def on_neo4j(neo4j_settings: ConnectionSettings) -> Iterator[str]:
    """``ccm-graph serve --from neo4j`` on a database holding the shipped seed."""
    with Store.connect(neo4j_settings) as store:
        store.query("MATCH (n) DETACH DELETE n", write=True)
        store.apply_schema()
        store.load(read_seed(ROOT / "seed"))
    env = {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USER": neo4j_settings.user,
           "NEO4J_PASSWORD": neo4j_settings.password,
           "NEO4J_DATABASE": neo4j_settings.database}  # fmt: skip
    with served_workbench(source=("--from", "neo4j"), env=env) as address:
        yield address


@pytest.fixture(scope="module")
def with_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``ccm-graph serve`` on a copy of the shipped seed after one saved change; yields its
    address and the snapshot written before the change."""
    seed = tmp_path_factory.mktemp("changed") / "seed"
    shutil.copytree(ROOT / "seed", seed)

    def later(current: Any) -> Any:
        old = find_record(current, "obligation", "ob-LAO-4")
        return replace_record(current, "obligation", old,
                              dataclasses.replace(old, description=CHANGED))  # fmt: skip

    saved = save_dataset(DataSource.at(seed), later, expected=None, summary="LAO description",
                         by="tester")  # fmt: skip
    assert saved.snapshot is not None
    with served_workbench(seed) as address:
        yield address, saved.snapshot.name


def _violations(browser: Any, url: str) -> list[Any]:
    source = axe_source()
    browser.get(url)
    browser.execute_script(source)
    browser.set_script_timeout(60)
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.help, v.nodes.length])));"
    )
    return [v for v in found if v[1] in ("serious", "critical")]


def test_ask_a_question_from_the_keyboard_and_download_the_answer(
    browser: Any, on_neo4j: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(on_neo4j + "/")
    browser.find_element(By.LINK_TEXT, "Questions").send_keys(Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/questions"), what="the questions")
    browser.find_element(By.LINK_TEXT, "state-profile").send_keys(Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/questions/state-profile"), what="the form")
    field = browser.find_element(By.ID, "p-state")
    field.send_keys("Tchad")  # a French alias: the form takes names too
    field.send_keys(Keys.ENTER)
    wait_for(lambda: "state=Tchad" in browser.current_url, what="the answer")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#result td")]
    assert cells[:2] == ["TCD", "Chad"]
    browser.find_element(By.LINK_TEXT, "All questions").send_keys(Keys.ENTER)
    browser.find_element(By.LINK_TEXT, "obligations-due-before").send_keys(Keys.ENTER)
    date = browser.find_element(By.ID, "p-before")
    assert date.get_attribute("type") == "date"
    date.send_keys("12312026")  # month, day, year: the date field's own keyboard order
    assert date.get_attribute("value") == "2026-12-31"
    browser.find_element(By.CSS_SELECTOR, 'button[name="run"]').send_keys(Keys.ENTER)
    wait_for(lambda: "before=2026-12-31" in browser.current_url, what="the obligations")
    states = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#result tr td:first-child")]
    assert "TCD" in states and "LAO" in states
    href = browser.find_element(By.LINK_TEXT, "Download CSV").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    assert [r["state"] for r in rows] == states
    assert not console_problems(browser)


@pytest.mark.parametrize("path", NEO4J_AXE_PAGES)
def test_no_serious_or_critical_violation_on_the_questions(
    browser: Any, on_neo4j: str, path: str
) -> None:
    assert not _violations(browser, on_neo4j + path)


def test_compare_snapshots_from_the_keyboard(browser: Any, with_snapshots: tuple[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    address, snapshot = with_snapshots
    browser.get_log("browser")  # earlier pages' messages (a 400 answer on purpose) go
    browser.get(address + "/history")
    choice = browser.find_element(By.ID, "compare-to")
    choice.send_keys(Keys.END)  # the last choice: the data now
    assert choice.get_attribute("value") == "current"
    browser.find_element(By.CSS_SELECTOR, "form.compare button").send_keys(Keys.ENTER)
    wait_for(lambda: "/history/diff" in browser.current_url, what="the comparison")
    assert f"from={snapshot}" in browser.current_url and "to=current" in browser.current_url
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "Lao PDR" in body and CHANGED in body
    browser.get(address + "/history")
    browser.find_element(By.LINK_TEXT, "What changed").send_keys(Keys.ENTER)
    wait_for(lambda: "/history/diff" in browser.current_url, what="what changed")
    assert f"from={snapshot}" in browser.current_url and "to=current" in browser.current_url
    assert not _violations(browser, address + "/history")
    assert not _violations(browser, address + f"/history/diff?from={snapshot}&to=current")
    assert not console_problems(browser)
