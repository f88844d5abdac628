"""The coalition workflow in the workbench, on a copy of a seed folder: propose a coalition, add
and remove members, change its status — every change a POST with its form's token, for an
account that may edit, checked before anything is written, then the coalition's page says
what was done and lists it in its history."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app
from ccm_graph.workbench.web import Viewer

from ..conftest import SMALL_SEED

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


def as_viewer(app: Any, who: Viewer) -> Any:
    """``app`` as the sign-in layer would serve it to ``who`` (``request.state.viewer``)."""

    async def signed_in(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})["viewer"] = who
        await app(scope, receive, send)

    return signed_in


def client(folder: Path, who: Viewer | None = None) -> TestClient:
    app = create_app(DataSource.at(folder))
    return TestClient(as_viewer(app, who) if who else app)


def token(page: str, action: str) -> str:
    """The token of the form sent to ``action`` on ``page``."""
    form = re.search(rf'action="{re.escape(action)}"[^>]*>\s*<input type="hidden" '
                     r'name="token" value="([^"]+)"', page)  # fmt: skip
    assert form is not None, action
    return form.group(1)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def members(folder: Path, coalition: str) -> set[tuple[str, str | None]]:
    return {(r.from_id, r.role) for r in read_seed(folder).relations
            if r.type == "MEMBER_OF" and r.to_id == coalition}  # fmt: skip


def problems_of(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-problems">(.*?)</ul>', page, re.S)
    assert found is not None, field
    return found.group(1)


def test_propose_from_the_state_page_then_see_the_new_coalition(folder: Path) -> None:
    c = client(folder)
    state = c.get("/state/LAO").text
    assert 'href="/coalition/new?focus=LAO"' in state and "Propose a coalition" in state
    assert "Propose a coalition" not in c.get("/state/CHE").text  # no time-bound obligation
    form = c.get("/coalition/new?focus=LAO").text
    assert 'id="p-focus" name="focus" type="text" value="LAO" list="states"' in form
    assert '<option value="LBN">Lebanon</option>' in form  # the States to choose from
    sent = {"token": token(form, "/coalition/new"), "focus": "LAO", "name": "Lao PDR Coalition",
            "lead": "Netherlands", "source": "MSP side event"}  # fmt: skip
    done = c.post("/coalition/new", data=sent, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/coalition/coal-lao?done=proposed"
    assert members(folder, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    assert len(list((folder.parent / "snapshots").glob("snapshot-*"))) == 1
    page = c.get(done.headers["location"]).text
    assert "The coalition is proposed" in page and "Lao PDR Coalition" in page
    history = page.split('id="coalition-history"')[1]
    assert "coalition propose coal-lao --focus LAO --lead NLD" in history
    assert "coalition propose coal-lao" in c.get("/history").text
    assert "Lao PDR Coalition" in c.get("/state/LAO").text  # the State's page lists it


def test_every_problem_shows_next_to_its_field_and_nothing_is_written(folder: Path) -> None:
    c = client(folder)
    before = files_of(folder)
    form = c.get("/coalition/new").text
    sent = {"token": token(form, "/coalition/new"), "focus": "", "name": " ",
            "lead": "NLD\u200b"}  # fmt: skip
    refused = c.post("/coalition/new", data=sent)
    assert refused.status_code == 400
    assert "required but blank" in problems_of(refused.text, "p-focus")
    assert "a coalition needs a name" in problems_of(refused.text, "p-name")
    assert "U+200B" in problems_of(refused.text, "p-lead")
    assert 'aria-invalid="true"' in refused.text and 'role="alert"' in refused.text
    sent = {**sent, "focus": "Lao PDR", "name": "X", "lead": "nobody"}
    refused = c.post("/coalition/new", data=sent)
    assert refused.status_code == 400
    assert "no actor &#x27;nobody&#x27;" in problems_of(refused.text, "p-lead")
    assert 'value="Lao PDR"' in refused.text  # what was typed is kept
    refused = c.post("/coalition/new", data={**sent, "focus": "CHE", "lead": ""})
    said = problems_of(refused.text, "p-focus")
    assert "Switzerland (CHE) has no Article 3 or 4 obligation" in said
    assert "tick the box at the end of this form" in said and "any_state" not in said
    assert refused.status_code == 400
    assert files_of(folder) == before and not (folder.parent / "snapshots").exists()
    done = c.post("/coalition/new", data={**sent, "focus": "CHE", "lead": "", "any_state": "1"},
                  follow_redirects=False)  # fmt: skip
    assert done.headers["location"] == "/coalition/coal-che?done=proposed"


def test_add_a_member_and_confirm_a_role_change(folder: Path) -> None:
    c = client(folder)
    page = c.get("/coalition/coal-lbn").text
    assert '<option value="partner" selected>partner</option>' in page
    members_token = token(page, "/coalition/coal-lbn/members")
    sent = {"token": members_token, "actor": "HALO", "role": "operator", "since": "2025-03"}
    done = c.post("/coalition/coal-lbn/members", data=sent, follow_redirects=False)
    assert done.headers["location"] == "/coalition/coal-lbn?done=added"
    assert ("halo", "operator") in members(folder, "coal-lbn")
    page = c.get(done.headers["location"]).text
    assert "The member is added." in page and "The HALO Trust" in page
    assert "coalition add-member coal-lbn halo --role operator" in page
    again = c.post("/coalition/coal-lbn/members", data=sent, follow_redirects=False)
    assert again.headers["location"] == "/coalition/coal-lbn?done=unchanged"
    before = files_of(folder)
    asked = c.post("/coalition/coal-lbn/members", data={**sent, "role": "partner"})
    assert asked.status_code == 200
    assert ("The HALO Trust &#34;HALO&#34; is already a member as operator. Make it partner "
            "instead?") in asked.text.replace("&quot;", "&#34;")  # fmt: skip
    assert files_of(folder) == before  # nothing written before the answer
    confirm = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                              asked.text))  # fmt: skip
    assert confirm["replace_role"] == "1" and confirm["role"] == "partner"
    done = c.post("/coalition/coal-lbn/members", data=confirm, follow_redirects=False)
    assert done.headers["location"] == "/coalition/coal-lbn?done=replaced"
    assert {m for m in members(folder, "coal-lbn") if m[0] == "halo"} == {("halo", "partner")}


def test_remove_a_member_and_change_the_status(folder: Path) -> None:
    c = client(folder)
    page = c.get("/coalition/coal-lbn").text
    assert 'aria-label="Remove Netherlands from the coalition"' in page
    remove = {"token": token(page, "/coalition/coal-lbn/members/remove"), "actor": "NLD"}
    done = c.post("/coalition/coal-lbn/members/remove", data=remove, follow_redirects=False)
    assert done.headers["location"] == "/coalition/coal-lbn?done=removed"
    assert members(folder, "coal-lbn") == {("LBN", "affected_state")}
    stale = c.post("/coalition/coal-lbn/members/remove", data=remove)  # an old page's button
    assert stale.status_code == 400 and "NLD: is not a member of coal-lbn" in stale.text
    status = {"token": token(page, "/coalition/coal-lbn/status"), "status": "concluded"}
    done = c.post("/coalition/coal-lbn/status", data=status, follow_redirects=False)
    assert done.headers["location"] == "/coalition/coal-lbn?done=status"
    assert [c.status for c in read_seed(folder).coalitions if c.id == "coal-lbn"] == ["concluded"]
    page = c.get("/coalition/coal-lbn?lang=fr").text
    assert '<option value="concluded" selected>' in page and "Retirer" in page
    refused = c.post("/coalition/coal-lbn/status", data={**status, "status": "dormant"})
    assert refused.status_code == 400 and "&#x27;dormant&#x27; is not one of" in refused.text
    back = c.get("/coalition/coal-lbn/status?lang=es", follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/coalition/coal-lbn?lang=es"


def test_a_change_without_its_form_s_token_is_refused(folder: Path) -> None:
    c = client(folder)
    before = files_of(folder)
    page = c.get("/coalition/coal-lbn").text
    other = token(page, "/coalition/coal-lbn/status")  # a token for another form
    posts = {
        "/coalition/new": {"focus": "LAO", "name": "X"},
        "/coalition/coal-lbn/members": {"actor": "halo", "role": "operator"},
        "/coalition/coal-lbn/members/remove": {"actor": "NLD"},
        "/coalition/coal-lbn/status": {"status": "forming"},
    }
    for path, sent in posts.items():
        for forged in ({}, {"token": "forged"}, {"token": other}):
            if path.endswith("/status") and forged.get("token") == other:
                continue
            refused = c.post(path, data={**sent, **forged})
            assert refused.status_code == 403, (path, forged)
            assert "open the page again" in refused.text
    assert files_of(folder) == before


def test_an_account_that_may_not_edit_sees_no_form_and_is_refused(folder: Path) -> None:
    editor = client(folder)
    page = editor.get("/coalition/coal-lbn").text
    sent = {"token": token(page, "/coalition/coal-lbn/members"), "actor": "halo",
            "role": "operator"}  # fmt: skip
    reader = client(folder, Viewer("rosa", "viewer"))
    shown = reader.get("/coalition/coal-lbn").text
    assert "Netherlands" in shown and 'action="/coalition/coal-lbn/' not in shown
    assert "Propose a coalition" not in reader.get("/state/LAO").text
    assert reader.get("/coalition/new?focus=LAO").status_code == 403
    assert reader.post("/coalition/coal-lbn/members", data=sent).status_code == 403
    assert ("halo", "operator") not in members(folder, "coal-lbn")


def test_a_change_names_the_account_that_made_it(folder: Path) -> None:
    c = client(folder, Viewer("amina", "editor"))
    form = c.get("/coalition/new?focus=LAO").text
    c.post("/coalition/new", data={"token": token(form, "/coalition/new"), "focus": "LAO",
                                   "name": "Lao PDR Coalition"})  # fmt: skip
    history = c.get("/coalition/coal-lao").text.split('id="coalition-history"')[1]
    assert "<td>amina</td>" in history


def test_a_restricted_coalition_or_actor_is_answered_as_an_unknown_one(folder: Path) -> None:
    c = client(folder)
    page = c.get("/coalition/coal-lbn").text
    assert "secretdonor" not in page and "Secret Donor" not in page  # not among the actors
    members_token = token(page, "/coalition/coal-lbn/members")
    answers = []
    for actor in ("secretdonor", "no-such"):
        sent = {"token": members_token, "actor": actor, "role": "donor"}
        refused = c.post("/coalition/coal-lbn/members", data=sent)
        assert refused.status_code == 400
        answers.append(problems_of(refused.text, "m-actor").replace(actor, "ID"))
    assert answers[0] == answers[1]
    app = create_app(DataSource.at(folder))
    bench, pages = app.state.workbench, []
    for coalition in ("coal-secret", "no-such"):
        sent = {"status": "active", "token": bench.tokens.issue(f"coalition:{coalition}:status")}
        response = TestClient(app).post(f"/coalition/{coalition}/status", data=sent)
        assert response.status_code == 404
        pages.append(response.content.replace(coalition.encode(), b"ID"))
    assert pages[0] == pages[1]
    confidential = client(folder, Viewer("chen", "confidential"))
    assert confidential.get("/coalition/coal-secret").status_code == 200  # may see it
    page = confidential.get("/coalition/coal-lbn").text
    sent = {"token": token(page, "/coalition/coal-lbn/members"), "actor": "Secret Donor",
            "role": "donor"}  # fmt: skip
    done = confidential.post("/coalition/coal-lbn/members", data=sent, follow_redirects=False)
    assert done.status_code == 303
    assert ("secretdonor", "donor") in members(folder, "coal-lbn")
    shown = confidential.get("/coalition/coal-lbn").text.split('id="coalition-history"')[1]
    assert "coalition add-member coal-lbn secretdonor --role donor" in shown
    public = c.get("/coalition/coal-lbn").text
    assert "secretdonor" not in public and "Secret Donor" not in public
