"""The library of named Cypher queries in ``cypher/queries/*.cypher``.

Each file holds one parameterised query headed by comments::

    // name: obligations-due-before
    // description: Open Article 3 and 4 obligations whose deadline falls before a date.
    // param: before = "2026-09-14"  (a date, YYYY-MM-DD)
    MATCH ...

``param`` lines give each parameter with an example value (written as ``--param`` takes it:
JSON strings in double quotes, plain numbers) and a note; ``// param: (none)`` says there are
none. ``ccm-graph query --list`` shows the library, ``ccm-graph query --name NAME --param …``
runs one. A parameter named in :data:`DATA_PARAMS` (``masg_forum``, ``apmbc_committee_forum``,
``ccm_prefix``)
is filled from the metadata stored with the last load when the user does not pass it.

Restricted records stay out of every named query: each query receives ``$include_restricted``
(``false`` unless ``--include-restricted``) and must filter with it, and says so in its header
with ``// restricted: honoured`` (or a ``// param: include_restricted = false`` line).
:func:`run_named` refuses a query that does not, so none can leak silently. The filter for a
node or relationship variable ``x`` is :data:`RESTRICTED_FILTER` with ``x`` put in::

    ($include_restricted OR coalesce(x.sensitivity, 'public') <> 'restricted')
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, Problem, QueryError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .metadata import DatasetInfo
    from .store import QueryResult, Store

__all__ = [
    "INCLUDE_RESTRICTED",
    "RESTRICTED_FILTER",
    "NamedQuery",
    "QueryParam",
    "default_queries_dir",
    "load_queries",
    "param_value",
    "restricted_filter",
    "run_named",
]

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?")
_NEO4J_INTEGERS = range(-(2**63), 2**63)


def param_value(raw: str) -> Any:
    """The value a query parameter typed as text stands for, as Neo4j can hold it.

    ``true``/``false`` and ``null`` (any case); plain decimal integers (``-12``) and decimals
    (``2.5``, ``1e3``); JSON lists, objects and strings (``["LAO","LBN"]``); anything else is
    the text itself. ``nan``, ``inf``, ``1_000`` or ``0x10`` stay text: they are not how a
    person writes a number. A number Neo4j cannot hold (an integer beyond 64 bits, a decimal
    beyond a float, JSON ``NaN``) is refused.

    :raises ValueError: a number Neo4j cannot hold, or invalid JSON; the message says which.

    >>> param_value("3"), param_value("2.5"), param_value("nan"), param_value("1_000")
    (3, 2.5, 'nan', '1_000')
    """
    text = raw.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _INTEGER.fullmatch(text):
        return _integer(text)
    if _DECIMAL.fullmatch(text):
        return _float(text)
    if raw and raw[0] in '[{"':
        try:
            return json.loads(raw, parse_int=_integer, parse_float=_float,
                              parse_constant=_no_constant)  # fmt: skip
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc})") from exc
    return raw


def _integer(text: str) -> int:
    if len(text.lstrip("+-")) > 19 or int(text) not in _NEO4J_INTEGERS:
        raise ValueError(f"{text[:40]} is beyond the integers Neo4j holds (64 bits)")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is beyond the numbers Neo4j holds")
    return value


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a number Neo4j holds")


INCLUDE_RESTRICTED = "include_restricted"
"""The parameter every named query gets: ``true`` only with ``--include-restricted``."""

DATA_PARAMS: dict[str, Callable[[DatasetInfo], str]] = {
    "masg_forum": lambda info: info.forums.masg,
    "apmbc_committee_forum": lambda info: info.forums.apmbc_committee,
    "ccm_prefix": lambda info: info.forums.ccm_prefix,
}
"""Parameters a query may use that come from the data's ``metadata.json`` (as stored with the
last load) unless the user passes them: the forum ids, so that a dataset whose MASG forum has
another id gets its own MASG, never an empty answer."""

RESTRICTED_FILTER = "($include_restricted OR coalesce({var}.sensitivity, 'public') <> 'restricted')"
"""The predicate that keeps a restricted node or relationship ``{var}`` out by default."""

_HEADER = re.compile(r"^//\s*(name|description|param|restricted):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<example>\S+)\s*(?:\((?P<note>.*)\))?$"
)


@dataclass(frozen=True)
class QueryParam:
    """One parameter of a named query, with an example value and what it means."""

    name: str
    example: str
    note: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its name, description, parameters and Cypher text."""

    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    path: Path
    restricted_honoured: bool = False
    """Whether the query filters with ``$include_restricted`` (its header says so)."""

    @property
    def user_params(self) -> tuple[QueryParam, ...]:
        """The parameters a user passes (``include_restricted`` comes from the option)."""
        return tuple(p for p in self.params if p.name != INCLUDE_RESTRICTED)

    @property
    def required_params(self) -> tuple[QueryParam, ...]:
        """The parameters a user must pass (the data fills :data:`DATA_PARAMS` otherwise)."""
        return tuple(p for p in self.user_params if p.name not in DATA_PARAMS)

    def usage(self) -> str:
        """How to run it, e.g. ``ccm-graph query --name x --param before="2026-09-14"``."""
        args = " ".join(f"--param '{p.name}={p.example}'" for p in self.required_params)
        return f"ccm-graph query --name {self.name}" + (f" {args}" if args else "")


def default_queries_dir() -> Path:
    """``$CCM_GRAPH_QUERIES`` if set, else the library shipped with ccm-graph.

    The shipped library is the top-level ``cypher/queries`` folder, installed as the package
    data ``ccm_graph.cypher`` (so it is there after a plain ``pip install``, not only in a
    checkout).
    """
    configured = os.environ.get("CCM_GRAPH_QUERIES")
    if configured:
        return Path(configured)
    return Path(str(resources.files("ccm_graph.cypher") / "queries"))


def load_queries(folder: str | os.PathLike[str] | None = None) -> dict[str, NamedQuery]:
    """Read every ``*.cypher`` file of the library, by name (sorted).

    :raises DataError: a missing folder, a file without ``name`` or ``description``, a
        malformed ``param`` line, or two files with one name; every problem at once.
    """
    root = Path(folder) if folder is not None else default_queries_dir()
    if not root.is_dir():
        raise DataError([Problem(str(root), None, "no such query folder")])
    problems: list[Problem] = []
    found: dict[str, NamedQuery] = {}
    for path in sorted(root.glob("*.cypher")):
        query = _parse(path, problems)
        if query is None:
            continue
        if query.name in found:
            problems.append(Problem(str(path), 1, f"query name {query.name!r} is also used "
                                                  f"by {found[query.name].path.name}"))  # fmt: skip
            continue
        found[query.name] = query
    if problems:
        raise DataError(problems)
    return dict(sorted(found.items()))


def _parse(path: Path, problems: list[Problem]) -> NamedQuery | None:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    body_start = 0
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip().startswith("//") or not line.strip():
                continue
            body_start = number - 1
            break
        key, value = match.group(1), match.group(2).strip()
        if key == "restricted":
            if value != "honoured":
                message = "the restricted line reads: // restricted: honoured"
                problems.append(Problem(str(path), number, message))
            header[key] = value
            continue
        if key == "param":
            if value == "(none)":
                continue
            param = _PARAM.match(value)
            if param is None:
                problems.append(Problem(str(path), number,
                                        "param lines read: name = example  (note)"))  # fmt: skip
                continue
            params.append(QueryParam(param["name"], param["example"], (param["note"] or "")))
        else:
            header[key] = value
    else:
        body_start = len(lines)
    ok = True
    for key in ("name", "description"):
        if not header.get(key):
            problems.append(Problem(str(path), 1, f"missing '// {key}:' header line"))
            ok = False
    body = "\n".join(lines[body_start:]).strip()
    if not body:
        problems.append(Problem(str(path), None, "no Cypher after the header"))
        ok = False
    if not ok:
        return None
    honoured = header.get("restricted") == "honoured" or any(
        p.name == INCLUDE_RESTRICTED for p in params
    )
    return NamedQuery(header["name"], header["description"], tuple(params), body, path, honoured)


def restricted_filter(var: str) -> str:
    """:data:`RESTRICTED_FILTER` for the variable ``var``, e.g. ``restricted_filter("c")``."""
    return RESTRICTED_FILTER.format(var=var)


def run_named(
    store: Store,
    query: NamedQuery,
    params: dict[str, Any] | None = None,
    *,
    include_restricted: bool = False,
) -> QueryResult:
    """Run a named query read-only, restricted records left out unless ``include_restricted``.

    :raises QueryError: the query does not declare that it honours ``$include_restricted``
        (so it could show restricted records), or Neo4j rejects it.
    """
    if not query.restricted_honoured:
        raise QueryError(
            f"query {query.name!r} ({query.path.name}) does not declare that it keeps restricted "
            "records out; add '// restricted: honoured' to its header once it filters with "
            "$include_restricted"
        )
    values = dict(params or {})
    values[INCLUDE_RESTRICTED] = include_restricted
    wanted = [p.name for p in query.params if p.name in DATA_PARAMS and p.name not in values]
    if wanted:
        info = store.dataset_info()
        values.update({name: DATA_PARAMS[name](info) for name in wanted})
    return store.query(query.text, values)
