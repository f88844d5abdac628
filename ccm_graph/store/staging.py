"""A staged load: a load too large for one transaction, written in many, switched in one.

A plain load is one transaction, so Neo4j must hold all of it in transaction memory at once
(about 3.9 KiB per row: 50k actors and 500k relations need 2.1 GiB). A staged load
(:meth:`Store.load(..., staged=True) <ccm_graph.store.Store.load>`, ``ccm-graph load --wipe
--staged``, and by default any load that creates more than
:data:`~ccm_graph.store.loading.AUTO_STAGED_ROWS` rows) needs the memory of a few
transactions of :data:`STAGED_TRANSACTION_ROWS` rows, and is faster at that size:

1. Its records are written in transactions of a few batches, two at a time
   (:class:`StageWriters`), as ``Staged``
   nodes (their node type in ``_staged``) and the relationships between them. No read query
   of ccm-graph sees them: every read starts from a record label (``Actor``, ``Coalition`` …),
   and the few that match relationships alone leave out those of ``Staged`` and ``Retired``
   nodes (:mod:`ccm_graph.queries`). The values are checked as the rows are made, as in a plain
   load; a problem stops the load before the switch.
2. **The switch**, one transaction of label changes only (no property is written but the
   ``_staged`` removed): the records stored so far become ``Retired`` (they lose their record
   labels), the staged nodes get theirs, the ``:DatasetInfo`` node is replaced, and the
   caller's ``prepare`` and ``finish`` run (the sync checks, the change record). Readers see
   the old data before it and the new data after it, never a mix.
3. The ``Retired`` records are deleted in small transactions.

One ``:LoadStage`` node marks the load: its id, its state (``writing``, ``failed``,
``switched``), when it started and when it last wrote (``beat``). A load — staged or not —
that finds a stage first removes what an interrupted load left (its staged records before the
switch, the retired ones after it) and says so; a stage that wrote within the last
:data:`STALE_AFTER` seconds and did not fail is taken for a load still running, and the new
load is refused instead.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import neo4j
from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..errors import (
    ConcurrentChange,
    DataError,
    Problem,
    QueryError,
    StoreUnavailable,
    TransactionTooLarge,
)
from ..queries import (
    DATASET_INFO_ID,
    count_nodes_query,
    info_upsert_query,
    stage_beat_query,
    stage_delete_nodes_query,
    stage_delete_relationships_query,
    stage_marker_create_query,
    stage_marker_delete_query,
    stage_markers_query,
    stage_state_query,
    stage_switch_queries,
)
from ..schema import Label
from .batches import UNWRITTEN, RowBuilder
from .database import Neo4jDatabase, not_waiting
from .driver_errors import neo4j_message, out_of_memory, unavailable
from .stage_writers import (
    NODE_QUERIES,
    STAGED_TRANSACTION_ROWS,
    STAGED_WRITERS,
    StageLost,
    StageWriters,
    to_elements,
)

__all__ = [
    "LEFTOVERS_BATCH",
    "STAGED_TRANSACTION_ROWS",
    "STAGED_WRITERS",
    "STALE_AFTER",
    "StageWriters",
    "clean_abandoned_stage",
    "load_staged",
]

STALE_AFTER = 300.0
"""Seconds after its last write when a stage that did not say it failed counts as abandoned
(its process was killed or lost its connection): a batch or the switch never takes that long."""

LEFTOVERS_BATCH = 5000
"""Relationships (then nodes) deleted per transaction when a stage's leftovers are removed."""


def clean_abandoned_stage(db: Neo4jDatabase, *, stale_after: float = STALE_AFTER) -> str | None:
    """Remove what an interrupted staged load left, before a load starts; what was removed,
    in one sentence for the user (``None`` when there was nothing).

    :raises QueryError: a staged load is still writing (it wrote less than ``stale_after``
        seconds ago and did not fail).
    """
    [found] = db.read_transaction(lambda tx: db.run_in(tx, stage_markers_query()))
    staged, retired, markers = int(found["staged"]), int(found["retired"]), found["markers"]
    if not (staged or retired or markers):
        return None
    now = time.time()
    for marker in markers:
        beat = marker.get("beat")
        running = marker.get("state") in ("writing", "switched")
        if running and isinstance(beat, int | float) and now - beat < stale_after:
            raise QueryError(
                f"a staged load ({marker.get('id')}, started {marker.get('started')}) is "
                f"still writing to this database (it last wrote {now - beat:.0f} s ago); "
                f"wait for it to finish (after {stale_after:.0f} s without a write it counts as "
                "abandoned and the next load removes it)"
            )
    _delete_leftovers(db, Label.STAGED)
    _delete_leftovers(db, Label.RETIRED)
    db.write_transaction(lambda tx: db.run_in(tx, stage_marker_delete_query(), id=None))
    loads = ", ".join(
        f"{m.get('id')} (started {m.get('started')}, {m.get('state')})" for m in markers
    )
    what = []
    if staged:
        what.append(f"{staged} staged records that never became visible")
    if retired:
        what.append(f"{retired} records it had replaced")
    return (
        f"Removed what an interrupted staged load left{f' — {loads}' if loads else ''}: "
        + (" and ".join(what) if what else "its marker")
        + "."
    )


def load_staged(
    db: Neo4jDatabase,
    rows: RowBuilder,
    found: list[Problem],
    *,
    info_props: dict[str, Any],
    progress: Callable[[int], None] | None = None,
    prepare: Callable[[neo4j.ManagedTransaction], None] | None = None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None = None,
    writers: int | None = None,
    transaction_rows: int | None = None,
    nodes: int | None = None,
    total: int | None = None,
    replace: bool = True,
    consistency: Callable[[], list[Problem]] | None = None,
) -> None:
    """Write the batches of ``rows`` (made by :func:`~ccm_graph.store.batches.load_batches`
    with ``staged``) as a staged load that replaces every ccm-graph record of ``db`` (see the
    module), after :func:`clean_abandoned_stage` and with the schema applied; the checks
    that make the rows append what they find to ``found``. The caller closes ``rows``.

    Without ``replace`` (a load into a database that was empty) the switch refuses when
    records were written meanwhile (:class:`~ccm_graph.errors.ConcurrentChange`) instead of
    retiring them.

    ``writers`` (default :data:`STAGED_WRITERS`) transactions of about ``transaction_rows``
    rows each (default :data:`STAGED_TRANSACTION_ROWS`) are written at once
    (:class:`StageWriters`); ``nodes``, how many record nodes the rows make, lets the writers
    share them evenly, and ``total``, how many rows there are in all, lets them finish
    together. ``consistency``, the checks across records when the rows leave them out, runs
    beside the switch, in a thread of its own, and the switch commits only if it finds
    nothing (before the switch, the checks took a core from Neo4j while it wrote the last
    transactions; the switch, one transaction, uses one of Neo4j's). ``progress`` is called,
    in this thread, with the number of rows of each batch once its transaction is committed
    (still invisible). ``prepare(tx)`` runs first and ``finish(tx)`` last in the switch's
    transaction. On any failure before the switch nothing becomes visible; the staged records
    of a load refused by the checks are removed at once, those of an interrupted one by the
    next load.

    :raises DataError: if the dataset is inconsistent (nothing becomes visible).
    :raises TransactionTooLarge: if one row, or the switch, is more than Neo4j lets one
        transaction hold.
    """
    if consistency is not None and total is None:
        raise ValueError("a staged load that checks across records at its switch needs total")
    load_id = _begin_stage(db)
    stage = StageWriters(
        db,
        load_id,
        writers=writers or STAGED_WRITERS,
        transaction_rows=transaction_rows or STAGED_TRANSACTION_ROWS,
        nodes=nodes,
        total=total,
    )
    try:
        made = _write_rows(stage, rows, progress if progress is not None else _ignore)
        if found:  # the rows stopped at the first problem: say them all
            raise DataError(list(found) + (consistency() if consistency is not None else []))
        across = None
        if consistency is not None and total is not None:  # (consistency needs total: above)
            across = _complete(consistency, made, total)
        retired = _switch(db, load_id, info_props, prepare, finish, replace=replace,
                          consistency=across)  # fmt: skip
    except (DataError, ConcurrentChange):
        stage.close()
        _abandon(db, load_id, remove=True)
        raise
    except StoreUnavailable:  # Neo4j does not answer: the next load finds the stage stale
        stage.close()
        raise
    except BaseException:
        stage.close()
        _abandon(db, load_id, remove=False)
        raise
    finally:
        stage.close()
    # the new data is visible; the records it replaced are not: delete them, then the marker
    if retired:
        _delete_leftovers(db, Label.RETIRED, load_id=load_id)
    db.write_transaction(lambda tx: db.run_in(tx, stage_marker_delete_query(), id=load_id))


def _begin_stage(db: Neo4jDatabase) -> str:
    """Write the marker of a new staged load, and wait for the schema's indexes; the load's
    id.

    :raises QueryError: another staged load made its marker at the same moment.
    """
    load_id = uuid.uuid4().hex[:12]
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    marker = {"id": load_id, "state": "writing", "started": started, "beat": time.time()}
    created = db.write_transaction(
        lambda tx: db.run_in(tx, stage_marker_create_query(), props=marker)
    )
    if not created:
        raise QueryError("another staged load started at the same moment; run the load again")
    with db.session() as session:  # the indexes the switch fills must be online
        session.run("CALL db.awaitIndexes(300)").consume()
    return load_id


def _write_rows(stage: StageWriters, rows: RowBuilder, report: Callable[[int], None]) -> int:
    """Give every batch of ``rows`` to the writers of ``stage``, the relationships once every
    node before them is committed (they find their ends by the nodes' ``elementId``), and
    wait until all are committed; how many rows there were."""
    made = 0
    nodes_written = False
    for query, batch in rows:
        if query not in NODE_QUERIES:  # relationships, between committed staged nodes
            if not nodes_written:
                stage.wait_all(report)
                nodes_written = True
            to_elements(batch, stage.elements)
        stage.write(query, batch, report)
        made += len(batch)
    stage.wait_all(report)
    return made


def _ignore(_rows: int) -> None:
    return None


def _complete(
    consistency: Callable[[], list[Problem]], made: int, total: int
) -> Callable[[], list[Problem]]:
    """``consistency``, which must find a problem when fewer than ``total`` rows were made:
    the rows stop at the first problem, and an incomplete stage must never be switched in."""

    def checked() -> list[Problem]:
        problems = consistency()
        if not problems and made != total:
            raise RuntimeError(f"{UNWRITTEN} ({made} of {total} rows)")
        return problems

    return checked


def _switch(
    db: Neo4jDatabase,
    load_id: str,
    info_props: dict[str, Any],
    prepare: Callable[[neo4j.ManagedTransaction], None] | None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None,
    *,
    replace: bool = True,
    consistency: Callable[[], list[Problem]] | None = None,
) -> int:
    """The one transaction that makes the staged records the data and retires the old ones,
    with ``prepare`` first and ``finish`` last in it (the sync's lock and change record);
    without ``replace``, it refuses if records were stored meanwhile. ``consistency`` runs in
    a thread of its own while Neo4j gives the staged records their labels (the statement is
    done before the driver returns from it); what it finds rolls the switch back. Returns
    how many records it retired.

    :raises DataError: ``consistency`` found problems (nothing became visible).
    :raises ConcurrentChange: without ``replace``, the database holds records.
    :raises TransactionTooLarge: the switch is more than Neo4j lets one transaction hold.
    """
    checks = checking = None
    if consistency is not None:
        checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ccm-graph-checks")
        checking = checks.submit(consistency)

    def switch(tx: neo4j.ManagedTransaction) -> int:
        try:
            _check_marker(db, tx, load_id)
            if prepare is not None:
                prepare(tx)
            if not replace:
                [stored] = db.run_in(tx, count_nodes_query())
                if stored["n"]:
                    raise ConcurrentChange(
                        f"{stored['n']} records were written to the database while this load "
                        "was writing (it held none when the load started); nothing of the load "
                        "became visible and nothing was replaced: load again, with wipe (load "
                        "--wipe) to replace them"
                    )
            retire, relabel = stage_switch_queries()
            [retired] = db.run_in(tx, retire)
            [labels] = db.run_in(tx, relabel)
            if labels["staged"] != labels["labelled"]:
                left = labels["staged"] - labels["labelled"]
                raise RuntimeError(f"{left} staged records got no record label")
            db.run_in(tx, info_upsert_query(), id=DATASET_INFO_ID, props=info_props)
            if checking is not None:
                with not_waiting():  # the client's checks, not a silent server
                    problems = checking.result()
                if problems:
                    raise DataError(problems)
            if finish is not None:
                finish(tx)
            db.run_in(tx, stage_state_query(), id=load_id, state="switched", at=time.time())
            return int(retired["n"])
        except nx4j.Neo4jError as exc:
            if out_of_memory(exc):
                raise TransactionTooLarge(neo4j_message(exc)) from exc
            raise

    try:
        return db.write_transaction(switch)
    except QueryError as exc:
        cause = exc.__cause__
        if isinstance(cause, nx4j.Neo4jError) and out_of_memory(cause):  # at the commit
            raise TransactionTooLarge(str(exc)) from exc
        raise
    finally:
        if checks is not None:
            checks.shutdown(wait=False, cancel_futures=True)


def _check_marker(
    db: Neo4jDatabase, tx: neo4j.ManagedTransaction | neo4j.Transaction, load_id: str
) -> None:
    """Record that the stage is alive; refuse to go on if another load removed or failed it."""
    params = {"id": load_id, "at": time.time()}
    db.trace(stage_beat_query(), params)
    marked = tx.run(stage_beat_query(), params).data()
    if not marked or marked[0]["state"] != "writing":
        raise StageLost(
            f"staged load {load_id} was removed by another load while it was writing; "
            "nothing of it became visible: run the load again"
        )


def _abandon(db: Neo4jDatabase, load_id: str, *, remove: bool) -> None:
    """After a failure before the switch: mark the stage failed, so that the next load removes
    it at once; with ``remove``, remove it now. Best effort: the failure may be the
    connection's, and then the next load finds a stage that stopped writing."""
    try:
        db.write_transaction(
            lambda tx: db.run_in(
                tx, stage_state_query(), id=load_id, state="failed", at=time.time()
            )
        )
        if remove:
            _delete_leftovers(db, Label.STAGED)
            db.write_transaction(lambda tx: db.run_in(tx, stage_marker_delete_query(), id=load_id))
    except Exception:  # the load's own error is the one to report, not this one
        return


def _delete_leftovers(db: Neo4jDatabase, label: Label, *, load_id: str | None = None) -> None:
    """Delete every ``Staged`` or ``Retired`` node (``label``) and its relationships, a few
    thousand per transaction, fewer when Neo4j refuses that many for memory (deleting needs
    more transaction memory than writing: a 32 MiB limit refused 1,000 nodes of 2 KB)."""
    limit = LEFTOVERS_BATCH
    for query in (stage_delete_relationships_query(label), stage_delete_nodes_query(label)):
        while True:
            try:
                with db.session() as session, session.begin_transaction() as tx:
                    db.trace(query, {"limit": limit})
                    [done] = tx.run(query, limit=limit).data()
                    if load_id is not None:
                        tx.run(stage_beat_query(), id=load_id, at=time.time()).consume()
                    tx.commit()
            except nx4j.Neo4jError as exc:
                if not out_of_memory(exc) or limit == 1:
                    raise QueryError(neo4j_message(exc)) from exc
                limit = max(1, limit // 4)
                continue
            except (nx4j.ServiceUnavailable, nx4j.SessionExpired) as exc:
                raise unavailable(exc, ConnectionSettings(uri=db.uri)) from exc
            if done["n"] < limit:
                break
