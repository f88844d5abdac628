"""The loader's faster paths give exactly what the code they replaced gave.

Each speed-up of the shared-store issue's part 8 (docs/performance.md) changed how something
is computed, not what: the value checks (a dispatch table instead of a chain of comparisons,
a regular expression instead of a per-character loop), the load stamp (one shared JSON
encoder), the set of checked records (by identity) and the rows (made in a background thread
while earlier batches are written). The reference implementations below are the replaced code.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import threading
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_graph import values
from ccm_graph.bookkeeping import BOOKKEEPING, content_hash
from ccm_graph.dataset import (
    CHECKED_RECORDS,
    CheckedRecords,
    Dataset,
    ValueChecker,
    check_values,
    read_seed,
)
from ccm_graph.errors import Problem
from ccm_graph.schema import RELATIONS_TABLE, TABLES, Actor, Column, ColumnType, Relation
from ccm_graph.store.batches import RowBuilder, load_batches, load_plan
from ccm_graph.values import ValueProblem, check_value

from ..conftest import SHIPPED_SEED, SMALL_SEED


def reference_check_value(column: Column, value: Any) -> Any:
    """``check_value`` as it was before the dispatch table (commit f17c8d4, with the area
    column type that landed beside it)."""
    if value is None:
        return None
    kind = column.type
    if kind in (ColumnType.YEAR, ColumnType.COUNT, ColumnType.ARTICLE):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueProblem(f"{values._show(value)} is not a whole number")
        if kind is ColumnType.YEAR:
            return values._year(value)
        if kind is ColumnType.COUNT:
            return values._count(value)
        return values._choice(value, column.choices)
    if kind is ColumnType.AMOUNT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem(f"{values._show(value)} is not an amount in US dollars")
        return values._amount(value)
    if kind is ColumnType.AREA:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem(f"{values._show(value)} is not an area in square kilometres")
        return values._area(value)
    if not isinstance(value, str):
        raise ValueProblem(f"{values._show(value)} is not text")
    if kind is ColumnType.TEXT:
        return reference_text(value) if value.strip() else None
    if kind is ColumnType.NAME:  # came after the chain (issue 22): text on one line, no bidi
        return values._name(value) if value.strip() else None
    value = value.strip()
    if not value:
        return None
    if kind in (ColumnType.ID, ColumnType.REF):
        return values.normalise_id(value)
    if kind is ColumnType.ENUM:
        return values._choice(value, column.choices)
    if kind is ColumnType.ISO3:
        if not values._ISO3.fullmatch(value):
            raise ValueProblem(
                f"{values._show(value)} is not an ISO 3166 alpha-3 code (three capital letters)"
            )
        return value
    if kind is ColumnType.DATE:
        if not values._valid_date(value, full=True):
            raise ValueProblem(f"{values._show(value)} is not a date in the form YYYY-MM-DD")
        return value
    if kind is ColumnType.PARTIAL_DATE:
        if not values._valid_date(value, full=False):
            raise ValueProblem(f"{values._show(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return value
    if kind is ColumnType.WHEN:
        if (values._QUARTER.fullmatch(value) and int(value[:4]) in values._YEARS) or (
            values._valid_date(value, full=False)
        ):
            return value
        raise ValueProblem(
            f"{values._show(value)} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)"
        )
    if kind is ColumnType.NAME_LIST:
        return values._list(value, values._alias)
    if kind is ColumnType.LANGUAGE_LIST:
        return values._list(value, values._language)
    if kind is ColumnType.MEETING_LIST:
        return values._list(value, values._meeting)
    raise AssertionError(f"unhandled column type {kind}")


def reference_text(value: str) -> str:
    """``values._text`` as it was (a per-character loop for surrogates)."""
    match = values._TEXT_CONTROL.search(value)
    if match:
        raise ValueProblem(f"contains a control character (U+{ord(match.group()):04X})")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueProblem("contains an unpaired surrogate (not valid Unicode text)")
    if len(value) > values.MAX_TEXT_LENGTH:
        raise ValueProblem(
            f"is {len(value):,} characters long (at most {values.MAX_TEXT_LENGTH:,})"
        )
    return value


def reference_content_hash(props: dict[str, Any]) -> str:
    """``content_hash`` as it was: ``json.dumps`` built its encoder on every call."""
    data = {k: v for k, v in props.items() if k not in BOOKKEEPING}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def outcome(check: Any, column: Column, value: Any) -> tuple[str, Any]:
    try:
        result = check(column, value)
    except ValueProblem as exc:
        return "refused", str(exc)
    return "value", (type(result), result)


COLUMNS = sorted(
    {f.metadata["column"] for spec in TABLES for f in spec.record.__dataclass_fields__.values()},
    key=repr,
)
"""Every column of the schema (types with their choices), and one bare column of each type
the old chain knew (the UTC time of neo4j-stamps.csv came after it: tests/unit/test_stamps.py)."""
COLUMNS += [Column(kind) for kind in ColumnType if kind is not ColumnType.TIMESTAMP]

typed_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=1890, max_value=2110),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet=st.characters(categories=["Nd", "Cf", "Zs", "Cc", "Cs", "Lu"])),
    st.sampled_from([" 2024-Q2 ", "2024-02-30", "LAO", " fr:Laos; Laos ", "11MSP;2RC",
                     "en;fr", "caf\u0065\u0301", "a\ud800b", "x" * 201, "proposed", "CCM"]),
    st.lists(st.text(max_size=3), max_size=2),
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(column=st.sampled_from(COLUMNS), value=typed_values)
def test_value_checks_give_what_the_old_chain_gave(column: Column, value: Any) -> None:
    assert outcome(check_value, column, value) == outcome(reference_check_value, column, value)


def test_every_column_type_has_its_check() -> None:
    assert set(values._CHECKS) == set(ColumnType)


@settings(max_examples=300, deadline=None)
@given(
    props=st.dictionaries(
        st.one_of(st.text(max_size=8), st.sampled_from(sorted(BOOKKEEPING))),
        st.one_of(
            st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
            st.floats(allow_nan=False), st.text(), st.lists(st.text(max_size=4), max_size=3),
        ),
        max_size=8,
    )
)  # fmt: skip
def test_load_stamps_are_unchanged(props: dict[str, Any]) -> None:
    # stamps written by earlier versions must still match, or load --sync would take every
    # stored record for one edited in Neo4j
    assert content_hash(props) == reference_content_hash(props)


def test_a_known_stamp_keeps_its_value() -> None:
    # computed with the code of commit f17c8d4, before the shared encoder
    props = {
        "id": "LAO",
        "name": "Lao PDR",
        "amount_usd": 1.5e16,
        "note": "é\u2028",
        "_loaded": "x",
    }
    assert content_hash(props) == reference_content_hash(props) == "c4adc3c31e9a29a905d47007"


def test_checked_records_are_known_by_identity_and_forgotten_when_gone() -> None:
    checked = CheckedRecords()
    record = Actor("LAO", "state", "Lao PDR", source="test")
    twin = Actor("LAO", "state", "Lao PDR", source="test")
    checked.add(record)
    assert record in checked
    assert twin not in checked  # equal, but not the record that was checked
    assert len(checked) == 1
    del record
    gc.collect()
    assert len(checked) == 0


def test_records_from_the_reader_are_not_checked_twice() -> None:
    dataset = read_seed(SMALL_SEED)
    again, problems = check_values(dataset)
    assert problems == []
    assert all(a is b for a, b in zip(again.actors, dataset.actors, strict=True))


def test_rows_made_in_the_background_are_the_rows_of_the_plan() -> None:
    dataset = read_seed(SHIPPED_SEED)
    whole = {query: rows for query, rows in load_plan(dataset)}
    problems: list[Problem] = []
    builder = RowBuilder(load_batches(dataset, fresh=False, batch_size=7, problems=problems))
    try:
        first = list(builder)
        assert problems == []
        assert all(len(batch) <= 7 for _, batch in first)
        # the batches of each statement, joined, are that statement's rows in file order
        joined: dict[str, list[dict[str, Any]]] = {}
        for query, batch in first:
            joined.setdefault(query, []).extend(batch)
        assert joined == whole
        # iterating again (the driver retried the transaction) gives the same batches
        second = list(builder)
        assert [id(batch) for _, batch in second] == [id(batch) for _, batch in first]
    finally:
        builder.close()


def test_the_plan_writes_nodes_before_the_relations_that_need_them() -> None:
    dataset = read_seed(SHIPPED_SEED)
    queries = [query for query, _ in load_batches(dataset, fresh=True, batch_size=5,
                                                   problems=[])]  # fmt: skip
    first_edge = next(i for i, q in enumerate(queries) if ")-[" in q)
    assert all("CREATE (n:" in q for q in queries[:first_edge])
    assert not any("CREATE (n:" in q for q in queries[first_edge:])


def test_a_problem_stops_the_rows_and_every_problem_is_found() -> None:
    dataset = read_seed(SMALL_SEED)
    relations = list(dataset.relations)
    # a bad year early on, and an unknown id near the end (a check across records)
    relations[1] = dataclasses.replace(relations[1], since="199x")
    relations[-1] = dataclasses.replace(relations[-1], to_id="NOWHERE")
    broken = dataclasses.replace(dataset, relations=relations)
    problems: list[Problem] = []
    batches = list(load_batches(broken, fresh=True, batch_size=1, problems=problems))
    messages = [p.message for p in problems]
    assert any("since" in m for m in messages), messages
    assert any("unknown id 'NOWHERE'" in m for m in messages), messages
    # nodes and the first relation were sent; nothing after the bad year
    assert sum(1 for q, _ in batches if ")-[r:" in q) == 1


def test_a_duplicate_id_sends_no_row() -> None:
    dataset = read_seed(SMALL_SEED)
    twin = dataclasses.replace(dataset.actors[0])
    broken = dataclasses.replace(dataset, actors=[*dataset.actors, twin])
    problems: list[Problem] = []
    assert list(load_batches(broken, fresh=True, batch_size=3, problems=problems)) == []
    assert [p.message for p in problems if "duplicate id" in p.message]


def _batches_of(records: list[Any], make: Any, size: int) -> Any:
    for i in range(0, len(records), size):
        yield "Q", [make(record) for record in records[i : i + size]]


def test_a_failure_while_making_rows_reaches_the_writer() -> None:
    def broken(record: Any) -> dict[str, Any]:
        if record == 3:
            raise RuntimeError("cannot make this row")
        return {"n": record}

    builder = RowBuilder(_batches_of(list(range(10)), broken, 2))
    try:
        seen = []
        with pytest.raises(RuntimeError, match="cannot make this row"):
            for _, batch in builder:
                seen.append(batch)
        assert seen == [[{"n": 0}, {"n": 1}]]
    finally:
        builder.close()


def test_closing_stops_the_row_maker() -> None:
    release = threading.Event()

    def slow(record: Any) -> dict[str, Any]:
        if record == 1:
            release.wait(5)
        return {"n": record}

    builder = RowBuilder(_batches_of(list(range(1000)), slow, 1))
    assert next(iter(builder)) == ("Q", [{"n": 0}])
    closer = threading.Thread(target=builder.close)
    closer.start()  # the load failed: close() while the row maker is busy with record 1
    time.sleep(0.2)
    release.set()
    closer.join(5)
    assert not builder._thread.is_alive()
    assert len(builder._batches) == 1  # it stopped instead of making the other 999


def test_remembered_checks_keep_equal_values_of_other_types_apart() -> None:
    # 1, 1.0 and True are equal and hash alike: a check remembered for one must not answer
    # for another (True is refused, 1.0 stays a float)
    funds = next(r for r in read_seed(SMALL_SEED).relations if r.amount_usd is not None)
    amounts = [1, 1.0, True, 1, 1.0, True]
    rows = [dataclasses.replace(funds, amount_usd=a, notes=f"r{i}") for i, a in enumerate(amounts)]
    together, problems = check_values(Dataset(relations=rows))
    assert [type(r.amount_usd) for r in together.relations] == [int, float, bool] * 2
    assert [p.message.split(": ", 1)[1] for p in problems] == [
        "amount_usd: True is not an amount in US dollars"
    ] * 2
    one_by_one = [check_values(Dataset(relations=[r])) for r in rows]
    assert together.relations == [checked.relations[0] for checked, _ in one_by_one]
    assert problems == [p for _, found in one_by_one for p in found]


def test_a_checker_that_does_not_remember_gives_what_check_values_gives() -> None:
    # Store.load checks records it does not keep: same records and problems, none remembered
    dataset = read_seed(SMALL_SEED)
    fresh = Dataset(
        actors=[dataclasses.replace(a) for a in dataset.actors],
        relations=[dataclasses.replace(r, year="2024") if r.year else dataclasses.replace(r)
                   for r in dataset.relations],
    )  # fmt: skip
    before = len(CHECKED_RECORDS)
    checker = ValueChecker(remember=False)
    actors = [checker.checker(TABLES[0])(a) for a in fresh.actors]
    relations = [checker.checker(RELATIONS_TABLE)(r) for r in fresh.relations]
    assert len(CHECKED_RECORDS) == before
    expected, problems = check_values(fresh)
    assert (actors, relations) == (expected.actors, expected.relations)
    assert checker.problems == problems
    assert problems and all(": year: " in p.message for p in problems)  # a year as text


def test_a_relationship_is_created_with_every_property_a_relation_row_can_have() -> None:
    """The map in the CREATE pattern (no ``SET r = row.props``, which Neo4j plans behind an
    Eager) names every property ``relation_properties`` can give, so none is left out."""
    from ccm_graph.bookkeeping import LOADED
    from ccm_graph.queries import RELATION_PROPERTY_KEYS, relation_create_query
    from ccm_graph.schema import NodeType, Relation, RelType
    from ccm_graph.store.rows import relation_properties

    every = Relation(
        from_id="a", type="FUNDS", to_id="b", role="donor", year=2020, amount_usd=5.0,
        convention="CCM", purpose="p", since="2020", until="2021", sensitivity="public",
        source="s", notes="n",
    )  # fmt: skip
    blanks = [f.name for f in dataclasses.fields(Relation) if getattr(every, f.name) is None]
    assert blanks == []  # every field set: a new field must be set here too
    assert set(relation_properties(every)) | {LOADED} == set(RELATION_PROPERTY_KEYS)
    query = relation_create_query(RelType.FUNDS, NodeType.ACTOR, NodeType.ACTOR)
    assert "SET r" not in query
    assert all(f"{key}: row.props.{key}" in query for key in RELATION_PROPERTY_KEYS)


def test_a_staged_relation_row_is_its_ends_then_its_properties_in_order() -> None:
    from ccm_graph.queries import RELATION_PROPERTY_KEYS, staged_relation_create_query
    from ccm_graph.schema import RelType
    from ccm_graph.store.rows import relation_row, staged_relation_row

    dataset = read_seed(SMALL_SEED)
    for relation in dataset.relations:
        row = staged_relation_row(relation)
        props = relation_row(relation)["props"]
        assert row[:2] == [relation.from_id, relation.to_id]
        assert dict(zip(RELATION_PROPERTY_KEYS, row[2:], strict=True)) == {
            key: props.get(key) for key in RELATION_PROPERTY_KEYS
        }
    query = staged_relation_create_query(RelType.FUNDS)
    for position, key in enumerate(RELATION_PROPERTY_KEYS, 2):
        assert f"{key}: row[{position}]" in query
    assert "elementId(a) = row[0]" in query and "elementId(b) = row[1]" in query


_SMALL_RELATIONS = read_seed(SMALL_SEED).relations
_RELATION_FIELDS = [f.name for f in dataclasses.fields(Relation)]


def _shown(record: Any) -> list[tuple[type, str]]:
    """A record's values with their types (1, 1.0 and True are equal, and NaN is not)."""
    return [(type(value), repr(value)) for value in vars(record).values()]


@settings(max_examples=300, deadline=None)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=24),
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=23), st.sampled_from(_RELATION_FIELDS),
                  typed_values),
        max_size=6,
    ),
    split=st.integers(min_value=0, max_value=24),
)  # fmt: skip
def test_a_batch_is_checked_as_its_records_are_one_by_one(
    picks: list[int], edits: list[tuple[int, str, Any]], split: int
) -> None:
    """The column-at-a-time check of ``Store.load`` gives the records and the problems, in
    the same order, that the check of one record at a time gives: with values that fail,
    change, are blank, unhashable or equal across types (1, 1.0, True), records the reader
    checked already, and a cache shared between two batches."""
    seed = _SMALL_RELATIONS
    # every third record a copy (not known as checked), the others the reader's own
    records = [
        dataclasses.replace(seed[i % len(seed)]) if i % 3 == 0 else seed[i % len(seed)]
        for i in picks
    ]
    for at, name, value in edits:
        if at < len(records):
            records[at] = dataclasses.replace(records[at], **{name: value})
    one = ValueChecker(remember=False)
    check = one.checker(RELATIONS_TABLE)
    expected = [check(record) for record in records]
    many = ValueChecker(remember=False)
    check_batch = many.batch_checker(RELATIONS_TABLE)
    got = check_batch(records[:split]) + check_batch(records[split:])
    assert [_shown(r) for r in got] == [_shown(r) for r in expected]
    assert many.problems == one.problems


def test_a_batch_keeps_equal_values_of_other_types_apart_and_remembers_what_passed() -> None:
    funds = next(r for r in _SMALL_RELATIONS if r.amount_usd is not None)
    rows = [dataclasses.replace(funds, amount_usd=a) for a in (1, 1.0, 2.5, 1)]
    checker = ValueChecker()  # remembers
    assert checker.batch_checker(RELATIONS_TABLE)(rows) == rows
    assert checker.problems == [] and all(r in CHECKED_RECORDS for r in rows)
    wrong = [*rows, dataclasses.replace(funds, amount_usd=True)]  # True is not an amount
    refused = ValueChecker()
    assert refused.batch_checker(RELATIONS_TABLE)(wrong)[-1].amount_usd is True
    assert [p.message.split(": ", 1)[1] for p in refused.problems] == [
        "amount_usd: True is not an amount in US dollars"
    ]
    assert wrong[-1] not in CHECKED_RECORDS


@settings(max_examples=300, deadline=None)
@given(
    unsent=st.integers(min_value=1, max_value=2_000_000),
    writers=st.integers(min_value=2, max_value=4),
    transaction_rows=st.integers(min_value=8, max_value=50_000),
)
def test_the_last_staged_transactions_get_smaller_so_the_writers_finish_together(
    unsent: int, writers: int, transaction_rows: int
) -> None:
    from ccm_graph.store.stage_writers import transaction_share

    least = max(1, transaction_rows // 8)
    shares = []
    while unsent:
        share = transaction_share(unsent, writers, transaction_rows)
        assert 1 <= share <= min(unsent, transaction_rows)
        if unsent <= writers * transaction_rows:  # less than a full one each: an equal share
            assert share <= max(-(-unsent // writers), 2 * least - 1)
        shares.append(share)
        unsent -= share
    assert shares[-1] <= 2 * least  # the last transaction is a small one


def test_rows_that_stop_without_a_problem_are_refused_unless_the_caller_checks_them() -> None:
    """A relation whose end is not among the records stops the rows; without the checks
    across records nothing says why, so the rows refuse to end quietly (a load would write
    part of the data), unless the caller takes those checks (a staged load, at its switch)."""
    dataset = read_seed(SMALL_SEED)
    relations = [*dataset.relations[:-1], dataclasses.replace(dataset.relations[-1], to_id="ZZ")]
    broken = dataclasses.replace(dataset, relations=relations)
    with pytest.raises(RuntimeError, match="could not be written"):
        list(load_batches(broken, fresh=False, batch_size=5, problems=[], consistency=False))
    checked = Dataset(info=broken.info)
    problems: list[Problem] = []
    list(load_batches(broken, fresh=True, batch_size=5, problems=problems, consistency=False,
                      staged=True, checked=checked))  # fmt: skip
    assert problems == [] and len(checked.relations) == len(relations)  # the caller's to check
