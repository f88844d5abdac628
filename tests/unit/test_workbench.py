"""The workbench through Starlette's TestClient: every page answers with its content, data are
escaped, restricted records never show, unknown and restricted ids look alike, languages,
security headers, errors as pages."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.analysis import GraphIndex
from ccm_graph.analysis.funding import funding_given, funding_received
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.errors import StoreUnavailable
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app

from ..conftest import ROOT, SMALL_SEED

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what the package index has
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SEED = ROOT / "seed"
HOSTILE = "<img src=x onerror=alert(1)>"

SMALL_PAGES = {
    "/": ["Support for States Parties with time-bound obligations", "Lebanon", "Data as of"],
    "/state/LAO": ["Lao PDR", "Obligations", "The HALO Trust", "Partners to approach"],
    "/state/LBN": ["Lebanon", "Country Coalition Lebanon"],
    "/actor/NLD": ["Netherlands", "Funding by recipient and year", "<svg", "Mine Action"],
    "/actor/halo": ["The HALO Trust", "Lao PDR"],
    "/coalition/coal-lbn": [
        "Country Coalition Lebanon",
        "Lebanon",
        "Netherlands",
        "lead",
        "Add a member",
        'name="token"',
        "No change to this coalition",
    ],
    "/coalition/new?focus=LAO": [
        "Propose a coalition",
        'value="LAO" list="states"',
        '<datalist id="actors">',
        'name="any_state"',
    ],
    "/search?q=e": ["records match", "Lebanon"],
    "/verify": ["To verify", "ob-LAO-4", "Deadlines passed"],
    "/verify/deadline:ob-LAO-4": ["Verify ob-LAO-4", "Source address (URL)", 'name="token"'],
    "/edit/actor/LAO": ["Edit actor LAO", "ccm_status", "<select", 'name="token"'],
    "/edit/relation/new?type=FUNDS&to=LAO": ["New relation", '<option value="FUNDS" selected>'],
    "/upload": ["Upload a workbook", 'enctype="multipart/form-data"'],
    "/history": ["History", "No change has been written yet."],
    "/questions": ["Questions", "obligations-due-before", "ccm-graph serve --from neo4j"],
    "/questions/state-profile": ["One State at a glance", "a State id"],
}
SEED_PAGES = {
    "/": ["Support for States Parties with time-bound obligations", "Chad", "Data as of"],
    "/state/TCD": ["Chad", "Obligations", "Funding by year and donor", "Partners to approach"],
    "/state/LAO": ["Lao PDR", "<svg", '<title id="chart-title">', "<details>"],
    "/actor/NLD": ["Netherlands", "Funding by recipient and year", "<svg"],
    # no partners proposed where no coalition is pitched: the page says why instead
    "/state/LTU": ["Lithuania has withdrawn from the Convention"],
    "/state/CHE": ["Every Article 3 and Article 4 obligation of Switzerland"],
    "/search?q=lao": None,  # one match: straight to the page (checked below)
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def client(path: Path) -> TestClient:
    return TestClient(create_app(DataSource.at(path)))


def restricted_records(path: Path) -> list[tuple[str, str]]:
    """(id, name) of every restricted actor and coalition of a seed folder."""
    data = read_seed(path)
    assert data.has_restricted()
    return [(r.id, r.name) for r in [*data.actors, *data.coalitions]
            if r.sensitivity == "restricted"]  # fmt: skip


def every_page(c: TestClient, pages: dict[str, list[str] | None]) -> dict[str, str]:
    """Each page's text (after a redirect), for the French and Spanish versions too."""
    texts = {}
    for path in [*pages, "/support.csv", "/brief/LAO", "/map?focus=LAO", "/search?q=zzz"]:
        for lang in ("", "fr", "es"):
            url = path + (("&" if "?" in path else "?") + f"lang={lang}" if lang else "")
            response = c.get(url)
            assert response.status_code == 200, url
            texts[url] = response.text
    return texts


@pytest.mark.parametrize(("seed", "pages"), [(SMALL_SEED, SMALL_PAGES), (SEED, SEED_PAGES)])
def test_every_page_answers_with_its_content(seed: Path, pages: dict) -> None:
    c = client(seed)
    for path, wanted in pages.items():
        response = c.get(path)
        assert response.status_code == 200, path
        assert 'role="search"' in response.text
        for text in wanted or []:
            assert text in response.text, (path, text)


def test_search_goes_straight_to_one_match_and_lists_several() -> None:
    c = client(SEED)
    for text in ("Tchad", "tchad", "TCD", "Chad"):
        response = c.get(f"/search?q={text}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/state/TCD"
    assert c.get("/search?q=Tchad&lang=fr", follow_redirects=False).headers["location"] == (
        "/state/TCD?lang=fr"
    )
    listed = c.get("/search?q=e").text
    matches = listed.split('<ul class="matches">')[1].split("</ul>")[0]
    assert 3 < matches.count("<li><a href=") <= 100  # views.SEARCH_LIMIT
    count = int(re.search(r"(\d+) records match", listed).group(1))  # type: ignore[union-attr]
    assert (count > 100) == ("The first 100 are listed" in listed)
    assert "Nothing matches “zzz”." in c.get("/search?q=zzz").text


def test_a_hostile_name_comes_out_escaped_on_every_page(small_seed: Path) -> None:
    actors = small_seed / "actors.csv"
    rows = list(csv.DictReader(io.StringIO(actors.read_text(encoding="utf-8"))))
    for row in rows:
        row["name"] = HOSTILE + row["name"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    actors.write_text(out.getvalue(), encoding="utf-8")
    texts = every_page(client(small_seed), SMALL_PAGES)
    for url, text in texts.items():
        if url.startswith("/support.csv"):
            continue
        assert "<img" not in text, url
        assert "onerror=alert(1)>" not in text, url
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in texts.values())


def test_no_page_download_or_search_shows_a_restricted_record() -> None:
    c = client(SMALL_SEED)
    secret = restricted_records(SMALL_SEED)
    texts = every_page(c, SMALL_PAGES)
    texts["xlsx"] = c.get("/support.xlsx").content.decode("latin-1")
    for ident, name in secret:
        for text in (ident, name, name.lower()[:6]):
            found = c.get(f"/search?q={text}")
            assert found.status_code == 200 and "Nothing matches" in found.text, text
            texts[f"search {text}"] = found.text.replace(text, "")  # the words searched
    for url, text in texts.items():
        for ident, name in secret:
            assert not re.search(rf"\b{re.escape(ident)}\b", text), (url, ident)
            assert name not in text, (url, name)
    # the restricted relation (Switzerland → Lao PDR, USD 5) is not counted either
    assert "No funding is recorded." in c.get("/actor/CHE").text


def test_unknown_and_restricted_ids_give_the_same_404_page() -> None:
    c = client(SMALL_SEED)
    for path in ("/state/{}", "/actor/{}", "/coalition/{}", "/brief/{}", "/map?focus={}",
                 "/edit/actor/{}", "/edit/coalition/{}", "/verify/deadline:{}"):  # fmt: skip
        pages = []
        for ident in ("secretdonor", "coal-secret", "no-such-id"):
            response = c.get(path.format(ident))
            assert response.status_code == 404
            pages.append(response.content.replace(ident.encode(), b"ID"))
        assert len(set(pages)) == 1, path
        assert b"There is no such page or record here." in pages[0]
        assert b'role="search"' in pages[0] and b'href="/"' in pages[0]


def test_french_and_spanish_pages_have_no_english_fixed_text() -> None:
    c = client(SEED)
    english = ["Overview", "Find a State or an actor", "Support for States Parties",
               "Funding by year and donor", "Partners to approach", "Latest extension request",
               "Skip to the content", "Data as of", "The most severe gaps", "Search<"]  # fmt: skip
    for lang, word in (("fr", "Vue d'ensemble"), ("es", "Panorama general")):
        overview = c.get(f"/?lang={lang}").text
        state = c.get(f"/state/TCD?lang={lang}").text
        assert html.escape(word) in overview and f'<html lang="{lang}">' in overview
        for text in english:
            assert text not in overview + state, (lang, text)
        assert 'href="/state/TCD?lang=' + lang in overview  # links keep the language


def test_security_headers_on_every_response() -> None:
    c = client(SMALL_SEED)
    for path in ("/", "/state/LAO", "/nope", "/state/nope", "/static/workbench.css",
                 "/support.csv", "/brief/LAO", "/map?preset=masg"):  # fmt: skip
        headers = c.get(path).headers
        policy = headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'self'" in policy, path
        assert "'unsafe-inline'" not in policy.split("script-src")[-1].split(";")[0], path
        if not path.startswith(("/map", "/brief")):
            assert "script-src" not in policy and "default-src 'none'" in policy, path


def test_the_map_route_sends_the_map_page_policy() -> None:
    response = client(SMALL_SEED).get("/map?preset=masg")
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', response.text)
    assert meta is not None
    sent = response.headers["content-security-policy"]
    assert sent == meta.group(1).replace("&#x27;", "'") + "; frame-ancestors 'self'"
    assert "script-src 'self';" in sent and "<script>" not in response.text  # no inline script
    scripts = re.findall(r'<script src="([^"]+)"></script>', response.text)
    assert scripts == ["/map/vis-network.min.js", "/map/page.js"]
    for path in scripts:
        script = client(SMALL_SEED).get(path)
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert len(script.text) > 1000


def test_the_support_table_sorts_filters_and_downloads() -> None:
    c = client(SEED)
    rows = re.findall(r'<tr><th scope="row"><a href="/state/([A-Z]+)"',
                      c.get("/?sort=deadline").text)  # fmt: skip
    back = re.findall(r'<tr><th scope="row"><a href="/state/([A-Z]+)"',
                      c.get("/?sort=deadline&order=desc").text)  # fmt: skip
    table = list(csv.DictReader(io.StringIO(c.get("/support.csv").text)))
    deadline = {r["state"]: r["deadline"] or "9999" for r in table}
    assert len(rows) == len(table) > 3
    assert [deadline[s] for s in rows] == sorted(deadline[s] for s in rows)
    assert [deadline[s] for s in back] == sorted((deadline[s] for s in rows), reverse=True)
    completed = c.get("/?status=completed").text
    assert "extended</td>" not in completed
    download = c.get("/support.csv?status=extended")
    assert download.headers["content-type"].startswith("text/csv")
    lines = download.text.splitlines()
    status = lines[0].split(",").index("status")
    assert lines[1:] and all(line.split(",")[status] == "extended" for line in lines[1:])
    xlsx = c.get("/support.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_funding_series_count_each_grant_once() -> None:
    from ccm_graph.graph import build_graph

    graph = build_graph(read_seed(SMALL_SEED).without_restricted())
    index = GraphIndex.build(graph, as_of="2026-01-01")
    given = funding_given(index, "NLD")
    assert given.years == (2023, 2024) and given.parties == ("halo",)
    assert given.total == pytest.approx(2_700_000.5)
    assert funding_received(index, "LAO").empty  # Switzerland's grant is restricted


def test_bad_data_is_a_page_with_one_sentence_and_recovers(small_seed: Path) -> None:
    c = client(small_seed)
    actors = small_seed / "actors.csv"
    good = actors.read_text(encoding="utf-8")
    actors.write_text(good.replace("LAO,state,", "LAO,planet,"), encoding="utf-8")
    response = c.get("/")
    assert response.status_code == 500
    assert "run ccm-graph validate" in response.text and "Traceback" not in response.text
    actors.write_text(good, encoding="utf-8")
    assert c.get("/").status_code == 200


def test_neo4j_unreachable_is_503_and_the_next_request_tries_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = DataSource.at(SMALL_SEED)
    real = source.read
    calls = {"n": 0}

    def flaky(**kwargs: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise StoreUnavailable("Neo4j is not answering at bolt://127.0.0.1:7687")
        return real(**kwargs)

    monkeypatch.setattr(source, "read", flaky)
    c = TestClient(create_app(source))
    down = c.get("/state/LAO")
    assert down.status_code == 503
    assert "The Neo4j database cannot be reached" in down.text
    assert c.get("/state/LAO").status_code == 200


def test_serve_refuses_another_host_in_one_line() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "this machine only" in result.output


def test_serve_refuses_bad_data_before_listening(small_seed: Path) -> None:
    shutil.copy(small_seed / "actors.csv", small_seed / "relations.csv")
    result = CliRunner().invoke(cli, ["serve", "--seed", str(small_seed), "--port", "0"])
    assert result.exit_code == 1
    assert "The workbench is at" not in result.output


def test_serve_accepts_connections_as_soon_as_it_prints_its_address(
    small_seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The printed address answers at once: a browser opened on it is not refused while the
    app is still starting (the socket listens before the line is printed)."""
    import socket

    import uvicorn

    seen: list[str] = []

    def connect_then_stop(self: object, sockets: list[socket.socket]) -> None:
        port = sockets[0].getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            seen.append("connected")

    monkeypatch.setattr(uvicorn.Server, "run", connect_then_stop)
    result = CliRunner().invoke(cli, ["serve", "--seed", str(small_seed), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert seen == ["connected"]
