(function () {
  "use strict";
  var timing = { scriptStart: performance.now() };
  window.ccmMapTiming = timing;
  var data = JSON.parse(document.getElementById("ccm-map-data").textContent);
  timing.dataParsed = performance.now();
  // The page's fixed text in its language: English message -> translation (ccm_graph/maps/
  // page.py, page_strings). The function t looks its message up and puts each value of its
  // second argument in the message's {name}; a message the strings lack shows in English.
  var strings = JSON.parse(document.getElementById("ccm-map-strings").textContent);
  function t(message, values) {
    var has = Object.prototype.hasOwnProperty;
    var text = has.call(strings, message) ? strings[message] : message;
    if (!values) { return text; }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return has.call(values, name) ? String(values[name]) : whole;
    });
  }
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
    n.folded = fold([n.label, n.id].concat(n.aliases || []).join(" \u0001 "));
    n.edges = [];
    nodeById.set(n.id, n);
  });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    [e.from, e.to].forEach(function (end) {
      var n = nodeById.get(end);
      if (n && n.edges.indexOf(e) === -1) { n.edges.push(e); }
    });
  });
  // Gap rings: only the levels in ringLevels (high by default); a box adds the others.
  var ringLevels = new Set(styles.ringLevels || []);
  var faded = new Set();  // records greyed out by the search
  function ringed(n) { return Boolean(n.gaps) && ringLevels.has(n.gapLevel || "high"); }
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
    var ring = ringed(n) ? styles.gap.color : (faded ? "#cccccc" : "#333333");
    var strong = ringed(n) ? styles.gap.color : "#000000";
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
    Object.assign(item, ringLook(n));
    if (n.restricted) { item.shapeProperties = { borderDashes: [5, 3] }; item.borderWidth = 3; }
    return item;
  }
  function ringLook(n) {
    if (!ringed(n)) {  // back to the group's look (needed when the ring box is unticked)
      return n.gaps ? { color: nodeColor(n, faded.has(n.id)), size: n.size,
                        borderWidth: n.restricted ? 3 : 1, borderWidthSelected: 3 } : {};
    }
    // a red ring, on a node big enough to keep its own colour inside it
    return { color: nodeColor(n, faded.has(n.id)), size: Math.max(n.size, 18), borderWidth: 4,
             borderWidthSelected: 5 };
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
      forceAtlas2Based: { gravitationalConstant: -200, springLength: 200, avoidOverlap: 1 },
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

  // The physics layout starts from the seeded positions computed with the map and runs a
  // fixed number of steps, then stops: the same file shows the same picture every time it
  // opens. Dragging a record wakes the physics up so that its neighbours follow.
  function onStabilized() {
    if (stabilized) { return; }
    stabilized = true;
    timing.stabilized = performance.now();
    progress.hidden = true;
    network.setOptions({ physics: { enabled: false } });
    readableLabels(MIN_SCREEN_PX);
  }

  // --- labels people can read, and that do not sit on each other --------------------------
  // After the map is fitted to the window, labels are made at least MIN_SCREEN_PX high on
  // screen; then records whose label boxes (record plus label) overlap are pushed apart, a
  // few pixels at a time, along the axis where they overlap least. No randomness: the same
  // file and window give the same picture.
  var LABEL_PX = 14, MIN_SCREEN_PX = 10, MIN_PRINT_PX = 8 * 96 / 72;  // 8 pt in CSS pixels
  // Only for maps of up to this many records (a meeting's map): on larger ones no label can be
  // read with the whole map on screen, so labels keep their size and show as you zoom in.
  var READABLE_UP_TO = 150, MAX_LABEL_PX = 4 * LABEL_PX;
  function labelBoxes() {
    var boxes = [];
    data.nodes.forEach(function (n) {
      if (hidden.nodes.has(n.id)) { return; }
      var body = network.body.nodes[n.id], size = body.labelModule.size, r = body.options.size;
      var hasLabel = size && size.width > 0;
      boxes.push({ id: n.id, x: body.x, y: body.y,
                   left: (hasLabel ? Math.min(size.left, body.x - r) : body.x - r) - body.x,
                   right: (hasLabel ? Math.max(size.left + size.width, body.x + r)
                                    : body.x + r) - body.x,
                   top: -r, bottom: (hasLabel ? size.top + size.height : body.y + r) - body.y });
    });
    return boxes;
  }
  function separateLabels(rounds) {
    var boxes = labelBoxes(), moved = 0;
    for (var round = 0; round < rounds; round += 1) {
      var pushes = 0;
      for (var i = 0; i < boxes.length; i += 1) {
        for (var j = i + 1; j < boxes.length; j += 1) {
          var a = boxes[i], b = boxes[j];
          var dx = Math.min(a.x + a.right, b.x + b.right) - Math.max(a.x + a.left, b.x + b.left);
          var dy = Math.min(a.y + a.bottom, b.y + b.bottom) - Math.max(a.y + a.top, b.y + b.top);
          if (dx <= 0 || dy <= 0) { continue; }
          pushes += 1;
          if (dy <= dx) {
            var sy = (a.y < b.y || (a.y === b.y && i < j)) ? -1 : 1;
            a.y += sy * (dy / 2 + 1);
            b.y -= sy * (dy / 2 + 1);
          } else {
            var sx = (a.x < b.x || (a.x === b.x && i < j)) ? -1 : 1;
            a.x += sx * (dx / 2 + 1);
            b.x -= sx * (dx / 2 + 1);
          }
        }
      }
      moved += pushes;
      if (!pushes) { break; }
    }
    boxes.forEach(function (box) { network.moveNode(box.id, box.x, box.y); });
    return moved;
  }
  // A layout taller than the window (or the landscape page) is widened to its shape, at
  // most twice, so that the map uses a projector's whole screen.
  function stretchToWindow() {
    var ids = data.nodes.filter(function (n) { return !hidden.nodes.has(n.id); })
      .map(function (n) { return n.id; });
    if (ids.length < 3 || container.clientHeight === 0) { return; }
    var pos = network.getPositions(ids);
    var xs = ids.map(function (id) { return pos[id].x; });
    var ys = ids.map(function (id) { return pos[id].y; });
    var left = Math.min.apply(null, xs), right = Math.max.apply(null, xs);
    var width = right - left || 1;
    var height = Math.max.apply(null, ys) - Math.min.apply(null, ys) || 1;
    var factor = Math.min(2, (container.clientWidth / container.clientHeight) / (width / height));
    if (factor <= 1.05) { return; }
    var middle = (left + right) / 2;
    ids.forEach(function (id) {
      network.moveNode(id, middle + (pos[id].x - middle) * factor, pos[id].y);
    });
  }
  function readableLabels(minimum) {
    if (data.nodes.length - hidden.nodes.size > READABLE_UP_TO) {
      network.fit({ animation: false });
      return;
    }
    stretchToWindow();
    network.setOptions({ nodes: { font: { size: LABEL_PX } } });
    network.fit({ animation: false });
    var size = LABEL_PX;
    // Pushing records apart widens the map, and fitting it again shrinks the labels: a few
    // rounds until they are big enough (a map of about a hundred records needs more than 4).
    for (var round = 0; round < 8 && (round === 0 || size * network.getScale() < minimum);
         round += 1) {
      size = Math.min(MAX_LABEL_PX, Math.max(size, Math.ceil(minimum / network.getScale())));
      network.setOptions({ nodes: { font: { size: size } } });
      network.redraw();  // measures the labels at their new size
      separateLabels(200);
      network.fit({ animation: false });
    }
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    progress.hidden = false;
    progress.textContent = t("Arranging the map… {percent}%",
                            {percent: Math.round(100 * p.iterations / p.total)});
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
  if (!isStatic) {
    network.on("dragStart", function (p) {
      if (stabilized && p.nodes.length) { network.setOptions({ physics: { enabled: true } }); }
    });
    network.on("dragEnd", function (p) {
      if (stabilized && p.nodes.length) { network.setOptions({ physics: { enabled: false } }); }
    });
  }
  if (isStatic) { network.fit({ animation: false }); }
  if (data.nodes.length === 0) {
    container.appendChild(el("p", t("This view holds no records."), "empty"));
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
      target.appendChild(el("div", t("RESTRICTED: do not share"), "card-restricted"));
    }
    if (item.gaps) {
      var box = el("div", null, "card-gaps");
      box.appendChild(el("strong", t("Gaps found")));
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
    if (kind === "node" && item.edges.length) { target.appendChild(relationList(item)); }
  }
  var RELATIONS_LISTED = 40;
  function detail(e, name) {
    var pair = e.details.filter(function (p) { return p[0] === name; })[0];
    return pair ? pair[1] : "";
  }
  function periodText(e) {
    if (!e.years) { return ""; }
    if (e.years[0] === e.years[1]) { return String(e.years[0]); }
    return (e.years[0] === null ? "…" : e.years[0]) + "\u2013" +
           (e.years[1] === null ? "" : e.years[1]);
  }
  function relationText(n, e) {
    var verb = e.verb || typeStyle(e).verb || typeStyle(e).label;
    var text = e.from === n.id ? verb + " \u2192 " + labelOf(e.to)
                               : "\u2190 " + labelOf(e.from) + " " + verb;
    var extra = [periodText(e), detail(e, t("Amount")), detail(e, t("Role"))].filter(Boolean);
    return extra.length ? text + " (" + extra.join(", ") + ")" : text;
  }
  function relationList(n) {
    var box = el("div", null, "card-relations");
    box.appendChild(el("strong", t("Relations on this map ({count})", {count: n.edges.length})));
    var list = el("ul");
    n.edges.slice(0, RELATIONS_LISTED).forEach(function (e) {
      var li = el("li", relationText(n, e));
      if (hidden.edges.has(e.id)) { li.className = "filtered-out"; }
      list.appendChild(li);
    });
    if (n.edges.length > RELATIONS_LISTED) {
      list.appendChild(el("li", t("and {count} more",
                               {count: n.edges.length - RELATIONS_LISTED})));
    }
    box.appendChild(list);
    return box;
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
                 styles.gap.label + " (" + levelsText() + ")");
      gapLegendText = extra.lastChild.lastChild;
    }
    if (data.meta.restrictedCount > 0) {
      legendItem(extra, shapeSwatch("dot", "#ffffff", "#333333", 2, true),
                 t("dashed outline or red dashed line: restricted record"));
    }
    legend.appendChild(extra);
    legend.appendChild(el("p", t("Node size: {measure}. Line width: amount of " +
                               "money (US$). Arrows point from the actor to what it funds, " +
                               "joins or supports.", {measure: data.meta.sizeBy}), "hint"));
  }

  var gapLegendText = null;
  function levelsText() {
    return t("{levels}" +
           " findings", {levels:
      styles.gapLevels.filter(function (lv) { return ringLevels.has(lv); }).join(", ")});
  }
  function buildGapToggle() {
    var others = data.nodes.filter(function (n) { return n.gaps && !ringed(n); }).length;
    if (!styles.gapsShown || others === 0) { return; }
    var label = el("label", null, "filter");
    var box = el("input");
    box.type = "checkbox";
    box.id = "gap-all";
    label.appendChild(box);
    label.appendChild(el("span", t("Also ring lower-level findings ({count} more records)",
                                   {count: others})));
    box.addEventListener("change", function () {
      ringLevels = new Set(box.checked ? styles.gapLevels : styles.ringLevels);
      nodes.update(data.nodes.filter(function (n) { return n.gaps; }).map(function (n) {
        return Object.assign({ id: n.id }, ringLook(n));
      }));
      if (gapLegendText) { gapLegendText.textContent = styles.gap.label + " (" + levelsText() + ")"; }
      buildPrintLegend();
    });
    document.getElementById("gap-toggle").appendChild(label);
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
    [[t("All"), true], [t("None"), false]].forEach(function (spec) {
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
    box.appendChild(filterGroup(t("Kind"), "kind", styles.kinds, counts(data.nodes, "kind"),
      function (k) { return shapeSwatch(k.shape, k.color, "#333333", 1, false); }));
    box.appendChild(filterGroup(t("Relationship"), "type", styles.types,
      counts(data.edges, "type"), function (t) { return lineSwatch(t.color, t.dashes, 2); }));
    box.appendChild(filterGroup(t("Region (an obligation or coalition: its State's)"), "region",
      styles.regions, counts(data.nodes, "region"), null));
  }
  var period = { from: null, to: null };
  function buildYearFilter() {
    var years = [];
    data.edges.forEach(function (e) {
      (e.years || []).forEach(function (y) { if (y !== null) { years.push(y); } });
    });
    if (!years.length) { return; }
    var first = Math.min.apply(null, years), last = Math.max.apply(null, years);
    var fundingTo = data.meta.fundingTo;
    var box = document.getElementById("year-filter");
    box.hidden = false;
    if (typeof fundingTo === "number") {
      var stop = el("p", t("The funding data stop in {year} at the latest: for a later year, " +
        "no funding shown means not known, not none.", {year: fundingTo}));
      stop.className = "hint";
      stop.id = "funding-stop";
      box.appendChild(stop);
    }
    ["year-from", "year-to"].forEach(function (id, i) {
      var select = document.getElementById(id);
      var any = el("option", i === 0 ? t("the start") : t("now"));
      any.value = "";
      select.appendChild(any);
      for (var y = first; y <= last; y += 1) {
        var beyond = typeof fundingTo === "number" && y > fundingTo;
        var option = el("option", beyond ? t("{year} (after the funding data)", {year: y}) :
          String(y));
        option.value = String(y);
        select.appendChild(option);
      }
      select.addEventListener("change", function () {
        period[i === 0 ? "from" : "to"] = select.value ? Number(select.value) : null;
        applyFilters();
      });
    });
  }
  // A dated relation (funding or support in a year, membership or presence since … until …)
  // is shown when its period overlaps the chosen one; an undated relation always is.
  function inPeriod(e) {
    if (!e.years) { return true; }
    var first = e.years[0], last = e.years[1];
    if (period.from !== null && last !== null && last < period.from) { return false; }
    if (period.to !== null && first !== null && first > period.to) { return false; }
    return true;
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
                 hidden.nodes.has(e.to) || !inPeriod(e);
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
      t("Showing {nodes} of {totalNodes} records and {edges} of " +
      "{totalEdges} relationships.", {nodes: c.nodes, totalNodes: c.totalNodes, edges: c.edges,
                                      totalEdges: c.totalEdges});
  }

  // --- search -----------------------------------------------------------------------------
  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
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
    status.textContent = matches.length === 0 ? t("No record matches.") :
      matches.length + (matches.length === 1 ? t(" record matches") : t(" records match")) +
      (matches.length > 50 ? t(" (first 50 listed)") : "") + t(". Press Enter to zoom to them.");
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

  // --- save as PNG (from the canvas: works offline, nothing leaves the page) -----------------
  function fileName() {
    var name = String(data.meta.title || "map").normalize("NFD").replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").toLowerCase().slice(0, 80);
    return (name || "map") + ".png";
  }
  function pngDataUrl() {
    var source = container.querySelector("canvas");
    var copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    var context = copy.getContext("2d");
    context.fillStyle = "#ffffff";  // a white page, not a transparent one
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(source, 0, 0);
    return copy.toDataURL("image/png");
  }
  function savePng() {
    var link = document.createElement("a");
    link.href = pngDataUrl();
    link.download = fileName();
    document.body.appendChild(link);
    link.click();
    link.remove();
    return link.download;
  }
  document.getElementById("save-png").addEventListener("click", savePng);

  // --- the side panel can be folded away (a projector at 1024×768) --------------------------
  var panelButton = document.getElementById("panel-toggle");
  function setPanel(open) {
    document.body.classList.toggle("panel-collapsed", !open);
    panelButton.textContent = open ? t("Hide panel") : t("Show panel");
    panelButton.setAttribute("aria-expanded", String(open));
    network.redraw();
    readableLabels(MIN_SCREEN_PX);
  }
  panelButton.addEventListener("click", function () {
    setPanel(document.body.classList.contains("panel-collapsed"));
  });

  // --- print: the map fills the page, a compact legend under it, labels of 8 pt or more ------
  var printing = false;
  function buildPrintLegend() {
    var box = document.getElementById("print-legend");
    box.replaceChildren();
    var shownKinds = new Set(data.nodes.filter(function (n) { return !hidden.nodes.has(n.id); })
      .map(function (n) { return n.kind; }));
    var shownTypes = new Set(data.edges.filter(function (e) { return !hidden.edges.has(e.id); })
      .map(function (e) { return e.type; }));
    styles.kinds.filter(function (k) { return shownKinds.has(k.key); }).forEach(function (k) {
      legendItem(box, shapeSwatch(k.shape, k.color, "#333333", 1, false), k.label);
    });
    styles.types.filter(function (t) { return shownTypes.has(t.key); }).forEach(function (t) {
      legendItem(box, lineSwatch(t.color, t.dashes, 2), t.label);
    });
    if (data.nodes.some(function (n) { return ringed(n) && !hidden.nodes.has(n.id); })) {
      legendItem(box, shapeSwatch("dot", "#ffffff", styles.gap.color, 3, false),
                 styles.gap.label + " (" + levelsText() + ")");
    }
    if (period.from !== null || period.to !== null) {
      legendItem(box, el("span"), t("Relations dated {from}\u2013" +
                 "{to} and undated ones", {from: period.from || "…", to: period.to || t("now")}));
    }
  }
  function preparePrint() {
    if (printing) { return; }
    printing = true;
    buildPrintLegend();
    network.redraw();
    readableLabels(MIN_PRINT_PX);
    if (data.nodes.length - hidden.nodes.size <= READABLE_UP_TO &&
        network.getScale() * network.body.nodes[data.nodes[0].id].options.font.size <
        MIN_PRINT_PX) {  // the last fit shrank the map a little: labels up to 8 pt again
      var size = Math.ceil(MIN_PRINT_PX / network.getScale());
      network.setOptions({ nodes: { font: { size: size } } });
    }
    document.body.setAttribute("data-print-ready", "true");
  }
  function afterPrint() {
    if (!printing) { return; }
    printing = false;
    document.body.removeAttribute("data-print-ready");
    network.redraw();
    readableLabels(MIN_SCREEN_PX);
  }
  window.addEventListener("beforeprint", preparePrint);
  window.addEventListener("afterprint", afterPrint);
  var printQuery = window.matchMedia("print");
  printQuery.addEventListener("change", function (q) {
    if (q.matches) { preparePrint(); } else { afterPrint(); }
  });
  document.getElementById("paper").addEventListener("change", function (event) {
    document.body.classList.toggle("paper-a3", event.target.value === "a3");
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
    positions: function () { return network.getPositions(); },
    labelPoints: function () {  // the drawn label size in points, as printed (96 px = 72 pt)
      return network.body.nodes[data.nodes[0].id].options.font.size * network.getScale() * 0.75;
    },
    pngDataUrl: pngDataUrl,
    savePng: savePng,
    preparePrint: preparePrint,
    ringed: function () { return data.nodes.filter(ringed).map(function (n) { return n.id; }); },
    hoverCard: function () { return hoverCard.hidden ? null : hoverCard.textContent; }
  };
  window.ccmMap = api;
  if (isStatic && data.nodes.length) {
    readableLabels(MIN_SCREEN_PX);
  }
  buildLegend();
  buildGapToggle();
  buildYearFilter();
  buildFilters();
  updateStatus();
  timing.pageBuilt = performance.now();
})();
