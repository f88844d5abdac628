"""Consistency warnings: each rule on a small bad folder, and `validate --strict`."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.consistency import consistency_warnings
from ccm_graph.dataset import read_seed
from ccm_graph.errors import DataError
from ccm_graph.schema import CCM_DATE_COLUMNS

from ..conftest import SHIPPED_SEED, SMALL_SEED

TODAY = date(2026, 3, 1)
OBLIGATION_HEADER = (
    "id,state,article,deadline,status,original_deadline,extensions,granted_by,"
    "extension_requested,request_outcome,completed,assistance_requested,description,source\n"
)


def warnings_for(folder: Path) -> list[str]:
    return [str(w) for w in consistency_warnings(read_seed(folder), today=TODAY)]


def replace_obligations(folder: Path, *rows: str) -> None:
    (folder / "obligations.csv").write_text(OBLIGATION_HEADER + "".join(r + "\n" for r in rows),
                                            encoding="utf-8")  # fmt: skip


def test_the_small_fixture_has_no_warnings() -> None:
    assert warnings_for(SMALL_SEED) == []


@pytest.mark.parametrize(
    ("row", "warning"),
    [
        ("ob-LAO-4,LAO,4,2025-08-01,extended,2025-08-01,1,9MSP,,,,,,s",
         "status is 'extended' but the deadline is still the original deadline"),
        ("ob-LAO-4,LAO,4,2024-08-01,open,2025-08-01,,,,,,,,s",
         "deadline 2024-08-01 is before the original deadline 2025-08-01"),
        ("ob-LAO-4,LAO,4,2025-08-01,completed,,,,,,,,,s",
         "status is 'completed' but the completion date (completed) is blank"),
        ("ob-LAO-4,LAO,4,2025-08-01,completed,,,,,,2027-01,,,s",
         "completed 2027-01 is in the future"),
        ("ob-LAO-4,LAO,4,2025-08-01,open,,,,,,2024,,,s",
         "has a completion date (2024) but its status is 'open'"),
        ("ob-LAO-4,LAO,4,2030-08-01,extended,2020-08-01,2,9MSP,,,,,,s",
         "granted_by names 1 meeting(s) but extensions is 2"),
        ("ob-LAO-4,LAO,4,2030-08-01,open,,,,,pending,,,,s",
         "request_outcome is given but extension_requested (the request's date) is blank"),
    ],
)  # fmt: skip
def test_each_obligation_rule(small_seed: Path, row: str, warning: str) -> None:
    replace_obligations(small_seed, row, "ob-LBN-4,LBN,4,2026-05-01,open,,,,,,,,,s")
    found = [w for w in warnings_for(small_seed) if "obligations.csv" in w]
    assert found == [f"{small_seed / 'obligations.csv'}:2: {warning}"]


def test_a_coalition_around_a_state_with_nothing_left_to_do(small_seed: Path) -> None:
    replace_obligations(small_seed, "ob-LAO-4,LAO,4,2025-08-01,open,,,,,,,,,s")
    assert warnings_for(small_seed) == [
        f"{small_seed / 'coalitions.csv'}:2: active coalition focused on 'LBN', which has no "
        "open Article 3 or 4 obligation"
    ]


def test_funding_and_membership_in_the_future(small_seed: Path) -> None:
    with (small_seed / "relations.csv").open("a", encoding="utf-8") as handle:
        handle.write("NLD,FUNDS,halo,,2031,,CCM,,,,public,s,\n")
        handle.write("CHE,MEMBER_OF,masg,member,,,,,2030-01,,public,s,\n")
    assert [w.split(": ", 1)[1] for w in warnings_for(small_seed)] == [
        "FUNDS dated 2031, which is in the future",
        "since 2030-01 is in the future",
    ]


def test_metadata_forums_must_be_forums_in_the_data(small_seed: Path) -> None:
    (small_seed / "metadata.json").write_text(
        '{"as_of": "2027-01-01", "forums": {"masg": "NLD", "apmbc_committee": "nowhere"}}',
        encoding="utf-8",
    )
    assert warnings_for(small_seed) == [
        "metadata.json: as_of 2027-01-01 is in the future",
        "metadata.json: forums.masg: 'NLD' is a state, not a forum",
        "metadata.json: forums.apmbc_committee: no actor 'nowhere' in the data",
        "metadata.json: forums.ccm_coordinators: no actor 'ccm-coord-ica' in the data",
    ]


def test_strict_fails_on_warnings_and_plain_validate_does_not(small_seed: Path) -> None:
    replace_obligations(small_seed, "ob-LAO-4,LAO,4,2025-08-01,completed,,,,,,,,,s",
                        "ob-LBN-4,LBN,4,2026-05-01,open,,,,,,,,,s")  # fmt: skip
    plain = CliRunner().invoke(cli, ["validate", "--seed", str(small_seed)])
    assert plain.exit_code == 0
    assert "obligations.csv:2: warning: status is 'completed'" in plain.output
    # and the proposed coalition for Lao PDR now has nothing left to do
    assert "coalitions.csv:3: warning: proposed coalition focused on 'LAO'" in plain.output
    assert "valid, with 2 warnings" in plain.output
    strict = CliRunner().invoke(cli, ["validate", "--strict", "--seed", str(small_seed)])
    assert strict.exit_code == 1
    assert "2 warnings with --strict; nothing was written." in strict.output


def test_the_shipped_seed_passes_strict() -> None:
    result = CliRunner().invoke(cli, ["validate", "--strict", "--seed", str(SHIPPED_SEED)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


# Contradictions between rows (issue 22, item 9): each is a warning, an error under --strict.


LAO_4 = "ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,,,,,,s"
LBN_4 = "ob-LBN-4,LBN,4,2026-05-01,open,,,,,,,,,s"


def with_the_obligations_relations_need(row: str) -> list[str]:
    """``row`` first, then the obligations a relation or a coalition of the fixture needs."""
    return [row, LBN_4] + ([] if row.startswith("ob-LAO-4,") else [LAO_4])


def append_rows(path: Path, *rows: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(row + "\n" for row in rows)


@pytest.mark.parametrize(
    ("row", "warning"),
    [
        ("ob-LAO-4,LAO,4,2030-08-01,open,2025-08-01,1,9MSP,,,,,,s",
         "status is 'open' but extensions is 1: an obligation whose deadline was extended "
         "is 'extended'"),
        ("ob-LAO-5,LAO,5,2030-08-01,open,,,,,,,,,s",
         "Article 5 (victim assistance) has no deadline in the Convention, but deadline is "
         "2030-08-01"),
        ("ob-LAO-5,LAO,5,,open,2030-08-01,,,,,,,,s",
         "Article 5 (victim assistance) has no deadline in the Convention, but "
         "original_deadline is 2030-08-01"),
        ("ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,2025-09,pending,,,,s",
         "extension_requested 2025-09 is after the deadline it extends (deadline 2025-08-01)"),
        ("ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,2021,granted,,,,s",
         "extension_requested 2021 is after the deadline it extends (original_deadline "
         "2020-08-01)"),
        ("ob-SDN-4,secretdonor,4,2030-08-01,open,,,,,,,,,s",
         "obligation of 'secretdonor', whose ccm_status is 'non_signatory': the Convention's "
         "obligations bind its States Parties only"),
    ],
)  # fmt: skip
def test_each_contradiction_in_an_obligation(small_seed: Path, row: str, warning: str) -> None:
    replace_obligations(small_seed, *with_the_obligations_relations_need(row))
    found = [w for w in warnings_for(small_seed) if "obligations.csv" in w]
    assert found == [f"{small_seed / 'obligations.csv'}:2: {warning}"]


@pytest.mark.parametrize(
    "row",
    [
        # the request's month or year overlaps the deadline: not after it
        "ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,2025,pending,,,,s",
        "ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,2025-08,not_recorded,,,,s",
        # granted twice: the request extended a deadline between the original and the current
        "ob-LAO-4,LAO,4,2030-08-01,extended,2020-08-01,2,9MSP;11MSP,2023,granted,,,,s",
        "ob-LAO-5,LAO,5,,open,,0,,,,,,,s",
    ],
)
def test_what_is_not_a_contradiction_in_an_obligation(small_seed: Path, row: str) -> None:
    replace_obligations(small_seed, *with_the_obligations_relations_need(row))
    assert [w for w in warnings_for(small_seed) if "obligations.csv" in w] == []


def test_two_open_obligations_of_one_article_for_one_state(small_seed: Path) -> None:
    replace_obligations(
        small_seed,
        "ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,,,,,,s",
        "ob-LBN-4,LBN,4,2026-05-01,open,,,,,,,,,s",
        "ob-LAO-4b,LAO,4,2031-01-01,open,,,,,,,,,s",
        "ob-LAO-4c,LAO,4,2020-08-01,completed,,,,,,2020,,,s",  # a closed one is history
        "ob-LAO-3,LAO,3,2019-08-01,open,,,,,,,,,s",  # another article
    )
    path = small_seed / "obligations.csv"
    assert [w for w in warnings_for(small_seed) if "obligations.csv" in w] == [
        f"{path}:4: a second open Article 4 obligation for 'LAO' (the first is at {path}:2)"
    ]


@pytest.mark.parametrize("status", ["signatory", "withdrawn", "state_party"])
def test_obligations_of_states_not_bound_by_the_convention(small_seed: Path, status: str) -> None:
    actors = small_seed / "actors.csv"
    text = actors.read_text(encoding="utf-8")
    region = "LBN,middle_east_north_africa"
    text = text.replace(f"{region},state_party", f"{region},{status}")
    actors.write_text(text, encoding="utf-8")
    replace_obligations(
        small_seed,
        "ob-LAO-4,LAO,4,2025-08-01,extended,2020-08-01,1,9MSP,,,,,,s",
        "ob-LBN-4,LBN,4,2026-05-01,open,,,,,,,,,s",
        "ob-LBN-3,LBN,3,2018-05-01,completed,,,,,,2018,,,s",  # withdrawn: done while party
    )
    found = [w for w in warnings_for(small_seed) if "obligations.csv" in w]
    reason = {
        "signatory": "the Convention's obligations bind its States Parties only",
        "withdrawn": "an open obligation ends with the withdrawal",
    }
    lines = {"signatory": [3, 4], "withdrawn": [3], "state_party": []}[status]
    expected = [
        f"{small_seed / 'obligations.csv'}:{line}: obligation of 'LBN', whose ccm_status is "
        f"{status!r}: {reason[status]}"
        for line in lines
    ]
    assert found == expected


def test_a_coalition_established_in_the_future(small_seed: Path) -> None:
    append_rows(small_seed / "coalitions.csv", "coal-x,Later,LBN,proposed,2099,public,s,",
                "coal-y,This year,LBN,proposed,2026,public,s,")  # fmt: skip
    assert warnings_for(small_seed) == [
        f"{small_seed / 'coalitions.csv'}:4: established 2099 is in the future"
    ]


def test_duplicate_and_mismatched_iso3(small_seed: Path) -> None:
    path = small_seed / "actors.csv"
    append_rows(
        path,
        "ABC,state,Abc,XYZ,africa,state_party,,public,s,",
        "lao-again,state,Lao again,LAO,asia_pacific,state_party,,public,s,",
    )
    assert warnings_for(small_seed) == [
        f"{path}:11: iso3 'XYZ' differs from the id 'ABC' (a State's id is its ISO code)",
        f"{path}:12: iso3 'LAO' is also the iso3 of 'LAO' ({path}:2)",
    ]


def test_duplicate_names_ignore_case_accents_and_spacing(small_seed: Path) -> None:
    path = small_seed / "actors.csv"
    append_rows(
        path,
        "lao-op,operator,LÂO  pdr,,,,,public,s,",
        "nld-2,international_org,Netherlands Agency,,,,,public,s,",
    )
    assert warnings_for(small_seed) == [
        f"{path}:11: name 'LÂO  pdr' is also the name of 'LAO' ({path}:2)"
    ]


def test_a_membership_that_starts_before_its_coalition(small_seed: Path) -> None:
    path = small_seed / "relations.csv"
    append_rows(
        path,
        "CHE,MEMBER_OF,coal-lbn,member,,,,,2022-06,,public,s,",
        "LAO,MEMBER_OF,coal-lbn,member,,,,,2023-06,,public,s,",  # within the year: fine
        "masg,MEMBER_OF,coal-lbn,observer,,,,,2023,,public,s,",
    )
    assert warnings_for(small_seed) == [
        f"{path}:12: since 2022-06 is before coal-lbn was established (2023)"
    ]


def with_convention_dates(folder: Path, *rows: str) -> Path:
    """The folder's actors.csv with the five Convention date columns, and ``rows`` (in that
    layout) added at its end; the path of the file."""
    path = folder / "actors.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        old = list(csv.DictReader(handle))
    header = list(old[0])
    at = header.index("ccm_status") + 1
    header[at:at] = list(CCM_DATE_COLUMNS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(old)
        for row in rows:
            handle.write(row + "\n")
    return path


@pytest.mark.parametrize(
    ("dates", "status", "warning"),
    [
        ("2009-03-18,2008-12-03,,,", "state_party",
         "ccm_ratified 2008-12-03 is before ccm_signed 2009-03-18"),
        ("2008-12-03,2009-03-18,2009-02-01,,", "state_party",
         "ccm_entry_into_force 2009-02-01 is before ccm_ratified 2009-03-18"),
        ("2008-12-03,2099-01-05,,,", "state_party", "ccm_ratified 2099-01-05 is in the future"),
        (",2011,,2024,2025-03-06", "state_party",
         "withdrawal took effect on 2025-03-06 but ccm_status is state_party (expected withdrawn)"),
        (",2011,,,2025-03-06", "withdrawn",
         "ccm_withdrawal_effective 2025-03-06 without ccm_withdrawal"),
        (",2011,,,", "withdrawn",
         "ccm_status is withdrawn but no ccm_withdrawal_effective on or before the data's day"),
        ("2008-12-03,2010-01-25,,,", "signatory",
         "ccm_ratified 2010-01-25 but ccm_status is signatory"),
        ("2008-12-03,,,,", "non_signatory",
         "ccm_signed 2008-12-03 but ccm_status is non_signatory"),
        (",,2010-08-01,,", "signatory",
         "the Convention entered into force for it on 2010-08-01 but ccm_status is signatory"),
    ],
)  # fmt: skip
def test_each_convention_date_rule(small_seed: Path, dates: str, status: str, warning: str) -> None:
    row = f"XYZ,state,Xyz,XYZ,africa,{status},{dates},,public,s,"
    path = with_convention_dates(small_seed, row)
    assert warnings_for(small_seed) == [f"{path}:11: {warning}"]


@pytest.mark.parametrize(
    ("dates", "status"),
    [
        ("2008-12-03,2009-03-18,2010-08-01,,", "state_party"),
        ("2008,2009-03-18,2010-08,,", "state_party"),  # compared at the precision both give
        (",2011,,2024,2025-03-06", "withdrawn"),
        (",2011,,2026-02-01,2026-08-01", "state_party"),  # withdrawal not in effect yet
        ("2008-12-03,,,,", "signatory"),
    ],
)  # fmt: skip
def test_convention_dates_that_agree(small_seed: Path, dates: str, status: str) -> None:
    with_convention_dates(small_seed, f"XYZ,state,Xyz,XYZ,africa,{status},{dates},,public,s,")
    assert warnings_for(small_seed) == []


def test_convention_dates_on_a_non_state_are_an_error(small_seed: Path) -> None:
    path = with_convention_dates(small_seed, "xyz-op,operator,Xyz,,,,2008-12-03,,,,,,public,s,")
    with pytest.raises(DataError) as caught:
        read_seed(small_seed)
    assert f"{path}:11: ccm_signed applies to States only, but this actor is a operator" in str(
        caught.value
    )
