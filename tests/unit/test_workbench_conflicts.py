"""Two editors saving the same record at once (#21): the second one sees, field by field,
what their form started from, what the first one stored and their own values, with their form
filled in again on top of the stored record; nothing is overwritten silently."""

from __future__ import annotations

import html
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.keeping import read_started, record_conflict, record_fingerprint
from ccm_graph.keeping.conflicts import conflict_rows, merged_values
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app

from ..conftest import SMALL_SEED
from .test_workbench_keeping import SOURCE, hidden
from .test_workbench_keeping import form_of as fields_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


def form_of(page: str) -> dict[str, str]:
    """What a browser sends: the fields, the token, the fingerprint and the values the form
    started from."""
    sent = {**fields_of(page), "started": hidden(page, "started")}
    return {name: html.unescape(value) for name, value in sent.items()}


def two_editors(folder: Path) -> tuple[TestClient, TestClient]:
    """Two browsers on one workbench (one app, as a team server runs it)."""
    app = create_app(DataSource.at(folder))
    return TestClient(app), TestClient(app)


def conflict_table(page: str) -> list[list[str]]:
    """The conflict table's rows: field, started, stored now, yours (tags removed)."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    assert body is not None, "no conflict table"
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]  # fmt: skip


def test_the_second_editor_sees_both_changes_and_saves_knowingly(folder: Path) -> None:
    first, second = two_editors(folder)
    form_1 = form_of(first.get("/edit/actor/LAO").text)
    form_2 = form_of(second.get("/edit/actor/LAO").text)
    assert first.post("/edit/actor/LAO", data={**form_1, "name": "Laos"}).status_code == 200
    sent = {**form_2, "name": "Lao People's Democratic Republic", "notes": "checked"}
    refused = second.post("/edit/actor/LAO", data=sent)
    assert refused.status_code == 409
    assert "Someone else saved this record while you were editing it" in refused.text
    assert read_seed(folder).actors[0].name == "Laos"  # the first save stands
    rows = {r[0].split(" ")[0]: r[1:] for r in conflict_table(refused.text)}
    assert rows["name"] == ["Lao PDR", "Laos", "Lao People's Democratic Republic"]
    assert "changed by both" in refused.text
    assert rows["notes"] == ["—", "—", "checked"]
    assert set(rows) == {"name", "notes"}  # untouched fields are not listed
    again = form_of(refused.text)
    assert again["name"] == "Lao People's Democratic Republic" and again["notes"] == "checked"
    assert again["base"] != form_2["base"]  # the form now starts from the stored record
    saved = second.post("/edit/actor/LAO", data=again)
    assert saved.status_code == 200 and "The change is written" in saved.text
    assert read_seed(folder).actors[0].name == "Lao People's Democratic Republic"


def test_the_first_editor_s_change_to_another_field_is_kept(folder: Path) -> None:
    first, second = two_editors(folder)
    form_1 = form_of(first.get("/edit/obligation/ob-LAO-4").text)
    form_2 = form_of(second.get("/edit/obligation/ob-LAO-4").text)
    first.post("/edit/obligation/ob-LAO-4", data={**form_1, "description": "Clearance (all)"})
    refused = second.post("/edit/obligation/ob-LAO-4", data={**form_2, "deadline": "2030-08-01"})
    assert refused.status_code == 409
    again = form_of(refused.text)
    assert again["description"] == "Clearance (all)" and again["deadline"] == "2030-08-01"
    assert second.post("/edit/obligation/ob-LAO-4", data=again).status_code == 200
    [ob] = [o for o in read_seed(folder).obligations if o.id == "ob-LAO-4"]
    assert (ob.description, str(ob.deadline)) == ("Clearance (all)", "2030-08-01")


def test_leaving_the_conflict_writes_nothing(folder: Path) -> None:
    first, second = two_editors(folder)
    form_1 = form_of(first.get("/edit/actor/LAO").text)
    form_2 = form_of(second.get("/edit/actor/LAO").text)
    first.post("/edit/actor/LAO", data={**form_1, "name": "Laos"})
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    refused = second.post("/edit/actor/LAO", data={**form_2, "name": "Lao P.D.R."})
    assert refused.status_code == 409 and "Leave without saving" in refused.text
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_verify_form_sent_after_another_fix_shows_both(folder: Path) -> None:
    first, second = two_editors(folder)
    form_1 = form_of(first.get("/verify/deadline:ob-LAO-4").text)
    form_2 = form_of(second.get("/verify/deadline:ob-LAO-4").text)
    fix = {**form_1, "deadline": "2030-08-01", "extensions": "2", **SOURCE}
    fixed = first.post("/verify/deadline:ob-LAO-4", data=fix)
    assert fixed.status_code == 200
    late = {**form_2, "deadline": "2031-08-01", "extensions": "2", **SOURCE,
            "excerpt": "extended until 1 August 2031"}  # fmt: skip
    refused = second.post("/verify/deadline:ob-LAO-4", data=late)
    assert refused.status_code == 409
    rows = {r[0].split(" ")[0]: r[1:] for r in conflict_table(refused.text)}
    assert rows["deadline"] == ["2025-08-01", "2030-08-01", "2031-08-01"]
    # the item is no longer to verify: the record's form takes the fix, its source kept
    assert 'action="/edit/obligation/ob-LAO-4"' in refused.text
    again = form_of(refused.text)
    assert again["deadline"] == "2031-08-01" and "2031" in again["excerpt"]
    assert second.post("/edit/obligation/ob-LAO-4", data=again).status_code == 200
    [ob] = [o for o in read_seed(folder).obligations if o.id == "ob-LAO-4"]
    assert str(ob.deadline) == "2031-08-01"


def test_a_verify_form_stays_while_its_item_is_still_to_verify(folder: Path) -> None:
    first, second = two_editors(folder)
    form_1 = form_of(first.get("/edit/obligation/ob-LAO-4").text)
    form_2 = form_of(second.get("/verify/deadline:ob-LAO-4").text)
    first.post("/edit/obligation/ob-LAO-4", data={**form_1, "description": "Clearance (all)"})
    sent = {**form_2, "deadline": "2030-08-01", "extensions": "2", **SOURCE}
    refused = second.post("/verify/deadline:ob-LAO-4", data=sent)
    assert refused.status_code == 409
    assert 'action="/verify/deadline:ob-LAO-4"' in refused.text
    rows = {r[0].split(" ")[0]: r[1:] for r in conflict_table(refused.text)}
    assert rows["description"] == ["Clearance", "Clearance (all)", "Clearance"]
    again = form_of(refused.text)
    assert second.post("/verify/deadline:ob-LAO-4", data=again).status_code == 200
    [ob] = [o for o in read_seed(folder).obligations if o.id == "ob-LAO-4"]
    assert (ob.description, str(ob.deadline)) == ("Clearance (all)", "2030-08-01")


def test_a_form_whose_start_is_not_known_still_shows_the_stored_values(folder: Path) -> None:
    first, second = two_editors(folder)
    form_2 = form_of(second.get("/edit/actor/LAO").text)
    form_1 = form_of(first.get("/edit/actor/LAO").text)
    first.post("/edit/actor/LAO", data={**form_1, "name": "Laos"})
    sent = {**form_2, "name": "Lao P.D.R.", "started": '{"name": "forged"}'}
    refused = second.post("/edit/actor/LAO", data=sent)
    assert refused.status_code == 409 and "not known" in refused.text
    assert form_of(refused.text)["name"] == "Lao P.D.R."
    assert hidden(refused.text, "base") != form_2["base"]


def test_merging_keeps_each_person_s_changes() -> None:
    started = {"name": "A", "notes": "", "region": "x"}
    stored = {"name": "B", "notes": "", "region": "y"}
    yours = {"name": "A", "notes": "mine", "region": "z"}
    assert merged_values(started, stored, yours) == {"name": "B", "notes": "mine", "region": "z"}
    rows = conflict_rows(["name", "notes", "region"], started, stored, yours)
    assert [(r.name, r.both_changed) for r in rows] == [
        ("name", False),
        ("notes", False),
        ("region", True),
    ]
    unknown = record_conflict(["name"], None, stored, yours)
    assert not unknown.started_known and unknown.values["name"] == "A"


def test_the_started_values_must_match_their_fingerprint() -> None:
    values = {"id": "LAO", "name": "Lao PDR"}
    text = '{"id": "LAO", "name": "Lao PDR"}'
    assert read_started(text, record_fingerprint(values)) == values
    assert read_started(text, record_fingerprint({**values, "name": "x"})) is None
    assert read_started("not json", record_fingerprint(values)) is None
    assert read_started('["LAO"]', record_fingerprint(values)) is None
