"""The workbench's coalition workflow on Neo4j: each change is the command line's own (the
change record ``coalition propose``, ``coalition add-member`` … naming the account), and the
coalition's page lists those records; the pure Dataset workflow words every change as the
Neo4j one does."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from ccm_graph.coalitions import coalition_details
from ccm_graph.dataset import read_seed
from ccm_graph.history import read_history
from ccm_graph.keeping import change_coalition, full_dataset
from ccm_graph.keeping import coalitions as on_dataset
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store
from ccm_graph.workbench import create_app
from ccm_graph.workbench.web import Viewer

from ..conftest import SMALL_SEED

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.neo4j


@pytest.fixture
def source(store: Store, neo4j_settings: ConnectionSettings) -> Iterator[DataSource]:
    store.load(read_seed(SMALL_SEED))
    clear_cache()
    with DataSource.neo4j(neo4j_settings) as opened:
        yield opened
    clear_cache()


def signed_in(app: Any, who: Viewer) -> Any:
    async def with_viewer(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})["viewer"] = who
        await app(scope, receive, send)

    return with_viewer


def token(page: str, action: str) -> str:
    found = re.search(rf'action="{re.escape(action)}"[^>]*>\s*<input type="hidden" '
                      r'name="token" value="([^"]+)"', page)  # fmt: skip
    assert found is not None, action
    return found.group(1)


def test_propose_and_add_a_member_write_the_command_s_change_records(
    source: DataSource, store: Store
) -> None:
    c = TestClient(signed_in(create_app(source), Viewer("amina", "editor")))
    form = c.get("/coalition/new?focus=LAO").text
    done = c.post("/coalition/new", follow_redirects=False, data={
        "token": token(form, "/coalition/new"), "focus": "Lao PDR",
        "name": "Lao PDR Coalition", "lead": "NLD"})  # fmt: skip
    assert done.headers["location"] == "/coalition/coal-lao?done=proposed"
    page = c.get("/coalition/coal-lao").text
    sent = {"token": token(page, "/coalition/coal-lao/members"), "actor": "halo",
            "role": "operator"}  # fmt: skip
    assert c.post("/coalition/coal-lao/members", data=sent).status_code == 200
    *_, proposed, added = read_history(store)
    assert (proposed.command, proposed.by) == ("coalition propose", "amina")
    assert (added.command, added.by) == ("coalition add-member", "amina")
    details = coalition_details(store, "coal-lao")
    assert {(m["actor"], m["role"]) for m in details["members"]} == {
        ("LAO", "affected_state"), ("NLD", "lead"), ("halo", "operator")}  # fmt: skip
    history = c.get("/coalition/coal-lao").text.split('id="coalition-history"')[1]
    assert "coalition add-member" in history and "coalition propose" in history
    assert "The HALO Trust" in c.get("/coalition/coal-lao").text  # read again at once
    asked = c.post("/coalition/coal-lao/members", data={**sent, "role": "partner"})
    assert "is already a member as operator. Make it partner instead?" in asked.text
    assert read_history(store)[-1].command == "coalition add-member"  # nothing more written


def test_the_dataset_workflow_says_what_the_neo4j_one_says(
    source: DataSource, store: Store
) -> None:
    steps: list[tuple[str, dict[str, Any]]] = [
        ("propose", {"focus": "lao pdr", "name": "Lao PDR Coalition", "lead": "Netherlands"}),
        ("add-member", {"coalition": "coal-lao", "actor": "HALO", "role": "operator"}),
        ("add-member", {"coalition": "coal-lao", "actor": "halo", "role": "operator"}),
        ("add-member", {"coalition": "coal-lao", "actor": "halo", "role": "partner",
                        "replace_role": True}),
        ("remove-member", {"coalition": "coal-lao", "actor": "NLD"}),
        ("set-status", {"coalition": "Lao PDR Coalition", "status": "active"}),
    ]  # fmt: skip
    data = full_dataset(source)
    for action, args in steps:
        data, expected = on_dataset.CHANGES[action](data, **args)
        assert change_coalition(source, action, by="tester", **args) == expected, action
    written = full_dataset(source)
    assert sorted(written.relations, key=lambda r: r.key) == sorted(
        data.relations, key=lambda r: r.key
    )
    [lao] = [c for c in written.coalitions if c.id == "coal-lao"]
    assert lao == next(c for c in data.coalitions if c.id == "coal-lao")
