"""Confidential rows per role, on every route (#21).

The walk: every route of the workbench (enumerated from ``app.routes``), with every id of the
data, every filter, preset, language and search word (the hidden records' names among them),
asked by a reader who may not see restricted rows, answers byte for byte what the same route
answers from the same data with the restricted rows removed. What could differ for another
reason is made equal by construction: both apps sign forms with one secret, both histories
hold the same lines, an uploaded workbook's preview gets the same id. A confidential reader
sees the hidden records through the same routes.
"""

from __future__ import annotations

import io
import re
import secrets
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl.packaging.core
import openpyxl.writer.excel
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from ccm_graph.accounts import FileAccounts
from ccm_graph.analysis.verify import to_verify
from ccm_graph.dataset import read_data
from ccm_graph.i18n import LANGUAGES
from ccm_graph.keeping import RECORD_KINDS, find_record, record_key, record_values
from ccm_graph.maps import PRESETS
from ccm_graph.metadata import reference_date
from ccm_graph.query_library import load_queries
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app
from ccm_graph.workbench.tokens import FormTokens
from ccm_graph.workbench.web import LOCAL_USE, Viewer
from ccm_graph.workbook import write_workbook

from .rolewalk_data import HIDDEN_IDS, HIDDEN_NAMES, full_and_public, write_pair

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what the package index has
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SECRET = b"the same secret for both apps...."
"""Both apps sign their forms with this secret, so their forms carry the same tokens."""

NOT_DATA = {"/static", "/favicon.ico"}
"""Routes that serve files of the package, never data."""


class AsViewer:
    """ASGI middleware of the test: every request comes from ``who`` (as the sign-in layer
    sets ``request.state.viewer``)."""

    def __init__(self, app: ASGIApp, who: Viewer) -> None:
        self.app, self.who = app, who

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["viewer"] = self.who
        await self.app(scope, receive, send)


SIGNED_IN = "walker-"
"""A reader whose name starts so signs in through ``/login`` with a real account, instead of
being set by :class:`AsViewer`."""

PASSWORD = "the walk's long passphrase"


def served(folder: Path, who: Viewer) -> tuple[TestClient, Any]:
    """A client of the workbench over ``folder`` as ``who``, and the app. A signed-in reader
    (:data:`SIGNED_IN`) has an account in a file beside the folder and signs in first."""
    if not (who.name or "").startswith(SIGNED_IN):
        app = create_app(DataSource.at(folder))
        app.state.workbench.tokens = FormTokens(SECRET)
        return TestClient(AsViewer(app, who)), app
    accounts = FileAccounts(folder.parent / f"{who.name}.accounts.json")
    if accounts.get(who.name) is None:
        accounts.add(who.name, who.role, PASSWORD)
    app = create_app(DataSource.at(folder), accounts=accounts)
    app.state.workbench.tokens = FormTokens(SECRET)
    client = TestClient(app)
    form = client.get("/login").text
    token = re.search(r'name="token" value="([^"]+)"', form)
    assert token, form
    sent = {"name": who.name, "password": PASSWORD, "token": token.group(1), "next": "/"}
    assert client.post("/login", data=sent, follow_redirects=False).status_code == 303
    assert who.name in client.get("/").text  # signed in: the header names the account
    return client, app


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the data with restricted rows, the same data without them), as seed folders."""
    return write_pair(tmp_path_factory.mktemp("rolewalk"))


@pytest.fixture(
    params=[
        LOCAL_USE,
        Viewer("v", "viewer"),
        Viewer("e", "editor"),
        Viewer(SIGNED_IN + "v", "viewer"),
        Viewer(SIGNED_IN + "e", "editor"),
    ],
    ids=["local-use", "viewer", "editor", "signed-in-viewer", "signed-in-editor"],
)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Viewer:
    """A reader who may not see restricted rows: set on each request, or signed in with an
    account. A signed-in reader's session id (and sign-in cookie) is the same in both apps,
    so the forms' tokens bound to it are too."""
    who: Viewer = request.param
    assert not who.include_restricted
    if (who.name or "").startswith(SIGNED_IN):
        from ccm_graph.workbench import auth
        from ccm_graph.workbench.routes import account

        same = SimpleNamespace(token_urlsafe=lambda n=32: "the-same-session-id-in-both-apps")
        monkeypatch.setattr(auth, "secrets", same)
        monkeypatch.setattr(account, "secrets", same)
    return who


# --- the requests of the walk ------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One request of the walk."""

    method: str
    url: str
    data: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    token: str | None = None
    """The purpose whose token goes in the form (``None``: none)."""


def _langs(url: str) -> list[str]:
    return [
        url + (("&" if "?" in url else "?") + f"lang={lang}" if lang != "en" else "")
        for lang in LANGUAGES
    ]


def _walk(base: Path) -> dict[str, list[Ask]]:
    """Per path template, the requests that walk it, from every id of the full data."""
    full, public = full_and_public()
    ids = sorted({r.id for _, r in full.nodes()} | {"nobody", "LAO%2F..", "%3Cx%3E"})
    queue = to_verify(full, as_of=reference_date(None, full.info.as_of), today=date.today())
    keys = sorted({i.key for i in queue} | {"decision:nobody", "coverage:nobody"})
    words = sorted(
        {
            *HIDDEN_NAMES,
            *(r.id for _, r in full.nodes()),
            *(getattr(r, "name", "") for _, r in full.nodes()),
            "Secret",
            "secr",
            "Shadw Demining",
            "Quiet",
            "hidden",
            "Ghost",
            "fantômes",
            "coal",
            "e",
            "zzz",
            "ob-",
            "SDN",
            "9MSP",
        }
        - {""}
    )
    filters = [
        "",
        "?region=asia_pacific",
        "?region=africa",
        "?article=4",
        "?status=extended",
        "?sort=funding&order=desc",
        "?sort=state",
        "?region=middle_east_north_africa",
    ]
    edits: list[Ask] = []
    for kind in RECORD_KINDS:
        records = full.table(RECORD_KINDS[kind])
        for key in ["new", "nobody", *(record_key(r) for r in records)]:
            url = f"/edit/{kind}/{key}"
            edits += [Ask("GET", u) for u in _langs(url)]
            edits.append(Ask("POST", url, {"id": ""}))  # no token: refused
            edits.append(
                Ask("POST", url, {"id": "", "from": "secretdonor"}, token=f"edit:{kind}:{key}")
            )
    edits += [
        Ask("GET", "/edit/relation/new?type=FUNDS&to=secretdonor"),
        Ask("GET", "/edit/relation/new?type=MEMBER_OF&from=shade-ops&to=coal-secret"),
        Ask(
            "POST",
            "/edit/relation/new",
            {"from": "shade-ops", "type": "FUNDS", "to": "LAO", "source": "s"},
            token="edit:relation:new",
        ),
    ]
    upload = io.BytesIO()
    workbook = base / "public.xlsx"
    write_workbook(public, workbook)
    upload.write(workbook.read_bytes())
    return {
        "/": [Ask("GET", u) for f in filters for u in _langs("/" + f)],
        "/support.csv": [Ask("GET", "/support.csv" + f) for f in filters],
        "/support.xlsx": [Ask("GET", "/support.xlsx" + f) for f in filters],
        "/state/{id}": [Ask("GET", u) for i in ids for u in _langs(f"/state/{i}")],
        "/brief/{id}": [Ask("GET", u) for i in ids for u in _langs(f"/brief/{i}")],
        "/actor/{id}": [Ask("GET", u) for i in ids for u in _langs(f"/actor/{i}")],
        "/coalition/{id}": [Ask("GET", u) for i in ids for u in _langs(f"/coalition/{i}")],
        "/map": [
            *(Ask("GET", u) for p in PRESETS for u in _langs(f"/map?preset={p}")),
            *(Ask("GET", f"/map?focus={i}") for i in ids),
            *(Ask("GET", f"/map?coalition={i}") for i in ids),
            *(Ask("GET", u) for u in _langs("/map?focus=LAO&coalition=coal-lbn")),
            Ask("GET", "/map"),
            Ask("GET", "/map?preset=nothing"),
        ],
        "/search": [Ask("GET", u) for w in words for u in _langs(f"/search?q={w}")],
        "/verify": [Ask("GET", u) for u in _langs("/verify")],
        "/verify/{key:path}": [
            *(Ask("GET", u) for k in keys for u in _langs(f"/verify/{k}")),
            *(Ask("POST", f"/verify/{k}", {"deadline": "x"}, token=f"verify:{k}") for k in keys),
            *(Ask("POST", f"/verify/{k}", {"deadline": "x"}) for k in keys),
        ],
        "/edit/{kind}/{key:path}": edits,
        "/upload": [
            *(Ask("GET", u) for u in _langs("/upload")),
            Ask(
                "POST",
                "/upload",
                files={"workbook": ("w.xlsx", b"not a workbook", "x")},
                token="upload",
            ),
            Ask(
                "POST",
                "/upload",
                files={"workbook": ("w.xlsx", upload.getvalue(), "x")},
                token="upload",
            ),
            Ask("POST", "/upload", files={"workbook": ("w.xlsx", upload.getvalue(), "x")}),
        ],
        "/upload/{ident}/apply": [
            Ask("POST", "/upload/nothing/apply", token="apply:nothing"),
            Ask("POST", "/upload/nothing/apply"),
        ],
        "/history": [Ask("GET", u) for u in _langs("/history")],
        "/history/diff": [
            Ask("GET", u)
            for q in ("", "?from=snapshot-x&to=current", "?from=../seed&to=current")
            for u in _langs("/history/diff" + q)
        ],
        **_coalition_walk(ids),
        "/map/{name}": [Ask("GET", f"/map/{n}") for n in ("vis-network.min.js", "page.js", "x")],
        **_questions_walk(ids),
        "/login": [
            *(Ask("GET", u) for u in _langs("/login")),
            Ask("POST", "/login", {"name": "secretdonor", "password": "x" * 12}),
        ],
        "/logout": [Ask("POST", "/logout"), Ask("POST", "/logout", token="logout")],
        "/admin/accounts": [Ask("GET", u) for u in _langs("/admin/accounts")],
        "/admin/accounts/{action}": [
            Ask("POST", f"/admin/accounts/{a}", {"name": "x"}, token=f"admin:{a}")
            for a in ("add", "remove", "role", "password", "nothing")
        ],
    }


def _coalition_walk(ids: list[str]) -> dict[str, list[Ask]]:
    """The coalition workflow's forms, asked with every id, hidden ones among them; only
    requests that change nothing (refused, or GET), so both apps keep the same data."""
    members = [
        Ask("POST", f"/coalition/{i}/members", data, token=f"coalition:{i}:members")
        for i in ids
        for data in ({"actor": "secretdonor", "role": "donor"},
                     {"actor": "Secret Donor", "role": "donor"},
                     {"actor": "NLD", "role": "boss"})
    ]  # fmt: skip
    return {
        "/coalition/new": [
            *(Ask("GET", u) for i in ids for u in _langs(f"/coalition/new?focus={i}")),
            Ask("POST", "/coalition/new", {"focus": "SDN", "name": "X"}, token="coalition:new"),
            Ask(
                "POST",
                "/coalition/new",
                {"focus": "LAO", "name": "X", "lead": "secretdonor"},
                token="coalition:new",
            ),
            Ask("POST", "/coalition/new", {"focus": "Shadw", "name": ""}, token="coalition:new"),
            Ask("POST", "/coalition/new", {"focus": "LAO", "name": "X"}),
        ],
        "/coalition/{id}/members": [
            *members,
            *(Ask("GET", f"/coalition/{i}/members") for i in ids),
            Ask("POST", "/coalition/coal-lbn/members", {"actor": "NLD", "role": "donor"}),
        ],
        "/coalition/{id}/members/remove": [
            Ask(
                "POST",
                f"/coalition/{i}/members/remove",
                {"actor": a},
                token=f"coalition:{i}:members",
            )
            for i in ids
            for a in ("CHE", "secretdonor", "shade-ops", "nobody")
        ],
        "/coalition/{id}/status": [
            *(
                Ask(
                    "POST",
                    f"/coalition/{i}/status",
                    {"status": "boss"},
                    token=f"coalition:{i}:status",
                )
                for i in ids
            ),
            *(Ask("GET", f"/coalition/{i}/status") for i in ids),
        ],
    }


def _questions_walk(ids: list[str]) -> dict[str, list[Ask]]:
    """The Questions pages (on a seed folder: what they need, and no answer)."""
    names = [*sorted(load_queries()), "nothing"]
    asked = [f"?id={i}" for i in ids[:6]] + ["", "?state=secretdonor"]
    return {
        "/questions": [Ask("GET", u) for u in _langs("/questions")],
        "/questions/{name}": [
            Ask("GET", u) for n in names for q in asked for u in _langs(f"/questions/{n}{q}")
        ],
        "/questions/{name}.csv": [Ask("GET", f"/questions/{n}.csv") for n in names],
        "/questions/{name}.xlsx": [Ask("GET", f"/questions/{n}.xlsx") for n in names],
    }


def _send(client: TestClient, tokens: FormTokens, ask: Ask) -> tuple[int, list[Any], bytes]:
    """The answer's status, headers and bytes (redirects not followed)."""
    if ask.method == "GET":
        response = client.get(ask.url, follow_redirects=False)
    else:
        data = dict(ask.data)
        if ask.token is not None:
            data["token"] = tokens.issue(ask.token)
        response = client.post(ask.url, data=data, files=ask.files, follow_redirects=False)
    return response.status_code, sorted(response.headers.items()), response.content


def _fixed_ids_and_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """What each app makes from chance or the clock is the same in both: an uploaded
    workbook's preview id (from ``secrets``), and an Excel download's time stamps (the
    workbook's properties and its zip entries, stamped by the zip module's clock)."""
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n=None: "preview-of-the-walk")
    moment = datetime(2026, 3, 1, 12, 0, 0)

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return moment.replace(tzinfo=tz)

    stopped = SimpleNamespace(datetime=Clock, timezone=timezone)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", stopped)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", stopped)
    monkeypatch.setattr(
        zipfile,
        "time",
        SimpleNamespace(
            time=lambda: moment.timestamp(),
            # a sheet is written to a temporary file first: its entry takes the file's time
            localtime=lambda *_: time.localtime(moment.timestamp()),
        ),
    )


# --- the tests ---------------------------------------------------------------------------------


def test_the_walk_covers_every_route(folders: tuple[Path, Path], tmp_path: Path) -> None:
    """A new route fails here until the walk asks it (with the ids it takes)."""
    _client, app = served(folders[0], LOCAL_USE)
    paths = {r.path for r in app.routes if hasattr(r, "path")} - NOT_DATA
    assert paths == set(_walk(tmp_path))


def test_a_reader_without_the_role_gets_what_the_data_without_restricted_rows_give(
    folders: tuple[Path, Path], reader: Viewer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fixed_ids_and_clock(monkeypatch)
    full, public = folders
    with_rows, _ = served(full, reader)
    without_rows, _ = served(public, reader)
    tokens = FormTokens(SECRET)
    differences, asked = [], 0
    for template, asks in _walk(tmp_path).items():
        for ask in asks:
            asked += 1
            got, expected = _send(with_rows, tokens, ask), _send(without_rows, tokens, ask)
            if got != expected:
                differences.append((template, ask.method, ask.url, got[0], expected[0]))
            body = got[2].decode("utf-8", "replace")
            typed = ask.url + str(ask.data)
            shown = [n for n in HIDDEN_NAMES if n in body and n not in typed]
            if shown:
                differences.append((template, ask.method, ask.url, "shows", shown))
    assert asked > 700
    assert differences == [], "\n".join(map(str, differences))


def test_the_walk_compares_data_that_differ(folders: tuple[Path, Path]) -> None:
    """The two folders differ by the restricted rows alone, and a confidential reader sees
    them: the walk's 0 differences are not two copies of one thing."""
    full, public = (read_data(f) for f in folders)
    assert full.has_restricted() and not public.has_restricted()
    assert {r.id for _, r in full.nodes()} - {r.id for _, r in public.nodes()} == HIDDEN_IDS
    assert full.without_restricted().sorted() == public.sorted()
    assert full.without_restricted().info == public.info


@pytest.mark.parametrize("who", [Viewer("c", "confidential"), Viewer("a", "admin")])
def test_a_confidential_reader_sees_and_can_open_the_restricted_records(
    folders: tuple[Path, Path], who: Viewer
) -> None:
    client, _app = served(folders[0], who)
    pages: dict[str, Callable[[str], bool]] = {
        "/actor/shade-ops": lambda t: "Shadow Demining Group" in t,
        "/state/secretdonor": lambda t: "Secret Donor" in t and "ob-SDN-4" in t,
        "/coalition/coal-secret": lambda t: "Quiet coalition" in t,
        "/coalition/coal-sdn": lambda t: "Coalition for the hidden State" in t,
        "/coalition/coal-lbn": lambda t: "Switzerland" in t,
        "/state/LAO": lambda t: "Shadow Demining Group" in t and "Quiet coalition" in t,
        "/verify": lambda t: "ob-SDN-4" in t and "secretdonor" in t,
        "/verify/decision:ob-SDN-4": lambda t: 'name="token"' in t,
        "/edit/actor/shade-ops": lambda t: "Shadow Demining Group" in t and 'name="token"' in t,
        "/edit/obligation/ob-SDN-4": lambda t: "9MSP" in t,
        "/edit/coalition/coal-secret": lambda t: "Quiet coalition" in t,
        "/search?q=Ghost": lambda t: True,
        "/history": lambda t: "edited actor secretdonor" in t and "coal-sdn" in t,
        "/map?focus=secretdonor": lambda t: "Secret Donor" in t,
        "/brief/coal-secret": lambda t: "Quiet coalition" in t,
    }
    for url, holds in pages.items():
        response = client.get(url, follow_redirects=False)
        assert response.status_code in (200, 303), url
        assert holds(response.text), url
    assert "Restricted records are shown to your account" in client.get("/").text
    found = client.get("/search?q=Ghost Deminers", follow_redirects=False)
    assert found.headers["location"] == "/actor/shade-ops"
    assert "Secret Donor" in client.get("/search?q=secr").text


def test_a_confidential_edit_of_a_restricted_record_is_saved_and_its_history_line_hidden(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    """The edit form of a restricted record saves for a confidential reader; the change is
    in the history for that reader only."""
    import shutil

    folder = tmp_path / "data" / "seed"
    shutil.copytree(folders[0], folder)
    confidential, _app = served(folder, Viewer("c", "confidential"))
    form = confidential.get("/edit/actor/shade-ops")
    assert form.status_code == 200
    base = re.search(r'name="base" value="([0-9a-f]+)"', form.text)
    assert base is not None
    record = find_record(read_data(folder), "actor", "shade-ops")
    fields = {**record_values(record), "name": "Shade Operations",
              "token": FormTokens(SECRET).issue("edit:actor:shade-ops"),
              "base": base.group(1)}  # fmt: skip
    saved = confidential.post("/edit/actor/shade-ops", data=fields)
    assert saved.status_code == 200, saved.text
    assert "Shade Operations" in {a.name for a in read_data(folder).actors}
    assert "edited actor shade-ops" in confidential.get("/history").text
    reader, _app = served(folder, Viewer("e", "editor"))
    assert "shade-ops" not in reader.get("/history").text
    assert reader.get("/edit/actor/shade-ops").status_code == 404


def test_an_editor_cannot_take_or_move_an_id_a_hidden_record_holds(
    folders: tuple[Path, Path], tmp_path: Path
) -> None:
    """Saving would touch a record the editor cannot see: refused on the form, in words that
    name nothing hidden; nothing written. A confidential editor is refused by the data's
    own rules instead (the id is used, the references would break)."""
    import shutil

    folder = tmp_path / "data" / "seed"
    shutil.copytree(folders[0], folder)
    before = read_data(folder)
    editor, _app = served(folder, Viewer("e", "editor"))
    tokens = FormTokens(SECRET)
    new = {"id": "secretdonor", "kind": "civil_society", "name": "Someone", "sensitivity":
           "public", "source": "s", "token": tokens.issue("edit:actor:new")}  # fmt: skip
    taken = editor.post("/edit/actor/new", data=new)
    assert taken.status_code == 400
    assert "This id cannot be used; choose another one." in taken.text
    form = editor.get("/edit/actor/CHE")
    base = re.search(r'name="base" value="([0-9a-f]+)"', form.text)
    assert base is not None
    che = find_record(before, "actor", "CHE")
    renamed = {**record_values(che), "id": "CHX", "base": base.group(1),
               "token": tokens.issue("edit:actor:CHE")}  # fmt: skip
    moved = editor.post("/edit/actor/CHE", data=renamed)
    assert moved.status_code == 400
    assert "This id cannot be changed here." in moved.text
    for response in (taken, moved):
        assert not [n for n in HIDDEN_NAMES if n in response.text and n != "secretdonor"]
    assert read_data(folder) == before
