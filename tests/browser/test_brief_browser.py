"""Hand-outs in a real browser: offline, nothing injected, nothing requested; and full-page
screenshots of the brief and the guide in test-artifacts/ for a person to look at."""

from __future__ import annotations

import base64
import dataclasses
import re
from pathlib import Path
from typing import Any

from ccm_graph.briefs import coalition_brief, guide_html, write_brief
from ccm_graph.dataset import read_seed
from ccm_graph.files import write_atomically
from ccm_graph.graph import build_graph

from ..conftest import ARTIFACTS, ROOT, SMALL_SEED
from .conftest import XSS_NAME, XSS_NOTES, leaks, open_page, requests_made, screenshot


def full_page_png(browser: Any, name: str) -> Path:
    """The whole page (not only the window) as test-artifacts/NAME.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


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


def test_demo_brief_and_guide_screenshots(browser: Any, tmp_path: Path) -> None:
    """The real seed's brief on Chad and the guideline, as a State would get them."""
    dataset = read_seed(ROOT / "seed").without_restricted()
    graph = build_graph(dataset)
    brief = coalition_brief(graph, "TCD", as_of="2026-11-30", issued="2026-12-01",
                            data_as_of=dataset.info.as_of)  # fmt: skip
    [page] = write_brief(graph, brief, tmp_path / "brief-TCD.html")
    open_page(browser, page, ready=False)
    text = browser.execute_script("return document.body.innerText")
    assert "Sources" in text and "Issued on 2026-12-01" in text
    assert f"Data as of {dataset.info.as_of}." in text
    assert "ccm-graph" not in text and "score" not in text
    labels = browser.execute_script(
        "return [...document.querySelectorAll('svg text')].map(t => t.textContent)"
    )
    assert not any("…" in label for label in labels)
    # every label lies inside the drawing: nothing is cut off at the right edge
    overflow = browser.execute_script(
        "const svg = document.querySelector('svg'); const box = svg.getBoundingClientRect();"
        "return [...svg.querySelectorAll('text')].filter(t => "
        "t.getBoundingClientRect().right > box.right + 1).map(t => t.textContent)"
    )
    assert overflow == []
    assert full_page_png(browser, "brief-TCD-full").stat().st_size > 10_000
    for lang in ("en", "fr", "es"):
        guide = tmp_path / f"guide-{lang}.html"
        write_atomically(guide, guide_html(graph, as_of="2026-11-30", lang=lang,
                                           data_as_of=dataset.info.as_of))  # fmt: skip
        open_page(browser, guide, ready=False)
        assert "ccm-graph" not in browser.execute_script("return document.body.innerText")
        name = "guide-full" if lang == "en" else f"guide-{lang}-full"
        assert full_page_png(browser, name).stat().st_size > 10_000
    brief_fr = coalition_brief(graph, "TCD", as_of="2026-11-30", issued="2026-12-01",
                               data_as_of=dataset.info.as_of, lang="fr")  # fmt: skip
    [page] = write_brief(graph, brief_fr, tmp_path / "brief-TCD-fr.html", annex=True)
    open_page(browser, page, ready=False)
    text = browser.execute_script("return document.body.innerText")
    assert "Tchad" in text and "Annexe pour l'analyste" in text
    assert full_page_png(browser, "brief-TCD-fr-annex-full").stat().st_size > 10_000


A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True}
"""Chromium's print to PDF on A4 paper (inches), the page's own ``@page`` rules winning."""


def printed_pages(browser: Any, page: Path) -> int:
    """How many A4 pages ``page`` prints on in Chromium (``Page.printToPDF``): the number of
    ``/Type /Page`` objects in the PDF (``/Pages``, the page tree, not counted)."""
    open_page(browser, page, ready=False)
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", A4)["data"])
    assert pdf.startswith(b"%PDF")
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_every_state_brief_prints_on_at_most_two_a4_pages(browser: Any, tmp_path: Path) -> None:
    """Each State with an obligation in the shipped data, in English, French and Spanish: its
    brief prints on one or two A4 pages; the guide prints too; the counting itself is checked
    by the analyst annex, which starts a page of its own."""
    graph = build_graph(read_seed(ROOT / "seed").without_restricted())
    states = sorted({u for u, _, kind in graph.edges(data="type") if kind == "HAS_OBLIGATION"})
    assert len(states) > 20
    too_long = []
    for lang in ("en", "fr", "es"):
        for state in states:
            brief = coalition_brief(graph, state, as_of="2026-03-01", issued="2026-03-01",
                                    lang=lang)  # fmt: skip
            [page] = write_brief(graph, brief, tmp_path / f"brief-{state}-{lang}.html")
            pages = printed_pages(browser, page)
            assert pages >= 1
            if pages > 2:
                too_long.append((state, lang, pages))
        guide = tmp_path / f"guide-{lang}.html"
        write_atomically(guide, guide_html(graph, as_of="2026-03-01", lang=lang))
        assert printed_pages(browser, guide) >= 1
    assert too_long == []
    brief = coalition_brief(graph, "LAO", as_of="2026-03-01", issued="2026-03-01")
    [plain] = write_brief(graph, brief, tmp_path / "plain.html")
    [annexed] = write_brief(graph, brief, tmp_path / "annexed.html", annex=True)
    assert printed_pages(browser, annexed) > printed_pages(browser, plain)
