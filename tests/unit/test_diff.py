"""diff_datasets on small hand-made datasets, and its four renderings."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from ccm_graph.dataset import read_seed
from ccm_graph.diff import FieldChange, diff_datasets
from ccm_graph.diff_render import render_diff
from ccm_graph.schema import Actor, Relation

from ..conftest import SMALL_SEED


def test_identical_datasets_have_no_difference() -> None:
    dataset = read_seed(SMALL_SEED)
    result = diff_datasets(dataset, read_seed(SMALL_SEED), as_of=date(2026, 1, 1))
    assert result.empty


def test_records_are_matched_by_id_and_relations_by_key() -> None:
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(old)
    new.actors = [dataclasses.replace(a, name="Laos") if a.id == "LAO" else a for a in old.actors]
    new.actors = [a for a in new.actors if a.id != "evil"]
    new.actors.append(Actor("KHM", "state", "Cambodia", source="test"))
    new.relations = [
        dataclasses.replace(r, amount_usd=2_000_000) if r.year == 2024 and r.type == "FUNDS"
        else r for r in old.relations
    ]  # fmt: skip
    new.relations.append(Relation("CHE", "MEMBER_OF", "masg", "member", source="test"))
    result = diff_datasets(old, new, gaps=False)
    assert [(c.kind, c.key, c.action) for c in result.records] == [
        ("actor", "KHM", "added"),
        ("actor", "evil", "removed"),
        ("actor", "LAO", "changed"),
        ("relation", "CHE MEMBER_OF masg (role=member)", "added"),
        ("relation", "NLD FUNDS halo (year=2024, convention=CCM, purpose=clearance in Lao PDR)",
         "changed"),
    ]  # fmt: skip
    assert result.records[2].fields == (FieldChange("name", "Lao PDR", "Laos"),)
    assert result.records[4].fields == (FieldChange("amount_usd", 1500000, 2000000),)
    assert result.counts()["actor"] == {"added": 1, "removed": 1, "changed": 1}


def test_a_new_coalition_closes_the_no_coalition_gap() -> None:
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(
        old,
        coalitions=[c for c in old.coalitions if c.id != "coal-lbn"],
        relations=[r for r in old.relations if r.to_id != "coal-lbn"],
    )
    # old has a coalition for Lebanon, new does not: a gap about LBN opens
    result = diff_datasets(old, new, as_of=date(2026, 1, 1))
    assert any("LBN" in g.subjects for g in result.gaps_opened)
    back = diff_datasets(new, old, as_of=date(2026, 1, 1))
    assert [(g.kind, g.subjects) for g in back.gaps_closed] == [
        (g.kind, g.subjects) for g in result.gaps_opened
    ]


def test_html_escapes_data_and_has_no_script() -> None:
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(old, actors=[*old.actors, Actor("x", "operator",
                              "<script>alert(1)</script>", source="<b>")])  # fmt: skip
    result = diff_datasets(old, new, gaps=False)
    page = render_diff(result, "html", old="a<b", new="neo4j")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a&lt;b" in page and "@media print" in page and "RESTRICTED" not in page
    flagged = render_diff(result, "html", old="a", new="b", include_restricted=True)
    assert '<p class="restricted">RESTRICTED RECORDS INCLUDED' in flagged
    assert flagged.index("RESTRICTED") < flagged.index("<h1>")


def test_text_markdown_and_json_say_the_same() -> None:
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(old, activities=[])
    result = diff_datasets(old, new, gaps=False)
    text = render_diff(result, "table", old="old", new="new")
    assert "Removed (1):" in text and "activity wp-a (Build synergies" in text
    markdown = render_diff(result, "markdown", old="old", new="new", include_restricted=True)
    assert markdown.startswith("# What changed: old → new\n\n> **RESTRICTED RECORDS INCLUDED")
    assert "## Removed (1)" in markdown
    data = json.loads(render_diff(result, "json", old="old", new="new"))
    assert data["counts"]["activity"] == {"added": 0, "removed": 1, "changed": 0}
    assert data["include_restricted"] is False


def test_control_characters_are_shown_not_obeyed_in_every_format() -> None:
    """A note holding a carriage return or a right-to-left override (text fields allow what
    names refuse) is shown visibly by the text, Markdown and HTML diff."""
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(old, actors=list(old.actors))
    first = new.actors[0]
    new.actors[0] = dataclasses.replace(first, notes="paid\r\u202eevil")
    diff = diff_datasets(old, new)
    for fmt in ("table", "markdown", "html"):
        out = render_diff(diff, fmt, old="a", new="b")
        assert "\r" not in out and "\u202e" not in out, fmt
        shown = out.replace("&lt;", "<").replace("&gt;", ">").replace("\\", "")
        assert "paid␍<U+202E>evil" in shown, fmt
