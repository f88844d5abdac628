"""The library's data source on a real Neo4j: the same dataset as the files, read once per data
state, and a second read of unchanged data costs one small query."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from ccm_graph.coalitions import set_status
from ccm_graph.dataset import read_seed
from ccm_graph.queries import data_state_query
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import ROOT, SMALL_SEED

pytestmark = pytest.mark.neo4j


@pytest.fixture
def loaded(store: Store, neo4j_settings: ConnectionSettings) -> Iterator[list[str]]:
    """The small seed in Neo4j; yields the statements the source sends (its tracer)."""
    store.load(read_seed(SMALL_SEED))
    clear_cache()
    yield []
    clear_cache()


def _source(settings: ConnectionSettings, statements: list[str]) -> DataSource:
    return DataSource.neo4j(settings, tracer=lambda query, _names: statements.append(query))


def test_neo4j_gives_what_the_folder_gives(
    loaded: list[str], neo4j_settings: ConnectionSettings
) -> None:
    with _source(neo4j_settings, loaded) as source:
        for include_restricted in (False, True):
            from_db = source.dataset(include_restricted=include_restricted)
            from_files = DataSource.folder(SMALL_SEED).dataset(
                include_restricted=include_restricted
            )
            assert from_db.sorted() == from_files.sorted()


def test_a_second_read_of_unchanged_data_is_one_small_query(
    loaded: list[str], neo4j_settings: ConnectionSettings
) -> None:
    with _source(neo4j_settings, loaded) as source:
        first = source.read()
        sent_by_first = len(loaded)
        again = source.read(include_restricted=False)
        assert again is first
        assert len(loaded) == sent_by_first + 1
        assert loaded[-1] == data_state_query()
        # the other view comes from the same read: again one statement, no record read
        source.read(include_restricted=True)
        assert len(loaded) == sent_by_first + 2


def test_a_write_with_its_change_record_is_seen(
    loaded: list[str], store: Store, neo4j_settings: ConnectionSettings
) -> None:
    with _source(neo4j_settings, loaded) as source:
        before = source.read()
        assert before.graph.nodes["coal-lbn"]["status"] == "active"
        set_status(store, "coal-lbn", "concluded", by="test")  # counts unchanged, new record
        after = source.read()
        assert after is not before
        assert after.graph.nodes["coal-lbn"]["status"] == "concluded"


def test_a_write_that_changes_the_counts_is_seen(
    loaded: list[str], store: Store, neo4j_settings: ConnectionSettings
) -> None:
    with _source(neo4j_settings, loaded) as source:
        before = source.read()
        store.query(
            "CREATE (:Actor:CivilSociety {id: 'added', kind: 'civil_society', "
            "name: 'Added', sensitivity: 'public', source: 'test'})",
            write=True,
        )
        assert "added" in source.graph()
        assert "added" not in before.graph


def test_no_click_in_the_neo4j_call_path(
    loaded: list[str], neo4j_settings: ConnectionSettings
) -> None:
    code = (
        "import sys\n"
        "sys.modules['click'] = None  # any import of click now fails\n"
        "from ccm_graph.source import DataSource\n"
        "with DataSource.neo4j() as source:\n"
        "    print(source.graph().number_of_nodes())\n"
    )
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == DataSource.folder(SMALL_SEED).graph().number_of_nodes()
