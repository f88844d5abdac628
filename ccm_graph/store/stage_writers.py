"""The writers of a staged load (:mod:`ccm_graph.store.staging`): transactions of a few
batches, written unseen by ``STAGED_WRITERS`` threads at once, the record nodes shared evenly
between them, the relationships between staged nodes found by ``elementId``."""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import neo4j
from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..errors import QueryError, TransactionTooLarge
from ..queries import (
    stage_beat_query,
    stage_state_read_query,
    staged_evidence_create_query,
    staged_node_create_query,
)
from ..schema import NodeType
from .batches import Batch, Rows
from .connect import no_answer
from .database import Neo4jDatabase, answered, shared_watch, watching
from .driver_errors import neo4j_message, out_of_memory, unavailable

__all__ = [
    "BEAT_EVERY",
    "ELEMENT_QUERIES",
    "NODE_QUERIES",
    "STAGED_RETRIES",
    "STAGED_TRANSACTION_ROWS",
    "STAGED_WRITERS",
    "StageLost",
    "StageWriters",
    "to_elements",
    "transaction_share",
]

STAGED_WRITERS = 2
"""Transactions a staged load writes at once. Two kept both cores of the benchmark's machine
busy (Neo4j writing, this process making rows); three were no faster (docs/performance.md)."""

STAGED_TRANSACTION_ROWS = 20_000
"""Rows a staged transaction gathers (whole batches) before it is sent: fewer commits than one
per batch, and little memory (about 80 MiB of transaction state each)."""

STAGED_RETRIES = 5
"""Times a staged transaction is written again after a transient failure (a deadlock between
the writers) before the load fails."""

BEAT_EVERY = 10.0
"""Seconds between the stage's beats (a write to its marker, which the writers would otherwise
queue for); far below :data:`~ccm_graph.store.staging.STALE_AFTER`."""


class StageLost(QueryError):
    """Raised when a staged load's marker was removed or changed by another load meanwhile:
    its records are gone or going, nothing of it became visible."""


ELEMENT_QUERIES = frozenset(staged_node_create_query(node_type) for node_type in NodeType)
"""The statements of a staged load that create record nodes and return their ``elementId``."""

NODE_QUERIES = ELEMENT_QUERIES | {staged_evidence_create_query()}
"""The statements of a staged load that create nodes; the others create relationships between
staged nodes, so they wait until every node before them is committed."""


def to_elements(rows: list[Any], elements: dict[str, str]) -> None:
    """Give the rows of a relationship batch (lists whose first two values are the ids of its
    ends) the ``elementId`` of their ends' staged nodes instead, in place."""
    for row in rows:
        row[0] = elements[row[0]]
        row[1] = elements[row[1]]


def transaction_share(unsent: int | None, writers: int, transaction_rows: int) -> int:
    """Rows the next staged transaction (after the nodes) gathers, when ``unsent`` rows of
    the load are still to be sent to ``writers`` writers: ``transaction_rows``, until what
    is left is less than a full transaction for each writer; then an equal share of it for
    each, but not less than an eighth of ``transaction_rows`` (not a string of ever smaller
    transactions), and the rest in one when less than that would follow. So the writers
    finish together.

    >>> [transaction_share(n, 2, 20_000) for n in (100_700, 40_000, 20_700, 5_175, 3_000)]
    [20000, 20000, 10350, 2588, 3000]
    >>> transaction_share(None, 2, 20_000)  # the size of the load is not known
    20000
    """
    if unsent is None or unsent <= 0:  # not known (or more rows came than were counted)
        return transaction_rows
    least = max(1, transaction_rows // 8)
    share = max(least, -(-unsent // writers))
    if unsent - share < least:  # the rest in this one, not in a small one after it
        share = unsent
    return min(share, transaction_rows)


class StageWriters:
    """The transactions of a staged load, written by ``writers`` threads at once.

    Batches are put together into transactions of up to about ``transaction_rows`` rows (a
    batch goes at once, alone, when a writer has nothing to do); the record nodes, which every
    relationship waits for, go in ``writers`` equal shares of ``nodes``, and the
    ``elementId`` of each is kept in :attr:`elements` once its transaction commits. When the
    load's ``total`` rows are known, the last transactions get smaller (each at most an equal
    share of what is left to send), so that the writers finish together: with whole
    transactions to the end, one writer often wrote the last 20,000 rows alone, on one core,
    for half a second while the other had nothing left. Each
    transaction sends its batches one after the other without waiting for the one before
    (Neo4j starts on the next as soon as it has finished one), checks that the stage is
    still the one writing, and commits. On a 2-core machine two writers keep Neo4j busy
    while this process makes the next rows (``docs/performance.md``).

    - A transaction Neo4j refuses for memory is written again one batch per transaction,
      halved until it fits, and so is every transaction after it.
    - A transient failure (two writers' locks in a deadlock) writes the transaction again,
      up to :data:`STAGED_RETRIES` times.
    - When the store has a ``timeout``, the caller stops waiting when Neo4j has not answered
      any writer for that long.
    - :meth:`close` after a failure: transactions not yet committed roll back, and it waits
      for every writer, unless Neo4j stopped answering: the writers are daemon threads, left
      blocked in the driver to end with the process (as :class:`Neo4jDatabase` leaves a
      transaction it stopped waiting for).
    """

    def __init__(
        self,
        db: Neo4jDatabase,
        load_id: str,
        *,
        writers: int,
        transaction_rows: int,
        nodes: int | None = None,
        total: int | None = None,
    ) -> None:
        if writers < 1:
            raise ValueError("a staged load needs at least one writer")
        self.db = db
        self.load_id = load_id
        self.transaction_rows = transaction_rows
        # rows of record nodes per transaction: an equal share of them for each writer
        self.node_share = -(-nodes // writers) if nodes else transaction_rows
        self.unsent = total  # rows not sent to a writer yet (those gathering included)
        self.lean = False  # after a refusal for memory: one batch per transaction
        self.stop = threading.Event()
        self.watch = shared_watch()
        self.tasks: queue.SimpleQueue[tuple[Future[None], list[Batch]] | None] = queue.SimpleQueue()
        self.threads = [
            threading.Thread(target=self._work, name=f"ccm-graph-stage-{n}", daemon=True)
            for n in range(writers)
        ]
        for thread in self.threads:
            thread.start()
        self.writers = writers
        self.limit = 2 * writers  # transactions queued or being written at once
        self.running: deque[tuple[Future[None], list[int]]] = deque()
        self.gathering: list[Batch] = []
        self.gathered = 0
        self.closed = False
        self.beaten = time.monotonic()  # the marker was written just now
        # record id → elementId of its staged node, once the transaction that made it committed
        self.elements: dict[str, str] = {}

    def write(self, query: str, rows: list[Any], report: Callable[[int], None]) -> None:
        """Add a batch; send a transaction once it has enough rows, and report what the
        writers committed meanwhile."""
        if self.lean:  # after a refusal for memory: each batch on its own
            self.gathering.append((query, rows))
            self.gathered += len(rows)
            self._send()
        elif query in ELEMENT_QUERIES:
            # the relationships wait for the last node, so the writers share the nodes
            # evenly (whole batches gave one 8,400 and the other 3,000), in few transactions
            # (each costs about 0.1 s, however small)
            self._gather(query, rows, lambda: self.node_share)
        else:
            self._gather(query, rows, self._share)  # near the end: an equal share of the rest
            busy = sum(not future.done() for future, _ in self.running)
            # a writer with nothing to do gets what there is (at the start, or when the rows
            # come slower than Neo4j writes them); busy writers let a transaction grow
            if self.gathering and busy < self.writers:
                self._send()
        while self.running and (self.running[0][0].done() or len(self.running) > self.limit):
            self._wait_first(report)

    def wait_all(self, report: Callable[[int], None]) -> None:
        """Send what is gathered, and wait until every transaction is committed."""
        if self.gathering:
            self._send()
        while self.running:
            self._wait_first(report)

    def close(self) -> None:
        """Stop: roll back what is not committed, and wait for the writers (not when Neo4j
        stopped answering them)."""
        if self.closed:
            return
        self.closed = True
        self.stop.set()
        for future, _ in self.running:
            future.cancel()  # not started yet: never will
        for _ in self.threads:
            self.tasks.put(None)
        if not self.watch.abandoned:
            for thread in self.threads:
                thread.join()

    def _gather(self, query: str, rows: list[Any], share: Callable[[], int]) -> None:
        """Add a batch to the transaction being gathered, sending that transaction each time
        it holds ``share()`` rows (the batch split there)."""
        while self.gathered + len(rows) >= (limit := share()):
            take = limit - self.gathered
            self.gathering.append((query, Rows(rows[:take])))
            self.gathered += take
            self._send()
            rows = Rows(rows[take:])
        if rows:
            self.gathering.append((query, rows))
            self.gathered += len(rows)

    def _share(self) -> int:
        """Rows the next transaction of relationships gathers (:func:`transaction_share`)."""
        return transaction_share(self.unsent, self.writers, self.transaction_rows)

    def _send(self) -> None:
        if self.unsent is not None:
            self.unsent -= self.gathered
        chunk, self.gathering, self.gathered = self.gathering, [], 0
        future: Future[None] = Future()
        self.tasks.put((future, chunk))
        self.running.append((future, [len(rows) for _, rows in chunk]))

    def _work(self) -> None:
        """One writer: write the transactions it is given until told to stop."""
        while (task := self.tasks.get()) is not None:
            future, chunk = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                self._write(chunk)
            except BaseException as exc:  # handed to the load's thread by _wait_first
                future.set_exception(exc)
            else:
                future.set_result(None)

    def _wait_first(self, report: Callable[[int], None]) -> None:
        future, sizes = self.running[0]
        timeout = self.db.timeout
        if timeout is None:
            future.result()
        else:
            while True:
                left = timeout - self.watch.silent()
                try:
                    future.result(timeout=max(left, 0.01))
                    break
                except FutureTimeout:
                    if self.watch.silent() >= timeout:
                        self.watch.abandoned = True
                        raise no_answer(self.db.uri, timeout, committing=False) from None
        self.running.popleft()
        for size in sizes:
            report(size)

    def _write(self, chunk: list[Batch]) -> None:
        with watching(self.watch):
            if not self.lean:
                try:
                    self._attempt(chunk)
                    return
                except nx4j.Neo4jError as exc:
                    if not out_of_memory(exc):
                        raise QueryError(neo4j_message(exc)) from exc
                    self.lean = True  # the rest in transactions of one batch, halved as needed
            for query, rows in chunk:
                self._write_lean(query, rows)

    def _write_lean(self, query: str, rows: list[dict[str, Any]]) -> None:
        try:
            self._attempt([(query, rows)])
        except nx4j.Neo4jError as exc:
            if not out_of_memory(exc):
                raise QueryError(neo4j_message(exc)) from exc
            if len(rows) < 2:
                raise TransactionTooLarge(neo4j_message(exc)) from exc
            half = len(rows) // 2
            self._write_lean(query, Rows(rows[:half]))
            self._write_lean(query, Rows(rows[half:]))

    def _attempt(self, chunk: list[Batch]) -> None:
        """Write ``chunk`` in one transaction, again after a transient failure (a deadlock
        between the writers); a refusal for memory is raised as it is."""
        for attempt in range(STAGED_RETRIES + 1):
            try:
                self._transaction(chunk)
                return
            except nx4j.TransientError as exc:
                if out_of_memory(exc) or attempt == STAGED_RETRIES:
                    raise
                time.sleep(0.05 * 2**attempt)
            except (nx4j.ServiceUnavailable, nx4j.SessionExpired) as exc:
                raise unavailable(exc, ConnectionSettings(uri=self.db.uri)) from exc

    def _transaction(self, chunk: list[Batch]) -> None:
        """One explicit transaction (a managed one would retry a refusal for memory, a
        "transient" error, for 30 s before giving up)."""
        db = self.db
        made: dict[str, str] = {}  # the elementIds of the nodes this transaction makes
        with db.session() as session, session.begin_transaction() as tx:
            pending: tuple[neo4j.Result, str, int] | None = None
            for query, rows in chunk:
                db.trace(query, {"rows": None})
                result = tx.run(query, rows=rows)  # sent; Neo4j answers once it has the rows
                if pending is not None:
                    _written(*pending, made)
                pending = (result, query, len(rows))
            if pending is not None:
                _written(*pending, made)
            beat = time.monotonic() - self.beaten >= BEAT_EVERY
            check = stage_beat_query() if beat else stage_state_read_query()
            params: dict[str, Any] = {"id": self.load_id}
            if beat:
                params["at"] = time.time()
            db.trace(check, params)
            [state] = tx.run(check, params).data() or [{}]
            if state.get("state") != "writing":
                raise StageLost(
                    f"staged load {self.load_id} was removed by another load while it was "
                    "writing; nothing of it became visible: run the load again"
                )
            if self.stop.is_set():  # the load failed or was interrupted meanwhile
                tx.rollback()
                return
            tx.commit()
            answered()
            self.elements.update(made)
            if beat:
                self.beaten = time.monotonic()


def _written(result: neo4j.Result, query: str, rows: int, made: dict[str, str]) -> None:
    """Wait for one statement of a staged transaction: keep the ``elementId`` of the nodes it
    made, or check that it made a relationship for each row (an end that is no longer a staged
    node matches nothing: another load removed this one's nodes)."""
    if query in ELEMENT_QUERIES:
        [(ids, elements)] = result.values("ids", "elements")
        made.update(zip(ids, elements, strict=True))
        return
    counters = result.consume().counters
    if query not in NODE_QUERIES and counters.relationships_created != rows:
        raise StageLost(
            f"{rows - counters.relationships_created} of {rows} relationships of a staged load "
            "found no staged node at an end: another load removed its nodes; nothing of it "
            "became visible: run the load again"
        )
