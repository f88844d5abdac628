"""Accounts in Neo4j: the file store's rules and messages, one admin kept under concurrent
changes, and account nodes that are never data (kept by every load, shown by no read)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result

from ccm_graph.accounts import FileAccounts, Neo4jAccounts
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.errors import DataError, QueryError
from ccm_graph.query_library import load_queries, run_named
from ccm_graph.store import Store
from ccm_graph.store.accounts_guard import ACCOUNTS_REFUSED

from ..conftest import SMALL_SEED

PASSWORD = "a long enough passphrase"
PROBE = "zz-account-probe"
"""An account name no seed file holds, so finding it in an output means an account leaked."""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def account_props(store: Store) -> list[dict]:
    return store.read_transaction(
        lambda tx: [
            r["p"] for r in tx.run("MATCH (a:Account) RETURN properties(a) AS p ORDER BY a.name")
        ]
    )


@pytest.fixture
def accounts(store: Store) -> Neo4jAccounts:
    return Neo4jAccounts(store)


def test_a_password_is_stored_only_as_an_argon2id_hash_and_a_name_once(store, accounts) -> None:
    accounts.add("Alice", "admin", PASSWORD)
    [props] = account_props(store)
    assert sorted(props) == ["created", "hash", "name", "password_changed", "role"]
    assert props["name"] == "alice" and props["hash"].startswith("$argon2id$")
    assert PASSWORD not in repr(props) and "hash" not in repr(accounts.list())
    constraints = store.query("SHOW CONSTRAINTS YIELD name RETURN name").rows
    assert {"name": "account_name"} in constraints
    with pytest.raises(QueryError):  # the constraint, not only the store's check
        store.write_transaction(lambda tx: tx.run("CREATE (:Account {name: 'alice'})").consume())


def _script(accounts) -> list[str]:
    """The same steps on any account store; what each one answered."""
    steps = [
        lambda: accounts.add("alice", "admin", PASSWORD),
        lambda: accounts.add("ALICE", "viewer", PASSWORD),
        lambda: accounts.add("bob", "boss", PASSWORD),
        lambda: accounts.add("bob", "viewer", "short"),
        lambda: accounts.add("a b", "viewer", PASSWORD),
        lambda: accounts.add("bob", "viewer", PASSWORD),
        lambda: accounts.remove("alice"),
        lambda: accounts.set_role("alice", "editor"),
        lambda: accounts.set_role("carol", "editor"),
        lambda: accounts.set_password("carol", PASSWORD),
        lambda: accounts.set_password("bob", "bob"),
        lambda: accounts.verify("alice", PASSWORD),
        lambda: accounts.verify("alice", PASSWORD + "!"),
        lambda: accounts.verify("nobody", PASSWORD),
        lambda: accounts.verify("not a name", PASSWORD),
        lambda: accounts.set_role("bob", "admin"),
        lambda: accounts.remove("alice"),
        lambda: accounts.set_password("bob", "another long passphrase"),
        lambda: accounts.verify("bob", PASSWORD),
        lambda: accounts.verify("Bob", "another long passphrase"),
        lambda: accounts.get("nobody"),
        lambda: [(a.name, a.role) for a in accounts.list()],
    ]
    answers = []
    for step in steps:
        try:
            answer = step()
        except DataError as exc:
            answers.append(f"refused: {exc}")
            continue
        role = getattr(answer, "role", None)
        answers.append(f"{answer.name} {role}" if role else repr(answer))
    return answers


def test_the_same_rules_and_messages_as_the_file_store(accounts, tmp_path: Path) -> None:
    in_neo4j = _script(accounts)
    assert in_neo4j == _script(FileAccounts(tmp_path / "seed.accounts.json"))
    assert "refused: name: 'alice' is the last admin and cannot be removed: make another " \
        "account admin first" in in_neo4j  # fmt: skip
    assert in_neo4j[-1] == "[('bob', 'admin')]"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(store, accounts) -> None:
    accounts.add("alice", "admin", PASSWORD)
    accounts.add("bob", "admin", PASSWORD)
    start, outcomes = threading.Barrier(2), []

    def demote(name: str) -> None:
        start.wait()
        try:
            accounts.set_role(name, "viewer")
            outcomes.append("done")
        except DataError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=demote, args=(n,)) for n in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "done" and "is the last admin" in sorted(outcomes)[1]
    assert [a.role for a in accounts.list()].count("admin") == 1


def test_a_hash_of_older_parameters_is_replaced_at_the_next_sign_in(store, accounts) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    store.write_transaction(lambda tx: tx.run(
        "CREATE (:Account {name: 'alice', role: 'editor', hash: $hash, created: '2026-01-01', "
        "password_changed: '2026-01-01'})", hash=old).consume())  # fmt: skip
    assert accounts.verify("alice", PASSWORD).role == "editor"
    [props] = account_props(store)
    assert props["hash"] != old and accounts.verify("alice", PASSWORD) is not None
    assert props["password_changed"] == "2026-01-01"  # the same password, made stronger


# --- account nodes are never data --------------------------------------------------------------


@pytest.fixture
def with_accounts(store: Store, neo4j_env: dict, accounts: Neo4jAccounts) -> Neo4jAccounts:
    """The small seed loaded, and two accounts beside it."""
    assert run("load", "--seed", str(SMALL_SEED)).exit_code == 0
    accounts.add(PROBE, "admin", PASSWORD)
    accounts.add("zz-second-probe", "viewer", PASSWORD)
    return accounts


def leaked(text: str, store: Store) -> list[str]:
    secrets = [PROBE, "zz-second-probe", "$argon2"]
    secrets += [p["hash"].rsplit("$", 1)[1][:12] for p in account_props(store)]
    return [s for s in secrets if s in text]


def test_every_load_keeps_the_accounts(with_accounts, store, tmp_path: Path) -> None:
    before = account_props(store)
    snapshots = tmp_path / "snapshots"
    for extra in (["--wipe"], ["--wipe", "--staged"], ["--sync"], []):
        result = run("load", "--seed", str(SMALL_SEED), *extra, "--snapshots", str(snapshots))
        assert result.exit_code == 0, (extra, result.output)
        assert account_props(store) == before, extra
        assert leaked(result.output, store) == []
    for snapshot in snapshots.iterdir():
        text = "".join(p.read_text(encoding="utf-8") for p in snapshot.rglob("*") if p.is_file())
        assert leaked(text, store) == [], snapshot


def test_no_read_shows_an_account(with_accounts, store, tmp_path: Path) -> None:
    assert read_seed(SMALL_SEED).counts() == store.read_dataset().counts()
    assert store.count_nodes() == sum(read_seed(SMALL_SEED).counts().get(f, 0) for f in (
        "actors.csv", "obligations.csv", "coalitions.csv", "activities.csv"))  # fmt: skip
    outputs = []
    for args in (["stats", "--from", "neo4j", "--format", "json"], ["history"],
                 ["export", "--out", str(tmp_path / "export"), "--include-restricted"],
                 ["gaps", "--from", "neo4j", "--format", "json"]):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    files = (tmp_path / "export").rglob("*")
    outputs += [p.read_text(encoding="utf-8") for p in files if p.is_file()]
    stats_seed = run("stats", "--seed", str(SMALL_SEED), "--format", "json")
    assert outputs[0] == stats_seed.output  # the same counts as the files: no account in them
    assert leaked("\n".join(outputs), store) == []


def test_named_queries_answer_the_same_with_and_without_accounts(with_accounts, store) -> None:
    def answers() -> dict[str, object]:
        found: dict[str, object] = {}
        for query in load_queries().values():
            params = {p.name: p.example for p in query.user_params}
            try:
                found[query.name] = run_named(store, query, params, include_restricted=True).rows
            except QueryError as exc:
                assert ACCOUNTS_REFUSED not in str(exc), query.name
                found[query.name] = str(exc)
        return found

    with_them = answers()
    assert leaked(repr(with_them), store) == []
    assert sum(1 for rows in with_them.values() if isinstance(rows, list) and rows) >= 4
    store.write_transaction(lambda tx: tx.run("MATCH (a:Account) DELETE a").consume())
    assert answers() == with_them


@pytest.mark.parametrize(
    "cypher",
    ["MATCH (n) RETURN n", "MATCH (a:Account) RETURN a.name", "MATCH (n) RETURN n.hash",
     "MATCH (n) RETURN properties(n) AS p", "MATCH p = (n) RETURN p",
     "MATCH (n) RETURN collect(n {.*}) AS all",
     "MATCH (n) WITH n, 'ha' + 'sh' AS k RETURN substring(n[k], 30, 12) AS piece",
     "MATCH (n:Account|Actor) RETURN count(n) AS n"],
)  # fmt: skip
def test_query_refuses_what_would_show_an_account(with_accounts, store, cypher: str) -> None:
    with pytest.raises(QueryError, match="workbench accounts are not data"):
        store.query(cypher)
    result = run("query", cypher, "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "workbench accounts are not data" in result.stderr
    assert leaked(result.output, store) == []


def test_a_write_that_touches_an_account_is_refused_and_rolled_back(with_accounts, store) -> None:
    before = account_props(store)
    for cypher in ("MATCH (a:Account) SET a.role = 'admin'",
                   "MATCH (n) SET n.touched = true RETURN n"):  # fmt: skip
        with pytest.raises(QueryError, match="workbench accounts are not data"):
            store.query(cypher, write=True)
    assert account_props(store) == before
    assert store.query("MATCH (n) WHERE n.touched RETURN count(n) AS n").rows == [{"n": 0}]
    done = store.query("MATCH (n:Actor {id: 'LAO'}) SET n.notes = 'checked' RETURN n.id AS id",
                       write=True)  # fmt: skip
    assert done.rows == [{"id": "LAO"}]


def test_the_users_command_on_neo4j(neo4j_env: dict, store: Store, monkeypatch) -> None:
    monkeypatch.setenv("CCM_GRAPH_PASSWORD", PASSWORD)
    added = run("users", "add", "Alice", "--role", "admin", "--from", "neo4j")
    assert added.exit_code == 0, added.output
    assert "Added the account 'alice' (admin) to the Neo4j database at" in added.stdout
    listed = run("users", "list", "--from", "neo4j", "--format", "csv")
    assert listed.stdout.splitlines()[0] == "name,role,created,password_changed"
    assert listed.stdout.splitlines()[1].startswith("alice,admin,")
    refused = run("users", "remove", "alice", "--from", "neo4j")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "the last admin" in refused.stderr
    assert PASSWORD not in added.output + listed.output + refused.output
    assert Neo4jAccounts(store).verify("alice", PASSWORD) is not None


def test_serve_signs_in_with_the_accounts_of_the_database_it_serves(
    neo4j_env: dict, store: Store, accounts: Neo4jAccounts
) -> None:
    from ccm_graph.cli.workbench import serve_accounts
    from ccm_graph.source import DataSource

    accounts.add("alice", "editor", PASSWORD)
    found = serve_accounts(DataSource.neo4j(), None)
    assert isinstance(found, Neo4jAccounts)
    assert [a.name for a in found.list()] == ["alice"]
