"""Driver failures as ccm-graph errors, each said in one sentence with what to do.

:func:`unavailable` for a server that cannot be reached, refuses the credentials or has no such
database (:class:`~ccm_graph.errors.StoreUnavailable`); :func:`neo4j_message` for a statement
Neo4j refused, with the setting to raise when it ran out of memory (:func:`out_of_memory`).
"""

from __future__ import annotations

import re

from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..errors import StoreUnavailable

__all__ = ["neo4j_message", "out_of_memory", "unavailable"]


def neo4j_message(exc: nx4j.Neo4jError) -> str:
    """The first line of Neo4j's message, with what to do where ccm-graph knows it: raise a
    memory setting, or add ``--write`` for a statement that wrote in a read transaction."""
    message = (exc.message or str(exc)).strip().splitlines()[0]
    code = exc.code or ""
    if out_of_memory(exc):
        return _memory_message(message, code)
    if code.endswith("AccessMode") or "in read access mode" in message:
        return f"{message} (the query wrote data; add --write to allow it)"
    return message


_MEMORY_SETTING = re.compile(r"\b(?:db|dbms)\.memory\.transaction\.(?:total\.)?max\b")
_MEMORY_LIMIT = re.compile(r"limit (?:of )?([0-9.,]+ ?[KMGT]i?B)")


def out_of_memory(exc: nx4j.Neo4jError) -> bool:
    """Whether Neo4j refused a statement for memory: a transaction-memory limit
    (``MemoryPoolOutOfMemoryError``) or its heap (``OutOfMemoryError``)."""
    return (exc.code or "").endswith(("MemoryPoolOutOfMemoryError", ".OutOfMemoryError"))


def _memory_message(message: str, code: str) -> str:
    """One line for a transaction Neo4j refused for memory: which setting to raise."""
    if code.endswith("MemoryPoolOutOfMemoryError"):
        found = _MEMORY_SETTING.search(message)
        setting = found.group(0) if found else "db.memory.transaction.total.max"
        limit = _MEMORY_LIMIT.search(message)
        allows = f" ({limit.group(1)})" if limit else ""
        return (
            f"Neo4j refused the transaction: it needs more memory than the server's "
            f"{setting}{allows} allows, so nothing was written; raise {setting} in the "
            "server's neo4j.conf (within its heap, server.memory.heap.max_size) and restart it"
        )
    return (
        "Neo4j ran out of heap memory during the transaction, so nothing was written; give the "
        "server a bigger heap (server.memory.heap.max_size in neo4j.conf) and set "
        "db.memory.transaction.total.max below it, then restart it"
    )


def unavailable(exc: Exception, settings: ConnectionSettings) -> StoreUnavailable:
    """The error for a server that cannot be used: refused credentials, no such database,
    a refused connection, or no answer at all (with how to start one)."""
    if isinstance(exc, nx4j.AuthError):
        return StoreUnavailable(
            f"Neo4j at {settings.display_uri} refused the credentials for user {settings.user!r}",
            hint="check NEO4J_USER and NEO4J_PASSWORD (or --user/--password)",
        )
    if isinstance(exc, nx4j.Neo4jError) and "DatabaseNotFound" in (exc.code or ""):
        return StoreUnavailable(
            f"Neo4j at {settings.display_uri} has no database {settings.database!r}",
            hint="check NEO4J_DATABASE (or --database); Community edition has only 'neo4j'",
        )
    if isinstance(exc, nx4j.Neo4jError):
        return StoreUnavailable(
            f"Neo4j at {settings.display_uri} refused the connection: "
            f"{settings.scrub(neo4j_message(exc))}",
            hint="check the server log",
        )
    return StoreUnavailable(
        f"cannot reach Neo4j at {settings.display_uri}",
        hint="start it (scripts/neo4j-local start, or docker compose up -d) or set NEO4J_URI",
    )
