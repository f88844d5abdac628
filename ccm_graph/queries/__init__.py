"""All the Cypher ccm-graph writes by itself, as small builders over the closed schema.

Values always travel as parameters (``$rows``); labels and types only come from
:func:`~ccm_graph.schema.cypher_label` and :func:`~ccm_graph.schema.cypher_rel_type`.
``cypher/schema.cypher`` is generated from :func:`schema_statements` (a test keeps them equal):
``python -m ccm_graph.queries > cypher/schema.cypher``. The staged load's statements are in
:mod:`~ccm_graph.queries.staging`, the coalition workflow's in
:mod:`~ccm_graph.queries.coalitions`, the workbench accounts' in
:mod:`~ccm_graph.queries.accounts`; every name is importable from here.
"""

from __future__ import annotations

from ..schema import (
    ACTOR_KIND_LABELS,
    CCM_NODE_LABELS,
    RELATION_RULES,
    ActorKind,
    Label,
    NodeType,
    RelType,
    cypher_label,
    cypher_rel_type,
)
from .accounts import ACCOUNTS_LOCK_ID, AccountQueries
from .coalitions import CoalitionQueries
from .properties import RELATION_PROPERTY_KEYS, relation_properties_map
from .staging import (
    stage_beat_query,
    stage_delete_nodes_query,
    stage_delete_relationships_query,
    stage_marker_create_query,
    stage_marker_delete_query,
    stage_markers_query,
    stage_state_query,
    stage_state_read_query,
    stage_switch_queries,
    staged_evidence_create_query,
    staged_node_create_query,
    staged_relation_create_query,
)

__all__ = [
    "ACCOUNTS_LOCK_ID",
    "CCM_NODE_LABELS",
    "CHANGE_LOG_ID",
    "DATASET_INFO_ID",
    "RELATION_PROPERTY_KEYS",
    "AccountQueries",
    "CoalitionQueries",
    "change_record_create_query",
    "change_records_query",
    "count_nodes_query",
    "data_state_query",
    "database_names_query",
    "delete_nodes_query",
    "delete_relations_query",
    "derived_create_query",
    "derived_upsert_query",
    "evidence_create_query",
    "evidence_delete_query",
    "evidence_upsert_query",
    "evidence_with_keys_query",
    "has_record_query",
    "info_upsert_query",
    "newest_change_query",
    "node_create_query",
    "node_upsert_query",
    "nodes_with_ids_query",
    "read_evidence_query",
    "read_info_query",
    "read_nodes_query",
    "read_relations_query",
    "read_stamps_query",
    "read_stored_nodes_query",
    "read_stored_relations_query",
    "relation_create_query",
    "relation_properties_map",
    "relation_upsert_query",
    "relations_from_query",
    "relations_with_elements_query",
    "restore_stamps_query",
    "restricted_keys_query",
    "restricted_markers_query",
    "schema_statements",
    "schema_text",
    "stage_beat_query",
    "stage_delete_nodes_query",
    "stage_delete_relationships_query",
    "stage_marker_create_query",
    "stage_marker_delete_query",
    "stage_markers_query",
    "stage_state_query",
    "stage_state_read_query",
    "stage_switch_queries",
    "staged_evidence_create_query",
    "staged_node_create_query",
    "staged_relation_create_query",
    "wipe_query",
    "write_lock_query",
]


def schema_statements() -> list[str]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS`` / ``IF EXISTS``)."""
    statements = [
        f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS "
        f"FOR (n:{cypher_label(label)}) REQUIRE n.id IS UNIQUE"
        for label in CCM_NODE_LABELS
    ]
    statements += [
        # the write lock (write_lock_query): one node, made by whichever write comes first
        f"CREATE CONSTRAINT change_log_id IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.CHANGE_LOG)}) REQUIRE n.id IS UNIQUE",
        f"CREATE INDEX actor_name IF NOT EXISTS FOR (n:{cypher_label(Label.ACTOR)}) ON (n.name)",
        f"CREATE INDEX actor_kind IF NOT EXISTS FOR (n:{cypher_label(Label.ACTOR)}) ON (n.kind)",
        f"CREATE INDEX state_iso3 IF NOT EXISTS FOR (n:{cypher_label(Label.STATE)}) ON (n.iso3)",
        f"CREATE INDEX obligation_deadline IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.OBLIGATION)}) ON (n.deadline)",
        f"CREATE INDEX obligation_article_status IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.OBLIGATION)}) ON (n.article, n.status)",
        f"CREATE INDEX coalition_status IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.COALITION)}) ON (n.status)",
        # the newest change record is the data state (ccm_graph.source): found by this index
        f"CREATE INDEX change_record_at IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.CHANGE_RECORD)}) ON (n.at)",
        # evidence.csv: one node per checked fact, merged on its key; found by its record
        f"CREATE CONSTRAINT evidence_key IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.EVIDENCE)}) REQUIRE n.ev_key IS UNIQUE",
        f"CREATE INDEX evidence_record IF NOT EXISTS "
        f"FOR (n:{cypher_label(Label.EVIDENCE)}) ON (n.record)",
        # the workbench accounts (ccm_graph.accounts.neo4j): one per name; never data
        AccountQueries.constraint,
    ]
    # No index on rel_key: the relationship MERGE binds both ends, and Expand(Into) is the
    # right plan. With a rel_key index Neo4j 5.26 may plan a relationship *index scan* per
    # row instead (seen for FUNDS Actor->Coalition once other FUNDS exist): O(rows x
    # relationships of the type). Databases made by older versions lose the index here.
    statements += [
        f"DROP INDEX {rel_type.value.lower()}_rel_key IF EXISTS" for rel_type in RELATION_RULES
    ]
    # A staged load's relationships find their ends by elementId since 7 December 2026, not
    # by id: the index on the staged nodes' id only cost time to keep up to date.
    statements.append("DROP INDEX staged_id IF EXISTS")
    return statements


def schema_text() -> str:
    """The text of ``cypher/schema.cypher``."""
    header = (
        "// ccm-graph schema: uniqueness constraints and indexes for Neo4j 5.26.\n"
        "// Generated from ccm_graph.queries (schema_statements); applied idempotently by\n"
        "// `ccm-graph load` and by Store.apply_schema(). Regenerate with:\n"
        "//   python -m ccm_graph.queries > cypher/schema.cypher\n"
    )
    return header + "".join(f"{s};\n" for s in schema_statements())


def wipe_query() -> str:
    """Delete every ccm-graph node (and its relationships); other data is left alone."""
    labels = (*CCM_NODE_LABELS, Label.EVIDENCE, Label.DATASET_INFO)
    condition = " OR ".join(f"n:{cypher_label(label)}" for label in labels)
    return f"MATCH (n) WHERE {condition} DETACH DELETE n"


DATASET_INFO_ID = "dataset"


def info_upsert_query() -> str:
    """Replace the one ``:DatasetInfo`` node's properties with ``$props`` (as-of, title …)."""
    return (
        f"MERGE (i:{cypher_label(Label.DATASET_INFO)} {{id: $id}})\nSET i = $props\nSET i.id = $id"
    )


def read_info_query() -> str:
    """The ``:DatasetInfo`` node's properties, if one was loaded."""
    return f"MATCH (i:{cypher_label(Label.DATASET_INFO)} {{id: $id}}) RETURN properties(i) AS props"


def node_upsert_query(node_type: NodeType, kind: ActorKind | None = None) -> str:
    """``UNWIND $rows`` upsert of one node type (and, for actors, one actor kind).

    Each row is ``{"id": ..., "props": {...}}``; ``SET n = row.props`` replaces every
    property, so re-loading a changed row leaves no stale values (a coalition keeps the
    ``created`` and ``updated`` stamps of the coalition workflow). An actor whose kind changed
    loses its old kind label.
    """
    label = cypher_label(node_type)
    query = f"UNWIND $rows AS row\nMERGE (n:{label} {{id: row.id}})\nSET n = row.props"
    if node_type is NodeType.COALITION:
        # the coalition workflow's created/updated stamps live only in Neo4j: keep them
        query = (
            f"UNWIND $rows AS row\nMERGE (n:{label} {{id: row.id}})\n"
            "WITH n, row, n.created AS created, n.updated AS updated\n"
            "SET n = row.props\nSET n.created = created, n.updated = updated"
        )
    if node_type is NodeType.ACTOR:
        if kind is None:
            raise ValueError("actor upserts need an actor kind")
        others = "".join(
            f":{cypher_label(lbl)}" for k, lbl in ACTOR_KIND_LABELS.items() if k is not kind
        )
        query += f"\nREMOVE n{others}\nSET n:{cypher_label(kind)}"
    return query


def node_create_query(node_type: NodeType, kind: ActorKind | None = None) -> str:
    """``UNWIND $rows`` creation of one node type (and, for actors, one actor kind): the
    statement of a load into an empty graph (or one wiped in the same transaction), where
    there is nothing to merge with. Rows as for :func:`node_upsert_query`; the uniqueness
    constraint on ``id`` still refuses, at commit, a node another writer made meanwhile."""
    labels = f":{cypher_label(node_type)}"
    if node_type is NodeType.ACTOR:
        if kind is None:
            raise ValueError("actor creations need an actor kind")
        labels += f":{cypher_label(kind)}"
    return f"UNWIND $rows AS row\nCREATE (n{labels})\nSET n = row.props"


def relation_create_query(rel_type: RelType, from_type: NodeType, to_type: NodeType) -> str:
    """``UNWIND $rows`` creation of one relationship type into an empty graph (see
    :func:`node_create_query`); rows as for :func:`relation_upsert_query`, whose ``props``
    carry the ``rel_key``. A validated dataset has no two relations with one key.

    The properties are given in the ``CREATE`` pattern (:func:`relation_properties_map`),
    not by ``SET r = row.props``: after an ``UNWIND``, Neo4j 5.26 plans that ``SET`` behind an
    ``Eager`` that holds every row of the batch first (docs/performance.md)."""
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{cypher_label(from_type)} {{id: row.from}})\n"
        f"MATCH (b:{cypher_label(to_type)} {{id: row.to}})\n"
        f"CREATE (a)-[r:{cypher_rel_type(rel_type)} {relation_properties_map()}]->(b)"
    )


def derived_create_query(rel_type: RelType) -> str:
    """``UNWIND $rows`` creation of the derived edges (``HAS_OBLIGATION``, ``FOCUSES_ON``)
    into an empty graph (see :func:`derived_upsert_query`)."""
    if rel_type is RelType.HAS_OBLIGATION:
        owner, owned = NodeType.ACTOR, NodeType.OBLIGATION
    elif rel_type is RelType.FOCUSES_ON:
        owner, owned = NodeType.COALITION, NodeType.ACTOR
    else:
        raise ValueError(f"{rel_type} is not a derived relationship type")
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{cypher_label(owner)} {{id: row.from}})\n"
        f"MATCH (b:{cypher_label(owned)} {{id: row.to}})\n"
        f"CREATE (a)-[:{cypher_rel_type(rel_type)}]->(b)"
    )


def relation_upsert_query(rel_type: RelType, from_type: NodeType, to_type: NodeType) -> str:
    """``UNWIND $rows`` upsert of one relationship type between two node types.

    Rows are ``{"from": id, "to": id, "key": rel_key, "props": {...}}``; the relationship is
    merged on ``rel_key`` (a digest of what identifies the fact), so loading twice adds nothing.
    """
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{cypher_label(from_type)} {{id: row.from}})\n"
        f"MATCH (b:{cypher_label(to_type)} {{id: row.to}})\n"
        f"MERGE (a)-[r:{cypher_rel_type(rel_type)} {{rel_key: row.key}}]->(b)\n"
        "SET r = row.props"
    )


def derived_upsert_query(rel_type: RelType) -> str:
    """Upsert the edges derived from a column: ``HAS_OBLIGATION`` (State → Obligation, from
    ``obligations.state``) or ``FOCUSES_ON`` (Coalition → State, from ``coalitions.focus``).

    Rows are ``{"from": id, "to": id}``. Any older edge of the same type from the same source
    record to another node is removed, so a changed ``state`` or ``focus`` moves the edge.
    """
    if rel_type is RelType.HAS_OBLIGATION:
        owner, owned = NodeType.ACTOR, NodeType.OBLIGATION
        match = "MATCH (a:{a} {{id: row.from}})\nMATCH (b:{b} {{id: row.to}})\n"
        stale = "OPTIONAL MATCH (other)-[old:{t}]->(b) WHERE other <> a\n"
    elif rel_type is RelType.FOCUSES_ON:
        owner, owned = NodeType.COALITION, NodeType.ACTOR
        match = "MATCH (a:{a} {{id: row.from}})\nMATCH (b:{b} {{id: row.to}})\n"
        stale = "OPTIONAL MATCH (a)-[old:{t}]->(other) WHERE other <> b\n"
    else:
        raise ValueError(f"{rel_type} is not a derived relationship type")
    t = cypher_rel_type(rel_type)
    return (
        "UNWIND $rows AS row\n"
        + match.format(a=cypher_label(owner), b=cypher_label(owned))
        + f"MERGE (a)-[:{t}]->(b)\n"
        + "WITH a, b\n"
        + stale.format(t=t)
        + "DELETE old"
    )


def evidence_upsert_query() -> str:
    """``UNWIND $rows`` upsert of ``evidence.csv`` rows as ``:Evidence`` nodes.

    Rows are ``{"key": ev_key, "props": {...}}``; the node is merged on ``ev_key`` (a digest
    of record, field and source), and ``SET e = row.props`` replaces every property. An
    evidence node is not joined to its record: it names it in ``record`` (indexed).
    """
    return (
        f"UNWIND $rows AS row\nMERGE (e:{cypher_label(Label.EVIDENCE)} {{ev_key: row.key}})\n"
        "SET e = row.props"
    )


def evidence_create_query() -> str:
    """``UNWIND $rows`` creation of ``:Evidence`` nodes into an empty graph (rows as for
    :func:`evidence_upsert_query`)."""
    return f"UNWIND $rows AS row\nCREATE (e:{cypher_label(Label.EVIDENCE)})\nSET e = row.props"


def read_evidence_query() -> str:
    """Every ``:Evidence`` node's properties, by ``ev_key``."""
    return (
        f"MATCH (e:{cypher_label(Label.EVIDENCE)}) RETURN properties(e) AS props ORDER BY e.ev_key"
    )


def evidence_delete_query() -> str:
    """Delete the ``:Evidence`` nodes whose ``ev_key`` is in ``$keys``."""
    return f"MATCH (e:{cypher_label(Label.EVIDENCE)}) WHERE e.ev_key IN $keys DELETE e"


def read_nodes_query(node_type: NodeType) -> str:
    """All nodes of one type with their properties."""
    return f"MATCH (n:{cypher_label(node_type)}) RETURN properties(n) AS props ORDER BY n.id"


_NOT_STAGED = f"NOT (a:{cypher_label(Label.STAGED)} OR a:{cypher_label(Label.RETIRED)})"
"""Keeps out the relationships of a staged load's records (before its switch) and of the
records it replaced (after it): both ends of such a relationship are ``Staged`` or
``Retired`` nodes. Every read anchored on a record label leaves them out by itself."""


def read_relations_query() -> str:
    """Every relationship of a ``relations.csv`` type with its endpoints' ids."""
    return (
        f"MATCH (a)-[r]->(b) WHERE type(r) IN $types AND {_NOT_STAGED} "
        "RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props"
    )


def has_record_query() -> str:
    """One row when a ccm-graph node has the id ``$id``."""
    condition = " OR ".join(f"n:{cypher_label(label)}" for label in CCM_NODE_LABELS)
    return f"MATCH (n {{id: $id}}) WHERE {condition} RETURN n.id AS id LIMIT 1"


def restricted_markers_query() -> str:
    """Id and name of every restricted actor or coalition, and the endpoints' ids of every
    restricted relationship (name ``null``)."""
    actor, coalition = cypher_label(Label.ACTOR), cypher_label(Label.COALITION)
    return (
        f"MATCH (n) WHERE (n:{actor} OR n:{coalition}) AND n.sensitivity = 'restricted' "
        "RETURN n.id AS id, n.name AS name "
        "UNION "
        f"MATCH (a)-[r]->() WHERE r.sensitivity = 'restricted' AND {_NOT_STAGED} "
        "RETURN r.rel_key AS id, null AS name"
    )


def restricted_keys_query() -> str:
    """What a reader without ``--include-restricted`` may not see, in one row: ``nodes``, the
    ids of restricted actors and coalitions, of the obligations of a restricted State and of
    the coalitions focused on one; ``relations``, the ``rel_key`` of every relationship that
    touches one of them (the rule of ``Dataset.without_restricted``; a relationship marked
    restricted itself says so in its own properties). Index-backed: no scan of relationships."""
    actor, coalition = cypher_label(Label.ACTOR), cypher_label(Label.COALITION)
    obligation = cypher_label(Label.OBLIGATION)
    has, focuses = cypher_rel_type(RelType.HAS_OBLIGATION), cypher_rel_type(RelType.FOCUSES_ON)
    return (
        f"OPTIONAL MATCH (n) WHERE (n:{actor} OR n:{coalition}) AND n.sensitivity = 'restricted' "
        "WITH collect(n.id) AS marked "
        f"OPTIONAL MATCH (s:{actor})-[:{has}|{focuses}]-(o) WHERE s.id IN marked "
        "WITH marked, collect(o.id) AS hanging "
        "WITH marked + hanging AS nodes "
        f"OPTIONAL MATCH (a)-[r]-() WHERE (a:{actor} OR a:{coalition} OR a:{obligation}) "
        "AND a.id IN nodes AND r.rel_key IS NOT NULL "
        "RETURN nodes, collect(DISTINCT r.rel_key) AS relations"
    )


def count_nodes_query() -> str:
    """Number of ccm-graph nodes (actors, obligations, coalitions, activities)."""
    condition = " OR ".join(f"n:{cypher_label(label)}" for label in CCM_NODE_LABELS)
    return f"MATCH (n) WHERE {condition} RETURN count(n) AS n"


# --- sync and history (ccm_graph.sync, ccm_graph.history) -------------------------------------


def database_names_query() -> str:
    """The labels and relationship types in use, so that reads skip those that do not exist
    yet (Neo4j warns about unknown labels, e.g. on an empty database)."""
    return (
        "CALL db.labels() YIELD label WITH collect(label) AS labels "
        "CALL db.relationshipTypes() YIELD relationshipType "
        "RETURN labels, collect(relationshipType) AS types"
    )


def read_stored_nodes_query(node_type: NodeType) -> str:
    """All nodes of one type with every stored property (bookkeeping included)."""
    return f"MATCH (n:{cypher_label(node_type)}) RETURN properties(n) AS props ORDER BY n.id"


def read_stored_relations_query() -> str:
    """Every relationship of a ``relations.csv`` type with its endpoints and its element id
    (valid within the transaction that read it)."""
    return (
        f"MATCH (a)-[r]->(b) WHERE type(r) IN $types AND {_NOT_STAGED} "
        "RETURN a.id AS from, type(r) AS type, b.id AS to, properties(r) AS props, "
        "elementId(r) AS element"
    )


def nodes_with_ids_query(node_type: NodeType) -> str:
    """The nodes of one type whose ids are in ``$ids``, each ``id`` with every stored property
    (bookkeeping included): what a workbench save re-reads under the write lock."""
    return (
        f"MATCH (n:{cypher_label(node_type)}) WHERE n.id IN $ids "
        "RETURN n.id AS id, properties(n) AS props"
    )


def relations_with_elements_query() -> str:
    """The relationships whose element ids are in ``$elements``, with their endpoints' ids,
    type and every stored property (found by element id, without a scan)."""
    return (
        "MATCH (a)-[r]->(b) WHERE elementId(r) IN $elements "
        "RETURN elementId(r) AS element, a.id AS from, type(r) AS type, b.id AS to, "
        "properties(r) AS props"
    )


def relations_from_query(from_type: NodeType) -> str:
    """The ``rel_key`` of each row of ``$rows`` (``{"from", "key"}``) that a relationship from
    the node of type ``from_type`` with id ``from`` already carries (found from that node)."""
    return (
        f"UNWIND $rows AS row MATCH (a:{cypher_label(from_type)} {{id: row.from}})-[r]->() "
        "WHERE r.rel_key = row.key RETURN DISTINCT row.key AS key"
    )


def evidence_with_keys_query() -> str:
    """The ``:Evidence`` nodes whose ``ev_key`` is in ``$keys``, with every stored property."""
    return (
        f"MATCH (e:{cypher_label(Label.EVIDENCE)}) WHERE e.ev_key IN $keys "
        "RETURN e.ev_key AS key, properties(e) AS props"
    )


def delete_nodes_query(node_type: NodeType) -> str:
    """Delete the nodes of one type whose ids are in ``$ids``, with their relationships."""
    return f"MATCH (n:{cypher_label(node_type)}) WHERE n.id IN $ids DETACH DELETE n"


def delete_relations_query() -> str:
    """Delete the relationships whose element ids are in ``$elements``."""
    return "MATCH ()-[r]->() WHERE elementId(r) IN $elements DELETE r"


def read_stamps_query() -> str:
    """Id, ``created`` and ``updated`` of every coalition that has either stamp of the
    coalition workflow (:class:`~ccm_graph.schema.CoalitionStamps`), by id."""
    return (
        f"MATCH (c:{cypher_label(Label.COALITION)}) "
        "WHERE c.created IS NOT NULL OR c.updated IS NOT NULL "
        "RETURN c.id AS id, c.created AS created, c.updated AS updated ORDER BY id"
    )


def restore_stamps_query() -> str:
    """Set the coalition workflow's stamps of the coalitions in ``$rows`` (``{"id",
    "created", "updated"}`` each; ``null`` removes that stamp) exactly as given; the number
    of coalitions found."""
    return (
        f"UNWIND $rows AS row MATCH (c:{cypher_label(Label.COALITION)} {{id: row.id}}) "
        "SET c.created = row.created, c.updated = row.updated RETURN count(c) AS n"
    )


def change_record_create_query() -> str:
    """Append one ``:ChangeRecord`` with the properties ``$props``."""
    return f"CREATE (c:{cypher_label(Label.CHANGE_RECORD)}) SET c = $props"


def change_records_query() -> str:
    """Every change record at or after ``$since`` (an ISO text; ``null`` for all), oldest first."""
    return (
        f"MATCH (c:{cypher_label(Label.CHANGE_RECORD)}) "
        "WHERE $since IS NULL OR c.at >= $since "
        "RETURN properties(c) AS props ORDER BY c.at, c.id"
    )


CHANGE_LOG_ID = "changes"


def write_lock_query() -> str:
    """Take the database's write lock: set a property of the one ``:ChangeLog`` node (made if
    missing; its uniqueness constraint makes two writers find the same one). Neo4j holds a
    node's write lock until the transaction ends, so every ccm-graph write that starts with
    this statement waits for the one before it to commit or roll back, then reads what it
    left. ``writes`` counts the write transactions begun that way (rolled-back ones leave no
    trace)."""
    return (
        f"MERGE (l:{cypher_label(Label.CHANGE_LOG)} {{id: $id}}) "
        "SET l.writes = coalesce(l.writes, 0) + 1"
    )


def newest_change_query() -> str:
    """The newest change record's properties (none when there is no history), found by the
    ``change_record_at`` index read in descending order."""
    return (
        f"MATCH (c:{cypher_label(Label.CHANGE_RECORD)}) WHERE c.at IS NOT NULL "
        "RETURN properties(c) AS props ORDER BY c.at DESC LIMIT 1"
    )


def data_state_query() -> str:
    """The database's data state in one small read (:mod:`ccm_graph.source`): the newest
    change record's id and time, and the numbers of nodes and relationships.

    Each part is planned to cost the same on 100 records as on a million: the counts come from
    Neo4j's count store, the newest change record from the ``change_record_at`` index read in
    descending order (no sort).
    """
    return (
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
        f"CALL () {{ OPTIONAL MATCH (c:{cypher_label(Label.CHANGE_RECORD)}) "
        "WHERE c.at IS NOT NULL WITH c ORDER BY c.at DESC LIMIT 1 "
        "RETURN c.id AS change, c.at AS at } "
        "RETURN change, at, nodes, relationships"
    )
