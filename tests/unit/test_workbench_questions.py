"""The Questions pages and the diff page without Neo4j: each named query's parameters get a
kind from their example and note, and what a form sends is checked by it; served from a seed
folder, the pages list the questions, say how to serve a database and offer no form; the
history offers its snapshots by name, refuses any other, and says what changed with names,
restricted records left out unless the viewer may see them."""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.keeping import find_record, full_dataset, replace_record, save_dataset
from ccm_graph.keeping.comparing import CURRENT, UnknownSnapshot, compare_snapshots
from ccm_graph.names import NameIndex
from ccm_graph.query_library import NamedQuery, QueryParam, load_queries
from ccm_graph.query_params import (
    AMBIGUOUS,
    REQUIRED,
    ParamKind,
    check_values,
    param_kind,
    record_kinds,
)
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench import create_app
from ccm_graph.workbench.web import Viewer

from ..conftest import SMALL_SEED

with warnings.catch_warnings():  # Starlette asks for httpx2; httpx is what the package index has
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SHIPPED_KINDS = {
    ("apmbc-committee-outside-ccm", "apmbc_committee_forum"): ParamKind.RECORD,
    ("apmbc-committee-outside-ccm", "ccm_prefix"): ParamKind.TEXT,
    ("coalitions-missing-role", "role"): ParamKind.TEXT,
    ("extension-requests-since", "since"): ParamKind.YEAR_OR_DATE,
    ("forum-members", "forum"): ParamKind.RECORD,
    ("funding-by-donor", "from_year"): ParamKind.YEAR,
    ("masg-footprint", "since_year"): ParamKind.YEAR,
    ("masg-footprint", "as_of"): ParamKind.DATE,
    ("masg-footprint", "masg_forum"): ParamKind.RECORD,
    ("obligations-due-before", "before"): ParamKind.DATE,
    ("shortest-connection", "from"): ParamKind.RECORD,
    ("shortest-connection", "to"): ParamKind.RECORD,
    ("state-profile", "state"): ParamKind.RECORD,
    ("supporters-of-state", "state"): ParamKind.RECORD,
    ("work-plan-timeline", "from"): ParamKind.YEAR_OR_DATE,
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def _query(*params: QueryParam) -> NamedQuery:
    return NamedQuery("q", "a question", params, "RETURN 1", Path("q.cypher"), True)


def test_every_shipped_parameter_has_the_kind_its_example_and_note_say() -> None:
    found = {(q.name, p.name): param_kind(p)
             for q in load_queries().values() for p in q.user_params}  # fmt: skip
    assert found == SHIPPED_KINDS


@pytest.mark.parametrize(
    ("example", "note", "kind"),
    [
        ("true", "", ParamKind.BOOLEAN),
        ("3", "how many", ParamKind.INTEGER),
        ("2.5", "", ParamKind.NUMBER),
        ('["LAO","LBN"]', "ids", ParamKind.LIST),
        ('"2024"', "a year", ParamKind.TEXT),  # a year as text, no date: taken as written
        ('"x"', "ids start with it", ParamKind.TEXT),
        ("{bad", "", ParamKind.TEXT),
    ],
)
def test_the_kind_of_other_examples(example: str, note: str, kind: ParamKind) -> None:
    assert param_kind(QueryParam("p", example, note)) is kind


@pytest.mark.parametrize(
    ("example", "note", "sent", "value"),
    [
        ('"2026-09-14"', "a date", " 2026-01-31 ", "2026-01-31"),
        ('"2024"', "a year or date", "2024-05", "2024-05"),
        ("2022", "a year", "2023", 2023),
        ("3", "", "-4", -4),
        ("2.5", "", "7", 7),
        ("true", "", "FALSE", False),
        ('["a"]', "", "LAO, 3", ["LAO", 3]),
        ('"x"', "", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),  # text stays text
    ],
)
def test_a_value_of_the_right_form_is_taken_as_its_kind_holds_it(
    example: str, note: str, sent: str, value: Any
) -> None:
    check = check_values(_query(QueryParam("p", example, note)), {"p": sent})
    assert check.ok and check.values == {"p": value}


@pytest.mark.parametrize(
    ("example", "note", "sent", "problem"),
    [
        ('"2026-09-14"', "a date", "14/09/2026", "Give a date as YYYY-MM-DD."),
        ('"2026-09-14"', "a date", "2026-02-30", "Give a date as YYYY-MM-DD."),
        ('"2026-09-14"', "a date", "2026", "Give a date as YYYY-MM-DD."),
        ('"2024"', "a year or date", "May 2024", "Give a year or a date"),
        ("2022", "a year", "22", "Give a year as YYYY"),
        ("2022", "a year", "3000", "Give a year as YYYY"),
        ("3", "", "3.5", "Give a whole number"),
        ("3", "", "1" + "0" * 30, "Give a whole number"),
        ("2.5", "", "nan", "Give a number"),
        ("true", "", "maybe", "Choose yes or no."),
        ('["a"]', "", "a,,b", "Give one or more values"),
        ('"x"', "", "x" * 201, "Give a text on one line"),
        ('"x"', "", "two\nlines", "Give a text on one line"),
    ],
)
def test_a_value_of_the_wrong_form_is_a_problem_of_its_field(
    example: str, note: str, sent: str, problem: str
) -> None:
    check = check_values(_query(QueryParam("p", example, note)), {"p": sent})
    assert not check.ok and check.values == {}
    assert check.problems["p"].startswith(problem)


def test_blank_fields_data_parameters_and_include_restricted() -> None:
    query = _query(QueryParam("before", '"2026-09-14"', "a date"),
                   QueryParam("masg_forum", '"masg"', "the MASG forum's id"),
                   QueryParam("include_restricted", "false"))  # fmt: skip
    check = check_values(query, {"before": " ", "masg_forum": "", "include_restricted": "true"})
    assert check.problems == {"before": REQUIRED}  # the data fill masg_forum
    check = check_values(query, {"before": "2026-01-01", "include_restricted": "true"})
    assert check.values == {"before": "2026-01-01"}  # never taken from the form


def test_a_record_is_found_by_id_name_or_alias_of_the_kind_the_note_names() -> None:
    names = NameIndex(
        {"LAO": "Lao PDR", "TCD": "Chad", "masg": "MASG", "coal-x": "Chad coalition",
         "halo": "HALO"},
        {"TCD": ["fr:Tchad"]},
        {"LAO": "state", "TCD": "state", "masg": "forum", "coal-x": "coalition",
         "halo": "operator"},
    )  # fmt: skip
    state = QueryParam("state", '"LBN"', "a State id")
    forum = QueryParam("forum", '"masg"', "a forum or coalition id")
    assert record_kinds(state) == {"state"} and record_kinds(forum) == {"forum", "coalition"}
    query = _query(state, forum)
    assert check_values(query, {"state": "tchad", "forum": "Chad coalition"}, names).values == {
        "state": "TCD", "forum": "coal-x"}  # fmt: skip
    wrong = check_values(query, {"state": "halo", "forum": "Lao PDR"}, names)
    assert set(wrong.problems) == {"state", "forum"}  # an operator is no State
    assert wrong.problems["state"] == "Nothing in the data has this id, name or alias."
    typo = check_values(query, {"state": "Chadd", "forum": "masg"}, names)
    assert "TCD" in typo.suggestions["state"] or "Chad" in typo.suggestions["state"]
    two = NameIndex({"A": "Same", "B": "Same"}, {}, {"A": "state", "B": "state"})
    both = check_values(_query(state), {"state": "same"}, two)
    assert both.problems == {"state": AMBIGUOUS} and both.suggestions == {"state": ["A", "B"]}
    assert check_values(query, {"state": "anything", "forum": "x"}).ok  # no index: text


# --- the pages, served from a seed folder ---------------------------------------------------


def client(path: Path, viewer: Viewer | None = None) -> TestClient:
    app = create_app(DataSource.at(path))
    if viewer is None:
        return TestClient(app)

    async def as_viewer(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})["viewer"] = viewer
        await app(scope, receive, send)

    return TestClient(as_viewer)


def test_served_from_a_folder_the_questions_are_listed_with_no_form() -> None:
    c = client(SMALL_SEED)
    listed = c.get("/questions")
    assert listed.status_code == 200
    assert "ccm-graph serve --from neo4j" in listed.text
    for query in load_queries().values():
        assert query.name in listed.text and f'href="/questions/{query.name}' not in listed.text
    one = c.get("/questions/obligations-due-before?before=2026-01-01")
    assert one.status_code == 200 and "ccm-graph serve --from neo4j" in one.text
    assert '<form method="get" action="/questions' not in one.text
    assert "a date, YYYY-MM-DD" in one.text  # its parameters are still described
    assert c.get("/questions/obligations-due-before.csv?before=2026-01-01").status_code == 404
    for name in ("no-such-question", "..%2F..%2Fetc%2Fpasswd", "obligations-due-before.txt"):
        assert c.get(f"/questions/{name}").status_code == 404, name
    french = c.get("/questions?lang=fr").text
    assert "Questions are answered" not in french and "ccm-graph serve --from neo4j" in french


# --- the diff of two snapshots ---------------------------------------------------------------


def _two_changes(seed: Path, snapshots: Path) -> list[str]:
    """Two saves to ``seed`` (a public deadline, then a restricted donor's name and the same
    deadline again); the snapshots they wrote, oldest first."""
    source = DataSource.at(seed)

    def deadline(value: str) -> Any:
        def change(current: Any) -> Any:
            old = find_record(current, "obligation", "ob-LAO-4")
            return replace_record(current, "obligation", old,
                                  dataclasses.replace(old, deadline=value))  # fmt: skip

        return change

    def secret(current: Any) -> Any:
        old = find_record(current, "actor", "secretdonor")
        renamed = replace_record(current, "actor", old,
                                 dataclasses.replace(old, name="Very Secret Donor"))  # fmt: skip
        return deadline("2031-08-01")(renamed)

    first = save_dataset(source, deadline("2030-08-01"), expected=None, summary="one",
                         by="tester", snapshots_dir=snapshots)  # fmt: skip
    second = save_dataset(source, secret, expected=None, summary="two", by="tester",
                          snapshots_dir=snapshots)  # fmt: skip
    assert full_dataset(source).actors  # still readable
    return [str(first.snapshot), str(second.snapshot)]


def test_the_history_offers_snapshots_by_name_and_says_what_changed(small_seed: Path) -> None:
    snapshots = small_seed.parent / "snapshots"  # where the workbench's saves put them
    first, second = (Path(p).name for p in _two_changes(small_seed, snapshots))
    c = client(small_seed)
    history = c.get("/history").text
    assert f'<option value="{first}"' in history and f'<option value="{second}"' in history
    assert f"/history/diff?from={first}&amp;to={second}" in history  # first change
    # the newest change renamed a restricted record too: its line is for confidential eyes
    assert f"/history/diff?from={second}&amp;to=current" not in history
    shown = client(small_seed, Viewer("chen", "confidential")).get("/history").text
    assert f"/history/diff?from={second}&amp;to=current" in shown
    page = c.get(f"/history/diff?from={first}&to={second}")
    assert page.status_code == 200
    assert "2025-08-01 → 2030-08-01" in page.text and "Lao PDR" in page.text
    now = c.get(f"/history/diff?from={first}&to=current&lang=fr")
    assert "1er août 2025 → 1er août 2031" in now.text and '<html lang="fr">' in now.text
    assert "les données actuelles" in now.text
    for text in ("secretdonor", "Secret Donor"):
        assert text not in page.text + now.text
    allowed = client(small_seed, Viewer("c", "confidential"))
    assert "Very Secret Donor" in allowed.get(f"/history/diff?from={first}&to=current").text
    nothing = c.get(f"/history/diff?from={second}&to={second}").text
    assert "Nothing changed." in nothing


@pytest.mark.parametrize(
    "query",
    ["from=../seed&to=current", "from=%2Fetc&to=current", "from=snapshot-x&to=current",
     "from=current&to=..%2Fsnapshots", "to=current", "from=history.jsonl&to=current"],
)  # fmt: skip
def test_a_name_that_is_not_a_snapshot_is_refused(small_seed: Path, query: str) -> None:
    _two_changes(small_seed, small_seed.parent / "snapshots")
    response = client(small_seed).get(f"/history/diff?{query}")
    assert response.status_code == 404
    assert "There is no such page or record here." in response.text


def test_compare_snapshots_reads_only_the_snapshots_listed(small_seed: Path) -> None:
    snapshots = small_seed.parent / "snapshots"
    first, _ = _two_changes(small_seed, snapshots)
    source = DataSource.at(small_seed)
    diff = compare_snapshots(source, Path(first).name, CURRENT, as_of=date(2026, 1, 1))
    assert [(c.kind, c.key) for c in diff.records] == [("obligation", "ob-LAO-4")]
    both = compare_snapshots(source, Path(first).name, CURRENT, as_of=date(2026, 1, 1),
                             include_restricted=True)  # fmt: skip
    assert {c.key for c in both.records} == {"ob-LAO-4", "secretdonor"}
    with pytest.raises(UnknownSnapshot):
        compare_snapshots(source, first, CURRENT, as_of=date(2026, 1, 1))  # a path, not a name
    assert re.fullmatch(r"snapshot-\d{8}T\d{6}Z(-\d+)?", Path(first).name)
