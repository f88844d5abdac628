"""Maps in a real browser: Debian's Chromium, headless, opening the file from ``file://``.

Every other host is unreachable (all names resolve to nothing, and a dead proxy catches the
rest), and the DevTools network log is read to prove that no request left the file. The test
data carries hostile strings that would set ``window.__pwned`` or raise an alert if any of them
were ever parsed as HTML. Screenshots go to ``test-artifacts/``.

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (``scripts/install-browser``) and the
``selenium`` package: skipped without them on a developer machine, a failure under ``CI=true``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from ccm_graph import maps
from ccm_graph.dataset import read_seed
from ccm_graph.graph import affected_states, build_graph
from ccm_graph.schema import Actor, Relation

from ..conftest import SMALL_SEED
from .conftest import (
    XSS_NAME,
    XSS_NOTES,
    XSS_PURPOSE,
    XSS_REGION,
    XSS_SOURCE,
    XSS_TITLE,
    console_problems,
    js,
    leaks,
    open_page,
    requests_made,
    screenshot,
    wait_for,
)


def counts(browser: Any) -> dict[str, int]:
    return js(browser, "return window.ccmMap.counts()")


def assert_not_pwned(browser: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no alert is open
    assert js(browser, "return typeof window.__pwned") == "undefined"
    assert js(browser, "return document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert js(browser, "return document.scripts.length") == 4  # data, strings, vis, the page
    assert js(browser, "return document.querySelectorAll('svg:not(.swatch)').length") == 0


def shown_card(browser: Any, box: str) -> str | None:
    """The id of the record whose card is visible in ``#box`` (hover card or details)."""
    return js(browser, "var box = document.getElementById(arguments[0]);"
                       "var card = box.querySelector('[data-id]') || box;"
                       "return box.hidden ? null : card.getAttribute('data-id');", box)  # fmt: skip


# --- the test data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_graph() -> nx.MultiDiGraph:
    """The small seed (restricted records left out) plus records full of markup."""
    dataset = read_seed(SMALL_SEED).without_restricted()
    dataset.actors.append(
        Actor("xss-img", "civil_society", XSS_NAME, notes=XSS_NOTES, source=XSS_SOURCE)
    )
    dataset.relations.append(
        Relation("xss-img", "FUNDS", "LAO", year=2025, amount_usd=10.0, purpose=XSS_PURPOSE,
                 source=XSS_SOURCE, notes=XSS_NOTES)
    )  # fmt: skip
    graph = build_graph(dataset)
    graph.nodes["xss-img"]["region"] = XSS_REGION  # past the validator: reaches the filters
    return graph


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, hostile_graph: nx.MultiDiGraph) -> dict:
    folder = tmp_path_factory.mktemp("maps")
    written = {}
    for layout in maps.LAYOUTS:
        path = folder / f"map-{layout}.html"
        options = maps.MapOptions(
            title=XSS_TITLE, as_of="2026-02-27", command=f"ccm-graph map --title '{XSS_TITLE}'",
            layout=layout, highlights={"ob-LAO-4": [XSS_NAME]}, size_by="funding",
        )  # fmt: skip
        maps.write_map(hostile_graph, path, options)
        written[layout] = path
    return written


# --- tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", maps.LAYOUTS)
def test_map_opens_offline_and_shows_every_record(
    browser: Any, pages: dict, hostile_graph: nx.MultiDiGraph, layout: str
) -> None:
    open_page(browser, pages[layout])
    requests = requests_made(browser)
    assert (pages[layout].as_uri(), pages[layout].as_uri()) in requests  # the log works
    assert leaks(requests) == []
    resources = js(browser, "return performance.getEntriesByType('resource').map(e => e.name)")
    assert [u for u in resources if not u.startswith(("file://", "data:"))] == []
    assert console_problems(browser) == []
    nodes, edges = hostile_graph.number_of_nodes(), hostile_graph.number_of_edges()
    assert counts(browser) == {
        "nodes": nodes, "edges": edges, "totalNodes": nodes, "totalEdges": edges,
        "drawnNodes": nodes, "drawnEdges": edges, "matches": 0, "faded": 0,
    }  # fmt: skip
    assert js(browser, "return document.getElementById('map-title').textContent") == XSS_TITLE
    assert js(browser, "return document.title") == XSS_TITLE
    command = js(browser, "return document.getElementById('map-command').textContent")
    assert command == f"ccm-graph map --title '{XSS_TITLE}'"
    assert js(browser, "return document.querySelectorAll('#filters input').length") > 10
    assert_not_pwned(browser)
    screenshot(browser, f"map-{layout}")


def test_hovering_and_clicking_every_node_runs_no_injected_script(
    browser: Any, pages: dict, hostile_graph: nx.MultiDiGraph
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(browser, pages["static"])
    canvas = browser.find_element(By.CSS_SELECTOR, "#map canvas")
    width, height = canvas.size["width"], canvas.size["height"]
    for node in js(browser, "return window.ccmMap.nodeIds()"):
        js(browser, "window.ccmMap.network.focus(arguments[0], {scale: 1.5, animation: false});"
                    "window.ccmMap.network.redraw();", node)  # fmt: skip
        spot = js(browser, "return window.ccmMap.domPosition(arguments[0])", node)
        actions = ActionChains(browser)
        actions.move_to_element_with_offset(canvas, 5 - width // 2, 5 - height // 2)  # away
        actions.move_to_element_with_offset(
            canvas, round(spot["x"] - width / 2), round(spot["y"] - height / 2)
        )
        actions.perform()
        wait_for(lambda n=node: shown_card(browser, "hover-card") == n, what=f"{node}'s card")
        title = js(browser, "return document.querySelector('#hover-card .card-title').textContent")
        assert title == hostile_graph.nodes[node]["label"]
        ActionChains(browser).click().perform()
        wait_for(lambda n=node: shown_card(browser, "details-box") == n, what=f"{node} details")
        assert_not_pwned(browser)
    card = js(browser, "return window.ccmMap.showCard('node', 'xss-img')")
    assert XSS_NAME in card and XSS_NOTES in card and XSS_SOURCE in card
    for edge in js(browser, "return window.ccmMap.edgeIds()"):
        js(browser, "return window.ccmMap.showCard('edge', arguments[0])", edge)
    card = js(browser, "return window.ccmMap.showCard('edge', arguments[0])",
              _edge_number(hostile_graph, "xss-img", "LAO"))  # fmt: skip
    assert XSS_PURPOSE in card and XSS_NAME in card
    ringed = js(browser, "return window.ccmMap.showCard('node', 'ob-LAO-4')")
    assert "Gaps found" in ringed and XSS_NAME in ringed
    assert_not_pwned(browser)
    assert console_problems(browser) == []
    screenshot(browser, "map-hover")


def _edge_number(graph: nx.MultiDiGraph, source: str, target: str) -> int:
    edges = sorted(graph.edges(keys=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return next(i for i, (u, v, _) in enumerate(edges) if (u, v) == (source, target))


def test_search_finds_names_and_fades_the_rest(browser: Any, pages: dict) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["physics"])
    total = counts(browser)["totalNodes"]
    box = browser.find_element(By.ID, "search")
    box.send_keys("onerror")
    wait_for(lambda: counts(browser)["matches"] == 1, what="one match")
    assert counts(browser)["faded"] == total - 1
    results = js(browser, "return Array.from(document.querySelectorAll('#search-results li'),"
                          " li => li.firstChild.firstChild.textContent)")  # fmt: skip
    assert results == [XSS_NAME]
    assert js(browser, "return window.ccmMap.network.getSelectedNodes()") == ["xss-img"]
    box.send_keys(Keys.ENTER)
    screenshot(browser, "map-search")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("lao")  # Lao PDR, its obligation, and the Lao authority by its id
    wait_for(lambda: counts(browser)["matches"] == 3, what="three matches")
    status = js(browser, "return document.getElementById('search-status').textContent")
    assert status.startswith("3 records match")
    browser.find_element(By.CSS_SELECTOR, "#search-results button").click()
    assert js(browser, "return document.getElementById('details-box').hidden") is False
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    wait_for(lambda: counts(browser)["faded"] == 0, what="the search to clear")
    assert counts(browser)["matches"] == 0
    assert_not_pwned(browser)
    assert console_problems(browser) == []


def test_filters_hide_and_show_records_and_relationships(
    browser: Any, pages: dict, hostile_graph: nx.MultiDiGraph
) -> None:
    from selenium.webdriver.common.by import By

    def checkbox(field: str, key: str) -> Any:
        boxes = browser.find_elements(By.CSS_SELECTOR, f"fieldset[data-filter='{field}'] input")
        return next(b for b in boxes if b.get_attribute("value") == key)

    def expected(hidden_nodes: set[str], hidden_types: set[str] = frozenset()) -> tuple:
        edges = [
            (u, v) for u, v, d in hostile_graph.edges(data=True)
            if u not in hidden_nodes and v not in hidden_nodes and d["type"] not in hidden_types
        ]  # fmt: skip
        nodes = hostile_graph.number_of_nodes() - len(hidden_nodes)
        return nodes, len(edges)

    def shown() -> tuple:
        c = counts(browser)
        assert (c["drawnNodes"], c["drawnEdges"]) == (c["nodes"], c["edges"])
        return c["nodes"], c["edges"]

    open_page(browser, pages["static"])
    affected = affected_states(hostile_graph)  # drawn and filtered as their own kind
    states = {n for n, d in hostile_graph.nodes(data=True) if d.get("kind") == "state"} - set(
        affected
    )
    checkbox("kind", "state").click()
    assert shown() == expected(states)
    status = js(browser, "return document.getElementById('status').textContent")
    assert status.startswith(f"Showing {expected(states)[0]} of ")
    screenshot(browser, "map-filtered")
    checkbox("kind", "state").click()
    assert shown() == expected(set())
    checkbox("region", XSS_REGION).click()
    assert shown() == expected({"xss-img"})
    checkbox("region", XSS_REGION).click()
    checkbox("type", "FUNDS").click()
    assert shown() == expected(set(), {"FUNDS"})
    checkbox("type", "FUNDS").click()
    kind_buttons = browser.find_elements(By.CSS_SELECTOR, "fieldset[data-filter='kind'] button")
    kind_buttons[1].click()  # None
    assert shown() == (0, 0)
    kind_buttons[0].click()  # All
    assert shown() == expected(set())
    assert_not_pwned(browser)
    assert console_problems(browser) == []


def test_the_request_check_sees_what_pyvis_fetches(browser: Any, tmp_path: Path) -> None:
    """Control: Pyvis's own page, even with resources in line, asks a CDN for Bootstrap."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line", directed=True)
    net.add_node("a", label="a")
    net.add_node("b", label="b")
    net.add_edge("a", "b")
    page = tmp_path / "pyvis.html"
    page.write_text(net.generate_html(), encoding="utf-8")
    open_page(browser, page, ready=False)
    wait_for(lambda: js(browser, "return document.readyState") == "complete", what="the page")
    outside = leaks(requests_made(browser))
    assert any("bootstrap" in u for u in outside), outside


# --- maps for meetings: the MASG map of the shipped seed ------------------------------------


@pytest.fixture(scope="module")
def masg_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ccm-graph map --preset masg --gaps`` on the shipped seed, as staff make it."""
    from click.testing import CliRunner

    from ccm_graph.cli import cli

    path = tmp_path_factory.mktemp("meeting") / "masg.html"
    result = CliRunner().invoke(cli, ["map", "--preset", "masg", "--gaps", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def projector(browser: Any) -> Any:
    """The browser window at projector size (1024×768), put back afterwards."""
    before = browser.get_window_size()
    browser.set_window_size(1024, 768)
    try:
        yield browser
    finally:
        browser.set_window_size(before["width"], before["height"])


def _payload_of(path: Path) -> dict:
    import json
    import re

    block = re.search(r'id="ccm-map-data">(.*?)</script>', path.read_text("utf-8"), re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_masg_map_sets_affected_states_apart_and_rings_high_findings(
    projector: Any, masg_page: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser = projector
    open_page(browser, masg_page)
    payload = _payload_of(masg_page)
    high = sorted(n["id"] for n in payload["nodes"] if n.get("gapLevel") == "high")
    found = sorted(n["id"] for n in payload["nodes"] if "gaps" in n)
    assert 0 < len(high) < len(found)
    assert sorted(js(browser, "return window.ccmMap.ringed()")) == high
    legend = js(browser, "return document.getElementById('filters').textContent")
    assert "Affected State Party" in legend and "to invite" in legend
    shapes = js(
        browser,
        "var b = window.ccmMap.network.body.nodes;"
        "return [b['LAO'].options.shape, b['NLD'].options.shape,"
        "b['LAO'].options.color.background, b['NLD'].options.color.background]",
    )
    assert shapes[0] != shapes[1] and shapes[2] != shapes[3]
    screenshot(browser, "masg-1024x768")
    browser.find_element(By.ID, "gap-all").click()
    assert sorted(js(browser, "return window.ccmMap.ringed()")) == found
    browser.find_element(By.ID, "gap-all").click()
    assert sorted(js(browser, "return window.ccmMap.ringed()")) == high
    assert console_problems(browser) == []


def test_positions_are_the_same_at_every_opening(browser: Any, masg_page: Path) -> None:
    def positions() -> dict:
        open_page(browser, masg_page)
        wait_for(lambda: js(browser, "return window.ccmMapTiming.stabilized !== undefined"),
                 timeout=60, what="the layout to settle")  # fmt: skip
        return js(browser, "return window.ccmMap.positions()")

    first, second = positions(), positions()
    assert first.keys() == second.keys() and len(first) > 50
    moved = {n: (first[n], second[n]) for n in first
             if abs(first[n]["x"] - second[n]["x"]) > 0.5
             or abs(first[n]["y"] - second[n]["y"]) > 0.5}  # fmt: skip
    assert moved == {}
    assert js(browser, "return window.ccmMap.network.physics.physicsEnabled") is False


def test_save_as_png_downloads_an_image_offline(
    browser: Any, masg_page: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, masg_page)
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.find_element(By.ID, "save-png").click()
    saved = wait_for(lambda: [p for p in tmp_path.glob("*.png") if p.stat().st_size > 1000],
                     timeout=15, what="the PNG download")  # fmt: skip
    assert saved[0].name == (
        "masg-members-observers-and-affected-states-parties-funding-and-support.png"
    )
    assert saved[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert leaks(requests_made(browser)) == []
    assert console_problems(browser) == []


def test_print_layout_fills_the_page_with_a_compact_legend(browser: Any, masg_page: Path) -> None:
    open_page(browser, masg_page)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        wait_for(lambda: js(browser, "return document.body.getAttribute('data-print-ready')"),
                 what="the print layout")  # fmt: skip
        style = js(
            browser,
            """
            function css(q, p) { return getComputedStyle(document.querySelector(q))[p]; }
            return {panel: css('#panel', 'display'), tools: css('.tools', 'display'),
                    legend: css('#print-legend', 'display'),
                    legendFont: css('#print-legend', 'font-size'),
                    mapWidth: document.getElementById('map-wrap').offsetWidth,
                    bodyWidth: document.body.offsetWidth,
                    mapHeight: document.getElementById('map-wrap').offsetHeight,
                    legendItems: document.querySelectorAll('#print-legend li').length,
                    labelPoints: window.ccmMap.labelPoints()};""",
        )
        assert style["panel"] == "none" and style["tools"] == "none"
        assert style["legend"] == "flex" and style["legendItems"] >= 4
        assert float(style["legendFont"].removesuffix("px")) * 0.75 >= 8 - 0.01  # 8 pt
        assert style["mapWidth"] >= style["bodyWidth"] - 2
        assert style["mapHeight"] >= 500  # 160 mm of an A4 landscape page
        assert style["labelPoints"] >= 8
        legend_top, map_bottom = js(browser, "return [document.getElementById('print-legend')"
            ".getBoundingClientRect().top, document.getElementById('map')"
            ".getBoundingClientRect().bottom]")  # fmt: skip
        assert legend_top >= map_bottom - 1  # the legend sits under the map, not on it
        screenshot(browser, "masg-print")
        a4 = style["mapHeight"]
        js(browser, "var p = document.getElementById('paper'); p.value = 'a3';"  # hidden in print
                    "p.dispatchEvent(new Event('change'));")  # fmt: skip
        assert js(browser, "return document.getElementById('map-wrap').offsetHeight") > a4 * 1.4
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    wait_for(lambda: js(browser, "return !document.body.hasAttribute('data-print-ready')"),
             what="the screen layout")  # fmt: skip


def test_year_filter_shows_one_period(browser: Any, masg_page: Path) -> None:
    from selenium.webdriver.support.ui import Select

    open_page(browser, masg_page)
    payload = _payload_of(masg_page)

    def expected(first: int, last: int) -> int:
        def keep(e: dict) -> bool:
            if "years" not in e:
                return True
            start, end = e["years"]
            return (end is None or end >= first) and (start is None or start <= last)

        return sum(keep(e) for e in payload["edges"])

    Select(browser.find_element("id", "year-from")).select_by_value("2020")
    Select(browser.find_element("id", "year-to")).select_by_value("2022")
    c = counts(browser)
    assert c["edges"] == c["drawnEdges"] == expected(2020, 2022) < c["totalEdges"]
    Select(browser.find_element("id", "year-from")).select_by_value("")
    Select(browser.find_element("id", "year-to")).select_by_value("")
    assert counts(browser)["edges"] == counts(browser)["totalEdges"]
    assert console_problems(browser) == []


def test_panel_folds_away_at_projector_size(projector: Any, masg_page: Path) -> None:
    from selenium.webdriver.common.by import By

    browser = projector
    open_page(browser, masg_page)
    before = js(browser, "return document.getElementById('map-wrap').offsetWidth")
    browser.find_element(By.ID, "panel-toggle").click()
    assert js(browser, "return getComputedStyle(document.getElementById('panel')).display") \
        == "none"  # fmt: skip
    width = js(browser, "return document.getElementById('map-wrap').offsetWidth")
    assert width > before and width >= js(browser, "return window.innerWidth") - 2
    wait_for(lambda: js(browser, "return document.querySelector('#map canvas').offsetWidth")
             >= width - 2, what="the canvas to widen")  # fmt: skip
    assert browser.find_element(By.ID, "panel-toggle").text == "Show panel"
    screenshot(browser, "masg-1024x768-panel-folded")
    browser.find_element(By.ID, "panel-toggle").click()
    assert js(browser, "return document.getElementById('map-wrap').offsetWidth") == before


def test_search_finds_aliases_and_cards_list_relations(browser: Any, masg_page: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, masg_page)
    browser.find_element(By.ID, "search").send_keys("Tchad")  # Chad's French name
    wait_for(lambda: counts(browser)["matches"] == 1, what="Chad by its alias")
    assert js(browser, "return window.ccmMap.network.getSelectedNodes()") == ["TCD"]
    card = js(browser, "return window.ccmMap.showCard('node', 'TCD')")
    assert "Relations on this map" in card and "has obligation \u2192 Chad" in card
    assert console_problems(browser) == []


LABEL_COLLISIONS = """
var net = window.ccmMap.network, labels = [], shapes = [];
window.ccmMap.nodeIds().forEach(function (id) {
  var n = net.body.nodes[id], s = n.labelModule.size, r = n.options.size;
  shapes.push([n.x - r, n.y - r, n.x + r, n.y + r, id]);
  if (s && s.width) { labels.push([s.left, s.top, s.left + s.width, s.top + s.height, id]); }
});
function meet(a, b) { return a[4] !== b[4] && a[0] < b[2] && b[0] < a[2] && a[1] < b[3] &&
                             b[1] < a[3]; }
var both = 0, onNode = 0;
labels.forEach(function (a, i) {
  labels.slice(i + 1).forEach(function (b) { if (meet(a, b)) { both += 1; } });
  shapes.forEach(function (b) { if (meet(a, b)) { onNode += 1; } });
});
return [both, onNode];
"""


def test_labels_are_readable_and_do_not_collide_at_projector_size(
    projector: Any, masg_page: Path
) -> None:
    """Labels over labels, and labels over other records, in map coordinates. (The MASG map
    of the seed had 7 and 14 before, with labels about 6 px high at 1024x768.)"""
    browser = projector
    open_page(browser, masg_page)
    wait_for(lambda: js(browser, "return window.ccmMapTiming.stabilized !== undefined"),
             timeout=60, what="the layout to settle")  # fmt: skip
    assert js(browser, LABEL_COLLISIONS) == [0, 0]
    assert js(browser, "return window.ccmMap.labelPoints()") / 0.75 >= 9.5  # px on screen
