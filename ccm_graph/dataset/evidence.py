"""The checks of ``evidence.csv``: does each quoted excerpt state its value, do the rows agree
with each other and with the seed, which facts have no evidence.

Pure functions over a :class:`~ccm_graph.dataset.Dataset` (no I/O). :func:`evidence_problems`
gives the contradictions (errors: ``validate`` and every reading refuse them);
:func:`missing_evidence` the facts without any evidence row (``validate --strict``);
:func:`excerpt_states` whether a text states a value, after normalisation (dates, meetings,
amounts written the ways sources write them); :func:`evidence_index`, :func:`evidence_counts`
what the outputs and ``seed/README.md`` show.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from ..matching import suggest
from ..schema import (
    EVIDENCE_FIELDS,
    EXCERPT_LIMIT,
    EXTENSION_PARTS,
    Actor,
    Column,
    ColumnType,
    Evidence,
    Obligation,
)
from ..values import ValueProblem, format_value, parse_cell, split_list
from .excerpts import collapse, excerpt_states, looked_for, value_patterns
from .records import Dataset

__all__ = [
    "DERIVED_FIELDS",
    "EvidenceProblem",
    "MissingEvidence",
    "counts_table",
    "evidence_counts",
    "evidence_index",
    "evidence_problems",
    "excerpt_states",
    "expected_fields",
    "extension_field",
    "is_fact",
    "missing_evidence",
    "value_patterns",
]


DERIVED_FIELDS = {
    "status": "derived from the completion date, not quoted",
    "extensions": "derived: the number of extension.N.granted_by rows",
    "granted_by": "checked one extension at a time: use extension.N.granted_by",
}
"""Obligation columns that have no evidence row of their own, and why."""

_NOT_FACTS = {
    ("request_outcome", "not_recorded"): (
        "not_recorded says what the sources do not record: it is not a fact to quote"
    ),
    ("assistance_requested", "unknown"): (
        "unknown says what the sources do not record: it is not a fact to quote"
    ),
}

_EXTENSION = re.compile(r"extension\.([1-9][0-9]?)\.([a-z_]+)")


@dataclass(frozen=True)
class EvidenceProblem:
    """A contradiction in ``evidence.csv``: the ``index``-th row (file order) and what is
    wrong with it."""

    index: int
    message: str


@dataclass(frozen=True)
class MissingEvidence:
    """A fact of the seed with no evidence row, quoted or indicative: the ``index``-th
    record of ``file``, its ``field`` and the value it holds."""

    file: str
    index: int
    record: str
    field: str
    value: str

    @property
    def message(self) -> str:
        return (
            f"{self.field} {self.value!r} has no evidence: add a row to evidence.csv "
            "(quoted with its source, or indicative with the reason)"
        )


def is_fact(field: str, value: object) -> bool:
    """Whether a field's value is a fact a source can state, not a statement about the
    sources themselves (``request_outcome = not_recorded``, ``assistance_requested = unknown``),
    which has no evidence and is never called indicative.

    >>> is_fact("request_outcome", "granted"), is_fact("request_outcome", "not_recorded")
    (True, False)
    """
    return (field, format_value(value)) not in _NOT_FACTS


def extension_field(number: int, part: str) -> str:
    """The evidence field of one part of the ``number``-th extension granted.

    >>> extension_field(2, "granted_by")
    'extension.2.granted_by'
    """
    return f"extension.{number}.{part}"


# --- contradictions --------------------------------------------------------------------------


def evidence_problems(dataset: Dataset) -> list[EvidenceProblem]:
    """Every contradiction in ``dataset.evidence``, in file order.

    A row is wrong when: its record does not exist, or its field is not one the record's
    kind has evidence for; a quoted row has no source URL, no excerpt, an excerpt longer than
    :data:`~ccm_graph.schema.EXCERPT_LIMIT` characters, or one that does not state the value
    (:func:`excerpt_states`); an indicative row has no note; its value differs from the
    seed's; another row for the same record and field gives another value, or repeats the
    same record, field and source. Per obligation, the ``extension.N.granted_by`` rows must
    be numbered 1, 2, … and as many as ``extensions``, and the last extension's deadline
    must be ``deadline``.

    >>> from ccm_graph.schema import Actor
    >>> data = Dataset(actors=[Actor("LAO", "state", "Lao PDR", source="s")],
    ...                obligations=[Obligation("ob-LAO-4", "LAO", 4, "2025-08-01", "open",
    ...                                        source="s")],
    ...                evidence=[Evidence("ob-LAO-4", "deadline", "2025-08-01", "quoted",
    ...                                   "https://example.org", None,
    ...                                   "the deadline is 1 August 2024")])
    >>> [p.message for p in evidence_problems(data)]
    ["the excerpt does not state '2025-08-01' (looked for a date like '1 August 2025', 'August 1, 2025' or '2025-08-01')"]
    """  # noqa: E501
    records: dict[str, Obligation | Actor] = {}
    for obligation in dataset.obligations:
        records.setdefault(obligation.id, obligation)
    for actor in dataset.actors:
        records.setdefault(actor.id, actor)
    others = {record.id for _, record in dataset.nodes()}
    problems: list[EvidenceProblem] = []
    first_value: dict[tuple[str, str], tuple[int, str]] = {}
    first_key: dict[tuple[str, str, str], int] = {}
    for index, row in enumerate(dataset.evidence):
        for message in _row_problems(row, records, others):
            problems.append(EvidenceProblem(index, message))
        same = first_value.setdefault((row.record, row.field), (index, row.value))
        if same[0] != index and _canonical(row.field, same[1]) != _canonical(row.field, row.value):
            problems.append(EvidenceProblem(index, (
                f"{row.record} {row.field}: {row.value!r} disagrees with {same[1]!r} "
                f"of the evidence row {_ROW_REF.format(same[0])}"
            )))  # fmt: skip
        key = row.key
        earlier = first_key.setdefault(key, index)
        if earlier != index:
            problems.append(EvidenceProblem(index, (
                f"{row.record} {row.field} from {row.source or '(no source)'} is checked twice "
                f"(also the evidence row {_ROW_REF.format(earlier)}): keep one row per source"
            )))  # fmt: skip
    for obligation in dataset.obligations:
        problems += _extension_problems(obligation, dataset.evidence)
    return sorted(problems, key=lambda p: p.index)


_ROW_REF = "#{}"
"""How a message names another evidence row: by its number (``#3``), replaced with
``file:line`` by :func:`~ccm_graph.dataset.check_dataset`, which knows the lines."""


def _row_problems(
    row: Evidence, records: dict[str, Obligation | Actor], others: set[str]
) -> Iterator[str]:
    record = records.get(row.record)
    if record is None:
        if row.record in others:
            yield f"record {row.record!r} is not an obligation or an actor: it has no evidence"
        else:
            close = suggest(row.record, list(records), limit=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield f"record: unknown id {row.record!r}{hint}"
        return
    yield from _field_problems(row, record)
    if row.status == "quoted":
        if not row.source:
            yield "source: required for a quoted row (the URL of the page that states the value)"
        elif not row.source.startswith(("https://", "http://")):
            yield f"source: {row.source!r} is not a URL (https://…)"
        excerpt = collapse(row.excerpt or "")
        if not excerpt:
            yield "excerpt: required for a quoted row (the words of the source that state it)"
        elif len(excerpt) > EXCERPT_LIMIT:
            yield (
                f"excerpt: {len(excerpt)} characters, at most {EXCERPT_LIMIT}: quote only "
                "the words that state the value"
            )
        elif row.field and not excerpt_states(row.field, row.value, excerpt):
            yield f"the excerpt does not state {row.value!r} ({looked_for(row.field, row.value)})"
    elif row.status == "indicative" and not (row.note or "").strip():
        yield "note: required for an indicative row (why the value is believed)"


def _field_problems(row: Evidence, record: Obligation | Actor) -> Iterator[str]:
    kind = "obligation" if isinstance(record, Obligation) else "actor"
    reason = _NOT_FACTS.get((row.field, row.value))
    if reason:
        yield f"{row.field}: {reason}"
        return
    match = _EXTENSION.fullmatch(row.field)
    if match and kind == "obligation":
        part = match.group(2)
        if part not in EXTENSION_PARTS:
            yield (f"field {row.field!r}: an extension's parts are "
                   f"{', '.join(EXTENSION_PARTS)}")  # fmt: skip
            return
        number = int(match.group(1))
        yield from _value_form_problems(row, _EXTENSION_TYPES[part])
        if part == "granted_by":
            granted = split_list(getattr(record, "granted_by", None) or "")
            if number > len(granted):
                yield (
                    f"extension {number} granted by {row.value!r}, but the seed's granted_by "
                    f"({';'.join(granted) or 'blank'}) names {len(granted)} meeting"
                    f"{'s' if len(granted) != 1 else ''}"
                )
            elif granted[number - 1] != row.value:
                yield (
                    f"value {row.value!r} differs from the seed: extension {number} was "
                    f"granted by {granted[number - 1]!r} (granted_by)"
                )
        return
    if row.field in DERIVED_FIELDS and kind == "obligation":
        yield f"field {row.field!r}: {DERIVED_FIELDS[row.field]}"
        return
    allowed = EVIDENCE_FIELDS[kind]
    names = {f.name for f in dataclasses.fields(type(record))}
    if row.field not in allowed:
        close = suggest(row.field, list(allowed), limit=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        yield (f"field {row.field!r}: not a fact an {kind} has evidence for{hint}; "
               f"one of {', '.join(allowed)}" + (", extension.N.granted_by, extension.N.deadline, "
               "extension.N.requested" if kind == "obligation" else ""))  # fmt: skip
        return
    if row.field not in names:
        yield f"field {row.field!r}: the {kind}s' file has no such column"
        return
    column = _column(type(record), row.field)
    problems = list(_value_form_problems(row, column))
    yield from problems
    seed = getattr(record, row.field)
    if seed is None:
        yield f"value {row.value!r}, but the seed's {row.field} is blank"
    elif not problems and parse_cell(Column(column), row.value) != seed:
        yield f"value {row.value!r} differs from the seed's {row.field} {format_value(seed)!r}"


_EXTENSION_TYPES = {
    "granted_by": ColumnType.MEETING_LIST,
    "deadline": ColumnType.DATE,
    "requested": ColumnType.PARTIAL_DATE,
}


def _value_form_problems(row: Evidence, column_type: ColumnType) -> Iterator[str]:
    """What is wrong with the value as a value of the column it checks (a date, a number …)."""
    try:
        parse_cell(Column(column_type), row.value)
    except ValueProblem as exc:
        yield f"value: {exc}"


@cache
def _column_types() -> dict[tuple[type, str], ColumnType]:
    return {
        (record_type, f.name): f.metadata["column"].type
        for record_type in (Obligation, Actor)
        for f in dataclasses.fields(record_type)
    }


def _column(record_type: type, name: str) -> ColumnType:
    return _column_types()[(record_type, name)]


def _canonical(field: str, value: str) -> str:
    """A value in the form two rows (or a row and the seed) are compared in: numbers as
    numbers (``12.50`` is ``12.5``), anything else as written."""
    if field in ("remaining_km2", "need_usd"):
        try:
            return format_value(float(value))
        except ValueError:
            return value
    return value


def _extension_problems(obligation: Obligation, rows: list[Evidence]) -> list[EvidenceProblem]:
    """The structure of one obligation's extension rows: granted_by numbered 1 … k with
    k = ``extensions``; no deadline or request of an extension that was not granted; each
    extension's deadline after the one before; the last one's deadline the obligation's."""
    mine = [(i, row) for i, row in enumerate(rows) if row.record == obligation.id]
    parts: dict[str, dict[int, tuple[int, Evidence]]] = defaultdict(dict)
    for index, row in mine:
        match = _EXTENSION.fullmatch(row.field)
        if match:
            parts[match.group(2)].setdefault(int(match.group(1)), (index, row))
    if not parts:
        return []
    problems: list[EvidenceProblem] = []
    granted = parts.get("granted_by", {})
    count = obligation.extensions or 0
    last_index = max(index for index, row in mine if _EXTENSION.fullmatch(row.field))
    numbers = sorted(granted)
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(EvidenceProblem(last_index, (
            f"{obligation.id}: the extension.N.granted_by rows are numbered "
            f"{', '.join(map(str, numbers)) or 'nowhere'}; number them 1, 2, … in the order granted"
        )))  # fmt: skip
    elif len(numbers) != count:
        problems.append(EvidenceProblem(last_index, (
            f"{obligation.id}: {len(numbers)} extension.N.granted_by row"
            f"{'s' if len(numbers) != 1 else ''}, but the seed says extensions = {count}"
        )))  # fmt: skip
    for part in ("deadline", "requested"):
        for number, (index, _) in sorted(parts.get(part, {}).items()):
            if number not in granted:
                problems.append(EvidenceProblem(index, (
                    f"{obligation.id}: extension.{number}.{part} without "
                    f"extension.{number}.granted_by"
                )))  # fmt: skip
    deadlines = sorted(parts.get("deadline", {}).items())
    for (_, (_, before)), (number, (index, after)) in itertools.pairwise(deadlines):
        if after.value <= before.value:
            problems.append(EvidenceProblem(index, (
                f"{obligation.id}: extension {number}'s deadline {after.value} is not after "
                f"the one before ({before.value})"
            )))  # fmt: skip
    if deadlines and numbers and deadlines[-1][0] == numbers[-1]:
        index, last = deadlines[-1][1]
        if obligation.deadline is not None and last.value != obligation.deadline:
            problems.append(EvidenceProblem(index, (
                f"{obligation.id}: the last extension's deadline {last.value} is not the "
                f"seed's deadline {obligation.deadline}"
            )))  # fmt: skip
    return problems


# --- completeness ----------------------------------------------------------------------------


def expected_fields(obligation: Obligation) -> list[tuple[str, str]]:
    """The facts of an obligation that need evidence: each non-blank evidence-bearing field
    with its value, and the meeting that granted each extension the seed names in
    ``granted_by`` (``extension.N.granted_by``; once any extension row is given, their number
    must be ``extensions``: :func:`evidence_problems`). A value that is a statement about the
    sources (``not_recorded``, ``unknown``) needs none.
    """
    facts: list[tuple[str, str]] = []
    for name in EVIDENCE_FIELDS["obligation"]:
        value = getattr(obligation, name, None)
        if value is None:
            continue
        text = format_value(value)
        if (name, text) in _NOT_FACTS:
            continue
        facts.append((name, text))
    meetings = split_list(obligation.granted_by or "")
    for number, meeting in enumerate(meetings[: obligation.extensions or 0], start=1):
        facts.append((extension_field(number, "granted_by"), meeting))
    return facts


def missing_evidence(dataset: Dataset) -> list[MissingEvidence]:
    """Every fact of an obligation that has no evidence row, quoted or indicative.

    Facts are those of :func:`expected_fields`. The check is for a folder that keeps
    evidence: a dataset without any evidence row (a folder made before ``evidence.csv``, a
    test fixture) has nothing listed. The evidence of the actors' Convention dates is
    checked when given (:func:`evidence_problems`) but not required.
    """
    if not dataset.evidence:
        return []
    have = {(row.record, row.field) for row in dataset.evidence}
    missing = []
    for index, obligation in enumerate(dataset.obligations):
        for name, value in expected_fields(obligation):
            if (obligation.id, name) not in have:
                missing.append(
                    MissingEvidence("obligations.csv", index, obligation.id, name, value)
                )
    return missing


# --- for the outputs -------------------------------------------------------------------------


def evidence_index(dataset: Dataset) -> dict[tuple[str, str], list[Evidence]]:
    """The evidence rows of each (record, field), quoted ones first, in file order otherwise."""
    index: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for row in dataset.evidence:
        index[(row.record, row.field)].append(row)
    for rows in index.values():
        rows.sort(key=lambda row: row.status != "quoted")
    return dict(index)


def evidence_counts(dataset: Dataset) -> dict[str, dict[str, int]]:
    """How many evidence rows there are per field (extensions' parts counted together as
    ``extension.N.<part>``) and status (``quoted``, ``indicative``), fields in schema order."""
    order = [*EVIDENCE_FIELDS["obligation"],
             *(f"extension.N.{part}" for part in EXTENSION_PARTS),
             *EVIDENCE_FIELDS["actor"]]  # fmt: skip
    counts: dict[str, dict[str, int]] = {}
    for row in dataset.evidence:
        field = _EXTENSION.sub(r"extension.N.\2", row.field)
        counts.setdefault(field, {"quoted": 0, "indicative": 0})[row.status] += 1
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def counts_table(dataset: Dataset) -> str:
    """The evidence counts as the Markdown that ``seed/README.md`` holds between its
    ``evidence-counts`` markers (``scripts/evidence_counts.py`` writes it, a test keeps it
    current): one row per field with its quoted and indicative rows, a total, and the number
    of obligation facts still without evidence."""
    counts = evidence_counts(dataset)
    lines = ["| field | quoted | indicative |", "|---|---:|---:|"]
    for name, numbers in counts.items():
        lines.append(f"| `{name}` | {numbers['quoted']} | {numbers['indicative']} |")
    quoted = sum(n["quoted"] for n in counts.values())
    indicative = sum(n["indicative"] for n in counts.values())
    lines.append(f"| **all fields** | **{quoted}** | **{indicative}** |")
    missing = missing_evidence(dataset)
    records = len({m.record for m in missing})
    lines.append("")
    lines.append(
        f"Obligation facts without any evidence row: **{len(missing)}**"
        + (f" (in {records} obligation{'s' if records != 1 else ''}); "
           "`ccm-graph validate --strict --seed seed` lists them." if missing else ".")
    )  # fmt: skip
    return "\n".join(lines) + "\n"
