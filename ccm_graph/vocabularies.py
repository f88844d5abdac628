"""The closed vocabularies of the data model: the values an enum column may take, the
articles and their names, the fields evidence may check.

Part of the schema (:mod:`ccm_graph.schema` re-exports every name, and is the place to import
them from); kept in its own module so that each stays small.
"""

from __future__ import annotations

__all__ = [
    "ACCOUNT_ROLES",
    "ACTIVITY_KINDS",
    "ACTIVITY_STATUSES",
    "APMBC_STATUSES",
    "ARTICLES",
    "ARTICLE_NAMES",
    "ASSISTANCE_REQUESTS",
    "CCM_DATE_COLUMNS",
    "CCM_STATUSES",
    "COALITION_STATUSES",
    "CONVENTIONS",
    "DE_FACTO_MARK",
    "EVIDENCE_FIELDS",
    "EVIDENCE_STATUSES",
    "EXCERPT_LIMIT",
    "EXTENSION_PARTS",
    "LIVE_COALITION_STATUSES",
    "MEMBER_ROLES",
    "OBLIGATION_STATUSES",
    "OPEN_OBLIGATION_STATUSES",
    "PARTICIPATION_ROLES",
    "REGIONS",
    "REMAINING_KINDS",
    "REQUEST_OUTCOMES",
    "SENSITIVITIES",
    "SUPPORT_KINDS",
    "TIME_BOUND_ARTICLES",
]

REGIONS = ("africa", "americas", "asia_pacific", "europe_central_asia", "middle_east_north_africa")
CCM_STATUSES = ("state_party", "signatory", "non_signatory", "withdrawn")
CCM_DATE_COLUMNS = (
    "ccm_signed",
    "ccm_ratified",
    "ccm_entry_into_force",
    "ccm_withdrawal",
    "ccm_withdrawal_effective",
)
"""The actor columns that date a State's Convention status, in the order the events happen."""
APMBC_STATUSES = ("state_party", "signatory", "non_party", "withdrawn")
SENSITIVITIES = ("public", "restricted")
ACCOUNT_ROLES = ("viewer", "editor", "confidential", "admin")  # workbench accounts, least first:
# a viewer reads public rows; an editor edits them; confidential also sees and edits restricted
# rows; admin does all that and manages the accounts
ARTICLES = (3, 4, 5)
"""CCM articles with obligations: 3 stockpile destruction, 4 clearance, 5 victim assistance."""
ARTICLE_NAMES: dict[int, str] = {
    3: "stockpile destruction",
    4: "clearance",
    5: "victim assistance",
}
"""What each article's obligation is, in words (``Article 4 (clearance)``)."""
OBLIGATION_STATUSES = ("open", "extended", "completed")
TIME_BOUND_ARTICLES = (3, 4)
"""Articles with a deadline: 3 (stockpile destruction) and 4 (clearance)."""
OPEN_OBLIGATION_STATUSES = ("open", "extended")
"""Obligation statuses that mean the work is not finished."""
COALITION_STATUSES = ("proposed", "forming", "active", "concluded")
LIVE_COALITION_STATUSES = ("proposed", "forming", "active")
"""Coalition statuses that count as a coalition being there (not yet concluded)."""
ACTIVITY_KINDS = ("meeting", "activity", "output")
ACTIVITY_STATUSES = ("planned", "in_progress", "completed", "cancelled")
CONVENTIONS = ("CCM", "APMBC", "both", "general")
MEMBER_ROLES = (
    "chair",
    "vice_chair",
    "coordinator",
    "president",
    "member",
    "observer",
    "secretariat",
    "lead",
    "partner",
    "affected_state",
    "donor",
    "operator",
    "national_authority",
    "technical_partner",
)
SUPPORT_KINDS = ("technical", "material", "financial")
REQUEST_OUTCOMES = ("granted", "pending", "not_recorded")
"""Outcome of an obligation's latest extension request: granted; pending (the meeting that
decides has not been held as of the data); not_recorded (held, but the sources consulted do not
record the decision)."""
ASSISTANCE_REQUESTS = ("requested", "not_requested", "unknown")
"""Whether a State has asked for international assistance for an obligation."""
EVIDENCE_STATUSES = ("quoted", "indicative")
"""``quoted`` (the excerpt states the value) or ``indicative`` (the note says why)."""
EXCERPT_LIMIT = 400  # characters of an excerpt of evidence.csv, whitespace collapsed
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "obligation": ("deadline", "original_deadline", "completed", "extension_requested",
                   "requested_deadline", "request_outcome", "assistance_requested",
                   "remaining_km2", "remaining_year", "need_usd", "need_year"),
    "actor": ("ccm_signed", "ccm_ratified", "ccm_entry_into_force", "ccm_withdrawal",
              "ccm_withdrawal_effective"),
}  # fmt: skip
"""The fields ``evidence.csv`` may check, per node type of the record: the obligation
columns that state a fact (``status`` and ``extensions`` are derived, not quoted) and the
actors' Convention dates (when ``actors.csv`` has those columns). Each extension of an
obligation is checked as a group ``extension.N.granted_by``, ``extension.N.deadline``,
``extension.N.requested`` (N from 1, in the order granted)."""
EXTENSION_PARTS = ("granted_by", "deadline", "requested")  # evidence: extension.N.<part>
PARTICIPATION_ROLES = ("convener", "participant")
DE_FACTO_MARK = "(de facto authorities)"
"""The end of an alias that gives a record's name as de facto authorities use it
(``Islamic Emirate of Afghanistan (de facto authorities)``): kept so a search finds the
record, never printed in a shared output (maps, hand-outs, workbench pages)."""
REMAINING_KINDS = ("confirmed", "suspected", "confirmed_and_suspected")
"""What a remaining-contamination figure measures, when its source says: confirmed hazardous
area, suspected hazardous area, or both together. Blank: the source does not distinguish."""
