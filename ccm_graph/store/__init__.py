"""Neo4j as the store of record: load a Dataset, read it back, run Cypher.

``Store(driver, database=...)`` borrows a driver you own; ``Store.connect(uri, user, password)``
creates one, checks it answers, and closes it when the store is closed. Reads run in
``execute_read``, writes in ``execute_write``, so ``neo4j://`` routing URIs (clusters, Aura)
work unchanged. Every driver failure comes out as a :mod:`ccm_graph.errors` exception.

The modules, one job each: :mod:`~ccm_graph.store.store` (the :class:`Store`),
:mod:`~ccm_graph.store.database` (sessions, transactions, the tracer),
:mod:`~ccm_graph.store.connect` (opening a driver within a deadline),
:mod:`~ccm_graph.store.driver_errors` (driver failures in one sentence),
:mod:`~ccm_graph.store.loading` (a load, all or nothing), :mod:`~ccm_graph.store.batches`
(its statements and batches, checked as they are made), :mod:`~ccm_graph.store.rows` (the
properties and rows of each record), :mod:`~ccm_graph.store.reading` (back into a Dataset),
:mod:`~ccm_graph.store.querying` and :mod:`~ccm_graph.store.read_only` (running Cypher for
people, refusing what is not a plain read).
"""

from ..connection import ConnectionSettings
from .connect import CONNECT_DEADLINE, CONNECT_TIMEOUT, RETRY_TIME
from .loading import BATCH_SIZE, LoadReport, merge_datasets
from .querying import QueryResult, RestrictedMarkers
from .read_only import READ_PROCEDURES, read_only_problem
from .reading import dataset_from_properties, read_properties
from .rows import (
    evidence_key,
    evidence_properties,
    record_properties,
    relation_key,
    relation_properties,
)
from .store import Store

__all__ = [
    "BATCH_SIZE",
    "CONNECT_DEADLINE",
    "CONNECT_TIMEOUT",
    "READ_PROCEDURES",
    "RETRY_TIME",
    "ConnectionSettings",
    "LoadReport",
    "QueryResult",
    "RestrictedMarkers",
    "Store",
    "dataset_from_properties",
    "evidence_key",
    "evidence_properties",
    "merge_datasets",
    "read_only_problem",
    "read_properties",
    "record_properties",
    "relation_key",
    "relation_properties",
]
