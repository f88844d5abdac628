"""Connecting to Neo4j: open a driver, check the server answers, within a deadline.

:func:`open_driver` is what :meth:`Store.connect <ccm_graph.store.Store.connect>` does before it
makes the store: the driver gets ccm-graph's user agent and timeouts, all bounded by the
settings' ``timeout`` (:data:`~ccm_graph.connection.DEFAULT_TIMEOUT`, 15 s), and the server must
accept the credentials and know the database within that, or the failure is one
:class:`~ccm_graph.errors.StoreUnavailable` sentence (:func:`no_answer` words it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import neo4j
from neo4j import exceptions as nx4j

from ..connection import DEFAULT_TIMEOUT, TIMEOUT_VARIABLE, ConnectionSettings
from ..errors import CommitUnknown, StoreUnavailable
from ..version import __version__
from .driver_errors import unavailable

COMMIT_UNKNOWN_HINT = (
    "check what is stored (ccm-graph stats --from neo4j, or export) before running it again"
)
"""What to do when a commit's outcome is unknown (:class:`~ccm_graph.errors.CommitUnknown`)."""

__all__ = [
    "COMMIT_UNKNOWN_HINT",
    "CONNECT_DEADLINE",
    "CONNECT_TIMEOUT",
    "RETRY_TIME",
    "no_answer",
    "open_driver",
]

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a server's TCP connection before saying it is unreachable (less when
the settings' ``timeout`` is under 15 s: a third of it)."""

CONNECT_DEADLINE = DEFAULT_TIMEOUT
"""Seconds :func:`open_driver` (:meth:`Store.connect <ccm_graph.store.Store.connect>`) waits in
all, by default, for a server to answer, whatever it does (a frozen process, a socket that
accepts and never answers), before giving up: the settings' ``timeout``."""

RETRY_TIME = DEFAULT_TIMEOUT
"""Seconds the driver keeps retrying, by default, a transaction that failed transiently (e.g.
a deadlock between two people editing one coalition) before giving up: the settings'
``timeout``; a store also gives up when the server has not answered for that long."""


def open_driver(settings: ConnectionSettings) -> neo4j.Driver:
    """A driver for ``settings``, checked: the server answers and accepts the credentials.

    Every wait of the driver is bounded by ``settings.timeout``: the TCP connection (a third
    of it, at most :data:`CONNECT_TIMEOUT`), getting a connection from the pool, retrying a
    transaction; a connection idle for a third of it is checked before it is used again
    (a server killed meanwhile is found before a transaction starts on it). The driver has no
    bound for an answer on an open connection: :class:`~ccm_graph.store.Store` adds one.

    :raises StoreUnavailable: unreachable server, refused credentials, unknown database,
        or an invalid URI; within ``settings.timeout`` seconds.
    """
    settings.check_uri()  # an http:// address (Neo4j's browser) is one line, not a traceback
    timeout = settings.timeout
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            user_agent=f"ccm-graph/{__version__}",
            connection_timeout=min(CONNECT_TIMEOUT, timeout / 3),
            connection_acquisition_timeout=timeout,
            max_transaction_retry_time=timeout,
            liveness_check_timeout=timeout / 3,
        )
    except (ValueError, nx4j.ConfigurationError) as exc:
        reason = settings.scrub(str(exc)).split(". Given URI", 1)[0].rstrip(".")
        raise StoreUnavailable(
            f"invalid Neo4j URI {settings.display_uri!r}: {reason}",
            hint="use bolt://host:7687, neo4j://host:7687 or neo4j+s://… for Aura, and "
            "give the user and password with NEO4J_USER and NEO4J_PASSWORD, not in the URI",
        ) from None

    def check() -> None:
        driver.verify_connectivity()
        with driver.session(database=settings.database) as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())

    try:
        _within(timeout, check)
    except TimeoutError:
        # the check is still blocked inside the driver: leave it to its daemon thread
        raise no_answer(settings.display_uri, timeout) from None
    except (nx4j.DriverError, nx4j.Neo4jError, OSError) as exc:
        driver.close()
        raise unavailable(exc, settings) from exc
    except BaseException:
        driver.close()
        raise
    return driver


def no_answer(uri: str, seconds: float, *, committing: bool = False) -> StoreUnavailable:
    """The error for a server that did not answer within ``seconds`` (the settings'
    ``timeout``): frozen, overloaded, or gone without closing the connection. While
    ``committing``, whether the change was written is unknown (:class:`CommitUnknown`)."""
    if committing:
        return CommitUnknown(
            f"Neo4j at {uri} did not answer within {seconds:g} seconds while committing, so "
            "whether the change was written is unknown",
            hint=COMMIT_UNKNOWN_HINT,
        )
    return StoreUnavailable(
        f"Neo4j at {uri} did not answer within {seconds:g} seconds",
        hint="the server may be frozen or overloaded; check that it runs (scripts/neo4j-local "
        f"status) or set NEO4J_URI; a statement that needs longer: --timeout or {TIMEOUT_VARIABLE}",
    )


def _within(seconds: float, fn: Callable[[], None]) -> None:
    """Run ``fn`` in a daemon thread; :class:`TimeoutError` if it is not done in time.

    The driver has no overall deadline for a server that accepts a connection and then
    stays silent; this gives one. ``fn``'s own exceptions are re-raised here.
    """
    failure: list[BaseException] = []

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # handed to the caller's thread below
            failure.append(exc)

    thread = threading.Thread(target=target, name="ccm-graph-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"no answer within {seconds} seconds")
    if failure:
        raise failure[0]
