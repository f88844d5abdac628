"""Text that spoofs a terminal or a page (issue 22, item 10).

Carriage returns and bidirectional controls in names and coalition names are refused at
every door (the CSV files, workbooks and Neo4j reads share the value rules; the coalition
workflow and its options too); every table writer shows control characters visibly.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccm_graph.coalitions import propose_coalition as propose
from ccm_graph.dataset import read_seed, write_seed
from ccm_graph.errors import DataError
from ccm_graph.escaping import visible
from ccm_graph.render import render
from ccm_graph.schema import Actor, Coalition
from ccm_graph.values import ValueProblem, check_value, parse_cell

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
SPOOFS = ["Lao\rPDR", "Lao\nPDR", "Lao\tPDR", "evil\u202efdp.exe", *(f"a{c}b" for c in BIDI)]

NAME_COLUMNS = [
    record.__dataclass_fields__["name"].metadata["column"] for record in (Actor, Coalition)
]


@pytest.mark.parametrize("column", NAME_COLUMNS, ids=["actor", "coalition"])
@pytest.mark.parametrize("text", SPOOFS, ids=repr)
def test_a_name_that_spoofs_is_refused_by_every_value_door(column: Any, text: str) -> None:
    with pytest.raises(ValueProblem, match="name"):
        parse_cell(column, text)  # files and workbooks
    with pytest.raises(ValueProblem, match="name"):
        check_value(column, text)  # library callers and Neo4j reads


def test_a_seed_file_with_a_bidi_override_in_a_name_is_refused(small_seed: Path) -> None:
    actors = small_seed / "actors.csv"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("Lao PDR", "Lao \u202ePDR"), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"actors.csv:2: name: .*U\+202E"):
        read_seed(small_seed)


def test_names_in_right_to_left_scripts_are_still_names() -> None:
    for name in ("لبنان", "ລາວ", "Lao PDR (ລາວ)", "מדינה\u200f"):  # an RLM is a mark, not a control
        assert parse_cell(NAME_COLUMNS[0], name) == name


def test_the_coalition_workflow_refuses_them_before_writing() -> None:
    for name in ("Quiet\rcoalition", "Quiet \u202ecoalition"):
        with pytest.raises(DataError, match=r"^name: "):
            propose(cast(Any, None), focus="LAO", name=name)  # refused before the store is used


def test_notes_keep_their_line_breaks(small_seed: Path, tmp_path: Path) -> None:
    dataset = read_seed(small_seed)
    dataset.actors[0] = dataclasses.replace(dataset.actors[0], notes="line one\r\nline two")
    write_seed(dataset, tmp_path / "out", include_restricted=True)
    again = {a.id: a for a in read_seed(tmp_path / "out").actors}
    assert again[dataset.actors[0].id].notes == "line one\r\nline two"


def test_tables_show_control_characters_visibly() -> None:
    rows = [{"name": "Lao\rPDR", "notes": "evil\u202efdp.exe\x1b[2J", "n": 1}]
    text = "\n".join(render(rows, "table"))
    assert "\r" not in text and "\u202e" not in text and "\x1b" not in text
    assert "Lao␍PDR" in text and "<U+202E>" in text and "␛[2J" in text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_visible_leaves_no_control_and_keeps_every_other_character(text: str) -> None:
    shown = visible(text)
    for char in shown:
        assert not (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F), repr(shown)
        assert char not in BIDI and char not in "\u2028\u2029"
    plain = [c for c in text if c.isprintable() and c not in BIDI]
    assert all(c in shown for c in plain)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_any_name_is_one_line_without_bidi_controls_or_refused(text: str) -> None:
    try:
        name = parse_cell(NAME_COLUMNS[0], text)
    except ValueProblem:
        return
    if name is not None:
        assert not any(c in name for c in ("\r", "\n", "\t", *BIDI))
        assert check_value(NAME_COLUMNS[0], name) == name  # the same at every door
