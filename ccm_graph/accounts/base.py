"""Workbench accounts: who may sign in, with which role, and how a password is checked.

An account is a name, a role (:data:`~ccm_graph.vocabularies.ACCOUNT_ROLES`) and a password
hash made with argon2id (a memory-hard function, through ``argon2-cffi``). The password
itself is never stored, printed or logged; :class:`Account` does not even carry the hash.

Where the accounts live is an :class:`AccountStore`: in the Neo4j database the workbench
serves, or in a file beside the seed folder for the embedded default
(:func:`~ccm_graph.accounts.accounts_for`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..errors import DataError, Problem
from ..vocabularies import ACCOUNT_ROLES

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Account",
    "AccountStore",
    "check_name",
    "check_password",
    "check_role",
    "hash_password",
    "name_taken",
    "needs_rehash",
    "no_account",
    "now_stamp",
    "password_matches",
    "refuse_last_admin",
]

MIN_PASSWORD_LENGTH = 12
"""The shortest password accepted (characters)."""

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()  # argon2id, the library's current recommended parameters


@dataclass(frozen=True)
class Account:
    """One account as anyone may see it: never its password or hash.

    :ivar name: the sign-in name (lower case letters, digits, ``.``, ``_``, ``-``).
    :ivar role: ``viewer``, ``editor``, ``confidential`` or ``admin``.
    :ivar created: when it was added (UTC, ISO 8601).
    :ivar password_changed: when its password was last set (UTC, ISO 8601).
    """

    name: str
    role: str
    created: str
    password_changed: str


class AccountStore(Protocol):
    """Where accounts are kept. Every method that writes checks its input first
    (:func:`check_name`, :func:`check_role`, :func:`check_password`) and writes nothing when
    a check fails (:class:`~ccm_graph.errors.DataError` naming the field)."""

    def list(self) -> list[Account]:
        """Every account, by name."""
        ...

    def get(self, name: str) -> Account | None:
        """The account ``name``, or ``None``."""
        ...

    def add(self, name: str, role: str, password: str) -> Account:
        """A new account; :class:`DataError` if the name is taken."""
        ...

    def remove(self, name: str) -> None:
        """Remove ``name``; :class:`DataError` if unknown or the last admin."""
        ...

    def set_password(self, name: str, password: str) -> None:
        """A new password for ``name``; :class:`DataError` if unknown."""
        ...

    def set_role(self, name: str, role: str) -> Account:
        """A new role for ``name``; :class:`DataError` if unknown or the last admin would
        go."""
        ...

    def verify(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password, else ``None`` (an unknown name
        costs the same time as a wrong password, so the answer's speed does not tell which
        names exist). Rehashes a hash made with older parameters."""
        ...


def check_name(name: str) -> str:
    """``name`` folded to lower case, or :class:`DataError` (``name: …``)."""
    folded = unicodedata.normalize("NFKC", name or "").strip().lower()
    if not _NAME.match(folded):
        raise DataError([Problem("name", None, (
            f"{name!r} is not an account name: use 1 to 64 lower case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit"))])  # fmt: skip
    return folded


def check_role(role: str) -> str:
    """``role`` if it is one of :data:`~ccm_graph.vocabularies.ACCOUNT_ROLES`."""
    if role not in ACCOUNT_ROLES:
        allowed = ", ".join(ACCOUNT_ROLES)
        raise DataError([Problem("role", None, f"{role!r} is not one of {allowed}")])
    return role


def check_password(password: str, name: str) -> str:
    """``password`` if it is long enough and not the account's name; the message never
    repeats the password."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        needed = f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
        raise DataError([Problem("password", None, needed)])
    if password.strip().lower() == name.lower():
        raise DataError([Problem("password", None, "a password cannot be the account's name")])
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted: two calls give two hashes)."""
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; with no hash (an unknown account) a
    dummy hash is checked, so that both answers take the same time."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with other parameters than today's."""
    return _HASHER.check_needs_rehash(stored_hash)


def now_stamp() -> str:
    """The time now as an account stamps it (``created``, ``password_changed``): UTC,
    ISO 8601, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def no_account(name: str) -> DataError:
    """The refusal for an account ``name`` that does not exist (every store words it so)."""
    return DataError([Problem("name", None, f"there is no account {name!r}")])


def name_taken(name: str) -> DataError:
    """The refusal for a new account whose ``name`` another account has."""
    return DataError([Problem("name", None, f"the account {name!r} exists already")])


def refuse_last_admin(account: Account, new_role: str | None, admins: int) -> None:
    """Refuse removing the last admin (``new_role`` ``None``), or giving it another role.

    ``admins`` is the number of admin accounts before the change. Nothing is refused when
    ``account`` is not an admin (so a store that had no admin yet can be changed freely), or
    stays one.

    :raises DataError: ``name: '…' is the last admin …`` (nothing is written).
    """
    if account.role != "admin" or new_role == "admin" or admins > 1:
        return
    what = "removed" if new_role is None else "given another role"
    raise DataError([Problem("name", None, (
        f"{account.name!r} is the last admin and cannot be {what}: make another account "
        "admin first"))])  # fmt: skip


_DUMMY = _HASHER.hash("not a password of any account")
