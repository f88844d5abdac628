"""The Cypher of the workbench accounts kept in Neo4j (:mod:`ccm_graph.accounts.neo4j`).

An account is one ``(:Account {name, role, hash, created, password_changed})`` node, unique
by ``name`` (the constraint :data:`AccountQueries.constraint`). Account nodes are never data:
no read of records, wipe, export or snapshot names their label.
"""

from __future__ import annotations

from ..schema import Label, cypher_label

__all__ = ["ACCOUNTS_LOCK_ID", "AccountQueries"]

_ACCOUNT = cypher_label(Label.ACCOUNT)

ACCOUNTS_LOCK_ID = "accounts"
"""The ``:ChangeLog`` node account changes lock first (as data writes lock ``changes``), so
two admins changing accounts at once take turns and the last admin is always kept."""

_SHOWN = "RETURN properties(a) AS props"
"""An account's properties, its hash among them: :mod:`ccm_graph.accounts.neo4j` drops the hash
at once where it is not needed. (Naming the properties would make a database that has no
account yet warn of unknown property keys.)"""


class AccountQueries:
    """The statements on accounts; every value is a parameter."""

    constraint = (
        f"CREATE CONSTRAINT account_name IF NOT EXISTS FOR (a:{_ACCOUNT}) REQUIRE a.name IS UNIQUE"
    )
    """One account per name (also part of :func:`~ccm_graph.queries.schema_statements`)."""
    list_all = f"MATCH (a:{_ACCOUNT}) {_SHOWN} ORDER BY a.name"
    """Every account, by name."""
    one = f"MATCH (a:{_ACCOUNT} {{name: $name}}) {_SHOWN}"
    """The account ``$name``."""
    admins = f"MATCH (a:{_ACCOUNT} {{role: $admin}}) RETURN count(a) AS n"
    """How many accounts have the role ``$admin``."""
    create = f"CREATE (a:{_ACCOUNT}) SET a = $props"
    """A new account of the properties ``$props``."""
    delete = f"MATCH (a:{_ACCOUNT} {{name: $name}}) DETACH DELETE a"
    """Remove the account ``$name``."""
    set_password = (
        f"MATCH (a:{_ACCOUNT} {{name: $name}}) SET a.hash = $hash, a.password_changed = $stamp"
    )
    """A new password hash for ``$name``, stamped ``$stamp``."""
    set_role = f"MATCH (a:{_ACCOUNT} {{name: $name}}) SET a.role = $role {_SHOWN}"
    """A new role for ``$name``; the account as it is now."""
    rehash = f"MATCH (a:{_ACCOUNT} {{name: $name}}) WHERE a.hash = $old SET a.hash = $new"
    """Replace ``$name``'s hash ``$old`` by ``$new`` (made with today's parameters), unless its
    password changed meanwhile."""
    label_known = "CALL db.labels() YIELD label WITH label WHERE label = $label RETURN label"
    """One row when the database knows the label ``$label`` (``Account``): before that, a
    query naming it would make Neo4j warn of an unknown label."""
    fragments = f"MATCH (a:{_ACCOUNT}) RETURN elementId(a) AS element, a.hash AS hash"
    """Every account's element id and hash: what a query's result is checked against
    (:mod:`ccm_graph.store.accounts_guard`), never shown."""
