"""Restricted records stay out of every read path, from files or from Neo4j.

One matrix: every command of the CLI × the restricted fixture (``tests/fixtures/small``, with
its restricted relation given recognisable values), zero leaks by default; and with
``--include-restricted`` the output says so in red. A command missing from the matrix fails
:func:`test_every_command_is_in_the_matrix`, so one added later cannot be forgotten.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from ccm_graph.cli import cli
from ccm_graph.cli.common import RESTRICTED_WARNING
from ccm_graph.cli.data import parse_param
from ccm_graph.dataset import read_seed
from ccm_graph.query_library import load_queries, run_named
from ccm_graph.store import Store

from ..conftest import SMALL_SEED

LIBRARY = load_queries()

SECRETS = (
    "secretdonor",  # a restricted State (a donor)
    "Secret Donor",
    "coal-secret",  # a restricted coalition focused on LAO
    "Quiet coalition",
    "pledge-under-negotiation",  # the purpose of the restricted CHE -> LAO funding
    "31337",  # its amount, in every spelling
    "31,337",
    "31 337",
)


@pytest.fixture
def restricted_seed(tmp_path: Path) -> Path:
    """The small fixture; its restricted relation gets a purpose and amount we can look for."""
    folder = tmp_path / "seed"
    shutil.copytree(SMALL_SEED, folder)
    relations = folder / "relations.csv"
    text = relations.read_text(encoding="utf-8")
    old = "CHE,FUNDS,LAO,,2025,5,APMBC,,,,restricted"
    assert old in text
    relations.write_text(
        text.replace(old, "CHE,FUNDS,LAO,,2025,31337,APMBC,pledge-under-negotiation,,,restricted"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def loaded(store: Store, restricted_seed: Path, neo4j_env: dict) -> Path:
    store.load(read_seed(restricted_seed), wipe=True)
    return restricted_seed


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def files_text(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*"))
        if p.is_file()
    )  # fmt: skip


# Each entry: command path → a function (seed, out folder, origin) returning what a user sees
# (stdout, stderr and the files written). ``origin`` is "seed" or "neo4j".
Case = Callable[[Path, Path, str], str]


def _plain(*args: str) -> Case:
    def case(seed: Path, out: Path, origin: str) -> str:
        result = invoke(*args, "--from", origin, "--seed", str(seed))
        assert result.exit_code == 0, result.output
        return result.output

    return case


def _map(seed: Path, out: Path, origin: str) -> str:
    texts = []
    for name in ("map.html", "map.json", "map.graphml"):
        result = invoke("map", "--from", origin, "--seed", str(seed), "--out", str(out / name))
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    return "\n".join(texts) + files_text(out)


def _brief(seed: Path, out: Path, origin: str) -> str:
    texts = []
    for target, name in (("coal-lbn", "lbn.md"), ("LAO", "lao.html"), ("LBN", "lbn.html")):
        result = invoke("brief", target, "--from", origin, "--seed", str(seed),
                        "--out", str(out / name))  # fmt: skip
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    result = invoke("brief", "--guide", "--out", str(out / "guide.md"))
    assert result.exit_code == 0, result.output
    return "\n".join(texts) + files_text(out)


def _demo(seed: Path, out: Path, origin: str) -> str:
    result = invoke("demo", "--seed", str(seed), "--out", str(out / "demo"))
    assert result.exit_code == 0, result.output
    return result.output + files_text(out)


def _export(seed: Path, out: Path, origin: str) -> str:
    result = invoke("export", "--out", str(out / "export"))
    assert result.exit_code == 0, result.output
    return result.output + files_text(out)


def _named_queries(seed: Path, out: Path, origin: str) -> str:
    texts = []
    for query in LIBRARY.values():
        if not query.restricted_honoured:  # refused: it could leak
            refused = invoke("query", "--name", query.name)
            assert refused.exit_code == 1 and refused.stdout == ""
            assert "does not declare that it keeps restricted records out" in refused.stderr
            continue
        args = ["query", "--name", query.name, "--format", "json"]
        for param in query.user_params:
            example = {"state": "LAO", "forum": "coal-lbn", "from": "CHE", "to": "LAO"}.get(
                param.name, param.example
            )
            args += ["--param", f"{param.name}={example}"]
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    return "\n".join(texts)


def _coalition_list(seed: Path, out: Path, origin: str) -> str:
    result = invoke("coalition", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return result.output


def _coalition_show(seed: Path, out: Path, origin: str) -> str:
    texts = []
    for fmt in ("table", "json", "csv"):
        result = invoke("coalition", "show", "coal-lbn", "--format", fmt)
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    hidden = invoke("coalition", "show", "coal-secret")
    assert hidden.exit_code == 1
    assert hidden.stderr.strip() == "Error: no coalition 'coal-secret'"  # as if unknown
    return "\n".join(texts)


def _whatif(seed: Path, out: Path, origin: str) -> str:
    extra = out / "extra"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,amount_usd,convention,source\nNLD,FUNDS,LBN,2025,1000,CCM,x\n",
        encoding="utf-8",
    )
    texts = []
    for fmt in ("table", "json"):
        result = invoke("whatif", "--add", str(extra), "--from", origin, "--seed", str(seed),
                        "--format", fmt, "--as-of", "2026-06-01")  # fmt: skip
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    return "\n".join(texts)


def _diff(seed: Path, out: Path, origin: str) -> str:
    from ccm_graph.dataset import Dataset, write_seed

    empty = out / "empty"
    write_seed(Dataset(), empty)
    texts = []
    for new, fmt in ((str(seed), "json"), ("neo4j", "markdown"), (str(seed), "html")):
        result = invoke("diff", str(empty), new, "--format", fmt, "--as-of", "2026-06-01")
        assert result.exit_code == 0, result.output
        texts.append(result.output)
    return "\n".join(texts)


def _template(seed: Path, out: Path, origin: str) -> str:
    import openpyxl

    book = out / "book.xlsx"
    result = invoke("template", "--out", str(book), "--seed", str(seed))
    assert result.exit_code == 0, result.output
    cells = [
        str(cell.value)
        for sheet in openpyxl.load_workbook(book).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return result.output + "\n".join(cells)


def _history(seed: Path, out: Path, origin: str) -> str:
    # a load through the command records its changes; the history may not show restricted rows
    assert invoke("load", "--seed", str(seed), "--wipe", "--force",
                  "--snapshots", str(out / "snaps")).exit_code == 0  # fmt: skip
    result = invoke("history", "--details", "--format", "json")
    assert result.exit_code == 0, result.output
    return result.output


def _serve(seed: Path, out: Path, origin: str) -> str:
    """The workbench's pages, downloads, search, brief and map over the same data (what
    ``ccm-graph serve`` answers); the restricted records' own pages are the plain 404."""
    import warnings

    from ccm_graph.source import DataSource
    from ccm_graph.workbench import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    source = DataSource.at(seed) if origin == "seed" else DataSource.neo4j()
    try:
        client = TestClient(create_app(source))
        texts = []
        for path in (
            "/",
            "/state/LAO",
            "/state/LBN",
            "/actor/NLD",
            "/actor/CHE",
            "/coalition/coal-lbn",
            "/search?q=e",
            "/search?q=q",
            "/support.csv",
            "/brief/LAO",
            "/brief/coal-lbn",
            "/map?preset=masg",
            "/map?focus=LAO",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            texts.append(response.text)
        for path in ("/actor/secretdonor", "/state/secretdonor", "/coalition/coal-secret"):
            assert client.get(path).status_code == 404, path
        return "\n".join(texts)
    finally:
        source.close()


READS: dict[str, Case] = {
    "support": _plain("support", "--format", "json", "--as-of", "2026-06-01"),
    "whatif": _whatif,
    "diff": _diff,
    "template": _template,
    "history": _history,
    "stats": _plain("stats", "--format", "json"),
    "gaps": _plain("gaps", "--format", "json", "--as-of", "2026-06-01"),
    "recommend": _plain("recommend", "LAO", "--format", "json", "--explain"),
    "brokers": _plain("brokers", "--format", "json"),
    "map": _map,
    "brief": _brief,
    "demo": _demo,
    "export": _export,
    "query": _named_queries,
    "coalition list": _coalition_list,
    "coalition show": _coalition_show,
    "serve": _serve,
}
"""Every command that shows data, with how to run it."""

NOT_READS = {
    "validate": "checks the user's own folder and shows counts, no records",
    "load": "writes the user's own folder to Neo4j; echoes counts",
    "coalition propose": "writes; echoes the one change made",
    "coalition add-member": "writes; echoes the one change made",
    "coalition remove-member": "writes; echoes the one change made",
    "coalition set-status": "writes; echoes the one change made",
    "users add": "accounts are not data; echoes the account's name and role",
    "users list": "lists accounts (name, role, dates), never a record",
    "users remove": "accounts are not data; echoes the account's name",
    "users password": "accounts are not data; echoes the account's name",
    "users role": "accounts are not data; echoes the account's name and role",
}
"""Commands that show no records, and why."""


def command_paths(group: click.Group, prefix: str = "") -> list[str]:
    ctx = click.Context(group)
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += command_paths(command, f"{prefix}{name} ")
        else:
            paths.append(f"{prefix}{name}")
    return paths


def test_every_command_is_in_the_matrix() -> None:
    missing = [p for p in command_paths(cli) if p not in READS and p not in NOT_READS]
    assert missing == [], (
        f"add {missing} to READS (with how to run it) or NOT_READS (with why it shows no "
        "records) in tests/integration/test_restricted.py"
    )


@pytest.mark.parametrize("origin", ["seed", "neo4j"])
@pytest.mark.parametrize("command", sorted(READS))
def test_no_restricted_record_leaks_by_default(
    command: str, origin: str, loaded: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    seen = READS[command](loaded, out, origin)
    assert leaks(seen) == []
    assert RESTRICTED_WARNING not in seen


def test_stats_do_not_count_restricted_records(loaded: Path) -> None:
    import json

    for origin in ("seed", "neo4j"):
        result = invoke("stats", "--from", origin, "--seed", str(loaded), "--format", "json")
        counts = json.loads(result.stdout)
        assert counts["nodes"]["coalition"] == 1  # coal-secret is not counted
        assert sum(counts["nodes"].values()) == 14 - 1  # secretdonor neither
        shown = invoke("stats", "--from", origin, "--seed", str(loaded), "--format", "json",
                       "--include-restricted")  # fmt: skip
        assert json.loads(shown.stdout)["nodes"]["coalition"] == 2
        assert RESTRICTED_WARNING in shown.stderr


def test_include_restricted_says_so_in_red(loaded: Path, tmp_path: Path) -> None:
    runs = [
        ["stats", "--from", "neo4j"],
        ["gaps", "--from", "neo4j"],
        ["coalition", "list"],
        ["coalition", "show", "coal-secret"],
        ["query", "--name", "supporters-of-state", "--param", "state=LAO"],
        ["export", "--out", str(tmp_path / "export")],
        ["map", "--from", "neo4j", "--out", str(tmp_path / "map.html")],
    ]
    for args in runs:
        result = CliRunner().invoke(cli, [*args, "--include-restricted"], color=True)
        assert result.exit_code == 0, result.output
        assert click.style(RESTRICTED_WARNING, fg="red") in result.stderr, args
    shown = invoke("query", "--name", "supporters-of-state", "--param", "state=LAO",
                   "--include-restricted")  # fmt: skip
    assert "pledge" not in shown.stdout  # the query does not return purposes
    assert "31337" in shown.stdout and "CHE" in shown.stdout


def test_named_queries_hide_restricted_rows_that_used_to_leak(loaded: Path) -> None:
    supporters = invoke("query", "--name", "supporters-of-state", "--param", "state=LAO",
                        "--format", "json")  # fmt: skip
    assert "CHE" not in supporters.stdout


def test_a_restricted_coalition_does_not_hide_a_state_without_one(loaded: Path) -> None:
    affected = invoke("query", "--name", "affected-states-without-coalition", "--format", "csv")
    # the restricted coal-secret focuses on LAO: LAO still counts as having no coalition
    assert "LAO,Lao PDR" in affected.stdout


def test_a_named_query_that_does_not_honour_restricted_is_refused(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "q.cypher").write_text(
        "// name: all-actors\n// description: Every actor.\n// param: (none)\n"
        "MATCH (a:Actor) RETURN a.id AS id\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CCM_GRAPH_QUERIES", str(tmp_path))
    result = invoke("query", "--name", "all-actors")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "does not declare that it keeps restricted records out" in result.stderr


def test_raw_query_sees_everything_and_says_so(loaded: Path) -> None:
    result = invoke("query", "MATCH (a:Actor) RETURN a.id AS id ORDER BY id")
    assert result.exit_code == 0
    assert "secretdonor" in result.stdout
    assert "1 of the 9 rows hold restricted records" in result.stderr
    clean = invoke("query", "MATCH (a:Actor {id: 'LAO'}) RETURN a")
    assert "restricted" not in clean.stderr
    # a restricted relationship returned whole, and a public one from a restricted donor
    rels = invoke("query", "MATCH (a)-[f:FUNDS]->() RETURN a.id AS donor, f")
    assert "2 of the 4 rows hold restricted records" in rels.stderr


def test_library_run_named_leaves_restricted_out(loaded: Path, store: Store) -> None:
    query = LIBRARY["obligations-due-before"]
    store.query("MATCH (s:State {id: 'LAO'}) SET s.sensitivity = 'restricted'", write=True)
    params = dict(parse_param(f"{p.name}={p.example}") for p in query.user_params)
    rows = run_named(store, query, params).rows
    assert "LAO" not in {r["state"] for r in rows}
    assert "LAO" in {r["state"] for r in run_named(store, query, params,
                                                     include_restricted=True).rows}  # fmt: skip


def test_did_you_mean_never_names_a_restricted_record(loaded: Path) -> None:
    # typos one letter away from the restricted coalition and donor: the suggestion and the
    # name resolution only see public records unless --include-restricted
    shown = invoke("coalition", "show", "coal-secre")
    assert shown.exit_code == 1
    assert shown.stderr.strip().startswith("Error: no coalition 'coal-secre'")
    assert leaks(shown.stderr) == []
    by_name = invoke("coalition", "show", "Quiet coalition")  # its name, not its id
    assert by_name.exit_code == 1
    assert by_name.stderr.strip() == "Error: no coalition 'Quiet coalition'", by_name.stderr
    asked = invoke("coalition", "show", "coal-secre", "--include-restricted")
    assert "did you mean 'coal-secret'?" in asked.stderr
    named = invoke("coalition", "show", "Quiet coalition", "--include-restricted")
    assert named.exit_code == 0 and "coal-secret" in named.output
    # nor do the write commands without --include-restricted
    for args in (
        ("add-member", "coal-secre", "NLD", "--role", "partner"),
        ("add-member", "coal-lbn", "secretdonr", "--role", "donor"),
        ("remove-member", "coal-secre", "NLD"),
        ("set-status", "coal-secre", "active"),
    ):
        result = invoke("coalition", *args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: no "), result.stderr
        assert leaks(result.stderr) == [], (args, result.stderr)
    # an exact id finds a restricted record only with --include-restricted
    refused = invoke("coalition", "add-member", "coal-secret", "NLD", "--role", "partner")
    assert refused.stderr == "Error: no coalition 'coal-secret'\n", refused.output
    added = invoke("coalition", "add-member", "coal-secret", "NLD", "--role", "partner",
                   "--include-restricted")  # fmt: skip
    assert added.exit_code == 0, added.output


def test_history_shows_only_what_the_reader_may_see(
    store: Store, restricted_seed: Path, neo4j_env: dict, tmp_path: Path
) -> None:
    import json

    from ccm_graph.dataset import write_seed

    snaps = str(tmp_path / "snaps")
    # the restricted folder into an empty database, then a public folder in its place: the
    # additions and the removals both concern restricted rows (and a public row that hangs on
    # a restricted donor, whose notes say so)
    assert invoke("load", "--seed", str(restricted_seed), "--wipe", "--force",
                  "--snapshots", snaps).exit_code == 0  # fmt: skip
    public = tmp_path / "public"
    write_seed(read_seed(restricted_seed).without_restricted(), public)
    assert invoke("load", "--seed", str(public), "--wipe", "--force",
                  "--snapshots", snaps).exit_code == 0  # fmt: skip
    hangs_on = "public row that hangs on a restricted actor"
    for fmt in ("json", "table"):
        shown = invoke("history", "--details", "--format", fmt)
        assert shown.exit_code == 0, shown.output
        assert leaks(shown.stdout) == [] and hangs_on not in shown.stdout, shown.stdout
        assert RESTRICTED_WARNING not in shown.stderr
    added, removed = json.loads(invoke("history", "--format", "json").stdout)
    # 8 of 9 actors, 1 of 2 coalitions, 8 of 10 relations: only what the reader may see
    assert added["counts"]["actor"]["added"] == 8
    assert added["counts"]["coalition"]["added"] == 1
    assert added["counts"]["relation"]["added"] == 8
    assert {k: v["removed"] for k, v in removed["counts"].items()} == {
        "actor": 0, "obligation": 0, "coalition": 0, "activity": 0, "relation": 0,
        "evidence": 0,
    }  # fmt: skip
    assert all(e["key"] not in ("secretdonor", "coal-secret") for e in added["details"])
    everything = invoke("history", "--details", "--format", "json", "--include-restricted")
    assert everything.exit_code == 0
    assert "secretdonor" in everything.stdout and hangs_on in everything.stdout
    assert RESTRICTED_WARNING in everything.stderr
    added, removed = json.loads(everything.stdout)
    assert added["counts"]["actor"]["added"] == 9
    assert removed["counts"]["relation"]["removed"] == 2
