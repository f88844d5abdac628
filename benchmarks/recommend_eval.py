"""How well do partner recommendations predict who actually joins? A time-split test.

    .venv/bin/python benchmarks/recommend_eval.py            # seed + planted synthetic data
    .venv/bin/python benchmarks/recommend_eval.py --quick    # one synthetic seed

For a split year Y, relations dated before Y (FUNDS and SUPPORTS by ``year``, OPERATES_IN and
MEMBER_OF by ``since``; undated ones are kept) are the **history**; the models see only that,
as of 31 December of Y−1. The **truth** for an affected State is who appears from Y on:

- donor: funds it (directly, its authority or its coalition, or a financial SUPPORTS) in Y or
  later, and did not fund it in the three years before Y;
- operator: starts working there (OPERATES_IN since Y or later), not there before;
- technical: gives technical or material SUPPORTS from Y on, not in the three years before;
  or joins its coalition as technical partner.

Each true (State, partner) pair is ranked among the candidates of that role (actor kinds that
can hold it), with the target, the State's own national bodies, actors already in that role
for it before Y and the *other* true partners left out (the "filtered" ranking of link
prediction). A model that does not rank a candidate puts it, on average, in the middle of
those it left unranked. hit@5 is the share of true pairs ranked in the top 5; MRR the mean of
1/rank. Models, in the same run and on the same history: the new model (``PartnerRecommender``
role by role), the landed model (``benchmarks/baselines/landed_recommend.py``, a copy of
commit ad6405b; one ranking for all roles), the biggest actors of the role (donors by amount
given, operators by countries worked in, technical partners by obligations supported) and
random order (mean over 20 shuffles). Results go to ``benchmarks/results/recommend-eval-*.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from baselines.landed_recommend import PartnerRecommender as LandedRecommender  # noqa: E402
from synthetic import generate_planted  # noqa: E402

from ccm_graph.analysis import PartnerRecommender  # noqa: E402
from ccm_graph.analysis.recommend import national_bodies  # noqa: E402
from ccm_graph.dataset import Dataset, read_seed  # noqa: E402
from ccm_graph.graph import build_graph  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
ROLE_KINDS = {
    "donor": ("state", "regional_org", "international_org"),
    "operator": ("operator", "international_org", "civil_society"),
    "technical": ("international_org", "regional_org", "state"),
}
MODELS = ("new", "landed", "biggest", "random")
WINDOW = 3
SEED_YEARS = (2016, 2018, 2019, 2022)
SYNTHETIC_YEARS = (2019, 2022)
SYNTHETIC_SEEDS = (1, 2, 3)


def _year(text: str | None) -> int | None:
    return int(text[:4]) if text else None


def history(dataset: Dataset, split: int) -> Dataset:
    """The dataset as it stood before ``split``: later-dated relations and coalitions removed,
    obligations completed in or after ``split`` shown as still open."""
    relations = []
    for r in dataset.relations:
        when = r.year if r.type in ("FUNDS", "SUPPORTS") else _year(r.since)
        if when is None or when < split:
            relations.append(r)
    obligations = [
        dataclasses.replace(o, status="extended", completed=None)
        if o.status == "completed" and (_year(o.completed) or 0) >= split
        else o
        for o in dataset.obligations
    ]
    coalitions = [c for c in dataset.coalitions if (_year(c.established) or 0) < split]
    kept = {c.id for c in coalitions}
    relations = [
        r
        for r in relations
        if r.type != "MEMBER_OF" or r.to_id not in {c.id for c in dataset.coalitions} - kept
    ]
    return dataclasses.replace(
        dataset, relations=relations, obligations=obligations, coalitions=coalitions
    )


def partners(dataset: Dataset, first: int, last: int) -> dict[str, dict[str, set[str]]]:
    """role → State → actors in that role for the State with a dated relation in [first, last]."""
    state_of: dict[str, str] = {a.id: a.id for a in dataset.actors if a.kind == "state"}
    for r in dataset.relations:
        if r.type == "OPERATES_IN" and r.from_id in {
            a.id for a in dataset.actors if a.kind == "national_authority"
        }:
            state_of[r.from_id] = r.to_id
    for c in dataset.coalitions:
        state_of[c.id] = c.focus
    ob_state = {o.id: o.state for o in dataset.obligations}
    found: dict[str, dict[str, set[str]]] = {r: defaultdict(set) for r in ROLE_KINDS}
    for r in dataset.relations:
        if r.type == "FUNDS" and r.year is not None and first <= r.year <= last:
            if r.to_id in state_of:
                found["donor"][state_of[r.to_id]].add(r.from_id)
        elif r.type == "SUPPORTS" and r.year is not None and first <= r.year <= last:
            role = "donor" if r.role == "financial" else "technical"
            found[role][ob_state[r.to_id]].add(r.from_id)
        elif r.type == "OPERATES_IN" and first <= (_year(r.since) or -1) <= last:
            found["operator"][r.to_id].add(r.from_id)
        elif (
            r.type == "MEMBER_OF"
            and r.role == "technical_partner"
            and first <= (_year(r.since) or -1) <= last
            and r.to_id in state_of
        ):
            found["technical"][state_of[r.to_id]].add(r.from_id)
    return found


def biggest(dataset: Dataset, role: str) -> dict[str, float]:
    """The popularity baseline's scores: amount given, countries worked in, supports given."""
    score: dict[str, float] = defaultdict(float)
    for r in dataset.relations:
        if role == "donor" and (
            r.type == "FUNDS" or (r.type == "SUPPORTS" and r.role == "financial")
        ):
            score[r.from_id] += r.amount_usd or 1.0
        elif (role == "operator" and r.type == "OPERATES_IN") or (
            role == "technical" and r.type == "SUPPORTS" and r.role != "financial"
        ):
            score[r.from_id] += 1
    return score


def rank_of(truth: str, order: Mapping[str, int], universe: set[str]) -> float:
    """Filtered rank of one true partner: 1 + ranked candidates above it; unranked candidates
    share the places after the ranked ones (their expected rank under a random order)."""
    ranked = [c for c in universe if c in order]
    if truth in order:
        return 1 + sum(1 for c in ranked if order[c] < order[truth])
    return len(ranked) + (len(universe) - len(ranked) + 1) / 2


def evaluate(
    dataset: Dataset, split: int, *, forums: object = None, last_year: int = 2100
) -> dict[str, dict[str, dict[str, float]]]:
    """hit@5 and MRR per role and model for one split year."""
    past = history(dataset, split)
    graph = build_graph(past)
    as_of = date(split - 1, 12, 31)
    kwargs = {"forums": forums} if forums is not None else {}
    new = PartnerRecommender.build(graph, as_of=as_of, window_years=WINDOW, **kwargs)
    landed = LandedRecommender.build(graph, as_of=as_of, window_years=WINDOW, **kwargs)
    before = partners(dataset, split - WINDOW, split - 1)
    operating = partners(past, -1, split)["operator"]  # dated OPERATES_IN before the split
    for r in past.relations:
        if r.type == "OPERATES_IN" and r.since is None:
            operating[r.to_id].add(r.from_id)
    after = partners(dataset, split, last_year)
    kinds = {a.id: a.kind for a in past.actors}
    affected = new.index.affected_states()
    pairs: dict[str, dict[str, list[float]]] = {r: defaultdict(list) for r in ROLE_KINDS}
    counts = {r: {"targets": 0, "pairs": 0} for r in ROLE_KINDS}
    for state in affected:
        landed_order = {c.candidate: i for i, c in enumerate(landed.recommend(state, top=10**6))}
        own = national_bodies(graph, state) | {state}
        for role, role_kinds in ROLE_KINDS.items():
            already = before[role].get(state, set()) | (
                operating.get(state, set()) if role == "operator" else set()
            )
            truth = {
                a
                for a in after[role].get(state, set()) - already - own
                if kinds.get(a) in role_kinds
            }
            if not truth:
                continue
            counts[role]["targets"] += 1
            counts[role]["pairs"] += len(truth)
            universe = {a for a, k in kinds.items() if k in role_kinds} - own - already
            scores = new.scores(state, role=role)
            new_order = {c: i for i, c in enumerate(sorted(scores, key=lambda c: (-scores[c], c)))}
            big = biggest(past, role)
            big_order = {
                c: i
                for i, c in enumerate(
                    sorted((c for c in universe if big.get(c)), key=lambda c: (-big[c], c))
                )
            }
            orders = {"new": new_order, "landed": landed_order, "biggest": big_order}
            for item in truth:
                pool = universe - (truth - {item})
                for model, order in orders.items():
                    pairs[role][model].append(rank_of(item, order, pool))
                rng = random.Random(f"{state}{role}{item}{split}")
                shuffled = sorted(pool)
                ranks = []
                for _ in range(20):
                    rng.shuffle(shuffled)
                    ranks.append(shuffled.index(item) + 1)
                pairs[role]["random"].append(sum(ranks) / len(ranks))
                pairs[role]["random_rr"].append(sum(1 / r for r in ranks) / len(ranks))
                pairs[role]["random_hit"].append(sum(r <= 5 for r in ranks) / len(ranks))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for role in ROLE_KINDS:
        out[role] = {"counts": counts[role]}  # type: ignore[dict-item]
        for model in MODELS:
            if model == "random":
                hits, rrs = pairs[role]["random_hit"], pairs[role]["random_rr"]
            else:
                ranks = pairs[role][model]
                hits = [1.0 if r <= 5 else 0.0 for r in ranks]
                rrs = [1 / r for r in ranks]
            out[role][model] = {"hit@5": _mean(hits), "mrr": _mean(rrs), "pairs": len(hits)}
    return out


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 3) if values else float("nan")


def pooled(runs: list[dict[str, dict[str, dict[str, float]]]]) -> dict[str, dict[str, dict]]:
    """Metrics over all pairs of several runs (weighted by pairs)."""
    total: dict[str, dict[str, dict]] = {}
    for role in ROLE_KINDS:
        total[role] = {
            "counts": {
                "targets": sum(r[role]["counts"]["targets"] for r in runs),
                "pairs": sum(r[role]["counts"]["pairs"] for r in runs),
            }
        }
        for model in MODELS:
            n = sum(r[role][model]["pairs"] for r in runs)
            total[role][model] = {
                metric: round(
                    sum(
                        r[role][model][metric] * r[role][model]["pairs"]
                        for r in runs
                        if r[role][model]["pairs"]
                    )
                    / n,
                    3,
                )
                if n
                else float("nan")
                for metric in ("hit@5", "mrr")
            } | {"pairs": n}
    return total


def table(title: str, result: Mapping[str, Mapping[str, Mapping]]) -> list[str]:
    lines = [
        title,
        f"{'role':<10} {'pairs':>5} {'targets':>7}  "
        + "  ".join(f"{m + ' hit@5':>14} {m + ' MRR':>12}" for m in MODELS),
    ]
    for role, row in result.items():
        counts = row["counts"]
        cells = "  ".join(f"{row[m]['hit@5']:>14.3f} {row[m]['mrr']:>12.3f}" for m in MODELS)
        lines.append(f"{role:<10} {counts['pairs']:>5} {counts['targets']:>7}  {cells}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one synthetic seed")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seed = read_seed(ROOT / "seed")
    report: dict[str, object] = {}
    seed_runs = {}
    for split in SEED_YEARS:
        seed_runs[str(split)] = evaluate(seed, split, last_year=2026)
        print("\n".join(table(f"\nseed, split {split}", seed_runs[str(split)])), flush=True)
    seed_pooled = pooled(list(seed_runs.values()))
    print("\n".join(table("\nseed, all splits pooled", seed_pooled)))
    synthetic_runs = {}
    for s in SYNTHETIC_SEEDS[:1] if args.quick else SYNTHETIC_SEEDS:
        data = generate_planted(seed=s)
        for split in SYNTHETIC_YEARS:
            from ccm_graph.analysis import Forums

            forums = Forums(masg="syn-masg")
            synthetic_runs[f"seed {s}, split {split}"] = evaluate(data, split, forums=forums)
            print(
                "\n".join(
                    table(
                        f"\nsynthetic seed {s}, split {split}",
                        synthetic_runs[f"seed {s}, split {split}"],
                    )
                ),
                flush=True,
            )
    synthetic_pooled = pooled(list(synthetic_runs.values()))
    print("\n".join(table("\nsynthetic, all seeds and splits pooled", synthetic_pooled)))
    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "command": "benchmarks/recommend_eval.py" + (" --quick" if args.quick else ""),
        "window_years": WINDOW,
        "seed": {"splits": seed_runs, "pooled": seed_pooled},
        "synthetic": {
            "generator": "benchmarks/synthetic.py generate_planted (defaults)",
            "runs": synthetic_runs,
            "pooled": synthetic_pooled,
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"recommend-eval-{date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)} in {report['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
