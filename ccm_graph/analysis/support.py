"""Who supports each affected State Party: one row per State, most urgent first.

:func:`support_rows` answers, for every State Party with a time-bound (Article 3 or 4)
obligation that is open, extended, or was completed within the window: when its deadline is,
what became of its latest extension request, who supported it in the window and with how much
money, when support was last recorded at all, which operators work there, whether a coalition
exists and whether it has asked for international assistance. Every row names its window.

Money is never invented: a grant whose amount is not recorded is counted as a grant "of
unknown amount", never as USD 0; a financial ``SUPPORTS`` row that repeats a ``FUNDS`` row of
the same donor in the same year is the same money and is counted once. A State's support for
its own obligation (national funding) is support, but not a partner: it appears in
``national_funding_years`` and ``last_support_year``, not among the supporters.

The definitions here are the ones the gap rules use (:func:`window_support` is shared with
:func:`~ccm_graph.analysis.gaps.obligation_coverage`), and ``docs/analysis.md`` documents the
JSON keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import UnknownRecord
from ..escaping import md_escape
from ..names import suggest
from ..schema import TIME_BOUND_ARTICLES
from ..wording import (
    ENGLISH,
    Phrase,
    Term,
    Voice,
    provenance_mark,
    say,
    say_n,
    year_window,
)
from ._coverage import funding_coverage_of, funding_unknown
from ._index import Forums, GraphIndex
from ._window import Funding, Grant, WindowSupport, assistance_of, window_support
from .gaps import urgency_of
from .gaps.urgency import request_words

if TYPE_CHECKING:
    import networkx as nx


__all__ = [
    "SUPPORT_FORMATS",
    "SUPPORT_KEYS",
    "Funding",
    "Grant",
    "Remaining",
    "SupportRow",
    "WindowSupport",
    "assistance_of",
    "deadline_note",
    "remaining_contamination",
    "render_support",
    "support_markdown",
    "support_row_for",
    "support_rows",
    "window_support",
]

SUPPORT_FORMATS = ("table", "json", "csv", "md")
"""The formats ``ccm-graph support`` writes: ``md`` is a Markdown table for a meeting note."""


def deadline_note(obligation: dict[str, Any], as_of: date, data_as_of: date | None = None) -> str:
    """The deadline cell in words, as of a date.

    >>> ob = {"deadline": "2025-08-01", "status": "extended", "extension_requested": "2024",
    ...       "request_outcome": "not_recorded"}
    >>> deadline_note(ob, date(2026, 2, 27))
    'passed; outcome of the 2024 request not recorded'
    >>> deadline_note({**ob, "request_outcome": "pending"}, date(2026, 2, 27))
    'passed; the 2024 request awaits a decision'
    >>> deadline_note({"deadline": "2026-10-01", "status": "open"}, date(2026, 2, 27))
    'in 216 days'
    >>> deadline_note({"deadline": "2026-10-01", "status": "open"}, date(2026, 12, 1),
    ...               data_as_of=date(2026, 2, 27))
    "passed after the data's date of 2026-02-27; a later decision may not be recorded"
    >>> deadline_note({"status": "completed", "completed": "2023-08"}, date(2026, 2, 27))
    'completed 2023-08'
    >>> deadline_note({"status": "completed", "completed": "2023",
    ...                "source": "indicative: an upper bound"}, date(2026, 2, 27))
    'completed 2023; indicative'

    A row whose source opens with ``indicative``, ``synthetic`` or ``unconfirmed`` says so. A
    deadline that passed after the data's own date (``data_as_of``) is not read as a known
    fact: a decision taken after that date may not be recorded.
    """
    return str(deadline_phrase(obligation, as_of, data_as_of))


def deadline_phrase(
    obligation: dict[str, Any], as_of: date, data_as_of: date | None = None
) -> Phrase:
    """:func:`deadline_note` as a :class:`~ccm_graph.wording.Phrase`, for other languages."""
    note = _deadline_words(obligation, as_of, data_as_of)
    mark = provenance_mark(obligation.get("source"))
    return say("{note}; {mark}", note=note, mark=Term(mark)) if mark else note


def _deadline_words(obligation: dict[str, Any], as_of: date, data_as_of: date | None) -> Phrase:
    if obligation.get("status") == "completed":
        done = obligation.get("completed")
        return say("completed {date}", date=done) if done else say("completed (date not recorded)")
    deadline = obligation.get("deadline")
    if not deadline:
        return say("no deadline recorded")
    days = (date.fromisoformat(deadline) - as_of).days
    requested = obligation.get("extension_requested")
    year = requested[:4] if requested else None
    outcome = obligation.get("request_outcome")
    request = request_words(year, outcome, obligation.get("requested_deadline"))
    if days > 0:
        when = say_n("in {count} day", "in {count} days", days)
        return when if request is None else say("{when}; {request}", when=when, request=request)
    if request is not None:
        return say("passed; {request}", request=request)
    if year and outcome == "not_recorded":
        return say("passed; outcome of the {year} request not recorded", year=year)
    if year and outcome == "pending":
        return say("passed; the {year} request awaits a decision", year=year)
    if days == 0:
        return say("today")
    if data_as_of is not None and date.fromisoformat(deadline) > data_as_of:
        return say("passed after the data's date of {data_date}; a later decision may not be "
                   "recorded", data_date=str(data_as_of))  # fmt: skip
    return say("passed")


@dataclass(frozen=True)
class Remaining:
    """What a State reports as remaining contamination: one Article 4 obligation's figure,
    with what it measures (``kind``: confirmed, suspected, both, or ``None`` when the source
    does not say), the year it describes and its own source."""

    obligation: str
    km2: float
    kind: str | None
    year: int | None
    source: str | None

    def text(self) -> str:
        """The figure in words, for the support table (English).

        >>> Remaining("ob-X-4", 1957.04, "confirmed", 2023, "indicative: x").text()
        '1,957.04 km² confirmed (2023); indicative'
        """
        kind = f" {self.kind.replace('_', ' ')}" if self.kind else ""
        year = f" ({self.year})" if self.year else ""
        mark = provenance_mark(self.source)
        return f"{format_km2(self.km2)} km²{kind}{year}" + (f"; {mark}" if mark else "")


def format_km2(value: float) -> str:
    """An area with thousands separators and no needless decimals: ``1,957.04``, ``11``."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def remaining_contamination(G: nx.MultiDiGraph, obligations: Sequence[str]) -> Remaining | None:
    """The remaining-contamination figure of a State: that of the first (by id) of
    ``obligations`` that is an Article 4 obligation not completed and has ``remaining_km2``.

    ``None`` means no figure is recorded (never zero). The support table and the hand-out's
    "ask" both use this, so they show the same figure.
    """
    for ob in sorted(obligations):
        data = G.nodes[ob]
        if data.get("article") != 4 or data.get("status") == "completed":
            continue
        if data.get("remaining_km2") is not None:
            return Remaining(
                ob,
                data["remaining_km2"],
                data.get("remaining_kind"),
                data.get("remaining_year"),
                data.get("remaining_source"),
            )
    return None


# --- the rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportRow:
    """One State Party with a time-bound obligation: deadline, support, coalition, ask.

    The fields are the JSON keys of ``ccm-graph support --format json`` (see
    ``docs/analysis.md``); ``*_names`` hold the labels of the ids beside them, in order.
    """

    state: str
    name: str
    articles: tuple[int, ...]
    obligations: tuple[str, ...]
    status: str
    deadline: str | None
    days_to_deadline: int | None
    deadline_note: str
    urgency: float
    latest_extension_request: str | None
    request_outcome: str | None
    supporters: tuple[str, ...]
    supporter_names: tuple[str, ...]
    funding_usd: float | None
    funding_grants: int
    funding_unknown_amounts: int
    funding: str
    funding_covered_to: int | None
    funding_coverage: str | None
    national_funding_years: tuple[int, ...]
    last_support_year: int | None
    operators: tuple[str, ...]
    operator_names: tuple[str, ...]
    coalition: str | None
    coalition_name: str | None
    coalition_status: str | None
    assistance_requested: str
    remaining_km2: float | None
    remaining_kind: str | None
    remaining_year: int | None
    remaining_source: str | None
    window: str
    window_start: int
    window_end: int
    as_of: str
    deadline_words: Phrase | None = field(default=None, compare=False, repr=False)
    """``deadline_note`` as a phrase, for hand-outs in other languages (not a JSON key)."""
    coverage_words: Phrase | None = field(default=None, compare=False, repr=False)
    """``funding_coverage`` as a phrase, for hand-outs in other languages (not a JSON key)."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON record: every field, lists for tuples, in the documented key order."""
        record: dict[str, Any] = {}
        for key in SUPPORT_KEYS:
            value = getattr(self, key)
            record[key] = list(value) if isinstance(value, tuple) else value
        return record

    def cells(
        self, voice: Voice = ENGLISH, name: Callable[[str], str] | None = None
    ) -> dict[str, str]:
        """The row for people: one worded cell per column; the supporters and funding headings
        name the window. The keys are English; the cells are in ``voice``'s language, with
        records named by ``name`` (an id → name function, e.g. the names in a hand-out's
        language; default the labels of the row)."""

        def said(ids: tuple[str, ...], labels: tuple[str, ...]) -> list[str]:
            return [name(i) for i in ids] if name else list(labels)

        def words(phrase: Phrase) -> str:
            return phrase.render(voice)

        articles = ", ".join(str(a) for a in self.articles)
        request = self.latest_extension_request or words(say("none"))
        if self.latest_extension_request and self.request_outcome:
            outcome = {"not_recorded": say("outcome not recorded"),
                       "pending": say("decision pending")}  # fmt: skip
            found = outcome.get(self.request_outcome)
            text = words(found) if found else _term(self.request_outcome, voice)
            request += f" ({text})"
        note = words(self.deadline_words) if self.deadline_words else self.deadline_note
        deadline = f"{self.deadline} ({note})" if self.deadline else note
        none_recorded = words(say("none recorded"))
        # an absence of support is said against the years the funding data cover
        unknown = f" ({words(self.coverage_words)})" if self.coverage_words is not None else ""
        supporters = ", ".join(sorted(said(self.supporters, self.supporter_names)))
        last = str(self.last_support_year) if self.last_support_year else none_recorded + unknown
        if self.national_funding_years:
            last += " " + words(say("(national funding {year})",
                                    year=self.national_funding_years[-1]))  # fmt: skip
        coalition = words(say("none"))
        if self.coalition:
            coalition_name = name(self.coalition) if name else self.coalition_name
            coalition = f"{coalition_name} ({_term(str(self.coalition_status), voice)})"
        funding = self.funding
        if voice is not ENGLISH:
            known = self.funding_grants - self.funding_unknown_amounts
            funding = words(Funding(self.funding_usd, known, self.funding_unknown_amounts)
                            .phrase())  # fmt: skip
        if self.coverage_words is not None:
            funding += f" ({words(self.coverage_words)})"
        operators = ", ".join(sorted(said(self.operators, self.operator_names)))
        assistance = (self.assistance_requested.replace("_", " ") if voice is ENGLISH
                      else voice.term(self.assistance_requested))  # fmt: skip
        state = name(self.state) if name else self.name
        return {
            "State": f"{state} ({self.state})",
            "Article": articles,
            "Deadline": deadline,
            "Status": _term(self.status, voice),
            "Latest extension request": request,
            f"Supporters {self.window}": supporters or none_recorded + unknown,
            f"Funding {self.window}": funding,
            "Last support recorded": last,
            "Operators present": operators or none_recorded,
            "Coalition": coalition,
            "Assistance requested": assistance,
        }


def _term(value: str, voice: Voice) -> str:
    return value if voice is ENGLISH else voice.term(value)


SUPPORT_KEYS: tuple[str, ...] = tuple(
    f.name for f in fields(SupportRow) if f.name not in ("deadline_words", "coverage_words")
)
"""The JSON keys of a support row, in order."""


def _in_scope(index: GraphIndex, state: str) -> list[str]:
    """A State Party's Article 3/4 obligations that are open, extended or completed in the
    window (by the year of ``completed``)."""
    data = index.graph.nodes[state]
    if data.get("kind") != "state" or data.get("ccm_status") != "state_party":
        return []
    found = []
    for ob in index.obligations_of.get(state, []):
        ob_data = index.graph.nodes[ob]
        if ob_data.get("article") not in TIME_BOUND_ARTICLES:
            continue
        status = ob_data.get("status")
        if status in ("open", "extended"):
            found.append(ob)
        elif status == "completed":
            done = ob_data.get("completed")
            if done and index.is_recent(int(done[:4])):
                found.append(ob)
    return sorted(found)


def _coalition(index: GraphIndex, state: str) -> tuple[str | None, str | None]:
    """The State's live coalition (active, else forming, else proposed), else its most recently
    established other one; ``(None, None)`` when none is recorded."""
    coalitions = index.coalitions_of.get(state, [])
    if not coalitions:
        return None, None
    rank = {"active": 0, "forming": 1, "proposed": 2}

    def key(coalition: str) -> tuple[int, int, str]:
        data = index.graph.nodes[coalition]
        established = str(data.get("established") or "0")[:4]
        return (rank.get(data.get("status"), 3), -int(established), coalition)

    best = min(coalitions, key=key)
    return best, index.graph.nodes[best].get("status")


def _row(index: GraphIndex, state: str, obligations: list[str]) -> SupportRow:
    nodes = index.graph.nodes
    open_ones = [ob for ob in obligations if nodes[ob].get("status") != "completed"]
    if open_ones:
        scored = sorted(
            ((urgency_of(nodes[ob], index.as_of, index.data_as_of)[0], ob) for ob in open_ones),
            key=lambda pair: (-pair[0], nodes[pair[1]].get("deadline") or "", pair[1]),
        )
        urgency, lead = scored[0]
    else:
        urgency = 0.0
        lead = max(obligations, key=lambda ob: (nodes[ob].get("completed") or "", ob))
    data = nodes[lead]
    deadline = data.get("deadline")
    days = (date.fromisoformat(deadline) - index.as_of).days if deadline else None
    support = window_support(index, state, obligations)
    funding = support.funding
    operators = sorted(index.operators_in.get(state, set()))
    coalition, coalition_status = _coalition(index, state)
    remaining = remaining_contamination(index.graph, obligations)
    first, last = index.as_of.year - index.window_years, index.as_of.year
    unknown = funding_unknown(index, state, first)
    covered = funding_coverage_of(index, state)
    return SupportRow(
        state=state,
        name=index.name(state),
        articles=tuple(sorted({nodes[ob]["article"] for ob in obligations})),
        obligations=tuple(obligations),
        status=str(data.get("status")),
        deadline=deadline,
        days_to_deadline=days,
        deadline_note=deadline_note(data, index.as_of, index.data_as_of),
        urgency=urgency,
        latest_extension_request=data.get("extension_requested"),
        request_outcome=data.get("request_outcome") if data.get("extension_requested") else None,
        supporters=support.supporters,
        supporter_names=tuple(index.name(s) for s in support.supporters),
        funding_usd=funding.known_usd,
        funding_grants=funding.grants,
        funding_unknown_amounts=funding.unknown_grants,
        funding=funding.text(),
        funding_covered_to=covered.last if covered is not None else None,
        funding_coverage=str(unknown) if unknown is not None else None,
        national_funding_years=support.national_funding_years,
        last_support_year=support.last_support_year,
        operators=tuple(operators),
        operator_names=tuple(index.name(o) for o in operators),
        coalition=coalition,
        coalition_name=index.name(coalition) if coalition else None,
        coalition_status=coalition_status,
        assistance_requested=assistance_of(
            nodes[ob].get("assistance_requested") for ob in obligations
        ),
        remaining_km2=remaining.km2 if remaining else None,
        remaining_kind=remaining.kind if remaining else None,
        remaining_year=remaining.year if remaining else None,
        remaining_source=remaining.source if remaining else None,
        window=year_window(first, last),
        window_start=first,
        window_end=last,
        as_of=index.as_of.isoformat(),
        deadline_words=deadline_phrase(data, index.as_of, index.data_as_of),
        coverage_words=unknown,
    )


_ASK_ORDER = {"requested": 0, "unknown": 1, "not_requested": 2}
"""The support table's groups: States that asked for international assistance, then those
whose need is not recorded, then those that fund their own work."""


def _order(row: SupportRow) -> tuple[Any, ...]:
    """States with open obligations first, grouped by their ask (:data:`_ASK_ORDER`), each
    group most urgent first, then the nearest deadline; completed obligations last."""
    if row.status == "completed":
        return (1, 0, 0.0, "", row.state)
    ask = _ASK_ORDER.get(row.assistance_requested, 1)
    return (0, ask, -row.urgency, row.deadline or "9999", row.state)


def support_rows(
    G: nx.MultiDiGraph,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    forums: Forums | None = None,
    index: GraphIndex | None = None,
) -> list[SupportRow]:
    """One :class:`SupportRow` per State Party with a time-bound obligation in scope.

    In scope: an Article 3 or 4 obligation that is open or extended, or that was completed in
    the window (the ``window_years`` years before the as-of year, and that year). Rows come
    first for the States that asked for international assistance, then those whose need is not
    recorded, then those that fund their own work; within each, most urgent first (by
    :func:`~ccm_graph.analysis.gaps.obligation_urgency` of the State's most urgent open
    obligation, then the nearest deadline); States that completed in the window come last.

    Parameters
    ----------
    G : the ccm-graph ``MultiDiGraph`` (see :func:`ccm_graph.graph.build_graph`).
    as_of : the reference date (default: the data's as-of date): deadlines count from it, the
        window ends in its year.
    window_years : how many years before the as-of year belong to the window.
    forums : which forum ids play the forum roles (not used by the rows; kept so that every
        analysis takes the same arguments).
    index : a :class:`GraphIndex` of ``G`` already built; ``as_of`` and ``window_years`` are
        then taken from it.

    Examples
    --------
    >>> from ccm_graph.analysis.examples import tiny_graph
    >>> rows = support_rows(tiny_graph(), as_of="2026-01-01")
    >>> [(r.state, r.deadline_note) for r in rows]
    [('B', 'in 59 days; synthetic'), ('A', 'in 1673 days; synthetic')]
    >>> [r.funding for r in rows]
    ['none recorded', 'USD 1,000,000']
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    rows = []
    for state in sorted(index.obligations_of):
        obligations = _in_scope(index, state)
        if obligations:
            rows.append(_row(index, state, obligations))
    return sorted(rows, key=_order)


def support_row_for(
    G: nx.MultiDiGraph,
    state: str,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    forums: Forums | None = None,
    index: GraphIndex | None = None,
) -> SupportRow | None:
    """The :class:`SupportRow` of one State (for its brief or map card).

    ``None`` when the State has no Article 3 or 4 obligation in scope (none open, none
    completed in the window).

    :raises UnknownRecord: ``state`` is not a State in the graph (with close ids suggested).
    """
    index = index or GraphIndex.build(G, as_of=as_of, window_years=window_years, forums=forums)
    node = index.graph.nodes.get(state)
    if node is None or node.get("kind") != "state":
        states = [n for n, d in index.graph.nodes(data=True) if d.get("kind") == "state"]
        raise UnknownRecord(state, "State", suggest(state, states))
    obligations = _in_scope(index, state)
    return _row(index, state, obligations) if obligations else None


# --- rendering --------------------------------------------------------------------------------


def _caption(rows: Sequence[SupportRow]) -> str:
    first = rows[0]
    return (
        f"Support for States Parties with time-bound obligations, as of {first.as_of}; "
        f"supporters and funding recorded in {first.window}. States that asked for assistance "
        "first, then those whose need is not recorded, then those that fund their own work; "
        "most urgent first within each."
    )


def support_markdown(rows: Sequence[SupportRow]) -> str:
    """The rows as a Markdown table with a one-line caption naming the date and window: fit to
    paste into a meeting note. An empty list says so in a sentence."""
    if not rows:
        return "*No State Party with an open, extended or recently completed Article 3 or 4 "\
               "obligation in the data.*\n"  # fmt: skip
    lines = [f"*{_caption(rows)}*", ""]
    cells = [row.cells() for row in rows]
    headers = list(cells[0])
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for cell in cells:
        lines.append("| " + " | ".join(md_escape(cell[h]) for h in headers) + " |")
    return "\n".join(lines) + "\n"


def render_support(rows: Sequence[SupportRow], fmt: str) -> Iterator[str]:
    """Lines of ``ccm-graph support`` in ``fmt`` (see :data:`SUPPORT_FORMATS`).

    ``table`` and ``md`` are for people (worded cells, the window in the caption and the
    headings); ``json`` and ``csv`` carry the keys of :meth:`SupportRow.as_dict` (lists are
    joined with ``; `` in CSV).
    """
    from ..render import render

    if fmt not in SUPPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(SUPPORT_FORMATS)}")
    if fmt == "md":
        yield support_markdown(rows).rstrip("\n")
        return
    if fmt == "json":
        yield from render([r.as_dict() for r in rows], "json", SUPPORT_KEYS)
        return
    if fmt == "csv":
        flat = [{k: "; ".join(str(x) for x in v) if isinstance(v, list) else v
                 for k, v in r.as_dict().items()} for r in rows]  # fmt: skip
        yield from render(flat, "csv", SUPPORT_KEYS)
        return
    if not rows:
        yield ("No State Party with an open, extended or recently completed Article 3 or 4 "
               "obligation in the data.")  # fmt: skip
        return
    yield _caption(rows)
    yield from render([row.cells() for row in rows], "table")
