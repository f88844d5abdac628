"""One workbench save on Neo4j, alone: how long ``save_dataset`` takes for a one-record edit.

The local Neo4j (:mod:`ccm_graph.localserver`, a private home in a temporary folder, or
``NEO4J_URI`` … when set and ``--wipe-external`` is given) holds the shipped seed. Then, one
after the other, ``--saves`` saves each append a marker to the ``notes`` of one public actor
(in turn over the first ``--pool`` of them), as the edit form does: ``save_dataset`` with the
change made against the stored record, through a :class:`~ccm_graph.source.DataSource` that
is read again after each save, as the workbench's next page reads it. Nothing else runs.

Reported: per save, the wall time of ``save_dataset`` (p50, min, max, in milliseconds), how
many saves wrote a snapshot, the load average before and after. Results go to
``benchmarks/results/save-<date>[-<tag>].json``; ``docs/performance.md`` records them.

    .venv/bin/python benchmarks/save_benchmark.py [--saves 30] [--pool 20] [--heap 1g]
        [--tag before]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "benchmarks"))


def run(args: argparse.Namespace, settings: Any, work: Path) -> dict[str, Any]:
    """Load the seed, make the saves one after the other, time each."""
    from ccm_graph.dataset import read_seed
    from ccm_graph.keeping import find_record, replace_record, save_dataset
    from ccm_graph.source import DataSource
    from ccm_graph.store import Store

    logging.getLogger("neo4j").setLevel(logging.ERROR)  # "label does not exist" on a new database
    seed = read_seed(args.seed)
    with Store.connect(settings) as store:
        store.apply_schema()
        store.load(seed, wipe=True)
    pool = [a.id for a in seed.actors if a.sensitivity != "restricted"][: args.pool]
    times: list[float] = []
    snapshots = 0
    with DataSource.neo4j(settings) as source:
        source.read(include_restricted=True)  # the workbench has read the data before a save
        for number in range(args.saves):
            ident = pool[number % len(pool)]
            marker = f"save-{number}"

            def change(current: Any, ident: str = ident, marker: str = marker) -> Any:
                old = find_record(current, "actor", ident)
                notes = f"{old.notes} {marker}".strip() if old.notes else marker
                return replace_record(current, "actor", old, dataclasses.replace(old, notes=notes))

            started = time.perf_counter()
            saved = save_dataset(source, change, expected=None, summary=f"actor ~1 ({marker})",
                                 by="benchmark", snapshots_dir=work / "snapshots")  # fmt: skip
            times.append(time.perf_counter() - started)
            snapshots += saved.snapshot is not None
            source.read(include_restricted=True)  # the next page reads the new data
    ms = sorted(t * 1000 for t in times)
    return {
        "saves": len(times),
        "pool_of_records": len(pool),
        "snapshots_written": snapshots,
        "records": {
            "actors": len(seed.actors),
            "relations": len(seed.relations),
            "evidence": len(seed.evidence),
        },
        "save_ms": {
            "p50": round(statistics.median(ms), 1),
            "min": round(ms[0], 1),
            "max": round(ms[-1], 1),
            "first": round(times[0] * 1000, 1),
        },
    }


def main(argv: list[str] | None = None) -> int:
    from analysis_benchmark import machine
    from benchmark_neo4j import benchmark_neo4j, load_average

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--pool", type=int, default=20, help="actors the saves edit in turn")
    parser.add_argument("--heap", default="1g", help="the local Neo4j's heap")
    parser.add_argument("--seed", type=Path, default=ROOT / "seed")
    parser.add_argument("--tag", default="", help="added to the results file's name")
    parser.add_argument("--wipe-external", action="store_true",
                        help="use NEO4J_URI … (everything in it is replaced)")  # fmt: skip
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"machine": {**machine(), "load_average_before": load_average()},
                              "command": "benchmarks/save_benchmark.py " + " ".join(
                                  argv if argv is not None else sys.argv[1:])}  # fmt: skip
    with (
        tempfile.TemporaryDirectory(prefix="ccm-save-") as tmp,
        benchmark_neo4j(Path(tmp), heap=args.heap, wipe_external=args.wipe_external) as (
            settings, neo4j),
    ):  # fmt: skip
        result["neo4j"] = neo4j
        result["save"] = run(args, settings, Path(tmp))
    result["machine"]["load_average_after"] = load_average()
    print(result["save"])
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.tag}" if args.tag else ""
    out = RESULTS / f"save-{date.today().isoformat()}{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
