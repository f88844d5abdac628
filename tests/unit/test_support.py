"""The support table on small hand-made graphs (answers worked out by hand) and on the seed."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date

import pytest

from ccm_graph.analysis import GraphIndex, obligation_coverage
from ccm_graph.analysis.examples import tiny_dataset
from ccm_graph.analysis.support import (
    SUPPORT_KEYS,
    Funding,
    render_support,
    support_markdown,
    support_row_for,
    support_rows,
    window_support,
)
from ccm_graph.dataset import Dataset, check_dataset, read_seed
from ccm_graph.errors import UnknownRecord
from ccm_graph.graph import build_graph
from ccm_graph.schema import Actor, Obligation, Relation

from ..conftest import SHIPPED_SEED

AS_OF = date(2026, 1, 1)  # window 2023–2026
S = "test"


def graph_with(*, actors=(), obligations=(), relations=(), replace=None):
    base = tiny_dataset()
    obs = [*base.obligations, *obligations]
    if replace:
        obs = [dataclasses.replace(o, **replace.get(o.id, {})) for o in obs]
    data = Dataset(actors=[*base.actors, *actors], obligations=obs,
                   coalitions=base.coalitions, activities=base.activities,
                   relations=[*base.relations, *relations])  # fmt: skip
    assert check_dataset(data) == []
    return build_graph(data)


def rows_by_state(graph, **kwargs):
    return {r.state: r for r in support_rows(graph, as_of=AS_OF, **kwargs)}


def test_tiny_graph_rows_by_hand() -> None:
    rows = support_rows(graph_with(), as_of=AS_OF)
    assert [r.state for r in rows] == ["B", "A"]  # B: deadline in 59 days, two extensions
    b, a = rows
    assert (b.deadline, b.days_to_deadline, b.deadline_note) == (
        "2026-03-01",
        59,
        "in 59 days; synthetic",
    )
    assert (b.latest_extension_request, b.supporters, b.funding) == ("2024", (), "none recorded")
    assert b.last_support_year is None and b.coalition is None
    assert a.supporters == ("D",) and a.supporter_names == ("Donor D",)
    assert (a.funding_usd, a.funding_grants, a.funding) == (1_000_000, 1, "USD 1,000,000")
    assert a.operators == ("op",) and (a.coalition, a.coalition_status) == ("coal-A", "active")
    assert a.window == "2023–2026" and (a.window_start, a.window_end) == (2023, 2026)
    assert b.assistance_requested == "unknown"


def test_unknown_amounts_are_counted_never_added_as_zero() -> None:
    graph = graph_with(relations=[
        Relation("D", "FUNDS", "B", year=2024, source=S),
        Relation("op", "FUNDS", "B", year=2025, amount_usd=500, source=S),
    ])  # fmt: skip
    b = rows_by_state(graph)["B"]
    assert (b.funding_usd, b.funding_grants, b.funding_unknown_amounts) == (500, 2, 1)
    assert b.funding == "USD 500 + 1 grant of unknown amount"
    only_unknown = rows_by_state(graph_with(relations=[
        Relation("D", "FUNDS", "B", year=2024, source=S)]))["B"]  # fmt: skip
    assert only_unknown.funding_usd is None and only_unknown.funding == "1 grant of unknown amount"
    assert Funding(1_200_000, 1, 3).text() == "USD 1,200,000 + 3 grants of unknown amount"


def test_a_supports_row_repeating_a_grant_is_counted_once() -> None:
    funds = Relation("D", "FUNDS", "B", year=2024, source=S)  # amount only on the SUPPORTS row
    supports = Relation("D", "SUPPORTS", "ob-B-4", "financial", 2024, 700, source=S)
    other_year = Relation("D", "SUPPORTS", "ob-B-4", "financial", 2025, source=S)
    b = rows_by_state(graph_with(relations=[funds, supports, other_year]))["B"]
    assert (b.funding_usd, b.funding_grants, b.funding_unknown_amounts) == (700, 2, 1)
    assert b.supporters == ("D",)


def test_national_funding_is_support_but_not_a_partner() -> None:
    own = Relation("B", "SUPPORTS", "ob-B-4", "financial", 2025, 1000, purpose="national funding",
                   source=S)  # fmt: skip
    no_ask = {"ob-B-4": {"assistance_requested": "not_requested"}}
    b = rows_by_state(graph_with(relations=[own], replace=no_ask))["B"]
    assert b.supporters == () and b.funding == "none recorded"
    assert b.national_funding_years == (2025,) and b.last_support_year == 2025
    assert b.assistance_requested == "not_requested"
    assert b.cells()["Last support recorded"] == "2025 (national funding 2025)"


def test_window_bounds_and_undated_rows() -> None:
    old = Relation("D", "FUNDS", "B", year=2022, amount_usd=9, source=S)  # before 2023
    undated = Relation("op", "SUPPORTS", "ob-B-4", "technical", source=S)
    b = rows_by_state(graph_with(relations=[old, undated]))["B"]
    assert b.supporters == () and b.last_support_year == 2022
    wider = rows_by_state(graph_with(relations=[old]), window_years=4)["B"]
    assert wider.supporters == ("D",) and wider.window == "2022–2026"


def test_completed_in_the_window_is_listed_last_and_older_completions_not() -> None:
    done = [
        Obligation("ob-D-3", "D", 3, "2024-01-01", "completed", completed="2023-05", source=S),
        Obligation("ob-op-state", "A", 3, "2019-01-01", "completed", completed="2018", source=S),
    ]
    rows = support_rows(graph_with(obligations=done), as_of=AS_OF)
    assert [r.state for r in rows] == ["B", "A", "D"]
    d = rows[-1]
    assert (d.status, d.deadline_note, d.articles) == ("completed", "completed 2023-05", (3,))
    assert rows[1].articles == (4,)  # A's Article 3 completed in 2018, before the window


def test_passed_deadline_with_a_request_not_decided_in_the_data() -> None:
    graph = graph_with(replace={"ob-B-4": {"deadline": "2025-08-01",
                                           "request_outcome": "not_recorded"}})  # fmt: skip
    b = rows_by_state(graph)["B"]
    assert b.days_to_deadline == -153
    # the example's rows say they are synthetic: the note says so too
    assert b.deadline_note == "passed; outcome of the 2024 request not recorded; synthetic"
    assert b.cells()["Latest extension request"] == "2024 (outcome not recorded)"


def test_support_row_for_one_state() -> None:
    graph = graph_with()
    assert support_row_for(graph, "A", as_of=AS_OF) == rows_by_state(graph)["A"]
    assert support_row_for(graph, "D", as_of=AS_OF) is None  # no time-bound obligation
    with pytest.raises(UnknownRecord, match="did you mean 'A'"):
        support_row_for(graph, "AA", as_of=AS_OF)


def test_markdown_names_the_window_and_escapes_pipes() -> None:
    graph = graph_with(actors=[Actor("X", "state", "Pipe | State", "XXX", "africa", "state_party",
                                     "state_party", source=S)],
                       obligations=[Obligation("ob-X-4", "X", 4, "2027-01-01", "open",
                                               source=S)])  # fmt: skip
    text = support_markdown(support_rows(graph, as_of=AS_OF))
    lines = text.splitlines()
    assert "as of 2026-01-01" in lines[0] and "2023–2026" in lines[0]
    assert lines[2].startswith("| State | Article | Deadline |")
    assert "| Pipe \\| State (X) |" in text
    cells = {len(re.split(r"(?<!\\)\|", line)) for line in lines[2:]}
    assert cells == {13}  # 11 columns between 12 unescaped pipes, on every line


def test_json_has_the_documented_keys() -> None:
    [line] = list(render_support(support_rows(graph_with(), as_of=AS_OF), "json"))
    records = json.loads(line)
    assert all(tuple(r) == SUPPORT_KEYS for r in records)
    assert records[1]["supporters"] == ["D"]


# --- the shipped seed -------------------------------------------------------------------------

SEED_AS_OF = date(2026, 2, 27)  # the seed's own as-of date


@pytest.fixture(scope="module")
def seed_graph():
    return build_graph(read_seed(SHIPPED_SEED).without_restricted())


def test_seed_support_table(seed_graph) -> None:
    rows = {r.state: r for r in support_rows(seed_graph, as_of=SEED_AS_OF)}
    assert {"LAO", "LBN", "IRQ", "AFG", "TCD", "SOM", "SSD", "MRT", "CHL", "DEU"} <= set(rows)
    assert "MNE" not in rows  # completed in 2020, before the window
    assert rows["BIH"].status == "completed"
    lao = rows["LAO"]
    # Nine donors' 2023 grants: the financial SUPPORTS rows repeat the FUNDS rows
    assert lao.funding_grants == 9 and lao.funding_usd == 49_253_453
    assert lao.deadline_note == "passed; outcome of the 2024 request not recorded"
    assert lao.assistance_requested == "requested"
    for state in ("DEU", "CHL"):  # they fund their own clearance
        assert rows[state].supporters == () and rows[state].national_funding_years
        assert rows[state].assistance_requested == "not_requested"
    assert "unmas" in rows["AFG"].operators


def test_seed_rows_and_coverage_name_the_same_supporters(seed_graph) -> None:
    index = GraphIndex.build(seed_graph, as_of=SEED_AS_OF)
    rows = {r.state: r for r in support_rows(seed_graph, index=index)}
    for gap in obligation_coverage(seed_graph, index=index):
        ob, state = gap.subjects[:2]
        assert window_support(index, state, [ob]).supporters == rows[state].supporters
