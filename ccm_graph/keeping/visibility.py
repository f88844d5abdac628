"""Which records a reader without the confidential role may not see, and which changes
concern them: what keeps a restricted record out of the history and out of an upload.

A record is *hidden* when :meth:`~ccm_graph.dataset.Dataset.without_restricted` leaves it
out: restricted itself, or hanging only on a restricted record (an obligation of a restricted
State, a coalition focused on one, a relation that touches one). Records are named by their
address in the workbench (:func:`~ccm_graph.keeping.forms.record_key`: the id, or ``r-…`` for
a relation), the words a change's summary uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..dataset import Dataset
from ..schema import NODE_TABLES
from .forms import record_key

__all__ = ["changed_keys", "concerns_hidden", "hidden_conflict", "hidden_keys", "names_hidden"]


def hidden_keys(dataset: Dataset) -> set[str]:
    """The keys of ``dataset``'s records that a reader without the confidential role never
    sees."""
    public = dataset.without_restricted()
    return _keys(dataset) - _keys(public)


def _keys(dataset: Dataset) -> set[str]:
    return {r.id for _, r in dataset.nodes()} | {record_key(r) for r in dataset.relations}


def changed_keys(before: Dataset, after: Dataset) -> set[str]:
    """The keys of the records added, changed or removed from ``before`` to ``after``, and
    the records whose evidence rows changed."""
    changed: set[str] = set()
    for spec in NODE_TABLES:
        old = {r.id: r for r in before.table(spec)}
        new = {r.id: r for r in after.table(spec)}
        changed |= {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    old_relations = {record_key(r): r for r in before.relations}
    new_relations = {record_key(r): r for r in after.relations}
    changed |= {k for k in old_relations.keys() | new_relations.keys()
                if old_relations.get(k) != new_relations.get(k)}  # fmt: skip
    changed |= {e.record for e in set(before.evidence) ^ set(after.evidence)}
    return changed


def concerns_hidden(before: Dataset, after: Dataset) -> bool:
    """Whether the change from ``before`` to ``after`` touches a record hidden in either."""
    return bool(changed_keys(before, after) & (hidden_keys(before) | hidden_keys(after)))


_WORDS = re.compile(r"[^\s:,;()]+")


def names_hidden(entry: Mapping[str, Any], hidden: set[str]) -> bool:
    """Whether a history line is about a hidden record: flagged so when written
    (``"restricted": true``), or, for a line written before lines were flagged, its summary
    names one (``edited actor X``, ``verified decision:ob-X-4: …``)."""
    if entry.get("restricted") is True:
        return True
    return any(word in hidden for word in _WORDS.findall(str(entry.get("summary") or "")))


def hidden_conflict(everything: Dataset, old: Any | None, new: Any) -> str | None:
    """Why a reader who may not see the hidden records cannot save ``new`` in place of
    ``old`` (``None``: a new record), said without naming a hidden record: ``"taken"``, its
    key is a hidden record's; ``"referenced"``, its id changes and a hidden record refers to
    the old one. ``None`` when the save concerns no hidden record."""
    hidden = hidden_keys(everything)
    key = record_key(new)
    if key in hidden and (old is None or record_key(old) != key):
        return "taken"
    before = getattr(old, "id", None)
    moved = before is not None and before != getattr(new, "id", None)
    if moved and _referring(everything, str(before)) & hidden:
        return "referenced"
    return None


def _referring(dataset: Dataset, ident: str) -> set[str]:
    """The keys of the records that refer to ``ident``."""
    found = {record_key(r) for r in dataset.relations if ident in (r.from_id, r.to_id)}
    found |= {o.id for o in dataset.obligations if o.state == ident}
    found |= {c.id for c in dataset.coalitions if c.focus == ident}
    return found
