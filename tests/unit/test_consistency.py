"""Consistency warnings: each rule on a small bad folder, and `validate --strict`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_graph.cli import cli
from ccm_graph.consistency import consistency_warnings
from ccm_graph.dataset import read_seed

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
