"""The properties and rows a load writes: one per record, each with its load stamp.

A node record's properties are its non-blank fields (:func:`record_properties`); a relation's
add ``rel_key``, a digest of what identifies it (:func:`relation_key`), an evidence row's
``ev_key`` (:func:`evidence_key`). The rows of a load
carry the load stamp ``_loaded`` (:mod:`ccm_graph.bookkeeping`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from ..bookkeeping import LOADED, content_hash
from ..queries import RELATION_PROPERTY_KEYS
from ..schema import Evidence, Relation

__all__ = [
    "evidence_key",
    "evidence_properties",
    "evidence_row",
    "node_row",
    "record_properties",
    "relation_key",
    "relation_properties",
    "relation_row",
    "staged_relation_row",
]


def relation_key(relation: Relation) -> str:
    """A stable digest of what identifies a relation row (see :attr:`Relation.key`).

    The nine identifying values are joined with the ASCII unit separator (a blank value is
    NUL, so it never equals the text ``None``) and hashed with SHA-256; 24 hex digits kept.
    """
    text = "\x1f".join(["\x00" if v is None else str(v) for v in relation.key])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def evidence_key(evidence: Evidence) -> str:
    """A stable digest of what identifies an evidence row (:attr:`Evidence.key`: record,
    field, source), made as :func:`relation_key` makes a relation's."""
    text = "\x1f".join(evidence.key)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def evidence_properties(evidence: Evidence) -> dict[str, Any]:
    """The properties an ``evidence.csv`` row gets on its ``:Evidence`` node (with ``ev_key``)."""
    props = _props(evidence)
    props["ev_key"] = evidence_key(evidence)
    return props


def evidence_row(evidence: Evidence) -> dict[str, Any]:
    """The row an evidence record is written with: its ``ev_key`` and stamped properties."""
    props = _stamped(evidence_properties(evidence))
    return {"key": props["ev_key"], "props": props}


def relation_properties(relation: Relation) -> dict[str, Any]:
    """The properties a ``relations.csv`` row gets on its Neo4j relationship (with ``rel_key``)."""
    props = _props(relation, skip=("from_id", "to_id", "type"))
    props["rel_key"] = relation_key(relation)
    return props


def _props(record: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    # the instance's own dictionary (its fields, in field order), not dataclasses.asdict:
    # asdict deep-copies every value and took ~75% of the row preparation for 110k records
    # (benchmarks/load_benchmark.py, docs/performance.md); vars() is 25% faster than getattr
    # per field
    if skip:
        skipped = frozenset(skip)
        return {k: v for k, v in vars(record).items() if v is not None and k not in skipped}
    return {k: v for k, v in vars(record).items() if v is not None}


def record_properties(record: Any) -> dict[str, Any]:
    """The properties a node record (actor, obligation, coalition, activity) gets in Neo4j."""
    return _props(record)


def _stamped(props: dict[str, Any]) -> dict[str, Any]:
    props[LOADED] = content_hash(props)
    return props


def node_row(record: Any) -> dict[str, Any]:
    """The row a node record is written with: its id and its stamped properties."""
    return {"id": record.id, "props": _stamped(_props(record))}


def relation_row(rel: Relation, *, keyed: bool = True) -> dict[str, Any]:
    """The row a relation is written with: its ends, its ``rel_key`` and stamped properties.

    Without ``keyed`` the row has no ``key`` beside the ``rel_key`` of its properties: the
    statements that create (not merge) do not read it, and it is a tenth of what a load sends.
    """
    props = _stamped(relation_properties(rel))
    if not keyed:
        return {"from": rel.from_id, "to": rel.to_id, "props": props}
    return {"from": rel.from_id, "to": rel.to_id, "key": props["rel_key"], "props": props}


def staged_relation_row(rel: Relation) -> list[Any]:
    """The row a staged load writes a relation with, a list: its ends' ids, then its stamped
    properties in :data:`~ccm_graph.queries.RELATION_PROPERTY_KEYS` order (``None`` for a
    blank). The ends become the ``elementId`` of their staged nodes just before the row is sent
    (:func:`~ccm_graph.store.staging.load_staged`)."""
    props = _stamped(relation_properties(rel))
    return [rel.from_id, rel.to_id, *map(props.get, RELATION_PROPERTY_KEYS)]
