"""Connecting to Neo4j: open a driver, check the server answers, within a deadline.

:func:`open_driver` is what :meth:`Store.connect <ccm_graph.store.Store.connect>` does before it
makes the store: the driver gets ccm-graph's user agent and timeouts, and the server must
accept the credentials and know the database within :data:`CONNECT_DEADLINE` seconds, or the
failure is one :class:`~ccm_graph.errors.StoreUnavailable` sentence.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import neo4j
from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..errors import StoreUnavailable
from ..version import __version__
from .driver_errors import unavailable

__all__ = ["CONNECT_DEADLINE", "CONNECT_TIMEOUT", "RETRY_TIME", "open_driver"]

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a server's TCP connection and each answer before saying it is
unreachable."""

CONNECT_DEADLINE = 12.0
"""Seconds :func:`open_driver` (:meth:`Store.connect <ccm_graph.store.Store.connect>`) waits in
all for a server to answer, whatever it does (a frozen process, a socket that accepts and never
answers), before giving up."""

RETRY_TIME = 15.0
"""Seconds the driver keeps retrying a transaction that failed transiently (e.g. a deadlock
between two people editing one coalition) before giving up."""


def open_driver(settings: ConnectionSettings) -> neo4j.Driver:
    """A driver for ``settings``, checked: the server answers and accepts the credentials.

    :raises StoreUnavailable: unreachable server, refused credentials, unknown database,
        or an invalid URI; within about ``CONNECT_TIMEOUT`` seconds.
    """
    settings.check_uri()  # an http:// address (Neo4j's browser) is one line, not a traceback
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            user_agent=f"ccm-graph/{__version__}",
            connection_timeout=CONNECT_TIMEOUT,
            connection_acquisition_timeout=CONNECT_TIMEOUT * 2,
            max_transaction_retry_time=RETRY_TIME,
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
        _within(CONNECT_DEADLINE, check)
    except TimeoutError:
        # the check is still blocked inside the driver: leave it to its daemon thread
        raise StoreUnavailable(
            f"Neo4j at {settings.display_uri} did not answer within {CONNECT_DEADLINE:.0f} seconds",
            hint="the server may be frozen or overloaded; check that it runs "
            "(scripts/neo4j-local status) or set NEO4J_URI",
        ) from None
    except (nx4j.DriverError, nx4j.Neo4jError, OSError) as exc:
        driver.close()
        raise unavailable(exc, settings) from exc
    except BaseException:
        driver.close()
        raise
    return driver


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
