"""Parsing the named-query library and reporting malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_graph.errors import DataError
from ccm_graph.query_library import load_queries


def test_headers_are_parsed(tmp_path: Path) -> None:
    (tmp_path / "a.cypher").write_text(
        "// name: a\n// description: Says a.\n"
        '// param: since = "2024"  (a year)\n// param: n = 3\nRETURN $since, $n\n',
        encoding="utf-8",
    )
    [query] = load_queries(tmp_path).values()
    assert (query.name, query.description, query.text) == ("a", "Says a.", "RETURN $since, $n")
    assert [(p.name, p.example, p.note) for p in query.params] == [
        ("since", '"2024"', "a year"),
        ("n", "3", ""),
    ]
    assert query.usage() == "ccm-graph query --name a --param 'since=\"2024\"' --param 'n=3'"


def test_every_malformed_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "no-name.cypher").write_text("// description: x.\nRETURN 1\n", encoding="utf-8")
    (tmp_path / "bad-param.cypher").write_text(
        "// name: b\n// description: x.\n// param: what?\nRETURN 1\n", encoding="utf-8"
    )
    (tmp_path / "empty.cypher").write_text("// name: c\n// description: x.\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_queries(tmp_path)
    assert [str(p) for p in info.value.problems] == [
        f"{tmp_path / 'bad-param.cypher'}:3: param lines read: name = example  (note)",
        f"{tmp_path / 'empty.cypher'}: no Cypher after the header",
        f"{tmp_path / 'no-name.cypher'}:1: missing '// name:' header line",
    ]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such query folder"):
        load_queries(tmp_path / "nope")


def test_restricted_header_marks_a_query_as_honouring_it(tmp_path: Path) -> None:
    (tmp_path / "a.cypher").write_text(
        "// name: a\n// description: A.\n// restricted: honoured\n"
        "MATCH (a:Actor) WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') "
        "<> 'restricted') RETURN a\n",
        encoding="utf-8",
    )
    (tmp_path / "b.cypher").write_text(
        "// name: b\n// description: B.\n// param: include_restricted = false\nRETURN 1\n",
        encoding="utf-8",
    )
    (tmp_path / "c.cypher").write_text("// name: c\n// description: C.\nRETURN 1\n")
    library = load_queries(tmp_path)
    assert [q.restricted_honoured for q in library.values()] == [True, True, False]
    assert library["b"].user_params == () and library["b"].usage() == "ccm-graph query --name b"


def test_every_shipped_query_honours_restricted() -> None:
    for query in load_queries().values():
        assert query.restricted_honoured, query.name
        assert "$include_restricted" in query.text, query.name
