"""The kind of each named query's parameter, and the values a person types for it, checked.

A named query's ``// param:`` line gives an example value and a note
(:mod:`ccm_graph.query_library`); the kind is read from them, so the query files need no
extra syntax:

=====================  ======================================  =====================
example                note                                    kind
=====================  ======================================  =====================
``true`` / ``false``                                           boolean
``2022`` (a number)    mentions a year                         year (1900–2100)
``3``                                                          whole number
``2.5``                                                        number
``["LAO", "LBN"]``                                             list (comma-separated)
``"2026-09-14"``                                               date (YYYY-MM-DD)
``"2024"``             mentions a date                         year or date
``"LAO"``              mentions an ``id``                      a record (id or name)
anything else                                                  text
=====================  ======================================  =====================

:func:`check_values` turns what a form sent into the query's parameters, or says for each
field what is wrong (a message marked for translation, in English). A blank parameter of
:data:`~ccm_graph.query_library.DATA_PARAMS` is left out, so that
:func:`~ccm_graph.query_library.run_named` fills it from the data, as ``ccm-graph query``
does. A record's parameter takes its id, or a name or alias the data know
(:class:`~ccm_graph.names.NameIndex`: "Tchad" for ``TCD``), of the kind the note names
(``a State id``, ``a forum or coalition id``; ``an actor id``: any actor).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .errors import UnknownRecord
from .i18n import N_
from .query_library import DATA_PARAMS, NamedQuery, QueryParam, param_value
from .schema import ActorKind, Column, ColumnType
from .values import ValueProblem, parse_cell

if TYPE_CHECKING:
    from .names import NameIndex

__all__ = ["MAX_TEXT", "ParamCheck", "ParamKind", "check_values", "param_kind", "record_kinds"]

MAX_TEXT = 200
"""The longest text a parameter takes (ids, roles, prefixes are short)."""


class ParamKind(StrEnum):
    """What a parameter holds, and so how its field is shown and its value checked."""

    TEXT = "text"
    BOOLEAN = "boolean"
    YEAR = "year"
    INTEGER = "integer"
    NUMBER = "number"
    LIST = "list"
    DATE = "date"
    YEAR_OR_DATE = "year_or_date"
    RECORD = "record"

    @property
    def problem(self) -> str:
        """The message (English, marked for translation) for a value of the wrong form."""
        return _PROBLEMS[self]


_PROBLEMS = {
    ParamKind.TEXT: N_("Give a text on one line, at most 200 characters."),
    ParamKind.BOOLEAN: N_("Choose yes or no."),
    ParamKind.YEAR: N_("Give a year as YYYY, from 1900 to 2100."),
    ParamKind.INTEGER: N_("Give a whole number, such as 3."),
    ParamKind.NUMBER: N_("Give a number, such as 2.5."),
    ParamKind.LIST: N_("Give one or more values separated by commas."),
    ParamKind.DATE: N_("Give a date as YYYY-MM-DD."),
    ParamKind.YEAR_OR_DATE: N_("Give a year or a date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ParamKind.RECORD: N_("Nothing in the data has this id, name or alias."),
}
REQUIRED = N_("Fill in this field.")
"""The message for a required parameter left blank."""
AMBIGUOUS = N_("Several records have this name or alias; give the id.")
"""The message for a record's parameter that names several records."""

_ID = re.compile(r"\bid\b")
_RECORD_WORDS = {
    "state": frozenset({ActorKind.STATE.value}),
    "forum": frozenset({ActorKind.FORUM.value}),
    "coalition": frozenset({"coalition"}),
    "actor": frozenset(k.value for k in ActorKind),
}
"""The words of a note that name the kinds of record an id parameter takes."""

_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_OR_MONTH = re.compile(r"[0-9]{4}(-[0-9]{2})?")


def param_kind(param: QueryParam) -> ParamKind:
    """The kind of ``param``, read from its example value and its note (see the module's
    table).

    >>> param_kind(QueryParam("before", '"2026-09-14"', "a date, YYYY-MM-DD"))
    <ParamKind.DATE: 'date'>
    >>> param_kind(QueryParam("since", '"2024"', "a year or date, YYYY or YYYY-MM-DD"))
    <ParamKind.YEAR_OR_DATE: 'year_or_date'>
    >>> param_kind(QueryParam("from_year", "2022", "a year"))
    <ParamKind.YEAR: 'year'>
    """
    try:
        example = param_value(param.example)
    except ValueError:
        return ParamKind.TEXT
    note = param.note.lower()
    if isinstance(example, bool):
        return ParamKind.BOOLEAN
    if isinstance(example, int):
        return ParamKind.YEAR if "year" in note else ParamKind.INTEGER
    if isinstance(example, float):
        return ParamKind.NUMBER
    if isinstance(example, list):
        return ParamKind.LIST
    if isinstance(example, str):
        if _FULL_DATE.fullmatch(example):
            return ParamKind.DATE
        if _YEAR_OR_MONTH.fullmatch(example) and "date" in note:
            return ParamKind.YEAR_OR_DATE
        if _ID.search(note):
            return ParamKind.RECORD
    return ParamKind.TEXT


def record_kinds(param: QueryParam) -> frozenset[str] | None:
    """The kinds of record (``state``, ``forum``, ``coalition`` …) a record's parameter
    takes, from the words of its note; ``None``: any.

    >>> sorted(record_kinds(QueryParam("forum", '"masg"', "a forum or coalition id")))
    ['coalition', 'forum']
    """
    note = param.note.lower()
    found = [kinds for word, kinds in _RECORD_WORDS.items() if re.search(rf"\b{word}\b", note)]
    return frozenset().union(*found) if found else None


@dataclass
class ParamCheck:
    """What a form sent for a query, checked: the query's parameters, and the problems by
    field (each an English message marked for translation). Valid when no problem."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    """For a record's parameter that names nothing or several records: the ids it may mean."""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_values(
    query: NamedQuery, sent: Mapping[str, str], names: NameIndex | None = None
) -> ParamCheck:
    """Each user parameter of ``query`` from the text ``sent`` for it, as its kind holds it.

    A record's parameter is looked up in ``names`` (the records the person may see) by id,
    name or alias and passed as the id; without ``names`` it is taken as text. A blank
    parameter of :data:`~ccm_graph.query_library.DATA_PARAMS` is left out (the data
    fill it); any other blank one is a problem. ``include_restricted`` is never taken from
    ``sent``: who may see restricted records is not a form's choice.

    >>> from ccm_graph.query_library import load_queries
    >>> q = load_queries()["obligations-due-before"]
    >>> check_values(q, {"before": "2026-09-14"}).values
    {'before': '2026-09-14'}
    >>> check_values(q, {"before": "14/09/2026"}).problems
    {'before': 'Give a date as YYYY-MM-DD.'}
    """
    check = ParamCheck()
    for param in query.user_params:
        text = sent.get(param.name, "").strip()
        if not text:
            if param.name not in DATA_PARAMS:
                check.problems[param.name] = REQUIRED
            continue
        kind = param_kind(param)
        try:
            if kind is ParamKind.RECORD and names is not None:
                check.values[param.name] = _record(names, param, _value(ParamKind.TEXT, text))
            else:
                check.values[param.name] = _value(kind, text)
        except AmbiguousRecord as exc:
            check.problems[param.name] = AMBIGUOUS
            check.suggestions[param.name] = exc.ids
        except UnknownRecord as exc:
            check.problems[param.name] = kind.problem
            check.suggestions[param.name] = list(exc.suggestions)
        except ValueError:
            check.problems[param.name] = (
                ParamKind.TEXT.problem if kind is ParamKind.RECORD else kind.problem
            )
    return check


class AmbiguousRecord(ValueError):
    """A name that fits several records (their ids in ``ids``)."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(", ".join(ids))
        self.ids = ids


def _record(names: NameIndex, param: QueryParam, text: str) -> str:
    """The id of the record ``text`` names, of a kind ``param`` takes.

    :raises UnknownRecord: none (with suggestions).
    :raises AmbiguousRecord: several.
    """
    from .names import AmbiguousName

    try:
        return names.resolve(text, kinds=record_kinds(param))
    except AmbiguousName as exc:
        raise AmbiguousRecord([ident for ident, _ in exc.matches]) from exc


def _value(kind: ParamKind, text: str) -> Any:
    """The value of ``text`` (stripped, not blank) for a parameter of ``kind``.

    :raises ValueError: ``text`` is not a value of that kind.
    """
    if kind is ParamKind.BOOLEAN:
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    if kind is ParamKind.YEAR:
        return _checked(ColumnType.YEAR, text)
    if kind in (ParamKind.INTEGER, ParamKind.NUMBER):
        number = param_value(text)
        wanted = int if kind is ParamKind.INTEGER else (int, float)
        if isinstance(number, bool) or not isinstance(number, wanted):
            raise ValueError(text)
        return number
    if kind is ParamKind.DATE:
        return _checked(ColumnType.DATE, text)
    if kind is ParamKind.YEAR_OR_DATE:
        return _checked(ColumnType.PARTIAL_DATE, text)
    if kind is ParamKind.LIST:
        items = [item.strip() for item in text.split(",")]
        if any(not item or len(item) > MAX_TEXT for item in items):
            raise ValueError(text)
        return [_plain(item) for item in items]
    if len(text) > MAX_TEXT or any(c in text for c in "\r\n"):
        raise ValueError(text)
    return text


def _checked(kind: ColumnType, text: str) -> Any:
    """``text`` by the value rule of a seed column of ``kind`` (:mod:`ccm_graph.values`)."""
    try:
        return parse_cell(Column(kind), text)
    except ValueProblem as exc:
        raise ValueError(str(exc)) from exc


def _plain(item: str) -> Any:
    """A list item: a number stays a number, anything else is text."""
    value = param_value(item)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else item
