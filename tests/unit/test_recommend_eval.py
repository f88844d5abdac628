"""The recommendation benchmark's statistics: intervals over targets, paired leads."""

from __future__ import annotations

import sys

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import recommend_eval


def _pairs(hits: dict[str, list[float]]) -> list[recommend_eval.Pair]:
    """Donor pairs for targets t0, t1, …: ``hits[model][i]`` is target i's one pair's hit."""
    return [
        (f"t{i}", "donor", model, hit, hit)
        for model, values in hits.items()
        for i, hit in enumerate(values)
    ]


def test_a_model_that_always_hits_has_a_point_interval_and_a_clear_lead() -> None:
    n = 40
    result = recommend_eval.summarise(
        _pairs({"new": [1.0] * n, "landed": [0.0] * n, "biggest": [0.0] * n,
                "random": [0.0] * n}),
        resamples=200,
    )["donor"]  # fmt: skip
    assert result["counts"] == {"targets": n, "pairs": n}
    assert result["new"]["hit@5 90%"] == [1.0, 1.0]
    assert result["lead"]["hit@5"] == 1.0
    assert recommend_eval.verdict({"donor": result}, "donor").startswith(
        "donor: hit@5 above, intervals apart"
    )


def test_intervals_contain_the_point_and_are_the_same_for_the_same_seed() -> None:
    new = [1.0 if i % 3 else 0.0 for i in range(30)]
    big = [1.0 if i % 2 else 0.0 for i in range(30)]
    pairs = _pairs({"new": new, "landed": big, "biggest": big, "random": big})
    first = recommend_eval.summarise(pairs, resamples=300)["donor"]
    again = recommend_eval.summarise(pairs, resamples=300)["donor"]
    assert first == again
    low, high = first["new"]["hit@5 90%"]
    assert low < first["new"]["hit@5"] < high
    assert recommend_eval.verdict({"donor": first}, "donor").startswith("donor: hit@5 not below")


def test_resampling_is_by_target_so_one_target_with_many_pairs_moves_together() -> None:
    """Ten pairs of one target all hit, ten targets with one pair each all miss: resampling
    targets (not pairs) gives resamples where the ten hits are all in or all out."""
    pairs: list[recommend_eval.Pair] = [
        ("big", "donor", m, 1.0, 1.0) for m in recommend_eval.MODELS for _ in range(10)
    ] + [(f"t{i}", "donor", m, 0.0, 0.5) for m in recommend_eval.MODELS for i in range(10)]
    result = recommend_eval.summarise(pairs, resamples=500)["donor"]
    assert result["counts"] == {"targets": 11, "pairs": 20}
    assert result["new"]["hit@5"] == 0.5
    low, high = result["new"]["hit@5 90%"]
    # by pairs the interval would be about ±0.18; by targets it is much wider
    assert high - low > 0.5
