"""Keeping the data current in a real browser, on ``ccm-graph serve`` over a copy of the shipped
seed: fix a "to verify" item with its source from the keyboard and see the support table
change; upload a workbook with an error and read "sheet:row: problem"; upload a good one,
preview, apply, and find it in the history; no serious or critical accessibility violation
(axe-core) on the new pages, a form with problems included."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.dataset import read_seed

from ..conftest import ROOT
from .conftest import body_text, console_problems, served_workbench, wait_for
from .test_workbench_browser import axe_source

AXE_PAGES = ["/verify", "/verify/decision:ob-LAO-4", "/edit/actor/LAO", "/upload", "/history",
             "/edit/relation/new?type=FUNDS&to=LAO"]  # fmt: skip


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    return loopback_browser


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keeping") / "seed"
    shutil.copytree(ROOT / "seed", folder)
    return folder


@pytest.fixture(scope="module")
def workbench(seed_copy: Path) -> Iterator[str]:
    """``ccm-graph serve`` on the copy (its snapshots go beside it)."""
    with served_workbench(seed_copy) as address:
        yield address


def support_row(browser: Any, workbench: str, state: str) -> str:
    from selenium.webdriver.common.by import By

    browser.get(workbench + "/")
    for row in browser.find_elements(By.CSS_SELECTOR, "table.support tr"):
        if f"({state})" in row.text:
            return str(row.text)
    raise AssertionError(f"{state} is not in the support table")


def type_into(browser: Any, ident: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.find_element(By.ID, ident)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(text)


def axe_violations(browser: Any) -> list[Any]:
    browser.execute_script(axe_source())
    browser.set_script_timeout(60)
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.help, v.nodes.length])));"
    )
    return [v for v in found if v[1] in ("serious", "critical")]


def test_fix_an_item_with_its_source_and_see_the_support_table_change(
    browser: Any, workbench: str, seed_copy: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    before = support_row(browser, workbench, "LAO")
    assert "2025-08-01" in before
    browser.find_element(By.LINK_TEXT, "To verify").send_keys(Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/verify"), what="the queue")
    item = browser.find_element(By.CSS_SELECTOR, 'a[href="/verify/decision:ob-LAO-4"]')
    item.send_keys(Keys.ENTER)
    wait_for(lambda: "decision:ob-LAO-4" in browser.current_url, what="the item's form")
    type_into(browser, "f-deadline", "2030-08-01")
    type_into(browser, "f-extensions", "2")
    type_into(browser, "f-granted_by", "9MSP;13MSP")
    Select(browser.find_element(By.ID, "f-request_outcome")).select_by_value("granted")
    type_into(browser, "s-source_url", "example.org")  # no https: refused, nothing saved
    browser.find_element(By.CSS_SELECTOR, "form.record button").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".problems"), what="the problems")
    assert "starting with https://" in browser.find_element(By.TAG_NAME, "main").text
    [refused] = console_problems(browser)  # the form sent back with its problems: a 400
    assert "status of 400" in refused
    assert not axe_violations(browser)
    type_into(browser, "s-source_url", "https://www.clusterconvention.org/13msp-decisions")
    type_into(browser, "s-source_date", "2025-09")
    type_into(browser, "s-excerpt", "the 13MSP granted an extension until 1 August 2030")
    browser.find_element(By.CSS_SELECTOR, "form.record button").send_keys(Keys.ENTER)
    wait_for(lambda: "The change is written" in body_text(browser), what="the saved page")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert str(seed_copy.parent / "snapshots") in main  # where the snapshot is
    after = support_row(browser, workbench, "LAO")
    assert "2030-08-01" in after and "2025-08-01" not in after
    assert not console_problems(browser)
    written = {(e.field, e.value) for e in read_seed(seed_copy).evidence if e.record == "ob-LAO-4"}
    assert {("deadline", "2030-08-01"), ("extension.2.granted_by", "13MSP"),
            ("request_outcome", "granted")} <= written  # fmt: skip
    assert ("deadline", "2025-08-01") not in written  # the rows of the old value are replaced


def _workbook(seed: Path, path: Path, edit: tuple[str, int, str, str]) -> Path:
    import openpyxl

    from ccm_graph.workbook import write_workbook

    write_workbook(read_seed(seed).without_restricted(), path)
    book = openpyxl.load_workbook(path)
    sheet, row, column, value = edit
    header = [c.value for c in book[sheet][1]]
    book[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    return path


def test_upload_a_workbook_with_an_error_then_a_good_one_and_apply_it(
    browser: Any, workbench: str, seed_copy: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    bad = _workbook(seed_copy, tmp_path / "bad.xlsx", ("actors", 3, "region", "atlantis"))
    browser.get(workbench + "/upload")
    browser.find_element(By.ID, "workbook").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "main form button").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_elements(By.ID, "upload-problems"), what="the problems")
    problems = browser.find_element(By.ID, "upload-problems").text
    assert "actors:3: region: 'atlantis' is not one of" in problems
    [refused] = console_problems(browser)  # the workbook's problems come with a 400
    assert "status of 400" in refused
    good = _workbook(seed_copy, tmp_path / "good.xlsx", ("actors", 2, "name", "Botswana (renamed)"))
    browser.find_element(By.ID, "workbook").send_keys(str(good))
    browser.find_element(By.CSS_SELECTOR, "main form button").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_elements(By.ID, "preview-changed"), what="the preview")
    assert "Botswana (renamed)" in browser.find_element(By.ID, "preview-changed").text
    assert not browser.find_elements(By.ID, "preview-removed")
    assert not axe_violations(browser)
    browser.find_element(By.XPATH, "//button[text()='Apply these changes']").send_keys(Keys.ENTER)
    wait_for(lambda: "The change is written" in body_text(browser), what="the applied workbook")
    browser.find_element(By.CSS_SELECTOR, "main a[href='/history']").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_elements(By.ID, "history"), what="the history")
    assert "workbook upload: actor ~1" in browser.find_element(By.ID, "history").text
    assert "Botswana (renamed)" in {a.name for a in read_seed(seed_copy).actors}
    assert not console_problems(browser)


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_or_critical_accessibility_violation_on_the_keeping_pages(
    browser: Any, workbench: str, path: str
) -> None:
    browser.get(workbench + path)
    assert not axe_violations(browser)
