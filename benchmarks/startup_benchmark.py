"""Benchmark: how long ``ccm-graph`` takes to start, against a bare ``import click``.

    .venv/bin/python benchmarks/startup_benchmark.py                 # 30 runs of each command
    .venv/bin/python benchmarks/startup_benchmark.py --runs 5 --label smoke

Each command runs as a fresh process, as a user types it. The commands take turns (one run of
each, then the next round), so a busy moment on the machine touches all of them alike; one
warm-up round is not counted. The figure is the median wall-clock time. The heavy libraries a
command imports are found with ``PYTHONPROFILEIMPORTTIME=1`` in one extra run. Results go to
stdout and ``benchmarks/results/startup-<date>[-<label>].json``; ``docs/performance.md``
records them.

Targets: ``ccm-graph --version`` at most twice the bare ``import click``; ``ccm-graph validate``
on the shipped seed under 0.4 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

HEAVY = ("neo4j", "networkx", "pyvis", "numpy")
"""Libraries a quick command should not need."""

VERSION_FACTOR = 2.0
"""``--version`` may take at most this many times the bare ``import click``."""

VALIDATE_SECONDS = 0.4
"""``validate`` on the shipped seed must take less than this."""


def commands() -> dict[str, list[str]]:
    """What is timed, by name: the bare click import and three ccm-graph commands."""
    script = str(Path(sys.executable).parent / "ccm-graph")
    return {
        "import click": [sys.executable, "-c", "import click"],
        "ccm-graph --version": [script, "--version"],
        "ccm-graph --help": [script, "--help"],
        "ccm-graph validate --seed seed": [script, "validate", "--seed", "seed"],
    }


def time_once(argv: list[str]) -> float:
    """Wall-clock seconds of one run; a failing command stops the benchmark."""
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def heavy_imports(argv: list[str]) -> list[str]:
    """The :data:`HEAVY` libraries that one run of ``argv`` imports."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    run = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    imported = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip().split(".")[0]
            imported.add(module)
    return [name for name in HEAVY if name in imported]


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "python": platform.python_version(),
            "platform": platform.platform()}  # fmt: skip


def load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each command")
    parser.add_argument("--label", default="", help="added to the results file name")
    args = parser.parse_args(argv)
    timed = commands()
    seconds: dict[str, list[float]] = {name: [] for name in timed}
    load_before = load_average()
    for round_number in range(args.runs + 1):
        for name, command in timed.items():
            elapsed = time_once(command)
            if round_number > 0:  # round 0 warms the file cache
                seconds[name].append(round(elapsed, 4))
    load_after = load_average()
    rows: list[dict[str, Any]] = []
    for name, command in timed.items():
        median = statistics.median(seconds[name])
        rows.append({"command": name, "median_s": round(median, 4),
                     "min_s": min(seconds[name]), "max_s": max(seconds[name]),
                     "heavy_imports": heavy_imports(command),
                     "seconds": seconds[name]})  # fmt: skip
        print(f"{name:<34} median {median * 1000:6.0f} ms  "
              f"(min {min(seconds[name]) * 1000:.0f}, max {max(seconds[name]) * 1000:.0f})  "
              f"heavy imports: {', '.join(rows[-1]['heavy_imports']) or 'none'}")  # fmt: skip
    medians = {row["command"]: row["median_s"] for row in rows}
    factor = medians["ccm-graph --version"] / medians["import click"]
    validate = medians["ccm-graph validate --seed seed"]
    targets = {
        "version_over_click": round(factor, 2),
        "version_met": factor <= VERSION_FACTOR,
        "validate_s": validate,
        "validate_met": validate < VALIDATE_SECONDS,
    }
    print(f"--version / import click: {factor:.2f}× (target ≤ {VERSION_FACTOR}×: "
          f"{'met' if targets['version_met'] else 'MISSED'})")  # fmt: skip
    print(f"validate on the seed: {validate * 1000:.0f} ms (target < {VALIDATE_SECONDS * 1000:.0f} "
          f"ms: {'met' if targets['validate_met'] else 'MISSED'})")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    out = RESULTS / f"startup-{date.today().isoformat()}{suffix}.json"
    report = {"date": date.today().isoformat(), "machine": machine(), "runs": args.runs,
              "load_average_before": load_before, "load_average_after": load_after,
              "targets": targets, "rows": rows}  # fmt: skip
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
