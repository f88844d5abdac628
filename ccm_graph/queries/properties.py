"""The properties a relationship is created with, spelled out for Cypher's ``CREATE``."""

from __future__ import annotations

import dataclasses

from ..bookkeeping import LOADED
from ..schema import Relation

__all__ = ["RELATION_PROPERTY_KEYS", "relation_properties_from_list", "relation_properties_map"]

RELATION_PROPERTY_KEYS: tuple[str, ...] = (
    *(f.name for f in dataclasses.fields(Relation) if f.name not in ("from_id", "type", "to_id")),
    "rel_key",
    LOADED,
)
"""The properties a ``relations.csv`` row's relationship can have: the row's fields but its
ends and type, its ``rel_key`` and its load stamp (:func:`ccm_graph.store.rows.relation_row`)."""


def relation_properties_map(props: str = "row.props") -> str:
    """A Cypher map literal of every property a ``relations.csv`` row's relationship can
    have, each read from the map ``props``: ``{role: row.props.role, …, rel_key: …,
    _loaded: …}``. A key ``props`` lacks gives ``null``, which ``CREATE`` leaves unset, as
    ``SET r = row.props`` does. The keys come from :class:`~ccm_graph.schema.Relation`'s
    fields, so a new column is written without a change here."""
    return "{" + ", ".join(f"{key}: {props}.{key}" for key in RELATION_PROPERTY_KEYS) + "}"


def relation_properties_from_list(row: str = "row", first: int = 2) -> str:
    """The map of :func:`relation_properties_map` for rows that are lists: the properties in
    :data:`RELATION_PROPERTY_KEYS` order from position ``first`` on (``{role: row[2], …}``),
    the relation's ends before them (:func:`ccm_graph.store.rows.staged_relation_row`)."""
    return (
        "{"
        + ", ".join(f"{key}: {row}[{n}]" for n, key in enumerate(RELATION_PROPERTY_KEYS, first))
        + "}"
    )
