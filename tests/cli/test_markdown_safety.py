"""Markdown outputs hold no live HTML nor links from the data (issue 22, item 3).

A name like ``<img src=x onerror=…>`` or ``[x](javascript:…)`` reaches ``support --format md``,
the demo's ``gaps.md`` and ``whatif --format md``; each must escape it so that a Markdown
renderer shows it as typed.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.escaping import md_escape

HOSTILE = "Lao <img src=x onerror=alert(1)> [click](javascript:alert(1)) &lt;b&gt;"

LIVE = re.compile(r"(?<!\\)<[A-Za-z/!?]|(?<!\\)\]\(|(?<!\\)&[#A-Za-z0-9]+;")
"""Unescaped markup a Markdown renderer would run or turn into HTML: a tag, a link, an entity."""


def hostile_seed(small_seed: Path) -> Path:
    actors = small_seed / "actors.csv"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("Lao PDR", f'"{HOSTILE}"'), encoding="utf-8"
    )
    return small_seed


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_md_escape_leaves_nothing_live() -> None:
    assert LIVE.findall(md_escape(HOSTILE)) == []
    assert md_escape("Humanity & Inclusion") == "Humanity & Inclusion"
    assert md_escape("a\r\nb") == "a  b"


def test_support_md_escapes_names(small_seed: Path) -> None:
    seed = hostile_seed(small_seed)
    text = invoke("support", "--seed", str(seed), "--format", "md", "--as-of", "2026-06-01")
    assert "onerror" in text
    assert LIVE.findall(text) == []


def test_demo_gap_report_escapes_names(small_seed: Path, tmp_path: Path) -> None:
    seed = hostile_seed(small_seed)
    invoke("demo", "--seed", str(seed), "--out", str(tmp_path / "demo"))
    text = (tmp_path / "demo" / "gaps.md").read_text(encoding="utf-8")
    assert "onerror" in text
    assert LIVE.findall(text) == []


def test_whatif_md_escapes_names(small_seed: Path, tmp_path: Path) -> None:
    seed = hostile_seed(small_seed)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,amount_usd,convention,purpose,source\n"
        "NLD,FUNDS,LAO,2025,1000,CCM,<script>x</script>,x\n",
        encoding="utf-8",
    )
    text = invoke("whatif", "--add", str(extra), "--seed", str(seed), "--format", "md",
                  "--as-of", "2026-06-01")  # fmt: skip
    assert "onerror" in text
    assert LIVE.findall(text) == []
