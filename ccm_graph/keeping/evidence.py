"""The evidence a fix brings: one :class:`~ccm_graph.schema.Evidence` row per fact the fix
changes, all from the one source a person gave, put into the dataset in place of the rows that
stated the old value. The rows are checked by the library's own rules
(:func:`~ccm_graph.dataset.evidence.evidence_problems`, inside
:func:`~ccm_graph.dataset.check_dataset`) and written with the rest of the dataset.

Derived fields (``status``, ``extensions``) get no row; a meeting added to ``granted_by``
gets ``extension.N.granted_by`` (and ``extension.N.deadline`` / ``extension.N.requested`` when
the fix changes the deadline or the request date with it), as the evidence format says.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from ..dataset import Dataset
from ..dataset.evidence import extension_field, is_fact
from ..schema import EVIDENCE_FIELDS, Actor, Evidence, Obligation
from ..values import format_value, split_list

__all__ = ["FixSource", "fix_evidence", "with_evidence"]


@dataclass(frozen=True)
class FixSource:
    """Where the new values of a fix are stated: the source's URL and date, the excerpt that
    states them, and a note (context, or the meeting that decided)."""

    url: str
    date: str
    excerpt: str
    note: str = ""

    def row(self, record: str, field: str, value: str) -> Evidence:
        """The quoted evidence row of ``record``'s ``field`` = ``value`` from this source."""
        return Evidence(record, field, value, "quoted", self.url or None, self.date or None,
                        self.excerpt or None, self.note or None)  # fmt: skip


def fix_evidence(
    dataset: Dataset,
    old: Any | None,
    new: Any,
    source: FixSource,
    confirm: Collection[str] = (),
) -> list[Evidence]:
    """The evidence rows a fix of ``old`` into ``new`` (``old`` ``None``: a new record) brings
    from ``source``: one per evidence-bearing field whose value changed, or that is in
    ``confirm`` (the source states the value the record already holds: an indicative or
    unsourced fact verified), and is a fact (a blank value, ``not_recorded`` or ``unknown``
    states nothing). Records other than obligations and actors have no evidence.

    An extension's rows are numbered in the order granted; they are added only when the
    record's evidence already numbers the extensions before it (else the extension stays
    without evidence, and the "to verify" queue lists it).
    """
    if not isinstance(new, Obligation | Actor):
        return []
    kind = "obligation" if isinstance(new, Obligation) else "actor"
    names = {f.name for f in dataclasses.fields(type(new))}
    rows = []
    for name in EVIDENCE_FIELDS[kind]:
        if name not in names:
            continue
        value = getattr(new, name)
        unchanged = value == getattr(old, name, None) and name not in confirm
        if value is None or unchanged or not is_fact(name, value):
            continue
        rows.append(source.row(new.id, name, format_value(value)))
    if isinstance(new, Obligation):
        rows += _extension_rows(dataset, old, new, source)
    return rows


def _extension_rows(
    dataset: Dataset, old: Obligation | None, new: Obligation, source: FixSource
) -> list[Evidence]:
    """``extension.N.*`` rows for the meetings ``new`` names that ``old`` did not (at N)."""
    before = split_list(old.granted_by or "") if old else []
    after = split_list(new.granted_by or "")
    numbered = {row.field for row in dataset.evidence if row.record == new.id}
    rows: list[Evidence] = []
    for number, meeting in enumerate(after, start=1):
        if number <= len(before) and before[number - 1] == meeting:
            continue
        earlier = {extension_field(n, "granted_by") for n in range(1, number)}
        if not earlier <= numbered | {r.field for r in rows}:
            break
        rows.append(source.row(new.id, extension_field(number, "granted_by"), meeting))
        if number == len(after):
            if new.deadline and new.deadline != getattr(old, "deadline", None):
                rows.append(source.row(new.id, extension_field(number, "deadline"), new.deadline))
            asked = new.extension_requested
            if asked and asked != getattr(old, "extension_requested", None):
                rows.append(source.row(new.id, extension_field(number, "requested"),
                                       format_value(asked)))  # fmt: skip
    last = extension_field(len(after), "deadline")
    if (after and new.deadline and new.deadline != getattr(old, "deadline", None)
            and last in numbered and all(r.field != last for r in rows)):  # fmt: skip
        rows.append(source.row(new.id, last, new.deadline))  # the last extension's deadline
    return rows


def with_evidence(dataset: Dataset, rows: Sequence[Evidence]) -> Dataset:
    """A copy of ``dataset`` with ``rows`` in its evidence: each takes the place of the rows
    for the same record and field that give another value, come from the same source, or are
    only indicative where the new row is quoted (the first such row's place; appended when
    there is none). Other rows keep their order."""
    if not rows:
        return dataset
    kept: list[Evidence | None] = list(dataset.evidence)
    for row in rows:
        places = [i for i, old in enumerate(kept) if old is not None and _replaced_by(old, row)]
        for i in places:
            kept[i] = None
        if places:
            kept[places[0]] = row
        else:
            kept.append(row)
    return dataclasses.replace(dataset, evidence=[r for r in kept if r is not None], origins={})


def _replaced_by(old: Evidence, new: Evidence) -> bool:
    if (old.record, old.field) != (new.record, new.field):
        return False
    superseded = old.status == "indicative" and new.status == "quoted"
    return old.value != new.value or (old.source or "") == (new.source or "") or superseded
