"""``python -m ccm_graph.review [--seed DIR] [--out DIR]``: regenerate the reviewed corpus
(``scripts/corpus`` runs it), or with ``--check`` list what the claims check finds in it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import CORPUS_DIR


def main(argv: list[str] | None = None) -> int:
    """Write the corpus of the seed folder (or workbook) into the corpus folder; ``--check``
    reads the folder instead and prints every claim the claims check refuses (exit 1 if any)."""
    parser = argparse.ArgumentParser(prog="python -m ccm_graph.review", description=__doc__)
    parser.add_argument("--seed", type=Path, default=Path("seed"),
                        help="seed folder or workbook (default: seed)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=CORPUS_DIR,
                        help=f"corpus folder (default: {CORPUS_DIR})")  # fmt: skip
    parser.add_argument("--check", action="store_true",
                        help="check the corpus folder's claims instead of writing it")  # fmt: skip
    args = parser.parse_args(argv)
    from ..dataset import read_data

    dataset = read_data(args.seed)
    if args.check:
        from .claims import check_corpus

        found = check_corpus(args.out, dataset)
        for violation in found:
            print(violation)
        print(f"{len(found)} claims refused in {args.out}", file=sys.stderr)
        return 1 if found else 0
    from .corpus import corpus_files, write_corpus

    written = write_corpus(corpus_files(dataset), args.out)
    print(f"Wrote {len(written)} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
