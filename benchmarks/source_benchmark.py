"""What the library's data source costs on a first read and on a second read of unchanged data.

:class:`ccm_graph.source.DataSource` keeps its last reading and hands it out again while the
data's state is unchanged (folder: file stamps; workbook: its hash; Neo4j: the newest change
record and the node and relationship counts, one small query). This measures, per source, the
first read (records read, checked, graph built) and the second read of the same data, and
checks that the second is the same reading (no records re-read).

Usage (starts and stops its own Neo4j under ``.neo4j/bench-source`` on a free port, loads the
synthetic dataset of ``benchmarks/synthetic.py`` into it, and writes it as a seed folder)::

    .venv/bin/python benchmarks/source_benchmark.py           # 10k actors, 100k relations
    .venv/bin/python benchmarks/source_benchmark.py --actors 1000 --relations 10000 --repeat 3

With ``NEO4J_URI`` and ``NEO4J_PASSWORD`` set it uses that server instead (and refuses a
non-empty database). Results go to ``benchmarks/results/source-<date>.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from ccm_graph.dataset import write_seed  # noqa: E402
from ccm_graph.localserver import LocalServer, free_port  # noqa: E402
from ccm_graph.source import DataSource, clear_cache  # noqa: E402
from ccm_graph.store import ConnectionSettings, Store  # noqa: E402


def timed_reads(source: DataSource, repeat: int) -> dict[str, Any]:
    """First and second read, ``repeat`` times each (the cache emptied before each first).

    Python's cyclic garbage collector is run (untimed) before each timed read, and the last
    round's reading is let go before the next round: otherwise the collection that the first
    read's millions of new objects call for, or the freeing of the last round's graph, lands
    in whatever runs next, and a 20 ms second read shows as 0.3–0.9 s (seen on this machine).
    """
    firsts, seconds = [], []
    first = second = None
    for _ in range(repeat):
        # the last round's reading is let go here, untimed: freeing a 100k-edge graph takes
        # about half a second, which would otherwise land in the next timed assignment
        first = second = None
        clear_cache()
        gc.collect()
        started = time.perf_counter()
        first = source.read()
        firsts.append(time.perf_counter() - started)
        gc.collect()
        started = time.perf_counter()
        second = source.read()
        seconds.append(time.perf_counter() - started)
        if second is not first or first is None:
            raise SystemExit(f"{source.describe()}: the second read re-read the records")
    states = []
    for _ in range(5):
        started = time.perf_counter()
        source.state()
        states.append(time.perf_counter() - started)
    first_s, second_s = statistics.median(firsts), statistics.median(seconds)
    return {
        "records": first.graph.number_of_nodes(),
        "relationships": first.graph.number_of_edges(),
        "first_read_s": round(first_s, 4),
        "second_read_s": round(second_s, 5),
        "second_over_first": round(second_s / first_s, 5),
        "state_alone_s": round(statistics.median(states), 5),
        "runs": repeat,
    }


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "load_average_1_5_15": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--relations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="results file (JSON)")
    args = parser.parse_args(argv)

    dataset = generate(args.actors, args.relations, seed=42)
    results: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "size": {"actors": args.actors, "relations": args.relations},
        "command": "benchmarks/source_benchmark.py " + " ".join(argv or sys.argv[1:]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "seed"
        write_seed(dataset, folder)
        results["folder"] = timed_reads(DataSource.folder(folder), args.repeat)
        print("folder", results["folder"], flush=True)

    server = None
    if os.environ.get("NEO4J_URI"):
        settings = ConnectionSettings.from_env()
    else:
        server = LocalServer(home=ROOT / ".neo4j" / "bench-source", port=free_port())
        server.start()
        settings = ConnectionSettings(uri=server.uri, password=server.password())
    try:
        with Store.connect(settings) as store:
            if store.count_nodes():
                raise SystemExit("the database is not empty: this benchmark replaces its data")
            store.apply_schema()
            store.load(dataset)
        with DataSource.neo4j(settings) as source:
            results["neo4j"] = timed_reads(source, args.repeat)
        print("neo4j", results["neo4j"], flush=True)
        with Store.connect(settings) as store:
            store.query("MATCH (n) DETACH DELETE n", write=True)
    finally:
        if server is not None:
            server.stop()

    out = args.out or ROOT / "benchmarks" / "results" / f"source-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
