"""diff_datasets on small hand-made datasets, and its four renderings."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from ccm_graph.dataset import Dataset, read_seed
from ccm_graph.diff import FieldChange, GapLevelChange, diff_datasets
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
    text = render_diff(result, "ids", old="old", new="new")
    assert "Removed (1):" in text and "activity wp-a (Build synergies" in text
    meeting = render_diff(result, "table", old="old", new="new")
    assert "Activities (1):\n  - Build synergies with the APMBC committee: removed" in meeting
    markdown = render_diff(result, "markdown", old="old", new="new", include_restricted=True)
    assert markdown.startswith("# What changed: old → new\n\n> **RESTRICTED RECORDS INCLUDED")
    assert "## Activities (1)\n\n- Build synergies with the APMBC committee: removed" in markdown
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
    for fmt in ("ids", "markdown", "html"):
        out = render_diff(diff, fmt, old="a", new="b")
        assert "\r" not in out and "\u202e" not in out, fmt
        shown = out.replace("&lt;", "<").replace("&gt;", ">").replace("\\", "")
        assert "paid␍<U+202E>evil" in shown, fmt


def _meeting_change() -> tuple[Dataset, Dataset]:
    """Lao PDR's deadline moved, a grant added, one doubled, one removed."""
    old = read_seed(SMALL_SEED)
    grants = [r for r in old.relations if r.type == "FUNDS"]
    new = dataclasses.replace(
        old,
        obligations=[dataclasses.replace(o, deadline="2030-08-01") if o.state == "LAO" else o
                     for o in old.obligations],
        relations=[
            *(r for r in old.relations if r is not grants[-1]),
            Relation("NLD", "FUNDS", "LAO", year=2025, amount_usd=1_200_000, convention="CCM",
                     source="test"),
        ],
    )  # fmt: skip
    return old, new


def test_the_meeting_page_says_changes_with_names_and_amounts() -> None:
    old, new = _meeting_change()
    result = diff_datasets(old, new, gaps=False)
    text = render_diff(result, "table", old="March", new="June")
    assert text.startswith("What changed: March → June\nGrants added: 1, USD 1,200,000 in all")
    before = next(o.deadline for o in old.obligations if o.state == "LAO")
    assert f"Lao PDR: Article 4 (clearance): deadline {before} → 2030-08-01" in text
    assert "Netherlands → Lao PDR grant 2025, USD 1,200,000 added" in text
    assert "ob-" not in text and "amount_usd" not in text and "FUNDS" not in text
    assert "removed" in text and "Grants removed: 1, USD" in text


def test_the_meeting_page_in_french_and_spanish() -> None:
    old, new = _meeting_change()
    result = diff_datasets(old, new, gaps=False)
    fr = render_diff(result, "table", old="mars", new="juin", lang="fr")
    assert fr.startswith("Changements\u00a0: mars → juin")
    assert "Subventions ajoutées\u00a0: 1, 1\u00a0200\u00a0000 USD au total" in fr
    assert "échéance" in fr and "deadline" not in fr
    es = render_diff(result, "markdown", old="marzo", new="junio", lang="es")
    assert es.startswith("# Cambios: marzo → junio") and "plazo" in es


def test_a_gap_whose_level_changed_is_listed_with_both_levels() -> None:
    old = read_seed(SMALL_SEED)
    result = diff_datasets(old, old, as_of=date(2026, 1, 1))
    assert result.gaps_changed == []
    later = diff_datasets(old, read_seed(SMALL_SEED), as_of=date(2026, 1, 1))
    gap = GapLevelChange("no_coalition", ("LAO",), "summary", "high", "medium")
    later.gaps_changed = [gap]
    text = render_diff(later, "table", old="a", new="b")
    assert "Gap levels changed (1):\n  - Lao PDR: high → medium (summary)" in text
    assert json.loads(render_diff(later, "json", old="a", new="b"))["gaps_changed"] == [
        {"kind": "no_coalition", "subjects": ["LAO"], "summary": "summary",
         "old_level": "high", "new_level": "medium"}
    ]  # fmt: skip


def test_the_html_meeting_page_uses_the_shared_shell_with_its_policy() -> None:
    old, new = _meeting_change()
    page = render_diff(diff_datasets(old, new, gaps=False), "html", old="a", new="b", lang="fr")
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in page
    assert '<html lang="fr">' in page and "<script" not in page
