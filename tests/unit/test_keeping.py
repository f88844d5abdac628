"""Keeping the data current through the library: forms from the schema checked with the seed
files' rules, saving to a seed folder (snapshot first, all files or none, only the changed
lines move), the evidence a fix brings, an uploaded workbook's problems, preview and apply."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ccm_graph.dataset import read_seed
from ccm_graph.errors import ConcurrentChange, DataError, OutputError
from ccm_graph.keeping import (
    FixSource,
    apply_upload,
    change_history,
    check_form,
    data_digest,
    find_record,
    fix_evidence,
    full_dataset,
    preview_upload,
    read_upload,
    record_form,
    record_key,
    record_values,
    replace_record,
    save_dataset,
    with_evidence,
)
from ccm_graph.schema import CCM_STATUSES, RELATION_RULES, Evidence
from ccm_graph.source import DataSource, clear_cache
from ccm_graph.workbench.tokens import FormTokens
from ccm_graph.workbook import write_workbook

from ..conftest import SMALL_SEED


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    clear_cache()
    shutil.copytree(SMALL_SEED, tmp_path / "seed")
    return tmp_path / "seed"


def test_the_form_is_the_schema_with_drop_downs_for_enums() -> None:
    fields = {f.name: f for f in record_form("actor")}
    assert list(fields)[:3] == ["id", "kind", "name"]
    assert fields["ccm_status"].choices == CCM_STATUSES and fields["id"].required
    assert not fields["name"].choices
    relation = {f.name: f for f in record_form("relation")}
    assert relation["type"].choices == tuple(str(t) for t in RELATION_RULES)
    assert "lead" in relation["role"].choices and "financial" in relation["role"].choices


def test_each_problem_is_said_next_to_its_field_and_nothing_passes_until_all_do(
    folder: Path,
) -> None:
    data = full_dataset(DataSource.at(folder))
    old = find_record(data, "obligation", "ob-LAO-4")
    values = {**record_values(old), "deadline": "2026-02-30", "region": "x"}
    check = check_form(data, "obligation", old, values)
    assert check.record is None
    assert check.problems == {"deadline": ["'2026-02-30' is not a date in the form YYYY-MM-DD"]}
    values = {**record_values(old), "status": "extended", "extensions": "0"}
    check = check_form(data, "obligation", old, values)  # each value passes; together they do not
    assert not check.ok
    assert check.problems == {"status": ["status is 'extended' but extensions is blank or 0"]}
    relation = data.relations[0]
    check = check_form(data, "relation", relation, {**record_values(relation), "to": "nosuch"})
    assert check.problems == {"to": ["unknown id 'nosuch'"]}
    good = check_form(data, "obligation", old, {**record_values(old), "deadline": "2030-08-01"})
    assert good.ok and good.record.deadline == "2030-08-01"


def test_saving_to_a_folder_snapshots_first_and_changes_only_that_line(folder: Path) -> None:
    source = DataSource.at(folder)
    before = {p.name: p.read_text() for p in folder.iterdir()}
    data = full_dataset(source)
    old = find_record(data, "obligation", "ob-LAO-4")
    given = FixSource("https://example.org/a", "2026-09", "until 1 August 2030", "13MSP")
    check = check_form(data, "obligation", old,
                       {**record_values(old), "deadline": "2030-08-01"}, given)  # fmt: skip
    rows = check.evidence
    saved = save_dataset(
        source, lambda cur: with_evidence(replace_record(
            cur, "obligation", find_record(cur, "obligation", "ob-LAO-4"), check.record), rows),
        expected=data_digest(data), summary="deadline")  # fmt: skip
    assert saved.snapshot is not None and saved.snapshot.parent == folder.parent / "snapshots"
    assert find_record(read_seed(saved.snapshot), "obligation", "ob-LAO-4").deadline == "2025-08-01"
    assert find_record(source.read().dataset, "obligation", "ob-LAO-4").deadline == "2030-08-01"
    assert rows == [Evidence("ob-LAO-4", "deadline", "2030-08-01", "quoted",
                             "https://example.org/a", "2026-09", "until 1 August 2030",
                             "13MSP")]  # fmt: skip
    assert read_seed(folder).evidence == rows and saved.evidence == str(folder / "evidence.csv")
    after = read_seed(folder)
    assert after.actors == data.actors and after.relations == data.relations  # in file order
    assert [o for o in after.obligations if o.id != "ob-LAO-4"] == [
        o for o in data.obligations if o.id != "ob-LAO-4"]  # fmt: skip
    assert read_seed(saved.snapshot).sorted().actors == data.sorted().actors
    restricted = [a.id for a in after.actors if a.sensitivity == "restricted"]
    assert restricted == ["secretdonor"]  # restricted records are written back, untouched
    assert (folder / "coalitions.csv").read_text() == before["coalitions.csv"]
    [entry] = change_history(source)
    assert entry["summary"] == "deadline" and entry["snapshot"] == str(saved.snapshot)


def test_a_save_against_data_that_changed_meanwhile_writes_nothing(folder: Path) -> None:
    source = DataSource.at(folder)
    stale = data_digest(full_dataset(source))
    text = (folder / "actors.csv").read_text()
    (folder / "actors.csv").write_text(text.replace("Lebanon", "Liban", 1))
    with pytest.raises(ConcurrentChange):
        save_dataset(source, lambda cur: cur, expected=stale, summary="x")
    assert not (folder.parent / "snapshots").exists()


def test_a_change_that_breaks_the_rules_writes_nothing(folder: Path) -> None:
    source = DataSource.at(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def dangling(cur):  # a relation to a record that does not exist
        rel = cur.relations[0]
        import dataclasses

        return replace_record(cur, "relation", rel, dataclasses.replace(rel, to_id="nosuch"))

    with pytest.raises(DataError):
        save_dataset(source, dangling, expected=None, summary="x")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_workbook_source_is_read_only(tmp_path: Path) -> None:
    book = tmp_path / "data.xlsx"
    write_workbook(read_seed(SMALL_SEED), book)
    with pytest.raises(OutputError):
        save_dataset(DataSource.at(book), lambda cur: cur, expected=None, summary="x")


def _book(tmp_path: Path, edit: dict[tuple[str, int, str], str]) -> bytes:
    path = tmp_path / "book.xlsx"
    write_workbook(read_seed(SMALL_SEED).without_restricted(), path)
    book = openpyxl.load_workbook(path)
    for (sheet, row, column), value in edit.items():
        header = [c.value for c in book[sheet][1]]
        book[sheet].cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    return path.read_bytes()


def test_an_uploaded_workbook_s_problems_are_located_by_sheet_and_row(tmp_path: Path) -> None:
    with pytest.raises(DataError) as raised:
        read_upload(_book(tmp_path, {("actors", 3, "region"): "atlantis"}))
    problems = [str(p) for p in raised.value.problems]
    assert problems[0].startswith("actors:3: region: 'atlantis' is not one of: africa, ")
    assert "obligations:2: state: unknown id 'LAO' (did you mean 'na-lao'?)" in problems
    with pytest.raises(DataError) as raised:
        read_upload(b"not a workbook")
    assert "not an Excel workbook" in str(raised.value)


def test_an_upload_is_previewed_then_applied_and_keeps_restricted_records(
    folder: Path, tmp_path: Path
) -> None:
    source = DataSource.at(folder)
    uploaded = read_upload(_book(tmp_path, {("actors", 2, "name"): "Renamed"}))
    preview = preview_upload(source, uploaded)
    [change] = preview.diff.records
    assert change.action == "changed" and change.fields[0].new == "Renamed"
    # a reader without the confidential role is told nothing of the restricted records
    assert preview.kept_restricted == 0 and preview.restricted == 0
    told = preview_upload(source, uploaded, include_restricted=True)
    assert told.kept_restricted == 4 and told.diff.records == preview.diff.records
    saved = apply_upload(source, preview)
    assert saved.snapshot is not None
    after = read_seed(folder)
    assert "Renamed" in {a.name for a in after.actors}
    assert {a.id for a in after.actors if a.sensitivity == "restricted"} == {"secretdonor"}
    assert {c.id for c in after.coalitions} >= {"coal-secret"}
    assert after.relations == read_seed(SMALL_SEED).relations  # those hanging on them too
    assert "workbook upload: actor ~1" in change_history(source)[0]["summary"]
    with pytest.raises(ConcurrentChange):  # applying the same preview again: the data moved on
        apply_upload(source, preview)


def test_an_upload_cannot_overwrite_a_record_its_reader_may_not_see(
    folder: Path, tmp_path: Path
) -> None:
    """A workbook row with a hidden record's id would replace it: refused, without saying
    what the hidden record holds; a confidential reader may."""
    source = DataSource.at(folder)
    uploaded = read_upload(_book(tmp_path, {("actors", 6, "id"): "secretdonor"}))
    with pytest.raises(DataError) as raised:
        preview_upload(source, uploaded)
    assert "secretdonor: this id cannot be used" in str(raised.value)
    assert "Secret Donor" not in str(raised.value)
    preview = preview_upload(source, uploaded, include_restricted=True)
    assert any(r.key == "secretdonor" for r in preview.diff.records)


def test_the_history_leaves_out_changes_to_hidden_records(folder: Path) -> None:
    """A change to a restricted record (or one hanging on it) is flagged in the folder's
    history when written and listed only to a reader who may see it."""
    source = DataSource.at(folder)

    def renamed(ident: str, name: str) -> Any:
        def change(data: Any) -> Any:
            old = find_record(data, "actor", ident)
            return replace_record(data, "actor", old, dataclasses.replace(old, name=name))

        return change

    save_dataset(source, renamed("secretdonor", "Very Secret Donor"), expected=None,
                 summary="edited actor secretdonor", note="renamed")  # fmt: skip
    save_dataset(source, renamed("halo", "HALO"), expected=None, summary="edited actor halo")
    assert [e["summary"] for e in change_history(source)] == ["edited actor halo"]
    everything = change_history(source, include_restricted=True)
    assert [e["summary"] for e in everything] == ["edited actor halo", "edited actor secretdonor"]
    assert everything[1]["restricted"] is True and "restricted" not in everything[0]
    assert change_history(source, limit=1) == everything[:1]


def test_an_oversized_upload_is_refused_before_reading() -> None:
    from ccm_graph.keeping import MAX_UPLOAD_BYTES

    with pytest.raises(DataError, match="larger than"):
        read_upload(b"0" * (MAX_UPLOAD_BYTES + 1))


def test_relations_have_a_stable_address() -> None:
    data = read_seed(SMALL_SEED)
    keys = [record_key(r) for r in data.relations]
    assert len(set(keys)) == len(keys) and all(k.startswith("r-") for k in keys)
    assert find_record(data, "relation", keys[3]) is data.relations[3]


def _fix(data, values: dict[str, str], excerpt: str):  # type: ignore[no-untyped-def]
    old = find_record(data, "obligation", "ob-LAO-4")
    source = FixSource("https://example.org/d", "2026-09", excerpt)
    return check_form(data, "obligation", old, {**record_values(old), **values}, source)


def test_a_fix_brings_one_evidence_row_per_changed_fact_never_for_derived_ones() -> None:
    data = read_seed(SMALL_SEED)
    check = _fix(data, {"deadline": "2030-08-01", "extensions": "2", "granted_by": "2RC;13MSP"},
                 "after the 2RC, the 13MSP extended it until 1 August 2030")  # fmt: skip
    assert check.ok, check.problems
    assert [(r.field, r.value) for r in check.evidence] == [
        ("deadline", "2030-08-01"), ("extension.1.granted_by", "2RC"),
        ("extension.2.granted_by", "13MSP"), ("extension.2.deadline", "2030-08-01")]  # fmt: skip
    assert all(r.field not in ("status", "extensions") for r in check.evidence)
    uneven = _fix(data, {"extensions": "3", "granted_by": "2RC;13MSP"}, "the 2RC and the 13MSP")
    assert uneven.problems == {
        "": ["ob-LAO-4: 2 extension.N.granted_by rows, but the seed says extensions = 3"]
    }


def test_a_fix_whose_excerpt_does_not_state_the_value_is_refused_next_to_the_excerpt() -> None:
    check = _fix(read_seed(SMALL_SEED), {"deadline": "2030-08-01"}, "extended until 2031")
    assert not check.ok and list(check.problems) == ["excerpt"]
    assert "the excerpt does not state '2030-08-01'" in check.problems["excerpt"][0]


def test_a_fix_replaces_the_row_of_the_old_value() -> None:
    data = read_seed(SMALL_SEED)
    old_row = Evidence("ob-LAO-4", "deadline", "2025-08-01", "quoted", "https://example.org/o",
                       "2020", "until 1 August 2025")  # fmt: skip
    other = Evidence("ob-LAO-4", "original_deadline", "2020-08-01", "indicative", note="n")
    data = with_evidence(data, [old_row, other])
    assert data.evidence == [old_row, other]
    check = _fix(data, {"deadline": "2030-08-01"}, "until 1 August 2030")
    assert check.ok, check.problems
    fixed = with_evidence(data, check.evidence)
    assert [(r.field, r.value) for r in fixed.evidence] == [
        ("deadline", "2030-08-01"), ("original_deadline", "2020-08-01")]  # fmt: skip
    old = find_record(data, "obligation", "ob-LAO-4")
    moved = {**record_values(old), "deadline": "2030-08-01"}
    unsourced = check_form(data, "obligation", old, moved)
    assert "give the source of the new value" in unsourced.problems["deadline"][0]
    assert fix_evidence(data, old, old, FixSource("https://x", "2026", "x")) == []


def test_form_tokens_verify_only_for_their_purpose() -> None:
    tokens = FormTokens()
    token = tokens.issue("edit:actor:LAO")
    assert tokens.verify("edit:actor:LAO", token)
    assert not tokens.verify("edit:actor:LBN", token)
    assert not tokens.verify("edit:actor:LAO", None)
    assert not FormTokens().verify("edit:actor:LAO", token)  # another app's secret
