"""Leftovers of issue 22 (item 12): no hidden temporary file after a SIGTERM at the rename,
and no machine path of the seed folder in a map."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli

from ..conftest import SMALL_SEED

KILLED_AT_THE_RENAME = textwrap.dedent(
    """
    import os, signal, sys
    from ccm_graph import files

    # the disposition a terminal gives, whatever started the suite (nohup ignores SIGHUP, and
    # write_atomically rightly leaves an ignored signal ignored)
    signal.signal(getattr(signal, sys.argv[2]), signal.SIG_DFL)
    real_replace = os.replace

    def replace(src, dst):
        os.kill(os.getpid(), getattr(signal, sys.argv[2]))  # the signal arrives at the rename
        real_replace(src, dst)

    files.os.replace = replace
    files.write_atomically(sys.argv[1], "new content")
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_at_the_rename_leaves_no_temporary_file(name: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "map.html"
    target.parent.mkdir()
    target.write_text("old content", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT_THE_RENAME, str(target), name],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )  # fmt: skip
    number = getattr(signal, name)
    assert done.returncode in (-number, 128 + number), done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == ["map.html"]
    assert target.read_text(encoding="utf-8") == "old content"


def test_a_map_does_not_hold_the_seed_folders_path(tmp_path: Path) -> None:
    seed = tmp_path / "private" / "zq-alice-home" / "seed"
    shutil.copytree(SMALL_SEED, seed)
    for fmt in ("json", "html", "graphml"):
        out = tmp_path / "maps" / f"map.{fmt}"
        result = CliRunner().invoke(
            cli, ["map", "--seed", str(seed), "--format", fmt, "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert str(tmp_path) not in text, fmt
        assert "zq-alice-home" not in text
    command = json.loads((tmp_path / "maps" / "map.json").read_text(encoding="utf-8"))["graph"][
        "command"
    ]
    assert "--seed seed" in command and "--out map.json" in command
