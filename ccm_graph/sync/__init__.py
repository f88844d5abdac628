"""Keep a seed folder and the shared Neo4j in step without losing anyone's edits.

Three ways to load a folder (:data:`Mode`):

- ``load`` (plain): add and update the folder's records; records only in Neo4j are *kept*.
- ``sync``: make Neo4j equal to the folder; records only in Neo4j are *removed*.
- ``wipe``: delete every ccm-graph record, then load the folder.

:func:`plan_load` reads Neo4j and says what a load would add, change and remove, per kind,
and which of those records were **edited in Neo4j since the last load** (their properties no
longer match their load stamp, or they were made in Neo4j: a proposed coalition, a member
added with the coalition workflow; see :mod:`ccm_graph.bookkeeping`). It writes nothing.

:func:`apply_load` carries a plan out. It refuses (:class:`~ccm_graph.errors.EditsWouldBeLost`,
nothing written) when edited records would be overwritten or removed, unless ``force``.
Before any step that removes records or overwrites edits (``wipe``, a ``sync`` that removes,
anything forced) it writes a **snapshot**: a full export of the database, restricted records
included, into ``snapshot-YYYYMMDDTHHMMSSZ`` in the snapshots folder, with the coalition
workflow's ``created``/``updated`` stamps in its ``neo4j-stamps.csv``. Then, in one write
transaction, it checks Neo4j still is as the plan saw it (else
:class:`~ccm_graph.errors.ConcurrentChange`, nothing written), removes, loads, puts back the
stamps of a folder that has them (a snapshot, an export), and appends a change record
(:mod:`ccm_graph.history`).

:func:`apply_changes` carries out a ``sync`` plan of data made from what Neo4j holds (a
workbench save) by writing only the records it adds, changes and removes, with the same write
lock, check and change record, and a snapshot only when the step removes records or its
change record cannot keep every old value (:mod:`~ccm_graph.sync.changing`).

The modules: :mod:`~ccm_graph.sync.stored` (what Neo4j holds), :mod:`~ccm_graph.sync.planning`
(the plan and its words), :mod:`~ccm_graph.sync.snapshots`, :mod:`~ccm_graph.sync.applying`,
:mod:`~ccm_graph.sync.changing`.

What Neo4j holds may break the rules (a value set by hand with ``query --write``): a snapshot
then keeps it as stored, with ``PROBLEMS.txt`` beside it, and the load goes on, so there is
always a way back; :func:`rule_problems` says what breaks them.
"""

from .applying import LoadOutcome, apply_load
from .changing import apply_changes, keeps_old_values
from .planning import (
    KINDS,
    LoadPlan,
    Mode,
    PlannedChange,
    StampChange,
    plan_lines,
    plan_load,
    plan_summary,
)
from .snapshots import default_snapshots_dir, write_snapshot, write_snapshot_as_stored
from .stored import AsStored, StoredRecord, read_stored, read_stored_stamps, rule_problems

__all__ = [
    "KINDS",
    "AsStored",
    "LoadOutcome",
    "LoadPlan",
    "Mode",
    "PlannedChange",
    "StampChange",
    "StoredRecord",
    "apply_changes",
    "apply_load",
    "default_snapshots_dir",
    "keeps_old_values",
    "plan_lines",
    "plan_load",
    "plan_summary",
    "read_stored",
    "read_stored_stamps",
    "rule_problems",
    "write_snapshot",
    "write_snapshot_as_stored",
]
