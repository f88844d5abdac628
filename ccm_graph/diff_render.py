"""A :class:`~ccm_graph.diff.DatasetDiff` for people and scripts.

For people, the meeting page (:mod:`ccm_graph.diff_words`: names, amounts, gap levels, in
English, French or Spanish) as text, Markdown or HTML; the Markdown and HTML come from the
templates ``diff.md.j2`` and ``diff.html.j2`` (:mod:`ccm_graph.templating`), the HTML in the
shared page shell with its content security policy: no scripts, no external files, every
string that comes from the data escaped. For analysts, the technical view with ids and column
names, as text (``ids``) or JSON. When restricted records were included, every format says so
at the top (the HTML page in red).
"""

from __future__ import annotations

import json
from typing import Any

from .diff import Action, DatasetDiff, FieldChange, RecordChange
from .diff_words import MeetingPage
from .escaping import visible
from .templating import render

__all__ = ["DIFF_FORMATS", "render_diff"]

DIFF_FORMATS = ("table", "markdown", "json", "html", "ids")
"""``table`` (text), ``markdown`` and ``html`` are the meeting page, with names
(:mod:`ccm_graph.diff_words`); ``ids`` (text) and ``json`` the technical view, ids and columns."""

_ACTIONS: tuple[tuple[Action, str], ...] = (
    ("added", "Added"),
    ("removed", "Removed"),
    ("changed", "Changed"),
)
_RESTRICTED = (
    "RESTRICTED RECORDS INCLUDED: this comparison shows records marked restricted; "
    "do not share it outside the team."
)


def _value(value: Any) -> str:
    """A field's value as every format shows it: control and bidirectional characters made
    visible (``␍``, ``<U+202E>``), so a value cannot rewrite a terminal line or a page."""
    return "(blank)" if value is None else visible(value)


def _fields(fields: tuple[FieldChange, ...]) -> list[str]:
    return [f"{f.field}: {_value(f.old)} → {_value(f.new)}" for f in fields]


def _title(change: RecordChange) -> str:
    key = visible(change.key)
    return f"{key} ({visible(change.name)})" if change.name else key


def render_diff(
    diff: DatasetDiff,
    fmt: str,
    *,
    old: str,
    new: str,
    include_restricted: bool = False,
    lang: str = "en",
) -> str:
    """The whole comparison of ``old`` → ``new`` (their names, as typed) in ``fmt`` (see
    :data:`DIFF_FORMATS`); the meeting page in ``lang``."""
    from .diff_words import meeting_page

    if fmt in ("table", "markdown", "html"):
        page = meeting_page(diff, old=old, new=new, lang=lang,
                            include_restricted=include_restricted)  # fmt: skip
        if fmt == "table":
            return _meeting_text(page)
        template = "diff.md.j2" if fmt == "markdown" else "diff.html.j2"
        text = render(template, page=page, lang=lang)
        return text.rstrip() + "\n" if fmt == "markdown" else text
    if fmt == "json":
        data = {"old": old, "new": new, "include_restricted": include_restricted,
                **diff.as_record()}  # fmt: skip
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if fmt == "ids":
        return _text(diff, old, new, include_restricted)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")


def _meeting_text(page: MeetingPage) -> str:
    """The meeting page as plain text for the terminal."""
    from .i18n import typeset, voice
    from .wording import say

    lines = [page.restricted_notice, ""] if page.restricted else []
    lines += [page.title, *page.summary]
    for section in page.sections:
        lines += ["", typeset(f"{section.heading} ({len(section.lines)}):", page.lang)]
        lines += [f"  - {line}" for line in section.lines]
    if page.as_of:
        said = say("Gaps computed for both as of {date}.", date=page.as_of)
        lines += ["", said.render(voice(page.lang, for_people=False))]
    return "\n".join(lines)


def _counts_line(diff: DatasetDiff) -> str:
    parts = []
    for kind, numbers in diff.counts().items():
        text = ", ".join(f"{n} {action}" for action, n in numbers.items() if n)
        if text:
            parts.append(f"{kind}: {text}")
    return "; ".join(parts) or "no record changed"


def _gap_line(gap: Any) -> str:
    return f"[{gap.level}] {gap.kind} ({', '.join(gap.subjects)}): {gap.summary}"


def _text(diff: DatasetDiff, old: str, new: str, restricted: bool) -> str:
    lines = [_RESTRICTED, ""] if restricted else []
    lines.append(f"What changed from {old} to {new}: {_counts_line(diff)}.")
    for meta in diff.metadata:
        lines.append(f"  metadata {meta.field}: {_value(meta.old)} → {_value(meta.new)}")
    for action, heading in _ACTIONS:
        chosen = diff.of(action)
        if not chosen:
            continue
        lines += ["", f"{heading} ({len(chosen)}):"]
        for change in chosen:
            lines.append(f"  {change.kind} {_title(change)}")
            lines += [f"      {text}" for text in _fields(change.fields)]
    for heading, gaps in (("Synergy gaps opened", diff.gaps_opened),
                          ("Synergy gaps closed", diff.gaps_closed)):  # fmt: skip
        if gaps:
            lines += ["", f"{heading} ({len(gaps)}):"]
            lines += [f"  {_gap_line(g)}" for g in gaps]
    if diff.as_of:
        lines += ["", f"Gaps computed for both as of {diff.as_of.isoformat()}."]
    return "\n".join(lines)
