"""The change history in Neo4j: one ``:ChangeRecord`` per write, and reading them back.

Every write ccm-graph makes — ``load`` (plain, ``--sync``, ``--wipe``), the coalition
workflow, ``query --write`` — appends a change record *in the same transaction* as the write,
so a write and its record are committed together or not at all. A record says when (UTC), which
command, who (``--by`` or the OS user), how many records of each kind were added, changed and
removed, and the before/after values of the records it touched. Details are capped at
:data:`DETAILS_LIMIT` characters of JSON; the record then says how many entries were left out
(``details_omitted``). ``--wipe`` deletes ccm-graph records only, never the history.
"""

from __future__ import annotations

import getpass
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from . import __version__
from .queries import (
    CHANGE_LOG_ID,
    change_record_create_query,
    change_records_query,
    newest_change_query,
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


def _capped(details: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    kept: list[dict[str, Any]] = []
    size = 2
    omitted = 0
    for entry in details:
        text = json.dumps(entry, ensure_ascii=False, default=str)
        if omitted or size + len(text) + 1 > DETAILS_LIMIT:
            omitted += 1
            continue
        kept.append(json.loads(text))
        size += len(text) + 1
    return kept, omitted


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
    kept, omitted = _capped(details)
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
    )
    props: dict[str, Any] = {
        "id": record.id,
        "at": record.at,
        "command": record.command,
        "by": record.by,
        "counts": json.dumps(record.counts, ensure_ascii=False),
        "details": json.dumps(record.details, ensure_ascii=False),
        "details_omitted": record.details_omitted,
        "version": record.version,
    }
    if snapshot is not None:
        props["snapshot"] = snapshot
    if source is not None:
        props["source"] = source
    if tx is not None:
        store.run_in(tx, change_record_create_query(), props=props)
    else:

        def append(t: neo4j.ManagedTransaction) -> None:
            begin_write(store, t)
            store.run_in(t, change_record_create_query(), props=props)

        store.write_transaction(append)
    return record


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


def read_history(store: Store, *, since: str | date | datetime | None = None) -> list[ChangeRecord]:
    """The change records, oldest first; only those at or after ``since`` when given.

    ``since`` is a date (the whole day counts) or a date-time (taken as UTC when naive).
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
    rows = store.read_transaction(lambda tx: store.run_in(tx, change_records_query(), since=bound))
    return [_from_props(row["props"]) for row in rows]


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
    )


def _json(text: Any, default: Any) -> Any:
    if not isinstance(text, str):
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return default  # a hand-edited record: show what can be shown
