"""The command line through click's CliRunner: exit codes 0, 1, 2 and 3, messages, state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph import __version__
from ccm_graph.cli import cli, parse_param
from ccm_graph.dataset import read_seed
from ccm_graph.localserver import free_port
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import SMALL_SEED


def run(*args: str, env: dict | None = None) -> object:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"ccm-graph, version {__version__}"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(cli.commands[command].help or "") > 20


def test_validate_clean_folder() -> None:
    result = run("validate", "--seed", str(SMALL_SEED))
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        f"{SMALL_SEED}: valid (9 actors, 3 obligations, 2 coalitions, 1 activity, 10 relations)."
    )


def test_validate_lists_every_problem_and_exits_1(small_seed: Path) -> None:
    with (small_seed / "relations.csv").open("a", encoding="utf-8") as handle:
        handle.write("NLD,FUNDS,nobody,,2024,1,CCM,,,,public,src,\n")
        handle.write("NLD,FUNDS,halo,,20x4,1,CCM,,,,public,src,\n")
    result = run("validate", "--seed", str(small_seed))
    assert result.exit_code == 1
    path = small_seed / "relations.csv"
    assert result.stderr.splitlines() == [
        f"{path}:12: to: unknown id 'nobody'",
        f"{path}:13: year: '20x4' is not a year (YYYY)",
        "2 problems found; nothing was written.",
    ]
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--nonsense"],
        ["stats", "--format", "xml"],
        ["stats", "--from", "excel"],
        ["query"],
        ["query", "RETURN 1", "--param", "novalue"],
        ["load", "--batch-size", "0"],
        ["export"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_stats_from_seed_as_json() -> None:
    result = run("stats", "--seed", str(SMALL_SEED), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["nodes"]["state"] == 4  # the restricted one is not counted
    assert data["obligations"] == {"Article 3 completed": 1, "Article 4 extended": 2}
    result = run("stats", "--seed", str(SMALL_SEED), "--format", "json", "--include-restricted")
    assert json.loads(result.stdout)["nodes"]["state"] == 5


def test_stats_as_csv() -> None:
    result = run("stats", "--seed", str(SMALL_SEED), "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "section,name,count"
    assert "relationships,FUNDS,2" in lines  # without the restricted ones


def test_demo_runs_on_the_shipped_seed(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run("demo", "--out", str(out), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "is valid" in result.stdout and "Obligations by article and status" in result.stdout
    assert json.loads((out / "stats.json").read_text())["nodes"]["state"] > 100
    gaps = json.loads((out / "gaps.json").read_text())
    assert f"{len(gaps)} synergy gaps found" in result.stdout
    report = (out / "gaps.md").read_text(encoding="utf-8")
    assert report.startswith("# Synergy gaps")
    # the support table heads the report, before the first gap
    assert (
        report.index("## Support by State")
        < report.index("| State | Article |")
        < report.index("## Gaps by State")
    )
    assert "supporters and funding recorded in 2023–2026" in report
    first = json.loads((out / "support.json").read_text(encoding="utf-8"))[0]
    assert f"({first['state']})" in report
    page = (out / "masg-map.html").read_text(encoding="utf-8")
    assert "MASG members, affected States Parties and their gaps" in page
    [brief] = out.glob("brief-*.html")
    assert "Country Coalition" in brief.read_text(encoding="utf-8")
    assert str(brief) in result.stdout


def test_demo_on_an_invalid_seed_writes_nothing(small_seed: Path, tmp_path: Path) -> None:
    (small_seed / "actors.csv").write_text("id,kind\n", encoding="utf-8")
    result = run("demo", "--seed", str(small_seed), "--out", str(tmp_path / "demo"))
    assert result.exit_code == 1
    assert not (tmp_path / "demo").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("n=3", ("n", 3)),
        ("x=2.5", ("x", 2.5)),
        ("flag=true", ("flag", True)),
        ("flag=False", ("flag", False)),
        ("nothing=null", ("nothing", None)),
        ('ids=["LAO","LBN"]', ("ids", ["LAO", "LBN"])),
        ('m={"a": 1}', ("m", {"a": 1})),
        ("name=Lao PDR", ("name", "Lao PDR")),
        ("date=2026-09-14", ("date", "2026-09-14")),
        ("eq=a=b", ("eq", "a=b")),
        ("empty=", ("empty", "")),
    ],
)
def test_param_values_are_typed(text: str, expected: tuple) -> None:
    assert parse_param(text) == expected


# --- against the real Neo4j -------------------------------------------------------------------


def test_unreachable_server_exits_3() -> None:
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{free_port()}", "NEO4J_PASSWORD": "s3cret-pw"}
    result = run("load", "--seed", str(SMALL_SEED), env=env)
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:")
    assert "Hint:" in result.stderr
    assert "s3cret-pw" not in result.output and "Traceback" not in result.output


def test_wrong_password_exits_3_without_echoing_it(neo4j_env: dict) -> None:
    result = run("stats", "--from", "neo4j", env={"NEO4J_PASSWORD": "wrong-horse-battery"})
    assert result.exit_code == 3
    assert "refused the credentials for user 'neo4j'" in result.stderr
    assert "wrong-horse-battery" not in result.output and "Traceback" not in result.output


def test_load_query_stats_export_workflow(
    neo4j_env: dict, neo4j_settings: ConnectionSettings, tmp_path: Path
) -> None:
    result = run("load", "--seed", str(SMALL_SEED), "--wipe", "--snapshots",
                 str(tmp_path / "snapshots"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "actor 9, obligation 3, coalition 2, activity 1; 15 relationships" in result.stdout

    with Store.connect(neo4j_settings) as store:
        assert store.read_dataset().sorted() == read_seed(SMALL_SEED).sorted()

    result = run(
        "query",
        "MATCH (s:State)-[:HAS_OBLIGATION]->(o:Obligation) WHERE o.article = $article "
        "RETURN s.id AS state, o.deadline AS deadline ORDER BY deadline",
        "--param",
        "article=4",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"state": "LAO", "deadline": "2025-08-01"},
        {"state": "LBN", "deadline": "2026-05-01"},
    ]

    result = run("stats", "--from", "neo4j", "--format", "json", "--include-restricted")
    assert json.loads(result.stdout)["relationships"]["FUNDS"] == 4

    result = run("export", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "Restricted records were left out" in result.stdout
    exported = read_seed(tmp_path / "out")
    assert not exported.has_restricted()
    assert len(exported.actors) == 8

    result = run("export", "--out", str(tmp_path / "all"), "--include-restricted")
    assert read_seed(tmp_path / "all").sorted() == read_seed(SMALL_SEED).sorted()


def test_query_refuses_writes_without_flag(neo4j_env: dict, store: Store) -> None:
    result = run("query", "CREATE (n:Actor {id: 'sneaky'}) RETURN n")
    assert result.exit_code == 1
    assert "--write" in result.stderr and "Traceback" not in result.output
    assert store.query("MATCH (n {id: 'sneaky'}) RETURN count(n) AS n").rows == [{"n": 0}]
    result = run("query", "CREATE (n:Probe {id: $id}) RETURN n.id AS id", "--param", "id=ok",
                 "--write")  # fmt: skip
    assert result.exit_code == 0
    assert store.query("MATCH (n:Probe) RETURN n.id AS id").rows == [{"id": "ok"}]


def test_query_syntax_error_is_one_line_exit_1(neo4j_env: dict) -> None:
    result = run("query", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_query_from_file(neo4j_env: dict, store: Store, tmp_path: Path) -> None:
    store.load(read_seed(SMALL_SEED))
    query_file = tmp_path / "q.cypher"
    query_file.write_text("MATCH (a:Actor {id: $id}) RETURN a.name AS name", encoding="utf-8")
    result = run("query", "--file", str(query_file), "--param", "id=evil", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["name", "'}) DETACH DELETE n //"]


def test_invalid_seed_is_not_loaded(neo4j_env: dict, store: Store, small_seed: Path) -> None:
    with (small_seed / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("LAO,state,Again,LAO,asia_pacific,state_party,,public,src,\n")
    result = run("load", "--seed", str(small_seed))
    assert result.exit_code == 1
    assert "duplicate id 'LAO'" in result.stderr
    assert store.count_nodes() == 0


def test_query_list_shows_the_library() -> None:
    result = run("query", "--list", "--format", "json")
    assert result.exit_code == 0
    names = [q["name"] for q in json.loads(result.stdout)]
    assert len(names) >= 12 and "obligations-due-before" in names


def test_named_query_needs_its_parameters() -> None:
    result = run("query", "--name", "state-profile")
    assert result.exit_code == 2
    assert "needs --param 'state=…'" in result.stderr
    result = run("query", "--name", "state-profle")
    assert result.exit_code == 2
    assert "did you mean state-profile?" in result.stderr


def test_named_query_runs(neo4j_env: dict, store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("query", "--name", "state-profile", "--param", 'state="LBN"', "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["coalitions"] == ["Country Coalition Lebanon (active)"]
