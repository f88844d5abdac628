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
    "generate_planted",
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
"""Share of ``n_actors`` per actor kind; civil-society organisations make up the rest. A kind
not listed (``funder``) gets no actor, so the synthetic datasets stay those of earlier
benchmark runs."""

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

    counts = {kind: 0 for kind in ActorKind}
    counts |= {kind: max(1, round(n_actors * share)) for kind, share in ACTOR_SHARES.items()}
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
    """Append ``n_relations`` relations with distinct keys and two distinct ends, in the shares
    of RELATION_SHARES."""
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
                # a relation joins two records: a forum is never a member of itself
                if relation.key not in seen and relation.from_id != relation.to_id:
                    break
            else:
                raise ValueError(f"cannot make {quota} distinct {rel_type} relations at this size")
            seen.add(relation.key)
            dataset.relations.append(relation)


# --- planted structure, for evaluating recommendations ------------------------------------------

_LANGUAGES = ("en", "fr", "es", "ar", "pt", "ru")


def generate_planted(
    n_states: int = 120,
    n_donors: int = 30,
    n_operators: int = 40,
    n_technical: int = 10,
    first_year: int = 2010,
    last_year: int = 2025,
    seed: int = 1,
) -> Dataset:
    """A small synthetic world where partners are chosen by known rules (for evaluation).

    Planted structure, year by year from ``first_year`` to ``last_year``:

    - **Donors** (States that are not affected, two regional organisations and a fund) have a
      budget (log-normal: a few big donors, many small), one or two preferred regions and an
      official language. Each year a donor keeps funding a State it funded the year before
      with probability 0.7 (persistence) and takes on new States, chosen with weight 1, ×6 in
      a preferred region, ×3 when they share a language, ×3 when the donor funded the State
      before (re-engagement). Big donors take on more States. Bigger donors are more often
      MASG members (membership itself drives nothing).
    - **Operators** have one or two home regions and start in a few affected States there;
      each year an operator expands to a new affected State with probability 0.15, chosen
      ×6 in a home region and ×3 when a donor that funds the operator funds that State.
    - **Technical partners**: international bodies give technical support to affected States'
      obligations, ×4 in their region; States that completed Article 4 give it to affected
      States of their region or language (South–South cooperation).

    Every record is invented and labelled synthetic. The same arguments give the same data.
    """
    rng = random.Random(seed)
    source = source_text(seed) + " planted"
    data = Dataset()
    states: list[Actor] = []
    for i in range(n_states):
        iso3 = _iso3(i)
        languages = rng.sample(_LANGUAGES, 2 if rng.random() < 0.2 else 1)
        states.append(Actor(
            id=f"syn-{iso3}", kind="state", name=f"Synthetic State {iso3}", iso3=iso3,
            region=rng.choice(REGIONS), ccm_status="state_party", apmbc_status="state_party",
            languages=";".join(languages), sensitivity="public", source=source,
        ))  # fmt: skip
    data.actors.extend(states)
    rng.shuffle(order := list(states))
    donor_states = order[:n_donors]
    completed = order[n_donors : n_donors + n_states // 10]
    affected = order[n_donors + n_states // 10 :]
    for i, state in enumerate(affected):
        data.obligations.append(Obligation(
            id=f"syn-ob-{i:05d}", state=state.id, article=4,
            deadline=f"{rng.randint(2026, 2032)}-0{rng.randint(1, 9)}-01", status="open",
            description="Synthetic Article 4 obligation", source=source,
        ))  # fmt: skip
    for i, state in enumerate(completed):
        data.obligations.append(Obligation(
            id=f"syn-obc-{i:05d}", state=state.id, article=4, deadline="2012-01-01",
            status="completed", completed=str(rng.randint(2005, 2009)),
            description="Synthetic completed Article 4 obligation", source=source,
        ))  # fmt: skip
    others = [
        Actor(
            f"syn-regional-{i}",
            "regional_org",
            f"Synthetic regional body {i}",
            region=rng.choice(REGIONS),
            source=source,
        )
        for i in range(2)
    ] + [Actor("syn-fund-0", "international_org", "Synthetic mine action fund", source=source)]
    technical = [
        Actor(f"syn-tech-{i:03d}", "international_org", f"Synthetic technical body {i}",
              region=rng.choice(REGIONS) if rng.random() < 0.6 else None, source=source)
        for i in range(n_technical)
    ]  # fmt: skip
    operators = [
        Actor(f"syn-op-{i:03d}", "operator", f"Synthetic operator {i}", source=source)
        for i in range(n_operators)
    ]
    masg = Actor("syn-masg", "forum", "Synthetic MASG", source=source)
    data.actors.extend([*others, *technical, *operators, masg])

    donors = [*donor_states, *others]
    budget = {d.id: rng.lognormvariate(0, 1.0) for d in donors}
    prefs = {d.id: set(rng.sample(REGIONS, rng.choice((1, 2)))) for d in donors}
    speaks = {
        a.id: set((a.languages or "").split(";")) if a.languages else {rng.choice(_LANGUAGES)}
        for a in donors
    }
    for d in sorted(donors, key=lambda d: -budget[d.id])[: len(donors) * 2 // 3]:
        if rng.random() < 0.8:
            data.relations.append(Relation(d.id, "MEMBER_OF", masg.id, "member", since="2008",
                                           source=source))  # fmt: skip
    homes = {o.id: set(rng.sample(REGIONS, rng.choice((1, 2)))) for o in operators}
    present: dict[str, set[str]] = {o.id: set() for o in operators}
    for o in operators:
        local = [s for s in affected if s.region in homes[o.id]] or affected
        for s in rng.sample(local, min(len(local), rng.randint(1, 3))):
            present[o.id].add(s.id)
            data.relations.append(Relation(o.id, "OPERATES_IN", s.id, since=str(first_year - 2),
                                           source=source))  # fmt: skip
    region_of = {s.id: s.region for s in states}
    lang_of = {s.id: set((s.languages or "").split(";")) for s in states}
    funded_ever: dict[str, set[str]] = {d.id: set() for d in donors}
    funded_last: dict[str, set[str]] = {d.id: set() for d in donors}
    op_funders: dict[str, set[str]] = {o.id: set() for o in operators}
    obligation_of = {o.state: o.id for o in data.obligations if o.status == "open"}
    seen: set[tuple[object, ...]] = set()

    def add(relation: Relation) -> None:
        if relation.key not in seen:
            seen.add(relation.key)
            data.relations.append(relation)

    for year in range(first_year, last_year + 1):
        for d in donors:
            keep = {s for s in sorted(funded_last[d.id]) if rng.random() < 0.7}
            weights = [
                (6 if region_of[s.id] in prefs[d.id] else 1)
                * (3 if lang_of[s.id] & speaks[d.id] else 1)
                * (3 if s.id in funded_ever[d.id] else 1)
                for s in affected
            ]
            new = rng.choices(
                affected, weights=weights, k=max(0, round(budget[d.id] * 0.6 + rng.random() - 0.5))
            )
            chosen = keep | {s.id for s in new}
            for s in sorted(chosen):
                add(
                    Relation(
                        d.id,
                        "FUNDS",
                        s,
                        year=year,
                        amount_usd=round(budget[d.id] * rng.uniform(2e5, 2e6), -3),
                        convention=rng.choice(("general", "CCM", "APMBC")),
                        source=source,
                    )
                )
            funded_last[d.id] = chosen
            funded_ever[d.id] |= chosen
            if rng.random() < 0.3:
                candidates = [o for o in operators if homes[o.id] & prefs[d.id]] or operators
                o = rng.choice(candidates)
                op_funders[o.id].add(d.id)
                add(
                    Relation(
                        d.id,
                        "FUNDS",
                        o.id,
                        year=year,
                        amount_usd=round(budget[d.id] * 1e5, -3),
                        source=source,
                    )
                )
        for o in operators:
            if rng.random() < 0.15:
                pool = [s for s in affected if s.id not in present[o.id]]
                if pool:
                    backers = {s for d in op_funders[o.id] for s in funded_ever[d]}
                    weights = [
                        (6 if s.region in homes[o.id] else 1) * (3 if s.id in backers else 1)
                        for s in pool
                    ]
                    s = rng.choices(pool, weights=weights)[0]
                    present[o.id].add(s.id)
                    add(Relation(o.id, "OPERATES_IN", s.id, since=str(year), source=source))
        helpers = [*technical, *completed]
        for h in helpers:
            if rng.random() < 0.25:
                weights = [
                    (4 if h.region and s.region == h.region else 1)
                    * (3 if h.kind == "state" and lang_of[s.id] & lang_of[h.id] else 1)
                    for s in affected
                ]
                s = rng.choices(affected, weights=weights)[0]
                add(Relation(h.id, "SUPPORTS", obligation_of[s.id], "technical", year=year,
                             source=source))  # fmt: skip
    problems = check_dataset(data)
    if problems:
        raise AssertionError(f"planted dataset is invalid: {problems[:5]}")
    return data


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
