"""The Cypher of the staged load (:mod:`ccm_graph.store.staging`): staged records no read
sees, the switch, and the clean-up of an abandoned stage."""

from __future__ import annotations

from ..schema import (
    ACTOR_KIND_LABELS,
    CCM_NODE_LABELS,
    ActorKind,
    Label,
    NodeType,
    RelType,
    cypher_label,
    cypher_rel_type,
)
from .properties import relation_properties_from_list

_STAGED = cypher_label(Label.STAGED)
_RETIRED = cypher_label(Label.RETIRED)
_LOAD_STAGE = cypher_label(Label.LOAD_STAGE)


def staged_node_create_query(node_type: NodeType) -> str:
    """``UNWIND $rows`` creation of staged nodes of one node type (rows as for
    :func:`node_create_query`): labelled ``Staged`` only, so no read sees them, with their node
    type in ``_staged`` until :func:`stage_switch_queries` gives them their labels. Returns,
    in one record, the rows' ``ids`` and their nodes' ``elements`` (``elementId``) in the same
    order: the relationships between staged nodes are matched by them
    (:func:`staged_relation_create_query`). One record, not one per row: the driver fetches
    records 1,000 at a time, a round trip each, and took twice as long for the nodes."""
    return (
        f"UNWIND $rows AS row\nCREATE (n:{_STAGED})\n"
        f"SET n = row.props, n._staged = '{node_type.value}'\n"
        "RETURN collect(row.id) AS ids, collect(elementId(n)) AS elements"
    )


def staged_evidence_create_query() -> str:
    """``UNWIND $rows`` creation of staged ``evidence.csv`` rows (rows as for
    :func:`~ccm_graph.queries.evidence_upsert_query`): ``Staged`` nodes with ``_staged =
    'evidence'`` until the switch makes them ``:Evidence``."""
    return f"UNWIND $rows AS row\nCREATE (n:{_STAGED})\nSET n = row.props, n._staged = 'evidence'"


def staged_relation_create_query(rel_type: RelType, *, props: bool = True) -> str:
    """``UNWIND $rows`` creation of relationships between staged nodes. Each row is a list:
    the ``elementId`` of its two ends (as :func:`staged_node_create_query` returned them), then,
    with ``props``, the relation's properties in
    :data:`~ccm_graph.queries.RELATION_PROPERTY_KEYS` order
    (:func:`~ccm_graph.store.rows.staged_relation_row`); the derived edges have none.

    Matching the ends by ``elementId`` instead of by ``id`` through an index, and sending lists
    instead of maps, took Neo4j about a third less CPU (docs/performance.md). An end that is no
    longer a staged node matches nothing and creates nothing: the writer compares what was
    created with the rows it sent."""
    properties = f" {relation_properties_from_list()}" if props else ""
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{_STAGED}) WHERE elementId(a) = row[0]\n"
        f"MATCH (b:{_STAGED}) WHERE elementId(b) = row[1]\n"
        f"CREATE (a)-[r:{cypher_rel_type(rel_type)}{properties}]->(b)"
    )


def stage_switch_queries() -> list[str]:
    """The statements of a staged load's switch, in order, all in one transaction: the
    records stored so far become ``Retired`` (they lose their record labels: no read sees them
    any more; it returns how many, ``n``), then, in one pass over the staged nodes, each gets
    the labels of its node type (and actor kind) and loses ``Staged`` and ``_staged``; it
    returns how many nodes were ``staged`` and how many were ``labelled`` (a node whose
    ``_staged`` names no node type keeps its labels, and the switch fails)."""
    record_labels = [*CCM_NODE_LABELS, Label.EVIDENCE, *ACTOR_KIND_LABELS.values()]
    condition = " OR ".join(
        f"n:{cypher_label(label)}" for label in (*CCM_NODE_LABELS, Label.EVIDENCE)
    )
    remove = "".join(f":{cypher_label(label)}" for label in record_labels)
    retire = (
        f"MATCH (n) WHERE {condition}\nSET n:{_RETIRED}\nREMOVE n{remove}\nRETURN count(n) AS n"
    )
    cases: list[tuple[str, str]] = []  # (condition on the staged node, its labels)
    for node_type in NodeType:
        if node_type is NodeType.ACTOR:
            cases += [
                (f"staged = '{node_type.value}' AND kind = '{kind.value}'",
                 f"{cypher_label(node_type)}:{cypher_label(kind)}")
                for kind in ActorKind
            ]  # fmt: skip
        else:
            cases.append((f"staged = '{node_type.value}'", cypher_label(node_type)))
    cases.append(("staged = 'evidence'", cypher_label(Label.EVIDENCE)))
    relabel = "\n".join(
        f"FOREACH (_ IN CASE WHEN {condition} THEN [1] ELSE [] END |\n"
        f"  SET n:{labels} REMOVE n:{_STAGED}, n._staged)"
        for condition, labels in cases
    )
    labelled = " OR ".join(f"({condition})" for condition, _ in cases)
    return [
        retire,
        f"MATCH (n:{_STAGED})\nWITH n, n._staged AS staged, n.kind AS kind\n{relabel}\n"
        f"RETURN count(n) AS staged, count(CASE WHEN {labelled} THEN 1 END) AS labelled",
    ]


def stage_markers_query() -> str:
    """Every ``LoadStage`` marker (``id``, ``state``, ``started``, ``beat``), and how many
    staged and retired nodes there are."""
    return (
        f"CALL () {{ MATCH (n:{_STAGED}) RETURN count(n) AS staged }} "
        f"CALL () {{ MATCH (n:{_RETIRED}) RETURN count(n) AS retired }} "
        f"OPTIONAL MATCH (s:{_LOAD_STAGE}) "
        "RETURN staged, retired, collect(properties(s)) AS markers"
    )


def stage_marker_create_query() -> str:
    """Make the marker of staged load ``$id`` (``$props``), or fail if one exists meanwhile."""
    return (
        f"OPTIONAL MATCH (other:{_LOAD_STAGE}) WITH count(other) AS others "
        f"WHERE others = 0 CREATE (s:{_LOAD_STAGE}) SET s = $props RETURN s.id AS id"
    )


def stage_beat_query() -> str:
    """Record that staged load ``$id`` is still writing (``$at``); its state, or no row."""
    return f"MATCH (s:{_LOAD_STAGE} {{id: $id}}) SET s.beat = $at RETURN s.state AS state"


def stage_state_read_query() -> str:
    """The state of staged load ``$id`` (no row when its marker is gone), read without a lock:
    each staged transaction checks it, so that the writers do not queue for the marker."""
    return f"MATCH (s:{_LOAD_STAGE} {{id: $id}}) RETURN s.state AS state"


def stage_state_query() -> str:
    """Set the state of staged load ``$id`` to ``$state``; its marker's id, or no row."""
    return (
        f"MATCH (s:{_LOAD_STAGE} {{id: $id}}) SET s.state = $state, s.beat = $at RETURN s.id AS id"
    )


def stage_delete_relationships_query(label: Label) -> str:
    """Delete up to ``$limit`` relationships of ``Staged`` or ``Retired`` nodes (``label``);
    how many."""
    if label not in (Label.STAGED, Label.RETIRED):
        raise ValueError(f"{label} is not a label of a staged load's leftovers")
    return (
        f"MATCH (n:{cypher_label(label)})-[r]-() "
        "WITH DISTINCT r LIMIT $limit DELETE r RETURN count(r) AS n"
    )


def stage_delete_nodes_query(label: Label) -> str:
    """Delete up to ``$limit`` ``Staged`` or ``Retired`` nodes (``label``), with what is left
    of their relationships; how many."""
    if label not in (Label.STAGED, Label.RETIRED):
        raise ValueError(f"{label} is not a label of a staged load's leftovers")
    return (
        f"MATCH (n:{cypher_label(label)}) WITH n LIMIT $limit DETACH DELETE n RETURN count(n) AS n"
    )


def stage_marker_delete_query() -> str:
    """Delete the marker of staged load ``$id`` (``null``: every marker)."""
    return f"MATCH (s:{_LOAD_STAGE}) WHERE $id IS NULL OR s.id = $id DELETE s"
