"""Whether a Cypher statement is a plain read, from Neo4j's own plan (``EXPLAIN``).

A ``query`` without ``--write`` runs in a read transaction, which Neo4j refuses to write in;
:func:`read_only_problem` also refuses what a read transaction allows but a read-only query
must not do: ``LOAD CSV``, procedures outside :data:`READ_PROCEDURES`, transaction
administration, cache clearing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["READ_PROCEDURES", "read_only_problem"]


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
