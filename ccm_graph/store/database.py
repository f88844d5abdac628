"""Running statements on one Neo4j database: sessions, transactions, the tracer.

:class:`Neo4jDatabase` is the plumbing under :class:`~ccm_graph.store.Store`: a driver and a
database name (always passed, saving a round trip per query). Reads run in ``execute_read``,
writes in ``execute_write``, so ``neo4j://`` routing URIs (clusters, Aura) work unchanged;
every statement passes the tracer first; a driver failure comes out as a
:mod:`ccm_graph.errors` exception.

Every session shares one bookmark manager (the driver's ``execute_query_bookmark_manager``
unless another is given), so each transaction starts after every transaction this store (and
``driver.execute_query``) committed before: on a cluster or Aura, a read that follows a write
sees it, whichever member serves it (causal consistency). A single server sees its own
writes anyway; bookmarks are not shared between processes (see ``docs/workbench.md``).

With a ``timeout`` (``Store.connect`` gives the settings' one), each transaction runs in a
worker thread and the caller stops waiting when Neo4j has not answered for that long
(:class:`_Watch`): the driver itself waits for ever for an answer on an open connection to a
frozen server. A statement starting, a row arriving, the transaction function returning
(the commit starting) count as answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx4j
from neo4j.api import BookmarkManager

from ..connection import ConnectionSettings
from ..errors import CommitUnknown, QueryError
from .connect import COMMIT_UNKNOWN_HINT, no_answer
from .driver_errors import neo4j_message, unavailable

__all__ = ["Neo4jDatabase", "answered", "shared_watch", "watching"]

T = TypeVar("T")


class _GaveUp(Exception):
    """Raised in a worker thread whose caller stopped waiting: the transaction rolls back."""


class _Watch:
    """When Neo4j last answered within one transaction run in a worker thread, and whether
    its commit has started; ``abandoned`` once the caller stopped waiting."""

    def __init__(self, parent: _Watch | None = None) -> None:
        self.last = time.monotonic()
        self.committing = False
        self.abandoned = False
        self.working = 0  # > 0 while the transaction's thread works on its own (not_waiting)
        self.parent = parent  # the transaction this one runs inside of, if any

    def beat(self) -> None:
        if self.abandoned:  # the caller said it failed: do not go on writing behind its back
            raise _GaveUp("the caller stopped waiting for this transaction")
        self.last = time.monotonic()
        if self.parent is not None:
            self.parent.beat()

    def silent(self) -> float:
        """Seconds since Neo4j last answered, not counting while the thread works on its own."""
        return 0.0 if self.working else time.monotonic() - self.last

    def work(self, step: int) -> None:
        """Count one more (``step`` 1) or one less (-1) stretch of the thread's own work."""
        self.working += step
        if self.parent is not None:
            self.parent.work(step)


_current = threading.local()


def answered() -> None:
    """Say that Neo4j answered (a statement done, a row arrived) in the transaction this
    thread runs, so that a long stream of rows does not count as a silent server."""
    watch: _Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.beat()


@contextmanager
def not_waiting() -> Iterator[None]:
    """Say that the thread of a transaction works on its own meanwhile (it waits for no answer
    of Neo4j: a check of the client's, while Neo4j works on a statement already sent), so that
    the time does not count as a silent server; the silence counts again from the end."""
    watch: _Watch | None = getattr(_current, "watch", None)
    if watch is None:
        yield
        return
    watch.work(1)
    try:
        yield
    finally:
        watch.work(-1)
        watch.beat()


def shared_watch() -> _Watch:
    """A watch for work that runs its transactions in threads of its own (a staged load's
    writers): each thread runs ``with watching(watch)``, and the caller gives up when
    ``watch.last`` is too long ago (setting ``watch.abandoned`` stops the threads at their
    next statement)."""
    return _Watch(getattr(_current, "watch", None))


@contextmanager
def watching(watch: _Watch) -> Iterator[None]:
    """Make the statements of this thread beat ``watch`` (see :func:`shared_watch`)."""
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    try:
        yield
    finally:
        _current.watch = previous


class Neo4jDatabase:
    """A Neo4j database reached through a driver: the sessions and transactions every store
    operation runs in.

    :param driver: an open ``neo4j.Driver``; the caller keeps ownership unless ``owns_driver``.
    :param database: the database name (always passed, saving a round trip per query).
    :param tracer: called with ``(cypher, parameter_names)`` before each statement.
    :param uri: the server's address as shown to people (no credentials), for messages.
    :param timeout: seconds to wait for an answer within a transaction before giving up
        (:class:`~ccm_graph.errors.StoreUnavailable`, or
        :class:`~ccm_graph.errors.CommitUnknown` while committing); ``None``: wait as long
        as the driver does.
    :param bookmark_manager: the bookmarks every session passes on (default: the driver's
        ``execute_query_bookmark_manager``, shared with ``driver.execute_query``).
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        *,
        owns_driver: bool = False,
        tracer: Callable[[str, list[str]], None] | None = None,
        uri: str = "",
        timeout: float | None = None,
        bookmark_manager: BookmarkManager | None = None,
    ) -> None:
        self.driver = driver
        self.database = database
        self.owns_driver = owns_driver
        self.tracer = tracer
        self.uri = uri
        self.timeout = timeout
        self.bookmarks: BookmarkManager = (
            bookmark_manager
            if bookmark_manager is not None
            else driver.execute_query_bookmark_manager
        )

    def trace(self, query: str, params: dict[str, Any]) -> None:
        """Pass a statement and its parameter names (never their values) to the tracer.

        Called before each statement, it also says the previous one was answered."""
        answered()
        if self.tracer is not None:
            self.tracer(query, sorted(params))

    def session(self) -> neo4j.Session:
        """A new session on the database (the caller closes it), with the store's bookmark
        manager: it starts after every transaction the store committed before, and its own
        commits are waited for by the sessions after it."""
        return self.driver.session(database=self.database, bookmark_manager=self.bookmarks)

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
        if self.timeout is None:
            return self._run_here(fn, write=write)
        return self._run_watched(fn, write=write, timeout=self.timeout)

    def _run_watched(
        self, fn: Callable[[neo4j.ManagedTransaction], T], *, write: bool, timeout: float
    ) -> T:
        """:meth:`_run_here`, given up when Neo4j has not answered for ``timeout`` seconds
        (see :meth:`_wait_for`)."""
        watch = _Watch(getattr(_current, "watch", None))

        def watched(tx: neo4j.ManagedTransaction) -> T:
            watch.committing = False
            watch.beat()  # a transaction began: the server answered
            result = fn(tx)
            watch.beat()
            watch.committing = write
            return result

        return self._wait_for(lambda: self._run_here(watched, write=write), watch, timeout)

    def _wait_for(self, work: Callable[[], T], watch: _Watch, timeout: float) -> T:
        """``work()`` run in a worker thread (whose statements beat ``watch``), given up when
        Neo4j has not answered for ``timeout`` seconds: the worker, blocked in the driver,
        is left to end with the process; if it gets an answer later, it rolls back at its
        next statement instead of going on.

        :raises StoreUnavailable: no answer in time (:class:`CommitUnknown` while committing).
        """
        outcome: dict[str, Any] = {}

        def run() -> None:
            _current.watch = watch
            try:
                outcome["value"] = work()
            except BaseException as exc:  # handed to the caller's thread below
                outcome["error"] = exc

        worker = threading.Thread(target=run, name="ccm-graph-transaction", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                silent = watch.silent()
                if silent >= timeout:
                    watch.abandoned = True
                    raise no_answer(self.uri, timeout, committing=watch.committing)
                worker.join(timeout - silent)
        except BaseException:
            watch.abandoned = True  # an interrupt too: nothing more is written
            raise
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]  # type: ignore[no-any-return]

    def run_schema(self, statement: str) -> None:
        """Run one schema statement (a constraint, an index) in its own auto-commit
        transaction, as schema changes must be, through the tracer and within the timeout.

        :raises StoreUnavailable: the server cannot be reached or does not answer.
        :raises QueryError: Neo4j refused the statement.
        """

        def work() -> None:
            self.trace(statement, {})
            try:
                with self.session() as session:
                    session.run(statement).consume()
            except (nx4j.ServiceUnavailable, nx4j.SessionExpired, nx4j.AuthError) as exc:
                raise unavailable(exc, ConnectionSettings(uri=self.uri)) from exc
            except nx4j.Neo4jError as exc:
                raise QueryError(neo4j_message(exc)) from exc

        if self.timeout is None:
            work()
        else:
            self._wait_for(work, _Watch(getattr(_current, "watch", None)), self.timeout)

    def _run_here(self, fn: Callable[[neo4j.ManagedTransaction], T], *, write: bool) -> T:
        try:
            with self.session() as session:
                if write:
                    return session.execute_write(fn)
                return session.execute_read(fn)
        except nx4j.IncompleteCommit as exc:
            raise CommitUnknown(
                f"the connection to Neo4j at {self.uri} was lost while committing, so whether "
                "the change was written is unknown",
                hint=COMMIT_UNKNOWN_HINT,
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
        rows = []
        for record in tx.run(query, params):
            rows.append(record.data())
            answered()
        return rows
