"""Maps in English, French and Spanish: the messages found, the page built in each language,
names from the data's aliases, nothing English left in the fixed text of a French page."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ccm_graph import maps
from ccm_graph.cli import cli
from ccm_graph.dataset import read_seed
from ccm_graph.graph import build_graph
from ccm_graph.i18n import extract_messages, translator
from ccm_graph.i18n.extract import TEMPLATE_MARK, script_messages, template_messages
from ccm_graph.maps.page import asset_text, page_strings, page_template

from ..conftest import ROOT

MAPS = ROOT / "ccm_graph" / "maps"
T_CALL = re.compile(r"(?<![\w$.])(?<!function )t\(")
"""A ``t(…)`` call in the page's script (not ``at(``, ``x.t(``, nor the function itself)."""
T_MESSAGE = re.compile(r'(?<![\w$.])t\(\s*"(?:[^"\\\n]|\\.)*"(?:\s*\+\s*"(?:[^"\\\n]|\\.)*")*')
"""A ``t(`` call's message: string literals, joined with ``+``."""


def map_messages() -> list[str]:
    return extract_messages(MAPS)


def english_words(lang: str) -> list[str]:
    """The English pieces of the maps' messages that ``lang`` words differently: the text
    around each ``{value}``, trimmed, at least 4 letters (so "to" and "of" are not looked for)."""
    _ = translator(lang)
    pieces = set()
    for message in map_messages():
        if _(message) == message:
            continue
        for piece in re.split(r"\{\w+\}", message):
            piece = piece.strip(" .,:;()%…–")
            if len(piece) >= 4 and _(piece) != piece:  # "Article" is French too
                pieces.add(piece)
    return sorted(pieces)


def leftovers(text: str, lang: str) -> list[str]:
    """English pieces of fixed text found in ``text`` (a French or Spanish page's text)."""
    return [
        w for w in english_words(lang) if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
    ]


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return build_graph(read_seed(ROOT / "seed").without_restricted())


def payload_of(page: str) -> dict:
    block = re.search(r'id="ccm-map-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def strings_of(page: str) -> dict[str, str]:
    block = re.search(r'id="ccm-map-strings">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def masg_page(graph: nx.MultiDiGraph, lang: str, **kwargs: object) -> str:
    view = maps.select_view(graph, preset="masg")
    highlights = {"LAO": ["HIGH: no support"], "TCD": ["MEDIUM: no coalition"]}
    options = maps.MapOptions(title=maps.view_title(graph, preset="masg", lang=lang),
                              as_of="2026-02-27", command="ccm-graph map",
                              highlights=highlights, lang=lang,
                              **kwargs)  # type: ignore[arg-type]  # fmt: skip
    return maps.render_html(view, options)


# --- the messages ---------------------------------------------------------------------------


def test_every_fixed_text_of_the_page_assets_is_a_message() -> None:
    script, template = asset_text("page.js"), asset_text("page.html")
    found = script_messages(script)
    calls = T_CALL.findall(script)
    assert len(calls) == len(T_MESSAGE.findall(script)) >= 29  # every t( has a literal message
    assert len(found) >= 28  # "now" twice
    assert "Hide panel" in found and "Relations dated {from}\u2013{to} and undated ones" in found
    assert (
        "Node size: {measure}. Line width: amount of money (US$). Arrows point from the "
        "actor to what it funds, joins or supports." in found
    )  # joined over three lines
    assert len(template_messages(template)) == len(TEMPLATE_MARK.findall(template)) >= 18
    # what is left of the template once its texts are out: markup, fields, symbols only
    bare = TEMPLATE_MARK.sub("", template)
    text = re.sub(r"<[^>]*>|\{\w+\}", " ", bare)
    assert re.findall(r"[A-Za-z]{3,}", text) == []
    assert set(found) <= set(map_messages()) <= set(extract_messages())  # one catalog


def test_a_new_t_call_is_found_by_the_extractor() -> None:
    assert script_messages('var a = t("ok");\nvar b = t("A " +\n "{n} b", {n: 1});') == [
        "ok", "A {n} b"]  # fmt: skip
    assert script_messages("format(x); cat(y);") == []  # not the marker


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_page_strings_hold_every_script_message_in_the_language(lang: str) -> None:
    _ = translator(lang)
    strings = page_strings(lang)
    assert list(strings) == script_messages(asset_text("page.js"))
    assert all(value == _(key) for key, value in strings.items())
    if lang == "en":
        assert all(key == value for key, value in strings.items())  # English: the source
    else:
        assert sum(key != value for key, value in strings.items()) >= 25


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_page_has_its_strings_as_data_and_no_marker_left(
    seed_graph: nx.MultiDiGraph, lang: str
) -> None:
    template = page_template(lang)
    assert "[[" not in template and page_template("en") != template
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    assert {"lang", "title", "strings", "data"} <= fields  # translations add no format field
    page = masg_page(seed_graph, lang)
    assert strings_of(page) == page_strings(lang)
    assert asset_text("page.js") in page  # the script as written: no source rewriting


def test_english_template_is_the_asset_as_written() -> None:
    assert page_template("en") == TEMPLATE_MARK.sub(r"\1", asset_text("page.html"))


def test_the_strings_block_cannot_close_its_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation with markup in it stays text: ``<`` is escaped in the JSON block."""
    from ccm_graph.maps import page as page_module

    evil = {"Hide panel": "</script><script>alert(1)</script>"}
    monkeypatch.setattr(page_module, "page_strings", lambda lang: evil)
    text = page_module.page(title="t", as_of="a", command="c", data_json="{}",
                            restricted_banner=None, lang="fr")  # fmt: skip
    assert "</script><script>alert(1)" not in text
    assert strings_of(text) == evil


# --- the page in each language ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_french_and_spanish_pages_have_no_english_fixed_text(
    seed_graph: nx.MultiDiGraph, lang: str
) -> None:
    page = masg_page(seed_graph, lang)
    assert f'<html lang="{lang}">' in page
    data = payload_of(page)
    styles = data["styles"]
    fixed = [data["meta"]["title"], data["meta"]["sizeBy"], styles["gap"]["label"]]
    fixed += [s["label"] for group in ("kinds", "types", "regions") for s in styles[group]]
    fixed += styles["gapLevels"] + styles["ringLevels"]
    fixed += [label for item in data["nodes"] + data["edges"] for label, _ in item["details"]]
    fixed += [n["label"] for n in data["nodes"] if n["kind"] == "obligation"]
    assert leftovers("\n".join(fixed), lang) == []
    assert leftovers(page_text(page), lang) == []
    assert leftovers(script_literals(page), lang) == []
    english = masg_page(seed_graph, "en")  # the check finds English where there is some
    assert len(leftovers(page_text(english) + script_literals(english), lang)) >= 25


def page_text(page: str) -> str:
    """The text of the page's HTML outside its scripts, style and command line, with the
    placeholder and aria-label attributes."""
    html_text = re.sub(r"<script.*?</script>|<style>.*?</style>|<code.*?</code>", "", page,
                       flags=re.S)  # fmt: skip
    attributes = " ".join(re.findall(r'(?:placeholder|aria-label)="([^"]*)"', html_text))
    return re.sub(r"<[^>]*>", " ", html_text) + " " + attributes


def script_literals(page: str) -> str:
    """What the page's own script can put on screen: its strings (the translations) and the
    string literals of its code that are not message keys."""
    script = T_MESSAGE.sub("t(", re.findall(r"<script>(.*?)</script>", page, re.S)[1])
    literals = [json.loads(s) for s in re.findall(r'"(?:[^"\\\n]|\\.)*"', script)]
    return " ".join([*strings_of(page).values(), *literals])


def test_names_come_from_the_aliases_and_search_keeps_every_name(
    seed_graph: nx.MultiDiGraph,
) -> None:
    nodes = {lang: {n["id"]: n for n in payload_of(masg_page(seed_graph, lang))["nodes"]}
             for lang in ("en", "fr", "es")}  # fmt: skip
    assert [nodes[lang]["TCD"]["label"] for lang in ("en", "fr", "es")] == [
        "Chad", "Tchad", "Chad"]  # fmt: skip
    assert "Chad" in nodes["fr"]["TCD"]["aliases"] and "Tchad" in nodes["es"]["TCD"]["aliases"]
    assert nodes["fr"]["ob-TCD-4"]["label"] == "Tchad\u00a0: article 4 (dépollution)"
    assert nodes["es"]["ob-TCD-4"]["label"] == "Chad: artículo 4 (limpieza)"
    assert nodes["en"]["ob-TCD-4"]["label"] == "Chad: Article 4 (clearance)"
    laos = nodes["fr"]["LAO"]
    assert laos["label"] == "République démocratique populaire lao"
    assert laos["gapLevel"] == "élevé" and laos["gaps"] == ["ÉLEVÉ\u00a0: no support"]
    assert ["Statut au regard de la CASM", "État partie"] in laos["details"]


def test_french_restricted_banner_and_html_escaping(seed_graph: nx.MultiDiGraph) -> None:
    page = masg_page(seed_graph, "fr", restricted_included=True)
    assert "DONNÉES À DIFFUSION RESTREINTE\u00a0: cette carte a été produite" in page
    assert "n&#x27;est marqué comme restreint" in page  # an apostrophe, escaped
    assert "p. ex. Lao, HALO, masg" in page and "Afficher toute la carte à l&#x27;écran" in page


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["--focus", "TCD"], "Tchad et son voisinage (1 niveau)"),
        (["--focus", "Chad", "--depth", "2"], "Tchad et son voisinage (2 niveaux)"),
        (
            ["--coalition", "coal-mne"],  # the coalition's name is the data's
            "Montenegro Country Coalition (with Norway / NPA)\u00a0: membres, bailleurs de fonds "
            "et partenaires",
        ),
        ([], "Carte des acteurs de la CASM\u00a0: l&#x27;ensemble du réseau"),
    ],
)
def test_cli_map_lang_titles_the_view_in_that_language(
    args: list[str], title: str, tmp_path: Path
) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", *args, "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert f'<h1 id="map-title">{title}</h1>' in page
    assert "--lang fr" in page  # the command that made it, so it can be made again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "'de' is not one of 'en', 'fr', 'es'"),
        (["--lang", "fr", "--format", "json"], "--lang only applies to --format html"),
    ],
)
def test_cli_map_lang_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", *args, "--out", str(out)])
    assert result.exit_code == 2 and message in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--preset", "masg", "--gaps", "--lang", "fr"],
        ["--focus", "TCD", "--lang", "es", "--layout", "static"],
    ],
)
def test_the_same_command_in_each_language_writes_the_same_bytes(
    tmp_path: Path, args: list[str]
) -> None:
    """Two fresh processes with different PYTHONHASHSEED write identical French (Spanish)
    maps, so they diff cleanly in git as English ones do."""
    import os
    import subprocess
    import sys

    out = tmp_path / "map.html"
    written = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "ccm_graph", "map", *args, "--out", str(out)],
                       check=True, env=env, capture_output=True, cwd=ROOT)  # fmt: skip
        written.append(out.read_bytes())
    assert written[0] == written[1]
    assert f'<html lang="{args[-1] if args[-2] == "--lang" else args[-3]}">'.encode() in written[0]


def test_catalog_check_passes_and_fails_on_a_map_message_without_translation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``scripts/catalogs.py --check``, the single source of truth: it passes on the
    catalogs as committed and names a map message that has no translation."""
    import importlib.util

    from ccm_graph.i18n import maintain

    path = ROOT / "scripts" / "catalogs.py"
    spec = importlib.util.spec_from_file_location("catalogs", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--check"]) == 0
    found = list(maintain.message_entries())
    new = ("A new button nobody translated", "ccm_graph/maps/assets/page.js", 1)
    monkeypatch.setattr(maintain, "message_entries", lambda root=None: [*found, new])
    assert script.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "fr/LC_MESSAGES/ccm_graph.po: no translation for 'A new button nobody translated'" in err
    assert "es/LC_MESSAGES/ccm_graph.po: no translation for" in err


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_gap_findings_on_the_map_are_in_the_pages_language(lang: str, tmp_path: Path) -> None:
    """The rings' findings are worded in the page's language (the analyses' sentences), not
    left in English inside a French or Spanish page."""
    from ccm_graph.analysis import synergy_gaps
    from ccm_graph.maps import highlights_from_gaps

    graph = build_graph(read_seed(ROOT / "seed").without_restricted())
    gaps = synergy_gaps(graph, as_of="2026-02-27")
    english = highlights_from_gaps(gaps)
    worded = highlights_from_gaps(gaps, lang)
    assert english.keys() == worded.keys()  # the same records ringed
    pairs = [(e, w) for key in english for e, w in zip(english[key], worded[key], strict=True)]
    assert pairs and all(e.split(":")[0] == w.split(":")[0] for e, w in pairs)  # level keys
    changed = [w for e, w in pairs if e != w]
    assert len(changed) == len(pairs), [w for e, w in pairs if e == w][:3]

    out = tmp_path / "masg.html"
    result = CliRunner().invoke(
        cli, ["map", "--preset", "masg", "--gaps", "--lang", lang, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    shown = [w for key in worded for w in worded[key]]
    hidden_english = [e for key in english for e in english[key]]
    assert any(json.dumps(w.split(": ", 1)[1], ensure_ascii=False)[1:-1] in page for w in shown)
    assert not any(
        json.dumps(e.split(": ", 1)[1], ensure_ascii=False)[1:-1] in page for e in hidden_english
    )


def test_cards_never_show_a_raw_column_name_in_any_language(
    seed_graph: nx.MultiDiGraph,
) -> None:
    """Optional columns (assistance requested, the ask's figures) read as words on every
    card, English included; amounts are written the language's way."""
    for lang in ("en", "fr", "es"):
        data = payload_of(masg_page(seed_graph, lang))
        labels = {label for item in data["nodes"] + data["edges"] for label, _ in item["details"]}
        assert not {label for label in labels if "_" in label}, (lang, labels)
    view = maps.select_view(seed_graph, focus="IRQ", depth=1)
    for lang, label, area in [("en", "Remaining contamination (km²)", "200"),
                              ("fr", "Contamination restante (km²)", "200")]:  # fmt: skip
        options = maps.MapOptions(title="Iraq", as_of="2026-02-27", command="ccm-graph map",
                                  highlights={}, lang=lang)  # fmt: skip
        page = maps.render_html(view, options)
        nodes = {n["id"]: n for n in payload_of(page)["nodes"]}
        assert [label, area] in nodes["ob-IRQ-4"]["details"], nodes["ob-IRQ-4"]["details"]
