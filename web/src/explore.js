// Explore: a node's neighbourhood, grown by opening the nodes clicked, and the card that sums it up.

import { get } from "./api.js";
import { addCypher, renderCypher } from "./cypher-panel.js";
import { el } from "./format.js";
import { afterDraw, graphOf, setEmpty, spinner } from "./graph-pane.js";
import { $, app, updateTitle } from "./page.js";
import { hideSide } from "./side-panel.js";
import { updateStart } from "./start.js";

async function neighbourhood(id) {
  const body = await get("api/neighbourhood", { id, limit: 60 });
  addCypher(app.explore.cypher, body.cypher);
  for (const node of body.nodes || []) app.explore.names.set(node.id, node.name);
  return body;
}

export async function loadExplore(focus, open) {
  const generation = ++app.generation;
  const graph = graphOf();
  const e = app.explore;
  e.focus = focus;
  e.open = [];
  e.select = "";
  e.cypher = [];
  e.nodeCypher = [];
  e.truncated = false;
  graph.clear();
  renderFocusCard();
  updateStart();
  if (!focus) {
    hideSide();
    setEmpty("Search an entity to draw its neighbourhood.");
    afterDraw();
    renderCypher();
    updateTitle();
    return;
  }
  setEmpty("");
  spinner(true);
  try {
    const body = await neighbourhood(focus);
    await app.infoReady;
    if (generation !== app.generation) return;
    e.truncated = Boolean(body.truncated);
    graph.merge(body);
    graph.cy.getElementById(focus).addClass("focus");
    await graph.radial(focus);
    for (const id of open) {
      if (generation !== app.generation) return;
      if (graph.cy.getElementById(id).empty()) continue;
      const more = await neighbourhood(id);
      if (generation !== app.generation) return;
      showOpened(graph, id, more);
    }
    graph.fit(false);
    if (graph.cy.nodes().length <= 1) setEmpty("No relationships to other value-chain entities.");
  } finally {
    spinner(false);
  }
  renderFocusCard();
  afterDraw();
  renderCypher();
  updateTitle();
}

/** The neighbourhood `body` of node `id` drawn around it, and `id` marked open in the explore state. */
function showOpened(graph, id, body) {
  const e = app.explore;
  graph.placeAround(id, graph.merge(body));
  graph.cy.getElementById(id).addClass("open");
  e.open.push(id);
  e.truncated = e.truncated || Boolean(body.truncated);
}

export async function expand(id) {
  const e = app.explore;
  if (!id || id === e.focus || e.open.includes(id)) return;
  const graph = graphOf();
  const generation = app.generation;
  spinner(true);
  try {
    const body = await neighbourhood(id);
    if (generation !== app.generation) return;
    showOpened(graph, id, body);
    afterDraw();
    graph.fit(true);
    renderFocusCard();
    renderCypher();
  } finally {
    spinner(false);
  }
}

function renderFocusCard() {
  const e = app.explore;
  const card = $("explore-focus");
  if (!e.focus) {
    card.hidden = true;
    $("explore-note").textContent = "";
    return;
  }
  const cy = graphOf().cy;
  const node = cy.getElementById(e.focus);
  const swatch = el("i", { class: "swatch" });
  swatch.style.background = graphOf().colour(node.nonempty() ? node.data("kind") : "Other");
  card.replaceChildren(
    el("div", { class: "focus-name" }, swatch, e.names.get(e.focus) || e.focus),
    el("div", { class: "muted" }, `${cy.nodes().length} nodes, ${cy.edges().length} relationships; ${e.open.length} expanded`),
  );
  card.hidden = false;
  $("explore-note").textContent = e.truncated
    ? "Some neighbourhoods are cut to their most important relationships (what goes into what first, then the largest supply shares)."
    : "";
}
