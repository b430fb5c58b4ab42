// The cytoscape graph: styles by kind, merging payloads ({nodes, edges} of web/API.md), layouts, path highlights,
// the legend and hover tooltips.

import cytoscape from "cytoscape";

export const FALLBACK_COLOUR = "#d3d9e0";
const NODE_FONT_PX = 11;
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
// Path views (reports, queries with paths) draw each node as a box with its name inside, read left to right, in a
// larger font than the explore graph's labels: narrow boxes of a large font fit a wide view at a readable size better
// than wide boxes of a small one. The layout tries each text width and keeps the one that fits the view best.
const BOX_FONT_PX = 13;
const BOX = { textWidths: [150, 125, 110, 95, 80], padX: 6, padY: 4, lineHeight: 1.2, maxLines: 5, gapX: 40, gapSub: 12, gapY: 6 };
// The least zoom at which node labels (NODE_FONT_PX) are still drawn at 10 px or more on the screen.
export const READABLE_ZOOM = 10 / NODE_FONT_PX;
// The same for the boxes of a path view.
export const READABLE_BOX_ZOOM = 10 / BOX_FONT_PX;
const SHAPES = {
  Country: "round-rectangle",
  CountryGroup: "round-rectangle",
  Company: "round-hexagon",
  Facility: "round-hexagon",
  Agreement: "round-diamond",
  Regulation: "round-tag",
  Benchmark: "round-tag",
  ExportControl: "round-octagon",
  Source: "round-rectangle",
  Stage: "round-rectangle",
  Sector: "round-pentagon",
};

const STAGE_SHORT = {
  extraction: "mining",
  "processing/refining": "refining",
  processing: "refining",
  "intermediate manufacturing": "intermediates",
  "component manufacturing": "components",
  assembly: "assembly",
  recycling: "recycling",
};

export function percent(share) {
  if (typeof share !== "number" || !Number.isFinite(share)) return "";
  const value = share <= 1 ? share * 100 : share;
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)}%`;
}

export function stageName(stage) {
  if (!stage) return "";
  if (typeof stage === "object") stage = stage.name || stage.id || "";
  const text = String(stage);
  const tail = text.includes("/stage/") ? text.split("/stage/").pop() : text;
  return STAGE_SHORT[tail] || tail;
}

export class Graph {
  constructor(container, { onTap, onBackground, tooltip, hint } = {}) {
    this.kinds = new Map();
    this.tooltip = tooltip;
    this.hint = hint; // (node) => a line the tooltip adds (what a click does), or ""
    this.cy = cytoscape({
      container,
      style: this.style(),
      minZoom: 0.08,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: "single",
    });
    this.cy.on("tap", "node", (event) => onTap && onTap(event.target.id(), event.target));
    this.cy.on("tap", (event) => {
      if (event.target === this.cy && onBackground) onBackground();
    });
    this.cy.on("mouseover", "node, edge", (event) => this.showTip(event));
    this.cy.on("mouseout", "node, edge", () => this.hideTip());
    this.cy.on("viewport drag", () => this.hideTip());
    // once the user zooms or pans, a resize keeps their view instead of fitting again
    for (const type of ["wheel", "mousedown", "touchstart"]) {
      container.addEventListener(type, () => (this.fitted = null), { passive: true });
    }
  }

  setKinds(kinds) {
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
    this.cy.style(this.style());
  }

  colour(kind) {
    return (this.kinds.get(kind) || this.kinds.get("Other") || {}).colour || FALLBACK_COLOUR;
  }

  kindLabel(kind) {
    return (this.kinds.get(kind) || {}).label || String(kind || "other").toLowerCase();
  }

  style() {
    const byKind = [...this.kinds.values()].map((k) => ({
      selector: `node[kind = "${k.kind}"]`,
      style: { "background-color": k.colour, shape: SHAPES[k.kind] || "ellipse" },
    }));
    return [
      {
        selector: "node",
        style: {
          "background-color": FALLBACK_COLOUR,
          label: "data(label)",
          "font-family": FONT_FAMILY,
          "font-size": NODE_FONT_PX,
          color: "#1d2433",
          "text-valign": "bottom",
          "text-halign": "center",
          "text-margin-y": 4,
          "text-wrap": "wrap",
          "text-max-width": 120,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.78,
          "text-background-padding": 1.5,
          "text-background-shape": "round-rectangle",
          "min-zoomed-font-size": 6,
          width: 26,
          height: 26,
          "border-width": 1.5,
          "border-color": "#ffffff",
          "overlay-opacity": 0,
          "transition-property": "opacity, border-color, border-width",
          "transition-duration": "150ms",
        },
      },
      ...byKind,
      {
        selector: "node.box",
        style: {
          shape: "round-rectangle",
          width: "data(w)",
          height: "data(h)",
          label: "data(boxLabel)",
          "text-valign": "center",
          "text-halign": "center",
          "text-margin-y": 0,
          "text-max-width": 2000, // the lines are broken already (boxLabel)
          "line-height": BOX.lineHeight,
          "font-size": BOX_FONT_PX,
          "text-background-opacity": 0,
          "border-width": 1,
          "border-color": "rgba(29, 36, 51, 0.28)",
        },
      },
      { selector: "node.focus", style: { width: 40, height: 40, "font-size": 13, "font-weight": 600, "border-width": 3, "border-color": "#1d2433" } },
      { selector: "node.open", style: { "border-color": "#5b6b7f", "border-width": 2.5 } },
      { selector: "node:selected", style: { "border-color": "#0b63c5", "border-width": 4 } },
      {
        selector: "edge",
        style: {
          width: 1.3,
          "line-color": "#a7b1bd",
          "target-arrow-color": "#a7b1bd",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 8,
          color: "#5b6473",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
          "min-zoomed-font-size": 7,
          "overlay-opacity": 0,
          "transition-property": "opacity, line-color, width",
          "transition-duration": "150ms",
        },
      },
      { selector: 'edge[type = "USED_IN"]', style: { width: 2, "line-color": "#6f7b8b", "target-arrow-color": "#6f7b8b", label: "" } },
      {
        selector: 'edge[type = "SUPPLIES"]',
        style: {
          width: "mapData(share, 0, 1, 1.2, 7)",
          "line-color": "#4f86c6",
          "target-arrow-color": "#4f86c6",
          "font-size": 10,
          "font-weight": 600,
          color: "#1f4f8a",
          "text-rotation": "none",
        },
      },
      { selector: "edge.side", style: { "line-style": "dashed" } },
      {
        selector: "edge.detour",
        style: {
          "curve-style": "round-segments",
          "segment-weights": "data(segW)",
          "segment-distances": "data(segD)",
          "segment-radii": 18,
          "edge-distances": "node-position",
        },
      },
      { selector: ".faded", style: { opacity: 0.38 } },
      { selector: "node.box.faded", style: { opacity: 0.72 } }, // their names stay readable
      { selector: "node.hl", style: { "border-color": "#c0392b", "border-width": 4, opacity: 1, "text-background-opacity": 1, "z-index": 10 } },
      { selector: "node.box.hl", style: { "border-width": 3, "text-background-opacity": 0 } },
      { selector: "edge.hl", style: { "line-color": "#c0392b", "target-arrow-color": "#c0392b", width: 3.5, opacity: 1, "z-index": 10 } },
    ];
  }

  /** Add a graph payload's nodes and edges that are not drawn yet; returns the added collection. */
  merge(payload) {
    const cy = this.cy;
    const elements = [];
    for (const node of payload.nodes || []) {
      if (!node || !node.id || cy.getElementById(node.id).nonempty()) continue;
      elements.push({ group: "nodes", data: nodeData(node) });
    }
    const ids = new Set(elements.map((e) => e.data.id));
    const known = (id) => ids.has(id) || cy.getElementById(id).nonempty();
    for (const edge of payload.edges || []) {
      if (!edge || !known(edge.source) || !known(edge.target)) continue;
      const id = edge.id || `${edge.source}|${edge.type}|${edge.target}`;
      if (ids.has(id) || cy.getElementById(id).nonempty()) continue;
      ids.add(id);
      elements.push({ group: "edges", data: edgeData({ ...edge, id }) });
    }
    const added = cy.add(elements);
    this.labelParallelSupplies();
    return added;
  }

  /** SUPPLIES edges say their stage when one country supplies a material at several stages. */
  labelParallelSupplies() {
    const groups = new Map();
    this.cy.edges('[type = "SUPPLIES"]').forEach((edge) => {
      const key = `${edge.data("source")}>${edge.data("target")}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(edge);
    });
    for (const edges of groups.values()) {
      for (const edge of edges) {
        const share = percent(edge.data("share"));
        const stage = stageName(edge.data("stage"));
        edge.data("label", edges.length > 1 && stage ? `${share} ${stage}` : share);
      }
    }
  }

  clear() {
    this.cy.elements().remove();
    this.hideTip();
  }

  /** Lay out everything: `tree` draws paths left to right from their roots, else a force-directed layout. */
  layout({ tree = false, roots = [], animate = false } = {}) {
    const cy = this.cy;
    if (cy.nodes().empty()) return Promise.resolve();
    let options;
    if (tree) {
      const rootIds = roots.filter((id) => cy.getElementById(id).nonempty());
      options = {
        name: "breadthfirst",
        directed: true,
        roots: rootIds.length ? cy.collection(rootIds.map((id) => cy.getElementById(id))) : undefined,
        spacingFactor: 1.1,
        nodeDimensionsIncludeLabels: true,
        avoidOverlap: true,
        padding: 30,
        // breadthfirst stacks levels top to bottom; turn it so the paths read left to right
        transform: (node, position) => ({ x: position.y * 1.6, y: position.x * 0.75 }),
      };
    } else {
      options = {
        name: "cose",
        animate,
        animationDuration: 500,
        randomize: !animate,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: () => 110,
        nodeRepulsion: () => 9000,
        edgeElasticity: () => 80,
        gravity: 0.6,
        numIter: 1500,
        padding: 30,
        componentSpacing: 60,
      };
    }
    return runLayout(cy, options);
  }

  /** A result's paths drawn left to right, each node a box with its name inside, in the columns and the order the
   * server's layering gives (`layers`, web/API.md: kg/render/layers.py decides which column each node sits in, the
   * slots a step over several columns passes through, and the order in each column). Here only geometry: a column
   * taller than the view is folded into staggered sub-columns, as many as make the drawing's shape closest to the
   * view's, so that it fits at the largest zoom; nodes on no path: a column on the left, by name. */
  layered(layers) {
    const cy = this.cy;
    cy.resize();
    const drawn = (id) => cy.getElementById(id).nonempty();
    const placed = new Set();
    const columns = [[]];
    const detours = new Map(); // "a>b" -> {a, b, slots}: a step over several columns and its slots, in order
    (layers || []).forEach((entries, l) => {
      const column = [];
      for (const entry of entries) {
        if (typeof entry === "string") {
          if (!drawn(entry)) continue;
          column.push(entry);
          placed.add(entry);
        } else if (drawn(entry.source) && drawn(entry.target)) {
          // a slot: a place in this column that the step passes through, so that it never runs behind a box
          const key = `${entry.source}>${entry.target}`;
          if (!detours.has(key)) detours.set(key, { a: entry.source, b: entry.target, slots: [] });
          const slot = `\u0000slot:${key}:${l}`;
          detours.get(key).slots.push(slot);
          column.push(slot);
        }
      }
      columns.push(column);
    });
    const name = (id) => String(cy.getElementById(id).data("name") ?? "");
    columns[0] = cy.nodes().map((node) => node.id()).filter((id) => !placed.has(id));
    columns[0].sort((a, b) => name(a).localeCompare(name(b)));
    const used = columns.filter((ids) => ids.length);
    const slotSize = { boxLabel: "", w: 0, h: 8 };
    const view = { w: Math.max(200, cy.width() - 60), h: Math.max(150, cy.height() - 60) };
    let best = null;
    for (const textWidth of BOX.textWidths) {
      const sizes = new Map(cy.nodes().map((node) => [node.id(), boxSize(node.data("name"), textWidth)]));
      for (const { slots } of detours.values()) for (const slot of slots) sizes.set(slot, slotSize);
      const plan = foldColumns(used, sizes, view);
      if (!best || plan.zoom > best.zoom * 1.02) best = { ...plan, sizes };
    }
    cy.nodes().forEach((node) => {
      node.addClass("box");
      node.data(best.sizes.get(node.id()));
    });
    const positions = {};
    let x = 0;
    for (const f of best.folded) {
      let left = x;
      f.stacks.forEach((stack, j) => {
        let y = -f.height / 2 + f.shifts[j];
        for (const id of stack) {
          const { h } = best.sizes.get(id);
          positions[id] = { x: left + f.widths[j] / 2, y: y + h / 2 };
          y += h + BOX.gapY;
        }
        left += f.widths[j] + BOX.gapSub;
      });
      x += f.width + BOX.gapX;
    }
    // each long step's edge drawn through its slots: segment points as weights along the line between its ends'
    // centres and distances from it (cytoscape's segments, edge-distances: node-position)
    cy.edges().removeClass("detour");
    for (const { a, b, slots } of detours.values()) {
      cy.getElementById(a).edgesWith(cy.getElementById(b)).forEach((edge) => {
        const points = (edge.source().id() === a ? slots : [...slots].reverse()).map((slot) => positions[slot]);
        const s = positions[edge.source().id()];
        const t = positions[edge.target().id()];
        if (!s || !t) return;
        const dx = t.x - s.x;
        const dy = t.y - s.y;
        const length2 = dx * dx + dy * dy;
        if (length2 < 1) return;
        const length = Math.sqrt(length2);
        const weights = points.map((q) => ((q.x - s.x) * dx + (q.y - s.y) * dy) / length2);
        const distances = points.map((q) => ((q.x - s.x) * -dy + (q.y - s.y) * dx) / length);
        if (distances.every((d) => Math.abs(d) < 2)) return; // the slots lie on the straight line anyway
        edge.data({ segW: weights.map((w) => w.toFixed(4)).join(" "), segD: distances.map((d) => d.toFixed(1)).join(" ") });
        edge.addClass("detour");
      });
    }
    return runLayout(cy, { name: "preset", positions, fit: false });
  }

  /** The least zoom at which the labels drawn are 10 px or more on the screen: a path view's boxes have a larger font. */
  readableZoom() {
    return this.cy.nodes(".box").nonempty() ? READABLE_BOX_ZOOM : READABLE_ZOOM;
  }

  /** Fit everything if its labels stay readable (readableZoom), else the given elements (e.g. a highlighted path)
   * with what they touch, else those alone; a path too long even for that is shown at the readable size from its
   * start (the rest is a pan away). */
  fitReadable(focus) {
    const cy = this.cy;
    const readable = this.readableZoom();
    cy.fit(cy.elements(), 30);
    this.fitted = "readable"; // a resize fits again by the same rule
    this.focusEles = focus;
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1); // a small graph at a natural size, not magnified
      cy.center();
    }
    if (cy.zoom() >= readable || !focus || focus.empty()) return;
    let shown = focus.union(focus.neighborhood()); // the path and what it touches, if that stays readable
    cy.fit(shown, 40);
    if (cy.zoom() < readable) {
      shown = focus;
      cy.fit(shown, 40);
    }
    if (cy.zoom() < readable) {
      const box = shown.boundingBox();
      cy.zoom(readable);
      cy.pan({ x: 30 - box.x1 * readable, y: cy.height() / 2 - ((box.y1 + box.y2) / 2) * readable });
    }
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1);
      cy.center(shown);
    }
  }

  /** A star around `centreId`: the centre in the middle, the rest on one or two rings, grouped by kind. */
  radial(centreId) {
    const cy = this.cy;
    const centre = cy.getElementById(centreId);
    if (centre.empty()) return this.layout();
    const order = [...this.kinds.keys()];
    const rank = (kind) => (order.includes(kind) ? order.indexOf(kind) : order.length);
    const others = cy.nodes().difference(centre).sort((a, b) =>
      rank(a.data("kind")) - rank(b.data("kind")) || String(a.data("name")).localeCompare(String(b.data("name"))));
    const n = others.length;
    const twoRings = n > 14;
    const radius = Math.max(170, ((twoRings ? n / 2 : n) * 120) / (2 * Math.PI));
    const positions = { [centreId]: { x: 0, y: 0 } };
    others.forEach((node, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
      const r = twoRings && i % 2 ? radius * 1.35 : radius;
      positions[node.id()] = { x: r * Math.cos(angle), y: r * Math.sin(angle) };
    });
    return runLayout(cy, { name: "preset", positions, fit: false });
  }

  /** Place newly added nodes on an arc around `centre`, facing away from the rest of the graph. */
  placeAround(centreId, added) {
    const cy = this.cy;
    const centre = cy.getElementById(centreId);
    const fresh = added.nodes().filter((n) => n.id() !== centreId);
    if (centre.empty() || fresh.empty()) return;
    const c = centre.position();
    const others = cy.nodes().difference(fresh).difference(centre);
    let base = 0;
    if (others.nonempty()) {
      const box = others.boundingBox();
      const gx = (box.x1 + box.x2) / 2;
      const gy = (box.y1 + box.y2) / 2;
      base = Math.atan2(c.y - gy, c.x - gx);
      if (Math.hypot(c.y - gy, c.x - gx) < 1) base = Math.random() * 2 * Math.PI;
    }
    const n = fresh.length;
    const span = Math.min(2 * Math.PI, Math.max(Math.PI * 0.9, n * 0.3));
    const perRing = Math.max(6, Math.floor((span * 170) / 70));
    fresh.forEach((node, i) => {
      const ring = Math.floor(i / perRing);
      const inRing = Math.min(perRing, n - ring * perRing);
      const k = i % perRing;
      const angle = base - span / 2 + (span * (k + 0.5)) / inRing;
      const radius = 170 + ring * 90;
      node.position({ x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) });
    });
  }

  /** Everything in view, never magnified past `maxZoom` (a small graph stays at a natural size). */
  fit(animate = true, maxZoom = 1.15) {
    const cy = this.cy;
    if (cy.nodes().empty()) return;
    const clamp = () => {
      if (cy.zoom() > maxZoom) cy.zoom({ level: maxZoom, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    };
    this.fitted = "all";
    if (animate) cy.animate({ fit: { eles: cy.elements(), padding: 40 } }, { duration: 350, complete: clamp });
    else {
      cy.fit(cy.elements(), 40);
      clamp();
    }
  }

  /** After the container changed size: fit again if part of the graph is now out of view. */
  keepInView() {
    const cy = this.cy;
    const before = { w: cy.width(), h: cy.height() };
    cy.resize();
    if (cy.nodes().empty() || (before.w === cy.width() && before.h === cy.height())) return;
    if (this.fitted === "all") this.fit(false);
    else if (this.fitted === "readable") this.fitReadable(this.focusEles);
  }

  /** Highlight one path (a list of node ids): its nodes and the edges between consecutive ones. */
  highlight(path, { reveal = false } = {}) {
    const cy = this.cy;
    cy.elements().removeClass("hl faded");
    if (!path || !path.length) return cy.collection();
    let on = cy.collection();
    path.forEach((id, i) => {
      on = on.union(cy.getElementById(id));
      if (i > 0) {
        const a = cy.getElementById(path[i - 1]);
        const b = cy.getElementById(id);
        on = on.union(a.edgesWith(b));
      }
    });
    cy.elements().difference(on).addClass("faded");
    on.addClass("hl");
    if (reveal) {
      const box = on.renderedBoundingBox();
      const inside = box.x1 >= 0 && box.y1 >= 0 && box.x2 <= cy.width() && box.y2 <= cy.height();
      if (!inside) {
        cy.animate({
          fit: { eles: on, padding: 50 },
          duration: 300,
          complete: () => {
            if (cy.zoom() > 1.1) cy.zoom({ level: 1.1, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
          },
        });
      }
    }
    return on;
  }

  legend(element) {
    const kinds = [...new Set(this.cy.nodes().map((n) => n.data("kind")))];
    const order = [...this.kinds.keys()];
    kinds.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    element.replaceChildren(
      ...kinds.map((kind) => {
        const item = document.createElement("span");
        item.className = "legend-item";
        const swatch = document.createElement("i");
        swatch.style.background = this.colour(kind);
        item.append(swatch, this.kindLabel(kind));
        return item;
      }),
    );
    const edgeTypes = new Set(this.cy.edges().map((e) => e.data("type")));
    if (edgeTypes.has("SUPPLIES")) {
      const item = document.createElement("span");
      item.className = "legend-item edge-key";
      item.innerHTML = '<b class="line supplies"></b>supplies (share of the stage)';
      element.append(item);
    }
    if (edgeTypes.has("USED_IN")) {
      const item = document.createElement("span");
      item.className = "legend-item edge-key";
      item.innerHTML = '<b class="line used"></b>goes into';
      element.append(item);
    }
    element.hidden = kinds.length === 0;
  }

  showTip(event) {
    const tip = this.tooltip;
    if (!tip) return;
    const el = event.target;
    const lines = [];
    if (el.isNode()) {
      lines.push([el.data("name"), "strong"], [this.kindLabel(el.data("kind")), "muted"]);
      const hint = this.hint ? this.hint(el) : "";
      if (hint) lines.push([hint, "hint"]);
    } else {
      const source = el.source().data("name");
      const target = el.target().data("name");
      const type = el.data("type");
      if (type === "SUPPLIES") {
        const p = el.data("properties") || {};
        lines.push([`${source} supplies ${percent(p.share)} of ${target}`, "strong"]);
        const detail = [stageName(p.stage), p.year, p.scope && String(p.scope).split(/[#/]/).pop()].filter(Boolean).join(" · ");
        if (detail) lines.push([detail, "muted"]);
        if (p.source) lines.push([typeof p.source === "object" ? p.source.title || p.source.name : p.source, "muted"]);
      } else {
        lines.push([`${source} → ${target}`, "strong"], [type.toLowerCase().replace(/_/g, " "), "muted"]);
      }
    }
    tip.replaceChildren(
      ...lines.map(([text, cls]) => {
        const div = document.createElement("div");
        div.className = cls;
        div.textContent = text;
        return div;
      }),
    );
    const p = event.renderedPosition || el.renderedMidpoint?.() || { x: 0, y: 0 };
    tip.style.left = `${p.x + 14}px`;
    tip.style.top = `${p.y + 14}px`;
    tip.hidden = false;
  }

  hideTip() {
    if (this.tooltip) this.tooltip.hidden = true;
  }
}

/** Columns of boxes folded into as many staggered sub-columns as make the drawing fit `view` at the largest zoom
 * (at most 1.1): node i of a column folded k ways goes to sub-column i % k, each sub-column a stack of its boxes a
 * fraction of a row lower than the one before, so that an edge leaving one passes between the boxes of the next. */
function foldColumns(columns, sizes, view) {
  const size = (id) => sizes.get(id);
  const fold = (ids, k) => {
    const stacks = Array.from({ length: k }, () => []);
    ids.forEach((id, i) => stacks[i % k].push(id));
    const shifts = stacks.map((stack, j) => (j * (size(stack[0]).h + BOX.gapY)) / k);
    const heights = stacks.map((stack, j) => shifts[j] + stack.reduce((sum, id) => sum + size(id).h + BOX.gapY, -BOX.gapY));
    const widths = stacks.map((stack) => Math.max(0, ...stack.map((id) => size(id).w)));
    return { stacks, shifts, widths, width: widths.reduce((a, b) => a + b, 0) + (k - 1) * BOX.gapSub, height: Math.max(...heights) };
  };
  const plan = (rows) => {
    const folded = columns.map((ids) => fold(ids, Math.max(1, Math.ceil(ids.length / rows))));
    const width = folded.reduce((sum, f) => sum + f.width, 0) + (folded.length - 1) * BOX.gapX;
    const height = Math.max(...folded.map((f) => f.height));
    return { folded, zoom: Math.min(1.1, view.w / width, view.h / height) };
  };
  // the row counts at which a column folds once more (each column in 1, 2, … 16 sub-columns): a few dozen plans at
  // most, even for a huge graph
  const candidates = new Set();
  for (const ids of columns) for (let k = 1; k <= 16; k += 1) candidates.add(Math.max(3, Math.ceil(ids.length / k)));
  let chosen = null;
  for (const rows of [...candidates].sort((a, b) => b - a)) {
    const next = plan(rows);
    if (!chosen || next.zoom > chosen.zoom + 1e-6) chosen = next;
  }
  return chosen;
}

let measuring = null;

/** The width of `text` in the boxes' font, in graph units (a canvas measures it as cytoscape draws it). */
function textWidth(text) {
  if (!measuring) {
    measuring = document.createElement("canvas").getContext("2d");
    measuring.font = `${BOX_FONT_PX}px ${FONT_FAMILY}`;
  }
  return measuring ? measuring.measureText(text).width : text.length * BOX_FONT_PX * 0.55;
}

/** A name broken into at most `maxLines` lines no wider than `width` where it can be: between words, or after a
 * hyphen ("Light-" / "emitting"); a word wider than `width` stays whole (the box widens). A name that needs more lines
 * ends its last one with "…". */
export function wrapText(text, width, measure, maxLines = BOX.maxLines) {
  // pieces: each word, and each hyphenated word split after its hyphens; `glue` is what joins a piece to the one before
  const pieces = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    word.split(/(?<=[-‐])(?=.)/).forEach((part, i) => pieces.push({ part, glue: i ? "" : " " }));
  }
  const lines = [];
  let line = "";
  for (const { part, glue } of pieces) {
    const joined = line ? `${line}${glue}${part}` : part;
    if (!line || measure(joined) <= width) line = joined;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.length ? lines : [""];
  // the last line takes the rest of the name, cut to the width (a line ending in a hyphen went on without a space)
  let last = lines.slice(maxLines - 1).reduce((text, next) => `${text}${/[-‐]$/.test(text) ? "" : " "}${next}`);
  while (last.length > 1 && measure(`${last}…`) > width) last = last.slice(0, -1);
  return [...lines.slice(0, maxLines - 1), `${last.trimEnd()}…`];
}

/** A box's label (its lines) and size for a name, its lines at most `width` wide. */
function boxSize(name, width) {
  const lines = wrapText(name, width, textWidth);
  const w = Math.ceil(Math.max(...lines.map(textWidth), 12)) + 2 * BOX.padX;
  const h = Math.ceil(lines.length * BOX_FONT_PX * BOX.lineHeight) + 2 * BOX.padY;
  return { boxLabel: lines.join("\n"), w, h };
}

function runLayout(cy, options) {
  return new Promise((resolve) => {
    const layout = cy.layout(options);
    layout.one("layoutstop", () => resolve());
    layout.run();
  });
}

export function nodeData(node) {
  const name = String(node.name ?? "") || String(node.id); // the server sends text; a number must not break sorting
  return {
    id: node.id,
    name,
    label: name.length > 48 ? `${name.slice(0, 46)}…` : name,
    kind: node.kind || "Other",
    labels: node.labels || [],
  };
}

export function edgeData(edge) {
  const properties = edge.properties || {};
  const data = {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: edge.type || "",
    properties,
    label: "",
  };
  if (edge.type === "SUPPLIES") {
    data.share = typeof properties.share === "number" ? properties.share : 0;
    data.stage = properties.stage;
    data.label = percent(properties.share);
  } else if (edge.type && edge.type !== "USED_IN") {
    data.label = edge.type.toLowerCase().replace(/_/g, " ");
  }
  return data;
}
