"""The real browser for the page tests: Debian's Chromium, headless, with no network.

Every host name resolves to nothing and anything that still tries goes to a dead proxy; the
DevTools performance log shows every request a page makes. Needs ``/usr/bin/chromium`` and
``/usr/bin/chromedriver`` (``scripts/install-browser``) and ``selenium``: skipped without them
on a developer machine, a failure under ``CI=true``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ARTIFACTS, ROOT, in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--window-size=1400,900",
    # Every host name resolves to nothing, and anything that still tries goes to a dead proxy.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)

XSS_NAME = "<img src=x onerror=\"window.__pwned='name';alert('name')\">"
XSS_NOTES = "</script><script>window.__pwned='notes';alert('notes')</script>"
XSS_SOURCE = "<svg onload=\"window.__pwned='source'\"></svg>"
XSS_PURPOSE = "<img src=y onerror=\"window.__pwned='purpose'\">"
XSS_REGION = "<img src=z onerror=\"window.__pwned='region'\">"
XSS_TITLE = "<script>window.__pwned='title'</script>Map"


# --- the browser --------------------------------------------------------------------------


def start_chromium(
    profile: Path, *, loopback: bool = False, logs: tuple[str, ...] = ("browser",)
) -> Any:
    """A headless Chromium driven by chromedriver, with the fresh profile ``profile`` and no
    network: every host name resolves to nothing, except 127.0.0.1 when ``loopback`` (a page
    served on this machine, as the workbench is). Fails the test under ``CI=true`` when Chromium
    or its driver is missing, skips it elsewhere."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if missing:
        message = "browser tests need " + ", ".join(missing) + "; run scripts/install-browser"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        if loopback and flag.startswith("--host-resolver-rules="):
            flag += ", EXCLUDE 127.0.0.1"  # every other host still resolves to nothing
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", dict.fromkeys(logs, "ALL"))
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium for pages opened from file:// (:func:`start_chromium`)."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"),
                            logs=("browser", "performance"))  # fmt: skip
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def loopback_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium with no network except 127.0.0.1, for the workbench's pages."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), loopback=True)
    try:
        yield driver
    finally:
        driver.quit()


@contextlib.contextmanager
def served_workbench(
    seed: Path | None = None,
    *options: str,
    source: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """``ccm-graph serve`` on ``seed`` (or on the ``source`` options, ``("--from",
    "neo4j")`` with the connection in ``env``) on a free port, with ``options`` such as
    ``--accounts FILE``: yields its address, then stops it with Ctrl-C and checks that it
    stopped cleanly, saying "Stopped." last."""
    where = list(source) if source else ["--seed", str(seed)]
    process = subprocess.Popen(
        [sys.executable, "-m", "ccm_graph", "serve", "--port", "0", *where, *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "The workbench is at http://127.0.0.1:" in line, line + process.stderr.read()
    try:
        yield line.split(" at ", 1)[1].split("/ ", 1)[0]
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert out.strip().splitlines()[-1] == "Stopped.", out


def open_page(browser: Any, path: Path, *, ready: bool = True) -> None:
    """Open ``path`` from file:// (fresh logs) and wait until the map has drawn itself."""
    browser.get_log("performance")
    browser.get_log("browser")
    browser.get(path.as_uri())
    if ready:
        wait_for(lambda: browser.execute_script(
            "return document.body.getAttribute('data-map-ready') === 'true'"
        ), timeout=60, what="the map to draw")  # fmt: skip


def wait_for(check: Callable[[], Any], *, timeout: float = 5.0, what: str = "it") -> Any:
    """Call ``check`` until it returns something true, or fail after ``timeout`` seconds.

    A check that meets a page being replaced (see :func:`page_replaced`) is called again.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except Exception as error:
            if not page_replaced(error):
                raise
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# What Chromium answers when a command meets a page that is being replaced (a form posted, a
# redirect followed): the element or the script's document went away under it.
_PAGE_REPLACED = (
    "does not belong to the document",
    "document unloaded",
    "execution context was destroyed",
    "stale element reference",
)


def body_text(browser: Any) -> str:
    """The page's visible text, or "" while the page is being replaced.

    Read in one script call, so no element reference is held across a navigation. Only the
    errors a navigation causes count as "not yet"; anything else fails the test.
    """
    try:
        text = browser.execute_script(
            "return document.readyState === 'complete' && document.body"
            " ? document.body.innerText : ''"
        )
    except Exception as error:
        if not page_replaced(error):
            raise
        return ""
    return str(text or "")


def page_replaced(error: BaseException) -> bool:
    """Whether ``error`` is Chromium saying the page went away under the command."""
    from selenium.common.exceptions import WebDriverException

    if not isinstance(error, WebDriverException):
        return False
    return any(sign in str(error.msg or "").lower() for sign in _PAGE_REPLACED)


def requests_made(browser: Any) -> list[tuple[str, str]]:
    """(document, URL) of every request in the DevTools performance log since the last call."""
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append((params.get("documentURL", ""), params["request"]["url"]))
        elif message["method"] == "Network.webSocketCreated":
            requests.append(("", params["url"]))
    return requests


def requested_urls(browser: Any) -> list[str]:
    """The URLs of :func:`requests_made` (the log is read, and so emptied)."""
    return [url for _, url in requests_made(browser)]


def leaks(requests: list[tuple[str, str]]) -> list[str]:
    """Requests that could leave the machine, or that the map's file made for anything else
    than itself. (Chromium's own chrome:// pages may appear in the log; they stay inside.)"""
    local = ("file://", "data:")
    return [
        url
        for document, url in requests
        if url.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")
        or (document.startswith("file://") and not url.startswith(local))
    ]


def console_problems(browser: Any) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] in ("SEVERE", "WARNING") or "Refused" in entry["message"]
    ]


def js(browser: Any, script: str, *args: Any) -> Any:
    return browser.execute_script(script, *args)


def screenshot(browser: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
