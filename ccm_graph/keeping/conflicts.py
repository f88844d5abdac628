"""Two people saving the same record: the second one sees the first one's change and decides.

A record's form carries the values it started from and their fingerprint
(:func:`record_fingerprint`). A save checks the fingerprint against the record as stored at
that moment; when someone saved the record meanwhile, nothing is written
(:class:`RecordChanged`) and the person sees, field by field, the value their form started
from, the value now stored and theirs (:func:`conflict_rows`), with their form filled in again
on top of the record as it is now (:func:`merged_values`: the fields they changed keep their
value, the others take the stored one). Saving that form again writes their values knowingly;
nothing is ever overwritten silently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConcurrentChange

__all__ = [
    "Conflict",
    "ConflictRow",
    "RecordChanged",
    "conflict_rows",
    "merged_values",
    "read_started",
    "record_conflict",
    "record_fingerprint",
]


def record_fingerprint(values: Mapping[str, str]) -> str:
    """The fingerprint of a record's values (column → text, as
    :func:`~ccm_graph.keeping.record_values` gives them): equal values, equal fingerprints."""
    text = json.dumps(dict(values), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class RecordChanged(ConcurrentChange):
    """The record was saved by someone else since the form was made; nothing was written.

    :ivar current: the record as stored now (``None``: it was removed, or its key changed).
    """

    def __init__(self, current: Any | None) -> None:
        super().__init__("the record changed since this page was made; nothing was written")
        self.current = current


@dataclass(frozen=True)
class ConflictRow:
    """One field of a record two people changed at once.

    :ivar name: the column.
    :ivar started: the value when the person opened the form.
    :ivar stored: the value stored now (what the other person saved).
    :ivar yours: the value the person sent.
    """

    name: str
    started: str
    stored: str
    yours: str

    @property
    def both_changed(self) -> bool:
        """Both people changed this field, to different values: the person must choose."""
        return self.started != self.stored and self.yours not in (self.started, self.stored)


def merged_values(
    started: Mapping[str, str], stored: Mapping[str, str], yours: Mapping[str, str]
) -> dict[str, str]:
    """The values a form shows again on top of the stored record: each field the person
    changed keeps their value; every other field takes the value stored now (so saving it
    again keeps the other person's changes to the fields this person left alone)."""
    names = dict.fromkeys([*stored, *yours])
    return {n: yours.get(n, "") if yours.get(n, "") != started.get(n, "") else stored.get(n, "")
            for n in names}  # fmt: skip


def conflict_rows(
    names: Iterable[str],
    started: Mapping[str, str],
    stored: Mapping[str, str],
    yours: Mapping[str, str],
) -> list[ConflictRow]:
    """The fields of ``names`` that someone changed (the other person, this person or both),
    in form order; an untouched field is left out."""
    rows = []
    for name in names:
        row = ConflictRow(name, started.get(name, ""), stored.get(name, ""), yours.get(name, ""))
        if row.started != row.stored or row.yours != row.started:
            rows.append(row)
    return rows


def read_started(text: str | None, fingerprint: str) -> dict[str, str] | None:
    """The values a form started from, as it carried them (JSON), when they match the form's
    ``fingerprint``; ``None`` when they are missing or do not match (a form from an older
    page, or altered)."""
    try:
        values = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        return None
    return values if record_fingerprint(values) == fingerprint else None


@dataclass(frozen=True)
class Conflict:
    """What a person sees when the record they were editing was saved by someone else.

    :ivar rows: the fields changed by either person (:func:`conflict_rows`).
    :ivar started_known: whether the form said what it started from (a form made before this
        was kept does not: the rows then cannot say who changed what).
    :ivar values: the form's values on top of the stored record (:func:`merged_values`).
    """

    rows: list[ConflictRow]
    started_known: bool
    values: dict[str, str]


def record_conflict(
    names: Iterable[str],
    started: Mapping[str, str] | None,
    stored: Mapping[str, str],
    yours: Mapping[str, str],
) -> Conflict:
    """The :class:`Conflict` of a person's values ``yours`` with the record ``stored`` now,
    their form having started from ``started`` (``None``: not known; then their form keeps
    every value they sent)."""
    if started is None:
        rows = [ConflictRow(n, "", stored.get(n, ""), yours.get(n, "")) for n in names
                if stored.get(n, "") != yours.get(n, "")]  # fmt: skip
        return Conflict(rows, False, {**stored, **yours})
    return Conflict(conflict_rows(names, started, stored, yours), True,
                    merged_values(started, stored, yours))  # fmt: skip
