"""Finding records by what people type: ids, names and aliases, and "did you mean" suggestions.

One resolver for every command that takes an actor, State or coalition: ``LAO``, ``lao``,
``Lao PDR``, ``Laos`` and ``République démocratique populaire lao`` all find the same State when
the data lists them as its id, name or aliases. Matching ignores case and accents. An ambiguous
name lists its matches; an unknown one suggests the closest ids and names.

One suggester, :func:`suggest`, for everything else that can be mistyped: column names, enum
values, query names, ids in seed files. It and :func:`fold` live in :mod:`ccm_graph.matching`
(which the value rules use too) and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import CcmGraphError, UnknownRecord
from .matching import fold, suggest
from .schema import DE_FACTO_MARK
from .values import split_list

__all__ = [
    "AmbiguousName",
    "NameIndex",
    "alias_names",
    "aliases_in",
    "fold",
    "is_de_facto",
    "name_in",
    "shareable_aliases",
    "suggest",
]


class AmbiguousName(CcmGraphError):
    """Raised when a name or alias fits several records; lists them."""

    def __init__(self, text: str, matches: list[tuple[str, str]]) -> None:
        self.text = text
        self.matches = matches
        listed = ", ".join(f"{ident} ({name})" for ident, name in matches)
        super().__init__(f"{text!r} could mean {listed}; give the id")


@dataclass
class NameIndex:
    """Ids, names and aliases of records, for :meth:`resolve`.

    :param names: id → display name.
    :param aliases: id → other names (the ``aliases`` column, language prefixes allowed).
    :param kinds: id → kind (``state``, ``operator``, ``coalition`` …), for filtering.
    """

    names: dict[str, str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: object) -> NameIndex:
        """The index of a ccm-graph NetworkX graph's actors and coalitions."""
        names: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        kinds: dict[str, str] = {}
        for node, data in graph.nodes(data=True):  # type: ignore[attr-defined]
            node_type = data.get("node_type")
            if node_type not in ("actor", "coalition"):
                continue
            names[node] = str(data.get("label") or node)
            aliases[node] = alias_names(data.get("aliases"))
            kinds[node] = data.get("kind") or node_type
        return cls(names, aliases, kinds)

    def texts(self, ident: str) -> list[str]:
        """Every text that names ``ident``: its id, name and aliases."""
        aliases = alias_names(";".join(self.aliases.get(ident, [])))
        return [ident, self.names.get(ident, ident), *aliases]

    def resolve(self, text: str, *, kinds: Iterable[str] | None = None, what: str = "actor") -> str:
        """The id ``text`` names: an exact id first, then an id, name or alias ignoring case
        and accents.

        :param kinds: only these kinds count (``{"state"}``, ``{"coalition"}`` …).
        :param what: the word used in messages ("State", "coalition").
        :raises UnknownRecord: nothing matches; carries suggestions.
        :raises AmbiguousName: several records match.

        >>> index = NameIndex({"LAO": "Lao PDR", "TCD": "Chad"},
        ...                   {"LAO": ["Laos", "fr:Laos"], "TCD": ["fr:Tchad"]})
        >>> index.resolve("tchad"), index.resolve("LAOS"), index.resolve("LAO")
        ('TCD', 'LAO', 'LAO')
        """
        allowed = set(kinds) if kinds is not None else None
        pool = [i for i in self.names if allowed is None or self.kinds.get(i) in allowed]
        if text in pool:
            return text
        wanted = fold(text)
        matches = [i for i in pool if wanted in {fold(t) for t in self.texts(i)}]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise AmbiguousName(text, [(i, self.names[i]) for i in sorted(matches)])
        suggestions = suggest(text, {i: self.texts(i)[1:] for i in pool})
        raise UnknownRecord(text, what, suggestions)


def alias_names(value: object) -> list[str]:
    """The names of an ``aliases`` cell, without their language prefixes.

    >>> alias_names("Laos;fr:République démocratique populaire lao")
    ['Laos', 'République démocratique populaire lao']
    """
    names = []
    for item in split_list(value if isinstance(value, str) else None):
        prefix, _, rest = item.partition(":")
        names.append(rest if rest and len(prefix) == 2 and prefix.isalpha() else item)
    return names


def is_de_facto(alias: str) -> bool:
    """Whether an alias is a name used by de facto authorities (:data:`~ccm_graph.schema.
    DE_FACTO_MARK`): never printed in a shared output."""
    return alias.rstrip().endswith(DE_FACTO_MARK)


def shareable_aliases(value: object) -> list[str]:
    """:func:`alias_names` without the names used by de facto authorities: what a shared
    output may carry (a map's search list)."""
    return [name for name in alias_names(value) if not is_de_facto(name)]


def aliases_in(language: str, value: object, *, shown: str = "") -> list[str]:
    """The other names to print on a page in ``language``: that language's aliases
    (``fr:…`` on a French page) and, without a prefix, English names on an English page and
    acronyms (``UNMAS``, ``HCND``: one word, capitals) on every page; never a name used by de
    facto authorities, nor ``shown`` (the name the page already gives).

    >>> aliases_in("fr", "Lao PDR;UXO;fr:RDP lao;es:RDP Lao")
    ['UXO', 'RDP lao']
    >>> aliases_in("en", "Islamic Emirate (de facto authorities);fr:Afghanistan")
    []
    """
    found = []
    for item in split_list(value if isinstance(value, str) else None):
        prefix, _, rest = item.partition(":")
        if rest and len(prefix) == 2 and prefix.isalpha():
            name = rest if prefix == language else ""
        else:
            name = item if language == "en" or _is_acronym(item) else ""
        if name and not is_de_facto(name) and name != shown and name not in found:
            found.append(name)
    return found


def _is_acronym(name: str) -> bool:
    """One word whose letters are all capitals (``UNMAS``, ``ISU-CCM``): no language's word."""
    letters = [c for c in name if c.isalpha()]
    return len(name.split()) == 1 and bool(letters) and all(c.isupper() for c in letters)


def name_in(language: str, name: str, aliases: object) -> str:
    """The record's name in ``language`` (an alias ``fr:…``), else its name.

    >>> name_in("fr", "Chad", "fr:Tchad;es:Chad")
    'Tchad'
    >>> name_in("en", "Chad", "fr:Tchad")
    'Chad'
    """
    for item in split_list(aliases if isinstance(aliases, str) else None):
        prefix, _, rest = item.partition(":")
        if prefix == language and rest:
            return rest
    return name
