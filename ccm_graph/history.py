"""The change history in Neo4j: one ``:ChangeRecord`` per write, and reading them back.

Every write ccm-graph makes — ``load`` (plain, ``--sync``, ``--wipe``), the coalition
workflow, ``query --write`` — appends a change record *in the same transaction* as the write,
so a write and its record are committed together or not at all. A record says when (UTC), which
command, who (``--by`` or the OS user), how many records of each kind were added, changed and
removed, and the before/after values of the records it touched. Details are capped at
:data:`DETAILS_LIMIT` characters of JSON; the record then says how many entries were left out
(``details_omitted``). ``--wipe`` deletes ccm-graph records only, never the history.

Restricted records stay out of the history as out of every read path: an entry that concerns
a restricted record (or one that hangs only on a restricted record, as in
``Dataset.without_restricted``) is flagged ``"restricted": true`` when written, and
:func:`read_history` leaves such entries out, and out of the counts, unless
``include_restricted``.
"""

from __future__ import annotations

import getpass
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from . import __version__
from .queries import (
    CHANGE_LOG_ID,
    change_record_create_query,
    change_records_query,
    newest_change_query,
    restricted_keys_query,
    write_lock_query,
)

if TYPE_CHECKING:
    import neo4j

    from .store import Store

__all__ = [
    "DETAILS_LIMIT",
    "ChangeRecord",
    "begin_write",
    "current_user",
    "newest_change",
    "read_history",
    "record_change",
]

DETAILS_LIMIT = 100_000
"""Characters of before/after JSON kept per change record; further entries are counted in
``details_omitted`` but not stored."""


@dataclass(frozen=True)
class ChangeRecord:
    """One write to the shared database.

    :ivar at: when, UTC, ISO 8601 with microseconds (``2026-03-02T09:15:04.123456Z``).
    :ivar command: what wrote, e.g. ``load --sync``, ``coalition set-status``, ``query --write``.
    :ivar by: who: the ``--by`` name, or the OS user name.
    :ivar counts: per kind of record, how many were added, changed, removed (or kept).
    :ivar details: the touched records, each ``{"kind", "key", "action", "before", "after"}``.
    :ivar details_omitted: entries left out of ``details`` to respect :data:`DETAILS_LIMIT`.
    :ivar snapshot: the folder of the snapshot written before the write, if any.
    :ivar source: the seed folder a load came from, if any.
    """

    id: str
    at: str
    command: str
    by: str
    counts: dict[str, Any] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)
    details_omitted: int = 0
    snapshot: str | None = None
    source: str | None = None
    version: str = __version__
    restricted_counts: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)
    """Per kind, how many of :attr:`counts` concern restricted records (flagged when written,
    omitted entries included); not part of :meth:`as_record`."""

    def summary(self) -> str:
        """The counts in words: ``coalition +1; relation +2 ~1 -0``."""
        parts = []
        for kind, numbers in self.counts.items():
            if isinstance(numbers, Mapping):
                text = " ".join(
                    f"{_SIGNS.get(name, name + ' ')}{n}" for name, n in numbers.items() if n
                )
                if text:
                    parts.append(f"{kind} {text}")
            elif numbers:
                parts.append(f"{kind} {numbers}")
        return "; ".join(parts) or "no change"

    def as_record(self) -> dict[str, Any]:
        """A JSON-friendly dict of every field."""
        return {
            "id": self.id,
            "at": self.at,
            "command": self.command,
            "by": self.by,
            "counts": self.counts,
            "details": self.details,
            "details_omitted": self.details_omitted,
            "snapshot": self.snapshot,
            "source": self.source,
            "version": self.version,
        }


_SIGNS = {"added": "+", "changed": "~", "removed": "-", "kept": "kept "}


def current_user() -> str:
    """The OS user name, or ``unknown`` when the system cannot say."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no passwd entry and no USER/LOGNAME variable
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _capped(
    details: Iterable[Mapping[str, Any]], hidden: _Hidden
) -> tuple[list[dict[str, Any]], int, dict[str, dict[str, int]]]:
    """The entries kept under :data:`DETAILS_LIMIT` (flagged ``restricted`` where they
    concern a restricted record), how many were left out, and per kind the counts of the
    restricted ones (kept or not)."""
    kept: list[dict[str, Any]] = []
    size = 2
    omitted = 0
    restricted: dict[str, dict[str, int]] = {}
    for entry in details:
        if hidden.concerns(entry):
            entry = {**entry, "restricted": True}
            name = _COUNT_NAMES.get(str(entry.get("action")))
            if name:
                of_kind = restricted.setdefault(str(entry.get("kind")), {})
                of_kind[name] = of_kind.get(name, 0) + 1
        text = json.dumps(entry, ensure_ascii=False, default=str)
        if omitted or size + len(text) + 1 > DETAILS_LIMIT:
            omitted += 1
            continue
        kept.append(json.loads(text))
        size += len(text) + 1
    return kept, omitted, restricted


_COUNT_NAMES = {"add": "added", "change": "changed", "remove": "removed"}


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _marked_restricted(entry: Mapping[str, Any]) -> bool:
    """The entry says itself that its record is restricted (before or after, or its flag)."""
    if entry.get("restricted") is True:
        return True
    for side in ("before", "after"):
        value = entry.get(side)
        if isinstance(value, Mapping):  # the common case, without building lists
            if value.get("sensitivity") == "restricted":
                return True
        elif any(v.get("sensitivity") == "restricted" for v in _dicts(value)):
            return True
    return False


def _ends(entry: Mapping[str, Any]) -> list[str]:
    """The ids a relation entry hangs on: a coalition workflow's ``A MEMBER_OF B`` key, or an
    obligation's State and a coalition's focus."""
    kind, key = entry.get("kind"), str(entry.get("key"))
    if kind == "relation":
        parts = key.split(" ")
        return [parts[0], parts[2]] if len(parts) == 3 else []
    if kind == "evidence":  # evidence hangs on its record
        values = _dicts(entry.get("before")) + _dicts(entry.get("after"))
        return [str(v["record"]) for v in values if v.get("record") is not None]
    if kind in ("obligation", "coalition"):
        field_name = "state" if kind == "obligation" else "focus"
        values = _dicts(entry.get("before")) + _dicts(entry.get("after"))
        return [str(v[field_name]) for v in values if v.get(field_name) is not None]
    return []


@dataclass
class _Hidden:
    """Keys of the records a reader without ``--include-restricted`` may not see: node ids
    and relation keys (``rel_key`` or ``A MEMBER_OF B``), and the ids each one hangs on."""

    keys: set[str] = field(default_factory=set)
    owners: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, store: Store, tx: neo4j.ManagedTransaction) -> _Hidden:
        """What the database holds as restricted now (in ``tx``)."""
        rows = store.run_in(tx, restricted_keys_query())
        keys: set[str] = set()
        for row in rows:
            keys |= {str(k) for k in row["nodes"] or ()}
            keys |= {str(k) for k in row["relations"] or ()}
        return cls(keys)

    def learn(self, entry: Mapping[str, Any]) -> None:
        """Take in what an entry says: restricted itself, or hanging on which ids."""
        key = str(entry.get("key"))
        if _marked_restricted(entry):
            self.keys.add(key)
        ends = _ends(entry)
        if ends:
            self.owners.setdefault(key, set()).update(ends)

    def concerns(self, entry: Mapping[str, Any]) -> bool:
        """Whether the entry concerns a restricted record or one that hangs on it."""
        if _marked_restricted(entry):
            return True
        if not self.keys:  # nothing restricted known: nothing hangs on it either
            return False
        return self._hides(str(entry.get("key")), set(_ends(entry)))

    def _hides(self, key: str, ends: set[str]) -> bool:
        if key in self.keys:
            return True
        for end in ends | self.owners.get(key, set()):
            # an end is hidden when restricted, or an obligation or coalition of a hidden State
            if end in self.keys or self.owners.get(end, set()) & self.keys:
                return True
        return False


def record_change(
    store: Store,
    tx: neo4j.ManagedTransaction | None,
    *,
    command: str,
    by: str | None = None,
    counts: Mapping[str, Any] | None = None,
    details: Iterable[Mapping[str, Any]] = (),
    snapshot: str | None = None,
    source: str | None = None,
) -> ChangeRecord:
    """Append a change record; inside ``tx`` when given (so it commits with the write it
    describes), else in a write transaction of its own.

    :param command: what wrote, as a person would type it (``load --sync``).
    :param by: who; default :func:`current_user`.
    :param counts: per kind, e.g. ``{"coalition": {"added": 1}}`` (any JSON-friendly mapping).
    :param details: the touched records, ``{"kind", "key", "action", "before", "after"}``
        each; capped at :data:`DETAILS_LIMIT` characters of JSON.
    """

    def write(t: neo4j.ManagedTransaction, entries: Iterable[Mapping[str, Any]]) -> ChangeRecord:
        kept, omitted, restricted = _capped(entries, _Hidden.read(store, t))
        record = ChangeRecord(
            id=uuid.uuid4().hex,
            at=_now(),
            command=command,
            by=by or current_user(),
            counts=json.loads(json.dumps(dict(counts or {}), default=str)),
            details=kept,
            details_omitted=omitted,
            snapshot=snapshot,
            source=source,
            restricted_counts=restricted,
        )
        props: dict[str, Any] = {
            "id": record.id,
            "at": record.at,
            "command": record.command,
            "by": record.by,
            "counts": json.dumps(record.counts, ensure_ascii=False),
            "details": json.dumps(record.details, ensure_ascii=False),
            "details_omitted": record.details_omitted,
            "restricted_counts": json.dumps(restricted),
            "version": record.version,
        }
        if snapshot is not None:
            props["snapshot"] = snapshot
        if source is not None:
            props["source"] = source
        store.run_in(t, change_record_create_query(), props=props)
        return record

    if tx is not None:
        return write(tx, details)
    entries = list(details)  # the driver may run the transaction function again

    def append(t: neo4j.ManagedTransaction) -> ChangeRecord:
        begin_write(store, t)  # writes take turns (see begin_write)
        return write(t, entries)

    return store.write_transaction(append)


def begin_write(store: Store, tx: neo4j.ManagedTransaction) -> ChangeRecord | None:
    """Start a write in ``tx``: take the database's write lock, then read the newest change
    record (``None`` when there is no history).

    Every ccm-graph write calls this first, so writes take turns: a second one waits here until
    the first has committed (or rolled back), and what it reads afterwards includes the first
    one's changes. A write planned earlier (``load --sync``) compares the change record returned
    with the one it planned against.
    """
    store.run_in(tx, write_lock_query(), id=CHANGE_LOG_ID)
    return newest_change(store, tx)


def newest_change(store: Store, tx: neo4j.ManagedTransaction) -> ChangeRecord | None:
    """The newest change record, read inside ``tx``; ``None`` when there is none."""
    rows = store.run_in(tx, newest_change_query())
    return _from_props(rows[0]["props"]) if rows else None


def read_history(
    store: Store,
    *,
    since: str | date | datetime | None = None,
    include_restricted: bool = False,
) -> list[ChangeRecord]:
    """The change records, oldest first; only those at or after ``since`` when given.

    ``since`` is a date (the whole day counts) or a date-time (taken as UTC when naive).
    Entries that concern restricted records (flagged when written, marked restricted in their
    own values, or restricted in the database now, with what hangs only on them) are left out,
    and out of the counts, unless ``include_restricted``.
    """
    bound: str | None
    if since is None:
        bound = None
    elif isinstance(since, datetime):
        moment = since if since.tzinfo else since.replace(tzinfo=UTC)
        bound = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    elif isinstance(since, date):
        bound = since.isoformat()
    else:
        bound = since
    if include_restricted:
        rows = store.read_transaction(
            lambda tx: store.run_in(tx, change_records_query(), since=bound)
        )
        return [_from_props(row["props"]) for row in rows]

    def read(tx: neo4j.ManagedTransaction) -> tuple[list[dict[str, Any]], _Hidden]:
        # every record, not only those since the bound: an earlier one may say that a record
        # is restricted or what it hangs on
        return store.run_in(tx, change_records_query(), since=None), _Hidden.read(store, tx)

    rows, hidden = store.read_transaction(read)
    records = [_from_props(row["props"]) for row in rows]
    for record in records:
        for entry in record.details:
            hidden.learn(entry)
    return [
        _without_restricted(record, hidden)
        for record in records
        if bound is None or record.at >= bound
    ]


def _without_restricted(record: ChangeRecord, hidden: _Hidden) -> ChangeRecord:
    """``record`` as a reader without ``--include-restricted`` may see it."""
    details, counts = [], json.loads(json.dumps(record.counts))
    left_out = {kind: dict(numbers) for kind, numbers in record.restricted_counts.items()}
    for entry in record.details:
        if not hidden.concerns(entry):
            details.append(entry)
        elif entry.get("restricted") is not True:  # hidden now, not counted when written
            name = _COUNT_NAMES.get(str(entry.get("action")))
            if name:
                of_kind = left_out.setdefault(str(entry.get("kind")), {})
                of_kind[name] = of_kind.get(name, 0) + 1
    for kind, numbers in left_out.items():
        shown = counts.get(kind)
        if not isinstance(shown, dict):
            continue
        for name, n in numbers.items():
            if isinstance(shown.get(name), int):
                shown[name] = max(0, shown[name] - n)
    return replace(record, details=details, counts=counts, restricted_counts={})


def _from_props(props: Mapping[str, Any]) -> ChangeRecord:
    return ChangeRecord(
        id=str(props.get("id", "")),
        at=str(props.get("at", "")),
        command=str(props.get("command", "")),
        by=str(props.get("by", "")),
        counts=_json(props.get("counts"), {}),
        details=_json(props.get("details"), []),
        details_omitted=int(props.get("details_omitted") or 0),
        snapshot=props.get("snapshot"),
        source=props.get("source"),
        version=str(props.get("version", "")),
        restricted_counts=_json(props.get("restricted_counts"), {}),
    )


def _json(text: Any, default: Any) -> Any:
    if not isinstance(text, str):
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return default  # a hand-edited record: show what can be shown
