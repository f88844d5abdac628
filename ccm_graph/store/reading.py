"""Reading what Neo4j holds back into a Dataset, through the same value rules as a seed file.

:func:`read_stored_dataset` reads every ccm-graph record in one read transaction;
:func:`dataset_from_properties` makes the Dataset from stored property maps (also used by the
sync, which reads them itself); :func:`count_stored_nodes` says whether the database holds any.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import neo4j

from ..dataset import Dataset, check_values
from ..errors import DataError, Problem
from ..metadata import info_from_json
from ..queries import (
    DATASET_INFO_ID,
    count_nodes_query,
    read_info_query,
    read_nodes_query,
    read_relations_query,
)
from ..schema import (
    NODE_TABLES,
    RELATION_RULES,
    Activity,
    Actor,
    Coalition,
    NodeType,
    Obligation,
    Relation,
)
from .database import Neo4jDatabase

__all__ = ["count_stored_nodes", "dataset_from_properties", "read_stored_dataset"]

_RECORD_TYPES: dict[NodeType, type] = {
    NodeType.ACTOR: Actor,
    NodeType.OBLIGATION: Obligation,
    NodeType.COALITION: Coalition,
    NodeType.ACTIVITY: Activity,
}


def read_stored_dataset(db: Neo4jDatabase) -> Dataset:
    """Every ccm-graph record of ``db`` in a :class:`Dataset` (see
    :meth:`Store.read_dataset <ccm_graph.store.Store.read_dataset>`).

    :raises DataError: if what is stored breaks the data model.
    """

    def work(
        tx: neo4j.ManagedTransaction,
    ) -> tuple[dict[NodeType, list[dict]], list[dict], list[dict]]:
        nodes = {
            node_type: [r["props"] for r in db.run_in(tx, read_nodes_query(node_type))]
            for node_type in _RECORD_TYPES
        }
        rels = db.run_in(tx, read_relations_query(), types=[t.value for t in RELATION_RULES])
        info = db.run_in(tx, read_info_query(), id=DATASET_INFO_ID)
        return nodes, rels, info

    nodes, rels, info_rows = db.read_transaction(work)
    return dataset_from_properties(nodes, rels, info_rows[0]["props"] if info_rows else None)


def count_stored_nodes(db: Neo4jDatabase) -> int:
    """Number of ccm-graph nodes stored in ``db``."""
    rows = db.read_transaction(lambda tx: db.run_in(tx, count_nodes_query()))
    return int(rows[0]["n"])


def dataset_from_properties(
    nodes: dict[NodeType, list[dict[str, Any]]],
    relations: list[dict[str, Any]],
    info_props: dict[str, Any] | None,
) -> Dataset:
    """A :class:`Dataset` from stored properties, checked as :func:`read_stored_dataset` does.

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
