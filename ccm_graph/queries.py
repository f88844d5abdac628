"""All the Cypher ccm-graph writes by itself, as small builders over the closed schema.

Values always travel as parameters (``$rows``); labels and types only come from
:func:`~ccm_graph.schema.cypher_label` and :func:`~ccm_graph.schema.cypher_rel_type`.
``cypher/schema.cypher`` is generated from :func:`schema_statements` (a test keeps them equal).
"""

from __future__ import annotations

from .schema import (
    ACTOR_KIND_LABELS,
    RELATION_RULES,
    ActorKind,
    Label,
    NodeType,
    RelType,
    cypher_label,
    cypher_rel_type,
)

__all__ = [
    "CCM_NODE_LABELS",
    "DATASET_INFO_ID",
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
    "has_record_query",
    "info_upsert_query",
    "node_create_query",
    "node_upsert_query",
    "read_info_query",
    "read_nodes_query",
    "read_relations_query",
    "read_stamps_query",
    "read_stored_nodes_query",
    "read_stored_relations_query",
    "relation_create_query",
    "relation_upsert_query",
    "restore_stamps_query",
    "restricted_markers_query",
    "schema_statements",
    "schema_text",
    "stage_beat_query",
    "stage_delete_nodes_query",
    "stage_delete_relationships_query",
    "stage_left_query",
    "stage_marker_create_query",
    "stage_marker_delete_query",
    "stage_markers_query",
    "stage_state_query",
    "stage_switch_queries",
    "staged_node_create_query",
    "staged_relation_create_query",
    "wipe_query",
]

CCM_NODE_LABELS = (Label.ACTOR, Label.OBLIGATION, Label.COALITION, Label.ACTIVITY)


def schema_statements() -> list[str]:
    """Constraints and indexes, each idempotent (``IF NOT EXISTS`` / ``IF EXISTS``)."""
    statements = [
        f"CREATE CONSTRAINT {label.value.lower()}_id IF NOT EXISTS "
        f"FOR (n:{cypher_label(label)}) REQUIRE n.id IS UNIQUE"
        for label in CCM_NODE_LABELS
    ]
    statements += [
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
        # a staged load's relationships find their (staged) ends by id
        f"CREATE INDEX staged_id IF NOT EXISTS FOR (n:{cypher_label(Label.STAGED)}) ON (n.id)",
    ]
    # No index on rel_key: the relationship MERGE binds both ends, and Expand(Into) is the
    # right plan. With a rel_key index Neo4j 5.26 may plan a relationship *index scan* per
    # row instead (seen for FUNDS Actor->Coalition once other FUNDS exist): O(rows x
    # relationships of the type). Databases made by older versions lose the index here.
    statements += [
        f"DROP INDEX {rel_type.value.lower()}_rel_key IF EXISTS" for rel_type in RELATION_RULES
    ]
    return statements


def schema_text() -> str:
    """The text of ``cypher/schema.cypher``."""
    header = (
        "// ccm-graph schema: uniqueness constraints and indexes for Neo4j 5.26.\n"
        "// Generated from ccm_graph/queries.py (schema_statements); applied idempotently by\n"
        "// `ccm-graph load` and by Store.apply_schema(). Regenerate with:\n"
        "//   python -m ccm_graph.queries > cypher/schema.cypher\n"
    )
    return header + "".join(f"{s};\n" for s in schema_statements())


def wipe_query() -> str:
    """Delete every ccm-graph node (and its relationships); other data is left alone."""
    labels = (*CCM_NODE_LABELS, Label.DATASET_INFO)
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
    carry the ``rel_key``. A validated dataset has no two relations with one key."""
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{cypher_label(from_type)} {{id: row.from}})\n"
        f"MATCH (b:{cypher_label(to_type)} {{id: row.to}})\n"
        f"CREATE (a)-[r:{cypher_rel_type(rel_type)}]->(b)\n"
        "SET r = row.props"
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


# --- the staged load (ccm_graph.store.staging) ------------------------------------------------

_STAGED = cypher_label(Label.STAGED)
_RETIRED = cypher_label(Label.RETIRED)
_LOAD_STAGE = cypher_label(Label.LOAD_STAGE)


def staged_node_create_query(node_type: NodeType) -> str:
    """``UNWIND $rows`` creation of staged nodes of one node type (rows as for
    :func:`node_create_query`): labelled ``Staged`` only, so no read sees them, with their node
    type in ``_staged`` until :func:`stage_switch_queries` gives them their labels."""
    return (
        f"UNWIND $rows AS row\nCREATE (n:{_STAGED})\n"
        f"SET n = row.props, n._staged = '{node_type.value}'"
    )


def staged_relation_create_query(rel_type: RelType) -> str:
    """``UNWIND $rows`` creation of relationships between staged nodes (rows as for
    :func:`relation_create_query`; ``props`` is absent for the derived edges)."""
    return (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{_STAGED} {{id: row.from}})\n"
        f"MATCH (b:{_STAGED} {{id: row.to}})\n"
        f"CREATE (a)-[r:{cypher_rel_type(rel_type)}]->(b)\n"
        "SET r = coalesce(row.props, {})"
    )


def stage_switch_queries() -> list[str]:
    """The statements of a staged load's switch, in order, all in one transaction: the
    records stored so far become ``Retired`` (they lose their record labels: no read sees them
    any more), then the staged nodes get the labels of their node type (and actor kind) and
    lose ``Staged``."""
    record_labels = [*CCM_NODE_LABELS, *ACTOR_KIND_LABELS.values()]
    condition = " OR ".join(f"n:{cypher_label(label)}" for label in CCM_NODE_LABELS)
    remove = "".join(f":{cypher_label(label)}" for label in record_labels)
    statements = [f"MATCH (n) WHERE {condition}\nSET n:{_RETIRED}\nREMOVE n{remove}"]
    for node_type in NodeType:
        if node_type is NodeType.ACTOR:
            for kind in ActorKind:
                statements.append(
                    f"MATCH (n:{_STAGED}) WHERE n._staged = '{node_type.value}' "
                    f"AND n.kind = '{kind.value}'\n"
                    f"SET n:{cypher_label(node_type)}:{cypher_label(kind)}\n"
                    f"REMOVE n:{_STAGED}, n._staged"
                )
        else:
            statements.append(
                f"MATCH (n:{_STAGED}) WHERE n._staged = '{node_type.value}'\n"
                f"SET n:{cypher_label(node_type)}\nREMOVE n:{_STAGED}, n._staged"
            )
    return statements


def stage_left_query() -> str:
    """How many staged nodes are left (after the switch: must be none)."""
    return f"MATCH (n:{_STAGED}) RETURN count(n) AS n"


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


# --- the coalition workflow (ccm_graph.coalitions) --------------------------------------------

_ACTOR = cypher_label(Label.ACTOR)
_COALITION = cypher_label(Label.COALITION)
_MEMBER_OF = cypher_rel_type(RelType.MEMBER_OF)
_FOCUSES_ON = cypher_rel_type(RelType.FOCUSES_ON)
_VISIBLE = "($include_restricted OR coalesce({v}.sensitivity, 'public') <> 'restricted')"
"""Keeps a restricted node or relationship ``{v}`` out unless ``$include_restricted``."""


class CoalitionQueries:
    """The statements of the coalition workflow; every value is a parameter."""

    actor = f"MATCH (a:{_ACTOR} {{id: $id}}) RETURN a.id AS id, a.name AS name, a.kind AS kind"
    actor_names = (
        f"MATCH (a:{_ACTOR}) WHERE {_VISIBLE.format(v='a')} "
        "RETURN a.id AS id, a.name AS name, a.aliases AS aliases, a.kind AS kind"
    )
    """Every actor that names can resolve to and suggestions may name: restricted ones only
    with ``$include_restricted`` (otherwise only their exact id finds them)."""
    coalition = f"MATCH (c:{_COALITION} {{id: $id}}) RETURN properties(c) AS props"
    coalition_names = (
        f"MATCH (c:{_COALITION}) WHERE {_VISIBLE.format(v='c')} "
        f"OPTIONAL MATCH (c)-[:{_FOCUSES_ON}]->(s) "
        f"WITH c, s WHERE s IS NULL OR {_VISIBLE.format(v='s')} "
        "RETURN c.id AS id, c.name AS name, null AS aliases, 'coalition' AS kind"
    )
    """As ``actor_names``; a coalition focused on a restricted State is restricted too."""
    ids_with_prefix = (
        "MATCH (n) WHERE ("
        + " OR ".join(f"n:{cypher_label(label)}" for label in CCM_NODE_LABELS)
        + ") AND n.id STARTS WITH $prefix RETURN n.id AS id"
    )
    create = (
        f"MATCH (s:{_ACTOR} {{id: $focus}}) CREATE (c:{_COALITION}) SET c = $props "
        f"CREATE (c)-[:{_FOCUSES_ON}]->(s)"
    )
    merge_member = (
        f"MATCH (a:{_ACTOR} {{id: $actor}}), (c:{_COALITION} {{id: $coalition}}) "
        "SET c.updated = $stamp "
        "WITH a, c "
        f"OPTIONAL MATCH (a)-[old:{_MEMBER_OF} {{rel_key: $key}}]->(c) "
        "WITH a, c, old IS NOT NULL AS existed "
        f"MERGE (a)-[r:{_MEMBER_OF} {{rel_key: $key}}]->(c) "
        "ON CREATE SET r = $props "
        "RETURN existed"
    )
    remove_member = (
        f"MATCH (a:{_ACTOR} {{id: $actor}})-[r:{_MEMBER_OF}]->(c:{_COALITION} {{id: $coalition}}) "
        "WHERE $role IS NULL OR r.role = $role "
        "DELETE r RETURN count(*) AS n"
    )
    memberships = (
        f"MATCH (a:{_ACTOR} {{id: $actor}})-[r:{_MEMBER_OF}]->(c:{_COALITION} {{id: $coalition}}) "
        "WHERE $role IS NULL OR r.role = $role "
        "RETURN properties(r) AS props ORDER BY r.rel_key"
    )
    touch = f"MATCH (c:{_COALITION} {{id: $id}}) SET c.updated = $stamp"
    set_status = (
        f"MATCH (c:{_COALITION} {{id: $id}}) SET c.status = $status, c.updated = $stamp "
        "WITH c WHERE $status = 'active' AND c.established IS NULL "
        "SET c.established = $today"
    )
    list_all = (
        f"MATCH (c:{_COALITION}) WHERE ($status IS NULL OR c.status = $status) "
        f"AND {_VISIBLE.format(v='c')} "
        f"OPTIONAL MATCH (c)-[:{_FOCUSES_ON}]->(s) "
        f"WITH c, s WHERE s IS NULL OR {_VISIBLE.format(v='s')} "
        f"OPTIONAL MATCH (m)-[mr:{_MEMBER_OF}]->(c) "
        f"WHERE {_VISIBLE.format(v='m')} AND {_VISIBLE.format(v='mr')} "
        "RETURN c.id AS id, c.name AS name, s.id AS focus, c.status AS status, "
        "count(DISTINCT m) AS members, c.established AS established, "
        "c.created AS created, c.updated AS updated ORDER BY id"
    )
    members = (
        f"MATCH (a:{_ACTOR})-[r:{_MEMBER_OF}]->(:{_COALITION} {{id: $id}}) "
        f"WHERE {_VISIBLE.format(v='a')} AND {_VISIBLE.format(v='r')} "
        "RETURN a.id AS actor, a.name AS name, a.kind AS kind, r.role AS role, "
        "r.since AS since, r.until AS until ORDER BY role, actor"
    )
    restricted = (
        f"MATCH (c:{_COALITION} {{id: $id}}) OPTIONAL MATCH (c)-[:{_FOCUSES_ON}]->(s) "
        "RETURN c.sensitivity = 'restricted' OR coalesce(s.sensitivity, '') = 'restricted' "
        "AS restricted"
    )


if __name__ == "__main__":  # pragma: no cover - regenerates cypher/schema.cypher
    print(schema_text(), end="")
