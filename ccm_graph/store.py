"""Neo4j as the store of record: load a Dataset, read it back, run Cypher.

``Store(driver, database=...)`` borrows a driver you own; ``Store.connect(uri, user, password)``
creates one, checks it answers, and closes it when the store is closed. Reads run in
``execute_read``, writes in ``execute_write``, so ``neo4j://`` routing URIs (clusters, Aura)
work unchanged. Every driver failure comes out as a :mod:`ccm_graph.errors` exception.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx4j

from . import __version__
from .bookkeeping import LOADED, content_hash
from .connection import ConnectionSettings
from .dataset import Dataset, Origin, ValueChecker, check_dataset, check_values
from .errors import (
    CommitUnknown,
    DataError,
    Problem,
    QueryError,
    StoreUnavailable,
    TransactionTooLarge,
)
from .metadata import DatasetInfo, info_from_json, info_to_json
from .queries import (
    DATASET_INFO_ID,
    count_nodes_query,
    derived_create_query,
    derived_upsert_query,
    has_record_query,
    info_upsert_query,
    node_create_query,
    node_upsert_query,
    read_info_query,
    read_nodes_query,
    read_relations_query,
    relation_create_query,
    relation_upsert_query,
    restricted_markers_query,
    schema_statements,
    wipe_query,
)
from .schema import (
    NODE_TABLES,
    RELATION_RULES,
    TABLES,
    Activity,
    Actor,
    ActorKind,
    Coalition,
    NodeType,
    Obligation,
    Relation,
    RelType,
)

__all__ = [
    "BATCH_SIZE",
    "READ_PROCEDURES",
    "ConnectionSettings",
    "LoadReport",
    "QueryResult",
    "RestrictedMarkers",
    "Store",
    "dataset_from_properties",
    "merge_datasets",
    "read_only_problem",
    "record_properties",
    "relation_key",
    "relation_properties",
]

T = TypeVar("T")

BATCH_SIZE = 5000
"""Rows per ``UNWIND`` batch; all batches of one load share a single transaction."""

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a server's TCP connection and each answer before saying it is
unreachable."""

CONNECT_DEADLINE = 12.0
"""Seconds :meth:`Store.connect` waits in all for a server to answer, whatever it does (a
frozen process, a socket that accepts and never answers), before giving up."""

RETRY_TIME = 15.0
"""Seconds the driver keeps retrying a transaction that failed transiently (e.g. a deadlock
between two people editing one coalition) before giving up."""

_RECORD_TYPES: dict[NodeType, type] = {
    NodeType.ACTOR: Actor,
    NodeType.OBLIGATION: Obligation,
    NodeType.COALITION: Coalition,
    NodeType.ACTIVITY: Activity,
}


@dataclass
class LoadReport:
    """What a load wrote: nodes per node type and relationships per type."""

    nodes: dict[str, int]
    relationships: dict[str, int]
    wiped: bool = False

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())


_COUNTER_NAMES = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
)


@dataclass
class QueryResult:
    """The columns and rows of a Cypher query, values made plain (JSON-friendly)."""

    columns: list[str]
    rows: list[dict[str, Any]]


def relation_key(relation: Relation) -> str:
    """A stable digest of what identifies a relation row (see :attr:`Relation.key`).

    The nine identifying values are joined with the ASCII unit separator (a blank value is
    NUL, so it never equals the text ``None``) and hashed with SHA-256; 24 hex digits kept.
    """
    text = "\x1f".join(["\x00" if v is None else str(v) for v in relation.key])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class Store:
    """A Neo4j database holding ccm-graph data.

    :param driver: an open ``neo4j.Driver``; the caller keeps ownership unless ``owns_driver``.
    :param database: the database name (always passed, saving a round trip per query).
    :param tracer: called with ``(cypher, parameter_names)`` before each statement.
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

    @classmethod
    def connect(
        cls,
        settings: ConnectionSettings | None = None,
        *,
        tracer: Callable[[str, list[str]], None] | None = None,
    ) -> Store:
        """Open a driver, check the server answers and accepts the credentials.

        :raises StoreUnavailable: unreachable server, refused credentials, unknown database,
            or an invalid URI; within about ``CONNECT_TIMEOUT`` seconds.
        """
        settings = settings or ConnectionSettings.from_env()
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
        store = cls(driver, settings.database, owns_driver=True, tracer=tracer,
                    uri=settings.display_uri)  # fmt: skip

        def check() -> None:
            driver.verify_connectivity()
            with driver.session(database=settings.database) as session:
                session.execute_read(lambda tx: tx.run("RETURN 1").consume())

        try:
            _within(CONNECT_DEADLINE, check)
        except TimeoutError:
            # the check is still blocked inside the driver: leave it to its daemon thread
            raise StoreUnavailable(
                f"Neo4j at {settings.display_uri} did not answer within "
                f"{CONNECT_DEADLINE:.0f} seconds",
                hint="the server may be frozen or overloaded; check that it runs "
                "(scripts/neo4j-local status) or set NEO4J_URI",
            ) from None
        except (nx4j.DriverError, nx4j.Neo4jError, OSError) as exc:
            driver.close()
            raise _unavailable(exc, settings) from exc
        except BaseException:
            driver.close()
            raise
        return store

    def close(self) -> None:
        """Close the driver if this store created it."""
        if self.owns_driver:
            self.driver.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------------

    def _trace(self, query: str, params: dict[str, Any]) -> None:
        if self.tracer is not None:
            self.tracer(query, sorted(params))

    def _session(self) -> neo4j.Session:
        return self.driver.session(database=self.database)

    def _read(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        return self._run(fn, write=False)

    def _write(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        return self._run(fn, write=True)

    def read_transaction(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``fn(tx)`` in a read transaction (retried on transient errors)."""
        return self._read(fn)

    def write_transaction(self, fn: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """Run ``fn(tx)`` in one write transaction: all of it is written or none of it.

        The driver retries ``fn`` on transient errors (deadlocks under concurrent edits), so
        it must be idempotent. Exceptions other than Neo4j's roll back and propagate as is.
        """
        return self._write(fn)

    def _run(self, fn: Callable[[neo4j.ManagedTransaction], T], *, write: bool) -> T:
        try:
            with self._session() as session:
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
            raise _unavailable(exc, ConnectionSettings(uri=self.uri)) from exc
        except nx4j.Neo4jError as exc:
            raise QueryError(_neo4j_message(exc)) from exc

    def _tx_run(
        self, tx: neo4j.ManagedTransaction, query: str, **params: Any
    ) -> list[dict[str, Any]]:
        self._trace(query, params)
        return tx.run(query, params).data()

    def run_in(
        self, tx: neo4j.ManagedTransaction, query: str, **params: Any
    ) -> list[dict[str, Any]]:
        """Run one statement inside ``tx`` (from :meth:`read_transaction` or
        :meth:`write_transaction`), through the tracer; the rows as dicts."""
        return self._tx_run(tx, query, **params)

    # --- schema and data --------------------------------------------------------------------

    def apply_schema(self) -> None:
        """Create the constraints and indexes of ``cypher/schema.cypher`` if missing."""
        for statement in schema_statements():
            self._trace(statement, {})
            try:
                with self._session() as session:
                    session.run(statement).consume()
            except (nx4j.ServiceUnavailable, nx4j.SessionExpired, nx4j.AuthError) as exc:
                raise _unavailable(exc, ConnectionSettings(uri=self.uri)) from exc
            except nx4j.Neo4jError as exc:
                raise QueryError(_neo4j_message(exc)) from exc

    def load(
        self,
        dataset: Dataset,
        *,
        wipe: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[int], None] | None = None,
        prepare: Callable[[neo4j.ManagedTransaction], None] | None = None,
        finish: Callable[[neo4j.ManagedTransaction], None] | None = None,
    ) -> LoadReport:
        """Write a validated dataset, all or nothing, in one write transaction.

        Every value passes the value rules (:mod:`ccm_graph.values`) and the dataset the
        consistency checks (:func:`~ccm_graph.dataset.check_dataset`), as when reading a seed
        folder, before anything is committed. Into a database that holds ccm-graph data,
        nodes are merged on ``id`` and relationships on their key, so loading the same data
        twice changes nothing; the dataset is checked before the transaction starts, merged
        with what is stored (one id namespace across kinds, references, keys). Into an empty
        database (or one ``wipe`` empties in the same transaction) the records are created,
        and checked while they are written: each record just before its row is made, the
        cross-record checks after the last one; a problem rolls the transaction back.
        The dataset's description (``metadata.json``: as-of date, title, forums) is kept on
        one ``:DatasetInfo`` node, replaced by each load. With ``wipe`` every ccm-graph node is
        deleted first, in the same transaction. ``progress`` is called with the number of
        rows after each batch. ``prepare(tx)`` runs first and ``finish(tx)`` last in the same
        transaction (the sync checks and removals, the change record: :mod:`ccm_graph.sync`).
        Every record written carries the load stamp ``_loaded``
        (:mod:`ccm_graph.bookkeeping`).

        :raises DataError: if the dataset is inconsistent (nothing is written).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        empty = self.count_nodes() == 0
        fresh = wipe or empty
        if not empty:
            # a wipe or a merge does not start on data that would be refused
            dataset, problems = check_values(dataset)
            problems += check_dataset(dataset)
            if not problems and not fresh:
                # merged into what is stored, the result must be valid too: one id namespace
                # across kinds (an actor and a coalition must not share an id), references, keys
                problems = check_dataset(merge_datasets(self.read_dataset(), dataset))
            if problems:
                raise DataError(problems)
        self.apply_schema()
        info_props = {"as_of": dataset.info.as_of, "metadata": info_to_json(dataset.info)}
        found: list[Problem] = []  # what the checks made along the writing find
        batches = _load_batches(
            dataset, fresh=fresh, batch_size=batch_size, problems=found, consistency=empty
        )
        rows = _RowBuilder(batches)

        def work(tx: neo4j.ManagedTransaction) -> None:
            try:
                if prepare is not None:
                    prepare(tx)
                if wipe:
                    self._tx_run(tx, wipe_query())
                self._tx_run(tx, info_upsert_query(), id=DATASET_INFO_ID, props=info_props)
                for query, batch in rows:
                    self._trace(query, {"rows": None})
                    tx.run(query, rows=batch).consume()
                    if progress is not None:
                        progress(len(batch))
                if found:  # the rows stopped at the first problem: roll back, say them all
                    raise DataError(list(found))
                if finish is not None:
                    finish(tx)
            except nx4j.Neo4jError as exc:
                if _out_of_memory(exc):
                    # not retried (the driver retries "transient" errors, and this one would
                    # fail again after as long): rolled back, and said in one line
                    raise TransactionTooLarge(_neo4j_message(exc)) from exc
                raise

        try:
            self._write(work)
        finally:
            rows.close()
        nodes = {
            spec.node_type.value: len(dataset.table(spec)) for spec in NODE_TABLES if spec.node_type
        }
        rels: dict[str, int] = defaultdict(int)
        rels[RelType.HAS_OBLIGATION.value] = len(dataset.obligations)
        rels[RelType.FOCUSES_ON.value] = len(dataset.coalitions)
        for rel in dataset.relations:
            rels[rel.type] += 1
        return LoadReport(nodes=nodes, relationships=dict(sorted(rels.items())), wiped=wipe)

    def read_dataset(self) -> Dataset:
        """Read every ccm-graph record back into a :class:`Dataset`.

        Properties the schema does not know (added by hand in Neo4j) are ignored. Every value
        passes the same value rules as a seed file's cells.

        :raises DataError: if what is stored breaks the data model (e.g. a missing ``name``, a
            year stored as text by a hand-written ``query --write``).
        """

        def work(
            tx: neo4j.ManagedTransaction,
        ) -> tuple[dict[NodeType, list[dict]], list[dict], list[dict]]:
            nodes = {
                node_type: [r["props"] for r in self._tx_run(tx, read_nodes_query(node_type))]
                for node_type in _RECORD_TYPES
            }
            rels = self._tx_run(tx, read_relations_query(), types=[t.value for t in RELATION_RULES])
            info = self._tx_run(tx, read_info_query(), id=DATASET_INFO_ID)
            return nodes, rels, info

        nodes, rels, info_rows = self._read(work)
        return dataset_from_properties(nodes, rels, info_rows[0]["props"] if info_rows else None)

    def dataset_info(self) -> DatasetInfo:
        """The metadata stored with the last load (as-of date, title, forum ids); the
        defaults of :class:`~ccm_graph.metadata.DatasetInfo` when nothing was loaded.

        :raises DataError: the stored metadata does not read (edited by hand).
        """
        rows = self._read(lambda tx: self._tx_run(tx, read_info_query(), id=DATASET_INFO_ID))
        if not rows:
            return DatasetInfo()
        info, problems = info_from_json(
            str(rows[0]["props"].get("metadata") or "{}"), "neo4j (DatasetInfo)"
        )
        if problems:
            raise DataError(problems)
        return info

    def has_record(self, record_id: str) -> bool:
        """Whether an actor, obligation, coalition or activity has this id."""
        rows = self._read(lambda tx: self._tx_run(tx, has_record_query(), id=record_id))
        return bool(rows)

    def count_nodes(self) -> int:
        """Number of ccm-graph nodes stored."""
        rows = self._read(lambda tx: self._tx_run(tx, count_nodes_query()))
        return int(rows[0]["n"])

    def query(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        check_read_only: bool = True,
        on_write: Callable[[neo4j.ManagedTransaction, dict[str, int]], None] | None = None,
    ) -> QueryResult:
        """Run one Cypher statement with parameters.

        Read-only unless ``write``: the statement runs in a read transaction, which Neo4j
        refuses to write in, whatever the text says. Before that, with ``check_read_only``,
        Neo4j's planner is asked (``EXPLAIN``) what the statement does, and anything but a
        plain read is refused (see :func:`read_only_problem`): ``LOAD CSV``, procedures
        outside :data:`READ_PROCEDURES`, transaction administration, cache clearing.

        The parameter ``include_restricted`` is always passed (``false`` unless given), so
        queries written with :data:`~ccm_graph.query_library.RESTRICTED_FILTER` keep
        restricted records out by default.

        ``on_write`` (with ``write``) is called inside the same transaction after the statement,
        with its counters (``nodes_created``, ``properties_set`` …): the change history records
        the write there, so the write and its record commit together.

        :raises QueryError: a syntax error, a write in read mode, a failed constraint, a
            statement that is not a plain read.
        """
        params = dict(params or {})
        params.setdefault("include_restricted", False)

        def explain(tx: neo4j.ManagedTransaction) -> Any:
            self._trace("EXPLAIN " + cypher, params)
            return tx.run("EXPLAIN " + cypher, params).consume()

        if not write and check_read_only:
            summary = self._read(explain)
            problem = read_only_problem(summary.query_type, summary.plan)
            if problem:
                raise QueryError(f"{problem}; a query without --write may only read")

        def work(tx: neo4j.ManagedTransaction) -> QueryResult:
            self._trace(cypher, params)
            result = tx.run(cypher, params)
            columns = list(result.keys())
            rows = [{k: _plain(record[k]) for k in columns} for record in result]
            if write and on_write is not None:
                counters = result.consume().counters
                changed = {
                    name: int(getattr(counters, name))
                    for name in _COUNTER_NAMES
                    if getattr(counters, name, 0)
                }
                on_write(tx, changed)
            return QueryResult(columns, rows)

        return self._write(work) if write else self._read(work)

    def restricted_markers(self) -> RestrictedMarkers:
        """The ids and names of restricted records, to recognise them in a query's result."""
        rows = self._read(lambda tx: self._tx_run(tx, restricted_markers_query()))
        ids = {str(r["id"]) for r in rows if r["id"] is not None}
        names = {str(r["name"]) for r in rows if r["name"] is not None}
        return RestrictedMarkers(frozenset(ids), frozenset(names))

    def server_info(self) -> dict[str, str]:
        """Address, agent (e.g. ``Neo4j/5.26.0``) and protocol version of the server."""
        info = self.driver.get_server_info()
        return {
            "address": str(info.address),
            "agent": info.agent,
            "protocol": ".".join(str(p) for p in info.protocol_version),
        }


# --- helpers ---------------------------------------------------------------------------------


READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
    }
)
"""Procedures a read-only ``query`` may call: they only read the graph or its schema."""

_READ_SHOW_OPERATORS = frozenset({"ShowIndexes", "ShowConstraints", "ShowFunctions",
                                  "ShowProcedures"})  # fmt: skip
_REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV makes the server read files or fetch URLs",
    "TransactionApply": "CALL … IN TRANSACTIONS commits on its own",
    "TransactionForeach": "CALL … IN TRANSACTIONS commits on its own",
    "AdministrationCommand": "administration commands change users, roles or databases",
    "SystemProcedureCall": "system procedures administer the server",
}


@dataclass(frozen=True)
class RestrictedMarkers:
    """What identifies restricted records in a query's result: their ids and names."""

    ids: frozenset[str]
    names: frozenset[str]

    def count_in(self, result: QueryResult) -> int:
        """How many rows of ``result`` hold a restricted record: a node or relationship
        marked restricted, or the id or name of a restricted actor or coalition."""
        return sum(1 for row in result.rows if any(self._holds(v) for v in row.values()))

    def _holds(self, value: Any) -> bool:
        if isinstance(value, dict):
            if value.get("sensitivity") == "restricted":
                return True
            return any(self._holds(v) for v in value.values())
        if isinstance(value, list):
            return any(self._holds(v) for v in value)
        if isinstance(value, str):
            return value in self.ids or value in self.names
        return False


def read_only_problem(query_type: str | None, plan: Any) -> str | None:
    """Why a statement is not a plain read, from Neo4j's ``EXPLAIN`` (``None``: it is one).

    ``query_type`` is the summary's ``r``/``rw``/``w``/``s``; ``plan`` the plan tree (dicts
    with ``operatorType``, ``args`` and ``children``, as the driver gives it).
    """
    for operator, details in _plan_operators(plan):
        if operator in _REFUSED_OPERATORS:
            return f"refused: {_REFUSED_OPERATORS[operator]}"
        if operator == "ProcedureCall":
            procedure = details.split("(", 1)[0].strip()
            if procedure not in READ_PROCEDURES:
                return (
                    f"refused: procedure {procedure or '?'} is not one of the read procedures "
                    f"({', '.join(sorted(READ_PROCEDURES))})"
                )
        elif operator.startswith(("Show", "Terminate")) and operator not in _READ_SHOW_OPERATORS:
            return f"refused: {operator} administers the server or other users' transactions"
    if query_type not in ("r", None):
        kinds = {"w": "writes data", "rw": "reads and writes data", "s": "changes the schema"}
        return f"refused: Neo4j says the statement {kinds.get(query_type, 'is not a read')}"
    return None


def _plan_operators(plan: Any) -> Iterator[tuple[str, str]]:
    if plan is None:
        return
    if isinstance(plan, dict):
        operator = str(plan.get("operatorType", "")).split("@", 1)[0]
        details = str((plan.get("args") or {}).get("Details", ""))
        children = plan.get("children") or []
    else:  # a driver ``Plan`` object
        operator = str(getattr(plan, "operator_type", "")).split("@", 1)[0]
        details = str((getattr(plan, "arguments", None) or {}).get("Details", ""))
        children = getattr(plan, "children", []) or []
    yield operator, details
    for child in children:
        yield from _plan_operators(child)


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
            if spec.node_type is None:
                where = f"neo4j ({record.from_id} {record.type} {record.to_id})"
            merged.origins[(spec.file, index)] = Origin(where)
    return merged


def _batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def relation_properties(relation: Relation) -> dict[str, Any]:
    """The properties a ``relations.csv`` row gets on its Neo4j relationship (with ``rel_key``)."""
    props = _props(relation, skip=("from_id", "to_id", "type"))
    props["rel_key"] = relation_key(relation)
    return props


def _props(record: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    # the instance's own dictionary (its fields, in field order), not dataclasses.asdict:
    # asdict deep-copies every value and took ~75% of the row preparation for 110k records
    # (benchmarks/load_benchmark.py, docs/performance.md); vars() is 25% faster than getattr
    # per field
    if skip:
        skipped = frozenset(skip)
        return {k: v for k, v in vars(record).items() if v is not None and k not in skipped}
    return {k: v for k, v in vars(record).items() if v is not None}


def record_properties(record: Any) -> dict[str, Any]:
    """The properties a node record (actor, obligation, coalition, activity) gets in Neo4j."""
    return _props(record)


def _stamped(props: dict[str, Any]) -> dict[str, Any]:
    props[LOADED] = content_hash(props)
    return props


def _node_row(record: Any) -> dict[str, Any]:
    return {"id": record.id, "props": _stamped(_props(record))}


def _relation_row(rel: Relation) -> dict[str, Any]:
    props = _stamped(relation_properties(rel))
    return {"from": rel.from_id, "to": rel.to_id, "key": props["rel_key"], "props": props}


def _load_batches(
    dataset: Dataset,
    *,
    fresh: bool,
    batch_size: int,
    problems: list[Problem],
    consistency: bool = True,
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """The statements of a load and their batches of rows, in write order: nodes (actors
    by kind, then obligations, coalitions, activities), the derived edges, the relations.

    Each record passes the value rules just before its row is made (nothing to do for a
    record that passed them already, e.g. read by the CSV reader), so that in
    :meth:`Store.load` the checks run while Neo4j writes the batches before. What is wrong
    is appended to ``problems``: the rows stop at the first problem (so does a node id that
    is not unique, or a relation that cannot be placed), the checks go on to the last
    record, and ``consistency`` adds :func:`~ccm_graph.dataset.check_dataset` at the end.
    The writer must not commit when ``problems`` is not empty once the batches are done.
    ``fresh``: the graph is empty when they run (or wiped in the same transaction), so they
    create instead of merge — the same result for a valid dataset, without looking up what
    is not there.
    """
    node_query = node_create_query if fresh else node_upsert_query
    derived_query = derived_create_query if fresh else derived_upsert_query
    relation_query = cache(relation_create_query if fresh else relation_upsert_query)
    values = ValueChecker(remember=False)  # the checked records are not kept
    checked = Dataset(info=dataset.info, origins=dict(dataset.origins))
    for spec in NODE_TABLES:
        check = values.checker(spec)
        checked.table(spec).extend(check(record) for record in dataset.table(spec))
    node_types = {record.id: node_type for node_type, record in checked.nodes()}
    writing = not values.problems and len(node_types) == sum(
        len(checked.table(spec)) for spec in NODE_TABLES
    )
    if writing:
        by_kind: dict[ActorKind, list[Actor]] = defaultdict(list)
        for actor in checked.actors:
            by_kind[ActorKind(actor.kind)].append(actor)
        node_groups: list[tuple[str, list[Any]]] = [
            (node_query(NodeType.ACTOR, kind), by_kind[kind]) for kind in ActorKind
        ]
        node_groups += [
            (node_query(spec.node_type), checked.table(spec))
            for spec in NODE_TABLES[1:]
            if spec.node_type is not None
        ]
        for query, records in node_groups:
            for chunk in _batched(records, batch_size):
                yield query, [_node_row(record) for record in chunk]
        for query, edges in (
            (derived_query(RelType.HAS_OBLIGATION), map(_obligation_edge, checked.obligations)),
            (derived_query(RelType.FOCUSES_ON), map(_focus_edge, checked.coalitions)),
        ):
            for batch in _batched(edges, batch_size):
                yield query, batch
    # relations: checked in file order, each row put with those of its statement, a batch
    # sent as soon as it is full
    check = values.checker(TABLES[-1])
    pending: dict[tuple[RelType, NodeType, NodeType], list[dict[str, Any]]] = defaultdict(list)
    for record in dataset.relations:
        rel = check(record)
        checked.relations.append(rel)
        if not writing:
            continue
        group = _relation_group(rel, node_types) if not values.problems else None
        if group is None:  # a problem, said by the checks: no more rows
            writing = False
            continue
        rows = pending[group]
        rows.append(_relation_row(rel))
        if len(rows) >= batch_size:
            yield relation_query(*group), rows
            pending[group] = []
    if writing:
        for group, rows in sorted(pending.items()):
            if rows:
                yield relation_query(*group), rows
    problems += values.problems
    if consistency:
        problems += check_dataset(checked)
    if not writing and not problems:
        raise RuntimeError("a record that passed every check could not be written")


def _relation_group(
    rel: Relation, node_types: dict[str, NodeType]
) -> tuple[RelType, NodeType, NodeType] | None:
    """The statement a relation is written by (its type and its ends' node types), or None
    if its type or an end is unknown."""
    try:
        return RelType(rel.type), node_types[rel.from_id], node_types[rel.to_id]
    except (ValueError, KeyError):
        return None


def _obligation_edge(obligation: Obligation) -> dict[str, Any]:
    return {"from": obligation.state, "to": obligation.id}


def _focus_edge(coalition: Coalition) -> dict[str, Any]:
    return {"from": coalition.id, "to": coalition.focus}


def _load_plan(dataset: Dataset) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(query, rows) pairs of a merging load, one per statement: nodes first, then
    relationships (the naive loader of ``benchmarks/load_benchmark.py``).

    Every row's properties carry the load stamp (``_loaded``, see :mod:`ccm_graph.bookkeeping`).

    :raises DataError: if the dataset is inconsistent.
    """
    problems: list[Problem] = []
    batches = list(_load_batches(dataset, fresh=False, batch_size=sys.maxsize, problems=problems))
    if problems:
        raise DataError(problems)
    yield from batches


class _RowBuilder:
    """The batches of a load, made in a background thread while earlier ones are written.

    Making the rows (checks, properties, ``rel_key``, the load stamp) is Python work on the
    client; writing a batch is mostly waiting for Neo4j. On this project's 2-core machines
    the two overlap: the rows of the next batches are ready when the server answers. The
    batches are kept, so iterating again (the driver retries a transaction that failed
    transiently) gives the same batches without making them twice.
    """

    def __init__(self, batches: Iterable[tuple[str, list[dict[str, Any]]]]) -> None:
        self._source = batches
        self._batches: list[tuple[str, list[dict[str, Any]]]] = []
        self._done = False
        self._stop = False
        self._error: BaseException | None = None
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._build, name="ccm-graph-rows", daemon=True)
        self._thread.start()

    def _build(self) -> None:
        try:
            for item in self._source:
                with self._ready:
                    if self._stop:
                        return
                    self._batches.append(item)
                    self._ready.notify_all()
        except BaseException as exc:  # handed to the writing thread by __iter__
            self._error = exc
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def __iter__(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        index = 0
        while True:
            with self._ready:
                while index >= len(self._batches) and not self._done:
                    self._ready.wait()
                if index < len(self._batches):
                    item = self._batches[index]
                elif self._error is not None:
                    raise self._error
                else:
                    return
            index += 1
            yield item

    def close(self) -> None:
        """Stop making batches (the load failed or is finished) and wait for the thread."""
        with self._ready:
            self._stop = True
        self._thread.join()


def dataset_from_properties(
    nodes: dict[NodeType, list[dict[str, Any]]],
    relations: list[dict[str, Any]],
    info_props: dict[str, Any] | None,
) -> Dataset:
    """A :class:`Dataset` from stored properties, checked as :meth:`Store.read_dataset` does.

    ``nodes`` maps each node type to its nodes' property maps; ``relations`` holds rows with
    ``from``, ``type``, ``to`` and ``props``; ``info_props`` the ``:DatasetInfo`` node's
    properties (or ``None``). Properties the schema does not know (bookkeeping such as
    ``_loaded``, the coalition stamps, hand-added ones) are ignored.

    :raises DataError: if what is stored breaks the data model.
    """
    dataset = Dataset()
    problems: list[Problem] = []
    if info_props is not None:
        dataset.info, info_problems = info_from_json(
            str(info_props.get("metadata") or "{}"), "neo4j (DatasetInfo)"
        )
        problems += info_problems
    for spec in NODE_TABLES:
        assert spec.node_type is not None
        record_type = _RECORD_TYPES[spec.node_type]
        for props in nodes.get(spec.node_type, []):
            dataset.table(spec).append(_record_from_props(record_type, props, problems))
    for row in sorted(relations, key=lambda r: (r["from"] or "", r["type"], r["to"] or "")):
        props = dict(row["props"], from_id=row["from"], to_id=row["to"], type=row["type"])
        dataset.relations.append(_record_from_props(Relation, props, problems))
    if problems:
        raise DataError(problems)
    dataset, problems = check_values(dataset, where="neo4j")
    if problems:
        raise DataError(problems)
    return dataset


def _record_from_props(record_type: type, props: dict[str, Any], problems: list) -> Any:
    from .errors import Problem

    names = {f.name for f in dataclasses.fields(record_type)}
    values = {k: _from_neo4j(v) for k, v in props.items() if k in names}
    try:
        return record_type(**values)
    except TypeError as exc:
        ident = props.get("id") or props.get("from_id") or "?"
        problems.append(Problem("neo4j", None, f"{record_type.__name__} {ident}: {exc}"))
        return None


def _from_neo4j(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _plain(value: Any) -> Any:
    """Make a value from a query result JSON-friendly (nodes, relationships, paths, times)."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {
            "type": value.type,
            "from": value.start_node.get("id") if value.start_node else None,
            "to": value.end_node.get("id") if value.end_node else None,
            **{k: _plain(v) for k, v in value.items()},
        }
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "relationships": [_plain(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _neo4j_message(exc: nx4j.Neo4jError) -> str:
    message = (exc.message or str(exc)).strip().splitlines()[0]
    code = exc.code or ""
    if _out_of_memory(exc):
        return _memory_message(message, code)
    if code.endswith("AccessMode") or "in read access mode" in message:
        return f"{message} (the query wrote data; add --write to allow it)"
    return message


_MEMORY_SETTING = re.compile(r"\b(?:db|dbms)\.memory\.transaction\.(?:total\.)?max\b")
_MEMORY_LIMIT = re.compile(r"limit (?:of )?([0-9.,]+ ?[KMGT]i?B)")


def _out_of_memory(exc: nx4j.Neo4jError) -> bool:
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


def _unavailable(exc: Exception, settings: ConnectionSettings) -> StoreUnavailable:
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
            f"{settings.scrub(_neo4j_message(exc))}",
            hint="check the server log",
        )
    return StoreUnavailable(
        f"cannot reach Neo4j at {settings.display_uri}",
        hint="start it (scripts/neo4j-local start, or docker compose up -d) or set NEO4J_URI",
    )
