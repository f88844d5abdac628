"""The load benchmark runs, at a tiny size, against the test server (its figures are not
checked: speed targets live in benchmarks/, not in timed tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT


def test_the_load_benchmark_runs_at_a_tiny_size(neo4j_env: dict, tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    command = [
        sys.executable, str(ROOT / "benchmarks" / "load_benchmark.py"),
        "--actors", "200", "--relations", "1000", "--repeat", "2", "--scale", "2,4",
        "--no-warmup", "--wipe-external", "--out", str(out),
    ]  # fmt: skip
    import_dir = ROOT / ".neo4j" / "test" / "import"
    external = "NEO4J_URI" in os.environ and not import_dir.is_dir()
    command += ["--methods", "project"] if external else [
        "--methods", "project,load_csv", "--import-dir", str(import_dir)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ),
                          cwd=ROOT, check=False, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    project = [r for r in results["runs"] if r["method"] == "project"]
    assert [r["repeat"] for r in project] == [1, 2]
    if not external:  # interleaved, each round led by the next method
        assert [r["method"] for r in results["runs"]] == [
            "project", "load_csv", "load_csv", "project"]  # fmt: skip
        assert results["summary"]["project_vs_load_csv"]["target"] == 1.0
    scale = results["summary"]["scale"]["project"]
    assert [r["actors"] for r in results["scale_runs"]] == [400, 800]
    assert {r["method"] for r in results["scale_runs"]} == {"project"}
    assert all(r["content_verified"] for r in results["scale_runs"])
    assert [(s["from_rows"], s["to_rows"]) for s in scale["steps"]] == [
        (project[0]["rows"], results["scale_runs"][0]["rows"]),
        (results["scale_runs"][0]["rows"], results["scale_runs"][1]["rows"]),
    ]
    assert all(s["per_doubling"] > 0 for s in scale["steps"])
    assert "per doubling" in done.stdout
