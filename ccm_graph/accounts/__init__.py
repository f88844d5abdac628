"""Workbench accounts and roles (see :mod:`ccm_graph.accounts.base`)."""

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

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Account",
    "AccountStore",
    "FileAccounts",
    "accounts_file_of",
    "check_name",
    "check_password",
    "check_role",
    "hash_password",
    "needs_rehash",
    "password_matches",
]
