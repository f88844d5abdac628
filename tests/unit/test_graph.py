"""Building the NetworkX graph and its stats, checked against hand-counted answers."""

from __future__ import annotations

from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph, graph_stats

from ..conftest import SMALL_SEED


def test_nodes_carry_type_label_and_fields() -> None:
    graph = build_graph(read_seed(SMALL_SEED))
    assert graph.number_of_nodes() == 9 + 3 + 2 + 1
    assert graph.nodes["LAO"]["node_type"] == "actor"
    assert graph.nodes["LAO"]["kind"] == "state"
    assert graph.nodes["ob-LAO-4"]["label"] == "Lao PDR: Article 4 (clearance)"
    assert graph.nodes["coal-lbn"]["status"] == "active"
    assert graph.nodes["wp-a"]["label"] == "Build synergies with the APMBC committee"


def test_derived_and_parallel_edges() -> None:
    graph = build_graph(read_seed(SMALL_SEED))
    assert graph.has_edge("LAO", "ob-LAO-4", key="HAS_OBLIGATION")
    assert graph.has_edge("coal-lbn", "LBN", key="FOCUSES_ON")
    funds = graph.get_edge_data("NLD", "halo")
    assert sorted(d["year"] for d in funds.values()) == [2023, 2024]
    assert sorted(funds) == ["FUNDS", "FUNDS#1"]


def test_stats_hand_counted() -> None:
    result = graph_stats(build_graph(read_seed(SMALL_SEED)))
    assert result["nodes"] == {
        "activity": 1,
        "civil_society": 1,
        "coalition": 2,
        "forum": 1,
        "national_authority": 1,
        "obligation": 3,
        "operator": 1,
        "state": 5,
    }
    assert result["relationships"]["FUNDS"] == 4
    assert result["relationships"]["HAS_OBLIGATION"] == 3
    assert result["obligations"] == {"Article 3 completed": 1, "Article 4 extended": 2}


def test_graph_is_independent_of_row_order() -> None:
    dataset = read_seed(SMALL_SEED)
    shuffled = dataset.sorted()
    shuffled.relations.reverse()
    shuffled.actors.reverse()
    a, b = build_graph(dataset), build_graph(shuffled)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data="year")) == sorted(b.edges(keys=True, data="year"))


def test_a_donor_supporting_an_obligation_is_not_an_affected_state() -> None:
    from ccm_graph.graph import affected_states

    graph = build_graph(read_seed(SMALL_SEED))
    # halo SUPPORTS ob-LAO-4; only LAO and LBN own open Article 4 obligations
    assert affected_states(graph) == {"LAO": ["ob-LAO-4"], "LBN": ["ob-LBN-4"]}
