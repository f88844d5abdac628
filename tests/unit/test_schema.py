"""The schema is the single source of truth: Cypher identifiers, files and docs follow it."""

from __future__ import annotations

import pytest

from ccm_graph.queries import (
    node_upsert_query,
    relation_upsert_query,
    schema_text,
    wipe_query,
)
from ccm_graph.schema import (
    TABLES,
    ActorKind,
    Label,
    NodeType,
    RelType,
    cypher_label,
    cypher_rel_type,
)

from ..conftest import ROOT


def test_seed_columns_match_the_design() -> None:
    assert {t.file: ",".join(t.columns) for t in TABLES} == {
        "actors.csv": "id,kind,name,iso3,region,ccm_status,apmbc_status,ccm_signed,ccm_ratified,"
        "ccm_entry_into_force,ccm_withdrawal,ccm_withdrawal_effective,aliases,"
        "languages,sensitivity,source,notes",
        "obligations.csv": "id,state,article,deadline,status,original_deadline,extensions,"
        "granted_by,extension_requested,request_outcome,requested_deadline,completed,"
        "assistance_requested,"
        "remaining_km2,remaining_kind,remaining_year,remaining_source,need_usd,need_text,"
        "need_year,need_source,description,source",
        "coalitions.csv": "id,name,focus,status,established,sensitivity,source,notes",
        "activities.csv": "id,kind,title,date,status,description,source",
        "relations.csv": "from,type,to,role,year,amount_usd,convention,purpose,since,until,"
        "sensitivity,source,notes",
        "evidence.csv": "record,field,value,status,source,source_date,excerpt,note",
    }


@pytest.mark.parametrize("text", ["State", "Actor`) DETACH DELETE n //", "FUNDS"])
def test_plain_strings_never_become_identifiers(text: str) -> None:
    with pytest.raises(TypeError):
        cypher_label(text)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cypher_rel_type(text)  # type: ignore[arg-type]


def test_every_actor_kind_has_a_label() -> None:
    assert {cypher_label(kind) for kind in ActorKind} == {
        f"`{label.value}`"
        for label in Label
        if label
        not in (
            Label.ACTOR,
            Label.OBLIGATION,
            Label.COALITION,
            Label.ACTIVITY,
            Label.DATASET_INFO,
            Label.CHANGE_RECORD,
            Label.CHANGE_LOG,
            Label.STAGED,
            Label.RETIRED,
            Label.LOAD_STAGE,
            Label.EVIDENCE,
            Label.ACCOUNT,
        )
    }


def test_upserts_take_values_only_as_parameters() -> None:
    query = node_upsert_query(NodeType.ACTOR, ActorKind.STATE)
    assert query.startswith("UNWIND $rows AS row\nMERGE (n:`Actor` {id: row.id})")
    assert "SET n:`State`" in query and "REMOVE n:`Operator`" in query
    rel = relation_upsert_query(RelType.FUNDS, NodeType.ACTOR, NodeType.COALITION)
    assert "MERGE (a)-[r:`FUNDS` {rel_key: row.key}]->(b)" in rel
    assert "(b:`Coalition` {id: row.to})" in rel
    assert "DETACH DELETE" in wipe_query() and "n:`Actor`" in wipe_query()


def test_schema_file_is_generated_from_the_code() -> None:
    assert (ROOT / "cypher" / "schema.cypher").read_text(encoding="utf-8") == schema_text()


def test_no_read_that_matches_relationships_alone_sees_a_staged_load() -> None:
    """A staged load's records are ``Staged`` nodes (and, after its switch, the ones it
    replaced ``Retired``): a read that starts from a record label never reaches them, one that
    matches relationships alone must leave them out (``ccm_graph.store.staging``)."""
    from ccm_graph import queries

    readers = [
        queries.read_relations_query(),
        queries.read_stored_relations_query(),
        queries.restricted_markers_query(),
    ]
    for query in readers:
        assert "NOT (a:`Staged` OR a:`Retired`)" in query, query
    # the switch gives every node type and actor kind its labels (and evidence its own), and
    # retires every record
    switch = queries.stage_switch_queries()
    assert len(switch) == 2  # retire, then one pass over the staged nodes
    assert "SET n:`Retired`" in switch[0]
    cases = len(ActorKind) + len(NodeType) - 1 + 1  # each kind, the other node types, evidence
    assert switch[1].count("REMOVE n:`Staged`, n._staged") == cases
    assert switch[1].count("FOREACH") == cases
    labelled = {cypher_label(kind) for kind in ActorKind} | {
        cypher_label(node_type) for node_type in NodeType
    }
    assert all(label in "".join(switch[1:]) for label in labelled)
    with pytest.raises(ValueError):
        queries.stage_delete_nodes_query(Label.ACTOR)
