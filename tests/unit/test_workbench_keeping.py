"""The workbench's pages that write: a "to verify" item fixed with its source, any record
edited through its schema form, a workbook uploaded, previewed and applied; every write a POST
with its form's token, checked before anything is written."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app
from ccm_graph.workbook import write_workbook

from ..conftest import SMALL_SEED

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SOURCE = {"source_url": "https://www.clusterconvention.org/decisions",
          "source_date": "2026-09", "excerpt": "extended until 1 August 2030",
          "note": "decided at the 14MSP"}  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, name
    return found.group(1)


def form_of(page: str) -> dict[str, str]:
    """The values a browser would send: text boxes, text areas, chosen options, hidden ones."""
    values = dict(re.findall(r'<input id="[^"]*" name="([^"]+)" type="text" value="([^"]*)"', page))
    values |= dict(re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    for name, options in re.findall(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', page,
                                    re.S):  # fmt: skip
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    values |= {"token": hidden(page, "token"), "base": hidden(page, "base")}
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in values.items()}


def test_fixing_an_item_with_its_source_changes_the_pages_at_once(folder: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    assert "1 fact to verify" not in c.get("/").text
    count = int(re.search(r"(\d+) facts? to verify", c.get("/").text).group(1))  # type: ignore[union-attr]
    page = c.get("/verify/deadline:ob-LAO-4").text
    sent = {**form_of(page), "deadline": "2030-08-01", "extensions": "2", **SOURCE}
    saved = c.post("/verify/deadline:ob-LAO-4", data=sent)
    assert saved.status_code == 200 and "The change is written" in saved.text
    snapshot = folder.parent / "snapshots"
    assert str(snapshot) in saved.text and len(list(snapshot.glob("snapshot-*"))) == 1
    assert "2030" in c.get("/state/LAO").text
    after = int(re.search(r"(\d+) facts? to verify", c.get("/").text).group(1))  # type: ignore[union-attr]
    assert after == count - 1 and "deadline:ob-LAO-4" not in c.get("/verify").text
    [deadline] = read_seed(folder).evidence  # extensions is derived: no row of its own
    assert (deadline.field, deadline.value, deadline.status) == ("deadline", "2030-08-01", "quoted")
    assert deadline.excerpt == SOURCE["excerpt"] and deadline.source == SOURCE["source_url"]
    assert "verified deadline:ob-LAO-4" in c.get("/history").text
    assert not list(snapshot.glob("evidence-pending*"))


def test_a_fix_whose_excerpt_does_not_state_the_value_is_refused_on_the_form(
    folder: Path,
) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    page = c.get("/verify/deadline:ob-LAO-4").text
    sent = {**form_of(page), "deadline": "2030-08-01", **SOURCE,
            "excerpt": "extended until 1 August 2031"}  # fmt: skip
    refused = c.post("/verify/deadline:ob-LAO-4", data=sent)
    assert refused.status_code == 400
    problems = re.search(r'id="s-excerpt-problems">(.*?)</ul>', refused.text, re.S)
    assert problems is not None and "the excerpt does not state" in problems.group(1)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (folder.parent / "snapshots").exists()


def test_nothing_is_saved_until_every_field_passes(folder: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    page = c.get("/verify/deadline:ob-LAO-4").text
    sent = {**form_of(page), "deadline": "1 August 2030", "source_url": "example.org",
            "excerpt": ""}  # fmt: skip
    refused = c.post("/verify/deadline:ob-LAO-4", data=sent)
    assert refused.status_code == 400
    assert "is not a date in the form YYYY-MM-DD" in refused.text
    assert 'aria-invalid="true" aria-describedby="f-deadline-problems"' in refused.text
    assert "starting with https://" in refused.text and "Copy the sentence" in refused.text
    assert 'value="1 August 2030"' in refused.text  # what was typed is kept
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (folder.parent / "snapshots").exists()


def test_a_write_without_its_form_s_token_is_refused(folder: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    page = c.get("/edit/actor/LAO").text
    sent = {**form_of(page), "name": "Laos"}
    for token in ("", "forged", hidden(c.get("/edit/actor/LBN").text, "token")):
        refused = c.post("/edit/actor/LAO", data={**sent, "token": token})
        assert refused.status_code == 403 and "open the page again" in refused.text
    assert read_seed(folder).actors == read_seed(SMALL_SEED).actors
    assert c.post("/edit/actor/LAO", data=sent).status_code == 200
    assert "Laos" in c.get("/state/LAO").text


def test_an_edit_of_a_record_changed_meanwhile_is_refused(folder: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    sent = {**form_of(c.get("/edit/actor/LAO").text), "name": "Laos"}
    actors = folder / "actors.csv"
    actors.write_text(actors.read_text().replace("Lao PDR", "Lao P.D.R."))
    refused = c.post("/edit/actor/LAO", data=sent)
    assert refused.status_code == 409 and "Nothing was written" in refused.text
    assert "Lao P.D.R." in actors.read_text()


def test_a_new_relation_from_the_schema_form(folder: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    page = c.get("/edit/relation/new?type=FUNDS&to=LAO").text
    sent = {**form_of(page), "from": "NLD", "year": "2026", "amount_usd": "250000",
            "source": "test"}  # fmt: skip
    assert c.post("/edit/relation/new", data=sent).status_code == 200
    assert any(r.amount_usd == 250000 for r in read_seed(folder).relations)
    bad = c.post("/edit/relation/new", data={**sent, "role": "lead"})
    assert bad.status_code == 400 and "role does not apply to FUNDS" in bad.text


def test_a_workbook_source_cannot_be_changed(tmp_path: Path) -> None:
    book = tmp_path / "data.xlsx"
    write_workbook(read_seed(SMALL_SEED), book)
    c = TestClient(create_app(DataSource.at(book)))
    sent = {**form_of(c.get("/edit/actor/LAO").text), "name": "Laos"}
    refused = c.post("/edit/actor/LAO", data=sent)
    assert refused.status_code == 409 and "a workbook is read only" in refused.text


def _workbook(tmp_path: Path, sheet: str, row: int, column: str, value: str) -> bytes:
    path = tmp_path / "book.xlsx"
    write_workbook(read_seed(SMALL_SEED).without_restricted(), path)
    book = openpyxl.load_workbook(path)
    header = [c.value for c in book[sheet][1]]
    book[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    return path.read_bytes()


def test_upload_problems_preview_apply_and_history(folder: Path, tmp_path: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    token = hidden(c.get("/upload").text, "token")
    bad = _workbook(tmp_path, "actors", 3, "region", "atlantis")
    refused = c.post("/upload", data={"token": token}, files={"workbook": ("b.xlsx", bad)})
    assert refused.status_code == 400
    assert "actors:3: region: &#x27;atlantis&#x27; is not one of" in refused.text
    good = _workbook(tmp_path, "actors", 2, "name", "Confédération suisse")
    preview = c.post("/upload", data={"token": token}, files={"workbook": ("g.xlsx", good)})
    assert preview.status_code == 200
    assert "Switzerland → Confédération suisse" in preview.text and "Changed (1)" in preview.text
    assert "secretdonor" not in preview.text
    action = re.search(r'action="(/upload/[^"]+/apply)"', preview.text).group(1)  # type: ignore[union-attr]
    assert c.post(action, data={"token": "forged"}).status_code == 403
    applied = c.post(action, data={"token": hidden(preview.text, "token")})
    assert applied.status_code == 200 and "workbook upload: actor ~1" in applied.text
    assert "Confédération suisse" in c.get("/actor/CHE").text
    assert "workbook upload: actor ~1" in c.get("/history").text
    assert c.post(action, data={"token": hidden(preview.text, "token")}).status_code == 404


def test_an_upload_made_stale_by_another_change_is_refused(folder: Path, tmp_path: Path) -> None:
    c = TestClient(create_app(DataSource.at(folder)))
    token = hidden(c.get("/upload").text, "token")
    good = _workbook(tmp_path, "actors", 2, "name", "Confédération suisse")
    preview = c.post("/upload", data={"token": token}, files={"workbook": ("g.xlsx", good)})
    actors = folder / "actors.csv"
    actors.write_text(actors.read_text().replace("Lao PDR", "Lao P.D.R."))
    action = re.search(r'action="(/upload/[^"]+/apply)"', preview.text).group(1)  # type: ignore[union-attr]
    refused = c.post(action, data={"token": hidden(preview.text, "token")})
    assert refused.status_code == 409 and "Lao P.D.R." in actors.read_text()
    assert "Switzerland" in actors.read_text()


def test_an_indicative_fact_is_verified_by_quoting_its_value(folder: Path) -> None:
    (folder / "evidence.csv").write_text(
        "record,field,value,status,source,source_date,excerpt,note\n"
        "ob-LAO-4,original_deadline,2020-08-01,indicative,,,,from the Convention's dates\n"
    )
    c = TestClient(create_app(DataSource.at(folder)))
    key = "indicative:ob-LAO-4:original_deadline"
    assert key in c.get("/verify").text
    sent = {**form_of(c.get(f"/verify/{key}").text), **SOURCE,
            "excerpt": "its original deadline of 1 August 2020"}  # fmt: skip
    saved = c.post(f"/verify/{key}", data=sent)
    assert saved.status_code == 200 and "The change is written" in saved.text
    [row] = read_seed(folder).evidence  # the quoted row takes the indicative one's place
    assert (row.field, row.value, row.status) == ("original_deadline", "2020-08-01", "quoted")
    assert key not in c.get("/verify").text
    assert "original_deadline" in c.get("/history").text
