"""Checks across records: unique ids, references, relation rules, the obligations' figures.

:func:`check_dataset` works on a Dataset from any source (seed files, a workbook, Neo4j, a
merge of a load with what is stored); :func:`ask_figure_problems` checks an obligation's
remaining-contamination and need columns together.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..errors import Problem
from ..matching import suggest
from ..schema import (
    CCM_DATE_COLUMNS,
    NODE_TABLES,
    RELATION_COLUMNS_ALWAYS,
    RELATION_RULES,
    Actor,
    ActorKind,
    Obligation,
    Relation,
)
from ..values import not_one_of
from .evidence import evidence_problems
from .records import Dataset

__all__ = ["ask_figure_problems", "check_dataset", "ends_before"]


_RULES_BY_NAME = {t.value: rule for t, rule in RELATION_RULES.items()}


_NOT_APPLICABLE = {
    t.value: tuple(
        f.name
        for f in dataclasses.fields(Relation)
        if f.name not in RELATION_COLUMNS_ALWAYS and f.name not in rule.fields
    )
    for t, rule in RELATION_RULES.items()
}
"""Per relationship type, the relation columns that must stay blank."""


def check_dataset(dataset: Dataset) -> list[Problem]:
    """Consistency checks across records: unique ids, references, relation rules, and the
    evidence of ``evidence.csv`` (:func:`~ccm_graph.dataset.evidence.evidence_problems`).

    Works on a Dataset from any source; problems are located with ``dataset.origins`` when
    known (seed files), else by the record's id.
    """
    report = _Report(dataset)
    _check_unique_ids(dataset, report)
    kinds_of: dict[str, frozenset[str]] = {}
    for ident, (node_type, record) in dataset.node_index().items():
        kind = record.kind if isinstance(record, Actor) else None
        kinds_of[ident] = frozenset(k for k in (node_type.value, kind) if k is not None)
    _check_state_columns(dataset, report)
    _check_obligations(dataset, kinds_of, report)
    for i, co in enumerate(dataset.coalitions):
        _check_ref(co.focus, {"state"}, "focus", kinds_of, "coalitions.csv", i, report, co.id)
    _check_relations(dataset, kinds_of, report)
    _check_evidence(dataset, report)
    return report.problems


class _Report:
    """The problems found so far, each located at its record's file and line when known
    (``dataset.origins``), else named by the record's id."""

    def __init__(self, dataset: Dataset) -> None:
        self.origins = dataset.origins
        self.problems: list[Problem] = []

    def where(self, spec_file: str, index: int, ident: str) -> tuple[str, int | None, str]:
        """The file, line and message prefix of the ``index``-th record of ``spec_file``."""
        origin = self.origins.get((spec_file, index))
        if origin is None:
            return spec_file, None, f"{ident}: "
        return origin.file, origin.line, ""

    def at(self, spec_file: str, index: int, ident: str) -> str:
        """Where a record is, for a message that points back at it (``file:line``)."""
        file, line, _ = self.where(spec_file, index, ident)
        return f"{file}:{line}" if line else file

    def __call__(self, spec_file: str, index: int, ident: str, message: str) -> None:
        file, line, prefix = self.where(spec_file, index, ident)
        self.problems.append(Problem(file, line, prefix + message))


def _check_unique_ids(dataset: Dataset, report: _Report) -> None:
    """One id namespace across every node table: a repeated id names its first use."""
    first_seen: dict[str, str] = {}
    for spec in NODE_TABLES:
        for index, record in enumerate(dataset.table(spec)):
            if record.id in first_seen:
                report(
                    spec.file,
                    index,
                    record.id,
                    f"duplicate id {record.id!r} (already used at {first_seen[record.id]})",
                )
            else:
                file, line, _ = report.where(spec.file, index, record.id)
                first_seen[record.id] = f"{file}:{line}" if line else f"{file} ({record.id})"


def _check_state_columns(dataset: Dataset, report: _Report) -> None:
    """The columns that apply to States only stay blank for other actors."""
    for i, actor in enumerate(dataset.actors):
        if actor.kind != ActorKind.STATE:
            for name in ("iso3", "ccm_status", *CCM_DATE_COLUMNS, "apmbc_status"):
                if getattr(actor, name) is not None:
                    report(
                        "actors.csv",
                        i,
                        actor.id,
                        f"{name} applies to States only, but this actor is a {actor.kind}",
                    )


def _check_obligations(
    dataset: Dataset, kinds_of: dict[str, frozenset[str]], report: _Report
) -> None:
    """Each obligation belongs to a State, has the deadline its article needs, an extension
    count when extended, and its figures' columns together."""
    for i, ob in enumerate(dataset.obligations):
        _check_ref(ob.state, {"state"}, "state", kinds_of, "obligations.csv", i, report, ob.id)
        if ob.article in (3, 4) and ob.deadline is None:
            report("obligations.csv", i, ob.id, f"deadline: required for Article {ob.article}")
        if ob.status == "extended" and not ob.extensions:
            report(
                "obligations.csv",
                i,
                ob.id,
                "status is 'extended' but extensions is blank or 0",
            )
        for message in ask_figure_problems(ob):
            report("obligations.csv", i, ob.id, message)


def _check_relations(
    dataset: Dataset, kinds_of: dict[str, frozenset[str]], report: _Report
) -> None:
    """Each relation follows its type's rule (ends, columns, roles), joins two records (not
    one to itself), its dates are in order (by the spans they cover: ``until 2020`` after
    ``since 2020-07`` is in order), and no two relations share a key."""
    seen_keys: dict[tuple[Any, ...], int] = {}
    for i, rel in enumerate(dataset.relations):
        rule = _RULES_BY_NAME.get(rel.type)
        if rule is None:
            report("relations.csv", i, rel.type, f"type: unknown relationship type {rel.type!r}")
            continue
        _check_ref(rel.from_id, rule.from_types, "from", kinds_of, "relations.csv", i, report)
        _check_ref(rel.to_id, rule.to_types, "to", kinds_of, "relations.csv", i, report)
        for name in _NOT_APPLICABLE[rel.type]:
            if getattr(rel, name) is not None:
                report("relations.csv", i, rel.type, f"{name} does not apply to {rel.type}")
        if rule.roles:
            if rel.role is None and rule.role_required:
                report("relations.csv", i, rel.type, f"role: required for {rel.type}")
            elif rel.role is not None and rel.role not in rule.roles:
                report(
                    "relations.csv",
                    i,
                    rel.type,
                    f"role: {not_one_of(rel.role, rule.roles)} (for {rel.type})",
                )
        if rel.from_id == rel.to_id:
            report(
                "relations.csv",
                i,
                rel.type,
                f"from and to are the same record ({rel.from_id!r}): a relation joins two records",
            )
        if rel.since and rel.until and ends_before(rel.until, rel.since):
            report("relations.csv", i, rel.type, "until is before since")
        key = rel.key
        if key in seen_keys:
            at = report.at("relations.csv", seen_keys[key], rel.type)
            report(
                "relations.csv",
                i,
                rel.type,
                f"duplicate relation {rel.from_id} -{rel.type}-> {rel.to_id} (same as {at})",
            )
        else:
            seen_keys[key] = i


def _check_evidence(dataset: Dataset, report: _Report) -> None:
    """Each evidence row names a record and a field it may check, states its value, agrees
    with the seed and with the other rows; another row it refers to is named by its line."""
    for problem in evidence_problems(dataset):
        row = dataset.evidence[problem.index]

        def line_of(match: re.Match[str], ident: str = row.record) -> str:
            return report.at("evidence.csv", int(match.group(1)), ident)

        message = re.sub(r"#([0-9]+)", line_of, problem.message)
        report("evidence.csv", problem.index, f"{row.record} {row.field}", message)


def ask_figure_problems(ob: Obligation) -> list[str]:
    """What is wrong with an obligation's remaining-contamination and need columns together.

    A figure needs its year and its own source; a year, kind or source without its figure is
    refused (a blank figure means "not known", so there is nothing for them to describe);
    remaining contamination belongs to Article 4 (clearance) only.

    >>> ask_figure_problems(Obligation("ob-X-4", "X", 4, "2030-01-01", "open", source="s",
    ...                                remaining_km2=2.5))
    ['remaining_year: required when remaining_km2 is given', \
'remaining_source: required when remaining_km2 is given']
    """
    problems: list[str] = []
    if ob.remaining_km2 is not None and ob.article != 4:
        problems.append(
            f"remaining_km2 applies to Article 4 (clearance) only, not Article {ob.article}"
        )
    problems += _figure_problems(
        ob, ("remaining_km2",), ("remaining_year", "remaining_source"), ("remaining_kind",)
    )
    problems += _figure_problems(ob, ("need_usd", "need_text"), ("need_year", "need_source"))
    return problems


def _figure_problems(
    ob: Obligation,
    figure: tuple[str, ...],
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> list[str]:
    """One figure's columns together: given (any of ``figure``), it needs every ``required``
    column; blank, no ``required`` or ``optional`` column may be given."""
    names = " or ".join(figure)
    if any(getattr(ob, name) is not None for name in figure):
        return [
            f"{name}: required when {names} is given"
            for name in required
            if getattr(ob, name) is None
        ]
    blank = " and ".join(figure) + (" are" if len(figure) > 1 else " is")
    return [
        f"{name} is given but {blank} blank (blank means not known)"
        for name in (*optional, *required)
        if getattr(ob, name) is not None
    ]


def ends_before(earlier: str, later: str) -> bool:
    """Whether the partial date ``earlier`` ends before ``later`` begins.

    A partial date stands for the span it covers: ``2020`` is all of 2020, ``2020-07`` all of
    July 2020. Two dates contradict an order only when their spans do not overlap, so a
    membership ``since 2020-07`` ``until 2020`` is in order, ``until 2020-06`` is not.

    >>> ends_before("2020-06", "2020-07-15"), ends_before("2020", "2020-07")
    (True, False)
    """
    common = min(len(earlier), len(later))
    return earlier[:common] < later[:common]


def _check_ref(
    ref: str,
    allowed: frozenset[str] | set[str],
    column: str,
    kinds_of: dict[str, frozenset[str]],
    spec_file: str,
    i: int,
    report: _Report,
    owner: str | None = None,
) -> bool:
    """Whether ``ref`` is the id of a record of an ``allowed`` kind (``kinds_of``: id → its
    node type and kind); if not, the problem is reported, with the closest id, named by
    ``owner`` (the id of the record that holds ``ref``) when its line is not known."""
    ident = ref if owner is None else owner
    if ref not in kinds_of:
        close = suggest(ref, list(kinds_of), limit=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        report(spec_file, i, ident, f"{column}: unknown id {ref!r}{hint}")
        return False
    kinds = kinds_of[ref]
    if kinds.isdisjoint(allowed):
        wanted = " or ".join(sorted(allowed))
        have = sorted(kinds - {"actor"}) or sorted(kinds)
        article = "an" if have[0][0] in "aeiou" else "a"
        report(spec_file, i, ident, f"{column}: {ref!r} is {article} {have[0]}, expected {wanted}")
        return False
    return True
