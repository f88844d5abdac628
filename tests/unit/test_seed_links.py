"""Seed files that are symbolic links (issue 22, item 12): a link to a file outside the seed
folder is refused without reading it (its first line never reaches a message); a link to a
file inside the folder is read like the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccm_graph.dataset import (
    STAMPS_FILE,
    check_export_target,
    read_additions,
    read_seed,
    read_stamps,
    write_seed,
)
from ccm_graph.errors import DataError, OutputError
from ccm_graph.metadata import read_info

from ..conftest import SMALL_SEED

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges")

REFUSED = "is a link to a file outside the seed folder; copy the file in instead"
SECRET = "TOP-SECRET-FIRST-LINE,x\n"


def outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "elsewhere" / "private.txt"
    target.parent.mkdir()
    target.write_text(SECRET, encoding="utf-8")
    return target


def link_in(folder: Path, name: str, target: Path) -> Path:
    link = folder / name
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)
    return link


def problems_of(call: object) -> list[str]:
    with pytest.raises(DataError) as info:
        call()  # type: ignore[operator]
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("name", ["actors.csv", "relations.csv", "metadata.json", "README.md"])
def test_a_seed_file_linked_outside_the_folder_is_refused_unread(
    small_seed: Path, tmp_path: Path, name: str
) -> None:
    link = link_in(small_seed, name, outside_file(tmp_path))
    problems = problems_of(lambda: read_seed(small_seed))
    assert f"{link}: {REFUSED}" in problems
    assert not any("TOP-SECRET" in p for p in problems)
    if name == "relations.csv":  # the other files are still read and checked
        assert problems == [f"{link}: {REFUSED}"]


def test_a_dangling_link_or_a_link_to_a_device_is_refused(small_seed: Path) -> None:
    link_in(small_seed, "actors.csv", Path("/dev/zero"))
    link_in(small_seed, "coalitions.csv", small_seed.parent / "nowhere.csv")
    problems = problems_of(lambda: read_seed(small_seed))
    assert f"{small_seed / 'actors.csv'}: {REFUSED}" in problems
    assert f"{small_seed / 'coalitions.csv'}: {REFUSED}" in problems


def test_metadata_linked_outside_is_one_problem(small_seed: Path, tmp_path: Path) -> None:
    link = link_in(small_seed, "metadata.json", outside_file(tmp_path))
    info, problems = read_info(small_seed)
    assert [str(p) for p in problems] == [f"{link}: {REFUSED}"]
    assert info.as_of is None


def test_stamps_linked_outside_are_refused(small_seed: Path, tmp_path: Path) -> None:
    dataset = read_seed(small_seed)
    link = link_in(small_seed, STAMPS_FILE, outside_file(tmp_path))
    assert problems_of(lambda: read_stamps(small_seed, dataset)) == [f"{link}: {REFUSED}"]


def test_additions_linked_outside_are_refused(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    link = link_in(extra, "actors.csv", outside_file(tmp_path))
    problems = problems_of(lambda: read_additions(extra, read_seed(SMALL_SEED)))
    assert problems == [f"{link}: {REFUSED}"]


def test_links_inside_the_folder_and_a_linked_folder_are_read(
    small_seed: Path, tmp_path: Path
) -> None:
    versions = small_seed / "versions"
    versions.mkdir()
    (small_seed / "actors.csv").rename(versions / "actors-v2.csv")
    link_in(small_seed, "actors.csv", Path("versions") / "actors-v2.csv")
    assert read_seed(small_seed).counts() == read_seed(SMALL_SEED).counts()
    alias = tmp_path / "seed-link"
    alias.symlink_to(small_seed, target_is_directory=True)
    assert read_seed(alias).counts() == read_seed(SMALL_SEED).counts()


def test_an_export_folder_whose_files_link_outside_is_refused(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    out = tmp_path / "export"
    write_seed(dataset, out, include_restricted=True)
    link_in(out, STAMPS_FILE, outside_file(tmp_path))
    with pytest.raises(OutputError) as info:
        check_export_target(dataset, out, include_restricted=True)
    assert f"{out / STAMPS_FILE}: {REFUSED}" in str(info.value)
    assert "TOP-SECRET" not in str(info.value)
