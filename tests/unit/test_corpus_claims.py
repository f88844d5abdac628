"""The claims check over the committed corpus (docs/examples/corpus/): no absence without its
window and coverage, no undated "now", no advice about a withdrawn State, no observer called a
member, no English in French or Spanish outside quoted source text (issue #18 item 7).

The rules themselves are tested on made-up texts in test_claims.py. This test reads the
outputs the code makes today; it lists every refused claim (``scripts/corpus --check`` prints
the same list), and passes once the wording of the outputs says only what the data know."""

from __future__ import annotations

from pathlib import Path

from ccm_graph.dataset import read_data
from ccm_graph.review.claims import check_corpus
from ccm_graph.review.corpus import CORPUS_DIR

ROOT = Path(__file__).resolve().parents[2]


def test_the_corpus_makes_no_claim_the_data_do_not_support() -> None:
    found = check_corpus(ROOT / CORPUS_DIR, read_data(ROOT / "seed"))
    by_rule: dict[str, int] = {}
    for violation in found:
        by_rule[violation.rule] = by_rule.get(violation.rule, 0) + 1
    listing = "\n".join(str(v) for v in found[:40])
    assert not found, (
        f"{len(found)} claims refused ({by_rule}); see scripts/corpus --check. First ones:\n"
        f"{listing}"
    )
