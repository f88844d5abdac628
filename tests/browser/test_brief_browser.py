"""Hand-outs in a real browser: offline, nothing injected, nothing requested."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ccm_graph.briefs import coalition_brief, write_brief
from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph

from ..conftest import ARTIFACTS, SMALL_SEED
from .test_map_browser import XSS_NAME, XSS_NOTES, browser, open_page, requested_urls

__all__ = ["browser"]  # the fixture, imported for use here


def test_brief_opens_offline_and_runs_nothing(browser: Any, tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED).without_restricted()
    dataset.actors = [
        dataclasses.replace(a, name=XSS_NAME) if a.id == "NLD"
        else dataclasses.replace(a, name=XSS_NOTES) if a.id == "halo" else a
        for a in dataset.actors
    ]  # fmt: skip
    graph = build_graph(dataset)
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    [page] = write_brief(graph, brief, tmp_path / "brief.html")
    open_page(browser, page, ready=False)
    assert browser.execute_script("return document.readyState") == "complete"
    assert browser.execute_script("return window.__pwned === undefined")
    text = browser.execute_script("return document.body.innerText")
    assert XSS_NAME in text  # the hostile name shows as text
    assert browser.execute_script("return document.querySelectorAll('img, script').length") == 0
    assert browser.execute_script("return document.querySelectorAll('svg circle').length") > 3
    urls = requested_urls(browser)
    assert page.as_uri() in urls, "the network log recorded nothing: the check would prove nothing"
    # chrome:// pages are the browser's own start page, never the network
    internal = ("file://", "data:", "chrome://", "chrome-untrusted://")
    assert [u for u in urls if not u.startswith(internal)] == []
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "brief.png"))
