"""What ccm-graph keeps on records beside their data: the load stamp.

Every node and relationship written by ``load`` carries ``_loaded``, a digest of exactly the
properties that load wrote. When the record is edited in Neo4j afterwards (by the coalition
workflow or ``query --write``) its properties no longer hash to ``_loaded``; a record made in
Neo4j (a proposed coalition, its members) has no ``_loaded`` at all. That is how ``load
--sync`` knows which records were *edited in Neo4j since the last load*.

Bookkeeping properties are not schema fields: ``Store.read_dataset`` ignores them, so they
never reach the seed files or the analyses. The coalition workflow's stamps (:data:`NEO4J_ONLY`)
are the one exception kept outside Neo4j: exports and snapshots write them to their own file,
``neo4j-stamps.csv`` (:func:`ccm_graph.dataset.read_stamps`), and a load of such a folder puts
them back (:mod:`ccm_graph.sync`); they still never count as an edit.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from collections.abc import Mapping
from typing import Any

__all__ = ["BOOKKEEPING", "LOADED", "NEO4J_ONLY", "content_hash", "data_properties"]

LOADED = "_loaded"
"""The load stamp: :func:`content_hash` of the properties the last load wrote."""

NEO4J_ONLY = frozenset({"created", "updated"})
"""Stamps the coalition workflow keeps in Neo4j only (a load keeps them as they are, unless
its folder's ``neo4j-stamps.csv`` says otherwise; see :class:`ccm_graph.schema.CoalitionStamps`)."""

BOOKKEEPING = frozenset({LOADED}) | NEO4J_ONLY
"""Properties that are not the record's data: left out of hashes and comparisons."""


def data_properties(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` without the bookkeeping properties."""
    return {k: v for k, v in props.items() if k not in BOOKKEEPING}


def content_hash(props: Mapping[str, Any]) -> str:
    """A stable digest of a record's data properties (24 hex digits of a SHA-256).

    >>> content_hash({"id": "LAO", "name": "Lao PDR"}) == content_hash(
    ...     {"name": "Lao PDR", "id": "LAO", "_loaded": "x", "updated": "2026-01-01"})
    True
    >>> content_hash({"id": "LAO"}) == content_hash({"id": "LAO", "name": "Lao PDR"})
    False
    """
    data = props if BOOKKEEPING.isdisjoint(props) else data_properties(props)
    return hashlib.sha256(_json_text(data).encode("utf-8")).hexdigest()[:24]


_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
"""The encoder of :func:`content_hash`. ``json.dumps`` with these options builds this same
encoder on every call; one shared encoder gives the same text (a test compares them on awkward
values), so stamps written by earlier versions still match: changing the text would make every
stored record look edited to ``load --sync``."""

# _JSON's C encoder, made once: _JSON.encode makes it again on every call, a third of the time
# of a stamp (a load of 100,000 relations makes 110,000). The arguments _JSON gives it
# (default=str, ensure_ascii=False, the separators, sort_keys, NaN allowed), but no markers:
# properties are flat, there is no circular reference to look for. None without the C
# accelerator (another Python): _JSON.encode then.
_C_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_C_JSON = None
if _C_MAKE_ENCODER is not None:
    _C_JSON = _C_MAKE_ENCODER(None, str, json.encoder.encode_basestring, None, ":", ",", True,
                              False, True)  # fmt: skip


def _json_text(props: Mapping[str, Any]) -> str:
    """The text :func:`content_hash` hashes: ``_JSON.encode(props)``."""
    if _C_JSON is None:
        return _JSON.encode(props)
    return "".join(_C_JSON(props, 0))
