"""What ``query --write`` can store that the rules refuse, and the way back from it.

A value set by hand (a year as text, a list for a name, a stamp that is no time) cannot be read
back into a Dataset. ``query --write`` says so after committing, one line per value, and
``load --wipe`` (with or without ``--force``) still replaces it: its snapshot keeps the cells as
stored, with ``PROBLEMS.txt`` beside them, for a person to fix and load back.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.store import Store

from ..conftest import SMALL_SEED

PROBLEMS_FILE = "PROBLEMS.txt"

FIVE_MILLION = (
    "MATCH (:Actor {id: 'NLD'})-[r:FUNDS {year: 2024}]->(:Actor {id: 'halo'}) "
    "SET r.amount_usd = 'five million'"
)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_query_write_says_what_it_stored_that_breaks_the_rules(
    neo4j_env: dict, store: Store
) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("query", "--write", FIVE_MILLION)
    assert result.exit_code == 0, result.output  # the write happened
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: neo4j: NLD FUNDS: amount_usd: 'five million' is not an amount in US dollars"
    ], result.stderr
    assert "Warning: written, but Neo4j now holds 1 value that break" in result.stderr
    # the whole database is checked: the value is named until it is fixed
    result = run("query", "--write", "MATCH (a:Actor {id: 'LAO'}) SET a.notes = 'checked'")
    assert result.exit_code == 0 and len(result.stderr.splitlines()) == 2
    result = run("query", "--write", FIVE_MILLION.replace("'five million'", "5000000"))
    assert result.exit_code == 0 and "warning" not in result.stderr.lower()


def test_query_write_warns_of_an_id_it_left_dangling(neo4j_env: dict, store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("query", "--write", "MATCH (c:Coalition {id: 'coal-lbn'}) SET c.focus = 'ZZZ'")
    assert result.exit_code == 0, result.output
    assert "warning: neo4j: coalitions.csv: coal-lbn: focus: unknown id 'ZZZ'" in result.stderr


@pytest.mark.parametrize("force", [False, True], ids=["wipe", "wipe-force"])
def test_wipe_replaces_values_that_break_the_rules_after_a_snapshot_as_stored(
    neo4j_env: dict, store: Store, tmp_path: Path, force: bool
) -> None:
    store.load(read_seed(SMALL_SEED))
    assert run("query", "--write", FIVE_MILLION).exit_code == 0
    snapshots = tmp_path / "snaps"
    flags = ["--force"] if force else []
    result = run("load", "--seed", SMALL_SEED, "--wipe", *flags, "--snapshots", snapshots)
    assert result.exit_code == 0, result.output
    [snapshot] = snapshots.iterdir()
    assert (
        f"Snapshot of the database before this step: {snapshot} (a full export, restricted "
        "records included: the team's own backup). It holds what Neo4j held as stored, with 1 "
        f"value that break the rules (edited by hand), listed in {snapshot / PROBLEMS_FILE}"
    ) in " ".join(result.stdout.split())
    assert store.read_dataset().sorted() == read_seed(SMALL_SEED).sorted()  # the wipe went through

    # the snapshot keeps the cell as stored, and says what to fix
    problems = (snapshot / PROBLEMS_FILE).read_text(encoding="utf-8")
    assert "neo4j: NLD FUNDS: amount_usd: 'five million' is not an amount" in problems
    funds = [r for r in rows(snapshot / "relations.csv") if r["type"] == "FUNDS"]
    assert "five million" in [r["amount_usd"] for r in funds]
    result = run("validate", "--seed", snapshot)
    assert result.exit_code == 1 and "'five million'" in result.stderr
    # fixed by hand, it loads back
    text = (snapshot / "relations.csv").read_text(encoding="utf-8")
    (snapshot / "relations.csv").write_text(text.replace("five million", "5000000"), "utf-8")
    result = run("load", "--seed", snapshot, "--wipe", "--snapshots", tmp_path / "s2")
    assert result.exit_code == 0, result.output
    [funded] = [r for r in store.read_dataset().relations
                if r.type == "FUNDS" and r.year == 2024 and r.from_id == "NLD"]  # fmt: skip
    assert funded.amount_usd == 5_000_000


@pytest.mark.parametrize(
    ("setter", "cell", "message"),
    [
        ("MATCH (o:Obligation {state: 'LAO'}) SET o.article = '4'", ("obligations", "article", "4"),
         "article:"),
        ("MATCH (a:Actor {id: 'LAO'}) SET a.name = ['a', 'b']", ("actors", "name", '["a", "b"]'),
         "name:"),
        ("MATCH (a:Actor {id: 'LAO'}) SET a.name = 42", ("actors", "name", "42"), "name:"),
        ("MATCH (a:Actor {id: 'LAO'}) REMOVE a.name", ("actors", "name", ""),
         "LAO: name: required but blank"),
        ("CREATE (:Actor {kind: 'state', name: 'No id', source: 'by hand'})",
         ("actors", "name", "No id"), "?: id: required but blank"),
        ("MATCH ()-[f:FUNDS]->() SET f.amount_usd = 1.0 / 0.0", ("relations", "amount_usd", "inf"),
         "amount_usd:"),
        ("MATCH (c:Coalition {id: 'coal-lbn'}) SET c.updated = 'last week'",
         ("neo4j-stamps", "updated", "last week"), "coal-lbn: updated: 'last week' is not a UTC"),
        ("MATCH (i:DatasetInfo) SET i.metadata = '{not json'", None, "not valid JSON"),
    ],
)  # fmt: skip
def test_every_kind_of_hand_edit_is_kept_as_stored_by_the_wipe_snapshot(
    neo4j_env: dict, store: Store, tmp_path: Path, setter: str,
    cell: tuple[str, str, str] | None, message: str,
) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    store.query(setter, write=True)
    result = run("load", "--seed", SMALL_SEED, "--wipe", "--snapshots", tmp_path / "snaps")
    assert result.exit_code == 0, result.output
    assert store.read_dataset().sorted() == read_seed(SMALL_SEED).sorted()
    [snapshot] = (tmp_path / "snaps").iterdir()
    assert message in (snapshot / PROBLEMS_FILE).read_text(encoding="utf-8")
    if cell is None:
        assert (snapshot / "metadata.json").read_text(encoding="utf-8") == "{not json"
    else:
        file, column, value = cell
        assert value in [r[column] for r in rows(snapshot / f"{file}.csv")]
    # a value of the wrong type whose text is right ('4' for 4, 42 for a name) is fixed by
    # being written as text; every other one stays wrong, for a person to see
    fixed_as_text = "= '4'" in setter or "name = 42" in setter or "name = ['a', 'b']" in setter
    assert run("validate", "--seed", snapshot).exit_code == (0 if fixed_as_text else 1)


def test_a_snapshot_of_valid_data_has_no_problems_file(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("load", "--seed", SMALL_SEED, "--wipe", "--snapshots", tmp_path / "snaps")
    assert result.exit_code == 0, result.output
    [snapshot] = (tmp_path / "snaps").iterdir()
    assert not (snapshot / PROBLEMS_FILE).exists()
    assert "break the rules" not in result.stdout
