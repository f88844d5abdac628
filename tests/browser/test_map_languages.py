"""The MASG map in French and Spanish, in a real browser: what a person sees is in that
language (no English fixed text from the catalog's list), and the year filter, the panel
toggle, the card and the search still work. A full-page screenshot of the French map goes to
``test-artifacts/`` for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ccm_graph.i18n import translator

from ..unit.test_maps_i18n import leftovers, payload_of
from .conftest import console_problems, js, leaks, open_page, requests_made, wait_for
from .test_brief_browser import full_page_png

LANGS = ("fr", "es")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``ccm-graph map --preset masg --gaps --lang fr|es`` on the shipped seed."""
    from click.testing import CliRunner

    from ccm_graph.cli import cli

    folder = tmp_path_factory.mktemp("languages")
    made = {}
    for lang in LANGS:
        path = folder / f"masg-{lang}.html"
        args = ["map", "--preset", "masg", "--gaps", "--lang", lang, "--out", str(path)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        made[lang] = path
    return made


SHOWN_TEXT = """
var parts = [document.getElementById('map-title').textContent,
             document.querySelector('.meta').firstChild.textContent,
             document.getElementById('panel').innerText,
             document.getElementById('search').placeholder,
             document.getElementById('map').getAttribute('aria-label'),
             document.getElementById('details-close').getAttribute('aria-label'),
             document.getElementById('panel-toggle').textContent,
             document.getElementById('save-png').textContent];
document.querySelectorAll('#paper option, #year-from option, #year-to option')
  .forEach(function (o) { parts.push(o.textContent); });
return parts.join('\\n');
"""

CARD_LABELS = """
var card = document.getElementById('details').cloneNode(true);
card.querySelectorAll('dd, .card-title, .card-gaps li').forEach(function (n) { n.remove(); });
return card.textContent;
"""


def counts(browser: Any) -> dict[str, int]:
    return js(browser, "return window.ccmMap.counts()")


@pytest.mark.parametrize("lang", LANGS)
def test_the_masg_map_speaks_the_language_and_still_works(
    browser: Any, pages: dict[str, Path], lang: str
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _ = translator(lang)
    path = pages[lang]
    open_page(browser, path)
    assert js(browser, "return document.documentElement.lang") == lang
    shown = js(browser, SHOWN_TEXT)
    assert _("Legend and filters") in shown and _("Period") in shown
    assert _("Affected State Party (open Article 3 or 4 obligation)") in shown
    assert leftovers(shown, lang) == []

    # the year filter: the same relations as in English for 2020–2022
    payload = payload_of(path.read_text(encoding="utf-8"))

    def kept(e: dict) -> bool:
        if "years" not in e:
            return True
        start, end = e["years"]
        return (end is None or end >= 2020) and (start is None or start <= 2022)

    Select(browser.find_element(By.ID, "year-from")).select_by_value("2020")
    Select(browser.find_element(By.ID, "year-to")).select_by_value("2022")
    c = counts(browser)
    assert c["edges"] == c["drawnEdges"] == sum(map(kept, payload["edges"])) < c["totalEdges"]
    status = js(browser, "return document.getElementById('status').textContent")
    assert str(c["edges"]) in status and leftovers(status, lang) == []
    Select(browser.find_element(By.ID, "year-from")).select_by_value("")
    Select(browser.find_element(By.ID, "year-to")).select_by_value("")
    assert counts(browser)["edges"] == counts(browser)["totalEdges"]

    # the panel folds away and says so in the language
    toggle = browser.find_element(By.ID, "panel-toggle")
    toggle.click()
    assert js(browser, "return getComputedStyle(document.getElementById('panel')).display") \
        == "none"  # fmt: skip
    assert toggle.text == _("Show panel") != "Show panel"
    toggle.click()
    assert toggle.text == _("Hide panel")

    # the card: its labels and relation wording in the language, the State's own name
    card = js(browser, "return window.ccmMap.showCard('node', 'TCD')")
    name = {"fr": "Tchad", "es": "Chad"}[lang]
    assert card.startswith(name)
    assert _("Relations on this map ({count})").split(" (")[0] in card
    assert _("has obligation") + " \u2192 " + name in card
    labels = js(browser, CARD_LABELS)
    assert _("Region") in labels and leftovers(labels, lang) == []

    # search: every name finds the State (the English one, both aliases, the id), and the
    # records whose names hold it (Chad's obligations: "Chad: Article 4 (clearance)" too)
    search = browser.find_element(By.ID, "search")
    for text in ("Chad", "Tchad", "TCD"):
        expected = sorted(
            n["id"]
            for n in payload["nodes"]
            if text.lower() in " ".join([n["id"], n["label"], *n.get("aliases", [])]).lower()
        )
        assert "TCD" in expected
        search.clear()
        search.send_keys(text)
        size = len(expected)
        wait_for(lambda: counts(browser)["matches"] == size, what=f"Chad by {text!r}")  # noqa: B023
        assert sorted(js(browser, "return window.ccmMap.network.getSelectedNodes()")) == expected
    message = js(browser, "return document.getElementById('search-status').textContent")
    matched = _(" record matches") if len(expected) == 1 else _(" records match")
    assert message.startswith(f"{len(expected)}{matched}") and leftovers(message, lang) == []
    search.clear()
    search.send_keys("zzzz")
    wait_for(lambda: js(browser, "return document.getElementById('search-status')"
                                 ".textContent") == _("No record matches."),
             what="the no-match message")  # fmt: skip
    assert leaks(requests_made(browser)) == []
    assert console_problems(browser) == []


def test_full_page_screenshot_of_the_french_masg_map(browser: Any, pages: dict[str, Path]) -> None:
    open_page(browser, pages["fr"])
    wait_for(lambda: js(browser, "return window.ccmMapTiming.stabilized !== undefined"),
             timeout=60, what="the layout to settle")  # fmt: skip
    js(browser, "window.ccmMap.showCard('node', 'TCD')")
    assert full_page_png(browser, "masg-fr-full").stat().st_size > 10_000
