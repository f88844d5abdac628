"""Absences and deadlines said against what the data cover (issue #18 items 2 and 3), on the
tiny hand-made graph with fixture rows: a requested deadline, a funding coverage window."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from ccm_graph.analysis import GraphIndex, synergy_gaps
from ccm_graph.analysis._coverage import funding_coverage_words, funding_span_words
from ccm_graph.analysis.examples import tiny_dataset
from ccm_graph.analysis.gaps.urgency import deadline_words, obligation_urgency
from ccm_graph.analysis.support import support_markdown, support_rows
from ccm_graph.briefs.supporters import support_absence
from ccm_graph.coverage import coverage_from_json
from ccm_graph.dataset import Dataset, check_dataset
from ccm_graph.graph import build_graph
from ccm_graph.i18n import voice
from ccm_graph.metadata import DatasetInfo, reference_date

AS_OF = date(2026, 6, 1)  # B's deadline (2026-03-01) has passed; window 2023–2026
REQUEST = {"request_outcome": "not_recorded", "requested_deadline": "2030-03-01"}


def dataset(*, b: dict[str, object] | None = None, coverage: object = None,
            ask: dict[str, str] | None = None) -> Dataset:  # fmt: skip
    """The tiny dataset with B's obligation changed by ``b``, a coverage object, and each
    State's ``assistance_requested`` from ``ask``."""
    data = tiny_dataset()
    ask = ask or {}
    obligations = [
        dataclasses.replace(
            ob, **(b or {} if ob.state == "B" else {}),
            assistance_requested=ask.get(ob.state, ob.assistance_requested),
        )
        for ob in data.obligations
    ]  # fmt: skip
    data.obligations = obligations
    if coverage is not None:
        cov, problems = coverage_from_json(coverage)
        assert problems == []
        data.info = DatasetInfo(as_of="2026-02-27", coverage=cov, stated=True)
    assert check_dataset(data) == []
    return data


def test_a_passed_deadline_with_an_undecided_request_shows_the_requested_deadline() -> None:
    G = build_graph(dataset(b=REQUEST))
    index = GraphIndex.build(G, as_of=AS_OF)
    assert str(deadline_words(index, "ob-B-4")) == (
        "deadline 2026-03-01 passed; extension to 2030-03-01 requested in 2024, decision not "
        "recorded in the data"
    )
    [row] = [r for r in support_rows(G, as_of=AS_OF) if r.state == "B"]
    assert row.deadline_note == (
        "passed; extension to 2030-03-01 requested in 2024, decision not recorded in the data; "
        "synthetic"
    )
    assert "passed" not in row.deadline_note.split(";")[1]  # never "passed" alone


def test_a_pending_request_before_the_deadline_is_said_too() -> None:
    G = build_graph(dataset(b={"request_outcome": "pending", "requested_deadline": "2030-03-01"}))
    words = str(deadline_words(GraphIndex.build(G, as_of=date(2026, 1, 1)), "ob-B-4"))
    assert words == (
        "deadline 2026-03-01, in 59 days; extension to 2030-03-01 requested in 2024, awaiting a "
        "decision"
    )


def test_urgency_counts_against_the_requested_deadline_not_as_overdue() -> None:
    overdue, _ = obligation_urgency("2026-03-01", 2, AS_OF, requested="2024",
                                    outcome="not_recorded")  # fmt: skip
    asked, reasons = obligation_urgency("2026-03-01", 2, AS_OF, requested="2024",
                                        outcome="not_recorded",
                                        requested_deadline="2030-03-01")  # fmt: skip
    # overdue: 0.75 × 1 + 0.25 × 2/3; asked: 0.75 × (1 − 1369/1825) + 0.25 × 2/3
    assert overdue == 0.917
    assert asked == round(0.75 * (1 - 1369 / 1825) + 0.25 * 2 / 3, 3) == 0.354
    assert reasons[0].endswith("counted against the requested deadline")
    # a granted request's deadline is not in the data's way: no requested_deadline used
    granted, _ = obligation_urgency("2026-03-01", 2, AS_OF, requested="2024", outcome="granted",
                                    requested_deadline="2030-03-01")  # fmt: skip
    assert granted == overdue


def test_the_gap_level_follows_the_requested_deadline() -> None:
    def level(data: Dataset) -> str:
        gaps = synergy_gaps(build_graph(data), as_of=AS_OF, kinds=["obligation_coverage"])
        [gap] = [g for g in gaps if g.state == "B"]
        return gap.level

    assert level(dataset(b={"request_outcome": "not_recorded"})) == "high"
    assert level(dataset(b=REQUEST)) != "high"


def test_the_support_table_puts_states_that_asked_first_then_unknown_then_self_funded() -> None:
    # B is the more urgent; A asked for assistance, so A comes first
    G = build_graph(dataset(ask={"A": "requested", "B": "unknown"}))
    assert [r.state for r in support_rows(G, as_of=AS_OF)] == ["A", "B"]
    G = build_graph(dataset(ask={"A": "not_requested", "B": "unknown"}))
    assert [r.state for r in support_rows(G, as_of=AS_OF)] == ["B", "A"]
    assert "then those whose need is not recorded" in support_markdown(support_rows(G))


FUNDING = {"funding": {"recipients": {"A": {"from": 2020, "to": 2024}}}}


def test_an_absence_outside_the_coverage_is_said_as_not_known() -> None:
    G = build_graph(dataset(coverage=FUNDING))
    rows = {r.state: r for r in support_rows(G, as_of=AS_OF)}
    assert rows["A"].funding_covered_to == 2024
    assert (
        rows["A"].funding_coverage
        == "the funding data for State A run to 2024: 2025–2026 not known"
    )
    assert rows["B"].funding_covered_to is None
    assert (
        rows["B"].funding_coverage == "the years the funding data cover for State B are not stated"
    )
    cells = rows["B"].cells()
    assert cells["Funding 2023–2026"] == (
        "none recorded (the years the funding data cover for State B are not stated)"
    )
    [gap] = [g for g in synergy_gaps(G, as_of=AS_OF, kinds=["obligation_coverage"])
             if g.state == "B"]  # fmt: skip
    assert gap.summary.endswith(
        "no supporter and no funding recorded in 2023–2026; the years the funding data cover "
        "for State B are not stated"
    )


def test_data_without_coverage_read_as_before() -> None:
    G = build_graph(dataset())
    assert all(r.funding_coverage is None for r in support_rows(G, as_of=AS_OF))


def test_the_coverage_words_are_translated() -> None:
    G = build_graph(dataset(coverage=FUNDING, b=REQUEST))
    [row] = [r for r in support_rows(G, as_of=AS_OF) if r.state == "A"]
    assert row.coverage_words is not None
    fr = row.coverage_words.render(voice("fr"))
    es = row.coverage_words.render(voice("es"))
    assert "données de financement" in fr and "2024" in fr
    assert "datos de financiación" in es and "2024" in es


def test_one_date_rule_the_data_date_unless_asked() -> None:
    G = build_graph(dataset(coverage=FUNDING))
    assert GraphIndex.build(G).as_of == date(2026, 2, 27)
    assert GraphIndex.build(G, as_of="2026-06-01").as_of == AS_OF
    assert reference_date(None, None) == date.today()


def test_the_maps_period_filter_knows_where_the_funding_data_stop() -> None:
    from ccm_graph.maps.payload import map_payload

    def funding_to(data: Dataset) -> object:
        payload = map_payload(
            build_graph(data), highlights={}, layout="static", size_by="degree", seed=1,
            meta={}, restricted_included=False,
        )  # fmt: skip
        return payload["meta"]["fundingTo"]

    assert funding_to(dataset(coverage=FUNDING)) == 2024
    assert funding_to(dataset()) is None
    script = (Path(__file__).parents[2] / "ccm_graph/maps/assets/page.js").read_text("utf-8")
    assert "data.meta.fundingTo" in script and "(after the funding data)" in script


def test_the_briefs_obligation_table_shows_the_requested_deadline() -> None:
    from ccm_graph.briefs import brief_markdown, coalition_brief

    G = build_graph(dataset(b=REQUEST))
    text = brief_markdown(coalition_brief(G, "B", as_of=AS_OF))
    assert "2024 (to 2030-03-01; decision not recorded in the data)" in text
    assert "extension to 2030-03-01 requested in 2024, decision not recorded in the data" in text
    fr = brief_markdown(coalition_brief(G, "B", as_of=AS_OF, lang="fr"))
    assert "décision non enregistrée dans les données" in fr


def test_an_absence_of_support_is_said_against_the_coverage_in_every_cell() -> None:
    G = build_graph(dataset(coverage=FUNDING))
    [row] = [r for r in support_rows(G, as_of=AS_OF) if r.state == "B"]
    cells = row.cells()
    not_stated = "none recorded (the years the funding data cover for State B are not stated)"
    assert cells["Supporters 2023–2026"] == not_stated
    assert cells["Last support recorded"] == not_stated
    fr = row.cells(voice("fr"))
    assert fr["Supporters 2023–2026"].endswith("pour State B ne sont pas indiquées)")
    # data that state no coverage read as before
    [bare] = [r for r in support_rows(build_graph(dataset()), as_of=AS_OF) if r.state == "B"]
    assert bare.cells()["Supporters 2023–2026"] == "none recorded"


def test_the_funding_datas_years_in_words_per_state_and_at_most() -> None:
    index = GraphIndex.build(build_graph(dataset(coverage=FUNDING)), as_of=AS_OF)
    assert str(funding_coverage_words(index, "A")) == "the funding data for State A cover 2020–2024"
    assert str(funding_coverage_words(index, "B")) == (
        "the years the funding data cover for State B are not stated"
    )
    assert str(funding_span_words(index)) == "the funding data cover at most 2020–2024"
    sources = {
        "funding": {
            "sources": [{"id": "m", "from": 2012, "to": 2023}],
            "recipients": {"A": {"from": 2020, "to": 2022, "source": "m"}},
        }
    }
    index = GraphIndex.build(build_graph(dataset(coverage=sources)), as_of=AS_OF)
    assert str(funding_span_words(index)) == "the funding data cover at most 2012–2023"
    bare = GraphIndex.build(build_graph(dataset()), as_of=AS_OF)
    assert funding_coverage_words(bare, "A") is None and funding_span_words(bare) is None


def test_a_brief_without_support_says_the_window_and_the_coverage() -> None:
    index = GraphIndex.build(build_graph(dataset(coverage=FUNDING)), as_of=AS_OF)
    assert support_absence(index, "B", "en", all_years=False) == (
        "No support recorded in 2023–2026; the years the funding data cover for State B are "
        "not stated."
    )
    assert support_absence(index, "A", "en", all_years=True) == (
        "No funding or support recorded; the funding data for State A cover 2020–2024."
    )
    french = support_absence(index, "A", "fr", all_years=False)
    assert french.replace("\u202f", " ").replace("\u00a0", " ") == (  # French spacing
        "Aucun appui enregistré en 2023–2026 ; les données de financement pour State A "
        "s'arrêtent en 2024 : rien n'est connu pour 2025–2026."
    )
    bare = GraphIndex.build(build_graph(dataset()), as_of=AS_OF)
    assert support_absence(bare, "B", "es", all_years=True) == (
        "No hay financiación ni apoyo registrados en ningún año."
    )


def test_no_coalition_is_dated_at_the_reference_date() -> None:
    [gap] = [g for g in synergy_gaps(build_graph(dataset()), as_of=AS_OF,
                                     kinds=["obligation_coverage"]) if g.state == "B"]  # fmt: skip
    assert "no coalition as of 2026-06-01" in gap.evidence
    assert "no coalition" not in gap.evidence
