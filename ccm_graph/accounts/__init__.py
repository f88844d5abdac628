"""Workbench accounts and roles (see :mod:`ccm_graph.accounts.base`).

Where a source's accounts live is :func:`accounts_for`'s answer: in the Neo4j database for a
Neo4j source (:class:`Neo4jAccounts`), in a file beside the seed folder or workbook otherwise
(:class:`FileAccounts`). :class:`LoginThrottle` slows password guessing down.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .base import (
    MIN_PASSWORD_LENGTH,
    Account,
    AccountStore,
    check_name,
    check_password,
    check_role,
    hash_password,
    needs_rehash,
    password_matches,
)
from .files import FileAccounts, accounts_file_of
from .neo4j import Neo4jAccounts
from .throttle import LoginThrottle

if TYPE_CHECKING:
    from ..source import DataSource

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Account",
    "AccountStore",
    "FileAccounts",
    "LoginThrottle",
    "Neo4jAccounts",
    "accounts_file_of",
    "accounts_for",
    "check_name",
    "check_password",
    "check_role",
    "hash_password",
    "needs_rehash",
    "password_matches",
]


def accounts_for(source: DataSource, path: str | os.PathLike[str] | None = None) -> AccountStore:
    """The accounts of the workbench served on ``source``.

    ``path`` given (``--accounts FILE``): the accounts file there, whatever the source. Else,
    for a Neo4j source, the ``:Account`` nodes of its database (through the source's open
    store: :meth:`DataSource.close <ccm_graph.source.DataSource.close>` ends them too); for a
    seed folder ``DIR``, the file ``DIR.accounts.json`` beside it; for a workbook ``W.xlsx``,
    ``W.accounts.json`` beside it (:func:`accounts_file_of`). A file is not read until the
    store is used; a Neo4j source's connection is opened here.

    :raises StoreUnavailable: the Neo4j source cannot be reached.
    """
    if path is not None:
        return FileAccounts(path)
    if source.kind == "neo4j":
        return Neo4jAccounts(source.store())
    assert source.path is not None  # a folder or a workbook always has one
    return FileAccounts(accounts_file_of(source.path))
