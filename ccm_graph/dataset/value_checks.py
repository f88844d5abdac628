"""The value rules applied to whole records: :class:`ValueChecker` and :func:`check_values`.

For records that did not come through the CSV or workbook reader (built in Python, read from
Neo4j, loaded by ``Store.load``): each typed value goes through
:func:`~ccm_graph.values.check_value`. :data:`CHECKED_RECORDS` remembers the records that
passed, so none is checked twice.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any

from ..errors import Problem
from ..schema import TABLES, Column, ColumnType, TableSpec
from ..values import ValueProblem, check_value
from .records import Dataset

__all__ = [
    "CHECKED_RECORDS",
    "CheckedRecords",
    "ValueChecker",
    "already_checked",
    "check_values",
    "checked_fields",
]


def check_values(dataset: Dataset, *, where: str = "dataset") -> tuple[Dataset, list[Problem]]:
    """Apply the value rules (:mod:`ccm_graph.values`) to every typed value of a dataset.

    For datasets that did not come through the CSV reader: built in Python, or read from
    Neo4j. Returns the dataset with values in canonical form (ids in NFC, lists as ``a;b``)
    and every problem, located as ``where (record id): column: message``.
    """
    checker = ValueChecker(where)
    result = Dataset(info=dataset.info, origins=dict(dataset.origins))
    for spec in TABLES:
        check = checker.checker(spec)
        result.table(spec).extend(check(record) for record in dataset.table(spec))
    return result, checker.problems


class ValueChecker:
    """The value rules applied one record at a time, as :func:`check_values` does for a whole
    dataset (which is this class in a loop); ``Store.load`` checks each record just before
    it makes the record's row, while Neo4j writes the rows before it.

    ``checker(spec)`` gives the function that checks one record of ``spec``'s table: it
    returns the record with its values in canonical form (the very record when nothing
    changes) and adds what is wrong to :attr:`problems` (a value that fails is kept as it
    was). A value's check depends only on its column, type and value, and most values repeat
    (sources, the ids relations refer to, kinds, years): each is checked once per checker.
    """

    def __init__(self, where: str = "dataset", *, remember: bool = True) -> None:
        self.where = where
        # remember: add the records that pass to CHECKED_RECORDS, so that a later check of
        # the same record costs nothing (Store.load checks records it does not keep)
        self.remember = remember
        self.problems: list[Problem] = []

    def checker(self, spec: TableSpec) -> Callable[[Any], Any]:
        """The function that checks one record of ``spec``'s table (see the class)."""
        return self._checkers(spec)[0]

    def batch_checker(self, spec: TableSpec) -> Callable[[list[Any]], list[Any]]:
        """The function that checks a list of records of ``spec``'s table: the same result,
        and the same problems in the same order, as :meth:`checker` applied to each in turn.

        It checks a column at a time: each field's distinct values once (most values
        repeat), then nothing per record: 0.19–0.27 s instead of 0.26–0.39 s for the 100,000
        relations of the load benchmark (``docs/performance.md``). A batch in which a value fails,
        changes (is not in canonical form), is required but blank, or cannot be hashed is
        checked a record at a time instead, so every problem and change is the same.
        """
        return self._checkers(spec)[1]

    def _checkers(
        self, spec: TableSpec
    ) -> tuple[Callable[[Any], Any], Callable[[list[Any]], list[Any]]]:
        """The per-record and per-batch checks of ``spec``'s table, sharing what they have
        checked already."""
        # per field: its column, and the values checked so far → their canonical form, keyed
        # by the value for text and by (type, value) otherwise: 1, 1.0 and True are equal but
        # not the same value. A record's own id never repeats, so ids are not remembered.
        fields: list[tuple[str, Column, bool, bool, dict[Any, Any]]] = [
            (name, column, column.required, column.type is not ColumnType.ID, {})
            for name, column in checked_fields(spec.record)
        ]
        problems = self.problems
        where = self.where
        remember = self.remember

        def check(record: Any) -> Any:
            if already_checked(record):  # read by the CSV or workbook reader: done already
                return record
            changes: dict[str, Any] = {}
            found = len(problems)
            values = vars(record)
            for name, column, required, keep, passed in fields:
                value = values[name]
                if value is None and not required:
                    continue  # blank: nothing to check
                kind = value.__class__
                key = value if kind is str else (kind, value)
                try:
                    checked = passed.get(key, _UNSEEN)
                except TypeError:  # an unhashable value (a list from Neo4j): check it each time
                    checked, cacheable = _UNSEEN, False
                else:
                    cacheable = keep
                if checked is _UNSEEN:
                    try:
                        checked = check_value(column, value)
                    except ValueProblem as exc:
                        ident = _ident(record)
                        problems.append(Problem(where, None, f"{ident}: {_csv_name(name)}: {exc}"))
                        continue
                    if cacheable:
                        passed[key] = checked
                if checked is None and required:
                    ident = _ident(record)
                    problems.append(
                        Problem(where, None, f"{ident}: {_csv_name(name)}: required but blank")
                    )
                elif checked is not value and (checked != value or checked.__class__ is not kind):
                    changes[name] = checked
            checked_record = dataclasses.replace(record, **changes) if changes else record
            if remember and len(problems) == found:  # every value passed: remember it
                CHECKED_RECORDS.add(checked_record)
            return checked_record

        def check_batch(records: list[Any]) -> list[Any]:
            todo = [vars(record) for record in records if not already_checked(record)]
            if todo and not all(map(_column_passes, fields, repeat(todo))):
                return list(map(check, records))  # a value to report or change: one by one
            if remember:
                for record in records:
                    CHECKED_RECORDS.add(record)
            return list(records)

        return check, check_batch


_UNSEEN = object()


def _column_passes(
    field: tuple[str, Column, bool, bool, dict[Any, Any]], records: list[dict[str, Any]]
) -> bool:
    """Whether every value of one field (``records``: the records' ``vars``) passes its rule
    unchanged, each distinct value checked once; False when one fails, changes, is required
    but blank or cannot be hashed (the batch is then checked a record at a time)."""
    name, column, required, keep, passed = field
    values = [record[name] for record in records]
    kinds = set(map(type, values))
    if required and _NONE in kinds:
        return False
    kinds.discard(_NONE)
    try:  # each distinct value once: 1, 1.0 and True are equal but not the same value
        if kinds <= {str}:
            distinct: Iterable[Any] = set(values)
        else:
            distinct = [value for _, value in set(zip(map(type, values), values, strict=True))]
    except TypeError:  # an unhashable value (a list from Neo4j)
        return False
    for value in distinct:
        if value is None:
            continue
        key = value if value.__class__ is str else (value.__class__, value)  # as check() keys
        checked = passed.get(key, _UNSEEN)
        if checked is _UNSEEN:
            try:
                checked = check_value(column, value)
            except ValueProblem:
                return False
            if keep:
                passed[key] = checked
        if checked is not value and (checked != value or checked.__class__ is not value.__class__):
            return False
        if checked is None and required:
            return False
    return True


_NONE = type(None)


def already_checked(record: Any) -> bool:
    """Whether ``record`` is one that passed the value rules (:data:`CHECKED_RECORDS`)."""
    return record in CHECKED_RECORDS


class CheckedRecords:
    """A weak set of records, by identity: ``add(record)``, ``record in checked``.

    By identity, not equality: asking a ``weakref.WeakSet`` hashes every field of the record,
    which cost about 0.5 s of a 110k-record load; here it is one dictionary look-up of
    ``id(record)``. A record that is garbage-collected leaves the set (a new record given the
    same ``id`` is not taken for it: the stored object must be the very one asked about).
    """

    def __init__(self) -> None:
        self._records: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()

    def add(self, record: Any) -> None:
        self._records[id(record)] = record

    def __contains__(self, record: object) -> bool:
        return self._records.get(id(record)) is record

    def __len__(self) -> int:
        return len(self._records)


CHECKED_RECORDS = CheckedRecords()
"""Records that have passed the value rules. Records are frozen, so a record checked once stays
valid: the CSV and workbook readers add theirs, and :func:`check_values` (``Store.load``) does
not check them a second time."""


def checked_fields(record_type: type) -> list[tuple[str, Column]]:
    """Each field of ``record_type`` with the column (and so the value rule) it holds."""
    return [(f.name, f.metadata["column"]) for f in dataclasses.fields(record_type)]


def _ident(record: Any) -> str:
    """How a problem names its record: the id, a relation's ends and type, ``?`` for a node
    stored without an id (made by hand in Neo4j)."""
    if hasattr(record, "from_id"):
        return f"{record.from_id} {record.type}"
    return str(record.id) if record.id is not None else "?"


def _csv_name(field_name: str) -> str:
    return {"from_id": "from", "to_id": "to"}.get(field_name, field_name)
