"""What the data covers: per kind of fact, the years or the meeting up to which it was looked at.

``metadata.json`` may hold a ``coverage`` object (the shared contract of issue #18)::

    "coverage": {
      "funding": {
        "sources": [{"id": "monitor-support", "name": "…", "url": "https://…",
                     "from": 2010, "to": 2023}],
        "recipients": {"IRQ": {"from": 2010, "to": 2023, "source": "monitor-support"}}
      },
      "operators": {"to": 2025, "source": "short citation"},
      "decisions": {"meeting": "12MSP", "date": "2024-09-13", "source": "short citation"}
    }

For recipient ``IRQ`` the funding records cover 2010–2023: a year in that window with no
``FUNDS`` row had no funding recorded in that source; a year outside it is *not known*, never
"no funding". A recipient missing from ``recipients`` has unknown coverage. ``operators.to``
is the last year of operator-presence data; ``decisions`` the newest meeting whose extension
decisions are recorded. Every part is optional; unknown keys are a problem, so typos surface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import Column, ColumnType
from .values import ValueProblem, check_value

__all__ = [
    "Coverage",
    "CoverageSource",
    "DecisionsCoverage",
    "FundingCoverage",
    "OperatorsCoverage",
    "YearWindow",
    "coverage_from_json",
    "coverage_to_json",
]

_YEAR = Column(ColumnType.YEAR)
_DATE = Column(ColumnType.DATE)
_TEXT = Column(ColumnType.TEXT)
_NAME = Column(ColumnType.NAME)
_REF = Column(ColumnType.REF)
_ID = Column(ColumnType.ID)


@dataclass(frozen=True)
class YearWindow:
    """The years a source looked at for one recipient (both ends included).

    :param first: the first year covered, ``None`` when the source does not say.
    :param last: the last year covered, ``None`` when the source does not say.
    :param source: the id of the source (a :class:`CoverageSource`) that covers them.
    """

    first: int | None = None
    last: int | None = None
    source: str | None = None

    def covers(self, year: int) -> bool:
        """Whether ``year`` is inside the window (an open end counts as not covered)."""
        return self.first is not None and self.last is not None and self.first <= year <= self.last


@dataclass(frozen=True)
class CoverageSource:
    """A source of funding records and the years it covers as a whole."""

    id: str
    name: str | None = None
    url: str | None = None
    first: int | None = None
    last: int | None = None
    cites: str | None = None  # text its rows name in their source column ("Monitor")

    def wrote(self, citation: str | None) -> bool:
        """Whether a row whose ``source`` column is ``citation`` comes from this source: every
        row when ``cites`` is not given, else the rows that name it (case ignored)."""
        return self.cites is None or self.cites.casefold() in (citation or "").casefold()


@dataclass(frozen=True)
class FundingCoverage:
    """The funding records' coverage: the sources, and per recipient the years covered.

    ``recipients`` is a tuple of ``(recipient id, window)`` pairs in the file's order, so the
    record stays hashable; ask :meth:`window` for one recipient.
    """

    sources: tuple[CoverageSource, ...] = ()
    recipients: tuple[tuple[str, YearWindow], ...] = ()

    def window(self, recipient: str) -> YearWindow | None:
        """The years covered for ``recipient``, or ``None`` when its coverage is unknown."""
        return next((w for r, w in self.recipients if r == recipient), None)

    def source(self, ident: str | None) -> CoverageSource | None:
        """The source with id ``ident``, if listed."""
        return next((s for s in self.sources if s.id == ident), None)


@dataclass(frozen=True)
class OperatorsCoverage:
    """The last year of operator-presence data, and its source."""

    last: int | None = None
    source: str | None = None


@dataclass(frozen=True)
class DecisionsCoverage:
    """The newest meeting whose extension decisions are recorded, its date and source."""

    meeting: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Coverage:
    """What the data covers (see the module's docstring); each part ``None`` when not stated."""

    funding: FundingCoverage | None = None
    operators: OperatorsCoverage | None = None
    decisions: DecisionsCoverage | None = None
    stated: bool = field(default=False, compare=False)

    def funding_window(self, recipient: str) -> YearWindow | None:
        """The years the funding records cover for ``recipient``; ``None`` when unknown."""
        return self.funding.window(recipient) if self.funding is not None else None


_TOP = ("funding", "operators", "decisions")
_FUNDING = ("sources", "recipients")
_SOURCE = ("id", "name", "url", "from", "to", "cites")
_WINDOW = ("from", "to", "source")
_OPERATORS = ("to", "source")
_DECISIONS = ("meeting", "date", "source")


def coverage_from_json(raw: Any) -> tuple[Coverage, list[str]]:
    """The :class:`Coverage` for the parsed ``coverage`` value, and what is wrong with it.

    Each problem is a message naming its place (``coverage.funding.recipients.IRQ.to: …``).

    >>> cov, problems = coverage_from_json({"funding": {"recipients": {
    ...     "IRQ": {"from": 2014, "to": 2023}}}})
    >>> cov.funding_window("IRQ").last, cov.funding_window("LAO"), problems
    (2023, None, [])
    >>> coverage_from_json({"funding": {"recipients": {"IRQ": {"from": 2020, "to": 2019}}}})[1]
    ['coverage.funding.recipients.IRQ: from 2020 is after to 2019']
    """
    problems: list[str] = []
    if not isinstance(raw, dict):
        return Coverage(), ["coverage: expected an object with funding, operators, decisions"]
    _unknown(raw, _TOP, "coverage", problems)
    funding = _funding(raw["funding"], problems) if "funding" in raw else None
    operators = decisions = None
    if "operators" in raw:
        part = _object(raw["operators"], _OPERATORS, "coverage.operators", problems)
        operators = OperatorsCoverage(
            _value(part, "to", _YEAR, "coverage.operators", problems),
            _value(part, "source", _TEXT, "coverage.operators", problems),
        )
    if "decisions" in raw:
        part = _object(raw["decisions"], _DECISIONS, "coverage.decisions", problems)
        decisions = DecisionsCoverage(
            *(_value(part, key, col, "coverage.decisions", problems)
              for key, col in (("meeting", _NAME), ("date", _DATE), ("source", _TEXT)))
        )  # fmt: skip
    return Coverage(funding, operators, decisions, stated=True), problems


def _funding(raw: Any, problems: list[str]) -> FundingCoverage:
    part = _object(raw, _FUNDING, "coverage.funding", problems)
    sources: list[CoverageSource] = []
    raw_sources = part.get("sources", [])
    if not isinstance(raw_sources, list):
        problems.append("coverage.funding.sources: expected a list of sources")
        raw_sources = []
    for i, item in enumerate(raw_sources):
        where = f"coverage.funding.sources[{i}]"
        one = _object(item, _SOURCE, where, problems)
        ident = _value(one, "id", _ID, where, problems)
        if ident is None:
            problems.append(f"{where}: id is required")
            continue
        if any(s.id == ident for s in sources):
            problems.append(f"{where}: source id {ident!r} appears twice")
        first, last = _span(one, where, problems)
        name = _value(one, "name", _NAME, where, problems)
        url = _value(one, "url", _TEXT, where, problems)
        cites = _value(one, "cites", _TEXT, where, problems)
        sources.append(CoverageSource(ident, name, url, first, last, cites))
    known = {s.id for s in sources}
    recipients: list[tuple[str, YearWindow]] = []
    raw_recipients = part.get("recipients", {})
    if not isinstance(raw_recipients, dict):
        problems.append('coverage.funding.recipients: expected an object like {"IRQ": {...}}')
        raw_recipients = {}
    for key, item in raw_recipients.items():
        where = f"coverage.funding.recipients.{key}"
        try:
            recipient = check_value(_REF, key)
        except ValueProblem as exc:
            problems.append(f"{where}: {exc}")
            continue
        one = _object(item, _WINDOW, where, problems)
        first, last = _span(one, where, problems)
        source = _value(one, "source", _ID, where, problems)
        if source is not None and source not in known:
            problems.append(f"{where}: source {source!r} is not one of coverage.funding.sources")
        recipients.append((recipient, YearWindow(first, last, source)))
    return FundingCoverage(tuple(sources), tuple(recipients))


def _span(part: dict[str, Any], where: str, problems: list[str]) -> tuple[Any, Any]:
    first = _value(part, "from", _YEAR, where, problems)
    last = _value(part, "to", _YEAR, where, problems)
    if first is not None and last is not None and first > last:
        problems.append(f"{where}: from {first} is after to {last}")
    return first, last


def _object(raw: Any, keys: tuple[str, ...], where: str, problems: list[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object with {', '.join(keys)}")
        return {}
    _unknown(raw, keys, where, problems)
    return raw


def _unknown(raw: dict[str, Any], keys: tuple[str, ...], where: str, problems: list[str]) -> None:
    for key in raw:
        if key not in keys:
            problems.append(f"{where}: unknown key {key!r} (expected: {', '.join(keys)})")


def _value(part: dict[str, Any], key: str, column: Column, where: str, problems: list[str]) -> Any:
    try:
        return check_value(column, part.get(key))
    except ValueProblem as exc:
        problems.append(f"{where}.{key}: {exc}")
        return None


def coverage_to_json(coverage: Coverage) -> dict[str, Any]:
    """The ``coverage`` object of ``metadata.json`` for ``coverage`` (stable key order; blank
    parts left out), so that :func:`coverage_from_json` reads back an equal record."""
    data: dict[str, Any] = {}
    funding = coverage.funding
    if funding is not None:
        part: dict[str, Any] = {}
        if funding.sources:
            part["sources"] = [
                _present(
                    {
                        "id": s.id,
                        "name": s.name,
                        "url": s.url,
                        "from": s.first,
                        "to": s.last,
                        "cites": s.cites,
                    }
                )
                for s in funding.sources
            ]
        if funding.recipients:
            part["recipients"] = {
                r: _present({"from": w.first, "to": w.last, "source": w.source})
                for r, w in funding.recipients
            }
        data["funding"] = part
    if coverage.operators is not None:
        ops = coverage.operators
        data["operators"] = _present({"to": ops.last, "source": ops.source})
    if coverage.decisions is not None:
        dec = coverage.decisions
        data["decisions"] = _present(
            {"meeting": dec.meeting, "date": dec.date, "source": dec.source}
        )
    return data


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without its blank (``None``) entries."""
    return {k: v for k, v in values.items() if v is not None}
