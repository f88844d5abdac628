"""Accounts in a file beside the seed folder: the embedded default's :class:`AccountStore`.

The file is JSON, ``{"accounts": [{"name", "role", "hash", "created", "password_changed"}]}``,
readable by its owner only (mode 0600), written whole through a temporary file and a rename
(a crash leaves the old file). It sits beside the data, never inside the seed folder, so no
snapshot, export or workbook ever carries it. Writes in one process take turns (a lock); the
file is read again on every call, so an account added with ``ccm-graph users`` while the
workbench runs counts at once.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DataError, Problem
from ..files import write_atomically
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

__all__ = ["FileAccounts", "accounts_file_of"]

_LOCK = threading.Lock()


def accounts_file_of(data_path: str | os.PathLike[str]) -> Path:
    """Where the accounts of a seed folder ``DIR`` (or a workbook ``W.xlsx``) are kept:
    ``DIR.accounts.json`` (``W.accounts.json``) beside it."""
    path = Path(data_path).resolve()
    stem = path.stem if path.suffix.lower() == ".xlsx" else path.name
    return path.parent / f"{stem}.accounts.json"


class FileAccounts:
    """The accounts kept in the JSON file ``path`` (missing: no account yet)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FileAccounts({str(self.path)!r})"

    def _rows(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            problem = Problem(str(self.path), None, f"cannot be read: {exc.strerror}")
            raise DataError([problem]) from None
        try:
            rows = json.loads(text)["accounts"]
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            problem = Problem(str(self.path), None,
                              "is not an accounts file (JSON with a list 'accounts')")  # fmt: skip
            raise DataError([problem]) from None
        return rows

    def _write(self, rows: list[dict[str, Any]]) -> None:
        text = json.dumps({"accounts": sorted(rows, key=lambda r: r["name"])}, indent=1,
                          ensure_ascii=False)  # fmt: skip
        write_atomically(self.path, text + "\n", mode=0o600)

    def _change(self, change: Callable[[list[dict[str, Any]]], Any]) -> Any:
        with _LOCK:
            rows = self._rows()
            result = change(rows)
            self._write(rows)
            return result

    @staticmethod
    def _account(row: dict[str, Any]) -> Account:
        return Account(str(row["name"]), str(row["role"]), str(row.get("created", "")),
                       str(row.get("password_changed", "")))  # fmt: skip

    @staticmethod
    def _find(rows: list[dict[str, Any]], name: str) -> dict[str, Any]:
        folded = check_name(name)
        for row in rows:
            if row.get("name") == folded:
                return row
        raise no_account(folded)

    def list(self) -> list[Account]:
        return sorted((self._account(r) for r in self._rows()), key=lambda a: a.name)

    def get(self, name: str) -> Account | None:
        try:
            folded = check_name(name)
        except DataError:
            return None
        found = [r for r in self._rows() if r.get("name") == folded]
        return self._account(found[0]) if found else None

    def add(self, name: str, role: str, password: str) -> Account:
        folded, role = check_name(name), check_role(role)
        check_password(password, folded)
        stamp = now_stamp()
        row = {"name": folded, "role": role, "hash": hash_password(password),
               "created": stamp, "password_changed": stamp}  # fmt: skip

        def add(rows: list[dict[str, Any]]) -> Account:
            if any(r.get("name") == folded for r in rows):
                raise name_taken(folded)
            rows.append(row)
            return self._account(row)

        result: Account = self._change(add)
        return result

    def remove(self, name: str) -> None:
        def remove(rows: list[dict[str, Any]]) -> None:
            row = self._find(rows, name)
            _refuse_last_admin(rows, row, None)
            rows.remove(row)

        self._change(remove)

    def set_password(self, name: str, password: str) -> None:
        folded = check_name(name)
        check_password(password, folded)
        hashed = hash_password(password)

        def change(rows: list[dict[str, Any]]) -> None:
            row = self._find(rows, folded)
            row["hash"], row["password_changed"] = hashed, now_stamp()

        self._change(change)

    def set_role(self, name: str, role: str) -> Account:
        role = check_role(role)

        def change(rows: list[dict[str, Any]]) -> Account:
            row = self._find(rows, name)
            _refuse_last_admin(rows, row, role)
            row["role"] = role
            return self._account(row)

        result: Account = self._change(change)
        return result

    def verify(self, name: str, password: str) -> Account | None:
        try:
            folded = check_name(name)
        except DataError:
            folded = ""
        row = next((r for r in self._rows() if folded and r.get("name") == folded), None)
        stored = str(row["hash"]) if row and row.get("hash") else None
        if not password_matches(stored, password) or row is None or stored is None:
            return None
        if needs_rehash(stored):
            rehashed = hash_password(password)

            def change(rows: list[dict[str, Any]]) -> None:
                for r in rows:
                    if r.get("name") == folded and r.get("hash") == stored:
                        r["hash"] = rehashed

            self._change(change)
        return self._account(row)


def _refuse_last_admin(rows: list[dict[str, Any]], row: dict[str, Any], role: str | None) -> None:
    """The shared rule (:func:`~ccm_graph.accounts.base.refuse_last_admin`) on the file's rows."""
    admins = sum(1 for r in rows if r.get("role") == "admin")
    refuse_last_admin(FileAccounts._account(row), role, admins)
