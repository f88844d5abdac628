"""The Cypher of the coalition workflow (:mod:`ccm_graph.coalitions`)."""

from __future__ import annotations

from ..schema import (
    CCM_NODE_LABELS,
    Label,
    RelType,
    cypher_label,
    cypher_rel_type,
)

_ACTOR = cypher_label(Label.ACTOR)
_COALITION = cypher_label(Label.COALITION)
_MEMBER_OF = cypher_rel_type(RelType.MEMBER_OF)
_FOCUSES_ON = cypher_rel_type(RelType.FOCUSES_ON)
_VISIBLE = "($include_restricted OR coalesce({v}.sensitivity, 'public') <> 'restricted')"
"""Keeps a restricted node or relationship ``{v}`` out unless ``$include_restricted``."""


class CoalitionQueries:
    """The statements of the coalition workflow; every value is a parameter."""

    actor = (
        f"MATCH (a:{_ACTOR} {{id: $id}}) WHERE {_VISIBLE.format(v='a')} "
        "RETURN a.id AS id, a.name AS name, a.kind AS kind"
    )
    """The actor of an exact id; a restricted one only with ``$include_restricted`` (otherwise
    it is answered as an unknown id)."""
    actor_names = (
        f"MATCH (a:{_ACTOR}) WHERE {_VISIBLE.format(v='a')} "
        "RETURN a.id AS id, a.name AS name, a.aliases AS aliases, a.kind AS kind"
    )
    """Every actor that names can resolve to and suggestions may name: restricted ones only
    with ``$include_restricted`` (otherwise only their exact id finds them)."""
    coalition = (
        f"MATCH (c:{_COALITION} {{id: $id}}) WHERE {_VISIBLE.format(v='c')} "
        f"AND NOT EXISTS {{ MATCH (c)-[:{_FOCUSES_ON}]->(s) WHERE NOT {_VISIBLE.format(v='s')} }} "
        "RETURN properties(c) AS props"
    )
    """The coalition of an exact id; a restricted one, or one focused on a restricted State,
    only with ``$include_restricted``."""
    coalition_names = (
        f"MATCH (c:{_COALITION}) WHERE {_VISIBLE.format(v='c')} "
        f"OPTIONAL MATCH (c)-[:{_FOCUSES_ON}]->(s) "
        f"WITH c, s WHERE s IS NULL OR {_VISIBLE.format(v='s')} "
        "RETURN c.id AS id, c.name AS name, null AS aliases, 'coalition' AS kind"
    )
    """As ``actor_names``; a coalition focused on a restricted State is restricted too."""
    time_bound = (
        f"MATCH (s:{_ACTOR} {{id: $id}}) "
        f"OPTIONAL MATCH (s)-[:{cypher_rel_type(RelType.HAS_OBLIGATION)}]->"
        f"(o:{cypher_label(Label.OBLIGATION)}) WHERE o.article IN [3, 4] "
        "RETURN s.ccm_status AS ccm_status, count(o) AS obligations"
    )
    """The State's CCM status and how many Article 3 or 4 obligations it has."""
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
        "WHERE ($role IS NULL OR r.role = $role) "
        "AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') "
        "DELETE r RETURN count(*) AS n"
    )
    memberships = (
        f"MATCH (a:{_ACTOR} {{id: $actor}})-[r:{_MEMBER_OF}]->(c:{_COALITION} {{id: $coalition}}) "
        "WHERE ($role IS NULL OR r.role = $role) "
        "AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') "
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
