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
  var mapWrap = document.getElementById("map-wrap");
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
    var maxX = mapWrap.clientWidth - hoverCard.offsetWidth - 8;
    var maxY = mapWrap.clientHeight - hoverCard.offsetHeight - 8;
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
