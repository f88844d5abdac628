"""Writing a change made in the workbench back where the data live, with the CLI's safety.

- A **seed folder**: the current files are copied to a snapshot first
  (``snapshot-YYYYMMDDTHHMMSSZ`` in ``snapshots/`` beside the folder, a full export), then the
  seed tables (``evidence.csv`` among them, :data:`~ccm_graph.schema.EVIDENCE_TABLE`) are
  written all or none (:func:`~ccm_graph.files.write_together`), records kept in their file
  order; one line per change goes to ``workbench-history.jsonl`` in the snapshots folder (what
  the history page lists for a folder), flagged ``"restricted": true`` when the change
  concerns a restricted record (or one that hangs only on one). Writes take turns: those of
  one process by a lock per folder, those of several processes (two workbenches on one
  folder) by a lock on the folder (POSIX ``flock``).
- **Neo4j**: the changed dataset, its evidence included, is planned as ``load --sync`` plans
  (:func:`~ccm_graph.sync.plan_load`), and only the records the plan adds, changes and
  removes are written (:func:`~ccm_graph.sync.apply_changes`): the write lock, a check that
  nothing changed since the plan, and a change record with each changed field's value before
  and each removed record's values, in the same transaction; a snapshot first only when the
  step removes records (or its change record could not keep every old value). The written
  records count as edited in Neo4j (their load stamp stays), as the coalition workflow's
  edits do. The change is made and
  planned against one reading of the database; when another process wrote in between, the
  plan is refused and the change made again on the newer data (:data:`SAVE_ATTEMPTS`); the
  saves of one process take turns.
- A **workbook** is read only here (edit the workbook, or serve its folder).

A change's evidence rows are part of the dataset it gives (``Dataset.evidence``; a fix adds
them with :func:`~ccm_graph.keeping.evidence.with_evidence`). Every write is checked with the
seed files' rules first (the value rules, then :func:`~ccm_graph.dataset.check_dataset`, the
evidence's checks among them); nothing is written when one fails. A change is made
against the data as a person saw them (:func:`data_digest`): when they changed meanwhile, the
write is refused (:class:`~ccm_graph.errors.ConcurrentChange`), as ``load --sync`` refuses a
stale plan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import os
import random
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..dataset import Dataset, check_dataset, check_values
from ..dataset.writing import _csv_text
from ..errors import ConcurrentChange, DataError, OutputError
from ..files import write_together
from ..history import current_user
from ..schema import EVIDENCE_TABLE, TABLES
from ..source import DataSource
from ..sync import default_snapshots_dir, write_snapshot
from .visibility import concerns_hidden, hidden_keys, names_hidden

__all__ = [
    "HISTORY_FILE",
    "SAVE_ATTEMPTS",
    "Saved",
    "change_history",
    "data_digest",
    "full_dataset",
    "save_dataset",
    "snapshots_dir_of",
]

HISTORY_FILE = "workbench-history.jsonl"
"""The changes written to a seed folder from the workbench, one JSON line each, in the
snapshots folder (a folder has no change records of its own)."""

SAVE_ATTEMPTS = 8
"""How many times a save to Neo4j is made again on newer data when another process wrote
between its reading and its writing (each attempt re-checks the record it changes)."""

_LOCKS: dict[Hashable, threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Saved:
    """What a save did.

    :ivar snapshot: the snapshot written first (``None``: Neo4j needed none: the step only
        added and changed records, and the change record keeps the old values).
    :ivar evidence: where the change's evidence rows were written (the folder's
        ``evidence.csv``, or the Neo4j database); ``None``: the evidence did not change.
    :ivar summary: the change in one line (``obligation ~1``).
    """

    snapshot: Path | None
    evidence: str | None
    summary: str


def data_digest(dataset: Dataset) -> str:
    """A fingerprint of every record and the metadata: equal digests, equal data."""
    return hashlib.sha256(repr(dataset.sorted()).encode("utf-8")).hexdigest()


def full_dataset(source: DataSource) -> Dataset:
    """Every record of ``source``, restricted ones included (what a write starts from; never
    shown)."""
    return source.read(include_restricted=True).dataset


def snapshots_dir_of(source: DataSource, snapshots_dir: str | os.PathLike[str] | None) -> Path:
    """Where snapshots go: ``snapshots_dir``, else ``snapshots/`` beside the seed folder, else
    ``snapshots`` in the working folder (Neo4j)."""
    if snapshots_dir is not None:
        return Path(snapshots_dir)
    if source.kind == "seed" and source.path is not None:
        return default_snapshots_dir(source.path)
    return Path("snapshots").resolve()


def save_dataset(
    source: DataSource,
    change: Callable[[Dataset], Dataset],
    *,
    expected: str | None,
    summary: str,
    note: str = "",
    by: str | None = None,
    snapshots_dir: str | os.PathLike[str] | None = None,
) -> Saved:
    """Apply ``change`` (the full dataset → the new one, its evidence rows included) to
    ``source`` and write the result.

    :param expected: the :func:`data_digest` of the data the change was made against
        (``None``: no check).
    :param summary: the change in a few words, for the history.
    :raises ConcurrentChange: the data changed since ``expected``; nothing is written.
    :raises DataError: the new data break the rules; nothing is written.
    :raises OutputError: a workbook source, or the folder cannot be written.
    """
    if source.kind == "workbook" or (source.kind == "seed" and source.path is None):
        raise OutputError("a workbook is read only in the workbench; serve a seed folder or "
                          "Neo4j to edit the data")  # fmt: skip
    snapshots = snapshots_dir_of(source, snapshots_dir)
    if source.kind == "neo4j":
        return _save_to_neo4j(source, change, expected=expected, summary=summary,
                              note=note, by=by, snapshots=snapshots)  # fmt: skip
    assert source.path is not None
    folder = Path(source.path)
    with _folder_lock(folder), _across_processes(folder):
        current = full_dataset(source)
        _refuse_if_changed(current, expected)
        new = _checked(change(current))
        snapshot = write_snapshot(current, snapshots)
        _write_folder(folder, new)
        added = _new_evidence(current, new)
        hidden = {"restricted": True} if concerns_hidden(current, new) else {}
        _log(snapshots, summary=summary, note=note, by=by, snapshot=snapshot, evidence=added,
             **hidden)  # fmt: skip
    source.refresh()
    return Saved(snapshot, str(folder / EVIDENCE_TABLE.file) if added else None, summary)


def _save_to_neo4j(
    source: DataSource,
    change: Callable[[Dataset], Dataset],
    *,
    expected: str | None,
    summary: str,
    note: str,
    by: str | None,
    snapshots: Path,
) -> Saved:
    """Write ``change`` to Neo4j, made against what Neo4j holds and planned against that same
    reading, and only what it adds, changes and removes written (:func:`apply_changes`): a
    write committed by another process in between makes it refuse the plan (under the write
    lock), and the change is made again on the newer data, up to
    :data:`SAVE_ATTEMPTS` times, so neither write undoes the other. The saves of one process
    take turns (a lock per database), so they do not refuse each other."""
    from ..sync import apply_changes, plan_load, read_stored

    store = source.store()
    with _lock_of(_database_key(source)):
        for attempt in itertools.count(1):
            stored = read_stored(store)
            if stored.dataset is None:
                assert stored.problem is not None
                raise stored.problem
            current = stored.dataset
            _refuse_if_changed(current, expected)
            new = _checked(change(current))
            plan = plan_load(store, new, "sync", stored=stored)
            # Only what the change adds, changes and removes is written; a record the coalition
            # workflow edited may change too (the change was made on its values as stored, and
            # the change record keeps them): no edit is lost, so nothing is forced.
            why = f"workbench: {summary}. {note}".strip()
            try:
                outcome = apply_changes(store, new, plan, snapshots_dir=snapshots,
                                        by=by or current_user(), source=why)  # fmt: skip
            except ConcurrentChange:
                if attempt >= SAVE_ATTEMPTS:
                    raise
                # another process wrote: wait a random, growing while (so that processes
                # saving at once do not keep meeting), then make the change on its data
                time.sleep(random.uniform(0.05, 0.25) * 2 ** min(attempt - 1, 4))
                continue
            break
    source.refresh()
    return Saved(outcome.snapshot, source.describe() if _new_evidence(current, new) else None,
                 summary)  # fmt: skip


def _new_evidence(current: Dataset, new: Dataset) -> int:
    """How many evidence rows ``new`` has that ``current`` has not (added or replaced)."""
    before = set(current.evidence)
    return sum(1 for row in new.evidence if row not in before)


def _refuse_if_changed(current: Dataset, expected: str | None) -> None:
    if expected is not None and data_digest(current) != expected:
        raise ConcurrentChange(
            "the data changed since this page was made; nothing was written. Open the record "
            "again to see the new values and make the change again."
        )


def _checked(dataset: Dataset) -> Dataset:
    """``dataset`` with its values checked, or :class:`DataError` naming every problem."""
    plain = dataclasses.replace(dataset, origins={})
    checked, problems = check_values(plain)
    problems += check_dataset(checked)
    if problems:
        raise DataError(problems)
    return checked


def _write_folder(folder: Path, dataset: Dataset) -> None:
    """The seed tables in their records' order, together (as the dataset writer writes
    them); an optional table (``evidence.csv``) only when it has rows or the folder has it."""
    with write_together(folder) as files:
        for spec in TABLES:
            rows = dataset.table(spec)
            if spec.optional and not rows and not (folder / spec.file).exists():
                continue
            names = [f.name for f in dataclasses.fields(spec.record)]
            files.write(spec.file, _csv_text(spec.columns, names, rows))


def _log(snapshots: Path, **entry: Any) -> None:
    """Append one line to the folder's workbench history."""
    entry = {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
             **entry, "by": entry.get("by") or current_user(),
             "snapshot": str(entry["snapshot"]) if entry.get("snapshot") else None}  # fmt: skip
    snapshots.mkdir(parents=True, exist_ok=True)
    with (snapshots / HISTORY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def change_history(source: DataSource, snapshots_dir: str | os.PathLike[str] | None = None,
                   limit: int = 100, *, include_restricted: bool = False,
                   ) -> list[dict[str, Any]]:  # fmt: skip
    """The last ``limit`` changes written, newest first, each ``when``, ``by``, ``summary``,
    ``note`` and ``snapshot``: Neo4j's change records, or for a seed folder the workbench's
    own history (:data:`HISTORY_FILE`).

    Unless ``include_restricted``, the changes that concern a restricted record, or one that
    hangs only on one, are left out (and not counted in ``limit``): a change record whose
    every entry is hidden (:func:`~ccm_graph.history.read_history`), a history line flagged
    when written or naming such a record (:func:`~ccm_graph.keeping.visibility.names_hidden`).
    """
    if source.kind == "neo4j":
        return _neo4j_history(source, limit, include_restricted)
    path = snapshots_dir_of(source, snapshots_dir) / HISTORY_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    hidden = set() if include_restricted else hidden_keys(full_dataset(source))
    entries: list[dict[str, Any]] = []
    for line in reversed(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and (include_restricted or not names_hidden(entry, hidden)):
            entries.append(entry)
            if len(entries) == limit:
                break
    return entries


def _neo4j_history(source: DataSource, limit: int, include_restricted: bool
                   ) -> list[dict[str, Any]]:  # fmt: skip
    """Neo4j's change records as the history page lists them (see :func:`change_history`)."""
    from ..history import read_history

    store = source.store()
    records = read_history(store, include_restricted=include_restricted)
    if not include_restricted:
        touched = {r.id for r in read_history(store, include_restricted=True) if r.details}
        records = [r for r in records if r.details or r.id not in touched]
    return [{"when": r.at, "by": r.by, "summary": f"{r.command}: {r.summary()}",
             "note": r.source or "", "snapshot": r.snapshot}
            for r in reversed(records[-limit:])]  # fmt: skip


def _folder_lock(folder: Path) -> threading.Lock:
    return _lock_of(folder.resolve())


@contextlib.contextmanager
def _across_processes(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock against other processes (an advisory ``flock`` on the
    folder itself: nothing is created, and the lock goes with the process); where the system
    has no ``flock`` (Windows), only the writes of this process take turns."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # no such folder: reading it says so
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _database_key(source: DataSource) -> Hashable:
    """One Neo4j database, however many sources name it."""
    assert source.connection is not None
    c = source.connection
    return ("neo4j", c.uri, c.user, c.database)


def _lock_of(key: Hashable) -> threading.Lock:
    """The lock the writes of this process to one place (a folder, a database) take in turn."""
    with _LOCKS_LOCK:
        return _LOCKS.setdefault(key, threading.Lock())
