"""Write the evidence counts of seed/README.md (between its evidence-counts markers) from
seed/evidence.csv: rows per field and status, and the facts still without evidence.

    .venv/bin/python scripts/evidence_counts.py            # rewrite the block in seed/README.md
    .venv/bin/python scripts/evidence_counts.py --check    # exit 1 if the block is stale

A test runs the check, so the counts can never drift from the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ccm_graph.dataset import read_seed
from ccm_graph.dataset.evidence import counts_table

SEED = Path(__file__).resolve().parent.parent / "seed"
README = SEED / "README.md"
START = "<!-- evidence-counts:start (scripts/evidence_counts.py writes this block) -->\n"
END = "<!-- evidence-counts:end -->\n"


def render(readme: str) -> str:
    """``readme`` with its block of evidence counts made from the seed folder."""
    before, found, rest = readme.partition(START)
    if not found:
        raise SystemExit(f"{README}: no line {START.strip()!r}")
    _, found, after = rest.partition(END)
    if not found:
        raise SystemExit(f"{README}: no line {END.strip()!r}")
    return before + START + counts_table(read_seed(SEED)) + END + after


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{README} is stale: run .venv/bin/python scripts/evidence_counts.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
