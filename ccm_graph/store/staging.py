"""A staged load: a load too large for one transaction, written in many, switched in one.

A plain load is one transaction, so Neo4j must hold all of it in transaction memory at once
(about 3.9 KiB per row: 50k actors and 500k relations need 2.1 GiB). A staged load
(:meth:`Store.load(..., staged=True) <ccm_graph.store.Store.load>`, ``ccm-graph load --wipe
--staged``) needs no more than one batch:

1. Its records are written batch by batch, each batch committed on its own, as ``Staged``
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
from typing import Any

import neo4j
from neo4j import exceptions as nx4j

from ..connection import ConnectionSettings
from ..dataset import Dataset
from ..errors import DataError, Problem, QueryError, TransactionTooLarge
from ..queries import (
    DATASET_INFO_ID,
    info_upsert_query,
    stage_beat_query,
    stage_delete_nodes_query,
    stage_delete_relationships_query,
    stage_left_query,
    stage_marker_create_query,
    stage_marker_delete_query,
    stage_markers_query,
    stage_state_query,
    stage_switch_queries,
)
from ..schema import Label
from .batches import RowBuilder, load_batches
from .database import Neo4jDatabase
from .driver_errors import neo4j_message, out_of_memory, unavailable

__all__ = ["LEFTOVERS_BATCH", "STALE_AFTER", "clean_abandoned_stage", "load_staged"]

STALE_AFTER = 300.0
"""Seconds after its last write when a stage that did not say it failed counts as abandoned
(its process was killed or lost its connection): a batch or the switch never takes that long."""

LEFTOVERS_BATCH = 5000
"""Relationships (then nodes) deleted per transaction when a stage's leftovers are removed."""


class StageLost(QueryError):
    """Raised when a staged load's marker was removed or changed by another load meanwhile:
    its records are gone or going, nothing of it became visible."""


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
    dataset: Dataset,
    *,
    info_props: dict[str, Any],
    batch_size: int,
    progress: Callable[[int], None] | None = None,
    prepare: Callable[[neo4j.ManagedTransaction], None] | None = None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None = None,
) -> None:
    """Write ``dataset`` as a staged load that replaces every ccm-graph record of ``db`` (see
    the module), after :func:`clean_abandoned_stage` and with the schema applied.

    ``progress`` is called with the number of rows after each batch is committed (still
    invisible). ``prepare(tx)`` runs first and ``finish(tx)`` last in the switch's
    transaction. On any failure before the switch nothing becomes visible; the staged records
    of a load refused by the checks are removed at once, those of an interrupted one by the
    next load.

    :raises DataError: if the dataset is inconsistent (nothing becomes visible).
    :raises TransactionTooLarge: if one row, or the switch, is more than Neo4j lets one
        transaction hold.
    """
    load_id = uuid.uuid4().hex[:12]
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    marker = {"id": load_id, "state": "writing", "started": started, "beat": time.time()}
    created = db.write_transaction(
        lambda tx: db.run_in(tx, stage_marker_create_query(), props=marker)
    )
    if not created:
        raise QueryError("another staged load started at the same moment; run the load again")
    with db.session() as session:  # the staged nodes' id index must be online
        session.run("CALL db.awaitIndexes(300)").consume()
    found: list[Problem] = []
    rows = RowBuilder(
        load_batches(dataset, fresh=True, batch_size=batch_size, problems=found, staged=True)
    )
    try:
        for query, batch in rows:
            _write_batch(db, load_id, query, batch)
            if progress is not None:
                progress(len(batch))
        if found:  # the rows stopped at the first problem: say them all
            raise DataError(list(found))

        _switch(db, load_id, info_props, prepare, finish)
    except DataError:
        _abandon(db, load_id, remove=True)
        raise
    except BaseException:
        _abandon(db, load_id, remove=False)
        raise
    finally:
        rows.close()
    # the new data is visible; the records it replaced are not: delete them, then the marker
    _delete_leftovers(db, Label.RETIRED, load_id=load_id)
    db.write_transaction(lambda tx: db.run_in(tx, stage_marker_delete_query(), id=load_id))


def _switch(
    db: Neo4jDatabase,
    load_id: str,
    info_props: dict[str, Any],
    prepare: Callable[[neo4j.ManagedTransaction], None] | None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None,
) -> None:
    """The one transaction that makes the staged records the data and retires the old ones,
    with ``prepare`` first and ``finish`` last in it (the sync's lock and change record).

    :raises TransactionTooLarge: the switch is more than Neo4j lets one transaction hold.
    """

    def switch(tx: neo4j.ManagedTransaction) -> None:
        try:
            _check_marker(db, tx, load_id)
            if prepare is not None:
                prepare(tx)
            for statement in stage_switch_queries():
                db.run_in(tx, statement)
            [left] = db.run_in(tx, stage_left_query())
            if left["n"]:
                raise RuntimeError(f"{left['n']} staged records got no record label")
            db.run_in(tx, info_upsert_query(), id=DATASET_INFO_ID, props=info_props)
            if finish is not None:
                finish(tx)
            db.run_in(tx, stage_state_query(), id=load_id, state="switched", at=time.time())
        except nx4j.Neo4jError as exc:
            if out_of_memory(exc):
                raise TransactionTooLarge(neo4j_message(exc)) from exc
            raise

    try:
        db.write_transaction(switch)
    except QueryError as exc:
        cause = exc.__cause__
        if isinstance(cause, nx4j.Neo4jError) and out_of_memory(cause):  # at the commit
            raise TransactionTooLarge(str(exc)) from exc
        raise


def _write_batch(db: Neo4jDatabase, load_id: str, query: str, rows: list[dict[str, Any]]) -> None:
    """Write one batch of staged rows in its own transaction, with the stage's beat; a batch
    Neo4j refuses for memory (while writing or at the commit) is written in two halves.

    An explicit transaction, not a managed one: the driver would retry a refusal for memory
    as a "transient" error for 30 s before giving up."""
    try:
        with db.session() as session, session.begin_transaction() as tx:
            db.trace(query, {"rows": None})
            tx.run(query, rows=rows).consume()
            _check_marker(db, tx, load_id)
            tx.commit()
    except nx4j.Neo4jError as exc:
        if not out_of_memory(exc):
            raise QueryError(neo4j_message(exc)) from exc
        if len(rows) < 2:
            raise TransactionTooLarge(neo4j_message(exc)) from exc
        half = len(rows) // 2
        _write_batch(db, load_id, query, rows[:half])
        _write_batch(db, load_id, query, rows[half:])
    except (nx4j.ServiceUnavailable, nx4j.SessionExpired) as exc:
        raise unavailable(exc, ConnectionSettings(uri=db.uri)) from exc


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
