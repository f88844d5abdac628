"""The Dataset: every record of one seed folder or one Neo4j database, typed, in file order.

:class:`Dataset` is the one interchange form between the seed files, Neo4j and NetworkX;
:class:`Origin` says where a record was read from, for error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from ..metadata import DatasetInfo
from ..schema import (
    NODE_TABLES,
    TABLES,
    Activity,
    Actor,
    Coalition,
    Evidence,
    NodeType,
    Obligation,
    Relation,
    TableSpec,
)

__all__ = ["Dataset", "NodeRecord", "Origin"]


NodeRecord = Actor | Obligation | Coalition | Activity


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages: a file and line, or a Neo4j id."""

    file: str
    line: int | None = None


@dataclass
class Dataset:
    """Every record of one seed folder or one Neo4j database.

    ``evidence`` holds the rows of ``evidence.csv``, the quoted sources of the other
    records' facts (each row names its record; it is not a node of the graph).

    The lists keep file order; :meth:`sorted` gives the canonical order used for comparison
    and export. ``origins`` maps ``(file, index)`` to where the record was read from.
    """

    actors: list[Actor] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    coalitions: list[Coalition] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    info: DatasetInfo = field(default_factory=DatasetInfo)
    origins: dict[tuple[str, int], Origin] = field(default_factory=dict, compare=False, repr=False)

    def table(self, spec: TableSpec) -> list[Any]:
        """The record list that holds ``spec``'s rows."""
        records: list[Any] = getattr(self, spec.file.removesuffix(".csv"))
        return records

    def nodes(self) -> Iterator[tuple[NodeType, NodeRecord]]:
        """Every node record with its node type."""
        for spec in NODE_TABLES:
            assert spec.node_type is not None
            for record in self.table(spec):
                yield spec.node_type, record

    def node_index(self) -> dict[str, tuple[NodeType, NodeRecord]]:
        """Map id → (node type, record). Later duplicates win; the validator reports them."""
        return {record.id: (node_type, record) for node_type, record in self.nodes()}

    def counts(self) -> dict[str, int]:
        """Number of records per seed file."""
        return {spec.file: len(self.table(spec)) for spec in TABLES}

    def sorted(self) -> Dataset:
        """A copy in canonical order (nodes by id, relations by their key)."""
        return Dataset(
            actors=sorted(self.actors, key=lambda r: r.id),
            obligations=sorted(self.obligations, key=lambda r: r.id),
            coalitions=sorted(self.coalitions, key=lambda r: r.id),
            activities=sorted(self.activities, key=lambda r: r.id),
            relations=sorted(self.relations, key=_relation_sort_key),
            evidence=sorted(self.evidence, key=_evidence_sort_key),
            info=self.info,
        )

    def without_restricted(self) -> Dataset:
        """A copy without restricted records nor anything that hangs only on them.

        Restricted actors, coalitions and relations go; so do the obligations of a restricted
        State, the coalitions focused on one, every relation that touches a removed record, the
        evidence of a removed record (evidence of a restricted record is restricted too), and
        the funding coverage stated for a removed recipient (``metadata.json``).
        """
        actors = [a for a in self.actors if a.sensitivity != "restricted"]
        kept_actors = {a.id for a in actors}
        obligations = [o for o in self.obligations if o.state in kept_actors]
        coalitions = [
            c for c in self.coalitions if c.sensitivity != "restricted" and c.focus in kept_actors
        ]
        kept = (
            kept_actors
            | {o.id for o in obligations}
            | {c.id for c in coalitions}
            | {a.id for a in self.activities}
        )
        relations = [
            r
            for r in self.relations
            if r.sensitivity != "restricted" and r.from_id in kept and r.to_id in kept
        ]
        evidence = [e for e in self.evidence if e.record in kept]
        return Dataset(
            actors,
            obligations,
            coalitions,
            list(self.activities),
            relations,
            evidence,
            info=_info_of(self.info, {a.id for a in self.actors} - kept_actors),
        )

    def has_restricted(self) -> bool:
        """Whether any record is marked restricted."""
        marked: list[Actor | Coalition | Relation] = [
            *self.actors,
            *self.coalitions,
            *self.relations,
        ]
        return any(r.sensitivity == "restricted" for r in marked)


def _info_of(info: DatasetInfo, removed: set[str]) -> DatasetInfo:
    """``info`` without the funding coverage of the ``removed`` recipients."""
    funding = info.coverage.funding
    if funding is None or not any(r in removed for r, _ in funding.recipients):
        return info
    kept = tuple((r, w) for r, w in funding.recipients if r not in removed)
    coverage = replace(info.coverage, funding=replace(funding, recipients=kept))
    return replace(info, coverage=coverage)


def _relation_sort_key(relation: Relation) -> tuple[str, ...]:
    """The relation's :attr:`~Relation.key` as text (blank for none), for a total order."""
    r = relation
    return (
        r.from_id,
        r.type,
        r.to_id,
        r.role or "",
        "" if r.year is None else str(r.year),
        r.convention or "",
        r.purpose or "",
        r.since or "",
        r.until or "",
    )


def _evidence_sort_key(evidence: Evidence) -> tuple[str, ...]:
    """Record, field (extensions in their number's order), source, then the rest."""
    e = evidence
    parts = e.field.split(".")
    number = parts[1].zfill(4) if len(parts) == 3 and parts[1].isdigit() else ""
    return (e.record, parts[0], number, e.field, e.source or "", e.value, e.status)
