"""evidence.csv through Neo4j: loaded as :Evidence nodes, read back equal, kept in step by
load --sync, replaced by a staged load. (Evidence of a restricted record is left out with it:
tests/unit/test_evidence.py.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ccm_graph.dataset import read_seed
from ccm_graph.store import Store
from ccm_graph.sync import apply_load, plan_load

from ..conftest import SHIPPED_SEED
from ..unit.test_evidence import COMPLETE, write_evidence


def evidence_nodes(store: Store) -> int:
    return int(store.query("MATCH (e:Evidence) RETURN count(e) AS n").rows[0]["n"])


def test_the_shipped_evidence_round_trips(store: Store) -> None:
    dataset = read_seed(SHIPPED_SEED)
    assert dataset.evidence
    report = store.load(dataset)
    assert report.nodes["evidence"] == len(dataset.evidence)
    assert evidence_nodes(store) == len(dataset.evidence)
    again = store.read_dataset()
    assert again.evidence == dataset.sorted().evidence
    store.load(dataset)  # loading twice adds nothing
    assert evidence_nodes(store) == len(dataset.evidence)


def test_sync_changes_and_removes_evidence(store: Store, small_seed: Path, tmp_path: Path) -> None:
    write_evidence(small_seed, COMPLETE)
    store.load(read_seed(small_seed))
    changed = [dataclasses.replace(COMPLETE[0], note="a note"), *COMPLETE[1:-1]]
    write_evidence(small_seed, changed)
    plan = plan_load(store, read_seed(small_seed), "sync")
    assert plan.counts()["evidence"] == {"added": 0, "changed": 1, "removed": 1}
    apply_load(store, read_seed(small_seed), plan, snapshots_dir=tmp_path / "snaps")
    stored = store.read_dataset()
    assert stored.evidence == read_seed(small_seed).sorted().evidence
    # the snapshot kept the removed row
    [snapshot] = (tmp_path / "snaps").iterdir()
    assert len(read_seed(snapshot).evidence) == len(COMPLETE)


def test_staged_load_replaces_the_evidence(store: Store, small_seed: Path) -> None:
    write_evidence(small_seed, COMPLETE)
    store.load(read_seed(small_seed))
    write_evidence(small_seed, COMPLETE[:2])
    store.load(read_seed(small_seed), wipe=True, staged=True)
    assert evidence_nodes(store) == 2
    assert store.read_dataset().evidence == read_seed(small_seed).sorted().evidence
