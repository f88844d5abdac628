"""Benchmark: gaps plus partner recommendations for every affected State, at two graph sizes.

    .venv/bin/python benchmarks/analysis_benchmark.py            # 10k/100k and 20k/200k
    .venv/bin/python benchmarks/analysis_benchmark.py --quick    # 2k/20k and 4k/40k

For each size the seeded synthetic dataset (``benchmarks/synthetic.py``, labelled synthetic)
is analysed by the current code and by the straightforward first implementation, taken from
git at :data:`BASELINE_REV`, each in its own process. Timed: building the NetworkX graph from
the dataset, all gap rules, and ``recommend`` (top 10) for every affected State. Results go to
stdout and to ``benchmarks/results/analysis-<date>.json``; ``docs/performance.md`` records them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

BASELINE_REV = "ad6405b"
"""The landed code before the recommendation redesign (``main`` at ad6405b). The first analysis
commit, e302a99, can still be passed with ``--baseline-rev``."""

AS_OF = "2026-06-01"
SIZES = [(10_000, 100_000), (20_000, 200_000)]
QUICK_SIZES = [(2_000, 20_000), (4_000, 40_000)]


def child(actors: int, relations: int) -> dict[str, float | int]:
    """Run the workload in this process with whichever ``ccm_graph`` is first on the path."""
    sys.path.insert(1, str(ROOT / "benchmarks"))
    from synthetic import generate

    from ccm_graph.analysis import Forums, PartnerRecommender, synergy_gaps
    from ccm_graph.graph import build_graph

    dataset = generate(n_actors=actors, n_relations=relations, seed=42)
    # The synthetic data names its forums syn-forum-NNNNN: the first two play MASG and the
    # APMBC committee, so every gap rule has work to do.
    forums = Forums(masg="syn-forum-00000", apmbc_committee="syn-forum-00001",
                    ccm_prefix="syn-forum-")  # fmt: skip
    started = time.perf_counter()
    graph = build_graph(dataset)
    built = time.perf_counter()
    gaps = synergy_gaps(graph, as_of=AS_OF, forums=forums)
    gapped = time.perf_counter()
    recommender = PartnerRecommender.build(graph, as_of=AS_OF, forums=forums)
    affected = recommender.index.affected_states()
    recommended = sum(len(recommender.recommend(state, top=10)) for state in affected)
    done = time.perf_counter()
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "affected_states": len(affected),
        "gaps": len(gaps),
        "recommendations": recommended,
        "build_graph_s": round(built - started, 3),
        "gaps_s": round(gapped - built, 3),
        "recommend_all_s": round(done - gapped, 3),
        "analysis_s": round(done - built, 3),
        "total_s": round(done - started, 3),
    }


def baseline_tree(rev: str, target: Path) -> Path:
    """Extract ``ccm_graph/`` as it was at ``rev`` into ``target``."""
    archive = subprocess.run(
        ["git", "archive", rev, "ccm_graph"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def run_child(actors: int, relations: int, code: Path | None) -> dict[str, float | int]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    command = [sys.executable, __file__, "--child", str(actors), str(relations)]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import networkx

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "networkx": networkx.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--child", nargs=2, type=int, metavar=("ACTORS", "RELATIONS"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    sizes = QUICK_SIZES if args.quick else SIZES
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        baseline = baseline_tree(args.baseline_rev, Path(tmp))
        for actors, relations in sizes:
            for name, code in (("current", None), (f"baseline {args.baseline_rev}", baseline)):
                result = run_child(actors, relations, code)
                rows.append({"implementation": name, "actors": actors,
                             "relations": relations, **result})  # fmt: skip
                print(f"{name:>18} {actors:>6} actors {relations:>7} relations: "
                      f"graph {result['build_graph_s']:.2f}s, gaps {result['gaps_s']:.2f}s, "
                      f"recommend ×{result['affected_states']} "
                      f"{result['recommend_all_s']:.2f}s, total {result['total_s']:.2f}s",
                      flush=True)  # fmt: skip
    current = [r for r in rows if r["implementation"] == "current"]
    scaling = current[1]["total_s"] / current[0]["total_s"]
    print(f"doubling the graph: current total ×{scaling:.2f} (target ≤ 2.2)")
    print(
        f"target: current total at {sizes[0][0]} actors under 3 s: "
        f"{'met' if current[0]['total_s'] < 3 else 'MISSED'} ({current[0]['total_s']:.2f}s; "
        f"gaps + recommend {current[0]['analysis_s']:.2f}s)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"analysis-{date.today().isoformat()}.json"
    out.write_text(json.dumps({"machine": machine(), "as_of": AS_OF, "rows": rows,
                               "doubling_ratio": round(scaling, 3)}, indent=2) + "\n")  # fmt: skip
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
