"""Export cannot destroy: new, empty or earlier-export folders only; no row silently dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import EXPORT_MARKER, read_seed
from ccm_graph.errors import DataError
from ccm_graph.store import Store

from ..conftest import SMALL_SEED


def export(*args: str) -> object:
    return CliRunner().invoke(cli, ["export", *args])


def test_export_refuses_a_folder_it_did_not_write(neo4j_env: dict, store: Store,
                                                  tmp_path: Path) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("months of work")
    result = export("--out", str(mine))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {mine} is not empty and was not written by ccm-graph export; export to a new "
        "or empty folder (nothing was written)"
    )
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.docx"]
    seed_copy = tmp_path / "seed"
    assert export("--out", str(seed_copy)).exit_code == 0  # a new folder
    assert (seed_copy / EXPORT_MARKER).is_file()


def test_export_refuses_to_drop_rows_and_says_how_many(neo4j_env: dict, store: Store,
                                                       tmp_path: Path) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    out = tmp_path / "out"
    assert export("--out", str(out), "--include-restricted").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # the same export again replaces it
    assert export("--out", str(out), "--include-restricted").exit_code == 0
    # without restricted rows it would drop 4 of them (and what hangs on them)
    result = export("--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Error: {out} holds 4 rows that this export would "
                                            "drop (1 in actors.csv, 1 in coalitions.csv, 2 in "
                                            "relations.csv); nothing was written")  # fmt: skip
    assert "--include-restricted" in result.stderr
    store.query("MATCH (a:Actor {id: 'evil'}) DETACH DELETE a", write=True)
    result = export("--out", str(out), "--include-restricted")
    assert result.exit_code == 1 and "holds 1 row that this export would drop" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_export_onto_a_file_is_one_line(neo4j_env: dict, store: Store, tmp_path: Path) -> None:
    store.load(read_seed(SMALL_SEED))
    (tmp_path / "file").write_text("x")
    result = export("--out", str(tmp_path / "file"))
    assert result.exit_code == 2  # click's own check of --out, before any data is read
    assert "is a file" in result.stderr and "Traceback" not in result.output
    result = export("--out", str(tmp_path / "file" / "sub"))
    assert result.exit_code == 1 and "is a file, not a folder" in result.stderr
    assert result.stderr.count("\n") == 1


def test_infinite_amount_in_neo4j_is_refused_before_export(neo4j_env: dict, store: Store,
                                                            tmp_path: Path) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    store.query("MATCH ()-[f:FUNDS]->() SET f.amount_usd = 1.0 / 0.0", write=True)
    result = export("--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "amount_usd" in result.stderr and "nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("setter", "message"),
    [
        ("MATCH (o:Obligation) SET o.article = '4'", "article:"),
        ("MATCH ()-[f:FUNDS]->() SET f.amount_usd = 'lots'", "amount_usd:"),
        ("MATCH (a:Actor {id: 'LAO'}) SET a.sensitivity = 'secret'", "sensitivity:"),
        ("MATCH (a:Actor {id: 'LAO'}) SET a.name = ['a', 'b']", "name:"),
        ("MATCH (a:Actor {id: 'LAO'}) SET a.name = 42", "name:"),
        ("MATCH (o:Obligation) SET o.deadline = date('2026-01-01')", None),
        ("MATCH ()-[r:FUNDS]->() SET r.year = 2024.5", "year:"),
    ],
)
def test_properties_of_the_wrong_type_set_by_query_write(
    store: Store, setter: str, message: str | None
) -> None:
    store.load(read_seed(SMALL_SEED))
    store.query(setter, write=True)
    if message is None:  # a Neo4j date reads back as its ISO text: accepted as a date
        assert store.read_dataset().obligations
        return
    with pytest.raises(DataError) as info:
        store.read_dataset()
    assert any(message in p.message for p in info.value.problems), info.value
