"""Shared fixtures: the small hand-made seed, and a real Neo4j for the integration tests.

The Neo4j fixture uses ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` when ``NEO4J_URI`` is
set; otherwise it provisions and starts a private Neo4j Community 5.26 (see
``ccm_graph.localserver``) on a free loopback port for the session and stops it afterwards.
Without a server the Neo4j tests are skipped on a developer machine, but under ``CI=true`` they
fail: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from ccm_graph.localserver import LocalServer, ProvisionError, free_port
from ccm_graph.store import ConnectionSettings, Store

ROOT = Path(__file__).resolve().parent.parent
SMALL_SEED = ROOT / "tests" / "fixtures" / "small"
SHIPPED_SEED = ROOT / "seed"
ARTIFACTS = ROOT / "test-artifacts"


T = TypeVar("T")

HANG_SECONDS = 120.0
"""How long :func:`returns` waits before calling a call hung: eight times the longest timeout
the code under test sets (15 s by default), so that a slow machine never fails a test, a hang
always does."""


def returns(fn: Callable[[], T], *, within: float = HANG_SECONDS) -> T:
    """``fn()``'s result, or a test failure if it does not return at all (it hangs).

    For tests of bounded waits: they check *that* a call gives up and *how* (its message names
    the timeout that fired), never how fast the machine is.
    """
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the test's thread, re-raised there
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(within)
    if worker.is_alive():
        pytest.fail(f"the call did not return within {within:.0f} seconds: it hangs")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def small_seed(tmp_path: Path) -> Path:
    """A private copy of the small hand-made seed folder, free to modify."""
    target = tmp_path / "seed"
    shutil.copytree(SMALL_SEED, target)
    return target


def start_or_fail(server: LocalServer, what: str) -> None:
    """Start a private Neo4j; if it cannot start, fail the test under ``CI=true`` (CI must never
    pass by skipping) and skip it on a developer machine."""
    try:
        server.start()
    except ProvisionError as exc:
        message = f"no Neo4j for {what}: {exc}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def private_server(
    name: str, what: str, *, log_lines: int = 200, **options: str
) -> Iterator[ConnectionSettings]:
    """A private Neo4j under ``.neo4j/<name>`` on a free loopback port (``options`` go to
    :class:`LocalServer`: ``heap``, ``pagecache``, ``tx_memory``), stopped afterwards, its
    console log's tail kept in ``test-artifacts/neo4j-<name>-console.log``."""
    server = LocalServer(home=ROOT / ".neo4j" / name, port=free_port(), **options)
    start_or_fail(server, what)
    try:
        yield ConnectionSettings(uri=server.uri, user="neo4j", password=server.password())
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"neo4j-{name}-console.log"
        log.write_text(server.log_tail(log_lines), encoding="utf-8")


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[ConnectionSettings]:
    """Connection settings for a real, running Neo4j (started here if needed)."""
    if os.environ.get("NEO4J_URI"):
        yield ConnectionSettings.from_env()
        return
    with private_server("test", "the integration tests", log_lines=400, heap="1g") as settings:
        yield settings


@pytest.fixture
def store(neo4j_settings: ConnectionSettings) -> Iterator[Store]:
    """A Store on an empty database with the schema applied."""
    with Store.connect(neo4j_settings) as opened:
        opened.query("MATCH (n) DETACH DELETE n", write=True)
        opened.apply_schema()
        yield opened


@pytest.fixture
def neo4j_env(neo4j_settings: ConnectionSettings, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The NEO4J_* environment a CLI invocation needs to reach the test server."""
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


NEO4J_FIXTURES = frozenset({"neo4j_settings", "store", "neo4j_env"})
"""A test that uses any of these (directly or through another fixture) needs a server."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs Neo4j with ``neo4j``, so ``-m "not neo4j"`` starts none."""
    for item in items:
        if NEO4J_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


def pytest_report_header(config: pytest.Config) -> str:
    import neo4j

    target = os.environ.get("NEO4J_URI") or "a private local Neo4j started by the suite"
    return f"neo4j driver {neo4j.__version__}; Neo4j: {target}; CI={in_ci()}"
