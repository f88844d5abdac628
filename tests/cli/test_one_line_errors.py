"""Inputs that used to end in a traceback: one line and the right exit code each (issue 22,
item 8), with property tests over each class of input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_graph.cli import cli
from ccm_graph.connection import ConnectionSettings
from ccm_graph.errors import StoreUnavailable
from ccm_graph.localserver import free_port
from ccm_graph.query_library import param_value

from ..conftest import SMALL_SEED


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def one_line(result: Result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.stderr


def test_a_400_digit_amount_is_one_problem(small_seed: Path) -> None:
    relations = small_seed / "relations.csv"
    relations.write_text(
        relations.read_text(encoding="utf-8").replace("2024,1500000,", f"2024,{'9' * 400},"),
        encoding="utf-8",
    )
    stderr = one_line(run("validate", "--seed", str(small_seed)), 1)
    problem, summary = stderr.strip().splitlines()
    assert "relations.csv:2: amount_usd" in problem and len(problem) < len(str(small_seed)) + 200
    assert summary.startswith("1 problem found")


@pytest.mark.parametrize("value", ["99999999999999999999", "-9223372036854775809", "1e999"])
def test_a_number_neo4j_cannot_hold_is_refused(value: str) -> None:
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    stderr = one_line(run("query", "RETURN $x", "--param", f"x={value}", env=env), 2)
    assert "--param" in stderr and "x" in stderr


def test_a_binary_query_file_is_refused(tmp_path: Path) -> None:
    binary = tmp_path / "q.cypher"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xc6\xff\x00")
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    stderr = one_line(run("query", "--file", str(binary), env=env), 2)
    assert "not UTF-8 text" in stderr


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_a_layout_seed_out_of_range_is_a_usage_error(seed: str, tmp_path: Path) -> None:
    result = run("map", "--seed", str(SMALL_SEED), "--layout", "static", "--layout-seed", seed,
                 "--out", str(tmp_path / "m.html"))  # fmt: skip
    assert "--layout-seed" in one_line(result, 2)
    assert not (tmp_path / "m.html").exists()


def test_an_http_uri_is_one_line_exit_3() -> None:
    result = run("stats", "--from", "neo4j", env={"NEO4J_URI": "http://localhost:7474"})
    stderr = one_line(result, 3)
    assert stderr.startswith("Error: invalid Neo4j URI 'http://localhost:7474'")
    assert "Hint:" in stderr


def test_demo_without_an_affected_state_writes_what_it_can(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    shutil.copytree(SMALL_SEED, seed)
    for name in ("obligations.csv", "coalitions.csv"):
        lines = (seed / name).read_text(encoding="utf-8").splitlines()
        (seed / name).write_text(lines[0] + "\n", encoding="utf-8")
    relations = (seed / "relations.csv").read_text(encoding="utf-8").splitlines()
    kept = [r for r in relations if "SUPPORTS" not in r and "coal-" not in r]
    (seed / "relations.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run("demo", "--seed", str(seed), "--out", str(tmp_path / "demo"))
    one_line(result, 0)
    assert "No brief: the data holds no coalition and no affected State Party" in result.stdout
    assert (tmp_path / "demo" / "gaps.md").is_file()
    assert not list((tmp_path / "demo").glob("brief-*"))


# --- the classes, as properties ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.integers(min_value=-(10**400), max_value=10**400).map(str),
        st.floats().map(str),
        st.sampled_from(["nan", "inf", "-inf", "Infinity", "1_000", "1e999", "[NaN]", "[1e999]",
                         f"[{2**70}]", " 7 ", "0x10", "1e3", ".5", "-0"]),
    )
)  # fmt: skip
def test_a_param_is_a_value_neo4j_can_hold_or_refused(text: str) -> None:
    try:
        value = param_value(text)
    except ValueError as exc:
        assert str(exc) and "\n" not in str(exc)
        return

    def holdable(v: object) -> bool:
        if isinstance(v, bool) or v is None or isinstance(v, str):
            return True
        if isinstance(v, int):
            return -(2**63) <= v < 2**63
        if isinstance(v, float):
            return v == v and abs(v) != float("inf")
        if isinstance(v, list):
            return all(holdable(x) for x in v)
        if isinstance(v, dict):
            return all(holdable(x) for x in v.values())
        return False

    assert holdable(value), value
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert "_" not in text and text.strip().lower() not in ("nan", "inf", "-inf", "infinity")


@settings(max_examples=200, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "bolt", "neo4j", "neo4j+s", "ftp", "", "bolt+ssc"]),
    rest=st.text(max_size=40),
)
def test_any_uri_is_accepted_or_refused_as_unavailable(scheme: str, rest: str) -> None:
    settings_ = ConnectionSettings(uri=f"{scheme}://{rest}" if scheme else rest)
    try:
        settings_.check_uri()
    except StoreUnavailable as exc:
        assert str(exc).startswith("invalid Neo4j URI") and exc.hint
        return
    assert scheme in ("bolt", "neo4j", "neo4j+s", "bolt+ssc")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=-(2**70), max_value=2**70))
def test_any_layout_seed_is_used_or_refused(seed: int) -> None:
    from ccm_graph.dataset import read_seed
    from ccm_graph.graph import build_graph
    from ccm_graph.maps.layout import MAX_LAYOUT_SEED, static_positions

    graph = build_graph(read_seed(SMALL_SEED))
    try:
        positions = static_positions(graph, seed=seed)
    except ValueError as exc:
        assert "seed" in str(exc) and not 0 <= seed <= MAX_LAYOUT_SEED
        return
    assert 0 <= seed <= MAX_LAYOUT_SEED and set(positions) == set(graph.nodes)


@settings(max_examples=25, deadline=None)
@given(content=st.binary(max_size=60))
def test_any_query_file_is_one_line(
    content: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("q") / "q.cypher"
    path.write_bytes(content)
    result = run("query", "--file", str(path), env={"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"})
    assert result.exit_code in (2, 3), result.output  # refused, or the (absent) server
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
