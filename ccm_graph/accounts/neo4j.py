"""Accounts in the Neo4j database the workbench serves: a team's :class:`AccountStore`.

Each account is one ``(:Account {name, role, hash, created, password_changed})`` node, unique
by ``name`` (a constraint made by the schema setup, and before the first write of a
:class:`Neo4jAccounts`). The rules and messages are those of
:class:`~ccm_graph.accounts.FileAccounts`: every input is checked before anything is written,
the last admin is kept, a password is stored only as its argon2id hash.

Account nodes are never data: a load (``--wipe`` and ``--sync`` included) keeps them, and no
export, snapshot, history entry, statistic or reading of the graph holds them; ``ccm-graph
query`` refuses a statement or result that touches one (:mod:`ccm_graph.store.accounts_guard`).
Account changes write no change record and do not wait for a load: they take turns among
themselves (the ``accounts`` write lock), so two admins demoting each other at once still
leave one admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import DataError
from ..queries import ACCOUNTS_LOCK_ID, AccountQueries, write_lock_query
from ..schema import Label
from .base import (
    Account,
    check_name,
    check_password,
    check_role,
    hash_password,
    name_taken,
    needs_rehash,
    no_account,
    now_stamp,
    password_matches,
    refuse_last_admin,
)

if TYPE_CHECKING:
    import neo4j

    from ..store.database import Neo4jDatabase

__all__ = ["Neo4jAccounts"]

T = TypeVar("T")
Rows = list[dict[str, Any]]
"""Rows of a statement (a name the class's own ``list`` method does not hide)."""


class Neo4jAccounts:
    """The accounts kept in the Neo4j database of ``store`` (a
    :class:`~ccm_graph.store.Store`, which the caller keeps open and closes).

    :raises StoreUnavailable: from any method, when Neo4j cannot be reached.
    """

    def __init__(self, store: Neo4jDatabase) -> None:
        self.store = store
        self._constrained = False
        self._label_known = False

    def __repr__(self) -> str:
        return f"Neo4jAccounts({self.store.uri or self.store.database!r})"

    # --- reading ----------------------------------------------------------------------------

    def list(self) -> list[Account]:
        return [_account(row) for row in self._read(AccountQueries.list_all)]

    def get(self, name: str) -> Account | None:
        try:
            folded = check_name(name)
        except DataError:  # not a possible name: no such account
            return None
        rows = self._read(AccountQueries.one, name=folded)
        return _account(rows[0]) if rows else None

    def verify(self, name: str, password: str) -> Account | None:
        try:
            folded = check_name(name)
        except DataError:  # checked against the dummy hash all the same, in the same time
            folded = ""
        rows = self._read(AccountQueries.one, name=folded) if folded else []
        stored = str(rows[0]["props"]["hash"]) if rows and rows[0]["props"].get("hash") else None
        if not password_matches(stored, password) or stored is None:
            return None
        if needs_rehash(stored):
            rehashed = hash_password(password)
            self._write(lambda tx: self._run(tx, AccountQueries.rehash, name=folded, old=stored,
                                             new=rehashed))  # fmt: skip
        return _account(rows[0])

    # --- writing ----------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str) -> Account:
        folded, role = check_name(name), check_role(role)
        check_password(password, folded)
        stamp = now_stamp()
        props = {"name": folded, "role": role, "hash": hash_password(password),
                 "created": stamp, "password_changed": stamp}  # fmt: skip

        def add(tx: neo4j.ManagedTransaction) -> Account:
            if self._run(tx, AccountQueries.one, name=folded):
                raise name_taken(folded)
            self._run(tx, AccountQueries.create, props=props)
            return _account({"props": props})

        return self._write(add)

    def remove(self, name: str) -> None:
        folded = check_name(name)

        def remove(tx: neo4j.ManagedTransaction) -> None:
            account = self._find(tx, folded)
            refuse_last_admin(account, None, self._admins(tx))
            self._run(tx, AccountQueries.delete, name=folded)

        self._write(remove)

    def set_password(self, name: str, password: str) -> None:
        folded = check_name(name)
        check_password(password, folded)
        hashed = hash_password(password)

        def change(tx: neo4j.ManagedTransaction) -> None:
            self._find(tx, folded)
            self._run(tx, AccountQueries.set_password, name=folded, hash=hashed,
                      stamp=now_stamp())  # fmt: skip

        self._write(change)

    def set_role(self, name: str, role: str) -> Account:
        role = check_role(role)
        folded = check_name(name)

        def change(tx: neo4j.ManagedTransaction) -> Account:
            account = self._find(tx, folded)
            refuse_last_admin(account, role, self._admins(tx))
            return _account(self._run(tx, AccountQueries.set_role, name=folded, role=role)[0])

        return self._write(change)

    # --- inside -----------------------------------------------------------------------------

    def _ensure_constraint(self) -> None:
        """The uniqueness constraint on ``name``, made before the first write of this object
        (idempotent; it needs the right to change the schema, as a load does)."""
        if not self._constrained:
            self.store.run_schema(AccountQueries.constraint)
            self._constrained = self._label_known = True

    def _run(self, tx: neo4j.ManagedTransaction, query: str, **params: Any) -> Rows:
        return self.store.run_in(tx, query, **params)

    def _read(self, query: str, **params: Any) -> Rows:
        """Rows of ``query`` in a read transaction; none while the database has never known
        an account (asked once: Neo4j would warn of the unknown label, and a read needs no
        right to change the schema)."""

        def read(tx: neo4j.ManagedTransaction) -> Rows:
            if not self._label_known:
                self._label_known = bool(self._run(tx, AccountQueries.label_known,
                                                   label=Label.ACCOUNT.value))  # fmt: skip
                if not self._label_known:
                    return []
            return self._run(tx, query, **params)

        return self.store.read_transaction(read)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        """``work(tx)`` in one write transaction that first takes the accounts' write lock."""
        self._ensure_constraint()

        def locked(tx: neo4j.ManagedTransaction) -> T:
            self._run(tx, write_lock_query(), id=ACCOUNTS_LOCK_ID)
            return work(tx)

        return self.store.write_transaction(locked)

    def _find(self, tx: neo4j.ManagedTransaction, folded: str) -> Account:
        rows = self._run(tx, AccountQueries.one, name=folded)
        if not rows:
            raise no_account(folded)
        return _account(rows[0])

    def _admins(self, tx: neo4j.ManagedTransaction) -> int:
        return int(self._run(tx, AccountQueries.admins, admin="admin")[0]["n"])


def _account(row: dict[str, Any]) -> Account:
    """The account of a row of :data:`AccountQueries.one` (its hash left behind)."""
    props = row["props"]
    return Account(str(props["name"]), str(props["role"]), str(props.get("created") or ""),
                   str(props.get("password_changed") or ""))  # fmt: skip
