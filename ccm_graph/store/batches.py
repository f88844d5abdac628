"""The statements of a load and their batches of rows, checked as they are made.

:func:`load_batches` yields ``(query, rows)`` in write order, creating into an empty graph and
merging into one that holds data; :class:`RowBuilder` makes them in a background thread while
Neo4j writes the batches before; :func:`load_plan` is the naive loader of
``benchmarks/load_benchmark.py``.
"""

from __future__ import annotations

import sys
import threading
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from functools import cache, partial
from itertools import islice
from typing import Any

from ..dataset import Dataset, ValueChecker, check_dataset
from ..errors import DataError, Problem
from ..queries import (
    derived_create_query,
    derived_upsert_query,
    evidence_create_query,
    evidence_upsert_query,
    node_create_query,
    node_upsert_query,
    relation_create_query,
    relation_upsert_query,
    staged_evidence_create_query,
    staged_node_create_query,
    staged_relation_create_query,
)
from ..schema import (
    EVIDENCE_TABLE,
    NODE_TABLES,
    RELATIONS_TABLE,
    Actor,
    ActorKind,
    Coalition,
    NodeType,
    Obligation,
    Relation,
    RelType,
)
from .rows import evidence_row, node_row, relation_row, staged_relation_row

__all__ = ["Batch", "RowBuilder", "Rows", "load_batches", "load_plan"]


class Rows(list[Any]):
    """The rows of one batch: a list whose ``repr`` is short.

    The driver (``neo4j`` 6.4) formats every statement it sends for its debug log, parameters
    included, before it knows whether anything is logged (``" ".join(map(repr, fields))`` in
    ``Bolt5x5.run``): for batches of 5,000 rows that cost 0.3 s of the 2.4 s of client CPU of
    a 10k/100k load (py-spy, ``docs/performance.md``). The rows are sent as any list is.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


UNWRITTEN = "a record that passed every check could not be written"
"""Why a load fails whose rows stopped when no check found a problem (a fault of this code,
not of the data): said by :func:`load_batches`, or, when its caller takes the checks across
records, by the caller (a staged load counts the rows it wrote)."""

Batch = tuple[str, list[Any]]
"""One statement of a load and a batch of the rows it writes (``UNWIND $rows``): the rows
are :class:`Rows` of maps, or of lists in a staged load's relationships."""


def load_batches(
    dataset: Dataset,
    *,
    fresh: bool,
    batch_size: int,
    problems: list[Problem],
    consistency: bool = True,
    staged: bool = False,
    checked: Dataset | None = None,
) -> Iterator[Batch]:
    """The statements of a load and their batches of rows, in write order: nodes (actors
    by kind, then obligations, coalitions, activities), the derived edges, the relations,
    the evidence (``:Evidence`` nodes).

    Each record passes the value rules just before its row is made (nothing to do for a
    record that passed them already, e.g. read by the CSV reader), so that in
    :meth:`Store.load <ccm_graph.store.Store.load>` the checks run while Neo4j writes the
    batches before. What is wrong is appended to ``problems``: the rows stop at the first
    problem (so does a node id that is not unique, or a relation that cannot be placed), the
    checks go on to the last record, and ``consistency`` adds
    :func:`~ccm_graph.dataset.check_dataset` at the end. The writer must not commit when
    ``problems`` is not empty once the batches are done. ``fresh``: the graph is empty when
    they run (or wiped in the same transaction), so they create instead of merge — the same
    result for a valid dataset, without looking up what is not there. ``staged``: the
    statements of a staged load (:mod:`ccm_graph.store.staging`), which create ``Staged``
    nodes and the relationships between them. ``checked``: an empty dataset the records are
    added to once checked (by default one of its own); a caller that gives it and leaves out
    ``consistency`` checks them across records itself (a staged load does it while Neo4j
    makes its switch), and must not write rows that stopped when no check found a problem.
    """
    values = ValueChecker(remember=False)  # the checked records are not kept
    caller_checks = checked is not None and not consistency
    if checked is None:
        checked = Dataset(info=dataset.info, origins=dict(dataset.origins))
    for spec in NODE_TABLES:
        checked.table(spec).extend(values.batch_checker(spec)(dataset.table(spec)))
    node_types = {record.id: node_type for node_type, record in checked.nodes()}
    writing = not values.problems and len(node_types) == sum(
        len(checked.table(spec)) for spec in NODE_TABLES
    )
    if writing:
        yield from _node_batches(checked, fresh=fresh, batch_size=batch_size, staged=staged)
    writing = yield from _relation_batches(
        dataset, checked, values, node_types, fresh=fresh, batch_size=batch_size,
        writing=writing, staged=staged,
    )  # fmt: skip
    writing = yield from _evidence_batches(
        dataset, checked, values, fresh=fresh, batch_size=batch_size, writing=writing,
        staged=staged,
    )  # fmt: skip
    problems += values.problems
    if consistency:
        problems += check_dataset(checked)
    if not writing and not problems and not caller_checks:
        raise RuntimeError(UNWRITTEN)


def _node_batches(
    checked: Dataset, *, fresh: bool, batch_size: int, staged: bool
) -> Iterator[Batch]:
    """The nodes (actors by kind, then obligations, coalitions, activities) and the derived
    edges (``HAS_OBLIGATION``, ``FOCUSES_ON``) of records that passed the checks."""
    node_query = node_create_query if fresh else node_upsert_query
    derived_query = derived_create_query if fresh else derived_upsert_query
    if staged:
        node_query = _staged_node_query
        derived_query = _staged_derived_query
    by_kind: dict[ActorKind, list[Actor]] = defaultdict(list)
    for actor in checked.actors:
        by_kind[ActorKind(actor.kind)].append(actor)
    node_groups: list[tuple[str, list[Any]]] = [
        (node_query(NodeType.ACTOR, kind), by_kind[kind]) for kind in ActorKind
    ]
    node_groups += [
        (node_query(spec.node_type), checked.table(spec))
        for spec in NODE_TABLES[1:]
        if spec.node_type is not None
    ]
    for query, records in node_groups:
        for chunk in _batched(records, batch_size):
            yield query, Rows(node_row(record) for record in chunk)
    obligation_edge, focus_edge = (
        (_staged_obligation_edge, _staged_focus_edge) if staged else (_obligation_edge, _focus_edge)
    )
    for query, edges in (
        (derived_query(RelType.HAS_OBLIGATION), map(obligation_edge, checked.obligations)),
        (derived_query(RelType.FOCUSES_ON), map(focus_edge, checked.coalitions)),
    ):
        for batch in _batched(edges, batch_size):
            yield query, Rows(batch)


def _relation_batches(
    dataset: Dataset,
    checked: Dataset,
    values: ValueChecker,
    node_types: dict[str, NodeType],
    *,
    fresh: bool,
    batch_size: int,
    writing: bool,
    staged: bool = False,
) -> Generator[Batch, None, bool]:
    """The relations, checked in file order, ``batch_size`` at a time (each appended to
    ``checked``), each row put with those of its statement, a batch sent as soon as it is
    full. Rows stop at the first batch with a problem; returns whether every row was made
    (``writing`` says whether they may start)."""
    relation_query = cache(relation_create_query if fresh else relation_upsert_query)
    if staged:
        relation_query = cache(_staged_relation_query)
    make_row = staged_relation_row if staged else partial(relation_row, keyed=not fresh)
    check = values.batch_checker(RELATIONS_TABLE)
    pending: dict[tuple[RelType, NodeType, NodeType], list[Any]] = defaultdict(Rows)
    for records in _batched(dataset.relations, batch_size):
        rels = check(records)
        checked.relations.extend(rels)
        if writing and values.problems:  # said by the checks: no more rows
            writing = False
        if not writing:
            continue
        for rel in rels:
            group = _relation_group(rel, node_types)
            if group is None:  # an unknown type or end, said by the cross-record checks
                writing = False
                break
            rows = pending[group]
            rows.append(make_row(rel))
            if len(rows) >= batch_size:
                yield relation_query(*group), rows
                pending[group] = Rows()
    if writing:
        for group, rows in sorted(pending.items()):
            if rows:
                yield relation_query(*group), rows
    return writing


def _evidence_batches(
    dataset: Dataset,
    checked: Dataset,
    values: ValueChecker,
    *,
    fresh: bool,
    batch_size: int,
    writing: bool,
    staged: bool = False,
) -> Generator[Batch, None, bool]:
    """The evidence rows, checked in file order ``batch_size`` at a time (each appended to
    ``checked``), in batches; rows stop at the first batch with a problem. Returns whether
    every row was made."""
    query = evidence_create_query() if fresh else evidence_upsert_query()
    if staged:
        query = staged_evidence_create_query()
    check = values.batch_checker(EVIDENCE_TABLE)
    for records in _batched(dataset.evidence, batch_size):
        evidence = check(records)
        checked.evidence.extend(evidence)
        if writing and values.problems:
            writing = False
        if writing:
            yield query, Rows(map(evidence_row, evidence))
    return writing


def _staged_node_query(node_type: NodeType, kind: ActorKind | None = None) -> str:
    return staged_node_create_query(node_type)  # the kind is a property until the switch


def _staged_derived_query(rel_type: RelType) -> str:
    return staged_relation_create_query(rel_type, props=False)


def _staged_relation_query(rel_type: RelType, from_type: NodeType, to_type: NodeType) -> str:
    return staged_relation_create_query(rel_type)  # staged ids are one namespace


def _relation_group(
    rel: Relation, node_types: dict[str, NodeType]
) -> tuple[RelType, NodeType, NodeType] | None:
    """The statement a relation is written by (its type and its ends' node types), or None
    if its type or an end is unknown."""
    try:
        return _REL_TYPES[rel.type], node_types[rel.from_id], node_types[rel.to_id]
    except KeyError:
        return None


_REL_TYPES = {rel_type.value: rel_type for rel_type in RelType}
"""Each relationship type by its name: a dictionary look-up, not ``RelType(name)`` (an enum
call for each of a load's relations)."""


def _obligation_edge(obligation: Obligation) -> dict[str, Any]:
    return {"from": obligation.state, "to": obligation.id}


def _focus_edge(coalition: Coalition) -> dict[str, Any]:
    return {"from": coalition.id, "to": coalition.focus}


def _staged_obligation_edge(obligation: Obligation) -> list[str]:
    return [obligation.state, obligation.id]


def _staged_focus_edge(coalition: Coalition) -> list[str]:
    return [coalition.id, coalition.focus]


def _batched(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def load_plan(dataset: Dataset) -> Iterator[Batch]:
    """(query, rows) pairs of a merging load, one per statement: nodes first, then
    relationships (the naive loader of ``benchmarks/load_benchmark.py``).

    Every row's properties carry the load stamp (``_loaded``, see :mod:`ccm_graph.bookkeeping`).

    :raises DataError: if the dataset is inconsistent.
    """
    problems: list[Problem] = []
    batches = list(load_batches(dataset, fresh=False, batch_size=sys.maxsize, problems=problems))
    if problems:
        raise DataError(problems)
    yield from batches


class RowBuilder:
    """The batches of a load, made in a background thread while earlier ones are written.

    Making the rows (checks, properties, ``rel_key``, the load stamp) is Python work on the
    client; writing a batch is mostly waiting for Neo4j. On this project's 2-core machines
    the two overlap: the rows of the next batches are ready when the server answers. The
    batches are kept, so iterating again (the driver retries a transaction that failed
    transiently) gives the same batches without making them twice.
    """

    def __init__(self, batches: Iterable[Batch]) -> None:
        self._source = batches
        self._batches: list[Batch] = []
        self._done = False
        self._stop = False
        self._error: BaseException | None = None
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._build, name="ccm-graph-rows", daemon=True)
        self._thread.start()

    def _build(self) -> None:
        try:
            for item in self._source:
                with self._ready:
                    if self._stop:
                        return
                    self._batches.append(item)
                    self._ready.notify_all()
        except BaseException as exc:  # handed to the writing thread by __iter__
            self._error = exc
        finally:
            with self._ready:
                self._done = True
                self._ready.notify_all()

    def __iter__(self) -> Iterator[Batch]:
        index = 0
        while True:
            with self._ready:
                while index >= len(self._batches) and not self._done:
                    self._ready.wait()
                if index < len(self._batches):
                    item = self._batches[index]
                elif self._error is not None:
                    raise self._error
                else:
                    return
            index += 1
            yield item

    def close(self) -> None:
        """Stop making batches (the load failed or is finished) and wait for the thread."""
        with self._ready:
            self._stop = True
        self._thread.join()
