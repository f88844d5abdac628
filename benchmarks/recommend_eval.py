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
BOOTSTRAP = 2000
SEED_LAST_YEAR = 2026
MIN_TARGETS = 20  # fewer targets than this: an interval from resampling them means little


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


Pair = tuple[str, str, str, float, float]
"""One ranked true pair: (target — run, split and State —, role, model, hit@5 0/1, 1/rank);
for the random model the hit and 1/rank are the means over its shuffles."""


def evaluate(
    dataset: Dataset, split: int, *, forums: object = None, last_year: int = 2100, run: str = ""
) -> list[Pair]:
    """Every true pair of one split year, ranked by every model."""
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
    found: list[Pair] = []
    for state in affected:
        target = f"{run}/{split}/{state}"
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
            for item in sorted(truth):
                pool = universe - (truth - {item})
                for model, order in orders.items():
                    rank = rank_of(item, order, pool)
                    found.append((target, role, model, float(rank <= 5), 1 / rank))
                rng = random.Random(f"{state}{role}{item}{split}")
                shuffled = sorted(pool)
                ranks = []
                for _ in range(20):
                    rng.shuffle(shuffled)
                    ranks.append(shuffled.index(item) + 1)
                hit = sum(r <= 5 for r in ranks) / len(ranks)
                found.append((target, role, "random", hit, sum(1 / r for r in ranks) / len(ranks)))
    return found


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def _quantile(ordered: list[float], q: float) -> float:
    """The q-quantile of sorted values (linear interpolation, numpy's default)."""
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(pairs: list[Pair], *, resamples: int = BOOTSTRAP, seed: int = 0) -> dict[str, dict]:
    """role → counts, and per model hit@5 and MRR with 90% bootstrap intervals, plus ``lead``:
    the new model's lead over the biggest-actors baseline, with its interval.

    The bootstrap resamples **targets** (a State at a split, with all its true pairs) with
    replacement, ``resamples`` times from a fixed seed: the pairs of one target are not
    independent, so resampling pairs would make the intervals too narrow. The same resampled
    targets score every model, so the lead's interval is paired.
    """
    out: dict[str, dict] = {}
    for role in ROLE_KINDS:
        by_target: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for target, r, model, hit, rr in pairs:
            if r == role:
                by_target[target][model].append((hit, rr))
        targets = sorted(by_target)
        row: dict[str, dict] = {
            "counts": {
                "targets": len(targets),
                "pairs": sum(len(by_target[t]["new"]) for t in targets),
            }
        }
        sums = {
            (t, m, k): (sum(v[k] for v in by_target[t][m]), len(by_target[t][m]))
            for t in targets
            for m in MODELS
            for k in (0, 1)
        }

        def metric(chosen: list[str], model: str, k: int, sums: dict = sums) -> float:
            total = count = 0.0
            for t in chosen:
                s, n = sums[(t, model, k)]
                total, count = total + s, count + n
            return total / count if count else float("nan")

        rng = random.Random(seed)
        samples: dict[tuple[str, int], list[float]] = defaultdict(list)
        for _ in range(resamples if targets else 0):
            chosen = [targets[rng.randrange(len(targets))] for _ in targets]
            for k in (0, 1):
                values = {m: metric(chosen, m, k) for m in MODELS}
                for m in MODELS:
                    samples[(m, k)].append(values[m])
                samples[("lead", k)].append(values["new"] - values["biggest"])
        for model in (*MODELS, "lead"):
            cell: dict[str, object] = {}
            for k, name in ((0, "hit@5"), (1, "mrr")):
                if not targets:
                    cell[name], cell[name + " 90%"] = None, None
                    continue
                if model == "lead":
                    point = metric(targets, "new", k) - metric(targets, "biggest", k)
                else:
                    point = metric(targets, model, k)
                ordered = sorted(samples[(model, k)])
                cell[name] = round(point, 3)
                cell[name + " 90%"] = [round(_quantile(ordered, q), 3) for q in (0.05, 0.95)]
            row[model] = cell
        out[role] = row
    return out


def _cell(cell: Mapping[str, object], name: str) -> str:
    if cell.get(name) is None:
        return "—"
    low, high = cell[name + " 90%"]  # type: ignore[misc]
    return f"{cell[name]:.3f} [{low:.3f}, {high:.3f}]"


def table(title: str, result: Mapping[str, Mapping[str, Mapping]]) -> list[str]:
    """Per role: pairs, targets, then hit@5 and MRR of each model with their 90% intervals,
    and the new model's lead over the biggest actors."""
    lines = [title]
    for role, row in result.items():
        counts = row["counts"]
        lines.append(f"  {role}: {counts['pairs']} true pairs, {counts['targets']} targets")
        for model in (*MODELS, "lead"):
            label = "new − biggest" if model == "lead" else model
            cells = f"hit@5 {_cell(row[model], 'hit@5'):<24} MRR {_cell(row[model], 'mrr')}"
            lines.append(f"    {label:<14} {cells}")
    return lines


def verdict(result: Mapping[str, Mapping[str, Mapping]], role: str) -> str:
    """Whether the new model's lead over the biggest actors is clear for ``role``: the 90%
    intervals of the two models do not overlap, or only the lead's interval is above 0."""
    row = result[role]
    if row["counts"]["targets"] < MIN_TARGETS:
        return f"{role}: {row['counts']['targets']} targets, too few to judge"
    said = []
    for name in ("hit@5", "mrr"):
        new_low = row["new"][name + " 90%"][0]
        big_high = row["biggest"][name + " 90%"][1]
        lead_low = row["lead"][name + " 90%"][0]
        if new_low > big_high:
            said.append(f"{name} above, intervals apart")
        elif lead_low > 0:
            said.append(f"{name} above (paired lead > 0), intervals overlap")
        elif row["lead"][name] >= 0:
            said.append(f"{name} not below, not clearly above")
        else:
            said.append(f"{name} below")
    return f"{role}: " + "; ".join(said)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one synthetic seed")
    parser.add_argument(
        "--resamples", type=int, default=BOOTSTRAP, help="bootstrap resamples of the targets"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seed = read_seed(ROOT / "seed")
    seed_pairs: list[Pair] = []
    for split in SEED_YEARS:
        seed_pairs += evaluate(seed, split, last_year=SEED_LAST_YEAR, run="seed")
    seed_result = summarise(seed_pairs, resamples=args.resamples)
    print("\n".join(table(f"seed, splits {', '.join(map(str, SEED_YEARS))} pooled", seed_result)))
    from ccm_graph.analysis import Forums

    synthetic_pairs: list[Pair] = []
    seeds = SYNTHETIC_SEEDS[:1] if args.quick else SYNTHETIC_SEEDS
    for s in seeds:
        data = generate_planted(seed=s)
        for split in SYNTHETIC_YEARS:
            forums = Forums(masg="syn-masg")
            synthetic_pairs += evaluate(data, split, forums=forums, run=f"synthetic-{s}")
    synthetic_result = summarise(synthetic_pairs, resamples=args.resamples)
    print("\n".join(table(
        f"\nsynthetic seeds {', '.join(map(str, seeds))}, splits "
        f"{', '.join(map(str, SYNTHETIC_YEARS))} pooled", synthetic_result,
    )))  # fmt: skip
    verdicts = {
        "seed": [verdict(seed_result, r) for r in ROLE_KINDS],
        "synthetic": [verdict(synthetic_result, r) for r in ROLE_KINDS],
    }
    for data_name, said in verdicts.items():
        print(f"\n{data_name}, new model against the biggest actors:\n  " + "\n  ".join(said))
    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "command": "benchmarks/recommend_eval.py" + (" --quick" if args.quick else ""),
        "window_years": WINDOW,
        "bootstrap": {
            "resamples": args.resamples,
            "over": "targets (State at a split)",
            "interval": "90%, percentile",
            "seed": 0,
        },
        "seed": {"splits": SEED_YEARS, "last_year": SEED_LAST_YEAR, "result": seed_result},
        "synthetic": {
            "generator": "benchmarks/synthetic.py generate_planted (defaults)",
            "seeds": seeds,
            "splits": SYNTHETIC_YEARS,
            "result": synthetic_result,
        },
        "verdicts": verdicts,
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"recommend-eval-{date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)} in {report['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
