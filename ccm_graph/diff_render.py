"""A :class:`~ccm_graph.diff.DatasetDiff` for people and scripts: text, Markdown, JSON, HTML.

The HTML page is self-contained and printable: no scripts, no external files, every string
that comes from the data escaped. When restricted records were included, every format says so
at the top (the HTML page in red).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from .diff import Action, DatasetDiff, FieldChange, RecordChange

__all__ = ["DIFF_FORMATS", "render_diff"]

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
    return "(blank)" if value is None else str(value)


def _fields(fields: tuple[FieldChange, ...]) -> list[str]:
    return [f"{f.field}: {_value(f.old)} → {_value(f.new)}" for f in fields]


def _title(change: RecordChange) -> str:
    return f"{change.key} ({change.name})" if change.name else change.key


def render_diff(
    diff: DatasetDiff, fmt: str, *, old: str, new: str, include_restricted: bool = False
) -> str:
    """The whole comparison of ``old`` → ``new`` (their names, as typed) in ``fmt``."""
    if fmt == "json":
        data = {"old": old, "new": new, "include_restricted": include_restricted,
                **diff.as_record()}  # fmt: skip
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if fmt == "markdown":
        return _markdown(diff, old, new, include_restricted)
    if fmt == "html":
        return _html(diff, old, new, include_restricted)
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


def _md(text: str) -> str:
    return escape(text, quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _markdown(diff: DatasetDiff, old: str, new: str, restricted: bool) -> str:
    lines = [f"# What changed: {_md(old)} → {_md(new)}", ""]
    if restricted:
        lines += [f"> **{_RESTRICTED}**", ""]
    lines += [_md(_counts_line(diff)) + ".", ""]
    if diff.metadata:
        lines += ["## Metadata", ""]
        lines += [f"- {_md(c.field)}: {_md(_value(c.old))} → {_md(_value(c.new))}"
                  for c in diff.metadata]  # fmt: skip
        lines.append("")
    for action, heading in _ACTIONS:
        chosen = diff.of(action)
        if not chosen:
            continue
        lines += [f"## {heading} ({len(chosen)})", ""]
        for change in chosen:
            lines.append(f"- {change.kind} **{_md(_title(change))}**")
            lines += [f"  - {_md(text)}" for text in _fields(change.fields)]
        lines.append("")
    for heading, gaps in (("Synergy gaps opened", diff.gaps_opened),
                          ("Synergy gaps closed", diff.gaps_closed)):  # fmt: skip
        if gaps:
            lines += [f"## {heading} ({len(gaps)})", ""]
            lines += [f"- {_md(_gap_line(g))}" for g in gaps]
            lines.append("")
    if diff.as_of:
        lines.append(f"Gaps computed for both as of {diff.as_of.isoformat()}.")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.4; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; }
.restricted { color: #b00000; border: 2px solid #b00000; padding: .5rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; } ul.fields { margin: 0; padding-left: 1.1rem; }
.added { color: #05620d; } .removed { color: #8a1c1c; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               tr { break-inside: avoid; } }
"""


def _html(diff: DatasetDiff, old: str, new: str, restricted: bool) -> str:
    e = escape
    title = f"What changed: {old} → {new}"
    out = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title>", f"<style>{_CSS}</style></head><body>"]  # fmt: skip
    if restricted:
        out.append(f'<p class="restricted">{e(_RESTRICTED)}</p>')
    out.append(f"<h1>{e(title)}</h1>")
    out.append(f"<p>{e(_counts_line(diff))}.</p>")
    if diff.metadata:
        out.append("<h2>Metadata</h2><ul>")
        out += [f"<li>{e(c.field)}: {e(_value(c.old))} → {e(_value(c.new))}</li>"
                for c in diff.metadata]  # fmt: skip
        out.append("</ul>")
    for action, heading in _ACTIONS:
        chosen = diff.of(action)
        if not chosen:
            continue
        out.append(f'<h2 class="{action}">{heading} ({len(chosen)})</h2>')
        out.append("<table><tr><th>kind</th><th>record</th><th>fields</th></tr>")
        for change in chosen:
            fields = "".join(f"<li>{e(text)}</li>" for text in _fields(change.fields))
            cell = f'<ul class="fields">{fields}</ul>' if fields else ""
            out.append(f"<tr><td>{e(change.kind)}</td><td>{e(_title(change))}</td>"
                       f"<td>{cell}</td></tr>")  # fmt: skip
        out.append("</table>")
    for heading, gaps in (("Synergy gaps opened", diff.gaps_opened),
                          ("Synergy gaps closed", diff.gaps_closed)):  # fmt: skip
        if gaps:
            out.append(f"<h2>{heading} ({len(gaps)})</h2><ul>")
            out += [f"<li>{e(_gap_line(g))}</li>" for g in gaps]
            out.append("</ul>")
    if diff.as_of:
        out.append(f"<p>Gaps computed for both as of {e(diff.as_of.isoformat())}.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
