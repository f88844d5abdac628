"""A :class:`~ccm_graph.diff.DatasetDiff` for people and scripts: text, Markdown, JSON, HTML.

The HTML page is self-contained and printable: no scripts, no external files, every string
that comes from the data escaped. When restricted records were included, every format says so
at the top (the HTML page in red). The Markdown and HTML come from the templates
``diff.md.j2`` and ``diff.html.j2`` (:mod:`ccm_graph.templating`), fed a :class:`DiffPage`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from .diff import Action, DatasetDiff, FieldChange, RecordChange
from .escaping import visible
from .templating import render

__all__ = ["DIFF_FORMATS", "DiffPage", "diff_page", "render_diff"]

DIFF_FORMATS = ("table", "markdown", "json", "html")

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


@dataclass(frozen=True)
class ChangeLine:
    """A changed record: its kind, ``key (name)``, and its fields as ``field: old → new``."""

    kind: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ChangeSection:
    """The records added, removed or changed (``action``), under their heading."""

    action: Action
    heading: str
    changes: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class GapSection:
    """The synergy gaps opened or closed, one line each."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class MetadataLine:
    """A changed field of ``metadata.json``, old and new as text (``(blank)`` for none)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class DiffPage:
    """A comparison as the diff templates show it (plain text; the templates escape it):
    empty sections are left out; ``as_of`` is the date both sides' gaps were computed for."""

    old: str
    new: str
    restricted: bool
    restricted_notice: str
    counts: str
    metadata: tuple[MetadataLine, ...]
    sections: tuple[ChangeSection, ...]
    gap_sections: tuple[GapSection, ...]
    as_of: date | None


def diff_page(
    diff: DatasetDiff, *, old: str, new: str, include_restricted: bool = False
) -> DiffPage:
    """The comparison of ``old`` → ``new`` (their names, as typed) for the templates."""
    gap_sections = (("Synergy gaps opened", diff.gaps_opened),
                    ("Synergy gaps closed", diff.gaps_closed))  # fmt: skip
    return DiffPage(
        old=old,
        new=new,
        restricted=include_restricted,
        restricted_notice=_RESTRICTED,
        counts=_counts_line(diff),
        metadata=tuple(MetadataLine(c.field, _value(c.old), _value(c.new)) for c in diff.metadata),
        sections=tuple(
            ChangeSection(
                action,
                heading,
                tuple(
                    ChangeLine(c.kind, _title(c), tuple(_fields(c.fields))) for c in diff.of(action)
                ),
            )
            for action, heading in _ACTIONS
            if diff.of(action)
        ),
        gap_sections=tuple(
            GapSection(heading, tuple(_gap_line(g) for g in gaps))
            for heading, gaps in gap_sections
            if gaps
        ),
        as_of=diff.as_of,
    )


def render_diff(
    diff: DatasetDiff, fmt: str, *, old: str, new: str, include_restricted: bool = False
) -> str:
    """The whole comparison of ``old`` → ``new`` (their names, as typed) in ``fmt``."""
    if fmt == "json":
        data = {"old": old, "new": new, "include_restricted": include_restricted,
                **diff.as_record()}  # fmt: skip
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if fmt == "markdown":
        page = diff_page(diff, old=old, new=new, include_restricted=include_restricted)
        return render("diff.md.j2", page=page, lang="en").rstrip() + "\n"
    if fmt == "html":
        page = diff_page(diff, old=old, new=new, include_restricted=include_restricted)
        return render("diff.html.j2", page=page, lang="en")
    if fmt == "table":
        return _text(diff, old, new, include_restricted)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")


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
