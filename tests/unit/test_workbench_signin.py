"""Sign-in on a workbench with accounts: every page but the sign-in page and the static files
needs a session; forms' tokens are bound to it; a new session id at sign-in; failed sign-ins
slow down and lock; sessions end when idle, at sign-out and when the account goes; roles
decide which pages and writes an account gets; the admin's accounts page; the cookies."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from httpx import Response
from starlette.applications import Starlette
from starlette.routing import Route

from ccm_graph.accounts import FileAccounts
from ccm_graph.accounts.throttle import LOCK_TIME as LOCK
from ccm_graph.accounts.throttle import LoginThrottle
from ccm_graph.cli import cli
from ccm_graph.keeping import change_history
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app
from ccm_graph.workbench.auth import SESSION_COOKIE, safe_next

from ..conftest import SMALL_SEED
from .test_workbench_keeping import SOURCE, form_of, hidden

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "a long enough secret"
ROLES = {"ann": "admin", "ed": "editor", "vic": "viewer", "cora": "confidential"}
EXAMPLES = {
    "id": "LAO",
    "key": "LAO",
    "kind": "actor",
    "ident": "unknown-preview",
    "action": "add",
}
"""A value for each path parameter of the routes, so every route can be asked."""


class Clock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def _accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One accounts file for the module (hashing is slow on purpose); copied per test."""
    path = tmp_path_factory.mktemp("accounts") / "seed.accounts.json"
    store = FileAccounts(path)
    for name, role in ROLES.items():
        store.add(name, role, PASSWORD)
    return path


@pytest.fixture
def accounts(_accounts_file: Path, tmp_path: Path) -> FileAccounts:
    path = tmp_path / "seed.accounts.json"
    shutil.copy(_accounts_file, path)
    return FileAccounts(path)


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(folder: Path, accounts: FileAccounts, clock: Clock) -> Starlette:
    return create_app(DataSource.at(folder), accounts=accounts, clock=clock)


def sign_in(c: TestClient, name: str, password: str = PASSWORD, next: str = "/") -> int:
    """Sign in through the form as a browser would; the answer's status."""
    token = hidden(c.get("/login").text, "token")
    sent = {"name": name, "password": password, "token": token, "next": next}
    return c.post("/login", data=sent, follow_redirects=False).status_code


def signed_in(app: Starlette, name: str) -> TestClient:
    c = TestClient(app)
    assert sign_in(c, name) == 303
    return c


def example(path: str) -> str:
    """``path`` with a value in each parameter."""
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: EXAMPLES.get(m.group(1), "x"), path)


def routes(app: Starlette, method: str) -> list[str]:
    """Every route of ``app`` that answers ``method``, with example parameters."""
    return [example(r.path) for r in app.routes
            if isinstance(r, Route) and method in (r.methods or ())]  # fmt: skip


def test_every_route_but_sign_in_and_static_files_needs_a_session(app: Starlette) -> None:
    c = TestClient(app)
    gets, posts = routes(app, "GET"), routes(app, "POST")
    assert len(gets) > 10 and "/admin/accounts/add" in posts and "/edit/actor/LAO" in posts
    for path in gets:
        answer = c.get(path, follow_redirects=False)
        if path in ("/login", "/favicon.ico"):
            assert answer.status_code == 200, path
            continue
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=%2F"), path
        assert answer.headers["cache-control"] == "no-store"
    for path in posts:
        if path != "/login":
            refused = c.post(path, data={"token": "x"}, follow_redirects=False)
            assert refused.status_code == 403, path
            assert "Sign in first" in refused.text
            assert "Lao" not in refused.text and "Data as of" not in refused.text
    assert c.get("/static/workbench.css").status_code == 200
    assert c.get("/state/LAO?lang=fr", follow_redirects=False).headers["location"] == (
        "/login?next=%2Fstate%2FLAO%3Flang%3Dfr&lang=fr"
    )


def test_every_post_route_refuses_a_missing_or_wrong_token(app: Starlette) -> None:
    c = signed_in(app, "ann")
    other = app.state.workbench.tokens.issue("edit:actor:LAO", "another session")
    for path in routes(app, "POST"):
        for token in (None, "", "forged", other):
            data = {"name": "zed", "role": "viewer", "password": PASSWORD, "password2": PASSWORD}
            if token is not None:
                data["token"] = token
            answer = c.post(path, data=data, follow_redirects=False)
            assert answer.status_code == 403, (path, token)
    assert c.get("/").status_code == 200  # still signed in: the refused sign-out did nothing
    assert FileAccounts(app.state.signin.accounts.path).get("zed") is None


def test_sign_in_gives_a_new_session_id_and_goes_where_it_was_asked(app: Starlette) -> None:
    c = TestClient(app)
    c.cookies.set(SESSION_COOKIE, "planted-by-someone-else", domain="testserver.local")
    first = c.get("/state/LAO", follow_redirects=False).headers["location"]
    login = c.get(first)
    assert 'name="next" value="/state/LAO"' in login.text
    sent = {"name": "ed", "password": PASSWORD, "token": hidden(login.text, "token"),
            "next": "/state/LAO"}  # fmt: skip
    answer = c.post("/login", data=sent, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/state/LAO"
    session = c.cookies.get(SESSION_COOKIE)
    assert session and session != "planted-by-someone-else" and len(session) >= 43
    assert "Signed in as ed" in c.get("/state/LAO").text
    assert c.get("/login?next=/actor/NLD", follow_redirects=False).headers["location"] == (
        "/actor/NLD"
    )  # signed in already: no second form


def test_next_after_sign_in_stays_on_this_site() -> None:
    assert safe_next("/state/LAO?lang=fr") == "/state/LAO?lang=fr"
    for hostile in ("//evil.example/", "/\\evil.example", "https://evil.example/", "", None,
                    "javascript:alert(1)", "/\r\nSet-Cookie: x=1"):  # fmt: skip
        assert safe_next(hostile) == "/"


def test_a_sign_in_form_from_another_browser_is_refused(app: Starlette) -> None:
    token = hidden(TestClient(app).get("/login").text, "token")
    c = TestClient(app)
    c.get("/login")
    sent = {"name": "ann", "password": PASSWORD, "token": token, "next": "/"}
    assert c.post("/login", data=sent, follow_redirects=False).status_code == 403
    assert SESSION_COOKIE not in c.cookies


def test_a_wrong_password_says_only_that_and_never_shows_the_password(app: Starlette) -> None:
    c = TestClient(app)
    for name in ("ann", "nobody"):
        token = hidden(c.get("/login").text, "token")
        sent = {"name": name, "password": "wrong password 123", "token": token, "next": "/"}
        answer = c.post("/login", data=sent)
        assert answer.status_code == 401
        assert "Wrong name or password." in answer.text
        assert "wrong password 123" not in answer.text
        assert f'value="{name}"' in answer.text  # the name is kept, the password not


def test_ten_wrong_passwords_slow_down_then_lock_the_name(app: Starlette, clock: Clock) -> None:
    c = TestClient(app)
    statuses: list[int] = []
    while len([s for s in statuses if s == 401]) < 10:
        statuses.append(sign_in(c, "ed", "not the password"))
        if statuses[-1] == 429:
            clock.now += 1
    assert statuses[:5] == [401] * 5 and 429 in statuses  # waits begin after five failures
    assert sign_in(c, "ed") == 429  # locked: the right password is not even tried
    clock.now += 120
    assert sign_in(c, "ed") == 429
    assert "Too many failed sign-ins" in c.post("/login", data={
        "name": "ed", "password": PASSWORD, "next": "/",
        "token": hidden(c.get("/login").text, "token")}).text  # fmt: skip
    clock.now += LOCK
    assert sign_in(c, "ed") == 303


def test_the_throttle_counts_names_and_clients_alike_known_or_not() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(5):
        assert throttle.wait("nobody", "10.0.0.1") == 0
        throttle.failed("nobody", "10.0.0.1")
    assert throttle.wait("nobody", "10.0.0.9") == 1  # the name, from any client
    assert throttle.wait("somebody", "10.0.0.1") == 1  # the client, for any name
    assert throttle.wait("somebody", "10.0.0.9") == 0
    throttle.failed("nobody", "10.0.0.1")
    assert throttle.wait("nobody", "10.0.0.1") == 2
    for _ in range(4):
        throttle.failed("nobody", "10.0.0.1")
    assert throttle.wait("nobody", "10.0.0.1") == LOCK
    throttle.succeeded("nobody", "10.0.0.2")
    assert throttle.wait("nobody", "10.0.0.2") == 0 and throttle.wait("x", "10.0.0.1") == LOCK


def test_a_session_ends_when_idle_and_after_twelve_hours(app: Starlette, clock: Clock) -> None:
    c = signed_in(app, "vic")
    clock.now += 29 * 60
    assert c.get("/", follow_redirects=False).status_code == 200
    clock.now += 30 * 60
    assert c.get("/", follow_redirects=False).status_code == 303
    c = signed_in(app, "vic")
    for _ in range(35):  # busy all day: a request every 20 minutes
        clock.now += 20 * 60
        assert c.get("/", follow_redirects=False).status_code == 200
    clock.now += 20 * 60
    assert c.get("/", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(app: Starlette) -> None:
    c = signed_in(app, "vic")
    session = c.cookies.get(SESSION_COOKIE)
    page = c.get("/").text
    assert "Sign out" in page
    answer = c.post("/logout", data={"token": hidden(page, "token")}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert c.get("/", follow_redirects=False).status_code == 303
    again = TestClient(app, cookies={SESSION_COOKIE: session})
    assert again.get("/", follow_redirects=False).status_code == 303


def test_an_account_removed_or_given_a_new_password_is_signed_out_at_once(
    app: Starlette, accounts: FileAccounts
) -> None:
    ed, vic = signed_in(app, "ed"), signed_in(app, "vic")
    accounts.remove("ed")
    assert ed.get("/", follow_redirects=False).status_code == 303
    accounts.set_password("vic", "another long secret")
    assert vic.get("/", follow_redirects=False).status_code == 303


def test_a_new_role_counts_at_the_next_request(app: Starlette, accounts: FileAccounts) -> None:
    c = signed_in(app, "vic")
    assert c.get("/edit/actor/LAO").status_code == 403
    accounts.set_role("vic", "editor")
    assert c.get("/edit/actor/LAO").status_code == 200


def test_an_editor_cannot_reach_the_accounts_pages(app: Starlette, accounts: FileAccounts) -> None:
    c = signed_in(app, "ed")
    refused = c.get("/admin/accounts")
    assert refused.status_code == 403 and "Your account cannot do this." in refused.text
    assert "/admin/accounts" not in c.get("/").text  # no link to it either
    session = c.cookies.get(SESSION_COOKIE)
    for action in ("add", "remove", "role", "password"):
        token = app.state.workbench.tokens.issue(f"accounts:{action}", session)
        sent = {"token": token, "name": "ann", "role": "viewer", "password": PASSWORD + "!",
                "password2": PASSWORD + "!"}  # fmt: skip
        assert c.post(f"/admin/accounts/{action}", data=sent).status_code == 403
    assert accounts.get("ann").role == "admin"  # type: ignore[union-attr]
    assert sign_in(TestClient(app), "ann") == 303  # the password is unchanged


def test_a_viewer_cannot_write_even_with_a_token_of_its_own_session(
    app: Starlette, folder: Path
) -> None:
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    c = signed_in(app, "vic")
    session = c.cookies.get(SESSION_COOKIE)
    tokens = app.state.workbench.tokens
    crafted = {
        "/edit/actor/LAO": {"id": "LAO", "kind": "state", "name": "Changed"},
        "/verify/deadline:ob-LAO-4": {"deadline": "2031-01-01", **SOURCE},
        "/upload": {},
        "/upload/x/apply": {},
    }
    purposes = ["edit:actor:LAO", "verify:deadline:ob-LAO-4", "upload", "apply:x"]
    for (path, sent), purpose in zip(crafted.items(), purposes, strict=True):
        sent["token"] = tokens.issue(purpose, session)
        refused = c.post(path, data=sent)
        assert refused.status_code == 403, path
        assert "Your account cannot do this." in refused.text
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    page = c.get("/state/LAO").text
    assert "Edit this record" not in page and "/upload" not in page and "/edit/" not in page
    assert "/verify/" not in c.get("/verify").text


def test_an_edit_is_recorded_with_the_account_s_name(app: Starlette, folder: Path) -> None:
    c = signed_in(app, "ed")
    page = c.get("/verify/deadline:ob-LAO-4").text
    form = form_of(page.split('class="record"')[1])
    sent = {**form, "deadline": "2030-08-01", "extensions": "2", **SOURCE}
    assert c.post("/verify/deadline:ob-LAO-4", data=sent).status_code == 200
    [entry] = change_history(DataSource.at(folder))
    assert entry["by"] == "ed"


def test_the_accounts_page_adds_changes_and_removes_accounts(
    app: Starlette, accounts: FileAccounts
) -> None:
    c = signed_in(app, "ann")
    page = c.get("/admin/accounts")
    assert page.status_code == 200 and all(name in page.text for name in ROLES)
    assert "$argon2" not in page.text and 'type="password" value' not in page.text

    def post(action: str, **sent: str) -> Response:
        token = hidden(c.get("/admin/accounts").text.split(f"/admin/accounts/{action}")[1],
                       "token")  # fmt: skip
        return c.post(f"/admin/accounts/{action}", data={"token": token, **sent})

    added = post("add", name="Zed", role="editor", password="zed's long secret",
                 password2="zed's long secret")  # fmt: skip
    assert added.status_code == 200 and "The account zed was added." in added.text
    assert "zed's long secret" not in added.text and accounts.get("zed").role == "editor"  # type: ignore[union-attr]
    short = post("add", name="yan", role="viewer", password="short", password2="short")
    assert short.status_code == 400 and "at least 12 characters" in short.text
    assert 'value="short"' not in short.text and accounts.get("yan") is None
    differ = post("password", name="zed", password="one long secret", password2="another one")
    assert differ.status_code == 400 and "The two passwords differ." in differ.text
    assert post("role", name="zed", role="viewer").status_code == 200
    assert accounts.get("zed").role == "viewer"  # type: ignore[union-attr]
    assert post("password", name="zed", password="zed's new secret",
                password2="zed's new secret").status_code == 200  # fmt: skip
    assert sign_in(TestClient(app), "zed", "zed's new secret") == 303
    assert post("remove", name="zed").status_code == 200 and accounts.get("zed") is None
    last = post("role", name="ann", role="viewer")
    assert last.status_code == 400 and "last admin" in last.text
    assert accounts.get("ann").role == "admin"  # type: ignore[union-attr]


def test_cookies_are_http_only_same_site_and_secure_over_https(
    folder: Path, accounts: FileAccounts
) -> None:
    app = create_app(DataSource.at(folder), accounts=accounts)
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        c = TestClient(app, base_url=base)
        login = c.get("/login")
        sent = {"name": "ed", "password": PASSWORD, "token": hidden(login.text, "token")}
        answer = c.post("/login", data=sent, follow_redirects=False)
        for cookie in (login.headers["set-cookie"], answer.headers["set-cookie"]):
            parts = [p.strip().lower() for p in cookie.split(";")]
            assert "httponly" in parts and "samesite=lax" in parts and "path=/" in parts
            assert ("secure" in parts) == secure, (base, cookie)
    forced = create_app(DataSource.at(folder), accounts=accounts, secure_cookies=True)
    assert "Secure" in TestClient(forced).get("/login").headers["set-cookie"]


def test_without_accounts_nothing_changes_but_a_proxy_is_refused(
    folder: Path, tmp_path: Path
) -> None:
    empty = FileAccounts(tmp_path / "none.accounts.json")
    c = TestClient(create_app(DataSource.at(folder), accounts=empty))
    page = c.get("/state/LAO")
    assert page.status_code == 200 and "Edit this record" in page.text
    assert "Sign out" not in page.text and "cache-control" not in page.headers
    assert c.get("/login", follow_redirects=False).headers["location"] == "/"
    proxied = c.get("/state/LAO", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403 and "Create an account first" in proxied.text


def test_serve_refuses_another_host_without_accounts_and_names_the_way(folder: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--seed", str(folder), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "ccm-graph users add NAME --role admin" in result.output


def test_serve_keeps_the_accounts_beside_the_data(folder: Path) -> None:
    from ccm_graph.cli.workbench import serve_accounts

    beside = serve_accounts(DataSource.at(folder), None)
    assert isinstance(beside, FileAccounts)
    assert beside.path == folder.parent / "seed.accounts.json"
    named = serve_accounts(DataSource.at(folder), str(folder.parent / "team.json"))
    assert isinstance(named, FileAccounts) and named.path.name == "team.json"
    # Neo4j keeps its accounts in the database (tests/integration/test_accounts_neo4j.py)
