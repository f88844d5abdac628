"""A seeded synthetic ccm-graph dataset for benchmarks, of any size.

Every record is invented and says so: its ``source`` is
``synthetic benchmark data (ccm-graph benchmarks/synthetic.py, seed N)``. Ids all start with
``syn-`` so they never collide with the real seed's. The mix of records follows the real seed's
shape, scaled by ``n_actors``: a few hundred States (each with a national authority), their
Article 3/4/5 obligations, Country Coalitions focused on affected States, forums, activities,
and many operators, international and civil-society bodies. Relations are spread over the five
``relations.csv`` types in fixed shares; each respects :data:`ccm_graph.schema.RELATION_RULES`
and every relation key is unique, so the dataset passes
:func:`ccm_graph.dataset.check_dataset` and loads into exactly
``nodes + relations + obligations + coalitions`` Neo4j rows.

Library use (later benchmarks double the size)::

    from synthetic import generate
    dataset = generate(n_actors=20_000, n_relations=200_000, seed=42)

Command line, to write a seed folder::

    .venv/bin/python benchmarks/synthetic.py --out out/synthetic [--actors N] [--relations N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ccm_graph.dataset import Dataset, check_dataset, write_seed
from ccm_graph.schema import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    APMBC_STATUSES,
    CCM_STATUSES,
    COALITION_STATUSES,
    CONVENTIONS,
    MEMBER_ROLES,
    PARTICIPATION_ROLES,
    REGIONS,
    SUPPORT_KINDS,
    Activity,
    Actor,
    ActorKind,
    Coalition,
    Obligation,
    Relation,
    RelType,
)

__all__ = [
    "ACTOR_SHARES",
    "RELATION_SHARES",
    "generate",
    "source_text",
]

ACTOR_SHARES: dict[ActorKind, float] = {
    ActorKind.STATE: 0.03,
    ActorKind.NATIONAL_AUTHORITY: 0.03,
    ActorKind.FORUM: 0.004,
    ActorKind.SECRETARIAT: 0.001,
    ActorKind.INTERNATIONAL_ORG: 0.02,
    ActorKind.REGIONAL_ORG: 0.005,
    ActorKind.OPERATOR: 0.30,
}
"""Share of ``n_actors`` per actor kind; civil-society organisations make up the rest."""

RELATION_SHARES: dict[RelType, float] = {
    RelType.FUNDS: 0.20,
    RelType.OPERATES_IN: 0.20,
    RelType.MEMBER_OF: 0.25,
    RelType.SUPPORTS: 0.15,
}
"""Share of ``n_relations`` per relationship type; ``PARTICIPATES_IN`` makes up the rest."""

_PURPOSES = (
    "clearance",
    "stockpile destruction",
    "victim assistance",
    "risk education",
    "capacity building",
    "survey",
    None,
)
_MAX_TRIES = 1000


def source_text(seed: int) -> str:
    """The ``source`` of every record made with ``seed``: it says the data is synthetic."""
    return f"synthetic benchmark data (ccm-graph benchmarks/synthetic.py, seed {seed})"


def _iso3(index: int) -> str:
    """A distinct three-capital-letter code for each index below 26**3 (not real ISO codes)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index // 676 % 26] + letters[index // 26 % 26] + letters[index % 26]


def _date(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(first_year, last_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _partial_date(rng: random.Random, first_year: int, last_year: int) -> str:
    year = rng.randint(first_year, last_year)
    return str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}"


def _span(rng: random.Random) -> tuple[str, str | None]:
    """A ``since``/``until`` pair with ``until`` blank (ongoing) or not before ``since``."""
    start = rng.randint(2008, 2025)
    since = str(start)
    if rng.random() < 0.6:
        return since, None
    return since, str(rng.randint(start, 2030))


def generate(n_actors: int = 10_000, n_relations: int = 100_000, seed: int = 42) -> Dataset:
    """A synthetic, valid :class:`~ccm_graph.dataset.Dataset` of the given size.

    :param n_actors: number of actors (at least 100, so that every kind is present).
    :param n_relations: number of ``relations.csv`` rows; derived ``HAS_OBLIGATION`` and
        ``FOCUSES_ON`` edges (one per obligation and per coalition) come on top.
    :param seed: seed of the ``random.Random`` that makes every choice: the same arguments
        always give the same dataset.
    :returns: actors, obligations (about ``n_actors / 20``), coalitions (``n_actors / 50``),
        activities (``n_actors / 10``) and relations, all labelled synthetic.
    """
    if n_actors < 100:
        raise ValueError("n_actors must be at least 100")
    if n_relations < 0:
        raise ValueError("n_relations must not be negative")
    rng = random.Random(seed)
    source = source_text(seed)
    dataset = Dataset()

    counts = {kind: max(1, round(n_actors * share)) for kind, share in ACTOR_SHARES.items()}
    counts[ActorKind.CIVIL_SOCIETY] = n_actors - sum(counts.values())
    if counts[ActorKind.STATE] > 26**3:
        raise ValueError("too many States for distinct three-letter codes")

    states: list[Actor] = []
    for i in range(counts[ActorKind.STATE]):
        iso3 = _iso3(i)
        ccm_status = rng.choices(CCM_STATUSES, weights=(70, 8, 20, 2))[0]
        states.append(
            Actor(
                id=f"syn-{iso3}",
                kind=ActorKind.STATE.value,
                name=f"Synthetic State {iso3}",
                iso3=iso3,
                region=rng.choice(REGIONS),
                ccm_status=ccm_status,
                apmbc_status=rng.choices(APMBC_STATUSES, weights=(80, 3, 16, 1))[0],
                sensitivity="public",
                source=source,
            )
        )
    dataset.actors.extend(states)
    others: dict[ActorKind, list[Actor]] = {}
    for kind in ActorKind:
        if kind is ActorKind.STATE:
            continue
        slug = kind.value.replace("_", "-")
        others[kind] = [
            Actor(
                id=f"syn-{slug}-{i:05d}",
                kind=kind.value,
                name=f"Synthetic {kind.value.replace('_', ' ')} {i:05d}",
                region=rng.choice(REGIONS) if rng.random() < 0.8 else None,
                sensitivity="restricted" if rng.random() < 0.01 else "public",
                source=source,
                notes="synthetic" if rng.random() < 0.1 else None,
            )
            for i in range(counts[kind])
        ]
        dataset.actors.extend(others[kind])

    # obligations: about one per 20 actors, on States Parties first (one per article at most)
    parties = [s for s in states if s.ccm_status == "state_party"] or states
    n_obligations = max(1, n_actors // 20)
    slots = [(state, article) for state in parties for article in (3, 4, 5)]
    rng.shuffle(slots)
    while len(slots) < n_obligations:  # tiny worlds: allow several per State and article
        slots.extend(slots)
    for i, (state, article) in enumerate(slots[:n_obligations]):
        status = rng.choices(("open", "extended", "completed"), weights=(50, 30, 20))[0]
        deadline = _date(rng, 2018, 2032) if article in (3, 4) else None
        dataset.obligations.append(
            Obligation(
                id=f"syn-ob-{i:05d}",
                state=state.id,
                article=article,
                deadline=deadline,
                status=status,
                original_deadline=deadline if status != "extended" else _date(rng, 2015, 2022),
                extensions=rng.randint(1, 3) if status == "extended" else None,
                extension_requested=str(rng.randint(2019, 2025)) if status == "extended" else None,
                completed=_partial_date(rng, 2012, 2025) if status == "completed" else None,
                description=f"Synthetic Article {article} obligation",
                source=source,
            )
        )

    affected = sorted({o.state for o in dataset.obligations})
    dataset.coalitions.extend(
        Coalition(
            id=f"syn-coal-{i:05d}",
            name=f"Synthetic Country Coalition {i:05d}",
            focus=rng.choice(affected),
            status=rng.choice(COALITION_STATUSES),
            established=_partial_date(rng, 2017, 2026) if rng.random() < 0.7 else None,
            sensitivity="restricted" if rng.random() < 0.05 else "public",
            source=source,
        )
        for i in range(max(1, n_actors // 50))
    )
    dataset.activities.extend(
        Activity(
            id=f"syn-act-{i:05d}",
            kind=rng.choice(ACTIVITY_KINDS),
            title=f"Synthetic activity {i:05d}",
            date=(
                f"{rng.randint(2024, 2026)}-Q{rng.randint(1, 4)}"
                if rng.random() < 0.5
                else _partial_date(rng, 2024, 2026)
            ),
            status=rng.choice(ACTIVITY_STATUSES),
            description="Synthetic meeting, activity or output" if rng.random() < 0.3 else None,
            source=source,
        )
        for i in range(max(1, n_actors // 10))
    )

    _add_relations(dataset, others, states, n_relations, rng, source)
    problems = check_dataset(dataset)
    if problems:  # a bug in this generator, never in the caller's arguments
        raise AssertionError(f"synthetic dataset is invalid: {problems[:5]}")
    return dataset


def _add_relations(
    dataset: Dataset,
    others: dict[ActorKind, list[Actor]],
    states: list[Actor],
    n_relations: int,
    rng: random.Random,
    source: str,
) -> None:
    """Append ``n_relations`` relations with distinct keys, in the shares of RELATION_SHARES."""
    actors = dataset.actors
    donors = states + others[ActorKind.INTERNATIONAL_ORG] + others[ActorKind.REGIONAL_ORG]
    field_actors = (
        others[ActorKind.OPERATOR]
        + others[ActorKind.INTERNATIONAL_ORG]
        + others[ActorKind.CIVIL_SOCIETY]
        + others[ActorKind.NATIONAL_AUTHORITY]
    )
    forums: list[Any] = list(others[ActorKind.FORUM])
    groups: list[Any] = forums + dataset.coalitions
    recipients: list[Any] = (
        others[ActorKind.OPERATOR] + others[ActorKind.NATIONAL_AUTHORITY] + dataset.coalitions
    )

    def funds() -> Relation:
        return Relation(
            from_id=rng.choice(donors).id,
            type=RelType.FUNDS.value,
            to_id=rng.choice(recipients).id,
            year=rng.randint(2010, 2026),
            amount_usd=rng.randrange(10_000, 5_000_000, 1000),
            convention=rng.choice(CONVENTIONS),
            purpose=rng.choice(_PURPOSES),
            sensitivity="restricted" if rng.random() < 0.02 else "public",
            source=source,
        )

    def operates_in() -> Relation:
        since, until = _span(rng)
        return Relation(
            from_id=rng.choice(field_actors).id,
            type=RelType.OPERATES_IN.value,
            to_id=rng.choice(states).id,
            purpose=rng.choice(_PURPOSES),
            since=since,
            until=until,
            source=source,
        )

    def member_of() -> Relation:
        since, until = _span(rng)
        return Relation(
            from_id=rng.choice(actors).id,
            type=RelType.MEMBER_OF.value,
            to_id=rng.choice(groups).id,
            role=rng.choice(MEMBER_ROLES),
            since=since,
            until=until,
            source=source,
        )

    def supports() -> Relation:
        kind = rng.choice(SUPPORT_KINDS)
        return Relation(
            from_id=rng.choice(donors if kind == "financial" else field_actors).id,
            type=RelType.SUPPORTS.value,
            to_id=rng.choice(dataset.obligations).id,
            role=kind,
            year=rng.randint(2012, 2026),
            amount_usd=rng.randrange(5_000, 2_000_000, 500) if kind == "financial" else None,
            convention=rng.choice(CONVENTIONS) if rng.random() < 0.5 else None,
            purpose=rng.choice(_PURPOSES),
            source=source,
        )

    def participates_in() -> Relation:
        return Relation(
            from_id=rng.choice(actors).id,
            type=RelType.PARTICIPATES_IN.value,
            to_id=rng.choice(dataset.activities).id,
            role=rng.choices(PARTICIPATION_ROLES, weights=(1, 9))[0],
            source=source,
        )

    makers: dict[RelType, Callable[[], Relation]] = {
        RelType.FUNDS: funds,
        RelType.OPERATES_IN: operates_in,
        RelType.MEMBER_OF: member_of,
        RelType.SUPPORTS: supports,
        RelType.PARTICIPATES_IN: participates_in,
    }
    quotas = {rel_type: round(n_relations * share) for rel_type, share in RELATION_SHARES.items()}
    quotas[RelType.PARTICIPATES_IN] = n_relations - sum(quotas.values())
    seen: set[tuple[Any, ...]] = set()
    for rel_type, quota in quotas.items():
        make = makers[rel_type]
        for _ in range(quota):
            for _attempt in range(_MAX_TRIES):
                relation = make()
                if relation.key not in seen:
                    break
            else:
                raise ValueError(f"cannot make {quota} distinct {rel_type} relations at this size")
            seen.add(relation.key)
            dataset.relations.append(relation)


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic seed folder (restricted records included) and print its counts."""
    parser = argparse.ArgumentParser(
        prog="synthetic.py", description="Write a seeded synthetic ccm-graph seed folder."
    )
    parser.add_argument("--out", required=True, type=Path, help="folder to write the CSVs into")
    parser.add_argument("--actors", type=int, default=10_000, help="number of actors")
    parser.add_argument("--relations", type=int, default=100_000, help="number of relations")
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    args = parser.parse_args(argv)
    dataset = generate(args.actors, args.relations, args.seed)
    counts = write_seed(dataset, args.out, include_restricted=True)
    (args.out / "README.md").write_text(
        "# Synthetic benchmark data\n\n"
        f"Made by `benchmarks/synthetic.py --actors {args.actors} --relations {args.relations} "
        f"--seed {args.seed}`. Every record is invented: nothing here describes a real State, "
        "organisation, obligation or coalition.\n",
        encoding="utf-8",
    )
    for file, count in counts.items():
        print(f"{file}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
