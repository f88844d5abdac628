"""The workbench in a real browser, served by ``ccm-graph serve`` (uvicorn) on a free port:
find Chad as "Tchad" from the keyboard, open its brief in French, sort the support table and
download it; no serious or critical accessibility violation (axe-core, vendored by ``npm ci``)
on the main pages; the style sheet applies and the pages' policy refuses nothing of theirs."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from ..conftest import ROOT, in_ci
from .conftest import console_problems, screenshot, served_workbench, wait_for

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PAGES = ["/", "/state/TCD", "/actor/NLD", "/coalition/coal-mne", "/search?q=e",
             "/state/no-such-state", "/questions", "/questions/state-profile"]  # fmt: skip


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    """The suite's headless Chromium with no network, except the workbench on 127.0.0.1."""
    return loopback_browser


@pytest.fixture(scope="module")
def workbench() -> Iterator[str]:
    """The address of ``ccm-graph serve`` on the shipped seed (stopped with Ctrl-C after)."""
    with served_workbench(ROOT / "seed") as address:
        yield address


def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run scripts/install-axe (npm ci)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def test_find_tchad_from_the_keyboard_and_open_its_brief_in_french(
    browser: Any, workbench: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(workbench + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("Tchad")
    box.send_keys(Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/state/TCD"), what="Chad's page")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Chad")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart title")
    french = browser.find_element(By.CSS_SELECTOR, '.actions a[hreflang="fr"]')
    french.send_keys(Keys.ENTER)
    wait_for(lambda: "/brief/TCD?lang=fr" in browser.current_url, what="the French brief")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Tchad" in browser.find_element(By.TAG_NAME, "body").text
    assert not console_problems(browser)


def test_sort_the_support_table_and_download_it(browser: Any, workbench: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(workbench + "/")
    border = browser.execute_script(
        "return getComputedStyle(document.querySelector('header')).borderBottomStyle"
    )
    assert border == "solid"  # the style sheet applies under the policy
    first = browser.find_element(By.CSS_SELECTOR, "table.support tr:nth-child(2) th").text
    browser.find_element(By.LINK_TEXT, "Deadline").click()
    wait_for(lambda: "sort=deadline" in browser.current_url, what="the sorted table")
    heading = browser.find_element(By.CSS_SELECTOR, 'th[aria-sort="ascending"]')
    assert heading.text == "Deadline"
    browser.find_element(By.LINK_TEXT, "Deadline").click()
    wait_for(lambda: "order=desc" in browser.current_url, what="the reversed table")
    assert browser.find_element(By.CSS_SELECTOR, 'th[aria-sort="descending"]')
    assert browser.find_element(By.CSS_SELECTOR, "table.support tr:nth-child(2) th").text
    assert first  # the default order had a first row too
    href = browser.find_element(By.ID, "download-csv").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.read().decode("utf-8").startswith("state,")
    assert not console_problems(browser)
    screenshot(browser, "workbench-overview")


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_or_critical_accessibility_violation(
    browser: Any, workbench: str, path: str
) -> None:
    source = axe_source()
    browser.get(workbench + path)
    browser.execute_script(source)
    browser.set_script_timeout(60)
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map("
        "v => [v.id, v.impact, v.help, v.nodes.length])));"
    )
    serious = [v for v in found if v[1] in ("serious", "critical")]
    assert not serious, serious


def test_a_missing_page_answers_404(workbench: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(workbench + "/actor/no-such-actor", timeout=30)
    assert caught.value.code == 404
