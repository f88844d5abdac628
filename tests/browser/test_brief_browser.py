"""Hand-outs in a real browser: offline, nothing injected, nothing requested."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ccm_graph.briefs import coalition_brief, write_brief
from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph

from ..conftest import SMALL_SEED
from .conftest import XSS_NAME, XSS_NOTES, leaks, open_page, requests_made, screenshot


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
    requests = requests_made(browser)
    assert page.as_uri() in [url for _, url in requests], "the network log recorded nothing"
    assert leaks(requests) == []
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    screenshot(browser, "brief")
