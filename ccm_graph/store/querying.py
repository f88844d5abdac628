"""Running one Cypher statement for people: ``ccm-graph query`` and the named queries.

:func:`run_query` runs a statement with parameters, read-only unless asked to write (checked
first with :func:`~ccm_graph.store.read_only.read_only_problem`), and gives a
:class:`QueryResult` whose values are plain (JSON-friendly); :class:`RestrictedMarkers`
recognises restricted records in it. Workbench accounts are never shown: a statement or result
that touches one is refused (:mod:`~ccm_graph.store.accounts_guard`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import neo4j

from ..errors import QueryError
from ..queries import CHANGE_LOG_ID, restricted_markers_query, write_lock_query
from .accounts_guard import AccountFragments, plan_account_problem
from .database import Neo4jDatabase, answered
from .read_only import read_only_problem

__all__ = ["QueryResult", "RestrictedMarkers", "read_restricted_markers", "run_query"]

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


def run_query(
    db: Neo4jDatabase,
    cypher: str,
    params: dict[str, Any] | None = None,
    *,
    write: bool = False,
    check_read_only: bool = True,
    on_write: Callable[[neo4j.ManagedTransaction, dict[str, int]], None] | None = None,
) -> QueryResult:
    """Run one Cypher statement on ``db`` (see :meth:`Store.query
    <ccm_graph.store.Store.query>`).

    :raises QueryError: a syntax error, a write in read mode, a failed constraint, a
        statement that is not a plain read, a statement or result that touches a workbench
        account (a write is then rolled back).
    """
    params = dict(params or {})
    params.setdefault("include_restricted", False)

    def explain(tx: neo4j.ManagedTransaction) -> Any:
        db.trace("EXPLAIN " + cypher, params)
        return tx.run("EXPLAIN " + cypher, params).consume()

    if not write:
        summary = db.read_transaction(explain)
        problem = plan_account_problem(summary.plan)
        if problem:
            raise QueryError(problem)
        problem = read_only_problem(summary.query_type, summary.plan) if check_read_only else None
        if problem:
            raise QueryError(f"{problem}; a query without --write may only read")

    def work(tx: neo4j.ManagedTransaction) -> QueryResult:
        if write:  # asked inside the write, which a refusal rolls back before it began
            problem = plan_account_problem(explain(tx).plan)
            if problem:
                raise QueryError(problem)
        if write and on_write is not None:  # a recorded write takes its turn (begin_write)
            db.run_in(tx, write_lock_query(), id=CHANGE_LOG_ID)
        db.trace(cypher, params)
        result = tx.run(cypher, params)
        columns = list(result.keys())
        raw = []
        for record in result:
            raw.append([record[k] for k in columns])
            answered()  # a long stream of rows is not a silent server
        if raw:  # nothing of an account is shown (a write is rolled back)
            found = AccountFragments.read(db, tx).problem(v for values in raw for v in values)
            if found:
                raise QueryError(found)
        rows = [{k: _plain(v) for k, v in zip(columns, values, strict=True)} for values in raw]
        if write and on_write is not None:
            counters = result.consume().counters
            changed = {
                name: int(getattr(counters, name))
                for name in _COUNTER_NAMES
                if getattr(counters, name, 0)
            }
            on_write(tx, changed)
        return QueryResult(columns, rows)

    return db.write_transaction(work) if write else db.read_transaction(work)


def read_restricted_markers(db: Neo4jDatabase) -> RestrictedMarkers:
    """The ids and names of ``db``'s restricted records."""
    rows = db.read_transaction(lambda tx: db.run_in(tx, restricted_markers_query()))
    ids = {str(r["id"]) for r in rows if r["id"] is not None}
    names = {str(r["name"]) for r in rows if r["name"] is not None}
    return RestrictedMarkers(frozenset(ids), frozenset(names))


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
