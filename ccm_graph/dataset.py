"""The Dataset: typed records read from a seed folder, checked, and written back.

A :class:`Dataset` is the one interchange form between the seed files, Neo4j and NetworkX.
:func:`read_seed` reads and validates a folder and raises :class:`~ccm_graph.errors.DataError`
listing *every* problem as ``file:line: message``; :func:`write_seed` writes the five CSV files
(atomically: each file appears whole or not at all).

Snapshots and exports also hold ``neo4j-stamps.csv`` (:data:`STAMPS_FILE`), the coalition
workflow's ``created``/``updated`` stamps, which live in Neo4j only: :func:`write_seed` writes
it when given stamps, :func:`read_stamps` reads and checks it (``read_seed`` leaves it alone).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, OutputError, Problem
from .files import csv_line, escape_formula, unescape_formula, write_together
from .metadata import METADATA_FILE, DatasetInfo, info_to_json, read_info
from .names import suggest
from .schema import (
    NODE_TABLES,
    RELATION_COLUMNS_ALWAYS,
    RELATION_RULES,
    STAMPS_TABLE,
    TABLES,
    Activity,
    Actor,
    ActorKind,
    Coalition,
    CoalitionStamps,
    Column,
    ColumnType,
    NodeType,
    Obligation,
    Relation,
    TableSpec,
)
from .values import ValueProblem, check_value, format_value, not_one_of, parse_cell

__all__ = [
    "EXPORT_MARKER",
    "STAMPS_FILE",
    "Dataset",
    "Origin",
    "ValueChecker",
    "ask_figure_problems",
    "check_dataset",
    "check_export_target",
    "check_stamps",
    "check_values",
    "parse_rows",
    "read_additions",
    "read_as_of",
    "read_data",
    "read_seed",
    "read_stamps",
    "write_seed",
]

NodeRecord = Actor | Obligation | Coalition | Activity

_RULES_BY_NAME = {t.value: rule for t, rule in RELATION_RULES.items()}
_NOT_APPLICABLE = {
    t.value: tuple(
        f.name
        for f in dataclasses.fields(Relation)
        if f.name not in RELATION_COLUMNS_ALWAYS and f.name not in rule.fields
    )
    for t, rule in RELATION_RULES.items()
}
"""Per relationship type, the relation columns that must stay blank."""
_CSV_FIELD_LIMIT = 16 * 1024 * 1024


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages: a file and line, or a Neo4j id."""

    file: str
    line: int | None = None


@dataclass
class Dataset:
    """Every record of one seed folder or one Neo4j database.

    The lists keep file order; :meth:`sorted` gives the canonical order used for comparison
    and export. ``origins`` maps ``(file, index)`` to where the record was read from.
    """

    actors: list[Actor] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    coalitions: list[Coalition] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    info: DatasetInfo = field(default_factory=DatasetInfo)
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict, compare=False, repr=False)

    def table(self, spec: TableSpec) -> list[Any]:
        """The record list that holds ``spec``'s rows."""
        records: list[Any] = getattr(self, spec.file.removesuffix(".csv"))
        return records

    def nodes(self) -> Iterator[tuple[NodeType, NodeRecord]]:
        """Every node record with its node type."""
        for spec in NODE_TABLES:
            assert spec.node_type is not None
            for record in self.table(spec):
                yield spec.node_type, record

    def node_index(self) -> dict[str, tuple[NodeType, NodeRecord]]:
        """Map id → (node type, record). Later duplicates win; the validator reports them."""
        return {record.id: (node_type, record) for node_type, record in self.nodes()}

    def counts(self) -> dict[str, int]:
        """Number of records per seed file."""
        return {spec.file: len(self.table(spec)) for spec in TABLES}

    def sorted(self) -> Dataset:
        """A copy in canonical order (nodes by id, relations by their key)."""
        return Dataset(
            actors=sorted(self.actors, key=lambda r: r.id),
            obligations=sorted(self.obligations, key=lambda r: r.id),
            coalitions=sorted(self.coalitions, key=lambda r: r.id),
            activities=sorted(self.activities, key=lambda r: r.id),
            relations=sorted(self.relations, key=_relation_sort_key),
            info=self.info,
        )

    def without_restricted(self) -> Dataset:
        """A copy without restricted records nor anything that hangs only on them.

        Restricted actors, coalitions and relations go; so do the obligations of a restricted
        State, the coalitions focused on one, and every relation that touches a removed record.
        """
        actors = [a for a in self.actors if a.sensitivity != "restricted"]
        kept_actors = {a.id for a in actors}
        obligations = [o for o in self.obligations if o.state in kept_actors]
        coalitions = [
            c for c in self.coalitions if c.sensitivity != "restricted" and c.focus in kept_actors
        ]
        kept = (
            kept_actors
            | {o.id for o in obligations}
            | {c.id for c in coalitions}
            | {a.id for a in self.activities}
        )
        relations = [
            r
            for r in self.relations
            if r.sensitivity != "restricted" and r.from_id in kept and r.to_id in kept
        ]
        return Dataset(
            actors, obligations, coalitions, list(self.activities), relations, info=self.info
        )

    def has_restricted(self) -> bool:
        """Whether any record is marked restricted."""
        marked: list[Actor | Coalition | Relation] = [
            *self.actors,
            *self.coalitions,
            *self.relations,
        ]
        return any(r.sensitivity == "restricted" for r in marked)


def _relation_sort_key(relation: Relation) -> tuple[str, ...]:
    """The relation's :attr:`~Relation.key` as text (blank for none), for a total order."""
    r = relation
    return (
        r.from_id,
        r.type,
        r.to_id,
        r.role or "",
        "" if r.year is None else str(r.year),
        r.convention or "",
        r.purpose or "",
        r.since or "",
        r.until or "",
    )


# --- reading --------------------------------------------------------------------------------


def read_seed(folder: str | os.PathLike[str]) -> Dataset:
    """Read and validate a seed folder.

    :param folder: a folder holding ``actors.csv``, ``obligations.csv``, ``coalitions.csv``,
        ``activities.csv`` and ``relations.csv``.
    :returns: the :class:`Dataset`, in file order.
    :raises DataError: listing every problem found, as ``file:line: message``.
    """
    dataset, problems = _read_folder(Path(folder), partial=False)
    problems.extend(check_dataset(dataset))
    if problems:
        raise DataError(problems)
    return dataset


def read_data(path: str | os.PathLike[str]) -> Dataset:
    """Read and validate a seed folder or an Excel workbook (``.xlsx``) of the same tables.

    A path ending in ``.xlsx`` is read by :func:`ccm_graph.workbook.read_workbook` (problems
    as ``book.xlsx:sheet:row: message``); anything else is a folder for :func:`read_seed`.

    :raises DataError: listing every problem found.
    """
    if Path(path).suffix.lower() == ".xlsx":
        from .workbook import read_workbook

        return read_workbook(path)
    if Path(path).is_file():
        message = "a file, not a seed folder: give the folder, or an Excel workbook (.xlsx)"
        raise DataError([Problem(str(path), None, message)])
    return read_seed(path)


def read_additions(folder: str | os.PathLike[str], base: Dataset) -> Dataset:
    """Rows in the seed format to put on top of ``base``: any subset of the five files.

    Each file present is read with the same value rules as :func:`read_seed`; the rows are
    then checked *together with* ``base`` (an added relation may point at a base actor, an
    added id may not repeat a base id).

    :returns: ``base`` with the added rows appended (``base`` itself is not changed).
    :raises DataError: every problem, as ``file:line: message``.
    """
    added, problems = _read_folder(Path(folder), partial=True)
    merged = Dataset(info=base.info, origins=dict(base.origins))
    for spec in TABLES:
        offset = len(base.table(spec))
        merged.table(spec).extend([*base.table(spec), *added.table(spec)])
        for index in range(len(added.table(spec))):
            origin = added.origins.get((spec.file, index))
            if origin is not None:
                merged.origins[(spec.file, offset + index)] = origin
    problems.extend(check_dataset(merged))
    if problems:
        raise DataError(problems)
    return merged


def _read_folder(folder: Path, *, partial: bool) -> tuple[Dataset, list[Problem]]:
    problems: list[Problem] = []
    dataset = Dataset()
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, "no such folder")])
    dataset.info, info_problems = read_info(folder)
    problems.extend(info_problems)
    found = 0
    for spec in TABLES:
        path = folder / spec.file
        display = str(path)
        if not path.is_file():
            if not partial:
                problems.append(Problem(display, None, "missing file"))
            continue
        found += 1
        records, origins, file_problems = _read_table(spec, path.read_bytes(), display)
        problems.extend(file_problems)
        dataset.table(spec).extend(records)
        for index, origin in enumerate(origins):
            dataset.origins[(spec.file, index)] = origin
    if partial and not found:
        names = ", ".join(spec.file for spec in TABLES)
        problems.append(Problem(str(folder), None, f"none of the seed files ({names})"))
    return dataset, problems


def _decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            display,
            line,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as 'CSV UTF-8' and try again",
        )


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _read_table(
    spec: TableSpec, raw: bytes, display: str
) -> tuple[list[Any], list[Origin], list[Problem]]:
    text, problem = _decode(raw, display)
    if text is None:
        return [], [], [problem] if problem else []
    if csv.field_size_limit() < _CSV_FIELD_LIMIT:
        # let over-long cells reach the value rules, which say how long they may be
        csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [], [Problem(display, 1, "empty file: expected a header row")]
    except csv.Error as exc:
        return [], [], [Problem(display, 1, f"unreadable CSV: {exc}")]
    unreadable: list[Problem] = []

    def numbered_rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                unreadable.append(Problem(display, start, f"unreadable CSV: {exc}"))
                return
            yield start, row

    records, origins, problems = parse_rows(spec, header, numbered_rows(), display)
    return records, origins, problems + unreadable


def parse_rows(
    spec: TableSpec,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    display: str,
) -> tuple[list[Any], list[Origin], list[Problem]]:
    """Records from one table's header and rows of cell text, with the seed files' rules.

    The one place a table's text becomes records, for every reader (CSV files, the Excel
    workbook of :mod:`ccm_graph.workbook`): the header is checked (unknown, repeated and
    missing columns), blank rows are skipped, and each cell goes through
    :func:`~ccm_graph.values.parse_cell`. Problems are located as ``display:line: message``.

    :param header: the column names of the header row (line 1).
    :param rows: ``(line, cells)`` per row after the header, cells as text.
    :returns: the records, where each was read (an :class:`Origin` per record), the problems.
    """
    problems: list[Problem] = []
    fields = {f.name: f for f in dataclasses.fields(spec.record)}
    by_csv_name = {name: fields[attr] for name, attr in zip(spec.columns, fields, strict=True)}
    header = [h.strip() for h in header]
    for name in header:
        if name not in by_csv_name:
            problems.append(Problem(display, 1, _unknown_column(name, spec.columns)))
    seen = set()
    for name in header:
        if name in seen:
            problems.append(Problem(display, 1, f"column {name!r} appears twice"))
        seen.add(name)
    for name, fld in by_csv_name.items():
        if fld.metadata["column"].required and name not in header:
            problems.append(Problem(display, 1, f"missing column {name!r}"))
    if problems:
        return [], [], problems

    records: list[Any] = []
    origins: list[Origin] = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(display, line, f"has {len(row)} fields but the header has {len(header)}")
            )
            continue
        values: dict[str, Any] = {}
        row_ok = True
        for name, cell in zip(header, row, strict=True):
            fld = by_csv_name[name]
            column: Column = fld.metadata["column"]
            if name == "type" and spec.record is Relation:
                column = dataclasses.replace(column, choices=tuple(RELATION_RULES))
            try:
                value = parse_cell(column, unescape_formula(cell))
            except ValueProblem as problem:
                problems.append(Problem(display, line, f"{name}: {problem}"))
                row_ok = False
                continue
            if value is None and column.required:
                problems.append(Problem(display, line, f"{name}: required but blank"))
                row_ok = False
            elif value is not None:
                values[fld.name] = value
        if row_ok:
            record = spec.record(**values)
            CHECKED_RECORDS.add(record)
            records.append(record)
            origins.append(Origin(display, line))
    return records, origins, problems


def _unknown_column(name: str, expected: list[str]) -> str:
    message = f"unknown column {name!r}"
    close = suggest(name, expected, limit=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    return message + "; expected columns: " + ",".join(expected)


# --- the coalition workflow's stamps (neo4j-stamps.csv) --------------------------------------

STAMPS_FILE = STAMPS_TABLE.file
"""The file of a snapshot or an export that holds the coalition workflow's ``created`` and
``updated`` stamps (columns ``coalition,created,updated``; see
:class:`~ccm_graph.schema.CoalitionStamps`)."""


def read_stamps(folder: str | os.PathLike[str], dataset: Dataset) -> dict[str, CoalitionStamps]:
    """The coalition stamps of a folder's :data:`STAMPS_FILE`, by coalition id.

    ``{}`` when the folder has no such file (an ordinary seed folder) or is a workbook. The
    file is read with the seed files' rules (:func:`parse_rows`: header, field counts, each
    cell through the value rules); each row must name a coalition of ``dataset`` (the folder's
    ``coalitions.csv``), once.

    :raises DataError: every problem, as ``file:line: message``.
    """
    path = Path(folder) / STAMPS_FILE
    if not Path(folder).is_dir() or not path.is_file():
        return {}
    records, origins, problems = _read_table(STAMPS_TABLE, path.read_bytes(), str(path))
    ids = [c.id for c in dataset.coalitions]
    stamps, found = check_stamps(records, ids, origins=origins)
    problems += found
    if problems:
        raise DataError(problems)
    return stamps


def check_stamps(
    stamps: Iterable[CoalitionStamps],
    coalitions: Iterable[str],
    *,
    origins: Sequence[Origin] = (),
    where: str = "stamps",
) -> tuple[dict[str, CoalitionStamps], list[Problem]]:
    """Stamps checked against the value rules and against the ids of ``coalitions``: each
    names one of them, once. Returns them by coalition id (values in canonical form) and every
    problem, located at ``origins[i]`` (the file and line of the ``i``-th) when known, else as
    ``where: coalition: message``.
    """
    known = sorted(set(coalitions))
    known_ids = set(known)
    result: dict[str, CoalitionStamps] = {}
    seen: dict[str, Origin | None] = {}
    problems: list[Problem] = []

    def report(origin: Origin | None, ident: str, message: str) -> None:
        if origin is None:
            problems.append(Problem(where, None, f"{ident}: {message}"))
        else:
            problems.append(Problem(origin.file, origin.line, message))

    for index, given in enumerate(stamps):
        origin = origins[index] if index < len(origins) else None
        record = given if _already_checked(given) else _checked_stamps(given, origin, report)
        if record is None:
            continue
        ident = record.coalition
        if ident not in known_ids:
            close = suggest(ident, known, limit=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            report(origin, ident, f"coalition: unknown coalition id {ident!r}{hint}")
        elif ident in seen:
            first = seen[ident]
            at = f" (already at {first.file}:{first.line})" if first and first.line else ""
            report(origin, ident, f"coalition: {ident!r} appears twice{at}")
        else:
            seen[ident] = origin
            result[ident] = record
    return result, problems


def _checked_stamps(
    record: CoalitionStamps,
    origin: Origin | None,
    report: Callable[[Origin | None, str, str], None],
) -> CoalitionStamps | None:
    """``record`` through the value rules (for stamps that did not come from the file)."""
    values: dict[str, Any] = {}
    for name, column in _checked_fields(CoalitionStamps):
        try:
            values[name] = check_value(column, getattr(record, name))
        except ValueProblem as exc:
            report(origin, str(record.coalition), f"{name}: {exc}")
    if len(values) < len(STAMPS_TABLE.columns):
        return None
    if values["coalition"] is None:
        report(origin, "?", "coalition: required but blank")
        return None
    return CoalitionStamps(**values)


# --- typed values from code or Neo4j ---------------------------------------------------------


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
        # per field: its column, and the values checked so far → their canonical form, keyed
        # by the value for text and by (type, value) otherwise: 1, 1.0 and True are equal but
        # not the same value. A record's own id never repeats, so ids are not remembered.
        fields: list[tuple[str, Column, bool, bool, dict[Any, Any]]] = [
            (name, column, column.required, column.type is not ColumnType.ID, {})
            for name, column in _checked_fields(spec.record)
        ]
        problems = self.problems
        where = self.where
        remember = self.remember

        def check(record: Any) -> Any:
            if _already_checked(record):  # read by the CSV or workbook reader: done already
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
                        ident = getattr(record, "id", None) or f"{record.from_id} {record.type}"
                        problems.append(Problem(where, None, f"{ident}: {_csv_name(name)}: {exc}"))
                        continue
                    if cacheable:
                        passed[key] = checked
                if checked is None and required:
                    ident = getattr(record, "id", None) or f"{record.from_id} {record.type}"
                    problems.append(
                        Problem(where, None, f"{ident}: {_csv_name(name)}: required but blank")
                    )
                elif checked is not value and (checked != value or checked.__class__ is not kind):
                    changes[name] = checked
            checked_record = dataclasses.replace(record, **changes) if changes else record
            if remember and len(problems) == found:  # every value passed: remember it
                CHECKED_RECORDS.add(checked_record)
            return checked_record

        return check


_UNSEEN = object()


def _already_checked(record: Any) -> bool:
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


def _checked_fields(record_type: type) -> list[tuple[str, Column]]:
    return [(f.name, f.metadata["column"]) for f in dataclasses.fields(record_type)]


def _csv_name(field_name: str) -> str:
    return {"from_id": "from", "to_id": "to"}.get(field_name, field_name)


# --- cross-record checks -------------------------------------------------------------------


def check_dataset(dataset: Dataset) -> list[Problem]:
    """Consistency checks across records: unique ids, references, relation rules.

    Works on a Dataset from any source; problems are located with ``dataset.origins`` when
    known (seed files), else by the record's id.
    """
    problems: list[Problem] = []

    def where(spec_file: str, index: int, ident: str) -> tuple[str, int | None, str]:
        origin = dataset.origins.get((spec_file, index))
        if origin is None:
            return spec_file, None, f"{ident}: "
        return origin.file, origin.line, ""

    def report(spec_file: str, index: int, ident: str, message: str) -> None:
        file, line, prefix = where(spec_file, index, ident)
        problems.append(Problem(file, line, prefix + message))

    # unique ids across every node table
    first_seen: dict[str, str] = {}
    for spec in NODE_TABLES:
        for index, record in enumerate(dataset.table(spec)):
            if record.id in first_seen:
                report(
                    spec.file,
                    index,
                    record.id,
                    f"duplicate id {record.id!r} (already used at {first_seen[record.id]})",
                )
            else:
                file, line, _ = where(spec.file, index, record.id)
                first_seen[record.id] = f"{file}:{line}" if line else f"{file} ({record.id})"

    by_id = dataset.node_index()
    kinds_of: dict[str, frozenset[str]] = {}
    for ident, (node_type, record) in by_id.items():
        kind = record.kind if isinstance(record, Actor) else None
        kinds_of[ident] = frozenset(k for k in (node_type.value, kind) if k is not None)

    def endpoint_kind(ref: str) -> frozenset[str]:
        return kinds_of[ref]

    for i, actor in enumerate(dataset.actors):
        if actor.kind != ActorKind.STATE:
            for name in ("iso3", "ccm_status", "apmbc_status"):
                if getattr(actor, name) is not None:
                    report(
                        "actors.csv",
                        i,
                        actor.id,
                        f"{name} applies to States only, but this actor is a {actor.kind}",
                    )

    for i, ob in enumerate(dataset.obligations):
        _check_ref(ob.state, {"state"}, "state", by_id, endpoint_kind, "obligations.csv", i, report)
        if ob.article in (3, 4) and ob.deadline is None:
            report("obligations.csv", i, ob.id, f"deadline: required for Article {ob.article}")
        if ob.status == "extended" and not ob.extensions:
            report(
                "obligations.csv",
                i,
                ob.id,
                "status is 'extended' but extensions is blank or 0",
            )
        for message in ask_figure_problems(ob):
            report("obligations.csv", i, ob.id, message)

    for i, co in enumerate(dataset.coalitions):
        _check_ref(co.focus, {"state"}, "focus", by_id, endpoint_kind, "coalitions.csv", i, report)

    seen_keys: dict[tuple[Any, ...], int] = {}
    for i, rel in enumerate(dataset.relations):
        rule = _RULES_BY_NAME.get(rel.type)
        if rule is None:
            report("relations.csv", i, rel.type, f"type: unknown relationship type {rel.type!r}")
            continue
        _check_ref(
            rel.from_id,
            rule.from_types,
            "from",
            by_id,
            endpoint_kind,
            "relations.csv",
            i,
            report,
        )
        _check_ref(rel.to_id, rule.to_types, "to", by_id, endpoint_kind, "relations.csv", i, report)
        for name in _NOT_APPLICABLE[rel.type]:
            if getattr(rel, name) is not None:
                report("relations.csv", i, rel.type, f"{name} does not apply to {rel.type}")
        if rule.roles:
            if rel.role is None and rule.role_required:
                report("relations.csv", i, rel.type, f"role: required for {rel.type}")
            elif rel.role is not None and rel.role not in rule.roles:
                report(
                    "relations.csv",
                    i,
                    rel.type,
                    f"role: {not_one_of(rel.role, rule.roles)} (for {rel.type})",
                )
        if rel.since and rel.until and rel.until < rel.since:
            report("relations.csv", i, rel.type, "until is before since")
        key = rel.key
        if key in seen_keys:
            file, line, _ = where("relations.csv", seen_keys[key], rel.type)
            at = f"{file}:{line}" if line else file
            report(
                "relations.csv",
                i,
                rel.type,
                f"duplicate relation {rel.from_id} -{rel.type}-> {rel.to_id} (same as {at})",
            )
        else:
            seen_keys[key] = i
    return problems


def ask_figure_problems(ob: Obligation) -> list[str]:
    """What is wrong with an obligation's remaining-contamination and need columns together.

    A figure needs its year and its own source; a year, kind or source without its figure is
    refused (a blank figure means "not known", so there is nothing for them to describe);
    remaining contamination belongs to Article 4 (clearance) only.

    >>> ask_figure_problems(Obligation("ob-X-4", "X", 4, "2030-01-01", "open", source="s",
    ...                                remaining_km2=2.5))
    ['remaining_year: required when remaining_km2 is given', \
'remaining_source: required when remaining_km2 is given']
    """
    problems: list[str] = []
    if ob.remaining_km2 is not None and ob.article != 4:
        problems.append(
            f"remaining_km2 applies to Article 4 (clearance) only, not Article {ob.article}"
        )
    problems += _figure_problems(
        ob, ("remaining_km2",), ("remaining_year", "remaining_source"), ("remaining_kind",)
    )
    problems += _figure_problems(ob, ("need_usd", "need_text"), ("need_year", "need_source"))
    return problems


def _figure_problems(
    ob: Obligation,
    figure: tuple[str, ...],
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> list[str]:
    """One figure's columns together: given (any of ``figure``), it needs every ``required``
    column; blank, no ``required`` or ``optional`` column may be given."""
    names = " or ".join(figure)
    if any(getattr(ob, name) is not None for name in figure):
        return [
            f"{name}: required when {names} is given"
            for name in required
            if getattr(ob, name) is None
        ]
    blank = " and ".join(figure) + (" are" if len(figure) > 1 else " is")
    return [
        f"{name} is given but {blank} blank (blank means not known)"
        for name in (*optional, *required)
        if getattr(ob, name) is not None
    ]


def _check_ref(
    ref: str,
    allowed: frozenset[str] | set[str],
    column: str,
    index: dict[str, Any],
    endpoint_kind: Any,
    spec_file: str,
    i: int,
    report: Any,
) -> bool:
    if ref not in index:
        close = suggest(ref, list(index), limit=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        report(spec_file, i, ref, f"{column}: unknown id {ref!r}{hint}")
        return False
    kinds = endpoint_kind(ref)
    if kinds.isdisjoint(allowed):
        wanted = " or ".join(sorted(allowed))
        have = sorted(kinds - {"actor"}) or sorted(kinds)
        article = "an" if have[0][0] in "aeiou" else "a"
        report(spec_file, i, ref, f"{column}: {ref!r} is {article} {have[0]}, expected {wanted}")
        return False
    return True


# --- provenance ------------------------------------------------------------------------------


def read_as_of(folder: str | os.PathLike[str]) -> str | None:
    """The as-of date of a seed folder: from its ``metadata.json``, else its ``README.md``.

    :returns: the date as ``YYYY-MM-DD``, or ``None`` when the folder states none.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "README.md").write_text("**As-of date: 27 February 2026.**")
    >>> read_as_of(folder)
    '2026-02-27'
    """
    return read_info(folder)[0].as_of


# --- writing --------------------------------------------------------------------------------


EXPORT_MARKER = ".ccm-graph-export"
"""The file :func:`write_seed` leaves in a folder it wrote: an export may replace that folder."""


def write_seed(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    *,
    include_restricted: bool = False,
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> dict[str, int]:
    """Write ``dataset`` as a seed folder (UTF-8, comma-delimited, canonical order).

    ``metadata.json`` is written beside them (:mod:`ccm_graph.metadata`), and the marker
    :data:`EXPORT_MARKER`. Restricted records are left out unless ``include_restricted``.
    Each file is written to a temporary file first and renamed into place, so no
    half-written file is ever left, nor a half-made folder.

    ``stamps`` (coalition id → its ``created``/``updated`` stamps) go to :data:`STAMPS_FILE`,
    those of the coalitions written, by id; without any, no such file is written and one an
    earlier export left is removed, so the folder never holds stamps of other data.

    Cells are quoted when they hold a comma, a quote, a line feed or a carriage return, and
    a text cell that would start a spreadsheet formula gets one leading ``'``
    (:func:`~ccm_graph.files.escape_formula`); the reader undoes it, so round trips are exact.

    :returns: rows written per file.
    :raises OutputError: a read-only folder, a file in the way, a full disk.
    """
    data = (dataset if include_restricted else dataset.without_restricted()).sorted()
    counts: dict[str, int] = {}
    with write_together(folder) as files:
        for spec in TABLES:
            rows = data.table(spec)
            names = [f.name for f in dataclasses.fields(spec.record)]
            files.write(spec.file, _csv_text(spec.columns, names, rows))
            counts[spec.file] = len(rows)
        written = {c.id for c in data.coalitions}
        stamp_rows = sorted(
            (s for s in (stamps or {}).values() if s.coalition in written),
            key=lambda s: s.coalition,
        )
        if stamp_rows:
            columns = STAMPS_TABLE.columns  # the field names too
            files.write(STAMPS_FILE, _csv_text(columns, columns, stamp_rows))
            counts[STAMPS_FILE] = len(stamp_rows)
        else:
            files.remove(STAMPS_FILE)  # an earlier export's
        files.write(METADATA_FILE, [info_to_json(data.info)])
        files.write(EXPORT_MARKER, ["written by ccm-graph export\n"])
    return counts


def _csv_text(header: Sequence[str], names: Sequence[str], records: Iterable[Any]) -> Iterator[str]:
    """The lines of a CSV file: ``header``, then per record the values of its fields
    ``names`` (in the order of the header's columns)."""
    yield csv_line(header)
    for record in records:
        yield csv_line(_export_cell(getattr(record, name)) for name in names)


def _export_cell(value: Any) -> str:
    text = format_value(value)
    if isinstance(value, bool | int | float):
        return text
    return escape_formula(text)


def check_export_target(
    dataset: Dataset,
    folder: str | os.PathLike[str],
    *,
    include_restricted: bool = False,
    stamps: Mapping[str, CoalitionStamps] | None = None,
) -> None:
    """Refuse, before anything is written, an export that could destroy data.

    An export may write a new or empty folder, or replace a folder an earlier export wrote
    (it holds :data:`EXPORT_MARKER`) when every row there is also in the new export: the
    rows of :data:`STAMPS_FILE` too, against the ``stamps`` the export writes (see
    :func:`write_seed`).

    :raises OutputError: ``folder`` is a file, is a folder of something else, or holds rows
        this export would drop (how many, by file).
    """
    folder = Path(folder)
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputError(f"cannot export to {folder}: it is a file, not a folder")
    if not any(folder.iterdir()):
        return
    if not (folder / EXPORT_MARKER).is_file():
        raise OutputError(
            f"{folder} is not empty and was not written by ccm-graph export; export to a new "
            "or empty folder (nothing was written)"
        )
    old, problems = _read_folder(folder, partial=True)
    old_stamps: list[CoalitionStamps] = []
    if (folder / STAMPS_FILE).is_file():
        path = folder / STAMPS_FILE
        old_stamps, _, stamp_problems = _read_table(STAMPS_TABLE, path.read_bytes(), str(path))
        problems += stamp_problems
    if problems:
        raise OutputError(
            f"{folder} holds rows ccm-graph cannot read ({problems[0]}); export to a new or "
            "empty folder (nothing was written)"
        )
    new = dataset if include_restricted else dataset.without_restricted()
    dropped: dict[str, int] = {}
    for spec in TABLES:
        if spec.node_type is None:
            kept = {r.key for r in new.relations}
            gone = sum(1 for r in old.relations if r.key not in kept)
        else:
            kept_ids = {r.id for r in new.table(spec)}
            gone = sum(1 for r in old.table(spec) if r.id not in kept_ids)
        if gone:
            dropped[spec.file] = gone
    written = {c.id for c in new.coalitions}
    kept_stamps = {s.coalition for s in (stamps or {}).values() if s.coalition in written}
    gone = sum(1 for s in old_stamps if s.coalition not in kept_stamps)
    if gone:
        dropped[STAMPS_FILE] = gone
    total = sum(dropped.values())
    if total:
        detail = ", ".join(f"{n} in {name}" for name, n in dropped.items())
        hint = ""
        if not include_restricted and dataset.has_restricted():
            hint = "; restricted rows are left out unless --include-restricted"
        raise OutputError(
            f"{folder} holds {total} row{'s' if total != 1 else ''} that this export would "
            f"drop ({detail}); nothing was written{hint}"
        )
