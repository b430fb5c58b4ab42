// The results pane: a result's tables, and in a report whose target the `chains` report takes, a material's
// chains to it listed above them (a page at a time).

import { record } from "./address.js";
import { post } from "./api.js";
import { runnable } from "./catalogue.js";
import { renderCypher } from "./cypher-panel.js";
import { clearError, showError } from "./errors.js";
import { el, rowValues } from "./format.js";
import { spinner } from "./graph-pane.js";
import { $, app, updateTitle } from "./page.js";
import { sourceList } from "./side-panel.js";
import { drawSections, tableSection } from "./tables.js";

/** The tables and the graph of a result's sections. */
/** A table answer (a pack query's, an analyst's query's) as a result of one section, drawn like a report's. */
export function tableResult(title, body, description = "") {
  const section = { title, text: "", columns: body.columns, rows: body.rows, graph: body.graph, truncated: body.truncated };
  return { title, description, sections: [section], layers: body.layers, sources: [] };
}

export async function drawResult(target, result) {
  const drawn = await drawSections(result);
  target.tables = drawn.tables;
  target.paths = drawn.paths;
  renderResults();
}

export function renderResults() {
  const results = $("results");
  const target = app.mode === "reports" ? app.reports : app.mode === "query" ? app.query : null;
  if (!target || !target.result) {
    results.replaceChildren();
    results.hidden = true;
    return;
  }
  results.hidden = false;
  const parts = [];
  const expand = app.mode === "reports" ? app.reports.expand : null;
  if (expand) parts.push(chainsBlock(expand));
  if (app.mode === "reports" && target.result.description) parts.push(el("p", { class: "lead" }, target.result.description));
  // the path highlighted when the graph was drawn: its row starts marked
  const highlighted = expand ? null : target.paths[0];
  // in a report, a row's material lists its chains
  const materials = app.mode === "reports" ? { expandable, onMaterial: (material) => expandChains(material, 1).catch(showError) } : {};
  target.tables.forEach((table, t) => parts.push(tableSection(table, t, { ...materials, highlighted })));
  const sources = target.result.sources || [];
  if (sources.length) parts.push(el("section", { class: "result-section" }, el("h2", {}, "Sources"), sourceList(sources)));
  results.replaceChildren(...parts);
}

/** The `chains` report run for `material` and the current report's target, or null when the current report has no
 * target that report takes (it names none, or it is not a canned report). The target's parameters are the ones the
 * catalogue (GET /api/reports) gives both reports; the rest of the chains report's parameters keep their defaults. */
function chainsRun(material, page) {
  const r = app.reports;
  const chains = runnable("report", "chains");
  const current = r.kind === "report" ? runnable("report", r.name) : null;
  if (!chains || !current || current.name === chains.name) return null;
  const mine = new Set((current.params || []).map((p) => p.name));
  const params = { material };
  for (const p of chains.params || []) {
    if (p.name === "material" || p.name === "page") continue;
    if (mine.has(p.name)) {
      if (r.params[p.name] !== undefined && r.params[p.name] !== "") params[p.name] = r.params[p.name];
    } else if (p.required) return null;
  }
  if ((chains.params || []).some((p) => p.name === "page")) params.page = page;
  return { name: chains.name, params };
}

/** Whether `name` is a material of the report shown whose chains can be listed (a value of its `material` column). */
export function expandable(name) {
  const r = app.reports;
  if (!name || !r.result || !chainsRun(name, 1)) return false;
  if (!r.materials || r.materials.result !== r.result) {
    const names = new Set();
    for (const section of r.result.sections || []) {
      const at = (section.columns || []).indexOf("material");
      if (at < 0) continue;
      for (const row of section.rows || []) {
        const v = rowValues(row, section.columns)[at];
        if (typeof v === "string" && v) names.add(v);
      }
    }
    r.materials = { result: r.result, names };
  }
  return r.materials.names.has(name);
}

/** List the chains from `material` to the report's target (a page of them): the graph shows them, a block above the
 * report's tables lists them with a way to the other pages and back to all materials. */
export async function expandChains(material, page = 1, { record: push = true } = {}) {
  const r = app.reports;
  const run = chainsRun(material, page);
  if (!run) return;
  if (r.expand && r.expand.material === material && r.expand.page === page && r.expand.result) {
    if (push) record();
    return;
  }
  const generation = ++app.generation;
  r.expand = { material, page, result: null, tables: [], paths: [] };
  if (push) record();
  clearError();
  spinner(true);
  renderResults();
  $("results").scrollTop = 0;
  try {
    const body = await post("api/reports/run", run);
    if (generation !== app.generation) return;
    const drawn = await drawSections(body);
    if (generation !== app.generation) return;
    Object.assign(r.expand, { result: body, tables: drawn.tables, paths: drawn.paths });
  } catch (error) {
    if (generation !== app.generation) return;
    r.expand = null;
    record(true);
    showError(error);
  } finally {
    spinner(false);
  }
  renderResults();
  renderCypher();
  updateTitle();
}

/** Back from a material's chains to the report's own graph and tables. */
export async function collapseChains({ record: push = true } = {}) {
  const r = app.reports;
  if (!r.expand) return;
  r.expand = null;
  app.generation += 1; // a chains answer still on its way is not drawn
  if (push) record();
  if (r.result) await drawResult(r, r.result);
  renderCypher();
  updateTitle();
}

/** "page 2 of 3" in a chains section's title: the page shown and how many there are. */
function pageOf(section) {
  const found = /\bpage (\d+) of (\d+)\b/i.exec(section.title || "");
  return found ? { page: Number(found[1]), pages: Number(found[2]) } : null;
}

function chainsBlock(expand) {
  const r = app.reports;
  const back = el("button", { type: "button", class: "secondary small", "data-testid": "chains-close", onclick: () => collapseChains().catch(showError) }, "← All materials");
  if (!expand.result) {
    return el(
      "section",
      { class: "result-section chains", "data-testid": "chains" },
      el("div", { class: "section-head" }, el("h2", {}, `Chains from ${expand.material}`), el("span", { class: "head-actions" }, back)),
      el("div", { class: "loading" }, el("span", { class: "dot" }), "Listing the chains…"),
    );
  }
  const tables = expand.tables || [];
  const section = (expand.result.sections || [])[0] || {};
  const paging = pageOf(section);
  const page = paging ? paging.page : expand.page;
  const go = (to) => expandChains(expand.material, to).catch(showError);
  const pager = paging && paging.pages > 1
    ? [
      el("button", { type: "button", class: "secondary small", "data-testid": "chains-previous", disabled: page <= 1, onclick: () => go(page - 1) }, "← Previous"),
      el("span", { class: "muted" }, `page ${page} of ${paging.pages}`),
      el("button", { type: "button", class: "secondary small", "data-testid": "chains-next", disabled: page >= paging.pages, onclick: () => go(page + 1) }, "Next →"),
    ]
    : [];
  return el(
    "section",
    { class: "result-section chains", "data-testid": "chains" },
    el(
      "div",
      { class: "section-head" },
      el("h2", {}, expand.result.title || `Chains from ${expand.material}`),
      el("span", { class: "head-actions" }, ...pager, back),
    ),
    ...tables.map((table, t) => {
      const part = tableSection(table, t, { testid: "chains-table", highlighted: expand.paths[0] });
      part.classList.add("nested");
      return part;
    }),
    el("p", { class: "muted" }, `Below, ${r.result && r.result.title ? r.result.title : "the report"}: click another material to list its chains.`),
  );
}
