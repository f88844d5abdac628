"""A :class:`~ccm_graph.diff.DatasetDiff` as a meeting page: what changed, said with names, in
English, French or Spanish.

"Lao PDR: deadline 2025-08-01 → 2030-08-01", "Norway → Lao PDR grant 2023, USD 1,200,000
added", "Iraq: high → medium": records by their names (in the page's language where the data
has an alias), columns as words, enum values as words, the amounts of grants added or removed
and their totals, and the gaps whose level changed. The technical view (ids and column names)
stays in :mod:`ccm_graph.diff_render` (``--format ids`` and ``json``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .diff import Action, DatasetDiff, GapChange, GapLevelChange, RecordChange
from .escaping import visible
from .i18n import N_, translator, voice, word
from .schema import Relation
from .wording import Money, Name, Phrase, Voice, say

__all__ = ["MeetingPage", "MeetingSection", "meeting_page"]

FIELD_WORDS: dict[str, str] = {
    "name": N_("name"),
    "kind": N_("kind"),
    "region": N_("region"),
    "ccm_status": N_("CCM status"),
    "apmbc_status": N_("APMBC status"),
    "aliases": N_("other names"),
    "deadline": N_("deadline"),
    "status": N_("status"),
    "original_deadline": N_("original deadline"),
    "extensions": N_("extensions"),
    "extension_requested": N_("extension requested"),
    "request_outcome": N_("outcome of the request"),
    "requested_deadline": N_("requested deadline"),
    "completed": N_("completed"),
    "assistance_requested": N_("assistance requested"),
    "amount_usd": N_("amount"),
    "role": N_("role"),
    "source": N_("source"),
    "notes": N_("notes"),
    "description": N_("description"),
}
"""Columns as a meeting page names them (others: the column with spaces)."""

_ENUM_FIELDS = {"kind", "ccm_status", "apmbc_status", "status", "request_outcome",
                "assistance_requested", "role"}  # fmt: skip

RELATION_WORDS: dict[str, str] = {
    "FUNDS": N_("funds"),
    "MEMBER_OF": N_("member of"),
    "OPERATES_IN": N_("operates in"),
    "SUPPORTS": N_("supports"),
    "PARTICIPATES_IN": N_("takes part in"),
}

_SECTIONS = (
    ("obligation", N_("Obligations")),
    ("grant", N_("Grants")),
    ("actor", N_("Actors")),
    ("relation", N_("Roles, presence and support")),
    ("coalition", N_("Coalitions")),
    ("activity", N_("Activities")),
)
RESTRICTED = N_("RESTRICTED RECORDS INCLUDED: this comparison shows records marked restricted; "
                "do not share it outside the team.")  # fmt: skip


@dataclass(frozen=True)
class MeetingSection:
    """A heading and its lines, each a finished sentence in the page's language."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class MeetingPage:
    """What changed, for a meeting (plain text; the templates escape it): the title, the
    totals of grants added and removed, the sections that have something, and the date both
    sides' gaps were computed for."""

    lang: str
    title: str
    restricted: bool
    restricted_notice: str
    summary: tuple[str, ...]
    sections: tuple[MeetingSection, ...]
    as_of: date | None


def _value(field: str, value: Any, v: Voice) -> str:
    if value is None or value == "":
        return v.gettext("(blank)")
    if field == "amount_usd" and isinstance(value, int | float):
        return Phrase("{amount}", (("amount", Money(float(value))),)).render(v)
    if field in _ENUM_FIELDS:
        return word(value, v.gettext)
    return visible(value)


def _field(change: Any, v: Voice) -> str:
    label = v.gettext(FIELD_WORDS[change.field]) if change.field in FIELD_WORDS else \
        change.field.replace("_", " ")  # fmt: skip
    return say("{field} {old} → {new}", field=label, old=_value(change.field, change.old, v),
               new=_value(change.field, change.new, v)).render(v)  # fmt: skip


def _named(names: dict[str, Name], ident: str) -> Name:
    return names.get(ident, Name(ident))


def _grant(change: RecordChange, rel: Relation, names: dict[str, Name], v: Voice) -> str:
    who = {"donor": _named(names, rel.from_id), "recipient": _named(names, rel.to_id)}
    year = rel.year if rel.year is not None else "—"
    amount = Money(rel.amount_usd)
    if change.action == "added":
        return say("{donor} → {recipient} grant {year}, {amount} added", **who, year=year,
                   amount=amount).render(v)  # fmt: skip
    if change.action == "removed":
        return say("{donor} → {recipient} grant {year}, {amount} removed", **who, year=year,
                   amount=amount).render(v)  # fmt: skip
    said = "; ".join(_field(f, v) for f in change.fields)
    return say("{donor} → {recipient} grant {year}: {changes}", **who, year=year,
               changes=said).render(v)  # fmt: skip


def _relation(change: RecordChange, names: dict[str, Name], v: Voice) -> str:
    rel: Relation = change.after or change.before
    if rel.type == "FUNDS":
        return _grant(change, rel, names, v)
    link = v.gettext(RELATION_WORDS.get(rel.type, rel.type))
    if rel.role:
        link += f" ({word(rel.role, v.gettext)})"
    subject = say("{source} {link} {target}", source=_named(names, rel.from_id), link=link,
                  target=_named(names, rel.to_id))  # fmt: skip
    return _said(change, subject, v)


def _said(change: RecordChange, subject: Phrase | Name, v: Voice) -> str:
    if change.action == "added":
        return say("{name}: added", name=subject).render(v)
    if change.action == "removed":
        return say("{name}: removed", name=subject).render(v)
    changes = "; ".join(_field(f, v) for f in change.fields)
    return say("{name}: {changes}", name=subject, changes=changes).render(v)


def _section_of(change: RecordChange) -> str:
    if change.kind == "relation":
        rel = change.after or change.before
        return "grant" if getattr(rel, "type", "") == "FUNDS" else "relation"
    return change.kind


def _line(change: RecordChange, names: dict[str, Name], v: Voice) -> str:
    if change.kind == "relation" and (change.after or change.before) is not None:
        return _relation(change, names, v)
    ident = change.key
    name = names.get(ident, Name(change.name or ident))
    record = change.after or change.before
    if change.kind == "actor" and change.action != "changed" and record is not None:
        kind = word(record.kind, v.gettext)
        return _said(change, say("{name} ({kind})", name=name, kind=kind), v)
    return _said(change, name, v)


def _totals(diff: DatasetDiff, v: Voice) -> list[str]:
    lines = []
    actions: tuple[Action, ...] = ("added", "removed")
    for action in actions:
        grants = [c for c in diff.of(action)
                  if c.kind == "relation" and _section_of(c) == "grant"]  # fmt: skip
        if not grants:
            continue
        rels = [c.after if action == "added" else c.before for c in grants]
        total = Money(sum(r.amount_usd or 0 for r in rels))
        n = len(grants)
        said = (say("Grants added: {count}, {amount} in all", count=n, amount=total)
                if action == "added" else
                say("Grants removed: {count}, {amount} in all", count=n, amount=total))  # fmt: skip
        lines.append(said.render(v))
    return lines


def _gap(gap: GapChange | GapLevelChange, names: dict[str, Name], v: Voice) -> str:
    summary = gap.phrase.render(v) if gap.phrase is not None else gap.summary
    subject = _named(names, gap.subjects[0]) if gap.subjects else Name("—")
    if isinstance(gap, GapLevelChange):
        return say("{name}: {old} → {new} ({summary})", name=subject,
                   old=word(gap.old_level, v.gettext), new=word(gap.new_level, v.gettext),
                   summary=summary).render(v)  # fmt: skip
    return v.typeset(f"{word(gap.level, v.gettext)}:") + f" {summary}"


def meeting_page(
    diff: DatasetDiff, *, old: str, new: str, lang: str = "en", include_restricted: bool = False
) -> MeetingPage:
    """The comparison of ``old`` → ``new`` (their names, as typed) as a meeting page in
    ``lang``: one section per kind of change, each change one sentence with names."""
    v = voice(lang, for_people=False)
    _ = translator(lang)
    grouped: dict[str, list[str]] = {}
    for change in diff.records:
        grouped.setdefault(_section_of(change), []).append(_line(change, diff.names, v))
    sections = [MeetingSection(_(heading), tuple(grouped[key]))
                for key, heading in _SECTIONS if grouped.get(key)]  # fmt: skip
    for heading, gaps in ((N_("Gap levels changed"), diff.gaps_changed),
                          (N_("Gaps opened"), diff.gaps_opened),
                          (N_("Gaps closed"), diff.gaps_closed)):  # fmt: skip
        if gaps:
            lines = tuple(_gap(g, diff.names, v) for g in gaps)
            sections.append(MeetingSection(_(heading), lines))
    if diff.metadata:
        sections.append(MeetingSection(_("Metadata"), tuple(
            say("{field} {old} → {new}", field=m.field, old=visible(m.old or "—"),
                new=visible(m.new or "—")).render(v) for m in diff.metadata)))  # fmt: skip
    summary = _totals(diff, v) or ([] if sections else [_("Nothing changed.")])
    return MeetingPage(
        lang=lang,
        title=say("What changed: {old} → {new}", old=visible(old), new=visible(new)).render(v),
        restricted=include_restricted,
        restricted_notice=_(RESTRICTED),
        summary=tuple(summary),
        sections=tuple(sections),
        as_of=diff.as_of,
    )
