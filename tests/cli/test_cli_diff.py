"""ccm-graph diff between seed folders (no server needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ccm_graph.cli import cli

from ..conftest import SMALL_SEED


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_diff_leaves_restricted_records_out_unless_asked(small_seed: Path, tmp_path: Path) -> None:
    actors = small_seed / "actors.csv"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "Secret Donor", "Secret Donor Renamed").replace("Lao PDR,", "Laos,"),
        encoding="utf-8")  # fmt: skip
    result = run("diff", str(SMALL_SEED), str(small_seed), "--as-of", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert "Laos: name Lao PDR → Laos" in result.stdout
    assert "Secret" not in result.stdout and "RESTRICTED" not in result.stdout
    ids = run("diff", str(SMALL_SEED), str(small_seed), "--as-of", "2026-01-01", "--format", "ids")
    assert "actor LAO (Laos)" in ids.stdout and "name: Lao PDR → Laos" in ids.stdout
    french = run("diff", str(SMALL_SEED), str(small_seed), "--as-of", "2026-01-01", "--lang", "fr")
    assert "nom Lao PDR → Laos" in french.stdout

    result = run("diff", str(SMALL_SEED), str(small_seed), "--include-restricted",
                 "--format", "json")  # fmt: skip
    data = json.loads(result.stdout)
    assert {r["key"] for r in data["records"]} == {"LAO", "secretdonor"}
    assert data["include_restricted"] is True

    md = run("diff", str(SMALL_SEED), str(small_seed), "--format", "md", "--as-of", "2026-01-01")
    assert md.exit_code == 0 and "Laos" in md.stdout
    assert md.stdout == run("diff", str(SMALL_SEED), str(small_seed), "--format", "markdown",
                            "--as-of", "2026-01-01").stdout  # fmt: skip

    page = tmp_path / "changes.html"
    result = run("diff", str(SMALL_SEED), str(small_seed), "--format", "html", "--out", str(page))
    assert result.exit_code == 0 and result.stdout.startswith(f"Wrote {page}: 1 record changes")
    assert "Laos" in page.read_text(encoding="utf-8")


def test_diff_of_a_missing_folder_is_exit_1(tmp_path: Path) -> None:
    result = run("diff", str(SMALL_SEED), str(tmp_path / "nope"))
    assert result.exit_code == 1 and "no such folder" in result.stderr
