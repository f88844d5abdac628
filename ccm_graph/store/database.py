"""Running statements on one Neo4j database: sessions, transactions, the tracer.

:class:`Neo4jDatabase` is the plumbing under :class:`~ccm_graph.store.Store`: a driver and a
database name (always passed, saving a round trip per query). Reads run in ``execute_read``,
writes in ``execute_write``, so ``neo4j://`` routing URIs (clusters, Aura) work unchanged;
every statement passes the tracer first; a driver failure comes out as a
:mod:`ccm_graph.errors` exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..errors import CommitUnknown, QueryError
from .driver_errors import neo4j_message, unavailable

__all__ = ["Neo4jDatabase"]

T = TypeVar("T")


class Neo4jDatabase:
    """A Neo4j database reached through a driver: the sessions and transactions every store
    operation runs in.

    :param driver: an open ``neo4j.Driver``; the caller keeps ownership unless ``owns_driver``.
    :param database: the database name (always passed, saving a round trip per query).
    :param tracer: called with ``(cypher, parameter_names)`` before each statement.
    :param uri: the server's address as shown to people (no credentials), for messages.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        *,
        owns_driver: bool = False,
        tracer: Callable[[str, list[str]], None] | None = None,
        uri: str = "",
    ) -> None:
        self.driver = driver
        self.database = database
        self.owns_driver = owns_driver
        self.tracer = tracer
        self.uri = uri

    def trace(self, query: str, params: dict[str, Any]) -> None:
        """Pass a statement and its parameter names (never their values) to the tracer."""
        if self.tracer is not None:
            self.tracer(query, sorted(params))

    def session(self) -> neo4j.Session:
        """A new session on the database (the caller closes it)."""
        return self.driver.session(database=self.database)

    def read_transaction(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``fn(tx)`` in a read transaction (retried on transient errors)."""
        return self._run(fn, write=False)

    def write_transaction(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``fn(tx)`` in one write transaction: all of it is written or none of it.

        The driver retries ``fn`` on transient errors (deadlocks under concurrent edits), so
        it must be idempotent. Exceptions other than Neo4j's roll back and propagate as is.
        """
        return self._run(fn, write=True)

    def _run(self, fn: Callable[[neo4j.ManagedTransaction], T], *, write: bool) -> T:
        try:
            with self.session() as session:
                if write:
                    return session.execute_write(fn)
                return session.execute_read(fn)
        except nx4j.IncompleteCommit as exc:
            raise CommitUnknown(
                f"the connection to Neo4j at {self.uri} was lost while committing, so whether "
                "the change was written is unknown",
                hint="check what is stored (ccm-graph stats --from neo4j, or export) before "
                "running it again",
            ) from exc
        except (nx4j.ServiceUnavailable, nx4j.SessionExpired, nx4j.AuthError) as exc:
            raise unavailable(exc, ConnectionSettings(uri=self.uri)) from exc
        except nx4j.Neo4jError as exc:
            raise QueryError(neo4j_message(exc)) from exc

    def run_in(
        self, tx: neo4j.ManagedTransaction, query: str, **params: Any
    ) -> list[dict[str, Any]]:
        """Run one statement inside ``tx`` (from :meth:`read_transaction` or
        :meth:`write_transaction`), through the tracer; the rows as dicts."""
        self.trace(query, params)
        return tx.run(query, params).data()
