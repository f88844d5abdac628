"""The Store: one Neo4j database holding ccm-graph data, and everything done with it.

``Store(driver, database=...)`` borrows a driver you own; ``Store.connect(settings)`` creates
one, checks it answers, and closes it when the store is closed. The plumbing (sessions,
transactions, the tracer) is :class:`~ccm_graph.store.database.Neo4jDatabase`; the long
operations are module functions this class calls: loading (:mod:`~ccm_graph.store.loading`),
reading back (:mod:`~ccm_graph.store.reading`), running Cypher
(:mod:`~ccm_graph.store.querying`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import neo4j

from ..connection import ConnectionSettings
from ..dataset import Dataset
from ..errors import DataError
from ..metadata import DatasetInfo, info_from_json
from ..queries import DATASET_INFO_ID, has_record_query, read_info_query
from .connect import open_driver
from .database import Neo4jDatabase
from .loading import BATCH_SIZE, LoadReport, create_schema, load_dataset
from .querying import QueryResult, RestrictedMarkers, read_restricted_markers, run_query
from .reading import count_stored_nodes, read_stored_dataset

__all__ = ["Store"]


class Store(Neo4jDatabase):
    """A Neo4j database holding ccm-graph data.

    :param driver: an open ``neo4j.Driver``; the caller keeps ownership unless ``owns_driver``.
    :param database: the database name (always passed, saving a round trip per query).
    :param tracer: called with ``(cypher, parameter_names)`` before each statement.
    """

    @classmethod
    def connect(
        cls,
        settings: ConnectionSettings | None = None,
        *,
        tracer: Callable[[str, list[str]], None] | None = None,
    ) -> Store:
        """Open a driver, check the server answers and accepts the credentials.

        The store gives up on a server that stops answering within ``settings.timeout``
        seconds (see :class:`~ccm_graph.store.database.Neo4jDatabase`).

        :raises StoreUnavailable: unreachable server, refused credentials, unknown database,
            or an invalid URI; within ``settings.timeout`` seconds.
        """
        settings = settings or ConnectionSettings.from_env()
        driver = open_driver(settings)
        return cls(driver, settings.database, owns_driver=True, tracer=tracer,
                   uri=settings.display_uri, timeout=settings.timeout)  # fmt: skip

    def close(self) -> None:
        """Close the driver if this store created it."""
        if self.owns_driver:
            self.driver.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- schema and data --------------------------------------------------------------------

    def apply_schema(self) -> None:
        """Create the constraints and indexes of ``cypher/schema.cypher`` if missing."""
        create_schema(self)

    def load(
        self,
        dataset: Dataset,
        *,
        wipe: bool = False,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[int], None] | None = None,
        prepare: Callable[[neo4j.ManagedTransaction], None] | None = None,
        finish: Callable[[neo4j.ManagedTransaction], None] | None = None,
        staged: bool | None = None,
    ) -> LoadReport:
        """Write a validated dataset, all or nothing, in one write transaction.

        Every value passes the value rules (:mod:`ccm_graph.values`) and the dataset the
        consistency checks (:func:`~ccm_graph.dataset.check_dataset`), as when reading a seed
        folder, before anything is committed. Into a database that holds ccm-graph data,
        nodes are merged on ``id`` and relationships on their key, so loading the same data
        twice changes nothing; the dataset is checked before the transaction starts, merged
        with what is stored (one id namespace across kinds, references, keys). Into an empty
        database (or one ``wipe`` empties in the same transaction) the records are created,
        and checked while they are written: each record just before its row is made, the
        cross-record checks after the last one; a problem rolls the transaction back.
        The dataset's description (``metadata.json``: as-of date, title, forums) is kept on
        one ``:DatasetInfo`` node, replaced by each load. With ``wipe`` every ccm-graph node is
        deleted first, in the same transaction. ``progress`` is called with the number of
        rows after each batch. ``prepare(tx)`` runs first and ``finish(tx)`` last in the same
        transaction (the sync checks and removals, the change record: :mod:`ccm_graph.sync`).
        Every record written carries the load stamp ``_loaded``
        (:mod:`ccm_graph.bookkeeping`).

        A staged load (``staged=True``, with ``wipe`` or into an empty database) replaces what
        is stored without holding it all in one transaction: the records are written in
        transactions of a few batches, two at a time, invisible to every read, then switched
        in by one small transaction in which ``prepare`` and ``finish`` run
        (:mod:`ccm_graph.store.staging`); ``progress`` is called as each batch is committed.
        Still all or nothing for readers: before the switch they see the old data, after it
        the new. Into a database that was empty, the switch refuses
        (:class:`~ccm_graph.errors.ConcurrentChange`) if records were written meanwhile. By
        default (``staged=None``) a load that creates more than
        :data:`~ccm_graph.store.loading.AUTO_STAGED_ROWS` rows is staged and a smaller one is
        one transaction, whichever is faster; ``staged=False`` always writes one transaction.
        Any load first removes what an interrupted staged load left, and says so in
        :attr:`LoadReport.cleaned`.

        :raises DataError: if the dataset is inconsistent (nothing is written).
        :raises TransactionTooLarge: the load needs more transaction memory than the server
            allows (nothing is written; the message suggests a staged load).
        """
        return load_dataset(
            self,
            dataset,
            wipe=wipe,
            batch_size=batch_size,
            progress=progress,
            prepare=prepare,
            finish=finish,
            staged=staged,
        )

    def read_dataset(self) -> Dataset:
        """Read every ccm-graph record back into a :class:`Dataset`.

        Properties the schema does not know (added by hand in Neo4j) are ignored. Every value
        passes the same value rules as a seed file's cells.

        :raises DataError: if what is stored breaks the data model (e.g. a missing ``name``, a
            year stored as text by a hand-written ``query --write``).
        """
        return read_stored_dataset(self)

    def dataset_info(self) -> DatasetInfo:
        """The metadata stored with the last load (as-of date, title, forum ids); the
        defaults of :class:`~ccm_graph.metadata.DatasetInfo` when nothing was loaded.

        :raises DataError: the stored metadata does not read (edited by hand).
        """
        rows = self.read_transaction(
            lambda tx: self.run_in(tx, read_info_query(), id=DATASET_INFO_ID)
        )
        if not rows:
            return DatasetInfo()
        info, problems = info_from_json(
            str(rows[0]["props"].get("metadata") or "{}"), "neo4j (DatasetInfo)"
        )
        if problems:
            raise DataError(problems)
        return info

    def has_record(self, record_id: str) -> bool:
        """Whether an actor, obligation, coalition or activity has this id."""
        rows = self.read_transaction(lambda tx: self.run_in(tx, has_record_query(), id=record_id))
        return bool(rows)

    def count_nodes(self) -> int:
        """Number of ccm-graph nodes stored."""
        return count_stored_nodes(self)

    def query(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        check_read_only: bool = True,
        on_write: Callable[[neo4j.ManagedTransaction, dict[str, int]], None] | None = None,
    ) -> QueryResult:
        """Run one Cypher statement with parameters.

        Read-only unless ``write``: the statement runs in a read transaction, which Neo4j
        refuses to write in, whatever the text says. Before that, with ``check_read_only``,
        Neo4j's planner is asked (``EXPLAIN``) what the statement does, and anything but a
        plain read is refused (see :func:`~ccm_graph.store.read_only.read_only_problem`):
        ``LOAD CSV``, procedures outside :data:`~ccm_graph.store.read_only.READ_PROCEDURES`,
        transaction administration, cache clearing.

        Workbench accounts are not data: a statement whose plan names the ``Account`` label or
        a ``hash`` property, or whose result holds an account node or a piece of a password
        hash, is refused (a write rolled back): see :mod:`~ccm_graph.store.accounts_guard`.

        The parameter ``include_restricted`` is always passed (``false`` unless given), so
        queries written with :data:`~ccm_graph.query_library.RESTRICTED_FILTER` keep
        restricted records out by default.

        ``on_write`` (with ``write``) is called inside the same transaction after the statement,
        with its counters (``nodes_created``, ``properties_set`` …): the change history records
        the write there, so the write and its record commit together. Such a recorded write
        first takes the database's write lock (:func:`~ccm_graph.history.begin_write`), so
        it waits for a load or coalition change under way.

        :raises QueryError: a syntax error, a write in read mode, a failed constraint, a
            statement that is not a plain read, a statement or result touching an account.
        """
        return run_query(
            self, cypher, params, write=write, check_read_only=check_read_only, on_write=on_write
        )

    def restricted_markers(self) -> RestrictedMarkers:
        """The ids and names of restricted records, to recognise them in a query's result."""
        return read_restricted_markers(self)

    def server_info(self) -> dict[str, str]:
        """Address, agent (e.g. ``Neo4j/5.26.0``) and protocol version of the server."""
        info = self.driver.get_server_info()
        return {
            "address": str(info.address),
            "agent": info.agent,
            "protocol": ".".join(str(p) for p in info.protocol_version),
        }
