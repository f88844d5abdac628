"""Writers at the same time: every outcome is one that running them one after the other gives.

Each test runs the real CLI in separate processes against the suite's Neo4j, all at once. A
barrier (files in a folder) forces the race instead of hoping for it: each process stops at the
same point (after planning its load, or just before its coalition command) until every other
one has reached it, then all go on together.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccm_graph.coalitions import add_member
from ccm_graph.dataset import read_seed
from ccm_graph.errors import ConcurrentChange
from ccm_graph.history import read_history
from ccm_graph.store import Store
from ccm_graph.sync import apply_load, plan_load

from ..conftest import SMALL_SEED

RUNNER = r"""
import functools, importlib, os, sys, time
from pathlib import Path

folder, parties = Path(os.environ["RACE_DIR"]), int(os.environ["RACE_PARTIES"])
module_name, name, when = os.environ["RACE_HOOK"].split(":")


def barrier():
    (folder / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < parties:
        if time.monotonic() > deadline:
            sys.exit("the other processes never reached the barrier")
        time.sleep(0.005)


module = importlib.import_module(module_name)
original = getattr(module, name)


@functools.wraps(original)
def hooked(*args, **kwargs):
    if when == "before":
        barrier()
    result = original(*args, **kwargs)
    if when == "after":
        barrier()
    return result


setattr(module, name, hooked)
from ccm_graph.cli import cli

cli.main(sys.argv[1:], prog_name="ccm-graph")
"""

PLANNED = "ccm_graph.sync:plan_load:after"
"""Stop each load once it has planned (read what Neo4j holds), before it writes."""

MESSAGE = re.compile(
    r"Error: the database changed while this (?P<what>load|sync|wipe) was being planned "
    r"\(by (?P<by>\S+) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z, (?P<command>[^)]+)\): "
    r"run it again to see the new plan"
)


@dataclass
class Finished:
    args: list[str]
    code: int
    stdout: str
    stderr: str


def race(tmp_path: Path, hook: str, *commands: list[str]) -> list[Finished]:
    """Run each ``ccm-graph`` command line in its own process, all at once, each stopped at
    ``hook`` until all have reached it."""
    folder = tmp_path / f"barrier-{len(list(tmp_path.glob('barrier-*')))}"
    folder.mkdir()
    env = {**os.environ, "RACE_DIR": str(folder), "RACE_PARTIES": str(len(commands)),
           "RACE_HOOK": hook}  # fmt: skip
    running = [
        (args, subprocess.Popen([sys.executable, "-c", RUNNER, *args], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        for args in commands
    ]  # fmt: skip
    done = []
    for args, process in running:
        stdout, stderr = process.communicate(timeout=300)
        done.append(Finished(args, process.returncode, stdout, stderr))
    return done


def with_actor(tmp_path: Path, ident: str) -> Path:
    """A copy of the small seed with one more actor, ``ident``."""
    folder = tmp_path / ident
    shutil.copytree(SMALL_SEED, folder)
    with (folder / "actors.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [ident, "operator", f"Operator {ident}", "", "", "", "", "public", "race test", ""]
        )
    return folder


def without_coalition(tmp_path: Path, ident: str) -> Path:
    """A copy of the small seed without the coalition ``ident`` and the rows naming it."""
    folder = tmp_path / f"without-{ident}"
    shutil.copytree(SMALL_SEED, folder)
    for file in ("coalitions.csv", "relations.csv"):
        path = folder / file
        rows = list(csv.reader(path.open(encoding="utf-8")))
        kept = [row for row in rows if ident not in row[:3]]
        assert len(kept) < len(rows)
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(kept)
    return folder


def actor_ids(store: Store) -> set[str]:
    return {r["id"] for r in store.query("MATCH (a:Actor) RETURN a.id AS id").rows}


def one_winner(done: list[Finished]) -> tuple[Finished, Finished]:
    """The one process that succeeded and the one refused (whose stderr is one line)."""
    [winner] = [d for d in done if d.code == 0]
    [loser] = [d for d in done if d.code != 0]
    assert loser.code == 1, loser.stderr
    assert loser.stderr.count("\n") == 1, loser.stderr
    return winner, loser


@pytest.mark.parametrize("mode", ["sync", "wipe"])
@pytest.mark.parametrize("loaded_first", [True, False], ids=["loaded", "empty"])
def test_two_loads_at_once_one_applies_the_other_says_so(
    neo4j_env: dict, store: Store, tmp_path: Path, mode: str, loaded_first: bool
) -> None:
    if loaded_first:
        store.load(read_seed(SMALL_SEED))
    before = len(read_history(store))
    folders = {"alice": with_actor(tmp_path, "SYNCA"), "bob": with_actor(tmp_path, "SYNCB")}
    done = race(tmp_path, PLANNED, *(
        ["load", "--seed", str(folder), f"--{mode}", "--by", by,
         "--snapshots", str(tmp_path / f"snapshots-{by}")]
        for by, folder in folders.items()
    ))  # fmt: skip
    winner, loser = one_winner(done)
    won_by = winner.args[winner.args.index("--by") + 1]
    lost = MESSAGE.fullmatch(loser.stderr.strip())
    assert lost, loser.stderr
    assert (lost["what"], lost["by"], lost["command"]) == (mode, won_by, f"load --{mode}")
    # the state of the winner alone: every record of its folder, nothing of the other's
    expected = {a.id for a in read_seed(folders[won_by]).actors}
    assert actor_ids(store) == expected
    history = read_history(store)[before:]
    assert [(c.command, c.by) for c in history] == [(f"load --{mode}", won_by)]


def test_coalition_edit_during_a_sync_is_one_or_the_other(
    neo4j_env: dict, store: Store, tmp_path: Path
) -> None:
    store.load(read_seed(SMALL_SEED))
    folder = without_coalition(tmp_path, "coal-lbn")
    sync = ["load", "--seed", str(folder), "--sync", "--snapshots", str(tmp_path / "snaps")]
    edit = ["coalition", "add-member", "coal-lbn", "CHE", "--role", "partner"]
    env_hooks = {"sync": PLANNED, "edit": "ccm_graph.coalitions:add_member:before"}
    # the two processes stop at different points: one barrier folder, two hooks
    folder_barrier = tmp_path / "barrier"
    folder_barrier.mkdir()
    base = {**os.environ, "RACE_DIR": str(folder_barrier), "RACE_PARTIES": "2"}
    processes = {
        name: subprocess.Popen([sys.executable, "-c", RUNNER, *args],
                               env={**base, "RACE_HOOK": env_hooks[name]}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for name, args in (("sync", sync), ("edit", edit))
    }  # fmt: skip
    out = {name: (p.communicate(timeout=300), p.returncode) for name, p in processes.items()}
    (_, sync_err), sync_code = out["sync"]
    (_, edit_err), edit_code = out["edit"]
    coalitions = {r["id"] for r in store.query("MATCH (c:Coalition) RETURN c.id AS id").rows}
    commands = [c.command for c in read_history(store)]
    if sync_code == 0:  # the sync first: the edit then finds no coalition to edit
        assert edit_code == 1 and edit_err.startswith("Error: no coalition 'coal-lbn'"), edit_err
        assert edit_err.count("\n") == 1, edit_err
        assert "coal-lbn" not in coalitions
        assert commands == ["load --sync"]
    else:  # the edit first: the sync, planned before it, changes nothing and says so
        assert edit_code == 0, edit_err
        lost = MESSAGE.fullmatch(sync_err.strip())
        assert lost and lost["command"] == "coalition add-member", sync_err
        assert "coal-lbn" in coalitions
        members = store.query(
            "MATCH (:Actor {id: 'CHE'})-[r:MEMBER_OF]->(:Coalition {id: 'coal-lbn'}) "
            "RETURN r.role AS role"
        ).rows
        assert members == [{"role": "partner"}]
        assert commands == ["coalition add-member"]


def test_six_proposals_at_once_get_six_ids(neo4j_env: dict, store: Store, tmp_path: Path) -> None:
    store.load(read_seed(SMALL_SEED))
    done = race(tmp_path, "ccm_graph.coalitions:propose_coalition:before", *(
        ["coalition", "propose", "--focus", "LAO", "--name", f"Lao coalition {n}"]
        for n in range(6)
    ))  # fmt: skip
    assert [d.code for d in done] == [0] * 6, [d.stderr for d in done]
    rows = store.query(
        "MATCH (c:Coalition)-[:FOCUSES_ON]->(:Actor {id: 'LAO'}) WHERE c.status = 'proposed' "
        "AND c.id STARTS WITH 'coal-lao' RETURN c.id AS id, c.name AS name"
    ).rows
    assert sorted(r["id"] for r in rows) == sorted(
        ["coal-lao", *(f"coal-lao-{n}" for n in range(2, 7))]
    )
    assert sorted(r["name"] for r in rows) == [f"Lao coalition {n}" for n in range(6)]
    assert [c.command for c in read_history(store)] == ["coalition propose"] * 6


def test_a_change_between_plan_and_write_is_named(store: Store, tmp_path: Path) -> None:
    # the same check without a race: the plan is made, a coalition change commits, the load
    # refuses, naming that change, and writes nothing (no snapshot either: it removes nothing)
    store.load(read_seed(SMALL_SEED))
    folder = with_actor(tmp_path, "SYNCA")
    plan = plan_load(store, read_seed(folder), "sync")
    add_member(store, "coal-lbn", "CHE", "partner", by="carol")
    with pytest.raises(ConcurrentChange) as refused:
        apply_load(store, read_seed(folder), plan, snapshots_dir=tmp_path / "snaps")
    lost = MESSAGE.fullmatch("Error: " + str(refused.value))
    assert lost and (lost["what"], lost["by"], lost["command"]) == (
        "sync",
        "carol",
        "coalition add-member",
    )
    assert "SYNCA" not in actor_ids(store)
    assert [c.command for c in read_history(store)] == ["coalition add-member"]
