"""The same data and options give the same bytes, whatever Python's hash seed (issue 22,
item 11): the brief's map used to differ between runs (three processes, three files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import SHIPPED_SEED


@pytest.mark.parametrize("target", ["TCD", "coal-mne"])
def test_a_brief_is_the_same_bytes_under_any_hash_seed(target: str, tmp_path: Path) -> None:
    outputs = []
    for hash_seed in ("0", "1", "12345"):
        out = tmp_path / hash_seed / f"brief-{target}.html"
        out.parent.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-m", "ccm_graph", "brief", target, "--seed", str(SHIPPED_SEED),
             "--as-of", "2026-03-01", "--out", str(out)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
