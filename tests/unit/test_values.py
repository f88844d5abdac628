"""The value rules: every column type, every refusal one sentence, no traceback for any input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccm_graph.cli import cli
from ccm_graph.dataset import Dataset, check_values, read_seed, write_seed
from ccm_graph.errors import DataError
from ccm_graph.schema import Actor, Column, ColumnType, Relation
from ccm_graph.values import (
    MAX_AMOUNT,
    MAX_ID_LENGTH,
    MAX_INTEGER,
    MAX_TEXT_LENGTH,
    ValueProblem,
    check_value,
    parse_cell,
)

from ..conftest import SMALL_SEED


def _column(column_type: ColumnType) -> Column:
    choices: tuple[object, ...] = ()
    if column_type is ColumnType.ARTICLE:
        choices = (3, 4, 5)
    elif column_type is ColumnType.ENUM:
        choices = ("a", "b")
    return Column(column_type, choices=choices)


ALL_TYPES = [_column(t) for t in ColumnType]


@pytest.mark.parametrize(
    ("column_type", "text", "message"),
    [
        (ColumnType.DATE, "٢٠٢٤-٠١-٠١", "is not a date in the form YYYY-MM-DD"),
        (ColumnType.PARTIAL_DATE, "２０２４", "is not a date"),
        (ColumnType.YEAR, "２０２４", "is not a year (YYYY) (write it with the digits 0-9)"),
        (ColumnType.COUNT, "²", "is not a whole number (write it with the digits 0-9)"),
        (ColumnType.COUNT, "9" * 30, "is too large"),
        (ColumnType.COUNT, str(MAX_INTEGER + 1), "is not a whole number between 0 and"),
        (ColumnType.AMOUNT, "1" + "0" * 16, "more than the limit"),
        (ColumnType.AMOUNT, "inf", "is not an amount in US dollars"),
        (ColumnType.ID, "MAG\u200b", "invisible or control character (U+200B)"),
        (ColumnType.ID, "a\u202eb", "invisible or control character (U+202E)"),
        (ColumnType.ID, "x" * (MAX_ID_LENGTH + 1), "too long (at most 200)"),
        (ColumnType.REF, "line\nbreak", "invisible or control character (U+000A)"),
        (ColumnType.TEXT, "bell\x07", "contains a control character (U+0007)"),
        (ColumnType.TEXT, "x" * (MAX_TEXT_LENGTH + 1), "characters long (at most 100,000)"),
        (ColumnType.WHEN, "2026-Q5", "is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)"),
        (ColumnType.LANGUAGE_LIST, "fr;French", "is not a two-letter language code"),
        (ColumnType.MEETING_LIST, "2RC;eleventh", "is not a meeting code"),
        (ColumnType.NAME_LIST, "FR:Tchad", "a language prefix is two lower-case letters"),
    ],
)
def test_each_refusal_is_one_sentence(column_type: ColumnType, text: str, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_cell(Column(column_type), text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert len(str(info.value)) < 200


def test_ids_are_normalised_to_nfc() -> None:
    nfd, nfc = "cafe\u0301", "caf\u00e9"
    assert parse_cell(Column(ColumnType.ID), nfd) == nfc
    assert check_value(Column(ColumnType.REF), nfd) == nfc


def test_lists_are_stored_in_canonical_form() -> None:
    assert parse_cell(Column(ColumnType.NAME_LIST), " Laos ; fr:Laos ;; ") == "Laos;fr:Laos"
    assert parse_cell(Column(ColumnType.MEETING_LIST), "9MSP; 11MSP") == "9MSP;11MSP"


def test_typed_values_must_have_their_type() -> None:
    with pytest.raises(ValueProblem, match="not a whole number"):
        check_value(Column(ColumnType.YEAR), "2024")
    with pytest.raises(ValueProblem, match="not a whole number"):
        check_value(Column(ColumnType.COUNT), True)
    with pytest.raises(ValueProblem, match="not an amount"):
        check_value(Column(ColumnType.AMOUNT), float("nan"))
    assert check_value(Column(ColumnType.AMOUNT), MAX_AMOUNT) == MAX_AMOUNT


@settings(max_examples=300, deadline=None)
@given(
    column=st.sampled_from(ALL_TYPES),
    text=st.one_of(
        st.text(),
        st.text(alphabet=st.characters(categories=["Nd", "No", "Cf", "Zs", "Cc"])),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        # far beyond any float: a 400-digit amount was a traceback (issue 22)
        st.integers(min_value=-(10**500), max_value=10**500).map(str),
        st.floats().map(str),
    ),
)
def test_any_text_gives_a_value_or_one_problem(column: Column, text: str) -> None:
    try:
        value = parse_cell(column, text)
    except ValueProblem as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    # whatever is accepted passes the typed check unchanged: no door refuses it later
    assert check_value(column, value) == value


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ident=st.text(min_size=1, max_size=300),
    year=st.text(alphabet="0123456789٠١٢٣²", min_size=1, max_size=25),
    amount=st.text(alphabet="0123456789.e+-inf,", min_size=1, max_size=25),
)
def test_the_csv_reader_never_crashes(tmp_path: Path, ident: str, year: str, amount: str) -> None:
    folder = tmp_path / "seed"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SMALL_SEED, folder)
    quoted = '"' + ident.replace('"', '""') + '"'
    with (folder / "relations.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(f"{quoted},FUNDS,LAO,,{year},{amount},CCM,,,,public,test,\n")
    try:
        dataset = read_seed(folder)
    except DataError as exc:
        assert all(problem.message for problem in exc.problems)
        return
    # accepted: it can be written and read back identically
    write_seed(dataset, tmp_path / "again", include_restricted=True)
    assert read_seed(tmp_path / "again").sorted() == dataset.sorted()


def test_library_datasets_pass_the_same_rules() -> None:
    dataset = Dataset(
        actors=[
            Actor("cafe\u0301", "state", "Café", source="test"),
            Actor("MAG\u200b", "operator", "MAG", source="test"),
        ],
        relations=[Relation("cafe\u0301", "FUNDS", "MAG", year=99999, source="test")],
    )
    checked, problems = check_values(dataset)
    assert checked.actors[0].id == "café"
    assert [p.message for p in problems] == [
        "MAG\u200b: id: 'MAG\\u200b' contains an invisible or control character (U+200B)",
        "cafe\u0301 FUNDS: year: 99999 is not a year from 1900 to 2100",
    ]


def test_nfc_and_nfd_ids_are_one_record(small_seed: Path) -> None:
    with (small_seed / "actors.csv").open("a", encoding="utf-8") as handle:
        handle.write("caf\u00e9,operator,Café NFC,,,,,public,test,\n")
        handle.write("cafe\u0301,operator,Café NFD,,,,,public,test,\n")
    with pytest.raises(DataError, match="duplicate id 'café'"):
        read_seed(small_seed)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NLD,FUNDS,LAO,,٢٠٢٤,,CCM,,,,public,src,", "year: '٢٠٢٤' is not a year"),
        ("NLD,FUNDS,LAO,,2024,99999999999999999999999,CCM,,,,public,src,", "amount_usd:"),
        ("MAG\u200b,FUNDS,LAO,,2024,,CCM,,,,public,src,", "from: 'MAG\\u200b' contains"),
    ],
)
def test_validate_refuses_with_one_line_and_exit_1(
    small_seed: Path, row: str, message: str
) -> None:
    with (small_seed / "relations.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    result = CliRunner().invoke(cli, ["validate", "--seed", str(small_seed)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("ob-X,LAO,4,2030-01-01,extended,2025-01-01,²,,,,src", "extensions: '²' is not a whole"),
        ("ob-X,LAO,4,٢٠٣٠-٠١-٠١,open,,,,,,src", "deadline: '٢٠٣٠-٠١-٠١' is not a date"),
        ("x" * 10_000 + ",LAO,4,2030-01-01,open,,,,,,src", "id: an id of 10,000 characters"),
    ],
)
def test_obligation_values_later_commands_cannot_use_are_refused(
    small_seed: Path, row: str, message: str
) -> None:
    with (small_seed / "obligations.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    result = CliRunner().invoke(cli, ["validate", "--seed", str(small_seed)])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
