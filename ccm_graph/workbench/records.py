"""The record pages' contents: a State, an actor, a coalition (no HTTP here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..graph import fact_evidence
from ..i18n import N_, Translate, translator, voice, word
from .analyses import Analyses
from .views import (
    Chart,
    GapLine,
    Named,
    gap_lines,
    given_chart,
    named,
    received_chart,
    region_word,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["ActorPage", "CoalitionPage", "StatePage", "actor_page", "coalition_page",
           "state_page"]  # fmt: skip

ROLES = ("donor", "operator", "technical")


@dataclass(frozen=True)
class StatePage:
    """A State: its obligations, support row cells, funding, bodies, coalitions, gaps,
    partners by role."""

    state: Named
    facts: list[tuple[str, str]]
    obligations: list[dict[str, Any]]
    support: dict[str, str] | None
    funding: Chart | None
    operators: list[Named]
    authorities: list[Named]
    coalitions: list[Named]
    gaps: list[GapLine]
    partners: list[tuple[str, list[tuple[Named, list[str]]]]]
    donor: bool = False
    notice: str = ""
    """Why no partners are proposed (withdrawn, not party, no time-bound obligation, all
    completed), said instead of the partners; empty when they are."""


@dataclass(frozen=True)
class ActorPage:
    """An actor: what it gave, its forums (with roles), the coalitions it is in."""

    actor: Named
    facts: list[tuple[str, str]]
    funding: Chart | None
    forums: list[Named]
    coalitions: list[Named]
    operates_in: list[Named] = field(default_factory=list)


@dataclass(frozen=True)
class CoalitionPage:
    """A coalition: its focus State, status, members and their roles."""

    coalition: Named
    focus: Named | None
    facts: list[tuple[str, str]]
    members: list[Named]


def _facts(a: Analyses, node: str, lang: str, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """(heading, value) for the record's fields in ``keys`` that have a value; enum values
    as words."""
    _ = translator(lang)
    data = a.graph.nodes[node]
    heads = {"kind": _("Kind"), "region": _("Region"), "ccm_status": _("CCM status"),
             "apmbc_status": _("APMBC status"), "status": _("Status"),
             "established": _("Established"), "source": _("Source")}  # fmt: skip
    words = {"kind", "ccm_status", "apmbc_status", "status"}

    def said(key: str) -> str:
        if key == "region":
            return region_word(str(data[key]), lang)
        return word(data[key], _) if key in words else str(data[key])

    return [(heads[k], said(k)) for k in keys if data.get(k) not in (None, "")]


_EVIDENCE_LABELS = {
    "deadline": N_("Deadline"),
    "original_deadline": N_("Original deadline"),
    "extension_requested": N_("Latest extension request"),
    "completed": N_("Completion declared"),
}
"""The facts of the State page's obligation table whose evidence the page lists."""


def _obligation(
    ident: str,
    d: dict[str, Any],
    _: Translate,
    graph: nx.MultiDiGraph | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """An obligation's row: deadlines, extensions, the latest request and what became of it
    (a word; ``None`` when not recorded), status, source; and, when the data keeps evidence,
    ``evidence``: per fact shown, its label, whether it is indicative and the URLs quoted."""
    outcome = d.get("request_outcome")
    evidence = []
    for name, label in _EVIDENCE_LABELS.items():
        backed = fact_evidence(graph, ident, name) if graph is not None and d.get(name) else None
        if backed is not None:
            evidence.append({
                "label": _(label) + ("\u00a0:" if lang == "fr" else ":"),  # French spacing
                "mark": word("indicative", _) if backed.indicative else None,
                "sources": [s for s in backed.sources if is_web_link(s)],
            })  # fmt: skip
    return {
        "id": ident, "article": d.get("article"), "deadline": d.get("deadline"),
        "original": d.get("original_deadline"), "extensions": d.get("extensions"),
        "requested": d.get("extension_requested"), "outcome": word(outcome, _) if outcome else None,
        "status": word(d.get("status"), _), "completed": d.get("completed"),
        "source": d.get("source"), "evidence": evidence,
    }  # fmt: skip


def is_web_link(text: str) -> bool:
    """Whether ``text`` may be a link of the page (an ``https://`` or ``http://`` address)."""
    return text.startswith(("https://", "http://"))


def state_page(a: Analyses, state: str, lang: str) -> StatePage:
    """Everything the workbench shows about ``state`` (a State in the reading)."""
    from ..analysis import support_row_for

    _ = translator(lang)
    row = support_row_for(a.graph, state, index=a.index)
    obligations = [_obligation(ob, a.graph.nodes[ob], _, a.graph, lang)
                   for ob in sorted(a.index.obligations_of.get(state, []))]  # fmt: skip
    from ..analysis import coalition_standing
    from ..briefs import standing_notice

    standing = coalition_standing(a.graph, state)
    notice = standing_notice(standing, named(a, state, lang).name, lang,
                             a.graph.nodes[state].get("ccm_status"))  # fmt: skip
    partners = []
    for role in ROLES if not notice else ():
        found = a.recommender.recommend(state, top=3, role=role)
        partners.append((role, [(named(a, r.candidate, lang), r.reasons_in(voice(lang))[:2])
                                for r in found]))  # fmt: skip
    return StatePage(
        state=named(a, state, lang),
        facts=_facts(a, state, lang, ("region", "ccm_status", "apmbc_status", "source")),
        obligations=obligations,
        support=dict(zip(("state", "article", "deadline", "status", "request", "supporters",
                          "funding", "last", "operators", "coalition", "assistance"),
                         row.cells(voice(lang)).values(), strict=True)) if row else None,
        funding=received_chart(a, state, lang),
        operators=[named(a, n, lang) for n in sorted(a.index.operators_in.get(state, ()))],
        authorities=[named(a, n, lang) for n in sorted(a.index.authorities_of.get(state, ()))],
        coalitions=[named(a, c, lang, word(a.graph.nodes[c].get("status"), _))
                    for c in sorted(a.index.coalitions_of.get(state, []))],
        gaps=gap_lines(a, lang, state=state),
        partners=partners,
        donor=bool(a.index.funding_out.get(state)),
        notice=notice,
    )  # fmt: skip


def actor_page(a: Analyses, actor: str, lang: str) -> ActorPage:
    """What the workbench shows about an actor (a donor, an operator, a forum …)."""
    _ = translator(lang)
    return ActorPage(
        actor=named(a, actor, lang),
        facts=_facts(a, actor, lang, ("kind", "region", "ccm_status", "source")),
        funding=given_chart(a, actor, lang),
        forums=[named(a, f, lang, word(role, _))
                for f, role in sorted(a.index.forums_of.get(actor, {}).items())],
        coalitions=[named(a, c, lang, word(role, _))
                    for c, role in sorted(a.index.joined.get(actor, {}).items())],
        operates_in=[named(a, s, lang) for s in sorted(a.index.operates_in.get(actor, ()))],
    )  # fmt: skip


def coalition_page(a: Analyses, coalition: str, lang: str) -> CoalitionPage:
    """A coalition's members and roles, status and focus State."""
    _ = translator(lang)
    focus = a.index.focus_of.get(coalition)
    return CoalitionPage(
        coalition=named(a, coalition, lang),
        focus=named(a, focus, lang) if focus else None,
        facts=_facts(a, coalition, lang, ("status", "established", "source")),
        members=[named(a, m, lang, word(role, _))
                 for m, role in sorted(a.index.members.get(coalition, {}).items())],
    )  # fmt: skip
