"""Signing in to the workbench in a real browser, from the keyboard: the sign-in page, your
name on every page, the map page drawing with its scripts as files under the pages' policy,
the accounts page, signing out; no serious accessibility violation on the new pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ccm_graph.accounts import FileAccounts

from ..conftest import ROOT
from .conftest import console_problems, served_workbench, wait_for
from .test_workbench_browser import axe_source

PASSWORD = "a long enough secret"


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    """The suite's headless Chromium with no network, except the workbench on 127.0.0.1."""
    return loopback_browser


@pytest.fixture(scope="module")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``ccm-graph serve`` on the shipped seed with an accounts file of one admin."""
    accounts = tmp_path_factory.mktemp("accounts") / "team.accounts.json"
    FileAccounts(accounts).add("ann", "admin", PASSWORD)
    with served_workbench(ROOT / "seed", "--accounts", str(accounts)) as address:
        yield address


def sign_in_from_the_keyboard(browser: Any, workbench: str, path: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(workbench + path)
    wait_for(lambda: "/login?next=" in browser.current_url, what="the sign-in page")
    name = browser.find_element(By.ID, "name")
    name.send_keys("ann", Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "password"
    focused.send_keys(PASSWORD, Keys.ENTER)
    wait_for(lambda: browser.current_url == workbench + path, what="the page asked for")


def test_sign_in_from_the_keyboard_see_your_name_and_sign_out(browser: Any, workbench: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in_from_the_keyboard(browser, workbench, "/state/TCD")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Chad")
    assert "Signed in as ann" in browser.find_element(By.ID, "signed-in").text
    assert browser.find_element(By.LINK_TEXT, "Accounts")
    assert not console_problems(browser)
    button = browser.find_element(By.CSS_SELECTOR, "form.account button")
    button.send_keys(Keys.ENTER)
    wait_for(lambda: browser.current_url.endswith("/login"), what="the sign-in page")
    browser.get(workbench + "/")
    wait_for(lambda: "/login?next=" in browser.current_url, what="signed out")
    assert not browser.find_elements(By.ID, "signed-in")


def test_the_map_page_draws_with_its_scripts_as_files(browser: Any, workbench: str) -> None:
    sign_in_from_the_keyboard(browser, workbench, "/map?preset=masg")
    browser.get_log("browser")
    browser.get(workbench + "/map?preset=masg")
    wait_for(lambda: browser.execute_script(
        "return document.body.getAttribute('data-map-ready') === 'true'"
    ), timeout=60, what="the map to draw")  # fmt: skip
    assert not console_problems(browser)


@pytest.mark.parametrize("path", ["/login", "/admin/accounts"])
def test_no_serious_accessibility_violation_on_the_sign_in_pages(
    browser: Any, workbench: str, path: str
) -> None:
    source = axe_source()
    if path != "/login":
        sign_in_from_the_keyboard(browser, workbench, path)
    else:
        browser.delete_all_cookies()
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
