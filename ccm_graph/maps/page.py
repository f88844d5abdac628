"""The map page: one self-contained HTML file that draws a view, for a browser with no network.

:func:`render_html` is the entry point. The page is one file with no reference to any other
file or host: vis-network comes from the Pyvis package and is copied in, the data arrives as
JSON in a ``<script type="application/json">`` block, and a Content-Security-Policy allows only
the page's two scripts (by hash) and blocks every fetch, font, frame and form. The script
builds the legend, filters, search results and hover cards with ``textContent`` and DOM nodes
only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import __version__
from .layout import LAYOUTS
from .payload import map_payload
from .restricted import refuse_restricted

__all__ = [
    "VIS_NETWORK_VERSION",
    "content_security_policy",
    "page",
    "render_html",
    "script_json",
    "vis_js",
]

VIS_NETWORK_VERSION = "9.1.2"


@lru_cache(maxsize=1)
def vis_js() -> str:
    """vis-network's standalone script as shipped inside the Pyvis package."""
    path = resources.files("pyvis") / "lib" / f"vis-{VIS_NETWORK_VERSION}" / "vis-network.min.js"
    text = path.read_text(encoding="utf-8")
    # Never let the library's text close its own <script> element early.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def script_json(payload: Any) -> str:
    """``payload`` as JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so no ``</script>``
    or ``<!--`` can appear), and U+2028/U+2029 are escaped too; ``JSON.parse`` restores them.

    >>> script_json({"name": "</script><img src=x onerror=alert(1)>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(raw, escaped)
    return text


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: tuple[str, ...], styles: tuple[str, ...]) -> str:
    """A policy that runs only these inline scripts, applies only these style sheets (style
    set from script, as vis-network does, is not affected) and lets the page load nothing."""
    script_hashes = " ".join(_sha256(s) for s in scripts)
    style_hashes = " ".join(_sha256(s) for s in styles)
    return (
        f"default-src 'none'; script-src {script_hashes}; style-src {style_hashes}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def page(
    *,
    title: str,
    as_of: str,
    command: str,
    data_json: str,
    restricted_banner: str | None,
) -> str:
    """The complete page. ``data_json`` must come from :func:`script_json`."""
    vis = vis_js()
    banner = ""
    if restricted_banner:
        banner = f'\n<p class="restricted-banner" role="alert">{_text(restricted_banner)}</p>'
    return _PAGE.format(
        csp=_text(content_security_policy((vis, APP_JS), (PAGE_CSS,))),
        version=_text(__version__),
        title=_text(title),
        as_of=_text(as_of),
        command=_text(command),
        banner=banner,
        css=PAGE_CSS,
        data=data_json,
        vis=vis,
        app=APP_JS,
    )


def render_html(
    view: nx.MultiDiGraph,
    *,
    title: str,
    as_of: str,
    command: str,
    highlights: Mapping[str, Sequence[str]] | None = None,
    layout: str = "physics",
    size_by: str = "degree",
    seed: int = 42,
    restricted_included: bool = False,
) -> str:
    """One self-contained HTML page that draws ``view``, for a browser with no network.

    :param title: the page's heading; ``as_of``: the data's as-of date as shown;
        ``command``: the command line that made the map (shown so it can be remade).
    :param highlights: record id → reasons (gap findings): drawn with a red ring, the reasons
        listed in the record's hover card. Ids not in the view are ignored.
    :param layout: ``physics`` (the browser arranges the map) or ``static`` (positions from
        :func:`static_positions`, physics off: a 2,000-node map shows at once).
    :param size_by: a :data:`SIZE_MEASURES` measure for node size.
    :param restricted_included: the view may hold restricted records; the page then says so
        at the top in red. Without it a view with a restricted record raises ``ValueError``.

    The page holds vis-network inline (from the Pyvis package), a Content-Security-Policy that
    allows no network access at all, and the data as JSON in a ``<script
    type="application/json">`` block with ``<``, ``>``, ``&`` and the JavaScript line
    separators escaped; the page's code puts every data string on screen with
    ``textContent``, so a name such as ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    refuse_restricted(view, restricted_included)
    payload = map_payload(
        view,
        highlights=highlights or {},
        layout=layout,
        size_by=size_by,
        seed=seed,
        meta={"title": title, "asOf": as_of, "command": command},
        restricted_included=restricted_included,
    )
    restricted_count = payload["meta"]["restrictedCount"]
    return page(
        title=title,
        as_of=as_of,
        command=command,
        data_json=script_json(payload),
        restricted_banner=_restricted_banner(restricted_count) if restricted_included else None,
    )


def _restricted_banner(count: int) -> str:
    """The red warning at the top of a page made with restricted records allowed."""
    if count == 0:
        return (
            "RESTRICTED DATA: this map was made with --include-restricted. No record in this "
            "view is marked restricted, but check before you share it."
        )
    held = f"{count} restricted record{'s' if count != 1 else ''}"
    return (
        f"RESTRICTED DATA: this map was made with --include-restricted and holds {held} "
        "(dashed outlines). Do not forward, print for others or publish it."
    )


def _text(value: str) -> str:
    return html.escape(str(value), quote=True)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="ccm-graph {version}">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header id="top">
<h1 id="map-title">{title}</h1>
<p class="meta">Data as of <strong id="map-as-of">{as_of}</strong>. Made with
<code id="map-command">{command}</code></p>{banner}
</header>
<main>
<aside id="panel">
<section>
<label for="search"><strong>Search</strong> by name or id</label>
<input id="search" type="search" autocomplete="off" spellcheck="false"
 placeholder="e.g. Lao, HALO, masg">
<p id="search-status" class="hint" aria-live="polite"></p>
<ul id="search-results"></ul>
</section>
<section>
<p id="status" class="hint" aria-live="polite"></p>
<button type="button" id="fit">Fit the whole map on screen</button>
</section>
<section>
<h2>Legend and filters</h2>
<p class="hint">Untick a box to hide those records or relationships.</p>
<div id="filters"></div>
<div id="legend"></div>
</section>
</aside>
<div id="map-wrap">
<div id="map" aria-label="Stakeholder map"></div>
<div id="hover-card" class="card floating" hidden></div>
<div id="details-box" class="card pinned" hidden>
<button type="button" id="details-close" aria-label="Close">×</button>
<div id="details"></div>
</div>
<div id="progress" hidden></div>
<noscript><p class="noscript">This map needs JavaScript: open it in a web browser
(Firefox, Chrome, Edge or Safari), not in an e-mail preview.</p></noscript>
</div>
</main>
<script type="application/json" id="ccm-map-data">{data}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""

PAGE_CSS = """
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{display:flex;flex-direction:column;font:14px/1.4 system-ui,-apple-system,"Segoe UI",
Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a;background:#fff}
header{padding:8px 16px;border-bottom:1px solid #ddd}
h1{font-size:20px;margin:0 0 2px}
h2{font-size:15px;margin:0 0 6px}
.meta{margin:0;color:#444}
code{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;background:#f3f3f3;padding:1px 4px;
word-break:break-all}
.restricted-banner{margin:6px 0 0;padding:6px 10px;background:#b00020;color:#fff;
font-weight:bold}
main{flex:1;display:flex;min-height:0}
#panel{width:330px;flex:none;overflow-y:auto;overflow-x:hidden;overflow-wrap:anywhere;
border-right:1px solid #ddd;padding:8px 12px}
#panel section{margin-bottom:14px}
#search{width:100%;padding:5px 6px;font:inherit;margin-top:4px}
#search-results{list-style:none;margin:0;padding:0;max-height:220px;overflow-y:auto}
#search-results button{width:100%;text-align:left;background:none;border:0;padding:3px 4px;
font:inherit;cursor:pointer;border-radius:3px}
#search-results button:hover,#search-results button:focus{background:#eef3ff}
.result-kind{color:#666;font-size:12px;margin-left:6px}
.hint{color:#555;font-size:12px;margin:4px 0}
fieldset{border:1px solid #ddd;margin:6px 0;padding:4px 8px}
legend{font-weight:bold;padding:0 4px}
label.filter{cursor:pointer}
.filter-buttons button,#fit{font:12px system-ui,sans-serif;margin:2px 4px 4px 0}
.legend-list{list-style:none;margin:0 0 6px;padding:0}
.legend-list li{display:flex;align-items:center;gap:6px;margin:2px 0}
.swatch{flex:none}
#map-wrap{position:relative;flex:1;min-width:0}
#map{position:absolute;inset:0}
.card{font-size:13px;overflow-wrap:anywhere}
.card-title{font-weight:bold;font-size:14px}
.card-kind{color:#444;margin-bottom:4px}
.card-restricted{background:#b00020;color:#fff;font-weight:bold;padding:2px 6px;margin:4px 0}
.card-gaps{border-left:4px solid #d00000;padding:2px 6px;margin:4px 0;background:#fff3f3}
.card-gaps ul{margin:2px 0;padding-left:16px}
.card dl{display:grid;grid-template-columns:minmax(0,9em) minmax(0,1fr);gap:1px 8px;
margin:4px 0 0}
.card dt{color:#555}
.card dd{margin:0;white-space:pre-wrap}
.floating{position:absolute;z-index:12;max-width:380px;background:#fff;border:1px solid #999;
border-radius:4px;box-shadow:2px 2px 8px rgba(0,0,0,.25);padding:6px 8px;pointer-events:none}
.pinned{position:absolute;z-index:11;top:8px;right:8px;width:360px;max-height:70%;
overflow-y:auto;background:#fff;border:1px solid #666;border-radius:4px;padding:6px 26px 6px 8px;
box-shadow:2px 2px 8px rgba(0,0,0,.25)}
#details-close{position:absolute;top:2px;right:4px;border:0;background:none;font-size:18px;
cursor:pointer;line-height:1}
label.filter{display:flex;align-items:center;gap:5px}
#progress{position:absolute;top:8px;left:8px;background:#fff;border:1px solid #ccc;
padding:4px 8px;border-radius:4px}
.noscript,.empty{padding:24px;font-size:16px}
"""

APP_JS = r"""
(function () {
  "use strict";
  var timing = { scriptStart: performance.now() };
  window.ccmMapTiming = timing;
  var data = JSON.parse(document.getElementById("ccm-map-data").textContent);
  timing.dataParsed = performance.now();
  var styles = data.styles;
  var FADED = "#e6e6e6";
  var SVG = "http://www.w3.org/2000/svg";
  var isStatic = data.meta.layout === "static";
  var big = data.nodes.length > 500 || data.edges.length > 2000;

  function byKey(list) {
    var map = new Map();
    list.forEach(function (s) { map.set(s.key, s); });
    return map;
  }
  var kinds = byKey(styles.kinds), types = byKey(styles.types);
  function kindStyle(n) { return kinds.get(n.kind) || styles.other; }
  function typeStyle(e) { return types.get(e.type) || styles.otherEdge; }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }
  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var nodeById = new Map(), edgeById = new Map();
  data.nodes.forEach(function (n) {
    n.folded = fold(n.label + " " + n.id);
    nodeById.set(n.id, n);
  });
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });
  function labelOf(id) { var n = nodeById.get(id); return n ? n.label : String(id); }

  // --- drawing ----------------------------------------------------------------------------
  // Shared looks go into vis-network groups and global options: per-item options are merged
  // one by one by vis-network, which is what costs time on a 10,000-edge map.
  var groups = {};
  styles.kinds.forEach(function (k, i) {
    k.group = "k" + i;
    groups[k.group] = { shape: k.shape, color: nodeColor({ kind: k.key }, false) };
  });
  function nodeColor(n, faded) {
    var fill = faded ? FADED : kindStyle(n).color;
    var ring = n.gaps ? styles.gap.color : (faded ? "#cccccc" : "#333333");
    var strong = n.gaps ? styles.gap.color : "#000000";
    return { background: fill, border: ring,
             highlight: { background: fill, border: strong },
             hover: { background: fill, border: strong } };
  }
  // Long names on several lines; done here because vis-network's widthConstraint measures
  // every word on the canvas, which is slow on large maps.
  function wrap(text, width) {
    var lines = [], line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    lines.push(line);
    return lines.join("\n");
  }
  function visNode(n) {
    var s = kindStyle(n);
    var item = { id: n.id, label: wrap(n.label, 28), size: n.size };
    if (s.group) { item.group = s.group; } else { item.shape = s.shape; item.color = nodeColor(n); }
    if (typeof n.x === "number") { item.x = n.x; item.y = n.y; }
    if (n.gaps) {  // a red ring, on a node big enough to keep its own colour inside it
      item.color = nodeColor(n, false);
      item.size = Math.max(n.size, 18);
      item.borderWidth = 4;
      item.borderWidthSelected = 5;
    }
    if (n.restricted) { item.shapeProperties = { borderDashes: [5, 3] }; item.borderWidth = 3; }
    return item;
  }
  function visEdge(e) {
    var s = typeStyle(e);
    var item = { id: e.id, from: e.from, to: e.to, width: e.width, color: s.color };
    if (s.dashes) { item.dashes = s.dashes; }
    if (e.parallel) {
      item.smooth = { enabled: true, type: "curvedCW", roundness: 0.25 * e.parallel };
    }
    if (e.restricted) { item.dashes = [3, 3]; item.color = "#b00020"; }
    return item;
  }

  var options = {
    autoResize: true,
    layout: { randomSeed: data.meta.seed, improvedLayout: !isStatic && data.nodes.length <= 100 },
    physics: isStatic ? { enabled: false } : {
      enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.2 },
      stabilization: { enabled: true, iterations: 500, updateInterval: 20, fit: true } },
    groups: groups,
    nodes: { borderWidth: 1, borderWidthSelected: 3,
             font: { size: 14, face: "system-ui, sans-serif", color: "#1a1a1a", strokeWidth: 3,
                     strokeColor: "#ffffff" } },
    edges: { smooth: (isStatic || big) ? false : { enabled: true, type: "continuous",
                                                   roundness: 0.3 },
             arrows: { to: { enabled: true, scaleFactor: 0.5 } },
             selectionWidth: 2, hoverWidth: 0.5 },
    interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   navigationButtons: false, keyboard: false, multiselect: false }
  };

  var container = document.getElementById("map");
  var progress = document.getElementById("progress");
  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  timing.dataSetsBuilt = performance.now();
  var network = new vis.Network(container, {}, options);
  var stabilized = isStatic || data.nodes.length === 0;

  function onStabilized() {
    if (stabilized) { return; }
    stabilized = true;
    timing.stabilized = performance.now();
    progress.hidden = true;
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    progress.hidden = false;
    progress.textContent = "Arranging the map… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", onStabilized);
  network.on("stabilized", onStabilized);
  network.on("afterDrawing", function () {
    if (timing.firstDraw === undefined) { timing.firstDraw = performance.now(); }
    if (stabilized && timing.ready === undefined) {
      timing.ready = performance.now();
      document.body.setAttribute("data-map-ready", "true");
    }
  });
  network.setData({ nodes: nodes, edges: edges });
  if (isStatic) { network.fit({ animation: false }); }
  if (data.nodes.length === 0) {
    container.appendChild(el("p", "This view holds no records.", "empty"));
    timing.ready = performance.now();
    document.body.setAttribute("data-map-ready", "true");
  }

  // --- cards ------------------------------------------------------------------------------
  var wrap = document.getElementById("map-wrap");
  var hoverCard = document.getElementById("hover-card");
  var details = document.getElementById("details");

  function fillCard(target, kind, item) {
    target.replaceChildren();
    target.setAttribute("data-kind", kind);
    target.setAttribute("data-id", String(item.id));
    if (kind === "node") {
      target.appendChild(el("div", item.label, "card-title"));
      target.appendChild(el("div", kindStyle(item).label, "card-kind"));
    } else {
      target.appendChild(el("div", labelOf(item.from) + " \u2192 " + labelOf(item.to),
                            "card-title"));
      target.appendChild(el("div", typeStyle(item).label + " (" + item.type + ")", "card-kind"));
    }
    if (item.restricted) {
      target.appendChild(el("div", "RESTRICTED: do not share", "card-restricted"));
    }
    if (item.gaps) {
      var box = el("div", null, "card-gaps");
      box.appendChild(el("strong", "Gaps found"));
      var list = el("ul");
      item.gaps.forEach(function (reason) { list.appendChild(el("li", reason)); });
      box.appendChild(list);
      target.appendChild(box);
    }
    var dl = el("dl");
    item.details.forEach(function (pair) {
      dl.appendChild(el("dt", pair[0]));
      dl.appendChild(el("dd", pair[1]));
    });
    target.appendChild(dl);
  }
  function itemFor(kind, id) { return kind === "node" ? nodeById.get(id) : edgeById.get(id); }
  function showHover(kind, id, pointer) {
    var item = itemFor(kind, id);
    if (!item) { return; }
    fillCard(hoverCard, kind, item);
    hoverCard.hidden = false;
    var maxX = wrap.clientWidth - hoverCard.offsetWidth - 8;
    var maxY = wrap.clientHeight - hoverCard.offsetHeight - 8;
    hoverCard.style.left = Math.max(8, Math.min(pointer.x + 16, maxX)) + "px";
    hoverCard.style.top = Math.max(8, Math.min(pointer.y + 16, maxY)) + "px";
  }
  function hideHover() { hoverCard.hidden = true; }
  var detailsBox = document.getElementById("details-box");
  function showDetails(kind, id) {
    var item = itemFor(kind, id);
    if (!item) { return; }
    fillCard(details, kind, item);
    detailsBox.hidden = false;
  }
  function hideDetails() { detailsBox.hidden = true; details.replaceChildren(); }
  document.getElementById("details-close").addEventListener("click", hideDetails);
  network.on("hoverNode", function (p) { showHover("node", p.node, p.pointer.DOM); });
  network.on("hoverEdge", function (p) { showHover("edge", p.edge, p.pointer.DOM); });
  network.on("blurNode", hideHover);
  network.on("blurEdge", hideHover);
  network.on("dragStart", hideHover);
  network.on("zoom", hideHover);
  network.on("click", function (p) {
    if (p.nodes.length) { showDetails("node", p.nodes[0]); }
    else if (p.edges.length) { showDetails("edge", p.edges[0]); }
    else { hideDetails(); }
  });

  // --- legend -----------------------------------------------------------------------------
  var SHAPES = {
    square: ["rect", { x: 3, y: 3, width: 12, height: 12 }],
    diamond: ["polygon", { points: "9,1 17,9 9,17 1,9" }],
    triangle: ["polygon", { points: "9,2 16,15 2,15" }],
    triangleDown: ["polygon", { points: "2,3 16,3 9,16" }],
    hexagon: ["polygon", { points: "5,2 13,2 17,9 13,16 5,16 1,9" }],
    star: ["polygon", { points: "9,1 11,7 17,7 12,11 14,17 9,13 4,17 6,11 1,7 7,7" }]
  };
  function shapeSwatch(shape, fill, stroke, strokeWidth, dashed) {
    var svg = svgEl("svg", { width: 18, height: 18, viewBox: "0 0 18 18", class: "swatch",
                             "aria-hidden": "true" });
    var spec = SHAPES[shape] || ["circle", { cx: 9, cy: 9, r: 7 }];
    var attrs = Object.assign({ fill: fill, stroke: stroke, "stroke-width": strokeWidth },
                              spec[1]);
    if (dashed) { attrs["stroke-dasharray"] = "3 2"; }
    svg.appendChild(svgEl(spec[0], attrs));
    return svg;
  }
  function lineSwatch(color, dashes, width) {
    var svg = svgEl("svg", { width: 30, height: 12, viewBox: "0 0 30 12", class: "swatch",
                             "aria-hidden": "true" });
    var attrs = { x1: 1, y1: 6, x2: 29, y2: 6, stroke: color, "stroke-width": width };
    if (dashes) { attrs["stroke-dasharray"] = dashes.join(" "); }
    svg.appendChild(svgEl("line", attrs));
    return svg;
  }
  function legendItem(list, swatch, text) {
    var li = el("li");
    li.appendChild(swatch);
    li.appendChild(el("span", text));
    list.appendChild(li);
  }
  function buildLegend() {
    var legend = document.getElementById("legend");
    var extra = el("ul", null, "legend-list");
    if (styles.gapsShown) {
      legendItem(extra, shapeSwatch("dot", "#ffffff", styles.gap.color, 3, false),
                 styles.gap.label);
    }
    if (data.meta.restrictedCount > 0) {
      legendItem(extra, shapeSwatch("dot", "#ffffff", "#333333", 2, true),
                 "dashed outline or red dashed line: restricted record");
    }
    legend.appendChild(extra);
    legend.appendChild(el("p", "Node size: " + data.meta.sizeBy + ". Line width: amount of " +
                               "money (US$). Arrows point from the actor to what it funds, " +
                               "joins or supports.", "hint"));
  }

  // --- filters ----------------------------------------------------------------------------
  var on = { kind: new Map(), region: new Map(), type: new Map() };
  var hidden = { nodes: new Set(), edges: new Set() };
  function counts(list, field) {
    var result = new Map();
    list.forEach(function (x) { result.set(x[field], (result.get(x[field]) || 0) + 1); });
    return result;
  }
  function filterGroup(title, field, entries, tally, swatch) {
    var fieldset = el("fieldset");
    fieldset.setAttribute("data-filter", field);
    fieldset.appendChild(el("legend", title));
    var boxes = [];
    var buttons = el("div", null, "filter-buttons");
    [["All", true], ["None", false]].forEach(function (spec) {
      var button = el("button", spec[0]);
      button.type = "button";
      button.addEventListener("click", function () {
        boxes.forEach(function (box) { box.checked = spec[1]; on[field].set(box.value, spec[1]); });
        applyFilters();
      });
      buttons.appendChild(button);
    });
    fieldset.appendChild(buttons);
    entries.forEach(function (entry) {
      on[field].set(entry.key, true);
      var label = el("label", null, "filter");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = entry.key;
      box.addEventListener("change", function () {
        on[field].set(entry.key, box.checked);
        applyFilters();
      });
      boxes.push(box);
      label.appendChild(box);
      if (swatch) { label.appendChild(swatch(entry)); }
      label.appendChild(el("span", entry.label + " (" + (tally.get(entry.key) || 0) + ")"));
      fieldset.appendChild(label);
    });
    return fieldset;
  }
  function buildFilters() {
    var box = document.getElementById("filters");
    box.appendChild(filterGroup("Kind", "kind", styles.kinds, counts(data.nodes, "kind"),
      function (k) { return shapeSwatch(k.shape, k.color, "#333333", 1, false); }));
    box.appendChild(filterGroup("Relationship", "type", styles.types,
      counts(data.edges, "type"), function (t) { return lineSwatch(t.color, t.dashes, 2); }));
    box.appendChild(filterGroup("Region (an obligation or coalition: its State's)", "region",
      styles.regions, counts(data.nodes, "region"), null));
  }
  function nodeShown(n) {
    return on.kind.get(n.kind) !== false && on.region.get(n.region) !== false;
  }
  function applyFilters() {
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var hide = !nodeShown(n);
      if (hide !== hidden.nodes.has(n.id)) {
        if (hide) { hidden.nodes.add(n.id); } else { hidden.nodes.delete(n.id); }
        nodeUpdates.push({ id: n.id, hidden: hide });
      }
    });
    data.edges.forEach(function (e) {
      var hide = on.type.get(e.type) === false || hidden.nodes.has(e.from) ||
                 hidden.nodes.has(e.to);
      if (hide !== hidden.edges.has(e.id)) {
        if (hide) { hidden.edges.add(e.id); } else { hidden.edges.delete(e.id); }
        edgeUpdates.push({ id: e.id, hidden: hide });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    runSearch();
    updateStatus();
  }
  function updateStatus() {
    var c = api.counts();
    document.getElementById("status").textContent =
      "Showing " + c.nodes + " of " + c.totalNodes + " records and " + c.edges + " of " +
      c.totalEdges + " relationships.";
  }

  // --- search -----------------------------------------------------------------------------
  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  var faded = new Set();
  var matches = [];
  var searchTimer = null;
  function runSearch() {
    var query = fold(searchBox.value.trim());
    matches = [];
    if (query) {
      data.nodes.forEach(function (n) {
        if (!hidden.nodes.has(n.id) && n.folded.indexOf(query) !== -1) { matches.push(n); }
      });
    }
    var wanted = new Set(matches.map(function (n) { return n.id; }));
    var updates = [];
    data.nodes.forEach(function (n) {
      var fade = query !== "" && !wanted.has(n.id);
      if (fade !== faded.has(n.id)) {
        if (fade) { faded.add(n.id); } else { faded.delete(n.id); }
        updates.push({ id: n.id, color: nodeColor(n, fade),
                       font: { color: fade ? "#b0b0b0" : "#1a1a1a" } });
      }
    });
    if (updates.length) { nodes.update(updates); }
    results.replaceChildren();
    matches.slice(0, 50).forEach(function (n) {
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.appendChild(el("span", n.label));
      button.appendChild(el("span", kindStyle(n).label, "result-kind"));
      button.addEventListener("click", function () { zoomTo(n.id); });
      li.appendChild(button);
      results.appendChild(li);
    });
    var status = document.getElementById("search-status");
    if (!query) { status.textContent = ""; network.unselectAll(); return; }
    status.textContent = matches.length === 0 ? "No record matches." :
      matches.length + (matches.length === 1 ? " record matches" : " records match") +
      (matches.length > 50 ? " (first 50 listed)" : "") + ". Press Enter to zoom to them.";
    network.selectNodes(Array.from(wanted));
  }
  function zoomTo(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 300 } });
    showDetails("node", id);
  }
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 120);
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    clearTimeout(searchTimer);
    runSearch();
    if (matches.length) {
      network.fit({ nodes: matches.map(function (n) { return n.id; }),
                    animation: { duration: 300 } });
    }
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 300 } });
  });

  // --- for scripts and tests: read-only questions about what the page shows ---------------
  var api = {
    network: network,
    counts: function () {
      return { nodes: data.nodes.length - hidden.nodes.size,
               edges: data.edges.length - hidden.edges.size,
               totalNodes: data.nodes.length, totalEdges: data.edges.length,
               matches: matches.length, faded: faded.size,
               drawnNodes: network.body.nodeIndices.length,
               drawnEdges: network.body.edgeIndices.length };
    },
    nodeIds: function () { return data.nodes.map(function (n) { return n.id; }); },
    edgeIds: function () { return data.edges.map(function (e) { return e.id; }); },
    domPosition: function (id) {
      return network.canvasToDOM(network.getPositions([id])[id]);
    },
    showCard: function (kind, id) { showDetails(kind, id); return details.textContent; },
    hoverCard: function () { return hoverCard.hidden ? null : hoverCard.textContent; }
  };
  window.ccmMap = api;
  buildLegend();
  buildFilters();
  updateStatus();
  timing.pageBuilt = performance.now();
})();
"""
