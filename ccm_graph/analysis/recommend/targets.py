"""Whom the recommendations are for, and whom they never propose: the target State or
coalition (:func:`resolve_target`) and the State's own national bodies (:func:`national_bodies`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ...errors import AnalysisError
from ...names import NameIndex, alias_names, fold
from .._index import GraphIndex

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["countries_ever", "national_bodies", "national_bodies_of", "resolve_target"]


def resolve_target(index: GraphIndex, target: str) -> tuple[str, str | None]:
    """(State, coalition or None) for a State or coalition, by id, name or alias.

    :raises UnknownRecord: when nothing has that id, name or alias (with close matches).
    :raises AmbiguousName: when a name or alias fits several records.
    :raises AnalysisError: when the record is neither a State nor a coalition.
    """
    graph = index.graph
    if target not in graph:
        target = NameIndex.from_graph(graph).resolve(target, what="actor or coalition")
    data = graph.nodes[target]
    if data.get("node_type") == "coalition":
        return index.focus_of[target], target
    if data.get("node_type") == "actor" and data.get("kind") == "state":
        return target, None
    what = data.get("kind") if data.get("node_type") == "actor" else data.get("node_type")
    raise AnalysisError(
        f"{target!r} is {'an' if str(what)[0] in 'aeiou' else 'a'} {what}; "
        "recommendations are for a State or a coalition"
    )


def national_bodies(G: nx.MultiDiGraph, state: str) -> set[str]:
    """A State's own national bodies: never proposed as its partners.

    The rule, from the data only:

    - its **national authorities**: ``national_authority`` actors with ``OPERATES_IN`` the State;
    - its **national operators**: operators (or civil-society bodies) whose every
      ``OPERATES_IN`` row, past or present, points to the State, *and* that either receive no
      ``FUNDS`` at all (nothing in the data shows an international NGO) or whose name or
      aliases name the State (its name, an alias, or its id as a word: "UXO Lao").

    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> sorted(national_bodies(tiny_graph(), "A"))
    ['op']
    """
    return national_bodies_of(G, state, countries_ever(G))


def countries_ever(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Every State an actor has ever worked in (``OPERATES_IN``, ended rows included)."""
    ever: dict[str, set[str]] = defaultdict(set)
    for u, v, kind in G.edges(data="type"):
        if kind == "OPERATES_IN":
            ever[u].add(v)
    return ever


def _names_state(G: nx.MultiDiGraph, actor: str, state: str) -> bool:
    """Whether an actor's name or aliases contain the State's name, an alias or its id."""
    data, state_data = G.nodes[actor], G.nodes[state]
    texts = [fold(str(data.get("label") or actor)), *map(fold, alias_names(data.get("aliases")))]
    words = {w for text in texts for w in text.replace("(", " ").replace(")", " ").split()}
    names = [fold(str(state_data.get("label") or state)),
             *map(fold, alias_names(state_data.get("aliases")))]  # fmt: skip
    return fold(state) in words or any(name and name in text for name in names for text in texts)


def national_bodies_of(G: nx.MultiDiGraph, state: str, ever: Mapping[str, set[str]]) -> set[str]:
    """:func:`national_bodies`, with where each actor has ever worked already read
    (``ever``, from :func:`countries_ever`)."""
    found = set()
    for actor, _, kind in G.in_edges(state, data="type"):
        if kind != "OPERATES_IN":
            continue
        data = G.nodes[actor]
        if data.get("kind") == "national_authority":
            found.add(actor)
        elif data.get("kind") in ("operator", "civil_society") and ever.get(actor) == {state}:
            funded = any(k == "FUNDS" for _, _, k in G.in_edges(actor, data="type"))
            if not funded or _names_state(G, actor, state):
                found.add(actor)
    return found
