"""Hand-outs: the facts they gather, escaping in HTML and Markdown, files written."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.briefs import (
    brief_html,
    brief_markdown,
    coalition_brief,
    guide_markdown,
    write_brief,
)
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.errors import AnalysisError, UnknownRecord
from ccm_graph.graph import build_graph

from ..conftest import SMALL_SEED

HOSTILE = "<img src=x onerror=alert(1)> *bold* [link](http://evil.example)"


@pytest.fixture
def graph():
    dataset = read_seed(SMALL_SEED).without_restricted()
    dataset.actors = [dataclasses.replace(a, name=HOSTILE) if a.id == "NLD" else a
                      for a in dataset.actors]  # fmt: skip
    return build_graph(dataset)


def test_coalition_brief_gathers_the_facts(graph) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    assert brief.state == "LBN" and brief.title.startswith("Country Coalition Lebanon")
    assert {(m["actor"], m["role"]) for m in brief.members} == {("LBN", "affected state"),
                                                                ("NLD", "lead")}  # fmt: skip
    [ob] = brief.obligations
    assert (ob["article"], ob["deadline"], ob["extensions"]) == (4, "2026-05-01", 1)
    assert brief.gaps and all({"LBN", "coal-lbn", "ob-LBN-4"} & set(g.subjects)
                              for g in brief.gaps)  # fmt: skip
    assert not {p["id"] for p in brief.partners} & {"NLD", "LBN"}
    assert brief.next_steps[-1].startswith("Agree the roles")


def test_state_brief_and_bad_targets(graph) -> None:
    assert coalition_brief(graph, "LAO", as_of="2026-01-01").title == (
        "Towards a Country Coalition for Lao PDR"
    )
    with pytest.raises(UnknownRecord):
        coalition_brief(graph, "nope")
    with pytest.raises(AnalysisError):
        coalition_brief(graph, "halo")


def test_html_escapes_every_data_string_and_requests_nothing(graph) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    page = brief_html(brief, svg=None)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page.lower()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"<[^>]*\s(src|href)\s*=", page)  # no attribute loads anything


def test_markdown_neutralises_markup(graph) -> None:
    text = brief_markdown(coalition_brief(graph, "coal-lbn", as_of="2026-01-01"))
    assert "<img" not in text and "&lt;img" in text
    assert "\\*bold\\*" in text and "\\[link\\](http://evil.example)" in text


def test_write_brief_files(graph, tmp_path: Path) -> None:
    brief = coalition_brief(graph, "coal-lbn", as_of="2026-01-01")
    written = write_brief(graph, brief, tmp_path / "b.md")
    assert written == [tmp_path / "b.md", tmp_path / "b.map.svg"]
    svg = (tmp_path / "b.map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "&lt;img src=x" in svg and "<img" not in svg
    assert "![Map of the records around Lebanon](b.map.svg)" in (tmp_path / "b.md").read_text()
    [page] = write_brief(graph, brief, tmp_path / "b.html")
    assert "<svg" in page.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.md or \.html"):
        write_brief(graph, brief, tmp_path / "b.txt")


def test_guide_draws_on_the_data(graph) -> None:
    text = guide_markdown(graph, as_of="2026-01-01")
    assert text.startswith("# How to start a Country Coalition")
    assert "2 States Parties have an open Article 3 or 4 obligation; 1 of them" in text
    assert "Without a coalition, most urgent first: Lao PDR" in text


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_brief_and_guide(tmp_path: Path) -> None:
    seed = str(SMALL_SEED)
    result = run("brief", "coal-lbn", "--seed", seed, "--out", str(tmp_path / "lbn.html"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "lbn.html").read_text(encoding="utf-8")
    assert "Quiet coalition" not in page and "restricted" not in page.split("<body>")[1][:400]
    result = run("brief", "LAO", "--seed", seed, "--out", str(tmp_path / "lao.html"),
                 "--include-restricted")  # fmt: skip
    assert result.exit_code == 0
    page = (tmp_path / "lao.html").read_text(encoding="utf-8")
    assert "Quiet coalition" in page and "includes records marked restricted" in page
    assert run("brief", "--guide", "--seed", seed, "--out", str(tmp_path / "g.md")).exit_code == 0
    assert (tmp_path / "g.md").read_text().startswith("# How to start a Country Coalition")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["brief", "--out", "x.md"], 2),
        (["brief", "coal-lbn", "--guide", "--out", "x.md"], 2),
        (["brief", "coal-lbn", "--out", "x.pdf"], 2),
        (["brief", "nope", "--out", "x.md"], 1),
    ],
)
def test_cli_brief_errors(args: list[str], code: int, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    result = run(*args, "--seed", str(SMALL_SEED))
    assert result.exit_code == code, result.output
    assert not list(tmp_path.iterdir())  # nothing written
