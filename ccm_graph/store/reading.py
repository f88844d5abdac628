"""Reading what Neo4j holds back into a Dataset, through the same value rules as a seed file.

:func:`read_stored_dataset` reads every ccm-graph record in one read transaction;
:func:`dataset_from_properties` makes the Dataset from stored property maps (also used by the
sync, which reads them itself) and :func:`read_properties` the same without refusing what
breaks the rules (for a snapshot of such a database); :func:`count_stored_nodes` says whether
the database holds any.
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
    database_names_query,
    read_evidence_query,
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
    Evidence,
    Label,
    NodeType,
    Obligation,
    Relation,
)
from .database import Neo4jDatabase

__all__ = [
    "count_stored_nodes",
    "dataset_from_properties",
    "read_properties",
    "read_stored_dataset",
]

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
    ) -> tuple[dict[NodeType, list[dict]], list[dict], list[dict], list[dict]]:
        nodes = {
            node_type: [r["props"] for r in db.run_in(tx, read_nodes_query(node_type))]
            for node_type in _RECORD_TYPES
        }
        rels = db.run_in(tx, read_relations_query(), types=[t.value for t in RELATION_RULES])
        info = db.run_in(tx, read_info_query(), id=DATASET_INFO_ID)
        labels = db.run_in(tx, database_names_query())  # no warning for an unknown label
        evidence = []
        if labels and Label.EVIDENCE.value in labels[0]["labels"]:
            evidence = [r["props"] for r in db.run_in(tx, read_evidence_query())]
        return nodes, rels, info, evidence

    nodes, rels, info_rows, evidence = db.read_transaction(work)
    return dataset_from_properties(
        nodes, rels, info_rows[0]["props"] if info_rows else None, evidence
    )


def count_stored_nodes(db: Neo4jDatabase) -> int:
    """Number of ccm-graph nodes stored in ``db``."""
    rows = db.read_transaction(lambda tx: db.run_in(tx, count_nodes_query()))
    return int(rows[0]["n"])


def dataset_from_properties(
    nodes: dict[NodeType, list[dict[str, Any]]],
    relations: list[dict[str, Any]],
    info_props: dict[str, Any] | None,
    evidence: list[dict[str, Any]] | None = None,
) -> Dataset:
    """A :class:`Dataset` from stored properties, checked as :func:`read_stored_dataset` does.

    ``nodes`` maps each node type to its nodes' property maps; ``relations`` holds rows with
    ``from``, ``type``, ``to`` and ``props``; ``info_props`` the ``:DatasetInfo`` node's
    properties (or ``None``); ``evidence`` the ``:Evidence`` nodes' properties. Properties
    the schema does not know (bookkeeping such as
    ``_loaded``, the coalition stamps, hand-added ones) are ignored.

    :raises DataError: if what is stored breaks the data model.
    """
    dataset, problems = read_properties(nodes, relations, info_props, evidence)
    if problems:
        raise DataError(problems)
    return dataset


def read_properties(
    nodes: dict[NodeType, list[dict[str, Any]]],
    relations: list[dict[str, Any]],
    info_props: dict[str, Any] | None,
    evidence: list[dict[str, Any]] | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Every stored record in a :class:`Dataset`, and what in it breaks the value rules.

    As :func:`dataset_from_properties` (same arguments), but nothing is refused: a value that
    passes the rules is in its canonical form, one that fails is kept as stored (a year
    stored as the text ``'five million'`` stays that text), a required property that is
    missing is ``None``. So what a database holds can always be written out (a snapshot
    before ``load --wipe``) for a person to see and fix, with the problems beside it.
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
            dataset.table(spec).append(_record_from_props(record_type, props))
    for row in sorted(
        relations, key=lambda r: (str(r["from"] or ""), r["type"], str(r["to"] or ""))
    ):
        props = dict(row["props"], from_id=row["from"], to_id=row["to"], type=row["type"])
        dataset.relations.append(_record_from_props(Relation, props))
    for props in evidence or []:
        dataset.evidence.append(_record_from_props(Evidence, props))
    dataset.evidence.sort(key=lambda e: tuple(str(v or "") for v in e.key))
    dataset, value_problems = check_values(dataset, where="neo4j")
    return dataset, problems + value_problems


def _record_from_props(record_type: type, props: dict[str, Any]) -> Any:
    """The record of ``record_type`` with the stored values of its fields; a required field
    with no value is ``None`` (the value rules say it is blank)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(record_type):
        if f.name in props:
            values[f.name] = _from_neo4j(props[f.name])
        elif f.default is dataclasses.MISSING:
            values[f.name] = None
    return record_type(**values)


def _from_neo4j(value: Any) -> Any:
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
