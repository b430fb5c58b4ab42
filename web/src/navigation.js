// Going to a view: a link's or the history's (the back button), another mode, a node to explore or to select.

import { record } from "./address.js";
import { ensureCatalogue } from "./catalogue.js";
import { renderCypher } from "./cypher-panel.js";
import { clearError, showError } from "./errors.js";
import { loadExplore } from "./explore.js";
import { afterDraw, graphOf, restoreGraph, saveGraph, setEmpty } from "./graph-pane.js";
import { $, app, updateTitle } from "./page.js";
import { runReport, selectRunnable } from "./reports.js";
import { collapseChains, expandChains, renderResults } from "./results.js";
import { hideSide, openSide, showSide } from "./side-panel.js";
import { updateStart } from "./start.js";
import { formatHash, parseHash } from "./state.js";

export function onLocationChange() {
  if (location.hash === app.applied) return;
  applyHash(location.hash).catch(showError);
}

export async function applyHash(hash) {
  app.applied = hash || "";
  const state = parseHash(hash);
  clearError();
  if (state.mode === "reports") {
    switchMode("reports", { record: false });
    await ensureCatalogue();
    if (state.name) {
      const r = app.reports;
      const kind = state.kind === "pack" ? "pack" : "report";
      // the report shown already (the back button from its expanded chains): it need not run again
      const wanted = formatHash({ mode: "reports", kind, name: state.name, params: state.params });
      const shown = r.result && formatHash({ mode: "reports", kind: r.kind, name: r.name, params: r.params });
      if (wanted !== shown) {
        selectRunnable(kind, state.name, state.params);
        await runReport({ record: false });
      }
      if (state.expand && r.result) await expandChains(state.expand.material, state.expand.page, { record: false });
      else if (r.expand) await collapseChains({ record: false });
    } else updateStart();
  } else if (state.mode === "query") {
    switchMode("query", { record: false });
    // A link fills the editor but runs nothing: any site can open a link to this page, and must not make it run an
    // expensive query. The result of the same query run here before (the back button) stays shown.
    const q = app.query;
    const paramsText = state.params && Object.keys(state.params).length ? JSON.stringify(state.params) : "";
    const same = q.result && state.cypher === q.cypher && paramsText === (Object.keys(q.params).length ? JSON.stringify(q.params) : "");
    $("query-text").value = state.cypher;
    $("query-params").value = paramsText;
    if (!same && state.cypher.trim()) {
      q.cypher = state.cypher;
      q.params = state.params || {};
      q.result = null;
      q.tables = [];
      q.paths = [];
      q.log = [];
      graphOf().clear();
      renderResults();
      renderCypher();
      updateTitle();
      setEmpty("A query from a link: read it, then press Run.");
      afterDraw();
    }
    $("query-note").hidden = same || !state.cypher.trim();
  } else {
    switchMode("explore", { record: false });
    const e = app.explore;
    const same = state.focus === e.focus && sameList(state.open, e.open) && graphOf().cy.nodes().nonempty();
    if (!same) await loadExplore(state.focus, state.open);
    selectNode(state.select || "", { record: false });
  }
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export function switchMode(mode, { record: push = true } = {}) {
  if (mode !== app.mode) {
    saveGraph(app.mode);
    app.mode = mode;
    restoreGraph(mode);
  }
  for (const button of document.querySelectorAll(".modes button")) {
    button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
  }
  $("panel-explore").hidden = mode !== "explore";
  $("panel-reports").hidden = mode !== "reports";
  $("panel-query").hidden = mode !== "query";
  document.body.dataset.mode = mode;
  renderResults();
  renderCypher();
  updateTitle();
  if (mode !== "explore" || !app.explore.select) hideSide();
  else if ($("side-panel").hidden) showSide(app.explore.select, focusOn).catch(showError);
  if (mode === "reports") ensureCatalogue().catch(showError);
  if (mode === "explore") setEmpty(app.explore.focus ? "" : "Search an entity to draw its neighbourhood.");
  if (mode === "reports") setEmpty(app.reports.result ? "This result has no paths to draw." : "Choose a report or a pack query and run it.");
  if (mode === "query") setEmpty(app.query.result ? "This result has no nodes to draw." : "Run a query: nodes, relationships and paths it returns are drawn here.");
  updateStart();
  afterDraw();
  if (push) record();
}

export async function focusOn(id, name) {
  switchMode("explore", { record: false });
  openSide(); // before the layout, so that the graph is fitted to the room the panel leaves
  if (name) app.explore.names.set(id, name);
  await loadExplore(id, []);
  selectNode(id, { record: false, expand: false });
  record();
}

export function selectNode(id, { record: push = true } = {}) {
  const cy = graphOf().cy;
  if (app.mode === "explore") app.explore.select = id || "";
  cy.nodes(":selected").unselect();
  if (!id) {
    hideSide();
    if (push) record();
    return;
  }
  const node = cy.getElementById(id);
  if (node.nonempty()) node.select();
  showSide(id, focusOn).catch(showError);
  if (push) record();
}
