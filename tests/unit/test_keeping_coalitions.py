"""The coalition workflow over a Dataset (the workbench on a seed folder): the command line's
rules and words, every refusal leaving the data as they were; and ``change_coalition`` on a
copy of a seed folder — a snapshot first, a history line, nothing written when refused."""

from __future__ import annotations

import copy
import dataclasses
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ccm_graph.coalition_rules import (
    CoalitionChange,
    DuplicateMembership,
    FocusFacts,
    focus_problem,
    value_problems,
)
from ccm_graph.dataset import Dataset, check_dataset, check_values, read_seed
from ccm_graph.errors import DataError, OutputError, UnknownRecord
from ccm_graph.keeping import change_history
from ccm_graph.keeping.coalitions import (
    add_member,
    change_coalition,
    coalition_history,
    propose,
    remove_member,
    set_status,
)
from ccm_graph.names import AmbiguousName
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbook import write_workbook

from ..conftest import SMALL_SEED


@pytest.fixture
def data() -> Dataset:
    """Every record of the small seed, restricted ones included (what a write starts from)."""
    return read_seed(SMALL_SEED)


def members(dataset: Dataset, coalition: str) -> set[tuple[str, str | None]]:
    return {(r.from_id, r.role) for r in dataset.relations
            if r.type == "MEMBER_OF" and r.to_id == coalition}  # fmt: skip


def valid(dataset: Dataset) -> bool:
    """Whether ``dataset`` passes the seed files' rules (what a save checks)."""
    checked, problems = check_values(dataclasses.replace(dataset, origins={}))
    return not problems and not check_dataset(checked)


def refused(data: Dataset, call: Any, error: type[Exception]) -> str:
    """The message of the refusal ``call`` raises, checking that ``data`` is left as it was."""
    before = copy.deepcopy(data)
    with pytest.raises(error) as caught:
        call()
    assert data == before
    return str(caught.value)


def test_a_proposal_names_the_coalition_after_its_state_with_the_state_and_lead(
    data: Dataset,
) -> None:
    before = copy.deepcopy(data)
    new, change = propose(data, focus="lao pdr", name="Lao PDR Coalition", lead="Netherlands")
    assert change == CoalitionChange(
        "coal-lao", "Proposed coal-lao: Lao PDR Coalition (focus Lao PDR), lead Netherlands."
    )
    assert data == before  # the dataset given is never changed
    [made] = [c for c in new.coalitions if c.id == "coal-lao"]
    assert (made.name, made.focus, made.status, made.sensitivity) == (
        "Lao PDR Coalition", "LAO", "proposed", "public")  # fmt: skip
    today = datetime.now(UTC).date().isoformat()
    assert made.source == f"proposed with ccm-graph on {today}"
    assert members(new, "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    assert valid(new)
    again, second = propose(new, focus="LAO", name="Another", source="MSP side event")
    assert second.coalition == "coal-lao-2" and second.message.endswith("(focus Lao PDR).")
    assert [c.source for c in again.coalitions if c.id == "coal-lao-2"] == ["MSP side event"]


def test_a_proposal_is_refused_for_a_focus_that_cannot_have_one(data: Dataset) -> None:
    said = refused(data, lambda: propose(data, focus="halo", name="x"), DataError)
    assert said == "focus: 'halo' is an operator, not a State"
    assert refused(data, lambda: propose(data, focus="masg", name="x"),
                   DataError) == "focus: 'masg' is a forum, not a State"  # fmt: skip
    said = refused(data, lambda: propose(data, focus="CHE", name="x"), DataError)
    assert said == (
        "focus: Switzerland (CHE) has no Article 3 or 4 obligation in the data: a Country "
        "Coalition serves an affected State Party; ask with any_state to propose it anyway"
    )
    new, change = propose(data, focus="CHE", name="Ahead of time", any_state=True)
    assert change.coalition == "coal-che" and valid(new)
    gone = dataclasses.replace(data, actors=[
        dataclasses.replace(a, ccm_status="withdrawn") if a.id == "LAO" else a
        for a in data.actors])  # fmt: skip
    for any_state in (False, True):
        said = refused(gone, lambda a=any_state: propose(gone, focus="LAO", name="x",
                                                         any_state=a), DataError)  # fmt: skip
        assert "Lao PDR (LAO) has withdrawn from the Convention" in said


def test_focus_problem_says_whether_a_state_is_not_party(data: Dataset) -> None:
    facts = FocusFacts("SDN", "Secret Donor", "state", "non_signatory", 0)
    problem = focus_problem("SDN", facts, any_state=False)
    assert problem is not None
    assert "has no Article 3 or 4 obligation in the data and is not a State Party " \
           "(non_signatory)" in problem.message  # fmt: skip
    assert focus_problem("SDN", facts, any_state=True) is None
    assert focus_problem("LAO", dataclasses.replace(facts, time_bound=1)) is None


def test_a_restricted_record_is_answered_as_an_unknown_one(data: Dataset) -> None:
    unknown = refused(data, lambda: propose(data, focus="no-such", name="x"), UnknownRecord)
    assert unknown == "no actor 'no-such'"
    assert refused(data, lambda: propose(data, focus="secretdonor", name="x"),
                   UnknownRecord) == "no actor 'secretdonor'"  # fmt: skip
    assert refused(data, lambda: propose(data, focus="Secret Donor", name="x"),
                   UnknownRecord) == "no actor 'Secret Donor'"  # fmt: skip
    assert refused(data, lambda: propose(data, focus="LAO", name="x", lead="secretdonor"),
                   UnknownRecord) == "no actor 'secretdonor'"  # fmt: skip
    assert refused(data, lambda: add_member(data, "coal-secret", "halo", "operator"),
                   UnknownRecord) == "no coalition 'coal-secret'"  # fmt: skip
    assert refused(data, lambda: add_member(data, "coal-lbn", "secretdonor", "donor"),
                   UnknownRecord) == "no actor 'secretdonor'"  # fmt: skip
    new, change = propose(data, focus="secretdonor", name="x", any_state=True,
                          include_restricted=True)  # fmt: skip
    assert change.coalition == "coal-secretdonor" and valid(new)
    shown, _ = add_member(data, "coal-secret", "secretdonor", "donor", include_restricted=True)
    assert ("secretdonor", "donor") in members(shown, "coal-secret")


def test_a_taken_id_a_blank_name_and_bad_values_are_refused(data: Dataset) -> None:
    for taken in ("coal-lbn", "coal-secret", "LAO", "ob-LAO-4"):  # one namespace, every kind
        said = refused(data, lambda t=taken: propose(data, focus="LAO", name="x",
                                                     coalition_id=t), DataError)  # fmt: skip
        assert said == f"id: {taken!r} is already used"
    assert refused(data, lambda: propose(data, focus="LAO", name="  "),
                   DataError) == "name: a coalition needs a name"  # fmt: skip
    assert refused(data, lambda: propose(data, focus="LAO", name="x", coalition_id=" "),
                   DataError) == "id: an id cannot be blank"  # fmt: skip
    said = refused(data, lambda: propose(data, focus="LAO", name="x\u202e"), DataError)
    assert said.startswith("name: ") and "U+202E" in said
    said = refused(data, lambda: add_member(data, "coal-lbn", "halo", "boss"), DataError)
    assert said.startswith("role: 'boss' is not one of")
    said = refused(data, lambda: add_member(data, "coal-lbn", "halo", "operator",
                                            since="last year"), DataError)  # fmt: skip
    assert said.startswith("since: ")
    said = refused(data, lambda: set_status(data, "coal-lbn", "dormant"), DataError)
    assert said.startswith("status: 'dormant' is not one of")


def test_value_problems_lists_every_field_at_once() -> None:
    problems = value_problems("add-member", {"coalition": "coal-lbn", "actor": None,
                                             "role": "boss", "since": "soon"})  # fmt: skip
    assert [p.file for p in problems] == ["actor", "role", "since"]
    assert [p.message for p in problems if p.file == "actor"] == ["required but blank"]
    assert [str(p) for p in value_problems("propose", {"focus": "LAO", "name": " "})] == [
        "name: a coalition needs a name"
    ]
    assert value_problems("set-status", {"coalition": "coal-lbn", "status": "active"}) == []


def test_a_member_is_added_once_and_another_role_needs_replace_role(data: Dataset) -> None:
    new, change = add_member(data, "Country Coalition Lebanon", "HALO", "operator",
                             since="2025-03", source="MoU")  # fmt: skip
    assert change.message == 'Added The HALO Trust "HALO" as operator of Country Coalition Lebanon.'
    assert ("halo", "operator") in members(new, "coal-lbn") and valid(new)
    [row] = [r for r in new.relations if r.from_id == "halo" and r.to_id == "coal-lbn"]
    assert (row.since, row.source, row.sensitivity) == ("2025-03", "MoU", "public")
    same, nothing = add_member(new, "coal-lbn", "halo", "operator")
    assert same is new and not nothing.changed
    assert nothing.message == (
        'Already there: The HALO Trust "HALO" as operator of Country Coalition Lebanon.'
    )
    said = refused(new, lambda: add_member(new, "coal-lbn", "halo", "partner"),
                   DuplicateMembership)  # fmt: skip
    assert said == (
        'The HALO Trust "HALO" (halo) is already a member of coal-lbn as operator; '
        "nothing was written (ask with replace_role to make it partner instead)"
    )
    replaced, change = add_member(new, "coal-lbn", "halo", "partner", replace_role=True)
    assert change.message == ("Changed The HALO Trust \"HALO\"'s role in Country Coalition "
                              "Lebanon: operator → partner.")  # fmt: skip
    assert {r for r in members(replaced, "coal-lbn") if r[0] == "halo"} == {("halo", "partner")}
    today = datetime.now(UTC).date().isoformat()
    assert [r.source for r in replaced.relations if r.from_id == "halo"
            and r.to_id == "coal-lbn"] == [f"added with ccm-graph on {today}"]  # fmt: skip


def test_a_name_that_fits_several_actors_is_refused() -> None:
    data = read_seed(SMALL_SEED)
    twin = dataclasses.replace(data.actors[0], id="LAO2", aliases="Lao PDR")
    data = dataclasses.replace(data, actors=[*data.actors, twin])
    said = refused(data, lambda: propose(data, focus="lao pdr", name="x"), AmbiguousName)
    assert said.startswith("'lao pdr' could mean LAO (Lao PDR), LAO2 (Lao PDR)")


def test_a_member_is_removed_and_a_non_member_is_refused(data: Dataset) -> None:
    new, change = remove_member(data, "coal-lbn", "NLD")
    assert change.message == "Removed Netherlands from Country Coalition Lebanon (1)."
    assert members(new, "coal-lbn") == {("LBN", "affected_state")} and valid(new)
    assert refused(new, lambda: remove_member(new, "coal-lbn", "NLD"),
                   DataError) == "NLD: is not a member of coal-lbn"  # fmt: skip
    assert refused(data, lambda: remove_member(data, "coal-lbn", "NLD", role="partner"),
                   DataError) == "NLD: is not a member of coal-lbn as partner"  # fmt: skip


def test_a_status_change_records_the_day_a_coalition_becomes_active(data: Dataset) -> None:
    new, change = set_status(data, "coal-lbn", "concluded")
    assert change.message == "Country Coalition Lebanon: active → concluded."
    [lbn] = [c for c in new.coalitions if c.id == "coal-lbn"]
    assert (lbn.status, lbn.established) == ("concluded", "2023")
    proposed, _ = propose(data, focus="LAO", name="Lao PDR Coalition")
    active, change = set_status(proposed, "coal-lao", "active")
    assert change.message == "Lao PDR Coalition: proposed → active."
    [lao] = [c for c in active.coalitions if c.id == "coal-lao"]
    assert lao.established == datetime.now(UTC).date().isoformat() and valid(active)


# --- change_coalition on a seed folder ------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    yield tmp_path / "seed"
    clear_cache()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_change_to_a_folder_writes_a_snapshot_first_and_a_history_line(folder: Path) -> None:
    source = DataSource.at(folder)
    change = change_coalition(source, "propose", by="amina", focus="Lao PDR",
                              name="Lao PDR Coalition", lead="NLD")  # fmt: skip
    assert change.coalition == "coal-lao"
    assert members(read_seed(folder), "coal-lao") == {("LAO", "affected_state"), ("NLD", "lead")}
    assert len(list((folder.parent / "snapshots").glob("snapshot-*"))) == 1
    [line] = change_history(source)
    assert line["by"] == "amina"
    assert line["summary"] == (
        "coalition propose coal-lao --focus LAO --lead NLD: Proposed "
        "coal-lao: Lao PDR Coalition (focus Lao PDR), lead Netherlands."
    )
    change_coalition(source, "add-member", by=None, coalition="coal-lao", actor="HALO",
                     role="operator")  # fmt: skip
    assert change_history(source)[0]["summary"].startswith(
        "coalition add-member coal-lao halo --role operator: Added"
    )
    assert change_history(source)[0]["by"]  # the OS user when no account is named
    assert [c.id for c in read_seed(folder).coalitions] == ["coal-lbn", "coal-secret",
                                                             "coal-lao"]  # fmt: skip


def test_a_refused_or_empty_change_writes_nothing(folder: Path) -> None:
    source = DataSource.at(folder)
    before = files_of(folder)
    with pytest.raises(DataError):
        change_coalition(source, "propose", focus="CHE", name="x")
    with pytest.raises(DuplicateMembership):
        change_coalition(source, "add-member", coalition="coal-lbn", actor="NLD", role="partner")
    with pytest.raises(UnknownRecord):
        change_coalition(source, "set-status", coalition="coal-secret", status="active")
    nothing = change_coalition(source, "add-member", coalition="coal-lbn", actor="NLD",
                               role="lead")  # fmt: skip
    assert not nothing.changed and nothing.message.startswith("Already there")
    assert files_of(folder) == before
    assert not (folder.parent / "snapshots").exists()


def test_a_workbook_cannot_be_changed(tmp_path: Path) -> None:
    book = tmp_path / "data.xlsx"
    write_workbook(read_seed(SMALL_SEED), book)
    with pytest.raises(OutputError, match="read only"):
        change_coalition(DataSource.at(book), "set-status", coalition="coal-lbn",
                         status="forming")  # fmt: skip


def test_a_coalition_s_history_leaves_out_what_names_a_restricted_record(folder: Path) -> None:
    source = DataSource.at(folder)
    change_coalition(source, "set-status", coalition="coal-lbn", status="forming")
    change_coalition(source, "add-member", coalition="coal-lbn", actor="secretdonor",
                     role="donor", include_restricted=True)  # fmt: skip
    change_coalition(source, "propose", focus="LAO", name="Elsewhere")
    public = coalition_history(source, "coal-lbn")
    assert [e["summary"].split(":")[0] for e in public] == ["coalition set-status coal-lbn forming"]
    everything = coalition_history(source, "coal-lbn", include_restricted=True)
    assert [e["summary"].split(":")[0] for e in everything] == [
        "coalition add-member coal-lbn secretdonor --role donor",
        "coalition set-status coal-lbn forming",
    ]
    assert [e["summary"].split(":")[0] for e in coalition_history(source, "coal-lao")] == [
        "coalition propose coal-lao --focus LAO"
    ]
