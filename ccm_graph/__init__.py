"""ccm-graph: plan Country Coalitions under the Convention on Cluster Munitions.

The library behind the ``ccm-graph`` command: read a seed folder into a :class:`Dataset`,
load it into Neo4j with :class:`Store`, build the NetworkX graph with :func:`build_graph`.

The names below are imported on first use (:pep:`562`), so ``import ccm_graph`` (and the
command's ``--help`` and ``--version``) does not load the Neo4j driver or NetworkX.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .connection import ConnectionSettings
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
    from .store import Store

_EXPORTS = {
    "CcmGraphError": ".errors",
    "ConnectionSettings": ".connection",
    "DataError": ".errors",
    "Dataset": ".dataset",
    "Problem": ".errors",
    "QueryError": ".errors",
    "Store": ".store",
    "StoreUnavailable": ".errors",
    "UnknownRecord": ".errors",
    "build_graph": ".graph",
    "graph_stats": ".graph",
    "read_seed": ".dataset",
    "write_seed": ".dataset",
}
"""Public name → the module that defines it."""

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
