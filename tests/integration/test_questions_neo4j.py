"""The Questions pages on a real Neo4j: a question's answer as a table and as CSV and Excel
files, restricted records only for a viewer who may see them, a wrong parameter shown next to
its field, the data's own forum filled in, and no way to write: a crafted value is a value, a
crafted name is not in the library, and a library query that writes is refused by Neo4j's
planner before it runs."""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store
from ccm_graph.workbench import create_app
from ccm_graph.workbench.web import Viewer

from ..conftest import SMALL_SEED

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what the package index has
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.neo4j

WRITING_QUERIES = {
    "wipe.cypher": "// name: wipe\n// description: d\n// param: (none)\n"
    "// restricted: honoured\nMATCH (n) DETACH DELETE n",
    "plant.cypher": '// name: plant\n// description: d\n// param: label = "x"  (a text)\n'
    "// restricted: honoured\nCREATE (n:Planted {label: $label}) RETURN n.label AS label",
    "files.cypher": "// name: files\n// description: d\n// param: (none)\n"
    "// restricted: honoured\nLOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "formula.cypher": "// name: formula\n// description: d\n// param: (none)\n"
    "// restricted: honoured\nRETURN '=HYPERLINK(\"http://x\")' AS cell, [1, 2] AS list",
}


@pytest.fixture
def source(store: Store, neo4j_settings: ConnectionSettings) -> Iterator[DataSource]:
    store.load(read_seed(SMALL_SEED))
    clear_cache()
    with DataSource.neo4j(neo4j_settings) as opened:
        yield opened
    clear_cache()


def client(source: DataSource, viewer: Viewer | None = None) -> TestClient:
    app = create_app(source)
    if viewer is None:
        return TestClient(app)

    async def as_viewer(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})["viewer"] = viewer
        await app(scope, receive, send)

    return TestClient(as_viewer)


def test_a_question_answers_as_a_table_and_as_files(source: DataSource) -> None:
    c = client(source)
    listed = c.get("/questions").text
    assert 'href="/questions/obligations-due-before"' in listed
    assert "serve --from neo4j" not in listed
    form = c.get("/questions/obligations-due-before")
    assert form.status_code == 200 and 'type="date"' in form.text and "<table" not in form.text
    answer = c.get("/questions/obligations-due-before?before=2026-12-31&run=1")
    assert answer.status_code == 200
    table = answer.text.split('<table id="result">')[1].split("</table>")[0]
    assert "ob-" not in table and "LAO" in table and "LBN" in table and "Lao PDR" in table
    assert 'value="2026-12-31"' in answer.text  # the form keeps what was asked
    files = "before=2026-12-31&amp;run=1"
    assert f'href="/questions/obligations-due-before.csv?{files}"' in answer.text
    sheet = c.get("/questions/obligations-due-before.csv?before=2026-12-31")
    assert sheet.headers["content-type"].startswith("text/csv")
    assert 'filename="obligations-due-before.csv"' in sheet.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    assert [r["state"] for r in rows] == ["LAO", "LBN"]
    assert rows[0]["deadline"] == "2025-08-01"
    earlier = c.get("/questions/obligations-due-before.csv?before=2026-01-01").text
    assert [r["state"] for r in csv.DictReader(io.StringIO(earlier))] == ["LAO"]
    book = c.get("/questions/obligations-due-before.xlsx?before=2026-12-31")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    french = c.get("/questions/obligations-due-before?before=2026-12-31&lang=fr").text
    assert "Réponse" in french and "2 lignes." in french


def test_a_wrong_parameter_is_shown_next_to_its_field(source: DataSource) -> None:
    c = client(source)
    wrong = c.get("/questions/obligations-due-before?before=14%2F09%2F2026")
    assert wrong.status_code == 400
    assert 'aria-invalid="true"' in wrong.text and 'id="p-before-problem"' in wrong.text
    assert "Give a date as YYYY-MM-DD." in wrong.text and '<table id="result">' not in wrong.text
    assert c.get("/questions/obligations-due-before.csv?before=soon").status_code == 400
    blank = c.get("/questions/state-profile?state=")
    assert blank.status_code == 400 and "Fill in this field." in blank.text
    spanish = c.get("/questions/state-profile?state=Atlantis&lang=es")
    assert spanish.status_code == 400
    assert "Ningún registro de los datos tiene este identificador" in spanish.text
    by_name = c.get("/questions/state-profile?state=Lao%20PDR")
    assert by_name.status_code == 200 and "<td>LAO</td>" in by_name.text


def test_a_data_parameter_left_blank_is_the_datas_own(source: DataSource) -> None:
    c = client(source)
    form = c.get("/questions/forum-members?forum=masg").text
    assert "<td>NLD</td>" in form  # a member of the small seed's MASG
    footprint = c.get("/questions/masg-footprint?since_year=2023&as_of=2026-01-01&masg_forum=")
    assert footprint.status_code == 200 and '<table id="result">' in footprint.text
    assert "Left blank: masg, as the data say." in footprint.text


def test_restricted_records_only_for_a_viewer_who_may_see_them(source: DataSource) -> None:
    path = "/questions/supporters-of-state?state=LAO&include_restricted=true"
    public = client(source).get(path)
    assert public.status_code == 200 and "CHE" not in public.text  # the restricted grant
    assert "CHE" not in client(source).get(path.replace("?", ".csv?")).text
    assert "CHE" not in client(source, Viewer("e", "editor")).get(path).text
    assert "CHE" in client(source, Viewer("c", "confidential")).get(path).text
    assert "CHE" in client(source, Viewer("c", "confidential")).get(
        path.replace("?", ".csv?")).text  # fmt: skip
    hidden = "/questions/state-profile?state=secretdonor"
    assert client(source).get(hidden).status_code == 400  # not a State this viewer may see
    shown = client(source, Viewer("c", "confidential")).get(hidden)
    assert shown.status_code == 200 and "Secret Donor" in shown.text


def test_no_question_writes(
    source: DataSource, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.count_nodes()
    c = client(source)
    crafted = "x'}) DETACH DELETE n //"
    for path in (f"/questions/coalitions-missing-role?role={crafted}",
                 f"/questions/forum-members?forum={crafted}",
                 "/questions/MATCH%20(n)%20DETACH%20DELETE%20n",
                 "/questions/..%2F..%2Fcypher%2Fschema"):  # fmt: skip
        assert c.get(path).status_code in (200, 400, 404), path
    assert store.count_nodes() == before
    for name, text in WRITING_QUERIES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("CCM_GRAPH_QUERIES", str(tmp_path))
    for path in ("/questions/wipe?run=1", "/questions/plant?label=y", "/questions/files?run=1",
                 "/questions/wipe.csv?run=1", "/questions/plant.xlsx?label=y"):  # fmt: skip
        refused = c.get(path)
        assert refused.status_code == 400, path
        assert "refused" in refused.text, path
    assert store.count_nodes() == before
    assert not store.query("MATCH (n) WHERE 'Planted' IN labels(n) RETURN n").rows
    formula = c.get("/questions/formula.csv?run=1").text.splitlines()
    assert formula[1].startswith("\"'=HYPERLINK(") and formula[1].endswith('"[1, 2]"')
    page = c.get("/questions/formula?run=1").text
    assert "<td>=HYPERLINK(&quot;http://x&quot;)</td>" in page  # escaped, as it is
    assert '<td class="num">' not in page and "<td>1; 2</td>" in page
