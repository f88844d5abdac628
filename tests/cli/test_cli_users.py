"""``ccm-graph users`` on a seed folder: the password asked twice or from the environment and
never printed, one-line refusals, exit codes 1, 2 and 3."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccm_graph.accounts import FileAccounts
from ccm_graph.cli import cli
from ccm_graph.localserver import free_port

PASSWORD = "a long enough passphrase"


def run(*args: str, password: str | None = PASSWORD, input: str | None = None) -> Result:
    env = {"CCM_GRAPH_PASSWORD": password} if password is not None else {}
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def refused(result: Result, code: int) -> str:
    """The one line of a refusal (and its hint), with its exit code and no traceback."""
    assert result.exit_code == code, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    with_hint = len(lines) == 2 and lines[1].startswith("Hint: ")
    assert code == 2 or len(lines) == 1 or with_hint, lines
    return result.stderr


@pytest.fixture
def seed(small_seed: Path) -> Path:
    return small_seed


def test_add_keeps_the_account_beside_the_folder_and_never_prints_the_password(seed) -> None:
    added = run("users", "add", "Alice", "--role", "admin", "--seed", str(seed))
    assert added.exit_code == 0, added.output
    file = seed.parent / "seed.accounts.json"
    assert added.stdout == f"Added the account 'alice' (admin) to {file}.\n"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not list(seed.glob("*accounts*"))
    listed = run("users", "list", "--seed", str(seed), "--format", "json")
    [row] = json.loads(listed.stdout)
    assert list(row) == ["name", "role", "created", "password_changed"]
    assert (row["name"], row["role"]) == ("alice", "admin")
    assert PASSWORD not in added.output + listed.output + file.read_text(encoding="utf-8")
    assert FileAccounts(file).verify("alice", PASSWORD) is not None


def test_the_password_is_asked_twice_without_echo(seed) -> None:
    typed = "typed twice over!\nno, another one\ntyped twice over!\ntyped twice over!\n"
    added = run("users", "add", "bob", "--role", "editor", "--seed", str(seed), password=None,
                input=typed)  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "New password: \nRepeat the new password: \n" in added.output
    assert "The two entered values do not match" in added.output
    assert "typed twice" not in added.output and "another" not in added.output
    assert FileAccounts(seed.parent / "seed.accounts.json").verify("bob", "typed twice over!")
    assert "No account is admin yet" in added.stderr


def test_password_and_role_change_the_account(seed) -> None:
    run("users", "add", "alice", "--role", "admin", "--seed", str(seed))
    run("users", "add", "bob", "--role", "viewer", "--seed", str(seed))
    changed = run("users", "password", "BOB", "--seed", str(seed), password="a new passphrase!")
    assert changed.stdout == "Set a new password for 'bob'.\n"
    role = run("users", "role", "bob", "confidential", "--seed", str(seed))
    assert role.stdout == "'bob' is now confidential.\n"
    accounts = FileAccounts(seed.parent / "seed.accounts.json")
    assert accounts.verify("bob", "a new passphrase!").role == "confidential"
    removed = run("users", "remove", "bob", "--seed", str(seed))
    assert removed.exit_code == 0 and [a.name for a in accounts.list()] == ["alice"]


def test_refusals_are_one_line_and_write_nothing(seed) -> None:
    run("users", "add", "alice", "--role", "admin", "--seed", str(seed))
    file = seed.parent / "seed.accounts.json"
    before = file.read_bytes()
    cases = [
        (["add", "alice", "--role", "viewer"], None, "NAME: the account 'alice' exists already"),
        (["add", "a b", "--role", "viewer"], None, "NAME: 'a b' is not an account name"),
        (["add", "bob", "--role", "viewer"], "short", "password: a password needs at least 12"),
        (["add", "bob", "--role", "viewer"], "BOB", "password: a password"),
        (["remove", "alice"], None, "NAME: 'alice' is the last admin and cannot be removed"),
        (["role", "alice", "viewer"], None, "NAME: 'alice' is the last admin and cannot be"),
        (["password", "carol"], None, "NAME: there is no account 'carol'"),
        (["remove", "carol"], None, "NAME: there is no account 'carol'"),
    ]
    for args, password, message in cases:
        result = run("users", *args, "--seed", str(seed), password=password or PASSWORD)
        line = refused(result, 1)
        assert line.startswith(f"Error: {message}") and line.endswith("nothing was written\n")
        assert PASSWORD not in line and "short" not in line.split(":", 2)[-1]
    assert file.read_bytes() == before


def test_a_taken_name_is_refused_before_the_password_is_asked(seed) -> None:
    run("users", "add", "alice", "--role", "admin", "--seed", str(seed))
    result = run("users", "add", "alice", "--role", "viewer", "--seed", str(seed),
                 password=None, input="")  # fmt: skip
    assert "exists already" in refused(result, 1) and "password" not in result.output


def test_usage_mistakes_exit_2(seed, tmp_path: Path) -> None:
    assert "'boss' is not one of" in refused(
        run("users", "add", "x", "--role", "boss", "--seed", str(seed)), 2)  # fmt: skip
    assert "'owner' is not one of" in refused(
        run("users", "role", "x", "owner", "--seed", str(seed)), 2)  # fmt: skip
    missing = run("users", "list", "--seed", str(tmp_path / "nowhere"))
    assert "is neither a seed folder nor a workbook" in refused(missing, 2)
    assert not list(tmp_path.glob("*.accounts.json"))


def test_a_workbook_and_an_accounts_file_choose_where_accounts_are_kept(tmp_path: Path) -> None:
    workbook = tmp_path / "team.xlsx"
    workbook.write_bytes(b"")  # only its place counts: it is not read
    assert run("users", "add", "alice", "--role", "admin", "--seed", str(workbook)).exit_code == 0
    assert FileAccounts(tmp_path / "team.accounts.json").get("alice") is not None
    chosen = tmp_path / "private" / "accounts.json"
    chosen.parent.mkdir()
    added = run("users", "add", "bob", "--role", "admin", "--from", "neo4j", "--accounts",
                str(chosen), "--uri", f"bolt://127.0.0.1:{free_port()}")  # fmt: skip
    assert added.exit_code == 0, added.output  # a file given: no database asked
    assert [a.name for a in FileAccounts(chosen).list()] == ["bob"]


def test_an_unreachable_neo4j_exits_3_before_a_password_is_asked() -> None:
    result = run("users", "add", "alice", "--role", "admin", "--from", "neo4j", "--uri",
                 f"bolt://127.0.0.1:{free_port()}", password=None, input="")  # fmt: skip
    assert "cannot reach Neo4j" in refused(result, 3)
    assert "password" not in result.output.lower()
