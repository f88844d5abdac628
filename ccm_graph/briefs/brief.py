"""The facts of a coalition hand-out, gathered from the graph (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from ..analysis import (
    PITCHABLE,
    Gap,
    GraphIndex,
    PartnerRecommender,
    coalition_standing,
    synergy_gaps,
)
from ..analysis.support import (
    Remaining,
    SupportRow,
    remaining_contamination,
    support_row_for,
)
from ..errors import AnalysisError
from ..i18n import Translate, translator, voice, word
from ..names import NameIndex, name_in
from ..wording import provenance_mark, said_name
from ._notes import SourceNotes
from .obligations import obligation_rows
from .supporters import (
    funding_notes,
    operator_lines,
    support_absence,
    support_notes,
    supporters,
)

__all__ = ["Ask", "Brief", "GapText", "Need", "coalition_brief", "for_people", "gap_text"]


@dataclass(frozen=True)
class Need:
    """An estimated need or funding gap of one obligation, as its source gives it: an amount
    in US dollars, words, or both; the year of the estimate; its source notes."""

    article: int
    usd: float | None
    text: str | None
    year: int | None
    mark: str | None
    notes: list[int]


@dataclass(frozen=True)
class Ask:
    """The hand-out's "ask": what the State reports as remaining, what it needs, whom to
    contact, and the funding recorded in the window (from its support row).

    ``remaining`` is ``None`` and ``needs`` empty when nothing is recorded: the hand-out says
    so in one line, and never shows a missing figure as zero.
    """

    remaining: Remaining | None
    remaining_mark: str | None
    remaining_notes: list[int]
    needs: list[Need]
    contacts: list[tuple[str, list[int]]]
    funding: str | None
    window: str | None
    funding_notes: list[int] = field(default_factory=list)


@dataclass
class Brief:
    """Everything a coalition hand-out says, as plain data.

    The body (what States read) holds facts with their source notes (``notes``: numbers into
    :attr:`sources`, counted from 1); scores and the command that made the brief are for the
    analyst annex only (:attr:`command`, ``urgency`` and ``score`` keys, :attr:`gaps`'
    severities).
    """

    title: str
    subject: str
    state: str
    state_name: str
    as_of: str
    issued: str
    data_as_of: str | None
    command: str
    state_facts: list[tuple[str, str, list[int]]]
    obligations: list[dict[str, Any]]
    members: list[dict[str, Any]]
    support: list[dict[str, Any]]
    support_row: SupportRow | None
    gaps: list[Gap]
    gap_notes: list[list[int]]
    gap_texts: list[GapText]
    partners: list[dict[str, Any]]
    next_steps: list[str]
    sources: list[str] = field(default_factory=list)
    map_nodes: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)
    lang: str = "en"
    names: dict[str, str] = field(default_factory=dict)
    ask: Ask | None = None
    standing: str = PITCHABLE
    ccm_status: str | None = None
    """The State's standing in the Convention (``state_party``, ``signatory`` …)."""
    subject_name: str = ""
    """The name of what the hand-out is about (the coalition's, or the State's)."""
    """Where the State (or coalition) stands towards a Country Coalition
    (:func:`~ccm_graph.analysis.coalition_standing`): partners to approach only when
    ``open``; a what-worked account when ``completed`` or ``concluded``; otherwise what the
    hand-out does not propose, said first."""
    support_more: list[str] = field(default_factory=list)
    """The supporters the support table leaves out (named after it: "and N more")."""
    operators_worked: list[tuple[str, str, list[int]]] = field(default_factory=list)
    """For a hand-out that pitches no coalition: the operators that worked in the State, with
    their years (a pitching one lists those present in "Where things stand")."""
    support_absence: str = ""
    """What the hand-out says when it lists no support, against the funding data's years."""


@dataclass(frozen=True)
class GapText:
    """A gap as the hand-out words it, in its language: the summary, the evidence for States
    (no scores, at most three lines) and the score lines for the analyst annex."""

    summary: str
    evidence: list[str]
    scores: list[str]
    next_step: str


def gap_text(gap: Gap, lang: str = "en") -> GapText:
    """A gap worded for a hand-out in ``lang`` (names from the data's aliases in that
    language, no tool commands)."""
    summary, evidence, next_step = gap.worded(voice(lang))
    pairs = list(zip(gap.evidence, evidence, strict=True))
    return GapText(
        summary=for_people(summary),
        evidence=[for_people(said) for english, said in pairs if not is_score(english)][:3],
        scores=[said for english, said in pairs if is_score(english)],
        next_step=for_people(next_step),
    )


_COMMAND = re.compile(r"see `ccm-graph recommend [^`]*` for partners")
_ANY_COMMAND = re.compile(r"\s*\(?`ccm-graph [^`]*`\)?")
_SCORE = re.compile(r"\b(urgency|support|score|severity) \d+\.\d+")


def for_people(text: str) -> str:
    """A gap's wording without tool commands, fit for a State's hand-out.

    >>> for_people("Ask Chad; if so, see `ccm-graph recommend TCD` for partners.")
    'Ask Chad; if so, see the partners to approach.'
    """
    text = _COMMAND.sub("see the partners to approach", text)
    return _ANY_COMMAND.sub("", text)


def is_score(text: str) -> bool:
    """Whether a line of evidence is a score (``urgency 0.92, support 0.25``): annex only."""
    return bool(_SCORE.search(text))


def coalition_brief(
    G: nx.MultiDiGraph,
    target: str,
    *,
    as_of: str | date | None = None,
    window_years: int = 3,
    top: int = 5,
    data_as_of: str | None = None,
    command: str = "",
    issued: str | date | None = None,
    lang: str = "en",
) -> Brief:
    """Gather the facts of a hand-out for a coalition id, or a State id (a coalition to be).

    ``target`` may also be a name or an alias ("Chad", "Tchad"), case and accents ignored.
    ``issued`` is the date of issue printed on the hand-out (today when ``None``);
    ``data_as_of`` the data's date it states (the graph's ``as_of`` when ``None``). ``lang``
    (``en``, ``fr``, ``es``) is the language of its fixed text; names come from the data's
    aliases in that language when it has them (``fr:Tchad``). The gaps, partner reasons, the
    support row and the next steps are the analyses' sentences worded in that language
    (:class:`~ccm_graph.wording.Phrase`), with amounts as the language writes them.

    Source notes are numbered in the order the hand-out shows the facts: the State's facts,
    its obligations, the ask, the members, the support, the gaps, the partners.

    :raises UnknownRecord: no coalition or State has that id, name or alias.
    :raises AnalysisError: the id is another kind of record.
    :raises ValueError: an unknown ``lang``.
    """
    index = GraphIndex.build(G, as_of=as_of, window_years=window_years)
    g = _Gathering(G, index, SourceNotes(), lang, translator(lang))
    target, state, coalition, title = _subject(g, target)
    standing = coalition_standing(G, state, coalition)
    title = _titled(g, standing, coalition or state, title)
    worked = standing in ("completed", "concluded")
    facts = _state_facts(g, state)
    obligations = obligation_rows(g.G, g.index, g.notes, state)
    row = support_row_for(G, state, index=index)
    ask = _ask(G, index, state, g.notes, g.name, row)
    members = _members(G, coalition, g.notes, g.name, g._) if coalition else []
    support, more = supporters(G, index, state, g.notes, g.name, g._, lang, all_years=worked)
    operators = operator_lines(G, state, g.notes, g.name) if standing != PITCHABLE else []
    gaps, gap_notes = _gaps_about(g, state, coalition, top)
    partners = _partners(g, state, coalition, top) if standing == PITCHABLE else []
    texts = [gap_text(gap, lang) for gap in gaps]
    around = _map_nodes(index, state, coalition)
    return Brief(
        title=title,
        subject=target,
        state=state,
        state_name=g.name(state),
        as_of=index.as_of.isoformat(),
        issued=_issued_text(issued),
        data_as_of=data_as_of or G.graph.get("as_of"),
        command=command,
        state_facts=facts,
        obligations=obligations,
        members=members,
        support=support,
        support_row=row,
        gaps=gaps,
        gap_notes=gap_notes,
        gap_texts=texts,
        partners=partners,
        next_steps=_next_steps(texts, partners, g._)
        if standing == PITCHABLE
        else _other_steps(g, standing, state),
        sources=g.notes.texts,
        map_nodes=sorted(around),
        roles={m["actor"]: ", ".join(m["roles"]) for m in members},
        lang=lang,
        names={n: g.name(n) for n in sorted(around | _named_in(row)) if n in G},
        ask=ask,
        standing=standing,
        ccm_status=G.nodes[state].get("ccm_status"),
        subject_name=g.name(coalition or state),
        support_more=more,
        operators_worked=operators,
        support_absence=support_absence(index, state, lang, all_years=worked),
    )


def _named_in(row: SupportRow | None) -> set[str]:
    """The records the support row names (supporters, operators, its coalition), so that
    the hand-out names them in its language even when they are not on its map."""
    if row is None:
        return set()
    return {*row.supporters, *row.operators, *([row.coalition] if row.coalition else [])}


def _titled(g: _Gathering, standing: str, subject: str, title: str) -> str:
    """The hand-out's title: a Country Coalition only where one can be pitched."""
    if standing == PITCHABLE:
        return title
    if standing in ("completed", "concluded"):
        return g._("What worked: {name}").format(name=g.name(subject))
    return g._("{name} and the Convention on Cluster Munitions").format(name=g.name(subject))


def _other_steps(g: _Gathering, standing: str, state: str) -> list[str]:
    """The next steps of a hand-out that pitches no coalition."""
    if standing in ("completed", "concluded"):
        return [
            g._(
                "Share what worked with States Parties that still have clearance or "
                "stockpile destruction to do (South–South cooperation), for example at the "
                "next Meeting of States Parties."
            )
        ]
    if standing == "not_party":
        return [g._("Raise joining the Convention with {name} (universalization).").format(
            name=g.name(state))]  # fmt: skip
    return []


@dataclass(frozen=True)
class _Gathering:
    """What every step of gathering a brief shares: the graph and its index, the source
    notes (numbered as the steps cite them), names and fixed text in the brief's language."""

    G: nx.MultiDiGraph
    index: GraphIndex
    notes: SourceNotes
    lang: str
    _: Translate

    def name(self, node: str) -> str:
        """A record's name in the brief's language (its alias there, if the data has one; an
        obligation as its State and article in words of that language)."""
        if self.lang != "en" and self.G.nodes[node].get("node_type") == "obligation":
            return said_name(self.index.said(node), voice(self.lang))
        return name_in(self.lang, self.index.name(node), self.G.nodes[node].get("aliases"))


def _subject(g: _Gathering, target: str) -> tuple[str, str, str | None, str]:
    """The record the brief is about, as ``(id, State, coalition or None, title)``.

    :raises UnknownRecord: no coalition or State has that id, name or alias.
    :raises AnalysisError: the id is another kind of record.
    """
    _ = g._
    if target not in g.G:
        target = NameIndex.from_graph(g.G).resolve(target, what="coalition or State")
    data = g.G.nodes[target]
    if data.get("node_type") == "coalition":
        title = _("{name}: Country Coalition brief").format(name=g.name(target))
        return target, g.index.focus_of[target], target, title
    if data.get("kind") == "state":
        title = _("Towards a Country Coalition for {name}").format(name=g.name(target))
        return target, target, None, title
    raise AnalysisError(f"{target!r} is neither a coalition nor a State")


def _state_facts(g: _Gathering, state: str) -> list[tuple[str, str, list[int]]]:
    """The State's facts as (label, value, notes): its CCM and APMBC status, national
    authority and coalitions."""
    _, G, notes = g._, g.G, g.notes
    state_data = G.nodes[state]
    state_note = notes.node(G, state)
    authorities = sorted(g.index.authorities_of.get(state, ()))
    coalitions = sorted(g.index.coalitions_of.get(state, []))
    facts = [
        (_("CCM status"), word(state_data.get("ccm_status"), _), state_note),
        (_("APMBC status"), word(state_data.get("apmbc_status"), _), state_note),
        (
            _("National authority"),
            ", ".join(g.name(a) for a in authorities) or _("not recorded"),
            [n for a in authorities for n in notes.node(G, a)],
        ),
        (
            _("Coalitions"),
            ", ".join(f"{g.name(c)} ({word(G.nodes[c].get('status'), _)})" for c in coalitions)
            or _("none"),
            [n for c in coalitions for n in notes.node(G, c)],
        ),
    ]
    return [(k, v, sorted(set(ns))) for k, v, ns in facts]


def _gaps_about(
    g: _Gathering, state: str, coalition: str | None, top: int
) -> tuple[list[Gap], list[list[int]]]:
    """The first ``top`` synergy gaps about the State, its obligations or the coalition, and
    the notes of the subjects each is about."""
    subjects = {state, *([coalition] if coalition else []), *g.index.obligations_of.get(state, [])}
    gaps = [gap for gap in synergy_gaps(g.G, index=g.index) if subjects & set(gap.subjects)]
    gaps = gaps[:top]
    gap_notes = []
    for gap in gaps:
        about = [s for s in gap.subjects if s in subjects]
        if gap.kind in _SUPPORT_CLAIMS:
            # a claim about support cites the obligation (its deadline) and the FUNDS and
            # SUPPORTS rows it counts, never the State's own record
            cited = [n for s in about if s != state for n in g.notes.node(g.G, s)]
            cited += support_notes(g.G, g.index, state, g.notes)
        elif gap.kind in _ABSENCE_CLAIMS:
            # "no support recorded since the request": no row to cite but the obligation's
            cited = [n for s in about if s != state for n in g.notes.node(g.G, s)]
        elif gap.kind in _FORUM_CLAIMS:
            # "MASG member X: …": the membership row, not the actor's record
            forum = getattr(g.index.forums, _FORUM_CLAIMS[gap.kind])
            cited = [n for s in about for n in g.notes.edges(g.G, s, forum, "MEMBER_OF")]
        else:
            cited = [n for s in about for n in g.notes.node(g.G, s)]
        gap_notes.append(sorted(set(cited)))
    return gaps, gap_notes


_SUPPORT_CLAIMS = ("obligation_coverage", "cross_convention")
"""Gap kinds whose headline counts a State's supporters and funding in the window."""

_ABSENCE_CLAIMS = ("extension_without_resources",)
"""Gap kinds whose headline is an absence of support since a date (rests on no row)."""

_FORUM_CLAIMS = {"masg_member_without_ccm_support": "masg", "apmbc_only_actor": "apmbc_committee"}
"""Gap kinds whose headline rests on a membership: the forum (a :class:`Forums` field)."""


def _partners(g: _Gathering, state: str, coalition: str | None, top: int) -> list[dict[str, Any]]:
    """The ``top`` partners to approach for the coalition (or the State), with the first two
    reasons in the brief's language; none when the focus is not a State."""
    if g.G.nodes[state].get("kind") != "state":
        return []
    speaking = voice(g.lang)
    recommender = PartnerRecommender.build(g.G, index=g.index)
    return [
        {
            "id": rec.candidate,
            "name": g.name(rec.candidate),
            "kind": word(rec.kind, g._),
            "score": rec.score,
            "reasons": rec.reasons_in(speaking)[:2],
            "notes": _reason_notes(
                g, state, rec.candidate, [p.signal for p in rec.parts if p.evidence][:2]
            ),
        }
        for rec in recommender.recommend(coalition or state, top=top)
    ]


def _reason_notes(g: _Gathering, state: str, candidate: str, signals: list[str]) -> list[int]:
    """The notes of the rows behind a partner's reasons shown: its ``OPERATES_IN`` rows in
    the State, its ``FUNDS`` to the State, its ``SUPPORTS`` of the State's obligations, its
    MASG membership; the candidate's own record for what describes it (region, language,
    completed obligations, footprint elsewhere)."""
    G, index, notes = g.G, g.index, g.notes
    numbers: list[int] = []

    def add(found: list[int]) -> None:
        numbers.extend(n for n in found if n not in numbers)

    for signal in signals:
        if signal in ("operates_there", "works_there"):
            add(notes.edges(G, candidate, state, "OPERATES_IN"))
        elif signal in ("current_funder", "past_funder"):
            for target in sorted(index.support_targets(state)):
                add(notes.edges(G, candidate, target, "FUNDS"))
        elif signal == "supported_target_before":
            for ob in index.obligations_of.get(state, []):
                add(notes.edges(G, candidate, ob, "SUPPORTS"))
        elif signal == "masg_member":
            add(notes.edges(G, candidate, index.forums.masg, "MEMBER_OF"))
        else:
            add(notes.node(G, candidate))
    return sorted(numbers)


def _next_steps(texts: list[GapText], partners: list[dict[str, Any]], _: Translate) -> list[str]:
    """Up to four gaps' next steps, whom to approach first, and agreeing roles and meetings."""
    steps = list(dict.fromkeys(t.next_step for t in texts))[:4]
    if len(partners) > 1:
        steps.append(
            _("Approach {first} and {second} about joining (see the reasons above).").format(
                first=partners[0]["name"], second=partners[1]["name"]
            )
        )
    elif partners:
        steps.append(
            _("Approach {first} about joining (see the reasons above).").format(
                first=partners[0]["name"]
            )
        )
    steps.append(
        _(
            "Agree the roles and a meeting calendar; report progress at the next Meeting "
            "of States Parties."
        )
    )
    return steps


def _map_nodes(index: GraphIndex, state: str, coalition: str | None) -> set[str]:
    """The records the brief's map draws: the State, the coalition and its members, the
    operators and authorities in the State, its recent funders and its obligations."""
    return {
        state,
        *([coalition] if coalition else []),
        *index.members.get(coalition or "", {}),
        *index.operators_in.get(state, ()),
        *index.authorities_of.get(state, ()),
        *(f.funder for f in index.funding_to_state(state) if index.is_recent(f.year)),
        *index.obligations_of.get(state, []),
    }


def _issued_text(issued: str | date | None) -> str:
    """The date of issue as printed: the given date, else today."""
    if isinstance(issued, date):
        return issued.isoformat()
    return issued or date.today().isoformat()


def _ask(
    G: nx.MultiDiGraph,
    index: GraphIndex,
    state: str,
    notes: SourceNotes,
    name: Callable[[str], str],
    row: SupportRow | None,
) -> Ask | None:
    """The ask of a State with an open obligation or a recorded need; ``None`` otherwise.

    The remaining figure is :func:`~ccm_graph.analysis.support.remaining_contamination`, the
    one ``ccm-graph support`` shows; contacts are the national authorities the brief's facts
    list (``national_authority`` actors with ``OPERATES_IN`` the State).
    """
    obligations = sorted(index.obligations_of.get(state, []))
    open_ones = [ob for ob in obligations if G.nodes[ob].get("status") != "completed"]
    with_need = [
        ob
        for ob in open_ones
        if G.nodes[ob].get("need_usd") is not None or G.nodes[ob].get("need_text")
    ]
    if not index.open_obligations(state) and not with_need:
        return None
    remaining = remaining_contamination(G, open_ones)
    remaining_notes = notes.cite(remaining.source) if remaining else []  # cited in reading order
    needs = []
    for ob in with_need:
        data = G.nodes[ob]
        needs.append(
            Need(
                article=data.get("article"),
                usd=data.get("need_usd"),
                text=data.get("need_text"),
                year=data.get("need_year"),
                mark=provenance_mark(data.get("need_source")),
                notes=notes.cite(data.get("need_source")),
            )
        )
    authorities = sorted(index.authorities_of.get(state, ()))
    return Ask(
        remaining=remaining,
        remaining_mark=provenance_mark(remaining.source) if remaining else None,
        remaining_notes=remaining_notes,
        needs=needs,
        contacts=[(name(a), notes.node(G, a)) for a in authorities],
        funding=row.funding if row else None,
        window=row.window if row else None,
        funding_notes=funding_notes(G, index, state, notes) if row else [],
    )


def _members(
    G: nx.MultiDiGraph,
    coalition: str,
    notes: SourceNotes,
    name: Callable[[str], str],
    _: Translate,
) -> list[dict[str, Any]]:
    """Everyone who is or was a member, once each, with every role they hold or held (and,
    for a past role, until when)."""
    by_actor: dict[str, dict[str, Any]] = {}
    for actor, _target, data in G.in_edges(coalition, data=True):
        if data.get("type") != "MEMBER_OF":
            continue
        role = word(data.get("role") or "member", _)
        if data.get("until"):
            role = _("{role} (until {date})").format(role=role, date=data["until"])
        row = by_actor.setdefault(
            actor,
            {
                "actor": actor,
                "name": name(actor),
                "kind": word(G.nodes[actor].get("kind"), _),
                "roles": [],
                "notes": [],
            },
        )
        if role not in row["roles"]:
            row["roles"].append(role)
        for n in notes.cite(data.get("source")):
            if n not in row["notes"]:
                row["notes"].append(n)
    rows = list(by_actor.values())
    for row in rows:
        row["roles"].sort()
        row["role"] = ", ".join(row["roles"])
    return sorted(rows, key=lambda r: (r["role"], r["name"]))
