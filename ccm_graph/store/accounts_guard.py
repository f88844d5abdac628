"""Account nodes are never data: Cypher run for people neither touches nor shows one.

The workbench accounts kept in Neo4j (:mod:`ccm_graph.accounts.neo4j`) sit in the same
database as the data, and Neo4j Community cannot hide nodes from a query. So
:func:`~ccm_graph.store.querying.run_query` (``ccm-graph query``, the named queries) refuses,
rather than redacts:

- before running, a statement whose plan (Neo4j's ``EXPLAIN``) names the ``Account`` label or
  reads a property called ``hash`` (:func:`plan_account_problem`), with or without
  ``--write``;
- after running, and before anything is shown, a result that holds an account node (in a
  path, a list or a map too) or any string with a piece of an account's password hash in it
  — ``properties(n)`` of an account, its hash read through a computed key, a substring of
  it (:class:`AccountFragments`). A write is rolled back.

Refusing is the safer choice: a redacted result would still say that accounts exist, how many,
and which rows were theirs. This guards against showing a hash by accident, not against the
holder of the Neo4j password, who can read the database with any client; whoever has that
password administers the accounts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import neo4j

from ..queries import AccountQueries
from ..schema import Label

if TYPE_CHECKING:
    from .database import Neo4jDatabase

__all__ = ["ACCOUNTS_REFUSED", "AccountFragments", "plan_account_problem"]

ACCOUNTS_REFUSED = (
    "refused: workbench accounts are not data and no query shows them "
    "(list them with ccm-graph users list)"
)
"""The refusal, said the same way whatever gave the accounts away."""

FRAGMENT = 8
"""Characters of a hash's salt or digest that, found in a result, refuse it."""

_LABEL = re.compile(r"[:|&!]\s*`?" + Label.ACCOUNT.value + r"`?(?![\w`])")
_HASH_PROPERTY = re.compile(r"\.\s*`?hash`?(?![\w`])")


def plan_account_problem(plan: Any) -> str | None:
    """:data:`ACCOUNTS_REFUSED` when Neo4j's plan of a statement names the ``Account`` label
    or reads a ``hash`` property; ``None`` otherwise. ``plan`` is the summary's plan (dicts
    with ``operatorType``, ``args`` and ``children``, or a driver ``Plan``)."""
    for details in _plan_details(plan):
        if _LABEL.search(details) or _HASH_PROPERTY.search(details):
            return ACCOUNTS_REFUSED
    return None


@dataclass(frozen=True)
class AccountFragments:
    """What gives an account away in a result: the accounts' element ids, and every
    :data:`FRAGMENT`-character piece of their hashes' salt and digest (``salt$digest``)."""

    elements: frozenset[str]
    pieces: frozenset[str]

    @classmethod
    def read(cls, db: Neo4jDatabase, tx: neo4j.ManagedTransaction) -> AccountFragments:
        """The fragments of the accounts ``tx`` sees (none when the database never had an
        account label: no query then names an unknown label)."""
        if not db.run_in(tx, AccountQueries.label_known, label=Label.ACCOUNT.value):
            return cls(frozenset(), frozenset())
        elements: set[str] = set()
        pieces: set[str] = set()
        for row in db.run_in(tx, AccountQueries.fragments):
            elements.add(str(row["element"]))
            secret = "$".join(str(row["hash"] or "").split("$")[-2:])  # salt$digest
            pieces.update(secret[i : i + FRAGMENT] for i in range(len(secret) - FRAGMENT + 1))
        return cls(frozenset(elements), frozenset(pieces))

    def problem(self, values: Iterator[Any]) -> str | None:
        """:data:`ACCOUNTS_REFUSED` when one of ``values`` (raw driver values: nodes, paths,
        lists, maps, strings …) holds an account or a piece of its hash."""
        for value in values:
            if self._holds(value):
                return ACCOUNTS_REFUSED
        return None

    def _holds(self, value: Any) -> bool:
        if isinstance(value, neo4j.graph.Node):
            if Label.ACCOUNT.value in value.labels or value.element_id in self.elements:
                return True
            return any(self._holds(v) for v in value.values())
        if isinstance(value, neo4j.graph.Relationship):
            ends = (value.start_node, value.end_node)
            return any(self._holds(n) for n in ends if n is not None) or any(
                self._holds(v) for v in value.values()
            )
        if isinstance(value, neo4j.graph.Path):
            return any(self._holds(n) for n in value.nodes) or any(
                self._holds(r) for r in value.relationships
            )
        if isinstance(value, dict):
            return any(self._holds(k) or self._holds(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self._holds(v) for v in value)
        if isinstance(value, str):
            if "$argon2" in value:
                return True
            return bool(self.pieces) and any(
                value[i : i + FRAGMENT] in self.pieces for i in range(len(value) - FRAGMENT + 1)
            )
        return False


def _plan_details(plan: Any) -> Iterator[str]:
    """The ``Details`` of every operator of a plan (dicts or a driver ``Plan``)."""
    if plan is None:
        return
    if isinstance(plan, dict):
        details = (plan.get("args") or {}).get("Details", "")
        children = plan.get("children") or []
    else:
        details = (getattr(plan, "arguments", None) or {}).get("Details", "")
        children = getattr(plan, "children", []) or []
    yield str(details or "")
    for child in children:
        yield from _plan_details(child)
