"""The seed validator: one hand-made file per class of bad input, every problem in one run."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_graph.dataset import read_seed, write_seed
from ccm_graph.errors import DataError
from ccm_graph.schema import Actor

from ..conftest import SHIPPED_SEED, SMALL_SEED


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        read_seed(folder)
    return [str(p) for p in info.value.problems]


def replace_line(path: Path, line_number: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def append_line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def test_small_seed_is_valid() -> None:
    dataset = read_seed(SMALL_SEED)
    assert dataset.counts() == {
        "actors.csv": 9,
        "obligations.csv": 3,
        "coalitions.csv": 2,
        "activities.csv": 1,
        "relations.csv": 10,
        "evidence.csv": 0,
    }
    lao = next(o for o in dataset.obligations if o.id == "ob-LAO-4")
    assert (lao.article, lao.deadline, lao.extensions) == (4, "2025-08-01", 1)
    amounts = sorted(r.amount_usd for r in dataset.relations if r.amount_usd is not None)
    assert amounts == [5, 99, 1200000.5, 1500000]


@pytest.mark.parametrize(
    ("file", "line", "text", "expected"),
    [
        ("actors.csv", None, "LAO,state,Other Lao,LAO,asia_pacific,state_party,non_party,public,s,",
         "duplicate id 'LAO' (already used at"),
        ("obligations.csv", None, "NLD,LAO,4,2030-01-01,open,,0,,,,src",
         "duplicate id 'NLD'"),
        ("relations.csv", None, "NLD,FUNDS,nobody,,2024,1,CCM,,,,public,src,",
         "to: unknown id 'nobody'"),
        ("relations.csv", None, "halo,OPERATES_IN,masg,,,,,,,,public,src,",
         "to: 'masg' is a forum, expected state"),
        ("relations.csv", None, "NLD,SUPPORTS,LAO,technical,2024,,CCM,,,,public,src,",
         "to: 'LAO' is a state, expected obligation"),
        ("relations.csv", None, "NLD,LIKES,LAO,,,,,,,,public,src,",
         "type: 'LIKES' is not one of"),
        ("relations.csv", None, "NLD,funds,halo,,2024,1,CCM,,,,public,src,",
         "(did you mean 'FUNDS'?)"),
        ("relations.csv", None, "NLD,MEMBER_OF,masg,boss,,,,,,,public,src,",
         "role: 'boss' is not one of"),
        ("relations.csv", None, "NLD,MEMBER_OF,masg,,,,,,,,public,src,",
         "role: required for MEMBER_OF"),
        ("relations.csv", None, "NLD,OPERATES_IN,LAO,,2024,,,,,,public,src,",
         "year does not apply to OPERATES_IN"),
        ("relations.csv", None, "NLD,FUNDS,halo,,2024,\"1,500,000\",CCM,y,,,public,src,",
         "amount_usd: '1,500,000' is not an amount"),
        ("relations.csv", None, "NLD,FUNDS,halo,,24,1,CCM,z,,,public,src,",
         "year: '24' is not a year"),
        ("relations.csv", None, "NLD,FUNDS,halo,,2024,7,CCM,clearance in Lao PDR,,,public,s,",
         "duplicate relation NLD -FUNDS-> halo (same as"),
        ("relations.csv", None, "NLD,FUNDS,halo,,2024,5,ccm,w,,,public,src,",
         "convention: 'ccm' is not one of: CCM, APMBC, both, general (did you mean 'CCM'?)"),
        ("obligations.csv", None, "ob-X,LAO,4,2025-02-30,open,,0,,,,src",
         "deadline: '2025-02-30' is not a date in the form YYYY-MM-DD"),
        ("obligations.csv", None, "ob-X,LAO,4,01/08/2025,open,,0,,,,src",
         "deadline: '01/08/2025' is not a date"),
        ("obligations.csv", None, "ob-X,LAO,4,,open,,0,,,,src", "deadline: required for Article 4"),
        ("obligations.csv", None, "ob-X,LAO,6,2030-01-01,open,,0,,,,src",
         "article: '6' is not one of: 3, 4, 5"),
        ("obligations.csv", None, "ob-X,masg,4,2030-01-01,open,,0,,,,src",
         "state: 'masg' is a forum, expected state"),
        ("obligations.csv", None, "ob-X,LAO,4,2030-01-01,extended,,0,,,,src",
         "status is 'extended' but extensions is blank or 0"),
        ("actors.csv", None, "x1,operator,Op,,,state_party,,public,src,",
         "ccm_status applies to States only"),
        ("actors.csv", None, "x2,state,Somewhere,SOM,mars,state_party,,public,src,",
         "region: 'mars' is not one of"),
        ("actors.csv", None, "x3,state,Somewhere,So,africa,state_party,,public,src,",
         "iso3: 'So' is not an ISO 3166 alpha-3 code"),
        ("actors.csv", None, "x4,state,,SOM,africa,state_party,,public,src,",
         "name: required but blank"),
        ("actors.csv", None, "x5,state,Somewhere,SOM,africa,state_party,,public,src",
         "has 9 fields but the header has 10"),
        ("actors.csv", None, "x6,state,Somewhere,SOM,africa,state_party,,secret,src,",
         "sensitivity: 'secret' is not one of: public, restricted"),
        ("activities.csv", None, "wp-x,meeting,Meeting,2026-Q5,planned,,src",
         "date: '2026-Q5' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn)"),
        ("coalitions.csv", None, "coal-x,Coalition,halo,active,2024,public,src,",
         "focus: 'halo' is an operator, expected state"),
        ("relations.csv", None, "NLD,FUNDS,NLD,,2024,1,CCM,,,,public,src,",
         "from and to are the same record ('NLD'): a relation joins two records"),
        ("relations.csv", None, "NLD,OPERATES_IN,LAO,,,,,,2020-07,2020-06,public,src,",
         "until is before since"),
    ],
)  # fmt: skip
def test_each_bad_row_is_reported_with_file_and_line(
    small_seed: Path, file: str, line: int | None, text: str, expected: str
) -> None:
    path = small_seed / file
    line = append_line(path, text)
    problems = problems_of(small_seed)
    located = [p for p in problems if p.startswith(f"{path}:{line}: ")]
    assert located, problems
    assert any(expected in p for p in located), located


@pytest.mark.parametrize(
    ("since", "until"),
    [("2020-07", "2020"), ("2020", "2020-01-15"), ("2020-07-15", "2020-07"), ("2020", "2020")],
)
def test_until_and_since_compare_by_the_spans_they_cover(
    small_seed: Path, since: str, until: str
) -> None:
    append_line(small_seed / "relations.csv",
                f"CHE,OPERATES_IN,LAO,,,,,,{since},{until},public,src,")  # fmt: skip
    assert read_seed(small_seed).relations[-1].until == until


def test_unknown_column_is_reported_with_suggestion(small_seed: Path) -> None:
    path = small_seed / "actors.csv"
    text = path.read_text(encoding="utf-8").replace("ccm_status", "ccm_staus", 1)
    path.write_text(text, encoding="utf-8")
    problems = problems_of(small_seed)
    assert any(
        p.startswith(f"{path}:1: unknown column 'ccm_staus' (did you mean 'ccm_status'?)")
        for p in problems
    ), problems


def test_missing_file_is_reported(small_seed: Path) -> None:
    (small_seed / "coalitions.csv").unlink()
    problems = problems_of(small_seed)
    assert f"{small_seed / 'coalitions.csv'}: missing file" in problems


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "nope") == [f"{tmp_path / 'nope'}: no such folder"]


def test_undecodable_text_names_the_line(small_seed: Path) -> None:
    path = small_seed / "activities.csv"
    path.write_bytes(
        path.read_bytes() + "wp-b,meeting,Réunion,2026,planned,,src\n".encode("latin-1")
    )
    problems = problems_of(small_seed)
    assert any(p.startswith(f"{path}:3: not UTF-8 text (byte 0xe9)") for p in problems), problems


def drop_closing_quote(path: Path, line_number: int) -> None:
    """Delete the last quote of a line, as a hand edit that loses a cell's closing quote does."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines[line_number - 1]
    cut = line.rstrip("\n").rfind('"')
    lines[line_number - 1] = line[:cut] + line[cut + 1 :]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("name", ["actors.csv", "obligations.csv", "activities.csv"])
def test_an_unclosed_quote_is_one_line_where_it_opened(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "seed"
    shutil.copytree(SHIPPED_SEED, folder)
    path = folder / name
    drop_closing_quote(path, 12)
    problems = problems_of(folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:12: a quote opened here is never closed (")


@pytest.mark.parametrize(
    ("rows", "line", "why"),
    [
        # the file ends inside the quote
        (["NLD,FUNDS,halo,,2020,1,CCM,,,,public,\"src,"], 12,
         "the file ends inside it"),
        # the next quote, two lines on, is taken as its end and text follows it
        (["NLD,FUNDS,halo,,2020,1,CCM,\"money,,,public,src,",
          "NLD,FUNDS,halo,,2021,1,CCM,,,,public,src,",
          'NLD,FUNDS,halo,,2022,1,CCM,,,,public,"src, quoted",'], 12,
         "the quote on line 14 is taken as its end, and text follows it"),
        # a multi-line cell before it is not the culprit
        (['NLD,FUNDS,halo,,2020,1,CCM,"two\nlines",,,public,"src,'], 13,
         "the file ends inside it"),
    ],
)  # fmt: skip
def test_an_unclosed_quote_names_where_it_opened_and_why(
    small_seed: Path, rows: list[str], line: int, why: str
) -> None:
    path = small_seed / "relations.csv"
    for row in rows:
        append_line(path, row)
    assert problems_of(small_seed) == [
        f"{path}:{line}: a quote opened here is never closed ({why})"
    ]


def test_a_quote_inside_an_unquoted_cell_is_text(small_seed: Path) -> None:
    append_line(small_seed / "relations.csv", 'NLD,FUNDS,halo,,2020,1,CCM,the "fund",,,public,s,')
    assert read_seed(small_seed).relations[-1].purpose == 'the "fund"'


def test_every_problem_is_reported_in_one_run(small_seed: Path) -> None:
    append_line(small_seed / "actors.csv", "x6,state,Somewhere,SOM,africa,state_party,,secret,src,")
    append_line(small_seed / "relations.csv", "NLD,FUNDS,nobody,,2024,1,CCM,,,,public,src,")
    append_line(small_seed / "activities.csv", "wp-z,meeting,Meeting,2026-13,planned,,src")
    problems = problems_of(small_seed)
    assert len(problems) == 3, problems
    assert [p.split(":")[0].rsplit("/", 1)[-1] for p in problems] == [
        "activities.csv",
        "actors.csv",
        "relations.csv",
    ]


def test_bom_semicolons_and_crlf_read_like_the_original(small_seed: Path) -> None:
    original = read_seed(SMALL_SEED)
    for path in small_seed.glob("*.csv"):
        rows = path.read_text(encoding="utf-8").splitlines()
        # re-write the file the way European Excel saves it
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerows(csv.reader(rows))
        path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    assert read_seed(small_seed) == original


def test_multiline_quoted_cell_keeps_later_line_numbers_right(small_seed: Path) -> None:
    path = small_seed / "actors.csv"
    append_line(path, 'x7,operator,"Two\nline name",,,,,public,src,')
    line = append_line(path, "x8,operator,Op,,,,,nonsense,src,")
    problems = problems_of(small_seed)
    assert any(p.startswith(f"{path}:{line}: sensitivity") for p in problems), problems


def test_hostile_text_round_trips_unchanged(small_seed: Path, tmp_path: Path) -> None:
    dataset = read_seed(small_seed)
    evil = next(a for a in dataset.actors if a.id == "evil")
    assert evil.name == "'}) DETACH DELETE n //"
    assert evil.notes == "<script>alert(1)</script>"
    write_seed(dataset, tmp_path / "out", include_restricted=True)
    assert read_seed(tmp_path / "out").sorted() == dataset.sorted()


def test_export_leaves_out_restricted_and_what_hangs_on_them(tmp_path: Path) -> None:
    dataset = read_seed(SMALL_SEED)
    counts = write_seed(dataset, tmp_path / "public")
    public = read_seed(tmp_path / "public")
    ids = {a.id for a in public.actors} | {c.id for c in public.coalitions}
    assert "secretdonor" not in ids and "coal-secret" not in ids
    assert all(r.sensitivity == "public" for r in public.relations)
    assert not any("secretdonor" in (r.from_id, r.to_id) for r in public.relations)
    assert counts == {
        "actors.csv": 8,
        "obligations.csv": 3,
        "coalitions.csv": 1,
        "activities.csv": 1,
        "relations.csv": 8,
        "evidence.csv": 0,
    }


def test_shipped_seed_is_valid_and_sourced() -> None:
    from ..conftest import SHIPPED_SEED

    dataset = read_seed(SHIPPED_SEED)
    records = [*dataset.actors, *dataset.obligations, *dataset.coalitions, *dataset.activities,
               *dataset.relations]  # fmt: skip
    assert records
    assert all(r.source and r.source.strip() for r in records)


printable = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs"),
        # a name is one line without bidirectional controls (values._name)
        blacklist_characters="\r\n\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(name=printable, notes=printable)
def test_any_printable_text_round_trips(tmp_path_factory: pytest.TempPathFactory, name: str,
                                        notes: str) -> None:  # fmt: skip
    dataset = read_seed(SMALL_SEED)
    dataset.actors[0] = dataclasses.replace(dataset.actors[0], name=name, notes=notes)
    folder = tmp_path_factory.mktemp("roundtrip")
    write_seed(dataset, folder, include_restricted=True)
    again = read_seed(folder)
    assert next(a for a in again.actors if a.id == dataset.actors[0].id) == dataset.actors[0]


def test_actor_records_are_frozen() -> None:
    actor = Actor("X", "state", "X", source="s")
    with pytest.raises(dataclasses.FrozenInstanceError):
        actor.name = "Y"  # type: ignore[misc]


def test_additions_are_checked_together_with_the_base(tmp_path: Path) -> None:
    from ccm_graph.dataset import read_additions

    base = read_seed(SMALL_SEED)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "relations.csv").write_text(
        "from,type,to,year,amount_usd,source\nCHE,FUNDS,LBN,2025,,test\n", encoding="utf-8"
    )
    merged = read_additions(extra, base)
    assert len(merged.relations) == len(base.relations) + 1
    assert len(base.relations) == len(read_seed(SMALL_SEED).relations)  # base unchanged
    (extra / "actors.csv").write_text("id,kind,name,source\nLAO,state,Again,test\n",
                                      encoding="utf-8")  # fmt: skip
    with pytest.raises(DataError) as info:
        read_additions(extra, base)
    assert [str(p) for p in info.value.problems] == [
        f"{extra / 'actors.csv'}:2: duplicate id 'LAO' (already used at "
        f"{SMALL_SEED / 'actors.csv'}:2)"
    ]
