"""Maps: views on the small hand-made seed, sizes, layout, exports and the page's safety."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import string
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest

from ccm_graph import maps
from ccm_graph.dataset import Dataset, read_seed
from ccm_graph.errors import UnknownRecord
from ccm_graph.graph import build_graph
from ccm_graph.maps.page import PAGE_ASSETS, asset_text, page_strings, script_json

from ..conftest import SMALL_SEED

HOSTILE_NAME = "'}) DETACH DELETE n //"
HOSTILE_NOTES = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def full() -> Dataset:
    return read_seed(SMALL_SEED)


@pytest.fixture(scope="module")
def graph(full: Dataset) -> nx.MultiDiGraph:
    """The small seed as a coordinator may map it: restricted records left out."""
    return build_graph(full.without_restricted())


def _page(graph: nx.MultiDiGraph, **options) -> str:
    options = {"title": "Test map", "as_of": "2026-02-27", "command": "ccm-graph map", **options}
    return maps.render_html(graph, maps.MapOptions(**options))


def _payload(page: str) -> dict:
    block = re.search(
        r'<script type="application/json" id="ccm-map-data">(.*?)</script>', page, re.S
    )
    assert block is not None
    return json.loads(block.group(1))


# --- views ------------------------------------------------------------------------------------


def test_whole_network_is_every_record(graph: nx.MultiDiGraph) -> None:
    view = maps.select_view(graph)
    assert list(view) == list(graph)
    assert view.number_of_edges() == graph.number_of_edges()
    assert view is not graph


def test_focus_depth_one_is_the_direct_neighbourhood(graph: nx.MultiDiGraph) -> None:
    # LAO has its obligation; HALO operates in LAO (CHE's funding is restricted, so gone).
    view = maps.select_view(graph, focus="LAO", depth=1)
    assert set(view) == {"LAO", "ob-LAO-4", "halo"}
    # HAS_OBLIGATION, OPERATES_IN, and HALO's SUPPORTS of the obligation (among the three).
    assert sorted(d["type"] for _, _, d in view.edges(data=True)) == [
        "HAS_OBLIGATION",
        "OPERATES_IN",
        "SUPPORTS",
    ]


def test_focus_depth_two_reaches_the_donor(graph: nx.MultiDiGraph) -> None:
    view = maps.select_view(graph, focus="LAO", depth=2)
    assert set(view) == {"LAO", "ob-LAO-4", "halo", "NLD"}
    assert view.number_of_edges() == 5  # + NLD FUNDS halo twice (2024 and 2023)


def test_coalition_view(graph: nx.MultiDiGraph) -> None:
    view = maps.select_view(graph, coalition="coal-lbn")
    # members (NLD lead, LBN affected State), the focus State and its obligation.
    assert set(view) == {"coal-lbn", "NLD", "LBN", "ob-LBN-4"}
    types = sorted(d["type"] for _, _, d in view.edges(data=True))
    assert types == ["FOCUSES_ON", "HAS_OBLIGATION", "MEMBER_OF", "MEMBER_OF"]


def test_masg_preset(graph: nx.MultiDiGraph) -> None:
    view = maps.select_view(graph, preset="masg")
    # NLD is the only member; LAO and LBN have an extended Article 4 obligation; NLD's
    # Article 3 obligation is completed, so NLD is not an affected State.
    assert set(view) == {"masg", "NLD", "LAO", "ob-LAO-4", "LBN", "ob-LBN-4"}
    edges = sorted((u, d["type"], v) for u, v, d in view.edges(data=True))
    assert edges == [
        ("LAO", "HAS_OBLIGATION", "ob-LAO-4"),
        ("LBN", "HAS_OBLIGATION", "ob-LBN-4"),
        ("NLD", "MEMBER_OF", "masg"),
    ]


def _meeting_graph() -> nx.MultiDiGraph:
    """A hand-made MASG picture: NLD in MASG, EST outside it funding Chad, Chad's national
    authority funded by CHE, Chad's coalition funded by NOR, an operator supporting Chad."""
    G = nx.MultiDiGraph()
    for ident, kind in (("NLD", "state"), ("EST", "state"), ("CHE", "state"), ("NOR", "state"),
                        ("TCD", "state"), ("na-tcd", "national_authority"),
                        ("mag", "operator"), ("masg", "forum")):  # fmt: skip
        G.add_node(ident, node_type="actor", kind=kind, label=ident, ccm_status="state_party")
    G.add_node("ob-TCD-4", node_type="obligation", label="Chad Art 4", state="TCD", article=4,
               status="extended")  # fmt: skip
    G.add_node("coal-tcd", node_type="coalition", label="Chad coalition", focus="TCD")
    G.add_edge("TCD", "ob-TCD-4", type="HAS_OBLIGATION")
    G.add_edge("NLD", "masg", type="MEMBER_OF", since="2016", until="2018")
    G.add_edge("NLD", "TCD", type="FUNDS", year=2024, amount_usd=100.0)
    G.add_edge("EST", "TCD", type="FUNDS", year=2012, amount_usd=10.0)
    G.add_edge("mag", "ob-TCD-4", type="SUPPORTS", kind="technical")
    G.add_edge("na-tcd", "TCD", type="OPERATES_IN")
    G.add_edge("CHE", "na-tcd", type="FUNDS", year=2020)
    G.add_edge("coal-tcd", "TCD", type="FOCUSES_ON")
    G.add_edge("NOR", "coal-tcd", type="FUNDS", year=2019)
    return G


def test_masg_preset_adds_donors_outside_masg_to_invite() -> None:
    view = maps.select_view(_meeting_graph(), preset="masg")
    # EST funds affected Chad from outside MASG; mag's support is technical, not money.
    assert set(view) == {"masg", "NLD", "TCD", "ob-TCD-4", "EST"}
    assert view.graph["to_invite"] == ["EST"]
    payload = _payload(_page(view))
    kinds = {n["id"]: n["kind"] for n in payload["nodes"]}
    assert kinds["EST"] == "to_invite" and kinds["TCD"] == "affected_state"
    assert kinds["NLD"] == "state"
    legend = {k["key"]: k for k in payload["styles"]["kinds"]}
    assert legend["to_invite"]["label"].endswith("to invite")
    assert legend["affected_state"]["shape"] != legend["state"]["shape"]
    assert legend["affected_state"]["color"] != legend["state"]["color"]


def test_focus_on_a_state_brings_funding_to_its_authority_and_coalition() -> None:
    view = maps.select_view(_meeting_graph(), focus="TCD", depth=1)
    assert {"na-tcd", "coal-tcd", "CHE", "NOR"} <= set(view)
    assert view.has_edge("CHE", "na-tcd") and view.has_edge("NOR", "coal-tcd")
    assert maps.select_view(_meeting_graph(), focus="EST", depth=1).number_of_nodes() == 2


def test_affected_states_are_judged_on_the_whole_graph() -> None:
    # A donor's neighbourhood leaves Chad's obligations out; Chad is still drawn as affected.
    view = maps.select_view(_meeting_graph(), focus="EST")
    assert "ob-TCD-4" not in view
    kinds = {n["id"]: n["kind"] for n in _payload(_page(view))["nodes"]}
    assert kinds == {"EST": "state", "TCD": "affected_state"}


def test_edges_carry_their_period_for_the_year_filter() -> None:
    payload = _payload(_page(_meeting_graph()))
    years = {(e["from"], e["to"]): e.get("years") for e in payload["edges"]}
    assert years[("NLD", "TCD")] == [2024, 2024]
    assert years[("NLD", "masg")] == [2016, 2018]
    assert years[("TCD", "ob-TCD-4")] is None


def test_aliases_reach_the_page_for_search(graph: nx.MultiDiGraph) -> None:
    G = nx.MultiDiGraph()
    G.add_node("TCD", node_type="actor", kind="state", label="Chad", aliases="fr:Tchad;es:Chad")
    node = _payload(_page(G))["nodes"][0]
    assert node["aliases"] == ["Tchad", "Chad"]


def test_no_de_facto_name_and_only_the_pages_language_in_other_names() -> None:
    # a name used by de facto authorities is never printed (nor searchable) in a shared map;
    # the card's "Other names" shows the page's language and acronyms only
    from ccm_graph.names import aliases_in, is_de_facto
    from ccm_graph.schema import DE_FACTO_MARK

    aliases = f"Islamic Emirate of Afghanistan {DE_FACTO_MARK};AFG-X;fr:Afghanistan;es:Afganistán"
    assert is_de_facto(aliases.split(";")[0])
    assert aliases_in("en", aliases) == ["AFG-X"]
    assert aliases_in("es", aliases) == ["AFG-X", "Afganistán"]
    G = nx.MultiDiGraph()
    G.add_node("AFG", node_type="actor", kind="state", label="Afghanistan", aliases=aliases)
    page = _page(G)
    assert "de facto" not in page and "Islamic Emirate" not in page
    node = _payload(page)["nodes"][0]
    other = [value for label, value in node["details"] if label == "Other names"]
    assert other == ["AFG-X"]


def test_gap_rings_show_high_findings_by_default() -> None:
    highlights = {"TCD": ["MEDIUM: no coalition", "HIGH: deadline"], "NLD": ["LOW: reach"],
                  "EST": ["hand-made note"]}  # fmt: skip
    payload = _payload(_page(_meeting_graph(), highlights=highlights))
    levels = {n["id"]: n.get("gapLevel") for n in payload["nodes"] if "gaps" in n}
    assert levels == {"TCD": "high", "NLD": "low", "EST": "high"}
    assert payload["styles"]["ringLevels"] == ["high"]
    assert payload["styles"]["gapLevels"] == ["high", "low"]
    assert maps.highlight_level(["INFO: fyi"]) == "info"


def test_a_preset_is_one_registry_entry(
    graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    def states_only(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
        return g.subgraph([n for n, d in g.nodes(data=True) if d.get("kind") == "state"]).copy()

    extra = maps.Preset("states", title="Only States", description="every State.", view=states_only)
    monkeypatch.setitem(maps.PRESETS, "states", extra)
    view = maps.select_view(graph, preset="states")
    assert set(view) == {n for n, d in graph.nodes(data=True) if d.get("kind") == "state"}
    assert maps.view_title(graph, preset="states") == "Only States"
    assert maps.PRESETS["masg"].name == "masg"


def test_views_never_change_the_graph(graph: nx.MultiDiGraph) -> None:
    before = (graph.number_of_nodes(), graph.number_of_edges())
    maps.select_view(graph, focus="LAO").remove_node("LAO")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == before


@pytest.mark.parametrize(
    ("options", "kind", "suggested"),
    [
        ({"focus": "LOA"}, "actor", "LAO"),
        ({"focus": "lebanonn"}, "actor", "LBN"),
        ({"coalition": "coal-lbm"}, "coalition", "coal-lbn"),
    ],
)
def test_unknown_ids_suggest_close_matches(
    graph: nx.MultiDiGraph, options: dict, kind: str, suggested: str
) -> None:
    with pytest.raises(UnknownRecord) as caught:
        maps.select_view(graph, **options)
    assert caught.value.kind == kind
    assert caught.value.suggestions[0] == suggested
    assert str(caught.value).startswith(f"no {kind} ")


def test_coalition_must_be_a_coalition(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownRecord):
        maps.select_view(graph, coalition="LBN")


def test_masg_preset_needs_the_forum() -> None:
    with pytest.raises(UnknownRecord, match="no forum 'masg'"):
        maps.select_view(nx.MultiDiGraph(), preset="masg")


@pytest.mark.parametrize(
    "options",
    [
        {"focus": "LAO", "coalition": "coal-lbn"},
        {"focus": "LAO", "preset": "masg"},
        {"focus": "LAO", "depth": 0},
        {"preset": "nato"},
    ],
)
def test_bad_view_requests(graph: nx.MultiDiGraph, options: dict) -> None:
    with pytest.raises(ValueError):
        maps.select_view(graph, **options)


def test_view_titles(graph: nx.MultiDiGraph) -> None:
    assert maps.view_title(graph, focus="LAO", depth=2) == (
        "Lao PDR and its neighbourhood (2 steps)"
    )
    assert maps.view_title(graph, coalition="coal-lbn").startswith("Country Coalition Lebanon")
    assert "MASG" in maps.view_title(graph, preset="masg")


# --- restricted records -----------------------------------------------------------------------


def test_restricted_records_are_left_out_of_the_graph(graph: nx.MultiDiGraph) -> None:
    assert "secretdonor" not in graph
    assert "coal-secret" not in graph
    assert not graph.has_edge("CHE", "LAO")
    assert maps.restricted_records(graph) == []


def test_a_view_with_restricted_records_is_refused_unless_allowed(full: Dataset) -> None:
    everything = build_graph(full)
    assert set(maps.restricted_records(everything)) == {
        "secretdonor",
        "coal-secret",
        "CHE -FUNDS-> LAO",
    }
    with pytest.raises(ValueError, match="restricted"):
        _page(everything)
    with pytest.raises(ValueError, match="restricted"):
        maps.export_graph(everything, "json")
    page = _page(everything, restricted_included=True)
    assert "RESTRICTED DATA" in page
    assert "holds 3 restricted records" in page
    assert _payload(page)["meta"]["restrictedCount"] == 3


def test_a_public_page_says_nothing_about_restricted_data(graph: nx.MultiDiGraph) -> None:
    assert "RESTRICTED DATA" not in _page(graph)


# --- sizes and layout -------------------------------------------------------------------------


def test_node_sizes(graph: nx.MultiDiGraph) -> None:
    funding = maps.node_sizes(graph, "funding")
    assert funding["NLD"] == pytest.approx(2_700_000.5)  # 1,500,000 + 1,200,000.50 given
    assert funding["halo"] == pytest.approx(2_700_000.5)  # received
    assert funding["LAO"] == 0.0
    degree = maps.node_sizes(graph, "degree")
    assert degree["NLD"] == 6  # FUNDS ×2, MEMBER_OF ×2, PARTICIPATES_IN, HAS_OBLIGATION
    betweenness = maps.node_sizes(graph, "betweenness")
    assert all(0.0 <= value <= 1.0 for value in betweenness.values())
    assert max(betweenness, key=betweenness.__getitem__) == "NLD"
    with pytest.raises(ValueError):
        maps.node_sizes(graph, "fame")


def test_choose_layout() -> None:
    small = nx.MultiDiGraph()
    small.add_nodes_from(range(maps.AUTO_STATIC_ABOVE))
    assert maps.choose_layout(small) == "physics"
    small.add_node("one more")
    assert maps.choose_layout(small) == "static"


def test_static_layout_is_deterministic(graph: nx.MultiDiGraph) -> None:
    first = maps.static_positions(graph, seed=7)
    assert first == maps.static_positions(graph, seed=7)
    assert first != maps.static_positions(graph, seed=8)
    assert set(first) == set(graph)
    # Records with no relation (the Lao authority, the hostile actor, CHE) sit in a row below.
    lowest_linked = max(y for node, (_, y) in first.items() if graph.degree(node))
    assert all(first[n][1] > lowest_linked for n in ("na-lao", "evil", "CHE"))


def test_static_layout_of_a_large_graph_is_deterministic() -> None:
    large = nx.gnm_random_graph(600, 1500, seed=3, directed=True)
    view = nx.MultiDiGraph(nx.relabel_nodes(large, lambda n: f"n{n}"))
    first = maps.static_positions(view, seed=42)
    assert first == maps.static_positions(view, seed=42)
    assert len(first) == 600
    xs = [x for x, _ in first.values()]
    assert max(xs) - min(xs) > 1000  # spread over the canvas, not collapsed


@pytest.mark.parametrize("layout", maps.LAYOUTS)
def test_pages_are_byte_for_byte_reproducible(graph: nx.MultiDiGraph, layout: str) -> None:
    assert _page(graph, layout=layout) == _page(graph, layout=layout)
    # Both layouts carry seeded positions: physics starts from them, static keeps them.
    nodes = _payload(_page(graph, layout=layout))["nodes"]
    assert all("x" in n and "y" in n for n in nodes)
    assert _payload(_page(graph, layout=layout, seed=8))["nodes"] != nodes


# --- the page ---------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def test_page_loads_nothing_from_anywhere(graph: nx.MultiDiGraph) -> None:
    parsed = _parse(_page(graph))
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "data", "srcset", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), (tag, name, value)
    assert [tag for tag, _ in parsed.tags].count("link") == 1  # the empty data: icon
    assert len(parsed.scripts) == 4
    assert parsed.scripts[0][0] == {"type": "application/json", "id": "ccm-map-data"}
    assert parsed.scripts[1][0] == {"type": "application/json", "id": "ccm-map-strings"}


def test_content_security_policy_allows_only_the_pages_own_scripts(
    graph: nx.MultiDiGraph,
) -> None:
    parsed = _parse(_page(graph))
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    for _, text in parsed.scripts[2:]:  # the two that run (the JSON blocks do not)
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_page_assets_are_package_data_inlined_as_they_are(graph: nx.MultiDiGraph) -> None:
    assets = resources.files("ccm_graph.maps") / "assets"
    for name in PAGE_ASSETS:
        assert asset_text(name) == (assets / name).read_text(encoding="utf-8")
    css, app, template = asset_text("page.css"), asset_text("page.js"), asset_text("page.html")
    page = _page(graph)
    assert f"<style>{css}</style>" in page
    # the page's own script, after vis-network, as written; its fixed text as data
    scripts = _parse(page).scripts
    assert scripts[3][1] == app and 't("Hide panel")' in app
    assert json.loads(scripts[1][1]) == page_strings("en") and page_strings("en")["Hide panel"]
    assert "</script" not in app.lower() and "</style" not in css.lower()
    fields = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    assert fields == {"csp", "version", "title", "as_of", "command", "banner", "css", "data",
                      "strings", "scripts", "lang"}  # fmt: skip
    with pytest.raises(ValueError):
        asset_text("../__init__.py")


def test_hostile_strings_never_reach_the_page_as_markup(graph: nx.MultiDiGraph) -> None:
    page = _page(graph, title="<b>Lao</b> & friends", command="ccm-graph map --title '<b>'")
    assert HOSTILE_NOTES not in page
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # the two code blocks
    assert "<b>" not in markup
    assert "&lt;b&gt;Lao&lt;/b&gt; &amp; friends" in markup
    data_block, strings_block = (text for _, text in _parse(page).scripts[:2])
    assert not set("<>&") & set(data_block + strings_block)
    payload = _payload(page)
    evil = next(n for n in payload["nodes"] if n["id"] == "evil")
    assert evil["label"] == HOSTILE_NAME
    assert ["Notes", HOSTILE_NOTES] in evil["details"]
    assert payload["meta"]["title"] == "<b>Lao</b> & friends"


def test_script_json_escapes_everything_that_could_end_the_block() -> None:
    text = script_json({"a": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_page_shows_title_as_of_and_command(graph: nx.MultiDiGraph) -> None:
    page = _page(graph, title="MASG briefing", command="ccm-graph map --preset masg --out m.html")
    assert "<title>MASG briefing</title>" in page
    assert 'id="map-as-of">2026-02-27<' in page
    assert "ccm-graph map --preset masg --out m.html" in page


def test_payload_describes_nodes_edges_and_legend(graph: nx.MultiDiGraph) -> None:
    payload = _payload(_page(graph, size_by="funding"))
    assert len(payload["nodes"]) == graph.number_of_nodes()
    assert len(payload["edges"]) == graph.number_of_edges()
    kinds = [k["key"] for k in payload["styles"]["kinds"]]
    # legend order follows the style table; LAO and LBN are affected, NLD and CHE are not
    assert kinds[:3] == ["affected_state", "state", "national_authority"]
    assert {t["key"] for t in payload["styles"]["types"]} == {
        d["type"] for _, _, d in graph.edges(data=True)
    }
    funds = [e for e in payload["edges"] if e["type"] == "FUNDS"]
    assert max(e["width"] for e in funds) == pytest.approx(10.0)  # the largest amount
    assert any(e.get("parallel") == 1 for e in funds)  # NLD funds HALO twice: second curve
    nld = next(n for n in payload["nodes"] if n["id"] == "NLD")
    assert nld["size"] == pytest.approx(40.0)  # the largest funder is the largest node
    assert ["Money given + received", "USD 2,700,000.50"] in nld["details"]
    ob = next(n for n in payload["nodes"] if n["id"] == "ob-LAO-4")
    assert ob["region"] == "asia_pacific"  # an obligation is filtered with its State
    assert ["State", "Lao PDR (LAO)"] in ob["details"]
    assert ["Article", "4 (clearance)"] in ob["details"]


def test_highlights_ring_records_and_list_reasons(graph: nx.MultiDiGraph) -> None:
    highlights = {"ob-LAO-4": ["HIGH: no support recorded"], "nowhere": ["ignored"]}
    payload = _payload(_page(graph, highlights=highlights))
    ringed = [n for n in payload["nodes"] if "gaps" in n]
    assert [(n["id"], n["gaps"]) for n in ringed] == [("ob-LAO-4", ["HIGH: no support recorded"])]
    assert payload["styles"]["gapsShown"] is True
    assert _payload(_page(graph))["styles"]["gapsShown"] is False


def test_highlights_from_gaps_ring_the_main_subject() -> None:
    class Finding:
        def __init__(self, subjects: tuple[str, ...], level: str, summary: str) -> None:
            self.subjects, self.level, self.summary = subjects, level, summary

    found = maps.highlights_from_gaps(
        [
            Finding(("ob-LAO-4", "LAO"), "high", "under-supported"),
            Finding(("LAO", "ob-LAO-4"), "medium", "no coalition"),
            Finding(("ob-LAO-4",), "high", "under-supported"),
        ]
    )
    assert found == {"ob-LAO-4": ["HIGH: under-supported"], "LAO": ["MEDIUM: no coalition"]}


def test_empty_view_still_makes_a_page() -> None:
    payload = _payload(_page(nx.MultiDiGraph(), layout="static"))
    assert payload["nodes"] == [] and payload["edges"] == []


# --- graph files ------------------------------------------------------------------------------


def _read_back(text: str, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.parse_graphml(text, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    return nx.node_link_graph(json.loads(text), edges="edges")


@pytest.mark.parametrize("fmt", maps.EXPORT_FORMATS)
def test_exports_read_back_with_networkx(graph: nx.MultiDiGraph, fmt: str) -> None:
    text = maps.export_graph(
        graph,
        fmt,
        highlights={"ob-LAO-4": ["HIGH: gap one", "LOW: gap two"]},
        meta={"title": "t", "as_of": "2026-02-27", "command": "ccm-graph map"},
    )
    back = _read_back(text, fmt)
    assert set(back) == set(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["evil"]["label"] == HOSTILE_NAME
    assert back.nodes["evil"]["notes"] == HOSTILE_NOTES
    assert back.nodes["ob-LAO-4"]["gaps"] == "HIGH: gap one; LOW: gap two"
    assert back.nodes["ob-LAO-4"]["article"] == 4
    type_key = "relationship" if fmt == "gexf" else "type"
    amounts = sorted(d["amount_usd"] for _, _, d in back.edges(data=True) if d[type_key] == "FUNDS")
    assert amounts == [1_200_000.5, 1_500_000.0]
    for _, data in back.nodes(data=True):
        assert None not in data.values()


def test_graphml_edge_ids_are_unique(graph: nx.MultiDiGraph) -> None:
    ids = re.findall(r'<edge [^>]*id="([^"]+)"', maps.export_graph(graph, "graphml"))
    assert len(ids) == graph.number_of_edges() == len(set(ids))


def test_gexf_keeps_type_out_of_the_edge_direction(graph: nx.MultiDiGraph) -> None:
    text = maps.export_graph(graph, "gexf")
    assert 'type="FUNDS"' not in text
    assert 'label="FUNDS"' in text


def test_unknown_export_format(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError):
        maps.export_graph(graph, "dot")


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", maps.MAP_FORMATS)
def test_write_map_writes_whole_files(graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "deeper" / f"map.{fmt}"
    options = maps.MapOptions(title="t", as_of="a", command="c")
    size = maps.write_map(graph, target, options, fmt=fmt)
    assert target.stat().st_size == size > 0
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_docs_explain_every_shape_and_line() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "maps.md").read_text(encoding="utf-8")
    labels = [s.label for s in maps.NODE_STYLES.values()]
    labels += [s.label for s in maps.EDGE_STYLES.values()]
    assert [label for label in labels if f"| {label} |" not in text] == []


def test_an_observer_reads_as_observer_never_member_on_a_map() -> None:
    G = nx.MultiDiGraph()
    G.add_node("masg", node_type="actor", kind="forum", label="MASG")
    G.add_node("gichd", node_type="actor", kind="international_org", label="GICHD")
    G.add_node("NOR", node_type="actor", kind="state", label="Norway")
    G.add_edge("gichd", "masg", type="MEMBER_OF", role="observer")
    G.add_edge("NOR", "masg", type="MEMBER_OF", role="member")
    edges = {e["from"]: e for e in _payload(_page(G))["edges"]}
    assert edges["gichd"]["verb"] == "observer of"
    assert "verb" not in edges["NOR"]  # a member reads as the relation's own "member of"
