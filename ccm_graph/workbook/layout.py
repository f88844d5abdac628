"""What a workbook of the seed tables looks like: its sheet names, which columns are numbers,
the choices a drop-down offers. Shared by the writer and the reader."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ..schema import (
    MEMBER_ROLES,
    PARTICIPATION_ROLES,
    RELATION_RULES,
    SUPPORT_KINDS,
    Column,
    ColumnType,
    Relation,
    TableSpec,
)

METADATA_SHEET = "metadata"
README_SHEET = "README"

ROLE_CHOICES: tuple[str, ...] = (*MEMBER_ROLES, *SUPPORT_KINDS, *PARTICIPATION_ROLES)
"""Every value ``relations.role`` may hold; which ones apply depends on the row's ``type``."""

_NUMBER_TYPES = frozenset({ColumnType.YEAR, ColumnType.COUNT, ColumnType.AMOUNT,
                           ColumnType.AREA, ColumnType.ARTICLE})  # fmt: skip
"""Columns written as Excel numbers; every other column is text, so Excel keeps ``2026-Q2``,
``1994`` or ``=x`` exactly as typed."""


def sheet_name(spec: TableSpec) -> str:
    """The sheet that holds a seed table: its file name without ``.csv``."""
    return spec.file.removesuffix(".csv")


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Excel workbook (``.xlsx``) rather than a seed folder."""
    return Path(path).suffix.lower() == ".xlsx"


def _columns(spec: TableSpec) -> list[tuple[str, Column]]:
    return [
        (name, f.metadata["column"])
        for name, f in zip(spec.columns, dataclasses.fields(spec.record), strict=True)
    ]


def column_choices(spec: TableSpec, name: str, column: Column) -> tuple[str, ...]:
    """The values a column's drop-down offers; empty for a column without a closed set.

    ``relations.type`` offers the relationship types of ``RELATION_RULES``; ``relations.role``
    every member role, kind of support and participation role (which apply depends on the
    type; ``validate`` checks the pair).
    """
    if spec.record is Relation and name == "type":
        return tuple(t.value for t in RELATION_RULES)
    if spec.record is Relation and name == "role":
        return ROLE_CHOICES
    return tuple(str(choice) for choice in column.choices)
