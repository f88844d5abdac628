"""A filled-in workbook uploaded to the workbench: read with the workbook reader's rules and
limits, previewed as ``load --sync --dry-run`` previews a folder, applied as ``--sync``.

The workbook stands for the whole data (as a folder does for ``--sync``): records it lacks are
removed, except restricted ones, which the workbench never shows and so never removes (they
are kept as they are). Problems are said as ``sheet:row: column: message``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dataset import Dataset
from ..diff import DatasetDiff, diff_datasets
from ..errors import DataError, Problem
from ..schema import NODE_TABLES
from ..source import DataSource
from ..workbook.layout import sheet_name
from ..workbook.reading import read_workbook
from .saving import Saved, data_digest, full_dataset, save_dataset

__all__ = ["MAX_UPLOAD_BYTES", "UploadPreview", "apply_upload", "preview_upload", "read_upload"]

MAX_UPLOAD_BYTES = 20_000_000
"""The largest workbook accepted (bytes, as sent); the reader's own limits (rows, cells, the
archive's unpacked size and compression ratio) apply to what it holds."""

UPLOAD_NAME = "upload.xlsx"


def read_upload(content: bytes) -> Dataset:
    """The records of an uploaded workbook, checked with the seed files' rules.

    :raises DataError: every problem, as ``sheet:row: column: message`` (``sheet``: the
        workbook's sheet; a problem with the file as a whole has no sheet).
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise DataError([Problem("workbook", None, f"larger than {MAX_UPLOAD_BYTES:,} bytes; "
                                 "split it or load it with ccm-graph load")])  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="ccm-graph-upload-") as folder:
        path = Path(folder) / UPLOAD_NAME
        path.write_bytes(content)
        try:
            return read_workbook(path)
        except DataError as exc:
            raise DataError([_located(p, str(path)) for p in exc.problems]) from None


def _located(problem: Problem, display: str) -> Problem:
    """``upload.xlsx:sheet`` → ``sheet``: the file's name means nothing to the person who
    uploaded it."""
    name = problem.file.removeprefix(display).removeprefix(":")
    return Problem(name or "workbook", problem.line, problem.message)


@dataclass
class UploadPreview:
    """What applying an uploaded workbook would do; nothing is written.

    :ivar new: the data after applying (the workbook, and the restricted records kept).
    :ivar diff: added, changed and removed records (restricted ones are counted, not named:
        :attr:`restricted`).
    :ivar base: the :func:`~ccm_graph.keeping.saving.data_digest` of the data it compares to.
    """

    new: Dataset
    diff: DatasetDiff
    base: str
    restricted: int = 0
    kept_restricted: int = 0
    lines: list[str] = field(default_factory=list)


def preview_upload(
    source: DataSource, uploaded: Dataset, *, include_restricted: bool = False
) -> UploadPreview:
    """Compare ``uploaded`` with ``source``'s data, as ``load --sync --dry-run`` does.

    Restricted records, and those that hang only on one, are kept as they are when the
    workbook lacks them. For a reader who may not see them (``include_restricted`` false)
    the preview neither names nor counts them, and a workbook that holds one of their ids
    (or a relation of the same key) is refused: it would overwrite a record that reader
    cannot see. With ``include_restricted`` every change is shown.

    :raises DataError: the workbook holds a record the reader may not see.
    """
    current = full_dataset(source)
    if not include_restricted:
        _refuse_hidden(current, uploaded)
    new, kept = _keep_restricted(current, uploaded)
    diff = diff_datasets(current, new, gaps=False)
    if include_restricted:
        return UploadPreview(new, diff, data_digest(current), 0, kept)
    shown = [r for r in diff.records if not r.restricted]
    preview = UploadPreview(new, diff, data_digest(current))
    preview.diff.records = shown
    return preview


def _refuse_hidden(current: Dataset, uploaded: Dataset) -> None:
    """Refuse a workbook whose records would replace records hidden from its reader."""
    public = current.without_restricted()
    hidden = {r.id for _, r in current.nodes()} - {r.id for _, r in public.nodes()}
    hidden_keys = {r.key for r in current.relations} - {r.key for r in public.relations}
    problems = [
        Problem(sheet_name(spec), None, f"{record.id}: this id cannot be used; choose another one")
        for spec in NODE_TABLES for record in uploaded.table(spec) if record.id in hidden
    ] + [
        Problem("relations", None, f"{r.from_id} {r.type} {r.to_id}: this relation cannot be "
                "written here")
        for r in uploaded.relations if r.key in hidden_keys
    ]  # fmt: skip
    if problems:
        raise DataError(problems)


def _keep_restricted(current: Dataset, uploaded: Dataset) -> tuple[Dataset, int]:
    """``uploaded`` with the records of ``current`` the workbench never shows (restricted
    ones and what hangs on them, as :meth:`~ccm_graph.dataset.Dataset.without_restricted`
    leaves out) added back, and how many; their evidence rows are kept too (not counted)."""
    ids = {r.id for _, r in uploaded.nodes()}
    keys = {r.key for r in uploaded.relations}
    public = current.without_restricted()
    shown = {r.id for _, r in public.nodes()} | {r.key for r in public.relations}
    tables: dict[str, list[Any]] = {}
    kept = 0
    for name in ("actors", "obligations", "coalitions", "activities"):
        rows = list(getattr(uploaded, name))
        for record in getattr(current, name):
            if record.id not in shown and record.id not in ids:  # never shown: kept as it is
                rows.append(record)
                kept += 1
        tables[name] = rows
    relations = list(uploaded.relations)
    for rel in current.relations:
        if rel.key not in shown and rel.key not in keys:  # restricted, or hangs on such a record
            relations.append(rel)
            kept += 1
    evidence = [*uploaded.evidence, *(e for e in current.evidence if e.record not in shown)]
    info = uploaded.info if uploaded.info.stated else current.info
    for name, rows in tables.items():
        tables[name] = _in_order_of(rows, [r.id for r in getattr(current, name)], lambda r: r.id)
    relations = _in_order_of(relations, [r.key for r in current.relations], lambda r: r.key)
    evidence = _in_order_of(evidence, [e.key for e in current.evidence], lambda e: e.key)
    return Dataset(tables["actors"], tables["obligations"], tables["coalitions"],
                   tables["activities"], relations, evidence, info=info), kept  # fmt: skip


def _in_order_of(rows: list[Any], order: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    """``rows`` in the order their keys have in ``order`` (the folder's), new ones after in
    the workbook's order: a folder written back changes only where the data changed."""
    rank = {k: i for i, k in enumerate(order)}
    return sorted(rows, key=lambda r: rank.get(key(r), len(rank)))


def apply_upload(
    source: DataSource,
    preview: UploadPreview,
    *,
    by: str | None = None,
    snapshots_dir: str | os.PathLike[str] | None = None,
) -> Saved:
    """Write ``preview``'s data to ``source`` (a snapshot first), refusing when the data
    changed since the preview (:class:`~ccm_graph.errors.ConcurrentChange`)."""
    counts = preview.diff.counts()
    summary = "; ".join(
        f"{kind} " + " ".join(f"{sign}{n[action]}" for action, sign in
                              (("added", "+"), ("changed", "~"), ("removed", "-")) if n[action])
        for kind, n in counts.items() if any(n.values())
    ) or "no change"  # fmt: skip
    return save_dataset(source, lambda _current: preview.new, expected=preview.base,
                        summary=f"workbook upload: {summary}", by=by,
                        snapshots_dir=snapshots_dir)  # fmt: skip
