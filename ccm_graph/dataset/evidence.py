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
import unicodedata
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
        excerpt = _collapse(row.excerpt or "")
        if not excerpt:
            yield "excerpt: required for a quoted row (the words of the source that state it)"
        elif len(excerpt) > EXCERPT_LIMIT:
            yield (
                f"excerpt: {len(excerpt)} characters, at most {EXCERPT_LIMIT}: quote only "
                "the words that state the value"
            )
        elif row.field and not excerpt_states(row.field, row.value, excerpt):
            yield f"the excerpt does not state {row.value!r} ({_looked_for(row.field, row.value)})"
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


# --- does an excerpt state a value -----------------------------------------------------------


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?")
_MEETING_CODE = re.compile(r"([1-9][0-9]?)(MSP|RC)")
_WORDS = {
    ("request_outcome", "granted"): r"\bgrant(?:ed|s|ing)?\b|\bapprov(?:ed|al)\b",
    ("request_outcome", "pending"): (
        r"\bpending\b|\b(?:will|to) be considered\b|\bunder consideration\b"
    ),
    ("assistance_requested", "requested"): (
        r"\b(?:request|seek|sought|appeal|call)\w*\b.{0,200}?\b(?:assistance|support|funding|"
        r"resources|partners?)\b|\b(?:assistance|support|funding|resources)\b.{0,200}?"
        r"\b(?:request|seek|sought|need|required?)\w*\b"
    ),
    ("assistance_requested", "not_requested"): (
        r"\b(?:not|no)\b.{0,60}?\b(?:request|need|require|seek)\w*\b.{0,100}?"
        r"\b(?:assistance|support|funding)\b|\bown (?:resources|funds|budget)\b|"
        r"\bnational (?:resources|funds|budget)\b|\bwithout (?:international|external) "
        r"(?:assistance|support)\b"
    ),
}
"""What an excerpt must say for a value that is a word, not a date or a number."""


def excerpt_states(field: str, value: str, excerpt: str) -> bool:
    """Whether ``excerpt`` states ``value`` of ``field``, after normalisation.

    Case, accents, punctuation spacing and runs of whitespace do not count. A date
    ``2023-12-31`` may be written ``31 December 2023``, ``December 31, 2023``, ``31st Dec.
    2023`` or ``2023-12-31``, and ``December 2023`` when the excerpt gives no other day of that
    month; ``2023-12`` as ``December 2023``; a year as itself. A meeting ``10MSP`` as
    ``10MSP``, ``10th MSP``, ``Tenth Meeting of (the) States Parties`` or ``10th Meeting of
    States Parties``; ``2RC`` likewise as ``Second Review Conference``. A number as written
    (``12500000``, ``12,500,000``, ``12 500 000``) or, from a million up, in millions
    (``US$12.5 million``, ``12.5m``). A word value by what it means (``granted``: granted or
    approved; ``pending``: pending, to be considered …).

    >>> excerpt_states("deadline", "2020-08-01", "a CCM Article 4 deadline of 1 August 2020.")
    True
    >>> excerpt_states("extension.1.granted_by", "9MSP", "granted at the Ninth Meeting of "
    ...                "States Parties")
    True
    >>> excerpt_states("need_usd", "12500000", "a shortfall of US$12.5 million")
    True
    >>> excerpt_states("deadline", "2020-08-01", "by 31 August 2020")
    False
    """
    text = _normalise(excerpt)
    return any(pattern.search(text) for pattern in value_patterns(field, value, text))


def value_patterns(field: str, value: str, text: str = "") -> list[re.Pattern[str]]:
    """The patterns an excerpt is searched for to find ``value`` of ``field`` (over the
    normalised excerpt ``text``, which a month-only date form needs to see)."""
    words = _WORDS.get((field, value))
    if words:
        return [re.compile(words)]
    meeting = _MEETING_CODE.fullmatch(value)
    if meeting:
        return [_meeting_pattern(int(meeting.group(1)), meeting.group(2))]
    date = _DATE.fullmatch(value)
    if date and not _is_number_field(field):
        return _date_patterns(date, text)
    try:
        number = float(value)
    except ValueError:
        return [re.compile(re.escape(_normalise(value)))]
    return _number_patterns(number)


def _is_number_field(field: str) -> bool:
    return field in ("remaining_km2", "need_usd")


def _looked_for(field: str, value: str) -> str:
    """What :func:`excerpt_states` looked for, for a message."""
    meeting = _MEETING_CODE.fullmatch(value)
    if meeting:
        number, kind = int(meeting.group(1)), meeting.group(2)
        name = "Meeting of States Parties" if kind == "MSP" else "Review Conference"
        word = _ORDINALS[number - 1].capitalize() if number <= len(_ORDINALS) else str(number)
        return f"looked for '{value}' or '{word} {name}'"
    date = _DATE.fullmatch(value)
    if date and not _is_number_field(field):
        year, month, day = date.groups()
        if day:
            name = _MONTHS[int(month) - 1].capitalize()
            return (f"looked for a date like '{int(day)} {name} {year}', "
                    f"'{name} {int(day)}, {year}' or '{value}'")  # fmt: skip
        if month:
            return f"looked for '{_MONTHS[int(month) - 1].capitalize()} {year}' or '{value}'"
        return f"looked for the year {year}"
    if (field, value) in _WORDS:
        return f"looked for words that say {value.replace('_', ' ')}"
    return f"looked for {value} as written, with thousands separators or in millions"


def _normalise(text: str) -> str:
    """Lower case, accents and typographic variants folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return _collapse(text).lower()


def _collapse(text: str) -> str:
    return " ".join(text.split())


_MONTH_RE = [rf"(?:{name}|{name[:3]}\.?)" for name in _MONTHS]
_MONTH_RE[8] = r"(?:september|sept\.?|sep\.?)"


def _date_patterns(date: re.Match[str], text: str) -> list[re.Pattern[str]]:
    year, month, day = date.groups()
    iso = [re.compile(rf"(?<![0-9]){re.escape(date.group(0))}(?![0-9])")]
    if not month:
        return [re.compile(rf"(?<![0-9]){year}(?![0-9])")]
    m = _MONTH_RE[int(month) - 1]
    month_year = re.compile(rf"\b{m}\s*,?\s+{year}(?![0-9])")
    if not day:
        return [*iso, month_year]
    d = rf"0?{int(day)}(?:st|nd|rd|th)?"
    with_day = [
        re.compile(rf"(?<![0-9]){d}\s+(?:of\s+)?{m}\s*,?\s+{year}(?![0-9])"),
        re.compile(rf"\b{m}\s+{d}\s*,?\s+{year}(?![0-9])"),
    ]
    patterns = [*iso, *with_day]
    any_day = [
        re.compile(rf"(?<![0-9])[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{m}\s*,?\s+{year}"),
        re.compile(rf"\b{m}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\s*,?\s+{year}"),
    ]
    other_day = any(p.search(text) for p in any_day) and not any(p.search(text) for p in with_day)
    if not other_day:
        patterns.append(month_year)  # the source gives the month only
    return patterns


def _meeting_pattern(number: int, kind: str) -> re.Pattern[str]:
    name = r"meeting of (?:the )?states parties" if kind == "MSP" else r"review conference"
    ordinal = rf"{number}(?:st|nd|rd|th)"
    forms = [
        rf"(?<![0-9]){number}\s*{kind.lower()}\b",
        rf"\b{ordinal}\s+(?:{name}|{kind.lower()})\b",
    ]
    if number <= len(_ORDINALS):
        forms.append(rf"\b{_ORDINALS[number - 1]}\s+{name}\b")
    return re.compile("|".join(forms))


def _number_patterns(number: float) -> list[re.Pattern[str]]:
    patterns = [_written_number(number)]
    for scale, words in ((1e9, r"(?:billion|bn)"), (1e6, r"(?:million|m)")):
        if number >= scale:
            patterns.append(re.compile(_number_text(number / scale) + rf"\s*{words}\b"))
            break
    return patterns


def _written_number(number: float) -> re.Pattern[str]:
    """A number as sources write it: ``12500000``, ``12,500,000``, ``12 500 000``, ``1.58``."""
    text = format_value(number)
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    body = r"[,\s\u202f]?".join(groups)
    if fraction:
        body += r"\." + fraction + "0*"
    else:
        body += r"(?:\.0+)?"
    return re.compile(rf"(?<![0-9.,]){body}(?![0-9]|[.,][0-9])")


def _number_text(number: float) -> str:
    """A number of millions as it may be written: ``12.5``, ``12.50``; a whole one ``12``."""
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    body = re.escape(whole) + (rf"\.{fraction}0*" if fraction else r"(?:\.0+)?")
    return rf"(?<![0-9.,]){body}"
