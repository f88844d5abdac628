"""The data model in one place: node labels, relationship types, enums, record types, CSV columns.

Everything else — the seed validator, the Neo4j loader and exporter, the graph builder and the
documentation checks — reads this module. Labels and relationship types only reach Cypher
through :func:`cypher_label` and :func:`cypher_rel_type`, which accept members of the closed
enums below and nothing else, so user data can never become a label or a relationship type.

Each record type (``Actor``, ``Obligation``, ``Coalition``, ``Activity``, ``Relation``) is a
dataclass whose field order *is* the CSV column order of its seed file, and whose field metadata
says how the column is checked (:class:`Column`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .vocabularies import (
    ACTIVITY_KINDS,
    ACTIVITY_STATUSES,
    APMBC_STATUSES,
    ARTICLE_NAMES,
    ARTICLES,
    ASSISTANCE_REQUESTS,
    CCM_DATE_COLUMNS,
    CCM_STATUSES,
    COALITION_STATUSES,
    CONVENTIONS,
    DE_FACTO_MARK,
    EVIDENCE_FIELDS,
    EVIDENCE_STATUSES,
    EXCERPT_LIMIT,
    EXTENSION_PARTS,
    LIVE_COALITION_STATUSES,
    MEMBER_ROLES,
    OBLIGATION_STATUSES,
    OPEN_OBLIGATION_STATUSES,
    PARTICIPATION_ROLES,
    REGIONS,
    REMAINING_KINDS,
    REQUEST_OUTCOMES,
    SENSITIVITIES,
    SUPPORT_KINDS,
    TIME_BOUND_ARTICLES,
)

__all__ = [
    "ACTIVITY_KINDS",
    "ACTIVITY_STATUSES",
    "ACTOR_KIND_LABELS",
    "APMBC_STATUSES",
    "ARTICLES",
    "ARTICLE_NAMES",
    "ASSISTANCE_REQUESTS",
    "CCM_DATE_COLUMNS",
    "CCM_NODE_LABELS",
    "CCM_STATUSES",
    "COALITION_STATUSES",
    "CONVENTIONS",
    "DE_FACTO_MARK",
    "DONOR_KINDS",
    "EVIDENCE_FIELDS",
    "EVIDENCE_STATUSES",
    "EVIDENCE_TABLE",
    "EXCERPT_LIMIT",
    "EXTENSION_PARTS",
    "LIVE_COALITION_STATUSES",
    "MEMBER_ROLES",
    "NODE_TABLES",
    "OBLIGATION_STATUSES",
    "OPEN_OBLIGATION_STATUSES",
    "PARTICIPATION_ROLES",
    "REGIONS",
    "RELATIONS_TABLE",
    "RELATION_RULES",
    "REMAINING_KINDS",
    "REQUEST_OUTCOMES",
    "SEED_FILES",
    "SENSITIVITIES",
    "STAMPS_TABLE",
    "SUPPORT_KINDS",
    "TABLES",
    "TIME_BOUND_ARTICLES",
    "Activity",
    "Actor",
    "ActorKind",
    "Coalition",
    "CoalitionStamps",
    "Column",
    "ColumnType",
    "Evidence",
    "Label",
    "NodeType",
    "Obligation",
    "RelType",
    "Relation",
    "RelationRule",
    "TableSpec",
    "columns",
    "cypher_label",
    "cypher_rel_type",
]


class Label(StrEnum):
    """Every Neo4j node label ccm-graph writes. Nothing outside this set ever becomes a label."""

    ACTOR = "Actor"
    STATE = "State"
    OPERATOR = "Operator"
    NATIONAL_AUTHORITY = "NationalAuthority"
    INTERNATIONAL_ORG = "InternationalOrg"
    REGIONAL_ORG = "RegionalOrg"
    CIVIL_SOCIETY = "CivilSociety"
    FUNDER = "Funder"
    FORUM = "Forum"
    SECRETARIAT = "Secretariat"
    OBLIGATION = "Obligation"
    COALITION = "Coalition"
    ACTIVITY = "Activity"
    DATASET_INFO = "DatasetInfo"  # one node: the dataset's as-of date, title, forums
    CHANGE_RECORD = "ChangeRecord"  # the history: one node per write (never exported or wiped)
    CHANGE_LOG = "ChangeLog"  # the write locks: `changes` (data writes), `accounts`
    # a staged load (ccm_graph.store.staging): its records before the switch, the records it
    # replaced after it (until they are deleted), and its marker; no read query sees them
    STAGED = "Staged"
    RETIRED = "Retired"
    LOAD_STAGE = "LoadStage"
    EVIDENCE = "Evidence"  # an evidence.csv row, keyed by ev_key; not in the graph
    ACCOUNT = "Account"  # a workbench account (ccm_graph.accounts.neo4j): never data


CCM_NODE_LABELS = (Label.ACTOR, Label.OBLIGATION, Label.COALITION, Label.ACTIVITY)
"""The labels of ccm-graph's records (every actor also has its kind's label)."""


class RelType(StrEnum):
    """Every relationship type ccm-graph writes."""

    HAS_OBLIGATION = "HAS_OBLIGATION"
    FUNDS = "FUNDS"
    OPERATES_IN = "OPERATES_IN"
    MEMBER_OF = "MEMBER_OF"
    SUPPORTS = "SUPPORTS"
    FOCUSES_ON = "FOCUSES_ON"
    PARTICIPATES_IN = "PARTICIPATES_IN"


class NodeType(StrEnum):
    """The four kinds of node; one id namespace spans all of them."""

    ACTOR = "actor"
    OBLIGATION = "obligation"
    COALITION = "coalition"
    ACTIVITY = "activity"


class ActorKind(StrEnum):
    """What sort of actor a row of ``actors.csv`` describes (its ``kind`` column)."""

    STATE = "state"
    OPERATOR = "operator"
    NATIONAL_AUTHORITY = "national_authority"
    INTERNATIONAL_ORG = "international_org"
    REGIONAL_ORG = "regional_org"
    CIVIL_SOCIETY = "civil_society"
    FUNDER = "funder"
    """A donor that is neither a State nor an international organisation: a foundation, a
    private donor (a company, a bank), or a national development agency where a source names
    the agency rather than its State."""
    FORUM = "forum"
    SECRETARIAT = "secretariat"


ACTOR_KIND_LABELS: dict[ActorKind, Label] = {
    ActorKind.STATE: Label.STATE,
    ActorKind.OPERATOR: Label.OPERATOR,
    ActorKind.NATIONAL_AUTHORITY: Label.NATIONAL_AUTHORITY,
    ActorKind.INTERNATIONAL_ORG: Label.INTERNATIONAL_ORG,
    ActorKind.REGIONAL_ORG: Label.REGIONAL_ORG,
    ActorKind.CIVIL_SOCIETY: Label.CIVIL_SOCIETY,
    ActorKind.FUNDER: Label.FUNDER,
    ActorKind.FORUM: Label.FORUM,
    ActorKind.SECRETARIAT: Label.SECRETARIAT,
}
"""The Neo4j kind label each actor kind gets, beside ``:Actor``."""

DONOR_KINDS: tuple[str, ...] = ("state", "regional_org", "international_org")
"""Actor kinds that give money: the donors of the gap report's MASG rules and the pool of
donor candidates in partner recommendations (MASG also lists secretariats and operators as
participants, who are not donors). ``funder`` (foundations, private donors, development
agencies) is left out on purpose: MASG is a group of donor States and organisations, so a
funder outside it is no gap, and it is not proposed as a coalition's donor partner."""

NODE_TYPE_LABELS: dict[NodeType, Label] = {
    NodeType.ACTOR: Label.ACTOR,
    NodeType.OBLIGATION: Label.OBLIGATION,
    NodeType.COALITION: Label.COALITION,
    NodeType.ACTIVITY: Label.ACTIVITY,
}


class ColumnType(StrEnum):
    """How a seed column's text is checked and converted."""

    ID = "id"  # the record's own id: non-empty, unique across all files
    REF = "ref"  # the id of another record
    TEXT = "text"
    NAME = "name"  # text on one line, without bidirectional controls: a name shown to people
    ENUM = "enum"
    DATE = "date"  # YYYY-MM-DD
    PARTIAL_DATE = "partial_date"  # YYYY, YYYY-MM or YYYY-MM-DD
    WHEN = "when"  # a partial date or a quarter, YYYY-Qn
    YEAR = "year"  # YYYY, stored as an integer
    AMOUNT = "amount"  # a non-negative number of US dollars, no separators
    AREA = "area"  # a non-negative number of square kilometres, no separators
    COUNT = "count"  # a non-negative integer
    ARTICLE = "article"  # 3, 4 or 5, stored as an integer
    ISO3 = "iso3"  # three capital letters
    NAME_LIST = "name_list"  # names separated by ";", each optionally "fr:", "es:" … prefixed
    LANGUAGE_LIST = "language_list"  # ISO 639-1 codes separated by ";"
    MEETING_LIST = "meeting_list"  # meeting codes like 11MSP or 2RC separated by ";"
    TIMESTAMP = "timestamp"  # a UTC time, YYYY-MM-DDTHH:MM:SS+00:00 (neo4j-stamps.csv only)


@dataclass(frozen=True)
class Column:
    """What a seed column holds: its type, whether it is required, its allowed values."""

    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: tuple[Any, ...] = ()
    doc: str = ""


def _col(
    type_: ColumnType = ColumnType.TEXT,
    *,
    required: bool = False,
    choices: tuple[Any, ...] = (),
    doc: str = "",
    default: Any = None,
) -> Any:
    meta = {"column": Column(type_, required, choices, doc)}
    if default is None and required:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Actor:
    """A State, operator, national authority, international or regional body, civil-society
    organisation, forum or secretariat."""

    id: str = _col(ColumnType.ID, required=True, doc="unique id; ISO3 for States by convention")
    kind: str = _col(ColumnType.ENUM, required=True, choices=tuple(ActorKind))
    name: str = _col(ColumnType.NAME, required=True)
    iso3: str | None = _col(ColumnType.ISO3, doc="States only")
    region: str | None = _col(ColumnType.ENUM, choices=REGIONS)
    ccm_status: str | None = _col(ColumnType.ENUM, choices=CCM_STATUSES, doc="States only")
    # the Convention dates follow apmbc_status, so records made with positional arguments
    # (id, kind, name, iso3, region, ccm_status, apmbc_status) keep their meaning
    apmbc_status: str | None = _col(ColumnType.ENUM, choices=APMBC_STATUSES, doc="States only")
    ccm_signed: str | None = _col(
        ColumnType.PARTIAL_DATE, doc="States only: the day it signed the CCM (depositary record)"
    )
    ccm_ratified: str | None = _col(
        ColumnType.PARTIAL_DATE,
        doc="States only: the day its ratification, acceptance, approval or accession was "
        "deposited",
    )
    ccm_entry_into_force: str | None = _col(
        ColumnType.PARTIAL_DATE,
        doc="States only: the day the CCM entered into force for it (its deadlines count from "
        "here)",
    )
    ccm_withdrawal: str | None = _col(
        ColumnType.PARTIAL_DATE, doc="States only: the day its notice of withdrawal was deposited"
    )
    ccm_withdrawal_effective: str | None = _col(
        ColumnType.PARTIAL_DATE, doc="States only: the day its withdrawal takes effect"
    )
    aliases: str | None = _col(
        ColumnType.NAME_LIST,
        doc="other names, ';'-separated; 'fr:Tchad' gives the name in a language",
    )
    languages: str | None = _col(
        ColumnType.LANGUAGE_LIST, doc="States only: official languages, ISO 639-1 codes"
    )
    sensitivity: str = _col(ColumnType.ENUM, choices=SENSITIVITIES, default="public")
    source: str = _col(required=True, default="")
    notes: str | None = _col()


@dataclass(frozen=True)
class Obligation:
    """A time-bound obligation of a State Party: Article 3 (destroy stockpiles), Article 4
    (clear contaminated land) or Article 5 (assist victims, no deadline)."""

    id: str = _col(ColumnType.ID, required=True)
    state: str = _col(ColumnType.REF, required=True, doc="the State's id")
    article: int = _col(ColumnType.ARTICLE, required=True, choices=ARTICLES)
    deadline: str | None = _col(ColumnType.DATE, doc="current deadline; required for 3 and 4")
    status: str = _col(ColumnType.ENUM, required=True, choices=OBLIGATION_STATUSES, default="")
    original_deadline: str | None = _col(ColumnType.DATE)
    extensions: int | None = _col(ColumnType.COUNT, doc="number of extensions granted")
    granted_by: str | None = _col(
        ColumnType.MEETING_LIST, doc="the meetings that granted each extension, like 2RC;11MSP"
    )
    extension_requested: str | None = _col(
        ColumnType.PARTIAL_DATE, doc="date of the latest extension request"
    )
    request_outcome: str | None = _col(
        ColumnType.ENUM, choices=REQUEST_OUTCOMES, doc="outcome of the latest request"
    )
    requested_deadline: str | None = _col(
        ColumnType.DATE,
        doc="the deadline the latest request asks for, while its outcome is pending or unrecorded",
    )
    completed: str | None = _col(ColumnType.PARTIAL_DATE, doc="date completion was declared")
    assistance_requested: str | None = _col(
        ColumnType.ENUM,
        choices=ASSISTANCE_REQUESTS,
        doc="whether the State asked for international assistance",
    )
    remaining_km2: float | None = _col(
        ColumnType.AREA,
        doc="Article 4: contaminated area still to release, km², as the source reports it",
    )
    remaining_kind: str | None = _col(
        ColumnType.ENUM,
        choices=REMAINING_KINDS,
        doc="what remaining_km2 measures: confirmed, suspected or both (blank: not stated)",
    )
    remaining_year: int | None = _col(
        ColumnType.YEAR, doc="the year remaining_km2 describes; required with it"
    )
    remaining_source: str | None = _col(doc="citation of remaining_km2; required with it")
    need_usd: float | None = _col(
        ColumnType.AMOUNT, doc="estimated need or funding gap in US dollars, as the source gives it"
    )
    need_text: str | None = _col(
        doc="the need in words: what the amount covers, or the need when no amount is given"
    )
    need_year: int | None = _col(
        ColumnType.YEAR, doc="the year of the need estimate; required with need_usd or need_text"
    )
    need_source: str | None = _col(doc="citation of need_usd / need_text; required with either")
    description: str | None = _col()
    source: str = _col(required=True, default="")


@dataclass(frozen=True)
class Coalition:
    """A Country Coalition: partners organised around one affected State's needs."""

    id: str = _col(ColumnType.ID, required=True)
    name: str = _col(ColumnType.NAME, required=True)
    focus: str = _col(ColumnType.REF, required=True, doc="the affected State's id", default="")
    status: str = _col(ColumnType.ENUM, required=True, choices=COALITION_STATUSES, default="")
    established: str | None = _col(ColumnType.PARTIAL_DATE)
    sensitivity: str = _col(ColumnType.ENUM, choices=SENSITIVITIES, default="public")
    source: str = _col(required=True, default="")
    notes: str | None = _col()


@dataclass(frozen=True)
class Activity:
    """A meeting, activity or output, e.g. of the Article 6 Coordinators' work plan."""

    id: str = _col(ColumnType.ID, required=True)
    kind: str = _col(ColumnType.ENUM, required=True, choices=ACTIVITY_KINDS)
    title: str = _col(required=True)
    date: str | None = _col(ColumnType.WHEN)
    status: str | None = _col(ColumnType.ENUM, choices=ACTIVITY_STATUSES)
    description: str | None = _col()
    source: str = _col(required=True, default="")


@dataclass(frozen=True)
class Relation:
    """One row of ``relations.csv``: a typed link between two records.

    ``role`` holds the member role for ``MEMBER_OF``, the kind of support for ``SUPPORTS``
    (technical / material / financial) and convener or participant for ``PARTICIPATES_IN``.
    """

    from_id: str = _col(ColumnType.REF, required=True)
    type: str = _col(ColumnType.ENUM, required=True, default="")
    to_id: str = _col(ColumnType.REF, required=True, default="")
    role: str | None = _col(ColumnType.ENUM)
    year: int | None = _col(ColumnType.YEAR)
    amount_usd: float | None = _col(ColumnType.AMOUNT)
    convention: str | None = _col(ColumnType.ENUM, choices=CONVENTIONS)
    purpose: str | None = _col()
    since: str | None = _col(ColumnType.PARTIAL_DATE)
    until: str | None = _col(ColumnType.PARTIAL_DATE)
    sensitivity: str = _col(ColumnType.ENUM, choices=SENSITIVITIES, default="public")
    source: str = _col(required=True, default="")
    notes: str | None = _col()

    @property
    def key(self) -> tuple[Any, ...]:
        """What makes two relation rows the same fact (the load ``MERGE`` key)."""
        return (
            self.from_id,
            self.type,
            self.to_id,
            self.role,
            self.year,
            self.convention,
            self.purpose,
            self.since,
            self.until,
        )


@dataclass(frozen=True)
class Evidence:
    """One checked fact of ``evidence.csv``: a record's field, its value, and the source that
    states it (``quoted``) or why it is believed (``indicative``). Not a node of the graph."""

    record: str = _col(ColumnType.REF, required=True, doc="the id of the record checked")
    field: str = _col(required=True, default="", doc="the column checked (EVIDENCE_FIELDS)")
    value: str = _col(required=True, default="", doc="the value as the seed stores it")
    status: str = _col(ColumnType.ENUM, required=True, choices=EVIDENCE_STATUSES, default="")
    source: str | None = _col(doc="the source's URL (https://…); required when quoted")
    source_date: str | None = _col(ColumnType.PARTIAL_DATE, doc="the source's publication date")
    excerpt: str | None = _col(doc="a verbatim excerpt (at most 400 characters) stating it")
    note: str | None = _col(doc="why the value is believed (required when indicative); context")

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two evidence rows the same check: record, field and source."""
        return (self.record, self.field, self.source or "")


# --- relationship rules --------------------------------------------------------------------


@dataclass(frozen=True)
class RelationRule:
    """Which records a relationship type may join and which relation columns apply to it."""

    from_types: frozenset[str]
    to_types: frozenset[str]
    fields: frozenset[str]
    roles: tuple[str, ...] = ()
    role_required: bool = False
    description: str = ""


def _kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


_ANY_ACTOR = "actor"
RELATION_RULES: dict[RelType, RelationRule] = {
    RelType.FUNDS: RelationRule(
        _kinds(_ANY_ACTOR),
        _kinds(_ANY_ACTOR, "coalition"),
        frozenset({"year", "amount_usd", "convention", "purpose"}),
        description="gives money to an actor or a coalition",
    ),
    RelType.OPERATES_IN: RelationRule(
        _kinds(_ANY_ACTOR),
        _kinds("state"),
        frozenset({"since", "until", "purpose"}),
        description="works on the ground in a State",
    ),
    RelType.MEMBER_OF: RelationRule(
        _kinds(_ANY_ACTOR),
        _kinds("forum", "coalition"),
        frozenset({"role", "since", "until"}),
        roles=MEMBER_ROLES,
        role_required=True,
        description="belongs to a forum or a coalition, in a role",
    ),
    RelType.SUPPORTS: RelationRule(
        _kinds(_ANY_ACTOR),
        _kinds("obligation"),
        frozenset({"role", "year", "amount_usd", "convention", "purpose"}),
        roles=SUPPORT_KINDS,
        role_required=True,
        description="helps a State meet an obligation (technical, material or financial)",
    ),
    RelType.PARTICIPATES_IN: RelationRule(
        _kinds(_ANY_ACTOR),
        _kinds("activity"),
        frozenset({"role"}),
        roles=PARTICIPATION_ROLES,
        role_required=True,
        description="convenes or takes part in an activity",
    ),
}
"""Relationship types allowed in ``relations.csv``. ``HAS_OBLIGATION`` and ``FOCUSES_ON`` are
derived from ``obligations.state`` and ``coalitions.focus``. Endpoint kinds are a node type
(``actor``, ``obligation``, ``coalition``, ``activity``) or an actor kind (``state``, ``forum``)."""

RELATION_COLUMNS_ALWAYS = frozenset({"from_id", "type", "to_id", "sensitivity", "source", "notes"})


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """One seed file: its name, its record type and, for node tables, the node type;
    ``optional``: a folder without it reads as if it had no rows (one made before it existed)."""

    file: str
    record: type
    node_type: NodeType | None
    optional: bool = False

    @property
    def columns(self) -> list[str]:
        return columns(self.record)


def columns(record: type) -> list[str]:
    """CSV column names of a record type, in file order (``from_id`` is written ``from``)."""
    return [_csv_name(f.name) for f in dataclasses.fields(record)]


def _csv_name(field_name: str) -> str:
    return {"from_id": "from", "to_id": "to"}.get(field_name, field_name)


RELATIONS_TABLE = TableSpec("relations.csv", Relation, None)
EVIDENCE_TABLE = TableSpec("evidence.csv", Evidence, None, optional=True)  # issue #19
TABLES: tuple[TableSpec, ...] = (
    TableSpec("actors.csv", Actor, NodeType.ACTOR),
    TableSpec("obligations.csv", Obligation, NodeType.OBLIGATION),
    TableSpec("coalitions.csv", Coalition, NodeType.COALITION),
    TableSpec("activities.csv", Activity, NodeType.ACTIVITY),
    RELATIONS_TABLE,
    EVIDENCE_TABLE,
)
NODE_TABLES = TABLES[:4]
SEED_FILES = tuple(t.file for t in TABLES)


@dataclass(frozen=True)
class CoalitionStamps:
    """The coalition workflow's stamps of one coalition, kept outside Neo4j.

    Not a seed table: ``created`` and ``updated`` live in Neo4j only (a load leaves them as
    they are), so snapshots and exports write them to their own file, :data:`STAMPS_TABLE`,
    and a load of such a folder puts them back (:mod:`ccm_graph.sync`).
    """

    coalition: str = _col(ColumnType.REF, required=True, doc="the coalition's id")
    created: str | None = _col(ColumnType.TIMESTAMP, doc="when it was proposed (UTC)")
    updated: str | None = _col(ColumnType.TIMESTAMP, doc="when it last changed (UTC)")


STAMPS_TABLE = TableSpec("neo4j-stamps.csv", CoalitionStamps, None)
"""``neo4j-stamps.csv``, beside the seed files of a snapshot or an export: one row per
coalition that has a ``created`` or ``updated`` stamp. Not one of :data:`TABLES`."""


def cypher_label(label: Label | NodeType | ActorKind) -> str:
    """The backticked Cypher label for a member of the closed label set.

    Raises ``TypeError`` for anything else, so a string from user data can never get here.

    >>> cypher_label(Label.STATE)
    '`State`'
    >>> cypher_label(ActorKind.NATIONAL_AUTHORITY)
    '`NationalAuthority`'
    """
    if isinstance(label, ActorKind):
        label = ACTOR_KIND_LABELS[label]
    elif isinstance(label, NodeType):
        label = NODE_TYPE_LABELS[label]
    if not isinstance(label, Label):
        raise TypeError(f"not a ccm-graph label: {label!r}")
    return f"`{label.value}`"


def cypher_rel_type(rel_type: RelType) -> str:
    """The backticked Cypher relationship type for a member of :class:`RelType`.

    >>> cypher_rel_type(RelType.FUNDS)
    '`FUNDS`'
    """
    if not isinstance(rel_type, RelType):
        raise TypeError(f"not a ccm-graph relationship type: {rel_type!r}")
    return f"`{rel_type.value}`"
