"""The built wheel holds everything a user needs: installed into a fresh venv, it works.

An editable install reads the named queries and page assets from the checkout, so a file left
out of the wheel's package data goes unnoticed there. This test builds the wheel, installs it
(with its dependencies, from the package index or pip's cache) into a new virtual environment,
and runs the commands that read package data from a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from ..conftest import ROOT, SHIPPED_SEED


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh venv with the built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    # built from a clean copy: a build/ folder left by an earlier build in the checkout would
    # put into the wheel files that pyproject.toml no longer (or not yet) ships
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", ".neo4j", "out", "test-artifacts",
        "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__",
    ))  # fmt: skip
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    [wheel] = work.glob("ccm_graph-*.whl")
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    return bin_dir


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCM_GRAPH", "PYTHON"))}
    return subprocess.run([str(bin_dir / "ccm-graph"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_the_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import ccm_graph; print(ccm_graph.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(ROOT) not in where and "site-packages" in where


def test_query_list_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    shipped = sorted(p.stem for p in (ROOT / "cypher" / "queries").glob("*.cypher"))
    result = run(installed, tmp_path, "query", "--list", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert sorted(q["name"] for q in json.loads(result.stdout)) == shipped


def test_map_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "masg.html"
    result = run(installed, tmp_path, "map", "--preset", "masg", "--seed", str(SHIPPED_SEED),
                 "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "vis-network" in page or "vis.Network" in page
    assert "Mine Action Support Group" in page


def test_the_analyses_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """Every subpackage is in the wheel: the analyses and the demo run from it."""
    for args in (["gaps", "--format", "json"], ["recommend", "LAO", "--format", "json"],
                 ["support", "--format", "json"]):  # fmt: skip
        result = run(installed, tmp_path, *args, "--seed", str(SHIPPED_SEED))
        assert result.returncode == 0, (args, result.stderr)
        assert json.loads(result.stdout)
    result = run(installed, tmp_path, "demo", "--seed", str(SHIPPED_SEED), "--out", "demo")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "gaps.md").exists()


def test_handouts_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The hand-outs' templates (ccm_graph/templates) and catalogs are in the wheel."""
    seed = ("--seed", str(SHIPPED_SEED))
    brief, guide = tmp_path / "brief.html", tmp_path / "guide.md"
    result = run(installed, tmp_path, "brief", "TCD", *seed, "--lang", "fr", "--out", str(brief))
    assert result.returncode == 0, result.stderr
    assert "<h2>Partenaires à contacter</h2>" in brief.read_text(encoding="utf-8")
    result = run(installed, tmp_path, "brief", "--guide", *seed, "--out", str(guide))
    assert result.returncode == 0, result.stderr
    assert "## Why a Country Coalition" in guide.read_text(encoding="utf-8")
