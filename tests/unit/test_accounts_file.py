"""Accounts kept in a file: hashed passwords, 0600, rules checked before anything is written."""

from __future__ import annotations

import json
import stat

import pytest

from ccm_graph.accounts import FileAccounts, accounts_file_of
from ccm_graph.errors import DataError

PASSWORD = "a long enough passphrase"


@pytest.fixture
def accounts(tmp_path):
    return FileAccounts(tmp_path / "seed.accounts.json")


def test_password_is_stored_only_as_an_argon2id_hash_readable_by_the_owner(accounts):
    accounts.add("Alice", "admin", PASSWORD)
    text = accounts.path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    assert json.loads(text)["accounts"][0]["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert "hash" not in repr(accounts.list())


def test_verify_accepts_the_password_and_nothing_else(accounts):
    accounts.add("alice", "editor", PASSWORD)
    assert accounts.verify("ALICE", PASSWORD).role == "editor"
    assert accounts.verify("alice", PASSWORD + "x") is None
    assert accounts.verify("nobody", PASSWORD) is None
    assert accounts.verify("not a name!", PASSWORD) is None


@pytest.mark.parametrize(
    ("name", "role", "password", "field"),
    [("alice", "boss", PASSWORD, "role"), ("a b", "viewer", PASSWORD, "name"),
     ("alice", "viewer", "short", "password"), ("alicealicealice", "viewer",
                                                "AliceAliceAlice", "password")],
)  # fmt: skip
def test_a_refused_account_writes_nothing(accounts, name, role, password, field):
    with pytest.raises(DataError) as caught:
        accounts.add(name, role, password)
    assert caught.value.problems[0].file == field
    assert password not in str(caught.value)
    assert not accounts.path.exists()


def test_the_last_admin_cannot_be_removed_or_demoted(accounts):
    accounts.add("alice", "admin", PASSWORD)
    accounts.add("bob", "viewer", PASSWORD)
    for attempt in (lambda: accounts.remove("alice"), lambda: accounts.set_role("alice", "editor")):
        with pytest.raises(DataError, match="last admin"):
            attempt()
    accounts.set_role("bob", "admin")
    accounts.remove("alice")
    assert [(a.name, a.role) for a in accounts.list()] == [("bob", "admin")]


def test_a_name_is_taken_once_and_a_new_password_replaces_the_old(accounts):
    accounts.add("alice", "viewer", PASSWORD)
    with pytest.raises(DataError, match="exists already"):
        accounts.add("Alice", "editor", PASSWORD)
    accounts.set_password("alice", "another long passphrase")
    assert accounts.verify("alice", PASSWORD) is None
    assert accounts.verify("alice", "another long passphrase") is not None


def test_the_file_sits_beside_the_data_never_inside(tmp_path):
    assert accounts_file_of(tmp_path / "seed") == tmp_path / "seed.accounts.json"
    assert accounts_file_of(tmp_path / "team.xlsx") == tmp_path / "team.accounts.json"


def test_a_damaged_file_is_named_in_one_problem(accounts):
    accounts.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="is not an accounts file"):
        accounts.list()


def test_accounts_for_a_source_are_beside_its_files_or_in_its_database(tmp_path):
    from ccm_graph.accounts import Neo4jAccounts, accounts_for
    from ccm_graph.source import DataSource

    folder, workbook = DataSource.folder(tmp_path / "seed"), DataSource.at(tmp_path / "team.xlsx")
    assert accounts_for(folder).path == tmp_path / "seed.accounts.json"
    assert accounts_for(workbook).path == tmp_path / "team.accounts.json"
    chosen = tmp_path / "elsewhere" / "team.json"
    assert accounts_for(folder, chosen).path == chosen
    database = DataSource.neo4j()
    database._store = opened = object()  # what source.store() hands out once connected
    found = accounts_for(database)
    assert isinstance(found, Neo4jAccounts) and found.store is opened
    assert accounts_for(database, chosen).path == chosen
