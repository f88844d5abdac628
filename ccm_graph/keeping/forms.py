"""Forms generated from the schema: one field per column of a record type, and the checking
of what a person typed with the same rules as a seed file (``validate``'s).

:func:`record_form` gives the fields (a drop-down for an enum, its allowed values in order);
:func:`check_form` reads the typed text through :func:`~ccm_graph.dataset.parse_rows` (the
value rules) and the record, put in place in the whole dataset, through
:func:`~ccm_graph.dataset.check_dataset` (ids, references, relation rules, figures together),
and says each problem next to the field it concerns. A fix made with its source
(:class:`~ccm_graph.keeping.evidence.FixSource`) brings its evidence rows
(:func:`~ccm_graph.keeping.evidence.fix_evidence`), checked with the record: what the library
finds wrong with them is said next to the source's fields (an excerpt that does not state the
new value, next to the excerpt).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..dataset import Dataset, check_dataset, parse_rows
from ..dataset.evidence import evidence_problems
from ..schema import (
    MEMBER_ROLES,
    PARTICIPATION_ROLES,
    RELATION_RULES,
    SUPPORT_KINDS,
    TABLES,
    Column,
    ColumnType,
    Evidence,
    Relation,
    TableSpec,
)
from ..values import format_value
from .evidence import FixSource, fix_evidence, with_evidence

__all__ = [
    "RECORD_KINDS",
    "FormCheck",
    "FormField",
    "check_form",
    "find_record",
    "record_form",
    "record_key",
    "record_values",
    "replace_record",
    "spec_of",
]

RECORD_KINDS = {"actor": TABLES[0], "obligation": TABLES[1], "coalition": TABLES[2],
                "activity": TABLES[3], "relation": TABLES[4]}  # fmt: skip
"""The record kinds a form edits, and the table of each."""

GENERAL = ""
"""The key of problems that concern the record as a whole (no one field)."""


def spec_of(kind: str) -> TableSpec:
    """The table of a record kind (``actor``, ``obligation`` …); ``KeyError`` for another."""
    return RECORD_KINDS[kind]


@dataclass(frozen=True)
class FormField:
    """One field of a record's form.

    :ivar name: the column (``from``, ``deadline``), as in the seed file and the workbook.
    :ivar column: its type, whether it is required, its allowed values.
    :ivar choices: the allowed values of a drop-down (empty: a text box).
    :ivar value: the text shown (the record's value, or what was typed).
    :ivar problems: the rules' messages about this field.
    """

    name: str
    column: Column
    choices: tuple[str, ...] = ()
    value: str = ""
    problems: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.column.required

    @property
    def long(self) -> bool:
        """A free-text column (a source, a description): a larger box."""
        return self.column.type is ColumnType.TEXT


def _choices(spec: TableSpec, name: str, column: Column) -> tuple[str, ...]:
    if spec.record is Relation and name == "type":
        return tuple(str(t) for t in RELATION_RULES)
    if spec.record is Relation and name == "role":
        return tuple(dict.fromkeys((*MEMBER_ROLES, *SUPPORT_KINDS, *PARTICIPATION_ROLES)))
    if column.type in (ColumnType.ENUM, ColumnType.ARTICLE):
        return tuple(str(c) for c in column.choices)
    return ()


def record_values(record: Any) -> dict[str, str]:
    """A record's cells as text, by column name (blank for none)."""
    spec = next(s for s in TABLES if isinstance(record, s.record))
    names = [f.name for f in dataclasses.fields(spec.record)]
    return {
        col: format_value(getattr(record, n)) for col, n in zip(spec.columns, names, strict=True)
    }


def record_form(
    kind: str,
    values: Mapping[str, str] | None = None,
    problems: Mapping[str, list[str]] | None = None,
) -> list[FormField]:
    """The fields of a ``kind`` record's form, filled with ``values`` (column → text) and the
    ``problems`` found in them (column → messages)."""
    spec = spec_of(kind)
    fields = []
    for name, fld in zip(spec.columns, dataclasses.fields(spec.record), strict=True):
        column: Column = fld.metadata["column"]
        fields.append(FormField(name, column, _choices(spec, name, column),
                                (values or {}).get(name, ""),
                                tuple((problems or {}).get(name, ()))))  # fmt: skip
    return fields


@dataclass
class FormCheck:
    """What checking a form found: the record (``None`` while a value breaks the rules), the
    evidence rows the fix brings (none without a source), and the problems by column
    (:data:`GENERAL`, ``""``, for the record as a whole; ``excerpt``, ``source_url`` … for
    the source's fields)."""

    record: Any | None
    problems: dict[str, list[str]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.problems

    def add(self, message: str) -> None:
        """File ``message`` (``column: text``, or text about the record) under its column."""
        head, sep, rest = message.partition(": ")
        first = message.split(" ", 1)[0]
        if sep and head in _COLUMNS:
            self.problems.setdefault(head, []).append(rest)
        elif first in _COLUMNS:  # "role does not apply to FUNDS", "until is before since"
            self.problems.setdefault(first, []).append(message)
        elif sep and rest.partition(": ")[0] in _COLUMNS:  # "ident: to: unknown id 'x'"
            self.add(rest)
        else:
            self.problems.setdefault(GENERAL, []).append(message)


_COLUMNS = frozenset(c for s in TABLES for c in s.columns)


def record_key(record: Any) -> str:
    """A record's address in a URL: its id, or for a relation a digest of its key (the
    columns that make two rows the same fact)."""
    if isinstance(record, Relation):
        return "r-" + hashlib.sha256(repr(record.key).encode()).hexdigest()[:16]
    return str(record.id)


def find_record(dataset: Dataset, kind: str, key: str) -> Any | None:
    """The ``kind`` record of ``dataset`` at ``key`` (see :func:`record_key`), or ``None``."""
    return next((r for r in dataset.table(spec_of(kind)) if record_key(r) == key), None)


def replace_record(dataset: Dataset, kind: str, old: Any | None, new: Any | None) -> Dataset:
    """A copy of ``dataset`` with ``old`` replaced by ``new`` in place (``old`` ``None``: added
    at the end; ``new`` ``None``: removed). The other records keep their order."""
    spec = spec_of(kind)
    rows = list(dataset.table(spec))
    if old is None:
        rows.append(new)
    else:
        at = next(i for i, r in enumerate(rows) if r is old)
        rows[at : at + 1] = [] if new is None else [new]
    changed = dataclasses.replace(dataset, origins={})
    setattr(changed, spec.file.removesuffix(".csv"), rows)
    return changed


def check_form(
    dataset: Dataset,
    kind: str,
    old: Any | None,
    values: Mapping[str, str],
    source: FixSource | None = None,
    confirm: Collection[str] = (),
) -> FormCheck:
    """Check the typed ``values`` (column → text) of a ``kind`` record that replaces ``old``
    (``None``: a new record) in ``dataset``, with the seed files' rules; with ``source``, the
    evidence rows the change brings from it too (:attr:`FormCheck.evidence`; ``confirm``: the
    fields the source states even when unchanged, see
    :func:`~ccm_graph.keeping.evidence.fix_evidence`).

    :returns: the record and no problem when every field passes; else the problems by column.
    """
    spec = spec_of(kind)
    header = list(spec.columns)
    row = [str(values.get(name, "")) for name in header]
    records, _, found = parse_rows(spec, header, [(1, row)], "form")
    check = FormCheck(records[0] if records else None)
    for problem in found:
        check.add(problem.message)
    if check.record is None:
        return check
    plain = dataclasses.replace(dataset, origins={})
    check.evidence = fix_evidence(plain, old, check.record, source, confirm) if source else []
    changed = with_evidence(replace_record(plain, kind, old, check.record), check.evidence)
    before = {p.message for p in check_dataset(plain)}
    ident = _ident(check.record) + ": "
    for problem in check_dataset(changed):
        if problem.file != "evidence.csv" and problem.message not in before:  # this record's
            check.add(problem.message.removeprefix(ident))
    _evidence_problems(plain, changed, check)
    return check


_SOURCE_FIELDS = {"excerpt": "excerpt", "source": "source_url", "source_date": "source_date"}
"""The form field of a source's part an evidence problem names (``excerpt: …``)."""


def _evidence_problems(before: Dataset, after: Dataset, check: FormCheck) -> None:
    """File what is wrong with the evidence after the change (and was not before): a new
    row's problem next to the source's field it concerns (the excerpt when it does not state
    the value), an older row that no longer agrees next to the field it checks."""
    earlier = {(before.evidence[p.index].key, p.message) for p in evidence_problems(before)}
    for problem in evidence_problems(after):
        row = after.evidence[problem.index]
        if (row.key, problem.message) in earlier:
            continue
        head, sep, rest = problem.message.partition(": ")
        if any(row is new for new in check.evidence):
            if "excerpt" in problem.message.split(" ", 3)[:2]:
                check.problems.setdefault("excerpt", []).append(problem.message)
            elif sep and head in _SOURCE_FIELDS:
                check.problems.setdefault(_SOURCE_FIELDS[head], []).append(rest)
            else:
                named = problem.message.startswith(f"{row.record}: ")
                check.add(problem.message if named else f"{row.field}: {problem.message}")
            continue
        column = row.field if row.field in _COLUMNS else GENERAL
        check.problems.setdefault(column, []).append(
            f"the evidence row from {row.source or '(no source)'} gives {row.value!r}: "
            f"{problem.message}; give the source of the new value"
        )


def _ident(record: Any) -> str:
    """How :func:`~ccm_graph.dataset.check_dataset` names a record it has no line for."""
    if isinstance(record, Relation):
        return str(record.type)
    return str(record.id)
