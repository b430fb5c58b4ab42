// crm-kg's graph browser: search, Explore (a neighbourhood graph that grows as you click), Reports (canned
// reports and pack queries from a form), Cypher (read-only queries). The view lives in the URL hash (state.js);
// the server's JSON API is web/API.md.
//
// This module wires the page: the modules below each do one job, and the handlers of the page's controls and of the
// graph's taps, set up here, call them. The page's state is one object (page.js) that the modules share.

import "./app.css";
import { record } from "./address.js";
import { get, onBusy } from "./api.js";
import { copyText } from "./clipboard.js";
import { renderCypher } from "./cypher-panel.js";
import { exportCsv, exportPng, exportSvg } from "./downloads.js";
import { clearError, showError } from "./errors.js";
import { expand } from "./explore.js";
import { graphOf, setupGraph } from "./graph-pane.js";
import { applyHash, onLocationChange, selectNode, switchMode } from "./navigation.js";
import { $, app } from "./page.js";
import { renderExamples, runQuery } from "./query.js";
import { runReport, selectRunnable } from "./reports.js";
import { expandable, expandChains } from "./results.js";
import { setupSearch } from "./search.js";
import { hideSide } from "./side-panel.js";

window.kgApp = app; // for the end-to-end tests

/** A click on a node: in Explore it opens the node; in a report's graph a material lists its chains, another node
 * highlights a path through it. */
function onNodeTap(id) {
  if (app.mode === "explore") {
    selectNode(id, { record: false });
    expand(id)
      .then(() => record())
      .catch(showError);
  } else {
    const r = app.reports;
    const name = graphOf().cy.getElementById(id).data("name");
    // a material of an exposure report's graph: its chains to the same target
    if (app.mode === "reports" && !r.expand && expandable(name)) {
      expandChains(name, 1).catch(showError);
      return;
    }
    selectNode(id, { record: false });
    const paths = app.mode === "reports" ? (r.expand ? r.expand.paths : r.paths) : app.query.paths;
    const path = paths.find((p) => p.includes(id));
    graphOf().highlight(path || [id]);
  }
}

async function loadInfo() {
  const info = await get("api/info");
  graphOf().setKinds(info.kinds || []);
  $("db-info").title = [info.uri, info.database && `database ${info.database}`, info.version && `crm-kg ${info.version}`, "read-only"].filter(Boolean).join(" · ");
  $("db-info").textContent = `${info.backend || ""} · read-only`;
  // Counting a large graph takes a while on the embedded default: the header fills in when it is done.
  get("api/counts").then((counts) => {
    const fmt = (n) => (typeof n === "number" ? n.toLocaleString("en") : "?");
    $("db-info").textContent = `${info.backend || ""} · ${fmt(counts.nodes)} nodes · ${fmt(counts.relationships)} edges`;
  }, () => {});
}

function wire() {
  renderExamples();
  document.addEventListener("keydown", (event) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || "");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      $("search").focus();
    }
  });
  for (const button of document.querySelectorAll(".modes button")) {
    button.addEventListener("click", () => {
      clearError();
      switchMode(button.dataset.mode);
    });
  }
  $("error-close").addEventListener("click", clearError);
  $("side-close").addEventListener("click", () => {
    graphOf().cy.nodes(":selected").unselect();
    if (app.mode === "explore") selectNode("");
    else hideSide();
  });
  $("relayout").addEventListener("click", () => graphOf().layout({ animate: true }).then(() => graphOf().fit(true)));
  $("fit").addEventListener("click", () => graphOf().fit(true));
  $("report-select").addEventListener("change", (event) => {
    clearError();
    selectRunnable("report", event.target.value);
  });
  $("pack-select").addEventListener("change", (event) => {
    clearError();
    selectRunnable("pack", event.target.value);
  });
  $("report-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runReport().catch(showError);
  });
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runQuery().catch(showError);
  });
  $("query-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runQuery().catch(showError);
    }
  });
  $("cypher-toggle").addEventListener("click", () => {
    const toggle = $("cypher-toggle");
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    $("cypher-text").hidden = !open;
    $("cypher-copy").hidden = !open;
    renderCypher();
  });
  $("cypher-copy").addEventListener("click", (event) => copyText($("cypher-text").textContent, event.currentTarget));
  $("copy-link").addEventListener("click", (event) => copyText(location.href, event.currentTarget));
  $("export-png").addEventListener("click", () => exportPng().catch(showError));
  $("export-svg").addEventListener("click", () => {
    try {
      exportSvg();
    } catch (error) {
      showError(error);
    }
  });
  $("export-csv").addEventListener("click", () => {
    try {
      exportCsv();
    } catch (error) {
      showError(error);
    }
  });
  window.addEventListener("hashchange", onLocationChange);
  window.addEventListener("popstate", onLocationChange);
  new ResizeObserver(() => graphOf().keepInView()).observe($("graph"));
}

const tapHint = (node) =>
  app.mode === "reports" && !app.reports.expand && expandable(node.data("name")) ? "Click to list its chains" : "";

async function start() {
  setupGraph({ onTap: onNodeTap, hint: tapHint });
  wire();
  setupSearch();
  onBusy((busy) => document.body.classList.toggle("busy", busy));
  // The graph's first query runs while /api/info answers; nothing is drawn before the kinds' colours are known.
  app.infoReady = loadInfo().catch(showError);
  await applyHash(location.hash);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start().catch(showError));
else start().catch(showError);
