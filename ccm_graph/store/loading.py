"""Loading a Dataset into Neo4j: checked, all or nothing, in one write transaction or staged.

:func:`load_dataset` is what :meth:`Store.load <ccm_graph.store.Store.load>` does: check the
dataset (merged with what is stored, when it is merged into data), apply the schema, then
write the batches of :mod:`ccm_graph.store.batches` while the next are made: in one
transaction, or, for a load that creates more than :data:`AUTO_STAGED_ROWS` rows, as a staged
load (:mod:`ccm_graph.store.staging`). Into an empty database the records are created, into
one that holds data merged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import neo4j
from neo4j import exceptions as nx4j

from ..dataset import Dataset, Origin, check_dataset, check_values
from ..errors import DataError, Problem, TransactionTooLarge
from ..metadata import info_to_json
from ..queries import DATASET_INFO_ID, info_upsert_query, schema_statements, wipe_query
from ..schema import NODE_TABLES, TABLES, Evidence, RelType
from .batches import RowBuilder, load_batches
from .database import Neo4jDatabase
from .driver_errors import neo4j_message, out_of_memory
from .reading import count_stored_nodes, read_stored_dataset
from .staging import STALE_AFTER, clean_abandoned_stage, load_staged

__all__ = [
    "AUTO_STAGED_ROWS",
    "BATCH_SIZE",
    "LoadReport",
    "create_schema",
    "load_dataset",
    "load_rows",
    "merge_datasets",
]

BATCH_SIZE = 5000
"""Rows per ``UNWIND`` batch: a one-transaction load sends all its batches in that
transaction, a staged load a few in each of its transactions."""

AUTO_STAGED_ROWS = 50_000
"""A load that creates (into an empty database, or with wipe) more rows than this is staged
unless the caller chooses (:meth:`Store.load <ccm_graph.store.Store.load>`'s ``staged``): it
then needs the transaction memory of a few transactions instead of all of it, and is faster.
Measured on the benchmark's 2-core machine (``docs/performance.md``), staged against one
transaction, medians of 5: 22,480 rows 1.58 s against 1.40 s, 39,340 rows 2.55 s against
2.33 s, 56,200 rows 2.86 s against 2.87 s, 112,400 rows 4.6-5.5 s against 6.0 s."""

STAGED_HINT = (
    "; or load in stages, which needs the memory of a few batches only and replaces what is "
    "stored: ccm-graph load --wipe --staged (Store.load(..., wipe=True, staged=True))"
)
"""Added to the refusal of a load too large for the server's transaction memory."""


@dataclass
class LoadReport:
    """What a load wrote: nodes per node type and relationships per type."""

    nodes: dict[str, int]
    relationships: dict[str, int]
    wiped: bool = False
    staged: bool = False
    cleaned: str | None = None
    """What an interrupted staged load had left and this load removed first, in one sentence."""

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())


def load_rows(dataset: Dataset) -> int:
    """How many rows a load of ``dataset`` writes: its records (evidence included) and the
    derived ``HAS_OBLIGATION`` and ``FOCUSES_ON`` edges."""
    return (
        sum(len(dataset.table(spec)) for spec in TABLES)
        + len(dataset.obligations)
        + len(dataset.coalitions)
    )


def create_schema(db: Neo4jDatabase) -> None:
    """Create the constraints and indexes of ``cypher/schema.cypher`` in ``db`` if missing
    (each in its own auto-commit transaction, as schema changes must be), and drop those it
    drops if present.

    The names in place are read first (in one read transaction), so a load into a database
    that has them sends no schema statement at all: 21 statements, one auto-commit transaction each,
    took about 0.2 s of every load. Each statement is idempotent anyway, so a schema
    changed by someone else meanwhile comes out the same.
    """
    present = {
        str(row["name"])
        for row in db.read_transaction(
            lambda tx: [row for query in SCHEMA_NAMES_QUERIES for row in db.run_in(tx, query)]
        )
    }
    for statement in schema_statements():
        found = _SCHEMA_NAME.match(statement)  # a statement it cannot read is always sent
        if found is None or (found.group(1) == "DROP") == (found.group(2) in present):
            db.run_schema(statement)


SCHEMA_NAMES_QUERIES = ("SHOW INDEXES YIELD name", "SHOW CONSTRAINTS YIELD name")
"""The names of the indexes and constraints in place."""

_SCHEMA_NAME = re.compile(r"^(CREATE|DROP) (?:CONSTRAINT|INDEX) (\w+) IF (?:NOT )?EXISTS\b")


def load_dataset(
    db: Neo4jDatabase,
    dataset: Dataset,
    *,
    wipe: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    prepare: Callable[[neo4j.ManagedTransaction], None] | None = None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None = None,
    staged: bool | None = None,
    stale_after: float = STALE_AFTER,
) -> LoadReport:
    """Write a validated dataset into ``db``, all or nothing (see :meth:`Store.load
    <ccm_graph.store.Store.load>`, which documents the parameters).

    :raises DataError: if the dataset is inconsistent (nothing is written).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    cleaned = clean_abandoned_stage(db, stale_after=stale_after)
    empty = count_stored_nodes(db) == 0
    fresh = wipe or empty
    if staged and not fresh:
        raise ValueError("a staged load replaces what is stored: use it with wipe")
    if staged is None:
        staged = fresh and load_rows(dataset) > AUTO_STAGED_ROWS
    if not empty:
        dataset = _checked_before_writing(db, dataset, merged=not fresh)
    found: list[Problem] = []  # what the checks made along the writing find
    # the checks across records (into an empty database: else they ran before writing) come
    # after the rows, or, in a staged load, while Neo4j makes its switch
    checked = across = None
    if empty and staged:
        checked = Dataset(info=dataset.info, origins=dict(dataset.origins))
        across = partial(check_dataset, checked)
    # the rows are made from here on, in a thread of their own, while the schema is checked
    rows = RowBuilder(load_batches(dataset, fresh=fresh, batch_size=batch_size, problems=found,
                                   consistency=empty and not staged, staged=staged,
                                   checked=checked))  # fmt: skip
    try:
        create_schema(db)
        info_props = {"as_of": dataset.info.as_of, "metadata": info_to_json(dataset.info)}
        if staged:
            nodes = sum(len(dataset.table(spec)) for spec in NODE_TABLES)
            load_staged(db, rows, found, info_props=info_props, progress=progress,
                        prepare=prepare, finish=finish, nodes=nodes, total=load_rows(dataset),
                        replace=wipe, consistency=across)  # fmt: skip
            return _report(dataset, wiped=wipe, staged=True, cleaned=cleaned)
        work = _one_transaction(db, rows, found, info_props=info_props, wipe=wipe,
                                progress=progress, prepare=prepare, finish=finish)  # fmt: skip
        db.write_transaction(work)
    finally:
        rows.close()
    return _report(dataset, wiped=wipe, cleaned=cleaned)


def _one_transaction(
    db: Neo4jDatabase,
    rows: RowBuilder,
    found: list[Problem],
    *,
    info_props: dict[str, Any],
    wipe: bool,
    progress: Callable[[int], None] | None,
    prepare: Callable[[neo4j.ManagedTransaction], None] | None,
    finish: Callable[[neo4j.ManagedTransaction], None] | None,
) -> Callable[[neo4j.ManagedTransaction], None]:
    """The transaction function of a load in one transaction: ``prepare``, the wipe, the
    dataset's description, every batch of ``rows`` (each sent without waiting for the one
    before), ``finish``; rolled back when the checks ``found`` a problem."""

    def work(tx: neo4j.ManagedTransaction) -> None:
        try:
            if prepare is not None:
                prepare(tx)
            if wipe:
                db.run_in(tx, wipe_query())
            db.run_in(tx, info_upsert_query(), id=DATASET_INFO_ID, props=info_props)
            sent: tuple[neo4j.Result, int] | None = None  # the batch Neo4j is writing
            for query, batch in rows:
                db.trace(query, {"rows": None})
                result = tx.run(query, rows=batch)  # sent without waiting for the one before
                if sent is not None:
                    _written(*sent, progress)
                sent = result, len(batch)
            if sent is not None:
                _written(*sent, progress)
            if found:  # the rows stopped at the first problem: roll back, say them all
                raise DataError(list(found))
            if finish is not None:
                finish(tx)
        except nx4j.Neo4jError as exc:
            if out_of_memory(exc):
                # not retried (the driver retries "transient" errors, and this one would
                # fail again after as long): rolled back, and said in one line
                raise TransactionTooLarge(neo4j_message(exc) + STAGED_HINT) from exc
            raise

    return work


def _written(result: neo4j.Result, rows: int, progress: Callable[[int], None] | None) -> None:
    """Wait until Neo4j has written a batch (``result``), then report its ``rows``."""
    result.consume()
    if progress is not None:
        progress(rows)


def _checked_before_writing(db: Neo4jDatabase, dataset: Dataset, *, merged: bool) -> Dataset:
    """``dataset`` through the value rules and the cross-record checks, before a load into a
    database that holds data: a wipe or a merge does not start on data that would be refused.
    When ``merged`` into what is stored, the result must be valid too: one id namespace
    across kinds (an actor and a coalition must not share an id), references, keys.

    :raises DataError: every problem found (nothing is written).
    """
    dataset, problems = check_values(dataset)
    problems += check_dataset(dataset)
    if not problems and merged:
        problems = check_dataset(merge_datasets(read_stored_dataset(db), dataset))
    if problems:
        raise DataError(problems)
    return dataset


def _report(
    dataset: Dataset, *, wiped: bool, staged: bool = False, cleaned: str | None = None
) -> LoadReport:
    """What a load of ``dataset`` wrote: its nodes per node type, its relationships per type
    (the derived ``HAS_OBLIGATION`` and ``FOCUSES_ON`` included), its evidence rows."""
    nodes = {
        spec.node_type.value: len(dataset.table(spec)) for spec in NODE_TABLES if spec.node_type
    }
    rels: dict[str, int] = defaultdict(int)
    rels[RelType.HAS_OBLIGATION.value] = len(dataset.obligations)
    rels[RelType.FOCUSES_ON.value] = len(dataset.coalitions)
    for rel in dataset.relations:
        rels[rel.type] += 1
    if dataset.evidence:
        nodes["evidence"] = len(dataset.evidence)
    return LoadReport(nodes=nodes, relationships=dict(sorted(rels.items())), wiped=wiped,
                      staged=staged, cleaned=cleaned)  # fmt: skip


def merge_datasets(stored: Dataset, loaded: Dataset) -> Dataset:
    """What a load without wipe leaves: ``loaded`` over ``stored``.

    A loaded record replaces the stored record of the same node type and id (a relation: of
    the same key); stored records not replaced stay. Loaded records keep their origins
    (file and line); stored ones are located as ``neo4j``.
    """
    merged = Dataset(info=loaded.info, origins=dict(loaded.origins))
    for spec in (*NODE_TABLES, *(t for t in TABLES if t.node_type is None)):
        new = loaded.table(spec)
        if spec.node_type is None:
            replaced = {r.key for r in new}
            kept = [r for r in stored.table(spec) if r.key not in replaced]
        else:
            replaced = {r.id for r in new}
            kept = [r for r in stored.table(spec) if r.id not in replaced]
        merged.table(spec).extend([*new, *kept])
        for index, record in enumerate(kept, start=len(new)):
            where = "neo4j"  # a node's id is added by the checks; a relation's is not
            if isinstance(record, Evidence):
                where = f"neo4j (evidence {record.record} {record.field})"
            elif spec.node_type is None:
                where = f"neo4j ({record.from_id} {record.type} {record.to_id})"
            merged.origins[(spec.file, index)] = Origin(where)
    return merged
