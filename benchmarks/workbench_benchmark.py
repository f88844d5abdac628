"""How fast the workbench answers: server time per page and 20 browsing clients at once.

Three measurements, written to stdout and to ``benchmarks/results/workbench-<date>.json``
(``docs/performance.md``, section "Workbench", records them):

1. **Per page, shipped seed**: every page type ``--requests`` times through Starlette's
   TestClient (in process: the time is the server's, plus the client's small overhead), after
   one warm-up request; p50 and p95 in milliseconds. Target p95 < 150 ms.
2. **Per page, synthetic 10k actors / 100k relations** (``benchmarks/synthetic.py``, seed 42,
   written as a seed folder): the first request (reading the files and the analyses) timed
   apart, then each page ``--requests`` times with the graph cached. Target p95 < 1 s.
3. **Concurrent clients**: ``ccm-graph serve`` (uvicorn) on the shipped seed, ``--clients``
   threads each browsing the pages in turn over HTTP for ``--duration`` seconds; errors (any
   status but 200, or a failed request) and p50/p95. Target: 0 errors.

    .venv/bin/python benchmarks/workbench_benchmark.py [--requests 20] [--duration 60]
        [--clients 20] [--skip-synthetic]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "benchmarks"))

SEED_PAGES = ["/", "/?sort=deadline&region=africa", "/state/LAO", "/state/TCD?lang=fr",
              "/actor/NLD", "/coalition/coal-mne", "/search?q=e", "/search?q=Tchad",
              "/support.csv", "/support.xlsx", "/brief/LAO", "/map?focus=LAO",
              "/verify", "/verify/deadline:ob-IRQ-4", "/edit/obligation/ob-LAO-4", "/upload",
              "/history", "/coalition/new?focus=LAO", "/questions",
              "/questions/state-profile",
              "/state/no-such-id"]  # fmt: skip


def percentiles(times: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank) and the maximum, in milliseconds."""
    ordered = sorted(times)
    rank = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[rank] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "n": len(ordered)}  # fmt: skip


def per_page(seed: Path, pages: list[str], requests: int) -> dict[str, Any]:
    """Each page ``requests`` times in process; the first request of all timed apart."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from ccm_graph.source import DataSource, clear_cache
    from ccm_graph.workbench import create_app

    clear_cache()
    client = TestClient(create_app(DataSource.at(seed)))
    started = time.perf_counter()
    first = client.get(pages[0])
    cold = time.perf_counter() - started
    assert first.status_code == 200, first.text[:300]
    figures: dict[str, Any] = {"first_request_s": round(cold, 2), "pages": {}}
    for page in pages:
        expected = 404 if "no-such" in page else 200
        client.get(page)  # warm-up (a brief's or a map's first render)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(page)
            times.append(time.perf_counter() - started)
            assert response.status_code == expected, (page, response.status_code)
        figures["pages"][page] = percentiles(times)
        print(f"  {page:<40} {figures['pages'][page]}", flush=True)
    return figures


def synthetic_pages(folder: Path) -> list[str]:
    """The synthetic data's pages: the first affected State, a donor, a coalition."""
    from ccm_graph.source import DataSource

    reading = DataSource.at(folder).read()
    graph = reading.graph
    coalition = next(n for n, d in graph.nodes(data=True) if d.get("node_type") == "coalition")
    state = graph.nodes[coalition].get("focus") or next(iter(graph.successors(coalition)))
    donor = max((u for u, _v, d in graph.edges(data=True) if d.get("type") == "FUNDS"),
                key=lambda n: graph.out_degree(n))  # fmt: skip
    return ["/", "/?sort=funding", f"/state/{state}", f"/actor/{donor}",
            f"/coalition/{coalition}", "/search?q=syn-state-1", "/support.csv",
            f"/map?focus={state}", "/verify", "/history", f"/edit/actor/{donor}",
            "/state/no-such-id"]  # fmt: skip


def concurrent(clients: int, duration: float) -> dict[str, Any]:
    """``clients`` threads browsing ``ccm-graph serve`` for ``duration`` seconds."""
    import httpx

    process = subprocess.Popen(
        [sys.executable, "-m", "ccm_graph", "serve", "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    address = process.stdout.readline().split(" at ", 1)[1].split("/ ", 1)[0]
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration
    pages = [p for p in SEED_PAGES if "no-such" not in p]

    def browse(number: int) -> None:
        with httpx.Client(base_url=address, timeout=30, follow_redirects=True) as http:
            i = number
            while time.monotonic() < stop:
                page = pages[i % len(pages)]
                i += 1
                started = time.perf_counter()
                try:
                    status = http.get(page).status_code
                except httpx.HTTPError as exc:
                    status, problem = 0, f"{page}: {exc!r}"
                else:
                    problem = f"{page}: HTTP {status}"
                took = time.perf_counter() - started
                with lock:
                    times.append(took)
                    if status != 200:
                        errors.append(problem)

    threads = [threading.Thread(target=browse, args=(n,)) for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return {"clients": clients, "duration_s": duration, "requests": len(times),
            "errors": len(errors), "first_errors": errors[:5],
            "requests_per_s": round(len(times) / duration, 1),
            **percentiles(times)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    from analysis_benchmark import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--tag", default="", help="added to the results file's name, so a "
                        "re-run keeps the day's earlier results")  # fmt: skip
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    result: dict[str, Any] = {"machine": {**machine(), "load_average_before": load}}
    print("Shipped seed, per page:", flush=True)
    result["seed"] = per_page(ROOT / "seed", SEED_PAGES, args.requests)
    if not args.skip_synthetic:
        from synthetic import generate

        from ccm_graph.dataset import write_seed

        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "synthetic"
            write_seed(generate(n_actors=10_000, n_relations=100_000, seed=42), folder)
            print("Synthetic 10k actors / 100k relations, per page:", flush=True)
            result["synthetic_10k"] = per_page(folder, synthetic_pages(folder), args.requests)
    print(f"{args.clients} clients for {args.duration:.0f} s:", flush=True)
    result["concurrent"] = concurrent(args.clients, args.duration)
    print(f"  {result['concurrent']}", flush=True)
    result["machine"]["load_average_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    RESULTS.mkdir(exist_ok=True)
    tag = f"-{args.tag}" if args.tag else ""
    out = RESULTS / f"workbench-{date.today().isoformat()}{tag}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
