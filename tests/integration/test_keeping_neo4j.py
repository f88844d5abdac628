"""Keeping the data current on Neo4j: a workbench save is planned as ``load --sync`` plans and
writes what the change changes (the write lock, the stale check, a change record), its
evidence rows stored as ``:Evidence`` nodes, restricted records untouched; an uploaded
workbook's preview made stale by another write is refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.errors import ConcurrentChange
from ccm_graph.history import read_history
from ccm_graph.keeping import (
    FixSource,
    apply_upload,
    change_history,
    data_digest,
    find_record,
    fix_evidence,
    full_dataset,
    preview_upload,
    replace_record,
    save_dataset,
    with_evidence,
)
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.store import ConnectionSettings, Store

from ..conftest import SMALL_SEED

pytestmark = pytest.mark.neo4j


@pytest.fixture
def source(store: Store, neo4j_settings: ConnectionSettings) -> Iterator[DataSource]:
    store.load(read_seed(SMALL_SEED))
    clear_cache()
    with DataSource.neo4j(neo4j_settings) as opened:
        yield opened
    clear_cache()


def _new_deadline(current, deadline: str = "2030-08-01"):  # type: ignore[no-untyped-def]
    old = find_record(current, "obligation", "ob-LAO-4")
    return replace_record(current, "obligation", old, dataclasses.replace(old, deadline=deadline))


def test_a_save_to_neo4j_writes_a_change_record_and_keeps_restricted_records(
    source: DataSource, store: Store, tmp_path: Path
) -> None:
    before = full_dataset(source)
    old = find_record(before, "obligation", "ob-LAO-4")
    rows = fix_evidence(before, old, dataclasses.replace(old, deadline="2030-08-01"),
                        FixSource("https://example.org", "2026", "1 August 2030"))  # fmt: skip
    saved = save_dataset(source, lambda cur: with_evidence(_new_deadline(cur), rows),
                         expected=data_digest(before), summary="fix", by="tester",
                         snapshots_dir=tmp_path)  # fmt: skip
    after = full_dataset(source)
    assert find_record(after, "obligation", "ob-LAO-4").deadline == "2030-08-01"
    assert after.sorted().actors == before.sorted().actors  # restricted ones included
    assert after.sorted().relations == before.sorted().relations
    last = read_history(store)[-1]
    assert last.by == "tester" and last.counts["obligation"]["changed"] == 1
    assert "workbench: fix" in (last.source or "")
    assert after.evidence == rows and saved.evidence == source.describe()
    assert not list(tmp_path.glob("evidence-pending*"))
    assert change_history(source)[0]["by"] == "tester"
    with pytest.raises(ConcurrentChange):  # made against the data before this save
        save_dataset(source, _new_deadline, expected=data_digest(before), summary="again",
                     snapshots_dir=tmp_path)  # fmt: skip


def test_an_upload_preview_made_stale_by_another_write_is_refused(
    source: DataSource, tmp_path: Path
) -> None:
    uploaded = _new_deadline(read_seed(SMALL_SEED).without_restricted(), "2031-08-01")
    preview = preview_upload(source, uploaded)
    assert [c.key for c in preview.diff.records] == ["ob-LAO-4"]
    save_dataset(source, _new_deadline, expected=None, summary="meanwhile",
                 snapshots_dir=tmp_path)  # fmt: skip
    with pytest.raises(ConcurrentChange):
        apply_upload(source, preview, snapshots_dir=tmp_path)
    fresh = preview_upload(source, uploaded)
    apply_upload(source, fresh, snapshots_dir=tmp_path)
    assert find_record(full_dataset(source), "obligation", "ob-LAO-4").deadline == "2031-08-01"
    assert {a.id for a in full_dataset(source).actors} >= {"secretdonor"}


def test_the_history_leaves_out_a_save_that_only_touched_a_restricted_record(
    source: DataSource, tmp_path: Path
) -> None:
    """A workbench save of a restricted record is in Neo4j's history for a reader who may see
    it; for the others the whole change record is left out (its note names the record)."""

    def renamed(ident: str, name: str):  # type: ignore[no-untyped-def]
        def change(current):  # type: ignore[no-untyped-def]
            old = find_record(current, "actor", ident)
            return replace_record(current, "actor", old, dataclasses.replace(old, name=name))

        return change

    save_dataset(source, renamed("secretdonor", "Very Secret Donor"), expected=None,
                 summary="edited actor secretdonor", by="cy", snapshots_dir=tmp_path)  # fmt: skip
    save_dataset(source, renamed("halo", "HALO"), expected=None, summary="edited actor halo",
                 by="ana", snapshots_dir=tmp_path)  # fmt: skip
    everything = change_history(source, include_restricted=True)
    assert [e["by"] for e in everything[:2]] == ["ana", "cy"]
    assert "secretdonor" in everything[1]["note"]
    shown = change_history(source)
    assert shown[0]["by"] == "ana" and "cy" not in {e["by"] for e in shown}
    assert not any("secretdonor" in str(e) for e in shown)
    assert len(shown) == len(everything) - 1
    assert change_history(source, limit=1) == shown[:1]
