"""``ccm-graph map`` through click's CliRunner: files written, exit codes, messages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from ccm_graph.cli import cli
from ccm_graph.cli.maps import map_command
from ccm_graph.dataset import read_seed
from ccm_graph.maps import PRESETS
from ccm_graph.store import Store

from ..conftest import SMALL_SEED


def run(*args: str, env: dict | None = None) -> Result:
    return CliRunner().invoke(cli, ["map", *args], env=env, catch_exceptions=False)


def payload(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    block = re.search(r'id="ccm-map-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_preset_choices_and_help_come_from_the_registry() -> None:
    option = next(p for p in map_command.params if p.name == "preset")
    assert tuple(option.type.choices) == tuple(PRESETS)  # type: ignore[attr-defined]
    for preset in PRESETS.values():
        assert f"{preset.name}: {preset.description}" in (option.help or "")


def test_whole_network_map(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = run("--seed", str(SMALL_SEED), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Wrote {out} (html, {out.stat().st_size / 1024:,.0f} KB): 13 records, "
        "12 relationships, physics layout.",
        "Restricted records were left out (--include-restricted to map them).",
    ]
    data = payload(out)
    assert data["meta"]["title"] == "CCM stakeholder map: the whole network"
    assert data["meta"]["layout"] == "physics"
    assert "secretdonor" not in {n["id"] for n in data["nodes"]}
    assert "RESTRICTED DATA" not in out.read_text(encoding="utf-8")


def test_focus_map_with_static_layout_and_funding_sizes(tmp_path: Path) -> None:
    out = tmp_path / "lao.html"
    result = run(
        "--seed", str(SMALL_SEED), "--focus", "LAO", "--depth", "2", "--layout", "static",
        "--size-by", "funding", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = payload(out)
    assert {n["id"] for n in data["nodes"]} == {"LAO", "ob-LAO-4", "halo", "NLD"}
    assert data["meta"]["title"] == "Lao PDR and its neighbourhood (2 steps)"
    assert data["meta"]["sizeBy"] == "money given plus received (USD)"
    assert all("x" in n for n in data["nodes"])
    assert data["meta"]["command"] == (
        f"ccm-graph map --focus LAO --depth 2 --size-by funding --layout static "
        f"--out {out.name} --seed {SMALL_SEED.name}"  # no machine path (issue 22)
    )


def test_coalition_and_preset_views(tmp_path: Path) -> None:
    out = tmp_path / "coalition.html"
    assert (
        run("--seed", str(SMALL_SEED), "--coalition", "coal-lbn", "--out", str(out)).exit_code == 0
    )
    assert {n["id"] for n in payload(out)["nodes"]} == {"coal-lbn", "NLD", "LBN", "ob-LBN-4"}
    out = tmp_path / "masg.html"
    assert run("--seed", str(SMALL_SEED), "--preset", "masg", "--out", str(out)).exit_code == 0
    assert len(payload(out)["nodes"]) == 6


def test_unknown_focus_exits_1_with_suggestions(tmp_path: Path) -> None:
    result = run("--seed", str(SMALL_SEED), "--focus", "XYZ", "--out", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no actor 'XYZ'"
    result = run("--seed", str(SMALL_SEED), "--focus", "LOA", "--out", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no actor 'LOA'; did you mean 'LAO'")
    assert not (tmp_path / "m.html").exists()


def test_unknown_coalition_exits_1(tmp_path: Path) -> None:
    result = run("--seed", str(SMALL_SEED), "--coalition", "coal-lbm", "--out", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert "no coalition 'coal-lbm'; did you mean 'coal-lbn'?" in result.stderr


def test_restricted_focus_needs_include_restricted(tmp_path: Path) -> None:
    out = tmp_path / "secret.html"
    result = run("--seed", str(SMALL_SEED), "--focus", "secretdonor", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr == "Error: no actor 'secretdonor'\n"  # as if unknown: no hint
    result = run(
        "--seed", str(SMALL_SEED), "--focus", "secretdonor", "--include-restricted",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "says so at the top" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "RESTRICTED DATA" in page
    assert {n["id"] for n in payload(out)["nodes"]} == {"secretdonor", "coal-lbn"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "LAO", "--coalition", "coal-lbn"], "not --focus and --coalition"),
        (["--coalition", "coal-lbn", "--preset", "masg"], "not --coalition and --preset"),
        (["--depth", "2"], "--depth only applies with --focus"),
        (["--focus", "LAO", "--depth", "0"], "0 is not in the range x>=1"),
        (["--preset", "nato"], "'nato' is not 'masg'"),
        (["--format", "json", "--layout", "static"], "--layout only applies to --format html"),
        (["--format", "gexf", "--size-by", "funding"], "--size-by only applies"),
        (["--layout", "spiral"], "Invalid value for '--layout'"),
    ],
)
def test_usage_mistakes_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "m.html"
    result = run("--seed", str(SMALL_SEED), *args, "--out", str(out))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_out_is_required() -> None:
    result = run("--seed", str(SMALL_SEED))
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_graph_formats_from_the_suffix(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"lao.{fmt}"
    result = run("--seed", str(SMALL_SEED), "--focus", "LAO", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"({fmt}, " in result.stdout
    if fmt == "graphml":
        back = nx.read_graphml(out)
    elif fmt == "gexf":
        back = nx.read_gexf(out)
    else:
        back = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert set(back) == {"LAO", "ob-LAO-4", "halo"}


def test_format_option_beats_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "map.txt"
    assert run("--seed", str(SMALL_SEED), "--format", "json", "--out", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["directed"] is True
    out = tmp_path / "map.unknown"
    assert run("--seed", str(SMALL_SEED), "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_page_never_shows_the_password(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = run(
        "--seed", str(SMALL_SEED), "--password", "hunter2-secret", "--user", "analyst",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "hunter2-secret" not in page
    assert "--password" not in page
    assert payload(out)["meta"]["command"] == (
        f"ccm-graph map --out {out.name} --user analyst --seed {SMALL_SEED.name}"
    )


def test_the_page_never_shows_credentials_in_the_uri(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    uri = "neo4j+s://analyst:hunter2-secret@db.example.org:7687"
    result = run("--seed", str(SMALL_SEED), "--uri", uri, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "hunter2-secret" not in out.read_text(encoding="utf-8")
    assert "--uri neo4j+s://db.example.org:7687" in payload(out)["meta"]["command"]


def test_as_of_date_comes_from_the_metadata(tmp_path: Path, small_seed: Path) -> None:
    out = tmp_path / "m.html"
    assert run("--seed", str(small_seed), "--out", str(out)).exit_code == 0
    assert payload(out)["meta"]["asOf"] == "not stated in the data"  # no path in the header
    assert str(small_seed) not in payload(out)["meta"]["asOf"]
    (small_seed / "README.md").write_text("**As-of date: 27 February 2026.**\n", encoding="utf-8")
    assert run("--seed", str(small_seed), "--out", str(out)).exit_code == 0
    assert payload(out)["meta"]["asOf"] == "2026-02-27"  # older folders: the README
    assert 'id="map-as-of">2026-02-27<' in out.read_text(encoding="utf-8")
    (small_seed / "metadata.json").write_text('{"as_of": "2026-03-31"}', encoding="utf-8")
    assert run("--seed", str(small_seed), "--out", str(out)).exit_code == 0
    assert payload(out)["meta"]["asOf"] == "2026-03-31"  # the metadata file wins


def test_gaps_ring_records_found_by_the_analysis(tmp_path: Path) -> None:
    out = tmp_path / "gaps.html"
    result = run("--seed", str(SMALL_SEED), "--gaps", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "records ringed for gaps" in result.stdout
    data = payload(out)
    ringed = {n["id"] for n in data["nodes"] if "gaps" in n}
    # Lebanon's and Lao PDR's clearance deadlines are open with little support.
    assert ringed & {"LAO", "ob-LAO-4", "LBN", "ob-LBN-4"}
    assert data["styles"]["gapsShown"] is True


def test_gaps_in_a_graph_file(tmp_path: Path) -> None:
    out = tmp_path / "gaps.graphml"
    assert run("--seed", str(SMALL_SEED), "--gaps", "--out", str(out)).exit_code == 0
    back = nx.read_graphml(out)
    assert any("gaps" in data for _, data in back.nodes(data=True))


def test_map_from_neo4j(tmp_path: Path, store: Store, neo4j_env: dict) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SMALL_SEED, seed)
    (seed / "metadata.json").write_text('{"as_of": "2026-03-31"}', encoding="utf-8")
    store.load(read_seed(seed))
    out = tmp_path / "neo4j.html"
    result = run("--from", "neo4j", "--focus", "LAO", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = payload(out)
    assert data["meta"]["asOf"] == "2026-03-31"  # the loaded folder's metadata
    assert {n["id"] for n in data["nodes"]} == {"LAO", "ob-LAO-4", "halo"}
    assert neo4j_env["NEO4J_PASSWORD"] not in out.read_text(encoding="utf-8")


def test_masg_map_rings_only_high_findings_by_default(tmp_path: Path) -> None:
    out = tmp_path / "masg.html"
    result = run("--preset", "masg", "--gaps", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = payload(out)
    found = [n for n in data["nodes"] if "gaps" in n]
    high = [n for n in found if n["gapLevel"] == "high"]
    assert 0 < len(high) < len(found)
    assert f"{len(high)} records ringed for gaps ({len(found)} with a finding" in result.stdout
    assert data["styles"]["ringLevels"] == ["high"]


@pytest.mark.parametrize(
    ("args", "suffix"),
    [
        (["--preset", "masg", "--gaps"], "html"),
        (["--focus", "TCD", "--depth", "2", "--gaps"], "json"),
        (["--coalition", "coal-mne"], "gexf"),
        ([], "graphml"),
    ],
    ids=["masg-html", "focus-json", "coalition-gexf", "whole-graphml"],
)
def test_the_same_command_writes_the_same_bytes_whatever_the_hash_seed(
    tmp_path: Path, args: list[str], suffix: str
) -> None:
    """Two fresh processes with different PYTHONHASHSEED (set and dict order of strings
    differ between them) write identical files, so maps diff cleanly in git."""
    import os
    import subprocess
    import sys

    out = tmp_path / f"map.{suffix}"
    written = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "ccm_graph", "map", *args, "--out", str(out)],
            check=True, env=env, capture_output=True, cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip
        written.append(out.read_bytes())
    assert written[0] == written[1]


def test_focus_on_chad_shows_funding_to_its_national_authority(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seed", seed)
    with (seed / "relations.csv").open("a", encoding="utf-8", newline="") as rows:
        rows.write("JPN,FUNDS,na-tcd,,2025,250000,CCM,survey in Tibesti,,,public,test row,\n")
    out = tmp_path / "tcd.json"
    result = run("--seed", str(seed), "--focus", "TCD", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"TCD", "na-tcd", "JPN"} <= {n["id"] for n in data["nodes"]}
    assert any(
        (e["source"], e["target"], e["type"]) == ("JPN", "na-tcd", "FUNDS") for e in data["edges"]
    )
