"""The Dataset: typed records read from a seed folder, checked, and written back.

A :class:`Dataset` is the one interchange form between the seed files, Neo4j and NetworkX.
:func:`read_seed` reads and validates a folder and raises :class:`~ccm_graph.errors.DataError`
listing *every* problem as ``file:line: message``; :func:`write_seed` writes the five CSV files
(atomically: each file appears whole or not at all).

Snapshots and exports also hold ``neo4j-stamps.csv`` (:data:`STAMPS_FILE`), the coalition
workflow's ``created``/``updated`` stamps, which live in Neo4j only: :func:`write_seed` writes
it when given stamps, :func:`read_stamps` reads and checks it (``read_seed`` leaves it alone).
"""

from .cross_checks import ask_figure_problems, check_dataset
from .reading import read_additions, read_as_of, read_data, read_seed
from .records import Dataset, Origin
from .rows import parse_rows
from .stamps import STAMPS_FILE, check_stamps, read_stamps
from .value_checks import CHECKED_RECORDS, CheckedRecords, ValueChecker, check_values
from .writing import EXPORT_MARKER, PROBLEMS_FILE, check_export_target, write_seed

__all__ = [
    "CHECKED_RECORDS",
    "EXPORT_MARKER",
    "PROBLEMS_FILE",
    "STAMPS_FILE",
    "CheckedRecords",
    "Dataset",
    "Origin",
    "ValueChecker",
    "ask_figure_problems",
    "check_dataset",
    "check_export_target",
    "check_stamps",
    "check_values",
    "parse_rows",
    "read_additions",
    "read_as_of",
    "read_data",
    "read_seed",
    "read_stamps",
    "write_seed",
]
