"""What the Questions pages show: the named queries of the library as forms (one field per
parameter, of the parameter's kind), and a result as a table of text cells.

Nothing here knows about HTTP; the routes (:mod:`ccm_graph.workbench.routes.questions`) read
the request, run the query through :func:`~ccm_graph.query_library.run_named` and render.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..query_library import DATA_PARAMS, NamedQuery
from ..query_params import ParamCheck, ParamKind, param_kind

if TYPE_CHECKING:
    from ..metadata import DatasetInfo
    from ..store import QueryResult

__all__ = ["SHOWN_ROWS", "QuestionField", "ResultTable", "question_fields", "result_table"]

SHOWN_ROWS = 1000
"""The most rows a result shows on the page (the downloads hold them all)."""

_INPUTS = {
    ParamKind.DATE: "date",
    ParamKind.YEAR: "number",
    ParamKind.INTEGER: "number",
    ParamKind.NUMBER: "number",
}
"""The HTML input type of a kind (``text`` for the others; a boolean is a drop-down)."""


@dataclass(frozen=True)
class QuestionField:
    """One parameter's field: its name, kind, the text sent for it (or its example on a
    fresh form, as a placeholder), and the problem with what was sent (translated)."""

    name: str
    kind: ParamKind
    value: str
    example: str
    note: str
    required: bool
    from_data: str | None
    """For a data parameter (:data:`~ccm_graph.query_library.DATA_PARAMS`): the data's own
    value, used when the field is left blank."""
    problem: str | None = None
    suggestions: tuple[str, ...] = ()
    """For a record's parameter that names nothing or several records: the ids it may
    mean."""

    @property
    def input_type(self) -> str:
        return _INPUTS.get(self.kind, "text")

    @property
    def step(self) -> str | None:
        """The number field's step (``any`` for a decimal), ``None`` for other fields."""
        if self.kind is ParamKind.NUMBER:
            return "any"
        return "1" if self.input_type == "number" else None


def question_fields(
    query: NamedQuery,
    sent: Mapping[str, str],
    check: ParamCheck,
    info: DatasetInfo | None,
    translate: Callable[[str], str],
) -> list[QuestionField]:
    """The form of ``query``: one field per parameter a person gives (``include_restricted``
    is not one), with what was ``sent`` and the ``check``'s problems translated by
    ``translate``."""
    fields = []
    for param in query.user_params:
        found = DATA_PARAMS.get(param.name)
        problem = check.problems.get(param.name)
        fields.append(QuestionField(
            name=param.name, kind=param_kind(param), value=sent.get(param.name, ""),
            example=_example(param.example), note=param.note, required=found is None,
            from_data=found(info) if found is not None and info is not None else None,
            problem=translate(problem) if problem else None,
            suggestions=tuple(check.suggestions.get(param.name, ())),
        ))  # fmt: skip
    return fields


def _example(text: str) -> str:
    """An example as a person types it in a field: a JSON string without its quotes."""
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        return value if isinstance(value, str) else text
    return text


@dataclass(frozen=True)
class ResultTable:
    """A query's result as the page shows it: the columns, the first :data:`SHOWN_ROWS`
    rows as text, which columns hold numbers (right-aligned), and how many rows there are."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    total: int


def result_table(result: QueryResult) -> ResultTable:
    """``result`` as text cells: a list joined with ``; ``, a node or map as JSON, nothing
    for a missing value."""
    shown = result.rows[:SHOWN_ROWS]
    numeric = tuple(
        bool(result.rows) and all(_number(row.get(c)) or row.get(c) is None for row in result.rows)
        for c in result.columns
    )
    rows = tuple(tuple(_cell(row.get(c)) for c in result.columns) for row in shown)
    return ResultTable(tuple(result.columns), rows, numeric, len(result.rows))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)
