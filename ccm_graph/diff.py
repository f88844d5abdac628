"""What changed between two datasets: records, relations and synergy gaps.

:func:`diff_datasets` is a pure function: records are matched by ``id`` (within their kind),
relations by their key (the nine identifying columns, :attr:`~ccm_graph.schema.Relation.key`);
a matched pair whose other fields differ is *changed*, each field listed old → new. Gaps are
matched by kind and subjects: a gap of the new data only is *opened*, of the old only *closed*.
"What changed since the last MASG meeting": ``ccm-graph diff snapshots/snapshot-… neo4j``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .dataset import Dataset
from .metadata import info_to_json
from .schema import TABLES, Evidence, Relation
from .wording import Name, Phrase, article_title

__all__ = [
    "Action",
    "DatasetDiff",
    "FieldChange",
    "GapChange",
    "GapLevelChange",
    "RecordChange",
    "diff_datasets",
    "field_changes",
    "record_names",
    "relation_label",
]

Action = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    """One field of a record: its value before and after (``None`` is blank)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    """One record added, removed or changed.

    :ivar kind: ``actor``, ``obligation``, ``coalition``, ``activity`` or ``relation``.
    :ivar key: the id, or for a relation ``from TYPE to`` with its identifying values.
    :ivar name: the record's name or title, for people (``""`` for relations).
    :ivar fields: for ``changed``, the fields that differ, in column order.
    :ivar restricted: the record is marked restricted (before or after).
    """

    kind: str
    key: str
    action: Action
    name: str = ""
    fields: tuple[FieldChange, ...] = ()
    restricted: bool = False
    before: Any = field(default=None, compare=False, repr=False)
    """The record as it was (``None`` when added), for wording the change with names."""
    after: Any = field(default=None, compare=False, repr=False)
    """The record as it is (``None`` when removed)."""


@dataclass(frozen=True)
class GapChange:
    """A synergy gap that opened or closed between the two datasets."""

    kind: str
    subjects: tuple[str, ...]
    summary: str
    level: str
    phrase: Phrase | None = field(default=None, compare=False, repr=False)
    """The summary as a phrase, to word it in another language."""


@dataclass(frozen=True)
class GapLevelChange:
    """A synergy gap found on both sides whose level changed (``Iraq: high → medium``);
    ``summary`` and ``phrase`` are the new side's."""

    kind: str
    subjects: tuple[str, ...]
    summary: str
    old_level: str
    new_level: str
    phrase: Phrase | None = field(default=None, compare=False, repr=False)


@dataclass
class DatasetDiff:
    """Everything that differs between an old and a new dataset.

    ``records`` holds record and relation changes, by kind (file order), then action
    (added, removed, changed), then key. ``gaps_opened``/``gaps_closed`` are empty when gaps
    were not compared. ``metadata`` lists changes of ``metadata.json`` (as-of date, title …).
    """

    records: list[RecordChange] = field(default_factory=list)
    gaps_opened: list[GapChange] = field(default_factory=list)
    gaps_closed: list[GapChange] = field(default_factory=list)
    metadata: list[FieldChange] = field(default_factory=list)
    as_of: date | None = None
    gaps_changed: list[GapLevelChange] = field(default_factory=list)
    names: dict[str, Name] = field(default_factory=dict)
    """Every record's name (the new side's, else the old one's), by id, for wording."""

    def of(self, action: Action) -> list[RecordChange]:
        """The record changes of one action."""
        return [r for r in self.records if r.action == action]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind, how many records were added, removed and changed."""
        result: dict[str, dict[str, int]] = {}
        for spec in TABLES:
            kind = _kind(spec.file)
            result[kind] = {"added": 0, "removed": 0, "changed": 0}
        for change in self.records:
            result[change.kind][change.action] += 1
        return result

    @property
    def empty(self) -> bool:
        return not (self.records or self.gaps_opened or self.gaps_closed or self.metadata
                    or self.gaps_changed)  # fmt: skip

    def as_record(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "counts": self.counts(),
            "records": [
                {
                    "kind": r.kind,
                    "key": r.key,
                    "action": r.action,
                    "name": r.name,
                    "restricted": r.restricted,
                    "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in r.fields],
                }
                for r in self.records
            ],
            "gaps_opened": [_gap_record(g) for g in self.gaps_opened],
            "gaps_closed": [_gap_record(g) for g in self.gaps_closed],
            "gaps_changed": [
                {
                    "kind": g.kind,
                    "subjects": list(g.subjects),
                    "summary": g.summary,
                    "old_level": g.old_level,
                    "new_level": g.new_level,
                }
                for g in self.gaps_changed
            ],
            "metadata": [dataclasses.asdict(f) for f in self.metadata],
        }


def _gap_record(gap: GapChange) -> dict[str, Any]:
    return {"kind": gap.kind, "subjects": list(gap.subjects), "summary": gap.summary,
            "level": gap.level}  # fmt: skip


def _kind(file: str) -> str:
    return {"actors.csv": "actor", "obligations.csv": "obligation", "coalitions.csv": "coalition",
            "activities.csv": "activity", "relations.csv": "relation",
            "evidence.csv": "evidence"}[file]  # fmt: skip


def field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], order: list[str] | None = None
) -> tuple[FieldChange, ...]:
    """The fields whose values differ between two property maps (a missing key is blank).

    >>> field_changes({"name": "Laos", "region": "asia"}, {"name": "Lao PDR", "region": "asia"})
    (FieldChange(field='name', old='Laos', new='Lao PDR'),)
    """
    names = list(order or [])
    names += sorted((set(old) | set(new)) - set(names))
    return tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name) or type(old.get(name)) is not type(new.get(name))
        if not (_number(old.get(name)) and _number(new.get(name)) and old[name] == new[name])
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def relation_label(relation: Relation) -> str:
    """``NLD FUNDS LAO`` followed by the identifying values that are set (role, year …)."""
    extras = [
        f"{name}={value}"
        for name, value in zip(
            ("role", "year", "convention", "purpose", "since", "until"), relation.key[3:],
            strict=True,
        )
        if value is not None
    ]  # fmt: skip
    base = f"{relation.from_id} {relation.type} {relation.to_id}"
    return f"{base} ({', '.join(extras)})" if extras else base


def _record_props(record: Any) -> dict[str, Any]:
    return {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if getattr(record, f.name) is not None
    }


def _restricted(*records: Any) -> bool:
    return any(getattr(r, "sensitivity", None) == "restricted" for r in records if r is not None)


def _name(record: Any) -> str:
    return str(getattr(record, "name", None) or getattr(record, "title", None) or "")


def diff_datasets(
    old: Dataset,
    new: Dataset,
    *,
    gaps: bool = True,
    as_of: date | None = None,
) -> DatasetDiff:
    """Compare two datasets record by record, and their synergy gaps.

    Parameters
    ----------
    old, new : the datasets before and after (seed folders, snapshots, Neo4j).
    gaps : also compute the synergy gaps of both (:func:`ccm_graph.analysis.synergy_gaps`)
        and list those opened and closed.
    as_of : the reference date for both gap reports (default today), so that a gap opens or
        closes because the data changed, not because the calendar moved.

    Returns
    -------
    :class:`DatasetDiff`. Nothing is left out here: leave restricted records out first
    (``Dataset.without_restricted``) when the result will be shared.
    """
    result = DatasetDiff(as_of=as_of)
    for spec in TABLES:
        kind = _kind(spec.file)
        columns = [f.name for f in dataclasses.fields(spec.record)]
        if spec.node_type is None:  # relations, evidence: by their key
            before = {r.key: r for r in old.table(spec)}
            after = {r.key: r for r in new.table(spec)}
        else:
            before = {r.id: r for r in old.table(spec)}
            after = {r.id: r for r in new.table(spec)}
        changes: list[RecordChange] = []
        for key in after.keys() - before.keys():
            record = after[key]
            changes.append(RecordChange(kind, _label(record), "added", _name(record),
                                        restricted=_restricted(record), after=record))  # fmt: skip
        for key in before.keys() - after.keys():
            record = before[key]
            changes.append(RecordChange(kind, _label(record), "removed", _name(record),
                                        restricted=_restricted(record), before=record))  # fmt: skip
        for key in before.keys() & after.keys():
            fields = field_changes(_record_props(before[key]), _record_props(after[key]), columns)
            if fields:
                changes.append(RecordChange(
                    kind, _label(after[key]), "changed", _name(after[key]), fields,
                    restricted=_restricted(before[key], after[key]),
                    before=before[key], after=after[key],
                ))  # fmt: skip
        order = {"added": 0, "removed": 1, "changed": 2}
        result.records += sorted(changes, key=lambda c: (order[c.action], c.key))
    import json

    result.metadata = list(
        field_changes(json.loads(info_to_json(old.info)), json.loads(info_to_json(new.info)))
    )
    result.names = {**record_names(old), **record_names(new)}
    if gaps:
        opened, closed, changed = _gap_changes(old, new, as_of)
        result.gaps_opened, result.gaps_closed, result.gaps_changed = opened, closed, changed
    return result


def record_names(dataset: Dataset) -> dict[str, Name]:
    """Every record's name as a sentence names it, by id: actors and coalitions by name (with
    their aliases, for other languages), an obligation by its State's name and its article,
    an activity by its title."""
    names: dict[str, Name] = {a.id: Name(a.name, a.aliases) for a in dataset.actors}
    names |= {c.id: Name(c.name) for c in dataset.coalitions}
    names |= {a.id: Name(a.title) for a in dataset.activities}
    for ob in dataset.obligations:
        state = names.get(ob.state, Name(ob.state))
        names[ob.id] = Name(f"{state.label}: {article_title(ob.article)}", state=state,
                            article=ob.article)  # fmt: skip
    return names


def _label(record: Any) -> str:
    if isinstance(record, Evidence):
        source = f" ({record.source})" if record.source else ""
        return f"{record.record} {record.field}{source}"
    return relation_label(record) if isinstance(record, Relation) else str(record.id)


def _gap_changes(
    old: Dataset, new: Dataset, as_of: date | None
) -> tuple[list[GapChange], list[GapChange], list[GapLevelChange]]:
    from .analysis import synergy_gaps
    from .graph import build_graph

    reference = as_of or date.today()

    def gaps_of(dataset: Dataset) -> dict[tuple[str, tuple[str, ...]], GapChange]:
        found = synergy_gaps(build_graph(dataset), as_of=reference)
        return {
            (g.kind, tuple(g.subjects)): GapChange(
                g.kind,
                tuple(g.subjects),
                g.summary,
                g.level,
                g.phrases.summary if g.phrases else None,
            )
            for g in found
        }

    before, after = gaps_of(old), gaps_of(new)
    opened = [after[k] for k in sorted(after.keys() - before.keys())]
    closed = [before[k] for k in sorted(before.keys() - after.keys())]
    changed = [
        GapLevelChange(after[k].kind, after[k].subjects, after[k].summary, before[k].level,
                       after[k].level, after[k].phrase)
        for k in sorted(before.keys() & after.keys())
        if before[k].level != after[k].level
    ]  # fmt: skip
    return opened, closed, changed
