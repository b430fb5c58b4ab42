// The cytoscape graph: styles by kind, merging payloads ({nodes, edges} of web/API.md), layouts, path highlights,
// the legend and hover tooltips.

import cytoscape from "cytoscape";

export const FALLBACK_COLOUR = "#d3d9e0";
const NODE_FONT_PX = 11;
// The least zoom at which node labels (NODE_FONT_PX) are still drawn at 10 px or more on the screen.
export const READABLE_ZOOM = 10 / NODE_FONT_PX;
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
  constructor(container, { onTap, onBackground, tooltip } = {}) {
    this.kinds = new Map();
    this.tooltip = tooltip;
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
          "font-family": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
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
      { selector: ".faded", style: { opacity: 0.38 } },
      { selector: "node.hl", style: { "border-color": "#c0392b", "border-width": 4, opacity: 1, "text-background-opacity": 1, "z-index": 10 } },
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

  /** Paths drawn left to right in layers (each step of a path one column further right: longest-path layering);
   * each column ordered by where its predecessors are (fewer crossings). Nodes on no path: a column on the left. */
  layered(paths) {
    const cy = this.cy;
    const level = new Map();
    const preds = new Map();
    const steps = [];
    for (const path of paths) {
      path.forEach((id, i) => {
        if (cy.getElementById(id).empty()) return;
        if (!level.has(id)) level.set(id, 0);
        if (i > 0 && path[i - 1] !== id) {
          if (!preds.has(id)) preds.set(id, new Set());
          preds.get(id).add(path[i - 1]);
          steps.push([path[i - 1], id]);
        }
      });
    }
    for (let round = 0, changed = true; changed && round < level.size; round += 1) {
      changed = false;
      for (const [a, b] of steps) {
        if (level.has(a) && level.get(b) < level.get(a) + 1) {
          level.set(b, level.get(a) + 1);
          changed = true;
        }
      }
    }
    const columns = [];
    cy.nodes().forEach((node) => {
      const l = level.has(node.id()) ? level.get(node.id()) + 1 : 0;
      (columns[l] = columns[l] || []).push(node.id());
    });
    const y = new Map();
    const name = (id) => String(cy.getElementById(id).data("name") ?? "");
    const dx = 250;
    const dy = 54;
    columns.forEach((ids, l) => {
      if (!ids) return;
      const centre = (id) => {
        const ys = [...(preds.get(id) || [])].filter((p) => y.has(p)).map((p) => y.get(p));
        return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : 0;
      };
      ids.sort((a, b) => centre(a) - centre(b) || name(a).localeCompare(name(b)));
      ids.forEach((id, i) => y.set(id, (i - (ids.length - 1) / 2) * dy));
      ids.forEach((id) => cy.getElementById(id).position({ x: l * dx, y: y.get(id) }));
    });
    return runLayout(cy, { name: "preset", fit: false });
  }

  /** Fit everything if its labels stay readable (READABLE_ZOOM), else the given elements (e.g. a highlighted path)
   * with what they touch, else those alone; a path too long even for that is shown at the readable size from its
   * start (the rest is a pan away). */
  fitReadable(focus) {
    const cy = this.cy;
    cy.fit(cy.elements(), 30);
    this.fitted = "all";
    if (cy.zoom() >= READABLE_ZOOM || !focus || focus.empty()) return;
    this.fitted = "focus";
    this.focusEles = focus;
    let shown = focus.union(focus.neighborhood()); // the path and what it touches, if that stays readable
    cy.fit(shown, 40);
    if (cy.zoom() < READABLE_ZOOM) {
      shown = focus;
      cy.fit(shown, 40);
    }
    if (cy.zoom() < READABLE_ZOOM) {
      const box = shown.boundingBox();
      cy.zoom(READABLE_ZOOM);
      cy.pan({ x: 30 - box.x1 * READABLE_ZOOM, y: cy.height() / 2 - ((box.y1 + box.y2) / 2) * READABLE_ZOOM });
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
    else if (this.fitted === "focus" && this.focusEles) this.fitReadable(this.focusEles);
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
