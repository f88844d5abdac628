"""The committed corpus (docs/examples/corpus/) is what the code says today: regenerated in a
temporary folder, byte for byte, so that every change of wording is seen in review."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ccm_graph.dataset import read_data
from ccm_graph.review.corpus import (
    CORPUS_DIR,
    CORPUS_STATES,
    REGENERATE,
    SECTIONS,
    corpus_files,
    write_corpus,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_corpus_is_current(tmp_path: Path) -> None:
    files = corpus_files(read_data(ROOT / "seed"))
    write_corpus(files, tmp_path)
    committed = ROOT / CORPUS_DIR
    fresh = {p.name: p.read_bytes() for p in sorted(tmp_path.glob("*.md"))}
    kept = {p.name: p.read_bytes() for p in sorted(committed.glob("*.md"))}
    hint = f"the corpus is out of date: run {REGENERATE} and review the changes in git diff"
    assert sorted(kept) == sorted(fresh), f"{hint} (files differ: "\
        f"{sorted(set(kept) ^ set(fresh))})"  # fmt: skip
    stale = [name for name in fresh if fresh[name] != kept[name]]
    assert not stale, f"{hint} ({len(stale)} files changed, e.g. {stale[:5]})"


def test_the_corpus_covers_every_required_state_in_three_languages() -> None:
    names = {p.name for p in (ROOT / CORPUS_DIR).glob("*.md")}
    for state in CORPUS_STATES:
        assert {f"{state}.{lang}.md" for lang in ("en", "fr", "es")} <= names, state
    for name in names:
        text = (ROOT / CORPUS_DIR / name).read_text(encoding="utf-8")
        assert [line for line in text.splitlines() if line.startswith("## `")] == [
            f"## `{section}`" for section in SECTIONS
        ], name


def test_the_corpus_is_dated_by_the_data_not_the_day(tmp_path: Path) -> None:
    dataset = read_data(ROOT / "seed")
    text = corpus_files(dataset, states=["LAO"], languages=["en"])["LAO.en.md"]
    today = date.today().isoformat()
    assert today == dataset.info.as_of or today not in text
    assert text.count(str(dataset.info.as_of)) >= 3  # the header, the data's date, the issue
    write_corpus({"LAO.en.md": text}, tmp_path)
    (tmp_path / "GONE.en.md").write_text("old", encoding="utf-8")
    write_corpus({"LAO.en.md": text}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LAO.en.md"]
