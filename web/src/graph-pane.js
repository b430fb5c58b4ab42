// The graph pane: the one Graph, what it says when empty, its spinner, and its elements kept per mode while
// another mode is shown.

import { Graph } from "./graph.js";
import { $, app } from "./page.js";

/** The page's Graph: `onTap(id)` when a node is clicked, `hint(node)` the line its tooltip adds (what a click does). */
export function setupGraph({ onTap, hint }) {
  const graph = new Graph($("graph"), {
    tooltip: $("tooltip"),
    onTap,
    hint,
    onBackground: () => {
      if (app.mode !== "explore") graphOf().highlight(null);
    },
  });
  app.graph = graph;
  window.kgGraph = graph.cy;
  return graph;
}

export const graphOf = () => app.graph;

function markFirstGraph() {
  if (app.firstGraphMarked || app.graph.cy.nodes().empty()) return;
  app.firstGraphMarked = true;
  // "drawn" = laid out and rendered: wait for cytoscape's next frame, then the browser's paint after it
  app.graph.cy.one("render", () => {
    requestAnimationFrame(() => {
      const mark = performance.mark("kg:first-graph");
      window.kgFirstGraphMs = mark && typeof mark.startTime === "number" ? mark.startTime : performance.now();
      document.documentElement.dataset.firstGraph = "drawn";
    });
  });
  app.graph.cy.forceRender ? app.graph.cy.forceRender() : app.graph.cy.resize();
}

export function afterDraw() {
  const graph = graphOf();
  graph.legend($("legend"));
  const empty = graph.cy.nodes().empty();
  $("graph-empty").hidden = !empty;
  document.body.classList.toggle("no-graph", empty);
  markFirstGraph();
}

export function setEmpty(text) {
  $("graph-empty").textContent = text;
}

export function saveGraph(mode) {
  const cy = graphOf().cy;
  app.saved[mode] = { elements: cy.elements().jsons(), zoom: cy.zoom(), pan: { ...cy.pan() } };
}

export function restoreGraph(mode) {
  const graph = graphOf();
  graph.clear();
  const saved = app.saved[mode];
  if (saved && saved.elements.length) {
    graph.cy.add(saved.elements);
    graph.cy.viewport({ zoom: saved.zoom, pan: saved.pan });
  }
  afterDraw();
}

export function spinner(on) {
  const s = $("graph-spinner");
  app.spinning = (app.spinning || 0) + (on ? 1 : -1);
  s.hidden = app.spinning <= 0;
}
