"""The coalition workflow in a real browser, on ``ccm-graph serve`` over a copy of the shipped
seed: propose a coalition from a State's page and add a member, from the keyboard (Tab and
Enter through the forms); a member who holds another role is asked about first; no serious or
critical accessibility violation (axe-core) on the new pages, a form with problems and the
question included."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.dataset import read_seed

from ..conftest import ROOT
from .conftest import body_text, console_problems, served_workbench, wait_for
from .test_workbench_keeping_browser import axe_violations


@pytest.fixture(scope="module")
def browser(loopback_browser: Any) -> Any:
    return loopback_browser


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("coalitions") / "seed"
    shutil.copytree(ROOT / "seed", folder)
    return folder


@pytest.fixture(scope="module")
def workbench(seed_copy: Path) -> Iterator[str]:
    with served_workbench(seed_copy) as address:
        yield address


def typed(browser: Any, text: str) -> None:
    """Type into the element that has the focus, then Tab to the next one."""
    from selenium.webdriver.common.keys import Keys

    browser.switch_to.active_element.send_keys(text)
    browser.switch_to.active_element.send_keys(Keys.TAB)


def focused(browser: Any) -> str:
    return str(browser.switch_to.active_element.get_attribute("id") or "")


def members(seed: Path, coalition: str) -> set[tuple[str, str | None]]:
    return {(r.from_id, r.role) for r in read_seed(seed).relations
            if r.type == "MEMBER_OF" and r.to_id == coalition}  # fmt: skip


def test_propose_a_coalition_and_add_a_member(
    browser: Any, workbench: str, seed_copy: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(workbench + "/state/LAO")
    browser.find_element(By.LINK_TEXT, "Propose a coalition").send_keys(Keys.ENTER)
    wait_for(lambda: "/coalition/new?focus=LAO" in browser.current_url, what="the form")
    focus = browser.find_element(By.ID, "p-focus")
    assert focus.get_attribute("value") == "LAO"
    focus.send_keys(Keys.TAB)  # from the focus State, Tab by Tab through the form
    assert focused(browser) == "p-name"
    typed(browser, "Lao PDR Country Coalition")
    assert focused(browser) == "p-lead"
    typed(browser, "Netherlands")
    assert focused(browser) == "p-notes"
    typed(browser, "Proposed at the side event on clearance")
    assert focused(browser) == "p-source"
    typed(browser, "14MSP side event")
    assert focused(browser) == "p-any_state"  # left unticked: Lao PDR has an Article 4 duty
    browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # "Propose the coalition"
    wait_for(lambda: "done=proposed" in browser.current_url, what="the new coalition")
    assert browser.current_url.endswith("/coalition/coal-lao?done=proposed")
    assert "The coalition is proposed" in body_text(browser)
    assert members(seed_copy, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    assert not axe_violations(browser)

    browser.find_element(By.ID, "m-actor").send_keys("HALO Trust", Keys.TAB)
    assert focused(browser) == "m-role"
    typed(browser, "operator")  # a drop-down chooses by the first letters typed
    assert focused(browser) == "m-since"
    typed(browser, "2026-09")
    typed(browser, "Lao PDR Round Table Meeting")
    browser.switch_to.active_element.send_keys(Keys.ENTER)  # "Add the member"
    wait_for(lambda: "done=added" in browser.current_url, what="the member added")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "The member is added." in main and "The HALO Trust" in main
    history = browser.find_element(By.ID, "coalition-history").text
    assert "coalition add-member coal-lao halo-trust --role operator" in history
    assert "coalition propose coal-lao --focus LAO --lead NLD" in history
    assert ("halo-trust", "operator") in members(seed_copy, "coal-lao")
    assert not console_problems(browser)


def test_a_second_role_is_asked_about_and_a_refused_form_says_why(
    browser: Any, workbench: str, seed_copy: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    browser.get(workbench + "/coalition/new?focus=TCD")
    browser.find_element(By.ID, "p-name").send_keys("Chad Country Coalition")
    browser.find_element(By.ID, "p-lead").send_keys("NLD")
    browser.find_element(By.CSS_SELECTOR, "main form button").send_keys(Keys.ENTER)
    wait_for(lambda: "done=proposed" in browser.current_url, what="the new coalition")
    browser.get_log("browser")
    browser.find_element(By.ID, "m-actor").send_keys("the Netherlands")
    Select(browser.find_element(By.ID, "m-role")).select_by_value("partner")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/members'] button").send_keys(Keys.ENTER)
    wait_for(lambda: "Make it partner instead?" in body_text(browser), what="the question")
    assert "Netherlands (Kingdom of the) is already a member as lead." in body_text(browser)
    assert ("NLD", "partner") not in members(seed_copy, "coal-tcd")  # not before the answer
    assert not axe_violations(browser)
    browser.find_element(By.XPATH, "//button[text()='Make it partner']").send_keys(Keys.ENTER)
    wait_for(lambda: "done=replaced" in browser.current_url, what="the role changed")
    assert ("NLD", "partner") in members(seed_copy, "coal-tcd")
    assert ("NLD", "lead") not in members(seed_copy, "coal-tcd")

    browser.get(workbench + "/coalition/new")
    browser.find_element(By.ID, "p-focus").send_keys("NLD")
    browser.find_element(By.CSS_SELECTOR, "main form button").send_keys(Keys.ENTER)
    wait_for(lambda: browser.find_elements(By.ID, "p-name-problems"), what="the problems")
    assert "a coalition needs a name" in browser.find_element(By.ID, "p-name-problems").text
    [refused] = console_problems(browser)  # the form sent back with its problems: a 400
    assert "status of 400" in refused
    assert not axe_violations(browser)


@pytest.mark.parametrize("path", ["/coalition/new?focus=LAO", "/coalition/coal-bih"])
def test_no_serious_or_critical_accessibility_violation_on_the_coalition_pages(
    browser: Any, workbench: str, path: str
) -> None:
    browser.get(workbench + path)
    assert not axe_violations(browser)
