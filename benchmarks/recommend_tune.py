"""The grid behind the technical weights, on synthetic seeds the evaluation does not report.

    .venv/bin/python benchmarks/recommend_tune.py

``benchmarks/recommend_eval.py`` reports synthetic seeds 1–3; the weights of the technical role
were chosen here, on seeds 4–6, so the reported figures are not tuned on their own held-out
years. Prints hit@5 and MRR of the new model and hit@5 of the biggest actors for each
combination (technical role, splits 2019 and 2022 pooled).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import recommend_eval as ev  # noqa: E402
from synthetic import generate_planted  # noqa: E402

from ccm_graph.analysis import Forums  # noqa: E402
from ccm_graph.analysis.recommend import record  # noqa: E402

TUNING_SEEDS = (4, 5, 6)
GRID = {
    "same_region": (1.5, 3.0),
    "shared_language": (1.5, 3.0),
    "completion_experience": (3.0, 1.5),
    "works_there": (1.0, 2.0),
}


def main() -> int:
    worlds = [generate_planted(seed=s) for s in TUNING_SEEDS]
    print(" ".join(GRID), "new_hit@5 new_mrr biggest_hit@5")
    for values in itertools.product(*GRID.values()):
        record.DEFAULT_WEIGHTS["technical"].update(dict(zip(GRID, values, strict=True)))
        pairs = [
            p
            for i, world in enumerate(worlds)
            for split in ev.SYNTHETIC_YEARS
            for p in ev.evaluate(world, split, forums=Forums(masg="syn-masg"), run=str(i))
            if p[1] == "technical"
        ]
        row = ev.summarise(pairs, resamples=1)["technical"]
        print(*values, row["new"]["hit@5"], row["new"]["mrr"], row["biggest"]["hit@5"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
