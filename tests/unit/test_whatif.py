"""What if: the same analyses with rows added, compared; nothing is written."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner

from ccm_graph.analysis import synergy_gaps
from ccm_graph.analysis.examples import tiny_dataset
from ccm_graph.cli import cli
from ccm_graph.graph import build_graph
from ccm_graph.schema import Relation
from ccm_graph.whatif import what_if

from ..conftest import SHIPPED_SEED, SMALL_SEED

AS_OF = "2026-01-01"


def test_nothing_added_nothing_moves() -> None:
    report = what_if(tiny_dataset(), tiny_dataset(), as_of=AS_OF)
    assert report.added == {}
    assert (report.gaps_opened, report.gaps_closed, report.level_moves) == ([], [], [])
    assert (report.support_changes, report.partner_moves) == ([], [])


def test_funding_b_closes_its_unresourced_extension_and_moves_its_level() -> None:
    base = tiny_dataset()
    pledge = Relation("D", "FUNDS", "B", year=2025, amount_usd=500_000, convention="CCM",
                      source="what-if")  # fmt: skip
    extended = dataclasses.replace(base, relations=[*base.relations, pledge])
    report = what_if(base, extended, as_of=AS_OF)
    assert report.added == {"relations.csv": 1}
    closed = {g.kind for g in report.gaps_closed}
    assert "extension_without_resources" in closed
    before = {g.kind for g in synergy_gaps(build_graph(base), as_of=AS_OF) if "B" in g.subjects}
    assert closed <= before
    assert all(m.before != m.after for m in report.level_moves)
    [change] = [c for c in report.support_changes if c.state == "B"]
    fields = {f: (b, a) for f, b, a in change.changes}
    funding = next(k for k in fields if k.startswith("Funding"))
    assert fields[funding][1] == "USD 500,000"
    # the donor now supports B: it leaves B's candidates
    [partners] = [p for p in report.partner_moves if p.state == "B"]
    assert "D" in partners.left


def test_whatif_command_reads_partial_folders_and_writes_nothing(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,amount_usd,convention,source\nCHE,FUNDS,LBN,2025,250000,CCM,x\n",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in SMALL_SEED.iterdir()}
    result = CliRunner().invoke(cli, ["whatif", "--add", str(extra), "--seed", str(SMALL_SEED),
                                      "--as-of", "2026-03-01", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] == {"relations.csv": 1}
    assert any(c["state"] == "LBN" for c in report["support_changes"])
    assert {p.name: p.read_bytes() for p in SMALL_SEED.iterdir()} == before


def test_whatif_refuses_rows_that_do_not_fit_the_base(tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,source\nQAT,FUNDS,LBN,2025,x\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["whatif", "--add", str(extra), "--seed", str(SMALL_SEED)])
    assert result.exit_code == 1
    assert "relations.csv:2: from: unknown id 'QAT'" in result.output


def test_a_pledge_to_chads_authority_moves_chad_down_on_the_seed(tmp_path: Path) -> None:
    # "if Japan funds HCND, Chad moves from high to medium" (as of the seed's as-of date)
    extra = tmp_path / "pledge"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,amount_usd,convention,source\n"
        "JPN,FUNDS,na-tcd,2025,2000000,CCM,hypothetical pledge\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["whatif", "--add", str(extra), "--seed", str(SHIPPED_SEED),
                                      "--as-of", "2026-02-27"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Chad (TCD): high → medium" in result.output
    unknown = "(the funding data for Chad run to 2022: 2023–2026 not known)"
    assert f"Funding 2023–2026: none recorded {unknown} → USD 2,000,000 {unknown}" in result.output
