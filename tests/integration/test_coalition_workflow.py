"""The coalition workflow against a real Neo4j: every step checked through the library."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.coalitions import (
    DuplicateMembership,
    add_member,
    coalition_details,
    list_coalitions,
    propose_coalition,
    remove_member,
)
from ccm_graph.dataset import read_seed
from ccm_graph.errors import DataError, UnknownRecord
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import ROOT, SMALL_SEED


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def members(store: Store, coalition: str) -> set[tuple[str, str]]:
    details = coalition_details(store, coalition, include_restricted=True)
    return {(m["actor"], m["role"]) for m in details["members"]}


def test_propose_add_export_reload(neo4j_env: dict, store: Store, tmp_path: Path) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR Coalition",
                 "--lead", "NLD")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Proposed coal-lao: Lao PDR Coalition (focus Lao PDR)")
    assert members(store, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    [row] = [r for r in list_coalitions(store) if r["id"] == "coal-lao"]
    assert row["status"] == "proposed" and row["created"] == row["updated"]

    assert run("coalition", "add-member", "coal-lao", "halo", "--role", "operator").exit_code == 0
    assert run("coalition", "add-member", "coal-lao", "na-lao", "--role",
               "national_authority").exit_code == 0  # fmt: skip
    assert run("coalition", "set-status", "coal-lao", "active").exit_code == 0
    details = coalition_details(store, "coal-lao")
    assert details["coalition"]["status"] == "active"
    assert details["coalition"]["established"] == details["coalition"]["updated"][:10]
    assert ("halo", "operator") in members(store, "coal-lao")

    brief = run("brief", "coal-lao", "--from", "neo4j", "--out", str(tmp_path / "lao.html"),
                "--as-of", "2026-01-01")  # fmt: skip
    assert brief.exit_code == 0, brief.output
    page = (tmp_path / "lao.html").read_text(encoding="utf-8")
    assert "Lao PDR Coalition: Country Coalition brief" in page
    assert "The HALO Trust" in page and "<strong>operator</strong>" in page

    assert run("coalition", "remove-member", "coal-lao", "na-lao").exit_code == 0
    assert ("na-lao", "national_authority") not in members(store, "coal-lao")

    # export → re-load elsewhere → the same coalition, members and no duplicates
    assert run("export", "--out", str(tmp_path / "out"), "--include-restricted").exit_code == 0
    exported = read_seed(tmp_path / "out")
    coalition = next(c for c in exported.coalitions if c.id == "coal-lao")
    assert (coalition.focus, coalition.status) == ("LAO", "active")
    assert {(r.from_id, r.role) for r in exported.relations if r.to_id == "coal-lao"} == {
        ("LAO", "affected_state"), ("NLD", "lead"), ("halo", "operator")}  # fmt: skip
    stamps = dict(coalition_details(store, "coal-lao")["coalition"])
    store.load(exported)  # re-loading what was exported changes nothing
    assert members(store, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead"),
                                          ("halo", "operator")}  # fmt: skip
    again = coalition_details(store, "coal-lao")["coalition"]
    assert (again["created"], again["updated"]) == (stamps["created"], stamps["updated"])
    assert store.read_dataset().sorted() == exported.sorted()


def test_second_proposal_for_a_state_gets_a_new_id(neo4j_env: dict, store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    assert run("coalition", "propose", "--focus", "LBN", "--name", "Second").exit_code == 0
    ids = {r["id"] for r in list_coalitions(store)}
    assert "coal-lbn-2" in ids  # coal-lbn exists in the fixture


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["propose", "--focus", "NOPE", "--name", "X"], "no actor 'NOPE'"),
        (["propose", "--focus", "halo", "--name", "X"], "'halo' is an operator, not a State"),
        (["propose", "--focus", "LAO", "--name", "X", "--lead", "nobody"], "no actor 'nobody'"),
        (["propose", "--focus", "LAO", "--name", "X", "--id", "coal-lbn"], "already used"),
        (["propose", "--focus", "LAO", "--name", "  "], "a coalition needs a name"),
        (["add-member", "coal-nope", "NLD", "--role", "donor"], "no coalition 'coal-nope'"),
        (["add-member", "coal-lbn", "nobody", "--role", "donor"], "no actor 'nobody'"),
        (["add-member", "coal-lbn", "CHE", "--role", "boss"], "'boss' is not one of"),
        (["remove-member", "coal-lbn", "CHE"], "CHE: is not a member of coal-lbn"),
        (["remove-member", "coal-lbn", "NLD", "--role", "donor"], "not a member of coal-lbn as"),
        (["set-status", "coal-lbn", "dormant"], "'dormant' is not one of"),
        (["set-status", "coal-nope", "active"], "no coalition 'coal-nope'"),
        (["show", "coal-nope"], "no coalition 'coal-nope'"),
        (["list", "--status", "dormant"], "'dormant' is not one of"),
    ],
)
def test_bad_input_exits_1_and_writes_nothing(neo4j_env: dict, store: Store, args: list[str],
                                              message: str) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    before = (store.read_dataset().sorted(), list_coalitions(store))
    result = run("coalition", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert (store.read_dataset().sorted(), list_coalitions(store)) == before


def test_parallel_add_member_calls_all_land(neo4j_settings: ConnectionSettings,
                                            store: Store) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    actors = ["NLD", "CHE", "halo", "evil", "na-lao", "masg", "LAO", "secretdonor"]
    env = dict(
        os.environ,
        NEO4J_URI=neo4j_settings.uri,
        NEO4J_USER=neo4j_settings.user,
        NEO4J_PASSWORD=neo4j_settings.password,
        NEO4J_DATABASE=neo4j_settings.database,
    )

    def add(actor: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ccm_graph", "coalition", "add-member", "coal-lbn", actor,
             "--role", "partner", "--replace-role",  # NLD is lead: it becomes partner
             "--include-restricted"],  # secretdonor is restricted
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(actors)) as pool:
        results = list(pool.map(add, actors))
    assert [r.returncode for r in results] == [0] * len(actors), [r.stderr for r in results]
    partners = {a for a, role in members(store, "coal-lbn") if role == "partner"}
    assert partners == set(actors)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add-member", "coal-mne", "NLD", "--role", "donor", "--since", "next tuesday"],
         "--since: 'next tuesday' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        (["add-member", "coal-mne", "NLD", "--role", "donor", "--since", "٢٠٢٤"],
         "--since: '٢٠٢٤' is not a date"),
        (["add-member", "coal-mne", "NLD", "--role", "donor", "--source", "bell\x07"],
         "--source: contains a control character (U+0007)"),
        (["propose", "--focus", "LAO", "--name", "X", "--id", ""],
         "--id: an id cannot be blank"),
        (["propose", "--focus", "LAO", "--name", "X", "--id", "coal\u200b-lao"],
         "--id: 'coal\\u200b-lao' contains an invisible or control character (U+200B)"),
        (["propose", "--focus", "LAO", "--name", "\x1b[31m"],
         "--name: contains a control character (U+001B)"),
    ],
)  # fmt: skip
def test_workflow_refuses_what_validate_would(
    neo4j_env: dict, store: Store, tmp_path: Path, args: list[str], message: str
) -> None:
    store.load(read_seed(SMALL_SEED))
    before = store.read_dataset()
    result = CliRunner().invoke(cli, ["coalition", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert store.read_dataset() == before
    # and what is stored still exports to a folder validate accepts
    assert run("export", "--out", str(tmp_path / "out")).exit_code == 0
    assert run("validate", "--seed", str(tmp_path / "out")).exit_code == 0


def test_workflow_finds_records_by_name_or_alias(neo4j_env: dict, store: Store) -> None:
    store.load(read_seed(SMALL_SEED))
    result = run("coalition", "propose", "--focus", "lao pdr", "--name", "By name",
                 "--lead", "netherlands")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert members(store, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    unknown = CliRunner().invoke(cli, ["coalition", "propose", "--focus", "Laos PDRR",
                                       "--name", "X"])  # fmt: skip
    assert unknown.exit_code == 1
    assert "no actor 'Laos PDRR'; did you mean 'LAO'?" in unknown.output


def test_an_id_only_in_neo4j_says_add_from_neo4j(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    store.load(read_seed(SMALL_SEED))
    assert run("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR").exit_code == 0
    result = CliRunner().invoke(cli, ["brief", "coal-lao", "--seed", str(SMALL_SEED),
                                      "--out", str(tmp_path / "b.html")])  # fmt: skip
    assert result.exit_code == 1
    assert "'coal-lao' is in the Neo4j database at" in result.output
    assert "add --from neo4j" in result.output


def test_a_member_is_added_once_and_changes_role_only_when_asked(
    neo4j_env: dict, store: Store
) -> None:
    store.load(read_seed(SMALL_SEED))
    assert run("coalition", "propose", "--focus", "LAO", "--name", "Lao PDR").exit_code == 0
    # the affected State again in its own role (another --since): nothing new
    again = run("coalition", "add-member", "coal-lao", "LAO", "--role", "affected_state",
                "--since", "2024")  # fmt: skip
    assert again.exit_code == 0
    assert again.stdout.strip() == "Already there: Lao PDR as affected_state of Lao PDR."
    # in another role: refused in one line, nothing written
    refused = CliRunner().invoke(cli, ["coalition", "add-member", "coal-lao", "LAO",
                                       "--role", "partner"])  # fmt: skip
    assert refused.exit_code == 1
    assert refused.output.strip().count("\n") == 0, refused.output  # one line
    assert "Lao PDR (LAO) is already a member of coal-lao as affected_state" in refused.output
    assert "--replace-role" in refused.output
    assert members(store, "coal-lao") == {("LAO", "affected_state")}
    # asked to: the role is replaced, still one membership, and the change is recorded
    changed = run("coalition", "add-member", "coal-lao", "LAO", "--role", "partner",
                  "--replace-role")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    assert "affected_state → partner" in changed.stdout
    assert members(store, "coal-lao") == {("LAO", "partner")}
    history = run("history", "--format", "json")
    assert "coalition add-member --replace-role" in history.stdout
    # the brief lists the member once
    details = coalition_details(store, "coal-lao")
    assert [m["actor"] for m in details["members"]] == ["LAO"]


def test_the_library_names_fields_and_the_cli_names_options(neo4j_env: dict,
                                                            store: Store) -> None:  # fmt: skip
    store.load(read_seed(SMALL_SEED))
    with pytest.raises(DataError) as bad_date:
        add_member(store, "coal-mne", "NLD", "donor", since="next tuesday")
    assert [p.file for p in bad_date.value.problems] == ["since"]
    with pytest.raises(DataError) as bad_role:
        remove_member(store, "coal-lbn", "NLD", role="boss")
    assert [p.file for p in bad_role.value.problems] == ["role"]
    with pytest.raises(DataError) as taken:
        propose_coalition(store, focus="LAO", name="X", coalition_id="coal-lbn")
    assert str(taken.value) == "id: 'coal-lbn' is already used"
    with pytest.raises(UnknownRecord) as hidden:  # restricted: as if unknown
        coalition_details(store, "coal-secret")
    assert str(hidden.value) == "no coalition 'coal-secret'"
    propose_coalition(store, focus="LAO", name="Lao PDR")
    with pytest.raises(DuplicateMembership) as twice:
        add_member(store, "coal-lao", "LAO", "partner")
    assert "--" not in str(twice.value)
    assert str(twice.value).endswith("(ask with replace_role to make it partner instead)")
    # the same refusals through the CLI name the options
    result = CliRunner().invoke(cli, ["coalition", "remove-member", "coal-lbn", "NLD",
                                      "--role", "boss"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("--role: 'boss' is not one of")
    result = CliRunner().invoke(cli, ["coalition", "add-member", "coal-lao", "LAO",
                                      "--role", "partner"])  # fmt: skip
    assert "(add --replace-role to make it partner instead)" in result.output


def test_propose_refuses_a_state_that_is_not_affected(neo4j_env: dict, store: Store) -> None:
    # CHE (a State Party) and secretdonor (not party) have no Article 3 or 4 obligation; NLD
    # has one, completed: a Country Coalition serves an affected State
    store.load(read_seed(SMALL_SEED))
    # secretdonor is restricted: named only with --include-restricted (else it is unknown)
    for focus in (["CHE"], ["secretdonor", "--include-restricted"]):
        refused = run("coalition", "propose", "--focus", *focus, "--name", "Odd coalition")
        assert refused.exit_code == 1, refused.output
        assert "has no Article 3 or 4 obligation" in refused.stderr
        assert "--any-state" in refused.stderr
    assert store.query("MATCH (c:Coalition {name: 'Odd coalition'}) RETURN c").rows == []
    forced = run("coalition", "propose", "--focus", "CHE", "--name", "Odd coalition",
                 "--any-state")  # fmt: skip
    assert forced.exit_code == 0, forced.output
    assert run("coalition", "propose", "--focus", "NLD", "--name", "Dutch").exit_code == 0


def test_propose_refuses_a_state_that_withdrew_even_with_any_state(
    neo4j_env: dict, store: Store
) -> None:
    # a State that withdrew from the Convention is never pitched a CCM coalition, even when
    # it has an open obligation and the coordinator insists
    import dataclasses

    dataset = read_seed(SMALL_SEED)
    affected = next(o.state for o in dataset.obligations if o.status != "completed")
    dataset = dataclasses.replace(dataset, actors=[
        dataclasses.replace(a, ccm_status="withdrawn") if a.id == affected else a
        for a in dataset.actors
    ])  # fmt: skip
    store.load(dataset)
    for extra in ([], ["--any-state"]):
        refused = run("coalition", "propose", "--focus", affected, "--name", "Left", *extra)
        assert refused.exit_code == 1, refused.output
        assert "has withdrawn from the Convention" in refused.stderr
    assert store.query("MATCH (c:Coalition {name: 'Left'}) RETURN c").rows == []


def test_remove_member_leaves_a_restricted_membership_it_may_not_see(
    neo4j_env: dict, store: Store
) -> None:
    # CHE's restricted membership of coal-lbn is invisible without --include-restricted: the
    # command answers as for a non-member and deletes nothing
    import dataclasses

    from ccm_graph.schema import Relation

    dataset = read_seed(SMALL_SEED)
    hidden = Relation("CHE", "MEMBER_OF", "coal-lbn", role="partner", sensitivity="restricted",
                      source="test: a confidential membership")  # fmt: skip
    store.load(dataclasses.replace(dataset, relations=[*dataset.relations, hidden]))
    count = ("MATCH (:Actor {id: 'CHE'})-[r:MEMBER_OF]->(:Coalition {id: 'coal-lbn'}) "
             "RETURN count(r) AS n")  # fmt: skip
    refused = run("coalition", "remove-member", "coal-lbn", "CHE")
    assert refused.exit_code == 1 and "is not a member of coal-lbn" in refused.stderr
    assert store.query(count).rows == [{"n": 1}]
    allowed = run("coalition", "remove-member", "coal-lbn", "CHE", "--include-restricted")
    assert allowed.exit_code == 0, allowed.output
    assert store.query(count).rows == [{"n": 0}]
