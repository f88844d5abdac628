"""The library's data source: a folder or a workbook → the checked dataset and graph, cached
per data state (the Neo4j side is in tests/integration/test_source_neo4j.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from ccm_graph import dataset as dataset_module
from ccm_graph import source as source_module
from ccm_graph.errors import DataError
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbook import write_workbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the source actually reads (not answered from the cache)."""
    seen: list[str] = []
    real = dataset_module.read_data

    def counting(path: str | os.PathLike[str]) -> dataset_module.Dataset:
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(dataset_module, "read_data", counting)
    return seen


def _add_actor(folder: Path, actor_id: str) -> None:
    with (folder / "actors.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(f"{actor_id},civil_society,Added {actor_id},,,,,public,test,\n")


def test_a_folder_is_read_once_while_its_files_do_not_change(
    small_seed: Path, reads: list[str]
) -> None:
    source = DataSource.folder(small_seed)
    first = source.read()
    again = DataSource.folder(small_seed).read()  # another object, same folder: same cache
    assert again is first
    assert reads == [str(small_seed)]
    _add_actor(small_seed, "ADDED-1")
    changed = source.read()
    assert changed is not first
    assert "ADDED-1" in changed.graph
    assert "ADDED-1" not in first.graph
    assert len(reads) == 2


def test_a_same_size_rewrite_in_the_same_instant_is_seen(small_seed: Path) -> None:
    source = DataSource.folder(small_seed)
    path = small_seed / "actors.csv"
    text = path.read_text(encoding="utf-8")
    os.utime(path)  # saved just now
    stat = path.stat()
    before = source.read()
    # same size, same modification time and inode: only the content differs
    path.write_text(text.replace("Lebanon", "Lebanox", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    after = source.read()
    assert after is not before
    assert "Lebanox" in {a.name for a in after.dataset.actors}


def test_a_fresh_save_stays_cached_once_its_moment_has_passed(
    small_seed: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source_module, "_RACY_NS", 50_000_000)  # 50 ms instead of 2 s
    _add_actor(small_seed, "JUST-SAVED")  # compared by content at first …
    source = DataSource.folder(small_seed)
    first = source.read()
    assert source.read() is first
    time.sleep(0.1)  # … then by stamps alone, and still the same reading
    assert source.read() is first
    assert source.read() is first
    assert len(reads) == 1


def test_restricted_records_are_left_out_unless_asked_and_read_once(
    small_seed: Path, reads: list[str]
) -> None:
    source = DataSource.at(small_seed)
    public = source.read()
    everything = source.read(include_restricted=True)
    assert not public.dataset.has_restricted()
    assert everything.dataset.has_restricted()
    assert everything.graph.number_of_nodes() > public.graph.number_of_nodes()
    assert len(reads) == 1, "both views come from one read of the files"


def test_the_shared_graph_is_frozen(small_seed: Path) -> None:
    graph = DataSource.folder(small_seed).graph()
    with pytest.raises(nx.NetworkXError):
        graph.add_node("intruder")


def test_a_workbook_is_cached_by_its_bytes(small_seed: Path, tmp_path: Path) -> None:
    folder_source = DataSource.folder(small_seed)
    book = tmp_path / "data.xlsx"
    write_workbook(folder_source.dataset(include_restricted=True), book, include_restricted=True)
    source = DataSource.at(book)
    assert source.kind == "workbook"
    first = source.read()
    assert first.dataset.sorted() == folder_source.dataset().sorted()
    assert source.read() is first
    _add_actor(small_seed, "ADDED-2")
    write_workbook(DataSource.folder(small_seed).dataset(), book)
    assert "ADDED-2" in source.graph()


def test_bad_data_is_reported_every_time_and_never_cached(small_seed: Path) -> None:
    source = DataSource.folder(small_seed)
    with (small_seed / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("BROKEN,not_a_kind,Broken,,,,,public,test,\n")
    for _ in range(2):
        with pytest.raises(DataError, match=r"actors\.csv"):
            source.read()


def test_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        DataSource.folder(tmp_path / "nowhere").read()


def test_refresh_forgets_the_reading(small_seed: Path, reads: list[str]) -> None:
    source = DataSource.folder(small_seed)
    source.read()
    source.refresh()
    source.read()
    assert len(reads) == 2


@pytest.mark.parametrize("kind", ["folder", "workbook"])
def test_no_click_in_the_call_path(kind: str, small_seed: Path, tmp_path: Path) -> None:
    """The notebook, the demo and the workbench read data without the command line."""
    target = small_seed
    if kind == "workbook":
        target = tmp_path / "data.xlsx"
        write_workbook(DataSource.folder(small_seed).dataset(), target)
    code = (
        "import sys\n"
        "sys.modules['click'] = None  # any import of click now fails\n"
        "from ccm_graph.source import DataSource\n"
        f"reading = DataSource.at({str(target)!r}).read()\n"
        "print(reading.graph.number_of_nodes())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == DataSource.folder(small_seed).graph().number_of_nodes()
