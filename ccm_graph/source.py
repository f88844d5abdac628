"""Where the data comes from: a seed folder, an Excel workbook or a Neo4j database.

One call gives the checked :class:`~ccm_graph.dataset.Dataset` and the NetworkX graph, for the
command line, the notebooks, the demo and (next) the web workbench alike; nothing here knows
about click::

    >>> from ccm_graph.source import DataSource
    >>> source = DataSource.at("tests/fixtures/small")
    >>> reading = source.read()
    >>> reading.dataset.counts()["actors.csv"] == reading.graph.number_of_nodes() - len(
    ...     reading.dataset.obligations) - len(reading.dataset.coalitions) - len(
    ...     reading.dataset.activities)
    True
    >>> source.read() is reading          # unchanged files: the same reading, not re-read
    True

**Cached per data state.** A reading is kept, and handed out again while the data's *state*
is unchanged:

- a folder: the name, size, modification time and inode of every file in it (and, for a
  file changed in the two seconds before a reading, its content);
- a workbook: the SHA-256 of its bytes;
- Neo4j: the newest change record (every write ccm-graph makes appends one, in the same
  transaction) and the numbers of nodes and relationships, asked in one small query.

So a second read of unchanged Neo4j data costs that one query, not a re-read of every record.
Writes made *outside* ccm-graph (in Neo4j Browser, say) leave no change record: they are seen
when they change a count, at the next ccm-graph write, or after :meth:`DataSource.refresh`.

Readings are shared: the graph is frozen (:func:`networkx.freeze`: adding or removing a node
or edge raises) and the dataset's lists must not be changed in place — copy them first, as
:func:`~ccm_graph.dataset.read_additions` does. The cache holds the last few sources
(:data:`CACHE_SIZE`), and is safe to use from several threads: when the data changed, one
thread reads them and the others asking at that moment wait for its reading and share it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .connection import ConnectionSettings
from .dataset import Dataset

if TYPE_CHECKING:  # the driver and NetworkX are imported when data is read, not before
    import networkx as nx

    from .store import Store

__all__ = ["CACHE_SIZE", "DataSource", "Kind", "Reading", "clear_cache"]

Kind = Literal["seed", "workbook", "neo4j"]

CACHE_SIZE = 8
"""Sources whose last reading is kept, least recently used first out."""

Tracer = Callable[[str, list[str]], None]


@dataclass(frozen=True)
class Reading:
    """One consistent reading of a source.

    :ivar dataset: the records the reader may use (restricted ones left out unless asked).
    :ivar graph: the NetworkX graph of :attr:`dataset` (frozen: shared between callers).
    :ivar state: the data state it was read at (see the module's docstring).
    :ivar include_restricted: whether restricted records were kept.
    """

    dataset: Dataset
    graph: nx.MultiDiGraph = field(repr=False)
    state: Hashable
    include_restricted: bool = False


@dataclass(eq=False)
class DataSource:
    """A place data is read from. Build one with :meth:`folder`, :meth:`workbook`,
    :meth:`neo4j` or :meth:`at`; read it with :meth:`read` (or :meth:`dataset`, :meth:`graph`).

    :param kind: ``seed`` (a folder of the five CSV files and ``metadata.json``), ``workbook``
        (an ``.xlsx`` file of the same tables) or ``neo4j``.
    :param path: the folder or workbook, for ``seed`` and ``workbook``.
    :param connection: the database, for ``neo4j``.
    :param tracer: for ``neo4j``, called with ``(cypher, parameter names)`` before each
        statement (``--debug``).
    """

    kind: Kind
    path: Path | None = None
    connection: ConnectionSettings | None = None
    tracer: Tracer | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, init=False, repr=False)

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def folder(cls, path: str | os.PathLike[str]) -> DataSource:
        """A seed folder (the embedded default: no server needed)."""
        return cls("seed", path=Path(path))

    @classmethod
    def workbook(cls, path: str | os.PathLike[str]) -> DataSource:
        """An Excel workbook of the five tables (see ``ccm-graph template``)."""
        return cls("workbook", path=Path(path))

    @classmethod
    def at(cls, path: str | os.PathLike[str]) -> DataSource:
        """A folder, or a workbook when ``path`` ends in ``.xlsx``."""
        if Path(path).suffix.lower() == ".xlsx":
            return cls.workbook(path)
        return cls.folder(path)

    @classmethod
    def neo4j(
        cls, connection: ConnectionSettings | None = None, *, tracer: Tracer | None = None
    ) -> DataSource:
        """A Neo4j database (``NEO4J_URI`` … from the environment when ``connection`` is
        ``None``). The connection is opened at the first read and kept until :meth:`close`."""
        return cls("neo4j", connection=connection or ConnectionSettings.from_env(), tracer=tracer)

    def describe(self) -> str:
        """Where the data comes from, for messages (never a password)."""
        if self.kind == "neo4j":
            assert self.connection is not None
            return f"the Neo4j database at {self.connection.display_uri}"
        kind = "the seed folder" if self.kind == "seed" else "the workbook"
        return f"{kind} {self.path}"

    # --- reading ----------------------------------------------------------------------------

    def read(self, *, include_restricted: bool = False) -> Reading:
        """The checked dataset and its graph, read again only when the data's state changed.

        The records are read once per state; the view without restricted records and the one
        with them are both made from that one read.

        :param include_restricted: keep records marked restricted (and what hangs on them).
        :raises DataError: the data break the rules (every problem, located).
        :raises StoreUnavailable: Neo4j cannot be reached or refuses the credentials.
        """
        taken = time.time_ns()
        state = self.state()
        identity = self._identity()
        cached = _cached(identity, state)
        if cached is not None:
            return cached.view(include_restricted)
        # one thread reads a changed source; the others wait for its reading and share it
        with _reading_lock(identity):
            cached = _cached(identity, state)
            if cached is not None:
                return cached.view(include_restricted)
            racy = _racy_digests(self.path, state, taken) if self.kind == "seed" else {}
            entry = _Entry(state, self._read_all(), racy, taken)
            with _LOCK:
                _CACHE[identity] = entry
                _CACHE.move_to_end(identity)
                while len(_CACHE) > CACHE_SIZE:
                    _CACHE.popitem(last=False)
        return entry.view(include_restricted)

    def dataset(self, *, include_restricted: bool = False) -> Dataset:
        """The records of :meth:`read` (shared: do not change its lists in place)."""
        return self.read(include_restricted=include_restricted).dataset

    def graph(self, *, include_restricted: bool = False) -> nx.MultiDiGraph:
        """The frozen NetworkX graph of :meth:`read`."""
        return self.read(include_restricted=include_restricted).graph

    def state(self) -> Hashable:
        """The data's state now: a different state means different data (see the module
        docstring; for a folder, files saved just before a reading are compared by content
        too, by :meth:`read`)."""
        if self.kind == "neo4j":
            return self._neo4j_state()
        assert self.path is not None
        if self.kind == "workbook":
            return _file_digest(self.path)
        return _folder_stamps(self.path)

    def refresh(self) -> None:
        """Forget this source's cached readings: the next :meth:`read` reads everything."""
        identity = self._identity()
        with _LOCK:
            _CACHE.pop(identity, None)

    def store(self) -> Store:
        """The open :class:`~ccm_graph.store.Store` of a ``neo4j`` source (opened once)."""
        if self.kind != "neo4j":
            raise ValueError(f"{self.describe()} is not a Neo4j database")
        if self._store is None:
            from .store import Store

            self._store = Store.connect(self.connection, tracer=self.tracer)
        return self._store

    def close(self) -> None:
        """Close the Neo4j connection, if one was opened. Cached readings stay."""
        store, self._store = self._store, None
        if store is not None:
            store.close()

    def __enter__(self) -> DataSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- inside -----------------------------------------------------------------------------

    def _identity(self) -> tuple[Any, ...]:
        if self.kind == "neo4j":
            assert self.connection is not None
            c = self.connection
            return ("neo4j", c.uri, c.user, c.database)
        assert self.path is not None
        return (self.kind, str(self.path.resolve()))

    def _read_all(self) -> Dataset:
        if self.kind == "neo4j":
            return self.store().read_dataset()
        assert self.path is not None
        from .dataset import read_data

        return read_data(self.path)

    def _neo4j_state(self) -> Hashable:
        from .queries import data_state_query

        store = self.store()
        rows = store.read_transaction(lambda tx: store.run_in(tx, data_state_query()))
        row = rows[0]
        return (row["change"], row["at"], row["nodes"], row["relationships"])


class _Entry:
    """Every record of a source at one state, and the views made from them so far."""

    def __init__(
        self, state: Hashable, everything: Dataset, racy: dict[Path, Hashable], taken: int
    ) -> None:
        self.state = state
        self.everything = everything
        self.racy = racy
        self.taken = taken
        self._views: dict[bool, Reading] = {}
        self._lock = threading.Lock()

    def content_unchanged(self) -> bool:
        """Whether the files that were changed just before this reading still hold what they
        held then (their stamps alone cannot tell: see :func:`_racy_digests`)."""
        if not self.racy:
            return True
        if any(_file_digest(path) != digest for path, digest in self.racy.items()):
            return False
        if time.time_ns() - self.taken > _RACY_NS:
            self.racy = {}  # from now on, any change moves a file's modification time
        return True

    def view(self, include_restricted: bool) -> Reading:
        with self._lock:
            reading = self._views.get(include_restricted)
            if reading is None:
                reading = self._make(include_restricted)
                self._views[include_restricted] = reading
            return reading

    def _make(self, include_restricted: bool) -> Reading:
        import networkx as nx

        from .graph import build_graph

        dataset = self.everything if include_restricted else self.everything.without_restricted()
        graph = nx.freeze(build_graph(dataset))
        return Reading(dataset, graph, self.state, include_restricted)


_CACHE: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
_LOCK = threading.Lock()
_READING: dict[tuple[Any, ...], threading.Lock] = {}


def _cached(identity: tuple[Any, ...], state: Hashable) -> _Entry | None:
    """The cached reading of ``identity`` when it was made at ``state`` (and its racily
    clean files still hold what they held), else ``None``."""
    with _LOCK:
        entry = _CACHE.get(identity)
    # files saved just before the last reading are hashed here, outside the cache's lock
    if entry is None or entry.state != state or not entry.content_unchanged():
        return None
    with _LOCK:
        if identity in _CACHE:
            _CACHE.move_to_end(identity)
    return entry


def _reading_lock(identity: tuple[Any, ...]) -> threading.Lock:
    """The lock held while one source is read: many requests that find the data changed at
    once (a team's browsers after a save) wait for one reading instead of each making one."""
    with _LOCK:
        return _READING.setdefault(identity, threading.Lock())


def clear_cache() -> None:
    """Forget every cached reading (tests, or after writes made outside ccm-graph)."""
    with _LOCK:
        _CACHE.clear()


def _folder_stamps(folder: Path) -> Hashable:
    """Name, size, modification time and inode of every file directly in ``folder``.

    A missing folder has its own state (``None``): reading it then reports the problem.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return None
    stamps = []
    for entry in entries:
        if entry.is_file():
            info = entry.stat()
            stamps.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(stamps)


_RACY_NS = 2_000_000_000
"""Files changed less than this (2 s) before a reading are also compared by content."""


def _racy_digests(folder: Path | None, state: Hashable, taken: int) -> dict[Path, Hashable]:
    """The content digests of the files changed within :data:`_RACY_NS` before ``taken``.

    The file system's clock moves in steps of a few milliseconds, so a file saved twice in one
    step with the same size keeps its stamps; git calls such files "racily clean" and compares
    them by content, and so does this cache, until the step has surely passed. The digests are
    taken before the records are read: a change made during the read is then seen next time.
    """
    if folder is None or not isinstance(state, tuple):
        return {}
    return {
        folder / name: _file_digest(folder / name)
        for name, _size, mtime_ns, _inode in state
        if mtime_ns >= taken - _RACY_NS
    }


def _file_digest(path: Path) -> Hashable:
    """The SHA-256 of a file's bytes (``None`` when it cannot be read: reading reports why)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
