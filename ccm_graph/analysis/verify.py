"""The "to verify" queue: facts in the data that a coordinator should check against a newer
source, built from the data alone (a pure function, no I/O): the records, their evidence rows
(``Dataset.evidence``) and the stated coverage (``Dataset.info.coverage``).

Five kinds of item, each naming the record and the fields to look at:

- ``decision``: an extension request whose decision is not recorded (outcome ``pending`` or
  ``not_recorded``): the meeting that considered it may have decided since.
- ``deadline``: an open or extended obligation whose deadline has passed by ``today`` with no
  completion recorded; passed *after* the data's as-of date, the data cannot know what
  happened, passed before it, the data say nothing about it.
- ``indicative``: an evidence row marked ``indicative`` (no stored source states the value).
- ``unsupported``: an obligation whose facts have no evidence row at all (the facts
  :func:`~ccm_graph.dataset.evidence.expected_fields` names).
- ``coverage``: a recipient whose funding records (the stated coverage) end before ``today``'s
  year: the years after are not known, not "no funding".

>>> from ccm_graph.dataset import Dataset
>>> from ccm_graph.schema import Obligation
>>> ob = Obligation("ob-X-4", "X", 4, "2026-03-01", "extended", extensions=1,
...                 granted_by="2RC", extension_requested="2025",
...                 request_outcome="not_recorded", source="s")
>>> [i.kind for i in to_verify(Dataset(obligations=[ob]), as_of=date(2026, 2, 27),
...                             today=date(2026, 12, 7))]
['decision', 'deadline', 'unsupported']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..dataset.evidence import expected_fields
from ..wording import Phrase, say, say_n

if TYPE_CHECKING:
    from ..dataset import Dataset
    from ..schema import Evidence, Obligation

__all__ = ["ITEM_KINDS", "VerifyItem", "to_verify"]

ITEM_KINDS = ("decision", "deadline", "indicative", "unsupported", "coverage")
"""The kinds of item, in the queue's order."""

DECISION_FIELDS = ("deadline", "status", "extensions", "granted_by", "request_outcome",
                   "requested_deadline", "completed")  # fmt: skip
DEADLINE_FIELDS = ("deadline", "status", "extensions", "granted_by", "extension_requested",
                   "request_outcome", "requested_deadline", "completed")  # fmt: skip


@dataclass(frozen=True)
class VerifyItem:
    """One fact to check: what it is about, why, and which fields a fix would change.

    :ivar key: stable within the data (``decision:ob-LAO-4``): the item's address.
    :ivar kind: one of :data:`ITEM_KINDS`.
    :ivar record: the id of the record to look at (an obligation, or a recipient State).
    :ivar table: ``obligation`` or ``actor``: the kind of :attr:`record`.
    :ivar fields: the fields a fix would set (for ``coverage``: none; a fix adds funding).
    :ivar reason: why it is in the queue, as a sentence people read.
    """

    key: str
    kind: str
    record: str
    table: str
    fields: tuple[str, ...]
    reason: Phrase

    @property
    def confirms(self) -> tuple[str, ...]:
        """The fields whose current value a fix's source states even when left unchanged:
        an indicative or unsourced fact is verified by quoting it; a decision or a deadline
        is verified by the new values."""
        return self.fields if self.kind in ("indicative", "unsupported") else ()


def to_verify(dataset: Dataset, *, as_of: date, today: date) -> list[VerifyItem]:
    """Every item to verify in ``dataset``, by kind (:data:`ITEM_KINDS`), then record id.

    The evidence rows are ``dataset.evidence`` (none: every obligation with facts is
    ``unsupported``); the funding coverage is ``dataset.info.coverage`` (a recipient whose
    window states no last year, or no coverage stated: no ``coverage`` item).

    :param as_of: the data's as-of date.
    :param today: the day the queue is made (deadlines passed by then).
    """
    rows = dataset.evidence
    items: list[VerifyItem] = []
    for ob in dataset.obligations:
        items += _obligation_items(ob, as_of, today)
    items += _indicative_items(rows)
    items += _unsupported_items(dataset.obligations, rows)
    funding = dataset.info.coverage.funding
    covered = {r: w.last for r, w in (funding.recipients if funding else ()) if w.last is not None}
    for state, last in sorted(covered.items()):
        if last < today.year:
            items.append(VerifyItem(f"coverage:{state}", "coverage", state, "actor", (), say(
                "Funding records cover the years up to {year}; later years are not known.",
                year=last)))  # fmt: skip
    rank = {kind: i for i, kind in enumerate(ITEM_KINDS)}
    return sorted(items, key=lambda i: (rank[i.kind], i.record, i.key))


def _obligation_items(ob: Obligation, as_of: date, today: date) -> list[VerifyItem]:
    """The decision and deadline items of one obligation."""
    items = []
    if ob.request_outcome in ("pending", "not_recorded") and ob.extension_requested:
        items.append(VerifyItem(f"decision:{ob.id}", "decision", ob.id, "obligation",
                                DECISION_FIELDS, say(
            "An extension was requested ({requested}); its decision is not recorded.",
            requested=ob.extension_requested)))  # fmt: skip
    if ob.status in ("open", "extended") and ob.deadline and not ob.completed:
        deadline = date.fromisoformat(ob.deadline)
        if deadline < today:
            reason = (
                say("The deadline {deadline} passed after the data's date ({as_of}).",
                    deadline=ob.deadline, as_of=as_of.isoformat())
                if deadline >= as_of else
                say("The deadline {deadline} has passed; no completion or new deadline is "
                    "recorded.", deadline=ob.deadline)
            )  # fmt: skip
            items.append(VerifyItem(f"deadline:{ob.id}", "deadline", ob.id, "obligation",
                                    DEADLINE_FIELDS, reason))  # fmt: skip
    return items


def _indicative_items(rows: list[Evidence]) -> list[VerifyItem]:
    """One item per record and field whose evidence is marked indicative."""
    seen: dict[tuple[str, str], Evidence] = {}
    for row in rows:
        if row.status == "indicative":
            seen.setdefault((row.record, row.field), row)
    return [
        VerifyItem(
            f"indicative:{record}:{name}",
            "indicative",
            record,
            "obligation" if record.startswith("ob-") else "actor",
            (name,) if "." not in name else (),
            say(
                "{field} = {value} is indicative: no stored source states it.",
                field=name,
                value=row.value,
            ),
        )
        for (record, name), row in seen.items()
    ]


def _unsupported_items(obligations: Iterable[Obligation], rows: list[Evidence]) -> list[VerifyItem]:
    """One item per obligation with evidence-bearing fields that no evidence row covers."""
    covered = {(r.record, r.field) for r in rows}
    items = []
    for ob in obligations:
        missing = [name for name, _ in expected_fields(ob) if (ob.id, name) not in covered]
        if missing:
            shown = tuple(m for m in missing if "." not in m)
            items.append(VerifyItem(f"unsupported:{ob.id}", "unsupported", ob.id, "obligation",
                                    shown, say_n(
                "{count} fact has no source excerpt: {fields}.",
                "{count} facts have no source excerpt: {fields}.",
                len(missing), fields=", ".join(missing))))  # fmt: skip
    return items
