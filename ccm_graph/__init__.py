"""ccm-graph: plan Country Coalitions under the Convention on Cluster Munitions.

The library behind the ``ccm-graph`` command: read a seed folder into a :class:`Dataset`,
load it into Neo4j with :class:`Store`, build the NetworkX graph with :func:`build_graph`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccm-graph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from .dataset import Dataset, read_seed, write_seed
from .errors import (
    CcmGraphError,
    DataError,
    Problem,
    QueryError,
    StoreUnavailable,
    UnknownRecord,
)
from .graph import build_graph, graph_stats
from .store import ConnectionSettings, Store

__all__ = [
    "CcmGraphError",
    "ConnectionSettings",
    "DataError",
    "Dataset",
    "Problem",
    "QueryError",
    "Store",
    "StoreUnavailable",
    "UnknownRecord",
    "__version__",
    "build_graph",
    "graph_stats",
    "read_seed",
    "write_seed",
]
