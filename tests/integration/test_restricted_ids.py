"""A restricted id is answered exactly as an unknown one, by every command that takes an id.

Without ``--include-restricted`` nothing tells a reader that a restricted record exists: for
each command that takes an id, the answer for a restricted id (exit code, stdout, stderr) is
byte for byte the answer for an unknown id of the same shape once the id text is substituted,
and neither names a restricted record in "did you mean". The unknown ids are one letter away
from the restricted ones, so a suggestion drawn from restricted records would show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.history import read_history
from ccm_graph.store import Store

from ..conftest import SMALL_SEED

RESTRICTED = {"actor": "secretdonor", "coalition": "coal-secret"}
"""A restricted State and a restricted coalition of the small fixture."""

UNKNOWN = {"actor": "secretdonxr", "coalition": "coal-secrxt"}
"""Ids of the same shape that name nothing."""

SECRET_TEXTS = ("secretdonor", "Secret Donor", "coal-secret", "Quiet coalition")

SEED = str(SMALL_SEED)

COMMANDS: dict[str, tuple[str, list[str]]] = {
    # name: (the kind of id, the command line with {id} where the id goes)
    "map --focus": ("actor", ["map", "--seed", SEED, "--focus", "{id}", "--out", "{out}/m.html"]),
    "map --focus, neo4j": ("actor", ["map", "--from", "neo4j", "--focus", "{id}",
                                     "--out", "{out}/m.html"]),
    "map --coalition": ("coalition", ["map", "--seed", SEED, "--coalition", "{id}",
                                      "--out", "{out}/m.html"]),
    "map --coalition, neo4j": ("coalition", ["map", "--from", "neo4j", "--coalition", "{id}",
                                             "--out", "{out}/m.html"]),
    "recommend": ("actor", ["recommend", "--seed", SEED, "{id}"]),
    "recommend, neo4j": ("actor", ["recommend", "--from", "neo4j", "{id}"]),
    "recommend --exclude": ("actor", ["recommend", "--seed", SEED, "LAO", "--exclude", "{id}"]),
    "brief coalition": ("coalition", ["brief", "--seed", SEED, "{id}", "--out", "{out}/b.md"]),
    "brief state": ("actor", ["brief", "--seed", SEED, "{id}", "--out", "{out}/b.md"]),
    "brief, neo4j": ("coalition", ["brief", "--from", "neo4j", "{id}", "--out", "{out}/b.md"]),
    "query --name state-profile": ("actor", ["query", "--name", "state-profile",
                                             "--param", "state={id}"]),
    "query --name forum-members": ("coalition", ["query", "--name", "forum-members",
                                                 "--param", "forum={id}"]),
    "coalition show": ("coalition", ["coalition", "show", "{id}"]),
    "coalition add-member (coalition)": ("coalition", ["coalition", "add-member", "{id}", "NLD",
                                                       "--role", "partner"]),
    "coalition add-member (actor)": ("actor", ["coalition", "add-member", "coal-lbn", "{id}",
                                               "--role", "donor"]),
    "coalition remove-member (coalition)": ("coalition", ["coalition", "remove-member", "{id}",
                                                          "NLD"]),
    "coalition remove-member (actor)": ("actor", ["coalition", "remove-member", "coal-lbn",
                                                  "{id}"]),
    "coalition set-status": ("coalition", ["coalition", "set-status", "{id}", "active"]),
    "coalition propose --focus": ("actor", ["coalition", "propose", "--focus", "{id}",
                                            "--name", "X"]),
    "coalition propose --lead": ("actor", ["coalition", "propose", "--focus", "LAO",
                                           "--lead", "{id}", "--name", "X"]),
    "whatif, a row naming it": ("actor", ["whatif", "--seed", SEED, "--add", "{add}"]),
    "whatif, a row with its id": ("actor", ["whatif", "--seed", SEED, "--add", "{add}"]),
}  # fmt: skip

ADDED = {
    "whatif, a row naming it": (
        "relations.csv",
        "from,type,to,year,amount_usd,convention,source\n{id},FUNDS,LBN,2025,1000,CCM,x\n",
    ),
    "whatif, a row with its id": (
        "actors.csv",
        "id,kind,name,sensitivity,source\n{id},operator,New operator,public,x\n",
    ),
}
"""The rows a ``whatif`` adds (file, text), in a folder named after the id."""


@pytest.fixture
def loaded(store: Store, neo4j_env: dict) -> Store:
    """The small fixture in Neo4j; the NEO4J_* environment set (so a command reading the seed
    folder may also ask Neo4j about an id it does not find)."""
    store.load(read_seed(SMALL_SEED), wipe=True)
    return store


def answer(args: list[str], ident: str, out: Path, name: str = "") -> tuple[int, str, str]:
    add = out.parent / "add" / ident
    if name in ADDED:
        add.mkdir(parents=True)
        file, text = ADDED[name]
        (add / file).write_text(text.replace("{id}", ident), encoding="utf-8")
    line = [a.replace("{id}", ident).replace("{out}", str(out)).replace("{add}", str(add))
            for a in args]  # fmt: skip
    result = CliRunner().invoke(cli, line, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_restricted_id_is_answered_as_an_unknown_one(
    loaded: Store, tmp_path: Path, name: str
) -> None:
    kind, args = COMMANDS[name]
    restricted, unknown = RESTRICTED[kind], UNKNOWN[kind]
    history = len(read_history(loaded))
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, stderr = answer(args, restricted, out, name)
    other = answer(args, unknown, out, name)
    substituted = tuple(
        part.replace(unknown, restricted) if isinstance(part, str) else part for part in other
    )
    assert (code, stdout, stderr) == substituted
    assert not list(out.iterdir())  # nothing written, for either
    assert len(read_history(loaded)) == history  # nor changed in Neo4j
    shown = (stdout + stderr).replace(restricted, "")
    assert [s for s in SECRET_TEXTS if s in shown] == [], (name, shown)


@pytest.mark.parametrize(
    "args",
    [
        ["coalition", "show", "coal-secret"],
        ["coalition", "set-status", "coal-secret", "forming"],
        ["coalition", "add-member", "coal-lbn", "secretdonor", "--role", "donor"],
        ["map", "--seed", SEED, "--focus", "secretdonor", "--out", "{out}/m.html"],
    ],
    ids=" ".join,
)
def test_with_include_restricted_the_record_is_found(
    loaded: Store, tmp_path: Path, args: list[str]
) -> None:
    code, stdout, stderr = answer([*args, "--include-restricted"], "", tmp_path)
    assert code == 0, stderr
    assert any(text in stdout for text in ("Secret Donor", "Quiet coalition", "restricted"))
