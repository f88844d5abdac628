"""The hand-outs' templates: every data-derived string escaped in every template's output, the
environment's rules, and the templates' messages found for the catalogs."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from importlib import resources

import jinja2
import pytest
from markupsafe import Markup

from ccm_graph.briefs import (
    brief_html,
    brief_markdown,
    coalition_brief,
    guide_html,
    guide_markdown,
)
from ccm_graph.dataset import read_seed
from ccm_graph.diff import diff_datasets
from ccm_graph.diff_render import render_diff
from ccm_graph.graph import build_graph
from ccm_graph.i18n.extract import KEYWORDS, extract_jinja, extract_messages
from ccm_graph.schema import Actor
from ccm_graph.templating import MarkdownText, environment, format_date, render

from ..conftest import SMALL_SEED

TAG = "<img src=x onerror=alert(1)>"
LINK = "*[x](javascript:alert(1))*"
HOSTILE = f"{TAG} {LINK} "


def _hostile_graph():
    """The small seed with every actor's and coalition's name and source made hostile."""
    dataset = read_seed(SMALL_SEED).without_restricted()
    dataset.actors = [dataclasses.replace(a, name=HOSTILE + a.name, source=HOSTILE)
                      for a in dataset.actors]  # fmt: skip
    dataset.coalitions = [dataclasses.replace(c, name=HOSTILE + c.name)
                          for c in dataset.coalitions]  # fmt: skip
    return build_graph(dataset)


def _briefs(fmt: str) -> list[str]:
    G = _hostile_graph()
    render_one = brief_html if fmt == "html" else brief_markdown
    texts = []
    for target in ("coal-lbn", "LAO"):
        brief = coalition_brief(G, target, as_of="2026-01-01", command=f"ccm-graph {HOSTILE}")
        texts += [render_one(brief, annex=True, restricted=True), render_one(brief)]
    return texts


def _guides(fmt: str) -> list[str]:
    G = _hostile_graph()
    render_one = guide_html if fmt == "html" else guide_markdown
    return [render_one(G, as_of="2026-01-01", lang=lang, data_as_of=HOSTILE)
            for lang in ("en", "fr")]  # fmt: skip


def _diffs(fmt: str) -> list[str]:
    old = read_seed(SMALL_SEED)
    new = dataclasses.replace(old, actors=[*old.actors, Actor("x", "operator", HOSTILE,
                              source=HOSTILE)])  # fmt: skip
    result = diff_datasets(old, new, gaps=False)
    name = "html" if fmt == "html" else "markdown"
    return [render_diff(result, name, old=HOSTILE, new="neo4j", include_restricted=flag)
            for flag in (True, False)]  # fmt: skip


OUTPUTS: dict[str, Callable[[], list[str]]] = {
    "brief.html.j2": lambda: _briefs("html"),
    "brief.md.j2": lambda: _briefs("md"),
    "guide.html.j2": lambda: _guides("html"),
    "guide.md.j2": lambda: _guides("md"),
    "diff.html.j2": lambda: _diffs("html"),
    "diff.md.j2": lambda: _diffs("md"),
}


def test_every_template_is_checked_for_escaping() -> None:
    folder = resources.files("ccm_graph") / "templates"
    outputs = {p.name for p in folder.iterdir() if p.name.endswith(".j2")
               and not p.name.startswith("_")}  # fmt: skip
    assert outputs == set(OUTPUTS)


@pytest.mark.parametrize("template", sorted(OUTPUTS))
def test_a_hostile_name_comes_out_escaped(template: str) -> None:
    for text in OUTPUTS[template]():
        if template.endswith(".html.j2"):
            assert "&lt;img src=x onerror=alert(1)&gt;" in text
            assert "<img" not in text and "onerror=alert(1)>" not in text
            assert not re.search(r"\shref\s*=", text)
        else:
            assert "\\<img src=x onerror=alert(1)\\>" in text
            assert "\\*\\[x\\](javascript:alert(1))\\*" in text
            assert not re.search(r"(?<!\\)<", text)  # no raw HTML
            assert not re.search(r"(?<!\\)\[x(?<!\\)\]\(javascript", text)  # no live link
            assert "&lt;" not in text  # backslashes, never entities


# --- the environment ---------------------------------------------------------------------------


def test_html_escapes_like_html_escape_and_keeps_markup() -> None:
    env = environment("html")
    page = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}").render(
        a="People's <b>", b=None, c=Markup("<svg></svg>"), d=MarkdownText("\\*x\\* <i>")
    )
    assert page == "People&#x27;s &lt;b&gt;||<svg></svg>|\\*x\\* &lt;i&gt;"


def test_markdown_escapes_data_and_keeps_formatted_markdown() -> None:
    env = environment("markdown")
    text = env.from_string("{{ a }}|{{ b }}").render(a="*a* <b>", b=MarkdownText("**kept**"))
    assert text == "\\*a\\* \\<b\\>|**kept**"


def test_translations_are_fixed_text_but_a_sentence_with_data_is_escaped() -> None:
    template = '{{ _("Map") }}|{{ _("Issued on {date}.", date=d) }}'
    assert environment("markdown").from_string(template).render(lang="fr", d="*1*") == (
        "Carte|Publié le \\*1\\*."
    )
    assert environment("html").from_string(template).render(lang="en", d="<1>") == (
        "Map|Issued on &lt;1&gt;."
    )


def test_an_undefined_name_is_an_error_not_a_blank() -> None:
    with pytest.raises(jinja2.UndefinedError):
        environment("html").from_string("{{ page.nothing }}").render(page={}, lang="en")
    with pytest.raises(jinja2.UndefinedError):
        render("guide.md.j2", lang="en")  # no page


def test_dates_in_prose_follow_the_language() -> None:
    import datetime

    assert format_date(datetime.date(2026, 3, 1), "en") == "2026-03-01"  # English: as before
    assert format_date(datetime.date(2026, 3, 1), "es") == "1 de marzo de 2026"
    assert format_date("2026-03-01", "fr") == "1er mars 2026"
    assert format_date("2026-03", "fr") == "2026-03" and format_date(None) == ""


def test_template_messages_are_found_for_the_catalogs() -> None:
    messages = extract_messages()
    assert "Why a Country Coalition" in messages and "The ask" in messages
    source = io.BytesIO(b'{% trans %}Hello{% endtrans %}{{ ngettext("{n} a", "{n} b", n) }}')
    found = [message for _line, _name, message, _c in extract_jinja(source, KEYWORDS, (), {})]
    assert found == ["Hello", ("{n} a", "{n} b")]


def test_a_trans_block_escapes_its_values_as_the_format_needs() -> None:
    template = "{% trans n=x %}A {{ n }}{% endtrans %}"
    assert environment("markdown").from_string(template).render(lang="en", x=LINK) == (
        "A \\*\\[x\\](javascript:alert(1))\\*"
    )
    assert environment("html").from_string(template).render(lang="en", x=TAG) == (
        "A &lt;img src=x onerror=alert(1)&gt;"
    )
