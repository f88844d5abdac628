"""The data a map page's script reads: nodes, relations, their hover-card text and the legend.

:func:`map_payload` turns a view into plain JSON-ready data; :mod:`.page` puts it in the page.
Its fixed text (legend, field labels, enum words, measure names) is in the page's language;
data-derived text (names from the data, sources, notes) is never translated, except that a
record's name comes from its ``fr:``/``es:`` alias when it has one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from ..dataset.evidence import is_fact
from ..graph import FactEvidence, affected_states, fact_evidence
from ..i18n import N_, WORDS, Translate, translator
from ..names import aliases_in, is_de_facto, name_in, shareable_aliases
from ..schema import ARTICLE_NAMES, EVIDENCE_FIELDS, ActorKind, NodeType, RelType
from ..wording import format_usd, format_usd_in
from .highlights import DEFAULT_RING_LEVELS, GAP_LEVELS, highlight_level
from .layout import static_positions
from .style import (
    AFFECTED_STATE,
    EDGE_STYLES,
    GAP_COLOR,
    NODE_STYLES,
    OTHER_EDGE,
    OTHER_NODE,
    REGION_LABELS,
    TO_INVITE,
    edge_style,
    node_sizes,
    node_style,
)
from .views import AFFECTED_KEY, TO_INVITE_KEY, record_label, sorted_edges

__all__ = ["map_payload"]

_SIZE_LABELS = {
    "degree": N_("number of relations"),
    "funding": N_("money given plus received (USD)"),
    "betweenness": N_("brokerage (betweenness)"),
}
_MEASURE_NAMES = {
    "degree": N_("Relations on this map"),
    "funding": N_("Money given + received"),
    "betweenness": N_("Brokerage (betweenness)"),
}
_FIELD_LABELS = {
    "kind": N_("Kind"),
    "iso3": N_("ISO code"),
    "region": N_("Region"),
    "ccm_status": N_("CCM status"),
    "ccm_signed": N_("Signed the CCM"),
    "ccm_ratified": N_("Ratified or acceded to the CCM"),
    "ccm_entry_into_force": N_("CCM in force for it since"),
    "ccm_withdrawal": N_("Withdrawal from the CCM deposited"),
    "ccm_withdrawal_effective": N_("Withdrawal from the CCM effective"),
    "apmbc_status": N_("Ottawa Convention (APMBC) status"),
    "state": N_("State"),
    "article": N_("Article"),
    "deadline": N_("Deadline"),
    "status": N_("Status"),
    "original_deadline": N_("Original deadline"),
    "extensions": N_("Extensions granted"),
    "extension_requested": N_("Latest extension request"),
    "completed": N_("Completion declared"),
    "focus": N_("Focus State"),
    "established": N_("Established"),
    "date": N_("Date"),
    "description": N_("Description"),
    "role": N_("Role"),
    "year": N_("Year"),
    "amount_usd": N_("Amount"),
    "convention": N_("Convention"),
    "purpose": N_("Purpose"),
    "since": N_("Since"),
    "until": N_("Until"),
    "sensitivity": N_("Sensitivity"),
    "source": N_("Source"),
    "notes": N_("Notes"),
}
_OTHER_FIELD_LABELS = {
    "aliases": N_("Other names"),
    "languages": N_("Languages"),
    "assistance_requested": N_("Assistance requested"),
    "granted_by": N_("Extension granted by"),
    "request_outcome": N_("Outcome of the latest request"),
    "requested_deadline": N_("Deadline asked for in the latest request"),
    "remaining_km2": N_("Remaining contamination (km²)"),
    "remaining_kind": N_("Remaining area: kind"),
    "remaining_year": N_("Remaining area: year of the figure"),
    "remaining_source": N_("Remaining area: source"),
    "need_usd": N_("Estimated need"),
    "need_text": N_("Estimated need (as stated)"),
    "need_year": N_("Estimated need: year"),
    "need_source": N_("Estimated need: source"),
}
"""Labels of the optional columns in a card, in every language (a card never shows a raw
column name such as ``assistance_requested``)."""
_ARTICLE_NAMES = {3: N_("stockpile destruction"), 4: N_("clearance"),
                  5: N_("victim assistance")}  # fmt: skip
assert _ARTICLE_NAMES == ARTICLE_NAMES
_OTHER_WORDS = {
    "in_progress": N_("in progress"),
    "planned": N_("planned"),
    "meeting": N_("meeting"),
    "output": N_("output"),
    "convener": N_("convener"),
    "participant": N_("participant"),
    "public": N_("public"),
    "restricted": N_("restricted"),
    "CCM": N_("CCM"),
    "APMBC": N_("APMBC"),
    "confirmed": N_("confirmed"),
    "suspected": N_("suspected"),
    "confirmed_and_suspected": N_("confirmed and suspected"),
}
"""Enum values the hand-outs' words (:data:`ccm_graph.i18n.WORDS`) do not have."""
_HIDDEN_NODE_FIELDS = frozenset({"node_type", "label", "name", "title", "x", "y"})
_HIDDEN_EDGE_FIELDS = frozenset({"type"})
_REFERENCE_FIELDS = frozenset({"state", "focus"})
_ENUM_FIELDS = frozenset(
    {"ccm_status", "apmbc_status", "status", "role", "sensitivity", "kind", "convention"}
)
_OTHER_ENUM_FIELDS = frozenset({"assistance_requested", "request_outcome", "remaining_kind"})
"""Enum columns of the optional columns, worded like the others."""


def map_payload(
    view: nx.MultiDiGraph,
    *,
    highlights: Mapping[str, Sequence[str]],
    layout: str,
    size_by: str,
    seed: int,
    meta: Mapping[str, str],
    restricted_included: bool,
    lang: str = "en",
) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-ready data (see :func:`render_html`),
    its fixed text in ``lang`` (gap levels too: the page shows them as they are)."""
    words = _Words(lang)
    measures = node_sizes(view, size_by, seed=seed)
    # Seeded positions for every layout: the static one keeps them; the physics one starts
    # from them, so the same file shows the same picture every time it opens.
    positions = static_positions(view, seed=seed)
    top = max(measures.values(), default=0.0)
    roles = _map_roles(view)
    nodes = [
        _node_record(
            view,
            node,
            measures[node],
            top,
            size_by,
            highlights.get(node),
            positions,
            roles.get(node),
            words,
        )
        for node in sorted(view, key=str)
    ]
    top_amount = max(
        (float(d["amount_usd"]) for _, _, d in view.edges(data=True) if d.get("amount_usd")),
        default=0.0,
    )
    edges = []
    seen: dict[tuple[str, str], int] = {}
    for number, (u, v, data) in enumerate(sorted_edges(view)):
        record = _edge_record(view, number, u, v, data, top_amount, words)
        pair = (min(str(u), str(v)), max(str(u), str(v)))
        if seen.get(pair):
            record["parallel"] = seen[pair]  # drawn as the n-th curve beside the first line
        seen[pair] = seen.get(pair, 0) + 1
        edges.append(record)
    restricted = sum(n["restricted"] for n in nodes) + sum(e["restricted"] for e in edges)
    return {
        "meta": {
            **meta,
            "fundingTo": _funding_to(view),
            "layout": layout,
            "seed": seed,
            "sizeBy": words._(_SIZE_LABELS[size_by]),
            "restricted": restricted_included,
            "restrictedCount": restricted,
        },
        "styles": _styles(nodes, edges, words),
        "nodes": nodes,
        "edges": edges,
    }


def _funding_to(view: nx.MultiDiGraph) -> int | None:
    """The last year the funding data cover for any recipient on the map (``metadata.json``'s
    coverage): the period filter marks the years after it, where no funding shown means not
    known. ``None`` when the data state no funding coverage for them."""
    coverage = view.graph.get("coverage")
    funding = getattr(coverage, "funding", None)
    if funding is None:
        return None
    years = [w.last for r, w in funding.recipients if r in view and w.last is not None]
    return max(years, default=None)


class _Words:
    """The fixed words of one page's language: ``_`` translates a message; names and enum
    values read as a person of that language reads them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.english = lang == "en"
        self._: Translate = translator(lang)

    def name(self, view: nx.MultiDiGraph, node: str) -> str:
        """A record's name in the page's language: an ``fr:``/``es:`` alias, an obligation's
        label in words of that language (``Tchad : article 4 (dépollution)``), else its
        label."""
        label = record_label(view, node)
        if self.english or node not in view:
            return label
        data = view.nodes[node]
        if data.get("node_type") == NodeType.OBLIGATION and data.get("article") in ARTICLE_NAMES:
            state = str(data.get("state") or "")
            return self._("{state}: Article {article} ({name})").format(
                state=self.name(view, state) if state in view else state,
                article=data["article"],
                name=self._(_ARTICLE_NAMES[data["article"]]),
            )
        return name_in(self.lang, label, data.get("aliases"))

    def enum(self, value: Any) -> str:
        """An enum value as words: ``state_party`` → ``state party`` (``État partie``…)."""
        text = str(value)
        if self.english:
            return text.replace("_", " ")
        message = WORDS.get(text) or _OTHER_WORDS.get(text)
        return self._(message) if message else text.replace("_", " ")

    def level(self, level: str) -> str:
        """A gap level as the page shows it (``high``, ``élevé``, ``alta``)."""
        return level if self.english else self.enum(level)

    def reason(self, reason: str) -> str:
        """A gap finding with its level in the page's language (``ÉLEVÉ : …``); the finding
        itself is the analysis's wording, in English."""
        prefix, sep, rest = str(reason).partition(":")
        if self.english or not sep or prefix.strip().lower() not in GAP_LEVELS:
            return str(reason)
        level = self.enum(prefix.strip().lower()).upper()
        return self._("{level}: {finding}").format(level=level, finding=rest.strip())


def _map_roles(view: nx.MultiDiGraph) -> dict[str, str]:
    """Records drawn apart from their kind: affected States Parties, and donors to invite."""
    affected = view.graph.get(AFFECTED_KEY)
    if affected is None:  # a graph not made by select_view: judge from what it holds
        affected = affected_states(view)
    roles = {
        state: AFFECTED_STATE
        for state in affected
        if state in view and view.nodes[state].get("kind") == ActorKind.STATE
    }
    roles.update({donor: TO_INVITE for donor in view.graph.get(TO_INVITE_KEY, ()) if donor in view})
    return roles


def _kind_key(data: Mapping[str, Any]) -> str:
    if data.get("node_type") == NodeType.ACTOR:
        return str(data.get("kind"))
    return str(data.get("node_type"))


def _year(value: Any) -> int | None:
    """The year of a ``year``, ``since`` or ``until`` value (``2019``, ``2026-09``), if any."""
    text = str(value or "").strip()
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _years(data: Mapping[str, Any]) -> list[int | None] | None:
    """The period a relation covers, ``[first, last]`` (``None``: open), for the page's year
    filter; ``None`` for an undated relation (always shown)."""
    year = _year(data.get("year"))
    if year is not None:
        return [year, year]
    since, until = _year(data.get("since")), _year(data.get("until"))
    if since is None and until is None:
        return None
    return [since, until]


def _region(view: nx.MultiDiGraph, data: Mapping[str, Any]) -> str:
    """An actor's region; an obligation's or coalition's is its State's."""
    owner = data.get("state") or data.get("focus")
    if data.get("node_type") != NodeType.ACTOR and owner in view:
        data = view.nodes[owner]
    return str(data.get("region") or "")


def _node_record(
    view: nx.MultiDiGraph,
    node: str,
    measure: float,
    top: float,
    size_by: str,
    gaps: Sequence[str] | None,
    positions: Mapping[str, tuple[float, float]],
    role: str | None,
    words: _Words,
) -> dict[str, Any]:
    data = view.nodes[node]
    label = str(data.get("label", node))
    shown = words.name(view, node)
    record: dict[str, Any] = {
        "id": str(node),
        "label": shown,
        "kind": role or _kind_key(data),
        "region": _region(view, data),
        "size": round(10 + 30 * math.sqrt(measure / top), 1) if top > 0 else 14,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _node_details(view, node, data, size_by, measure, words),
    }
    aliases = data.get("aliases")
    names = (
        shareable_aliases(aliases)  # search finds any language's name, never a de facto one
        if isinstance(aliases, str)
        else [str(a) for a in aliases or () if not is_de_facto(str(a))]
    )
    if shown != label:  # search still finds the name the data gives first
        names = [label, *names]
    if names:
        record["aliases"] = names
    if gaps:
        record["gaps"] = [words.reason(str(reason)) for reason in gaps]
        record["gapLevel"] = words.level(highlight_level([str(reason) for reason in gaps]))
    if node in positions:
        record["x"], record["y"] = positions[node]
    return record


def _node_details(
    view: nx.MultiDiGraph,
    node: str,
    data: Mapping[str, Any],
    size_by: str,
    measure: float,
    words: _Words,
) -> list[list[str]]:
    details = [[words._("Id"), str(node)]]
    evidence: dict[str, FactEvidence] = {}
    if data.get("node_type") == NodeType.OBLIGATION:
        for name in EVIDENCE_FIELDS["obligation"]:
            value = data.get(name)
            shown = value is not None and is_fact(name, value)
            backed = fact_evidence(view, node, name) if shown else None
            if backed is not None:
                evidence[name] = backed
    details += _fields(view, data, _HIDDEN_NODE_FIELDS, words, evidence)
    details.append([words._(_MEASURE_NAMES[size_by]), _measure_text(size_by, measure)])
    return details


def _edge_record(
    view: nx.MultiDiGraph,
    number: int,
    u: str,
    v: str,
    data: Mapping[str, Any],
    top: float,
    words: _Words,
) -> dict[str, Any]:
    amount = data.get("amount_usd")
    width = 1.0
    if amount and top > 0:
        width = round(1.5 + 8.5 * math.sqrt(float(amount) / top), 2)
    elif data.get("type") == RelType.FUNDS:
        width = 1.5
    record = {
        "id": number,
        "from": str(u),
        "to": str(v),
        "type": str(data.get("type", "")),
        "width": width,
        "restricted": data.get("sensitivity") == "restricted",
        "details": _fields(view, data, _HIDDEN_EDGE_FIELDS, words),
    }
    years = _years(data)
    if years is not None:
        record["years"] = years
    if data.get("type") == RelType.MEMBER_OF and data.get("role") in _NOT_MEMBER_VERBS:
        # an observer (or the secretariat) takes part without being a member: never "member of"
        record["verb"] = words._(_NOT_MEMBER_VERBS[data["role"]])
    return record


_NOT_MEMBER_VERBS = {"observer": N_("observer of"), "secretariat": N_("secretariat of")}
"""How a ``MEMBER_OF`` relation reads on a map card when its role is not membership."""


def _fields(
    view: nx.MultiDiGraph,
    data: Mapping[str, Any],
    hidden: frozenset[str],
    words: _Words,
    evidence: Mapping[str, FactEvidence] | None = None,
) -> list[list[str]]:
    """Label-value pairs for a hover card: known fields in a fixed order, then any others.

    ``evidence`` (an obligation's facts, when the data keeps ``evidence.csv``): a fact
    without quoted evidence says ``; indicative``; a quoted one is followed by its source's
    URL, labelled ``Source (<field>)``.
    """
    names = [f for f in _FIELD_LABELS if f in data]
    names += sorted(k for k in data if k not in _FIELD_LABELS)
    pairs = []
    quoted = []
    for name in names:
        value = data.get(name)
        if name in hidden or value is None or value == "":
            continue
        label = _field_label(name, words)
        text = _value_text(view, name, value, data, words)
        if name == "aliases" and not text:
            continue  # no other name in this language
        backed = (evidence or {}).get(name)
        if backed is not None and (backed.indicative or not backed.source):
            text = words._("{text}; {mark}").format(text=text, mark=words.enum("indicative"))
        elif backed is not None:
            quoted.append([f"{words._('Source')} ({label})", str(backed.source)])
        pairs.append([label, text])
    return pairs + quoted


def _field_label(name: str, words: _Words) -> str:
    if name in _FIELD_LABELS:
        return words._(_FIELD_LABELS[name])
    if name in _OTHER_FIELD_LABELS:
        return words._(_OTHER_FIELD_LABELS[name])
    return str(name)


def _value_text(
    view: nx.MultiDiGraph, name: str, value: Any, data: Mapping[str, Any], words: _Words
) -> str:
    _ = words._
    if name in ("amount_usd", "need_usd"):
        return format_usd_in(words.lang, float(value))
    if name == "aliases":  # the page's language only; never a de facto authorities' name
        shown = name_in(words.lang, str(data.get("label") or ""), value)
        return "; ".join(aliases_in(words.lang, value, shown=shown))
    if name == "article" and value in ARTICLE_NAMES:
        return f"{value} ({_(_ARTICLE_NAMES[value])})"
    if name in _REFERENCE_FIELDS and value in view:
        return f"{words.name(view, value)} ({value})"
    if name == "region":
        return _(REGION_LABELS[str(value)]) if str(value) in REGION_LABELS else str(value)
    if name == "kind" and data.get("node_type") == NodeType.ACTOR:
        return _(node_style(str(value)).label)
    if name in _ENUM_FIELDS or name in _OTHER_ENUM_FIELDS:
        return words.enum(value)
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _measure_text(size_by: str, measure: float) -> str:
    if size_by == "funding":
        return format_usd(measure)
    if size_by == "degree":
        return str(int(measure))
    return f"{measure:.3f}"


def _styles(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], words: _Words
) -> dict[str, Any]:
    """Legend and drawing styles for the kinds, regions and relation types in the view."""
    _ = words._
    kinds = sorted({n["kind"] for n in nodes}, key=_style_order(NODE_STYLES))
    types = sorted({e["type"] for e in edges}, key=_style_order(EDGE_STYLES))
    regions = sorted({n["region"] for n in nodes}, key=_style_order(REGION_LABELS))
    levels = [words.level(lv) for lv in GAP_LEVELS]
    return {
        "kinds": [{"key": k, **_translated(node_style(k), _)} for k in kinds],
        "types": [
            {
                "key": t,
                "label": _(edge_style(t).label),
                "verb": _(edge_style(t).label).split(" (")[0],
                "color": edge_style(t).color,
                "dashes": list(edge_style(t).dashes) or False,
            }
            for t in types
        ],
        "regions": [
            {"key": r, "label": _(REGION_LABELS[r]) if r in REGION_LABELS else r} for r in regions
        ],
        "other": _translated(OTHER_NODE, _),
        "otherEdge": {"label": _(OTHER_EDGE.label), "color": OTHER_EDGE.color, "dashes": False},
        "gap": {"color": GAP_COLOR, "label": _("red ring: a gap found by the analysis")},
        "gapsShown": any("gaps" in n for n in nodes),
        "gapLevels": [lv for lv in levels if any(n.get("gapLevel") == lv for n in nodes)],
        "ringLevels": [words.level(lv) for lv in DEFAULT_RING_LEVELS],
    }


def _translated(style: Any, _: Translate) -> dict[str, Any]:
    """A node style as JSON-ready data, its legend text in the page's language."""
    return {**dataclasses.asdict(style), "label": _(style.label)}


def _style_order(known: Mapping[str, Any]) -> Any:
    order = {key: i for i, key in enumerate(known)}
    return lambda key: (order.get(key, len(order)), key)
