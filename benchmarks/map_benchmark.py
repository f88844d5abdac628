"""Stakeholder maps at scale: write and draw a 2,000-record, 10,000-relationship map.

On a seeded synthetic graph (``benchmarks/synthetic.py``, sized to exactly ``--nodes`` records
and ``--edges`` relationships) this measures:

``write``
    :func:`ccm_graph.maps.write_map` to an HTML file, from the built graph to the file on disk
    (static layout, sizes, JSON, page). Median of ``--repeat`` runs; the static layout's own
    share is timed apart. The physics page is written too (no layout to compute).
``render``
    Each page opened from ``file://`` in headless Chromium (the browser tests' flags: no
    network at all), time from navigation start to the first complete frame: the page sets
    ``window.ccmMapTiming.ready`` in vis-network's first ``afterDrawing`` once the data is
    set, and for the physics layout only once stabilisation is done. Median of ``--repeat``
    fresh loads.
``pyvis``
    Pyvis 0.3.2's own page for the same graph (``Network(directed=True,
    cdn_resources="in_line")``, its default Barnes-Hut physics with 1,000 stabilisation
    iterations, labels and plain-text hover titles): ``generate_html`` time, file size, and the
    time until stabilised and drawn, read the same way through a hook appended to the page.
    Its Bootstrap request to a CDN fails fast here (no network) and is counted.

Usage::

    .venv/bin/python benchmarks/map_benchmark.py [--nodes 2000] [--edges 10000] [--repeat 3]

Results go to ``benchmarks/results/maps-DATE.json`` and a Markdown summary to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from synthetic import generate

from ccm_graph.graph import build_graph
from ccm_graph.maps import MapOptions, node_style, static_positions, write_map

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)
PYVIS_HOOK = """<script>
window.__bench = {};
(function () {
  var done = false;
  network.once("stabilizationIterationsDone", function () {
    window.__bench.stabilized = performance.now(); done = true; network.redraw();
  });
  network.on("afterDrawing", function () {
    if (window.__bench.firstDraw === undefined) { window.__bench.firstDraw = performance.now(); }
    if (done && window.__bench.ready === undefined) { window.__bench.ready = performance.now(); }
  });
})();
</script>
</body>"""


def synthetic_graph(nodes: int, edges: int, seed: int) -> nx.MultiDiGraph:
    """The synthetic seed's graph with exactly ``nodes`` records and ``edges`` relationships."""
    for n_actors in range(round(nodes / 1.2), nodes + 1):
        probe = build_graph(generate(n_actors=n_actors, n_relations=0, seed=seed))
        if probe.number_of_nodes() == nodes:
            derived = probe.number_of_edges()  # HAS_OBLIGATION and FOCUSES_ON
            graph = build_graph(generate(n_actors, edges - derived, seed))
            assert (graph.number_of_nodes(), graph.number_of_edges()) == (nodes, edges)
            return graph
    raise SystemExit(f"no synthetic size gives exactly {nodes} records")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def write_page(graph: nx.MultiDiGraph, path: Path, layout: str) -> int:
    options = MapOptions(
        title=f"Synthetic benchmark map ({layout})",
        as_of="synthetic",
        command="benchmarks/map_benchmark.py",
        layout=layout,
        restricted_included=True,  # the synthetic data marks 1 % of actors restricted
    )
    return write_map(graph, path, options)


def pyvis_page(graph: nx.MultiDiGraph) -> str:
    """Pyvis's default page for the same records, colours by kind, plain-text hover titles."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", height="850px", width="100%")
    for node, data in graph.nodes(data=True):
        kind = data.get("kind") or data["node_type"]
        net.add_node(
            node,
            label=str(data.get("label", node)),
            title=f"{data.get('label', node)}\n{kind}",
            color=node_style(kind).color,  # the maps' palette; grey for an unknown kind
        )
    for u, v, data in graph.edges(data=True):
        net.add_edge(u, v, title=data.get("type", ""))
    return net.generate_html()


@contextmanager
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="ccm-bench-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        # Pyvis's page keeps the browser busy for minutes in one go; let each call wait.
        driver.command_executor._client_config.timeout = 1200
        driver.set_page_load_timeout(1200)
        driver.set_script_timeout(900)
        try:
            yield driver
        finally:
            driver.quit()


def render_ms(driver: Any, path: Path, probe: str, timeout: float) -> dict[str, float]:
    """Open ``path`` afresh and wait until ``probe`` (a JS expression) reports ``ready``."""
    driver.get("about:blank")
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        timing = driver.execute_script(f"return {probe} || null")
        if timing and timing.get("ready") is not None:
            return {k: round(v, 1) for k, v in timing.items() if isinstance(v, int | float)}
        time.sleep(0.05)
    raise TimeoutError(f"{path.name} did not finish drawing within {timeout:.0f} s")


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    graph = synthetic_graph(args.nodes, args.edges, args.seed)
    out = Path(tempfile.mkdtemp(prefix="ccm-map-bench-"))
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpus(),
        },
        "graph": {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "seed": args.seed,
        },
    }
    layout_s = [timed(lambda: static_positions(graph))[0] for _ in range(args.repeat)]
    pages: dict[str, Path] = {}
    for layout in ("static", "physics"):
        pages[layout] = out / f"map-{layout}.html"
        runs = [timed(lambda lay=layout: write_page(graph, pages[lay], lay))
                for _ in range(args.repeat)]  # fmt: skip
        result[f"write_{layout}"] = {
            "seconds": [round(s, 3) for s, _ in runs],
            "median_s": round(statistics.median(s for s, _ in runs), 3),
            "bytes": runs[-1][1],
        }
    result["write_static"]["layout_median_s"] = round(statistics.median(layout_s), 3)
    pyvis_s, pyvis_html = timed(lambda: pyvis_page(graph))
    pages["pyvis"] = out / "pyvis-default.html"
    pages["pyvis"].write_text(pyvis_html.replace("</body>", PYVIS_HOOK, 1), encoding="utf-8")
    result["pyvis"] = {"generate_html_s": round(pyvis_s, 3), "bytes": len(pyvis_html.encode())}
    with chromium() as driver:
        driver.execute_cdp_cmd("Network.enable", {})
        render_ms(driver, pages["static"], "window.ccmMapTiming", 120)  # warm the browser up
        for layout in ("static", "physics"):
            runs = [render_ms(driver, pages[layout], "window.ccmMapTiming", args.timeout)
                    for _ in range(args.repeat)]  # fmt: skip
            result[f"render_{layout}"] = _summarise(runs)
        runs = [render_ms(driver, pages["pyvis"], "window.__bench", args.timeout)
                for _ in range(args.pyvis_repeat)]  # fmt: skip
        result["render_pyvis"] = _summarise(runs)
    return result


def _summarise(runs: list[dict[str, float]]) -> dict[str, Any]:
    return {
        "ready_ms": [r["ready"] for r in runs],
        "median_ready_ms": round(statistics.median(r["ready"] for r in runs), 1),
        "runs": runs,
    }


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def markdown(result: dict[str, Any]) -> str:
    g = result["graph"]
    ws, wp, py = result["write_static"], result["write_physics"], result["pyvis"]
    rs, rp, rv = result["render_static"], result["render_physics"], result["render_pyvis"]
    mb = 1024 * 1024
    return "\n".join(
        [
            f"Synthetic graph: {g['nodes']:,} records, {g['edges']:,} relationships "
            f"(seed {g['seed']}); {result['machine']['cpus']} CPUs, {result['date']}.",
            "",
            "| page | write (median) | file size | first complete render in Chromium (median) |",
            "|---|---|---|---|",
            f"| ccm-graph, `--layout static` | {ws['median_s']:.2f} s (layout "
            f"{ws['layout_median_s']:.2f} s) | {ws['bytes'] / mb:.1f} MB | "
            f"{rs['median_ready_ms'] / 1000:.2f} s |",
            f"| ccm-graph, `--layout physics` | {wp['median_s']:.2f} s | "
            f"{wp['bytes'] / mb:.1f} MB | {rp['median_ready_ms'] / 1000:.1f} s (stabilised) |",
            f"| Pyvis 0.3.2 default (physics, in-line resources) | {py['generate_html_s']:.2f} s"
            f" | {py['bytes'] / mb:.1f} MB | {rv['median_ready_ms'] / 1000:.1f} s (stabilised) |",
        ]
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each of our measures")
    parser.add_argument("--pyvis-repeat", type=int, default=1, help="loads of the Pyvis page")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a draw")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/maps-DATE)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = benchmark(args)
    target = args.out or ROOT / "benchmarks" / "results" / f"maps-{result['date']}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nWrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
