"""Two people saving one record, in a real browser (#21): someone else saves the record while
the page is open; Save, from the keyboard, shows the conflict page (the values the form started
from, stored now and the person's own), with no serious or critical accessibility violation;
Save again writes the person's values on top of the stored record."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.dataset import read_seed

from ..conftest import ROOT
from .conftest import body_text, console_problems, served_workbench, wait_for
from .test_workbench_keeping_browser import axe_violations, type_into


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    return loopback_browser


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("conflict") / "seed"
    shutil.copytree(ROOT / "seed", folder)
    return folder


@pytest.fixture(scope="module")
def workbench(seed_copy: Path) -> Iterator[str]:
    with served_workbench(seed_copy) as address:
        yield address


def someone_else_saves(workbench: str, notes: str) -> None:
    """Another editor, in another browser: open the form of LAO and save it with ``notes``."""
    import httpx

    with httpx.Client(base_url=workbench, timeout=60) as http:
        page = http.get("/edit/actor/LAO").text
        sent = dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="text" value="([^"]*)"',
                               page))  # fmt: skip
        sent |= dict(re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>',
                                page))  # fmt: skip
        for name, options in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>',
                                        page, re.S):  # fmt: skip
            chosen = re.search(r'<option value="([^"]*)" selected>', options)
            sent[name] = chosen.group(1) if chosen else ""
        sent |= dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        sent = {k: html.unescape(v) for k, v in sent.items()}
        saved = http.post("/edit/actor/LAO", data={**sent, "notes": notes})
        assert saved.status_code == 200, saved.text[:300]


def test_the_second_save_shows_both_and_saves_knowingly_from_the_keyboard(
    browser: Any, workbench: str, seed_copy: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(workbench + "/edit/actor/LAO")
    type_into(browser, "f-name", "Lao P.D.R.")
    someone_else_saves(workbench, "checked by a colleague")
    browser.find_element(By.CSS_SELECTOR, "form.record button").send_keys(Keys.ENTER)
    wait_for(lambda: "Someone else saved this record" in body_text(browser),
             what="the conflict page")  # fmt: skip
    [refused] = console_problems(browser)
    assert "status of 409" in refused
    table = browser.find_element(By.CSS_SELECTOR, ".conflict table").text
    assert "checked by a colleague" in table and "Lao P.D.R." in table
    assert not axe_violations(browser)
    leave = browser.find_element(By.LINK_TEXT, "Leave without saving")
    assert leave.get_attribute("href").endswith("/")
    assert browser.find_element(By.ID, "f-notes").get_attribute("value") == (
        "checked by a colleague"
    )
    browser.find_element(By.CSS_SELECTOR, "form.record button").send_keys(Keys.ENTER)
    wait_for(lambda: "The change is written" in body_text(browser), what="the saved page")
    [lao] = [a for a in read_seed(seed_copy).actors if a.id == "LAO"]
    assert (lao.name, lao.notes) == ("Lao P.D.R.", "checked by a colleague")
