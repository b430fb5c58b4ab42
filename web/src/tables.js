// A result's sections drawn: the graph of their paths, and each as a table whose rows highlight their path.

import { exportCsv } from "./downloads.js";
import { showError } from "./errors.js";
import { cellText, el, isNodeValue, isPathValue, rowPathNames, rowValues } from "./format.js";
import { afterDraw, graphOf, setEmpty } from "./graph-pane.js";
import { $, app } from "./page.js";

const MAX_TABLE_ROWS = 500;

/** The results pane while a report or query runs. */
export function showRunning() {
  $("results").replaceChildren(el("div", { class: "loading" }, el("span", { class: "dot" }), "Running…"));
  $("results").hidden = false;
}

/** A run that failed: no result, tables or graph left of `target` (a report's or the query's state); the error shown. */
export function showFailedRun(target, error) {
  target.result = null;
  target.tables = [];
  target.paths = [];
  $("results").replaceChildren();
  $("results").hidden = true;
  graphOf().clear();
  afterDraw();
  showError(error);
}


/** Draw the graph of a result's sections (its paths left to right where the server's `layers` place them, the first one
 * highlighted, fitted readable); returns the sections as tables (each row with its path, if it has one) and the paths. */
export async function drawSections({ sections = [], layers = null }) {
  await app.infoReady;
  const graph = graphOf();
  graph.clear();
  const target = { tables: [], paths: [] };
  for (const section of sections) {
    const columns = section.columns || [];
    const rows = section.rows || [];
    const g = section.graph;
    const sectionPaths = [];
    if (g && (g.nodes || []).length) {
      graph.merge(g);
      for (const p of g.paths || []) {
        if (!p || !p.length) continue;
        sectionPaths.push(p);
        target.paths.push(p);
      }
    }
    const nodeNames = new Map((g?.nodes || []).map((n) => [n.id, n.name]));
    const rowPaths = rows.map((row, i) => matchRowPath(row, columns, sectionPaths, nodeNames, rows.length, i));
    target.tables.push({ title: section.title || "", text: section.text || "", columns, rows, rowPaths, truncated: Boolean(section.truncated) });
  }
  const hasPaths = target.paths.length > 0;
  // the graph's room as it will be: a result with nodes is not drawn in the thin strip of an empty one
  document.body.classList.toggle("no-graph", graph.cy.nodes().empty());
  if (hasPaths) {
    await graph.layered(layers);
    graph.fitReadable(graph.highlight(target.paths[0]));
  } else {
    await graph.layout();
    graph.fit(false);
  }
  setEmpty(graph.cy.nodes().empty() ? (app.mode === "query" ? "This result has no nodes to draw." : "This result has no paths to draw.") : "");
  afterDraw();
  return target;
}

function matchRowPath(row, columns, paths, names, count, index) {
  if (!paths.length) return null;
  const wanted = rowPathNames(row, columns);
  if (wanted) {
    const found = paths.find(
      (p) => p.length === wanted.length && p.every((id, i) => id === wanted[i] || names.get(id) === wanted[i]),
    );
    if (found) return found;
  }
  if (paths.length === count) return paths[index];
  // a row without a path column: the drawn nodes it names
  const values = rowValues(row, columns);
  const ids = [];
  for (const [id, name] of names) {
    if (values.some((v) => v === name || (isNodeValue(v) && v.properties.uri === id))) ids.push(id);
  }
  return ids.length ? ids : null;
}

/** A section that is a finding in itself (one row, one column `finding`): a sentence, not a one-cell table. */
const isFinding = (table) => table.columns.length === 1 && table.columns[0] === "finding";

/** One result section: its head, text and table (or its finding as a sentence). Rows with a path highlight it; where
 * `expandable` says a row's `material` can list its chains (a report whose target the `chains` report takes), clicking
 * the row calls `onMaterial` with it. */
export function tableSection(table, t, { expandable = null, onMaterial = null, testid = "result-table", highlighted = null } = {}) {
  const results = $("results");
  const count = table.rows.length;
  if (isFinding(table)) {
    const text = table.rows.map((row) => cellText(rowValues(row, table.columns)[0], "finding")).filter(Boolean).join(" ");
    return el(
      "section",
      { class: "result-section" },
      el("div", { class: "section-head" }, el("h2", {}, table.title || "Result")),
      el("p", { class: "finding", "data-testid": "finding" }, text),
      table.text && table.text !== text ? el("p", { class: "text" }, table.text) : null,
    );
  }
  const shown = table.rows.slice(0, MAX_TABLE_ROWS);
  const header = el(
    "div",
    { class: "section-head" },
    el("h2", {}, table.title || "Result"),
    el("span", { class: "muted" }, `${count} row${count === 1 ? "" : "s"}`),
    el("button", { type: "button", class: "secondary small", title: "This table as CSV", onclick: () => exportCsv([table]) }, "CSV"),
  );
  const numeric = table.columns.map((c, i) => shown.length > 0 && shown.every((row) => {
    const v = rowValues(row, table.columns)[i];
    return v === null || v === undefined || typeof v === "number";
  }));
  const materialAt = expandable ? table.columns.indexOf("material") : -1;
  const expandingNow = app.reports.expand ? app.reports.expand.material : null;
  const tableEl = el(
    "table",
    { class: "data", "data-testid": testid, "data-section": String(t) },
    el("thead", {}, el("tr", {}, table.columns.map((c, i) => el("th", { scope: "col", class: numeric[i] ? "num" : "" }, c)))),
    el(
      "tbody",
      {},
      shown.map((row, r) => {
        const values = rowValues(row, table.columns);
        const material = materialAt >= 0 && typeof values[materialAt] === "string" && expandable(values[materialAt]) ? values[materialAt] : null;
        const path = material ? null : table.rowPaths[r];
        const title = material ? `List the chains from ${material}` : path ? "Highlight this row's path in the graph" : undefined;
        const tr = el(
          "tr",
          {
            class: [material ? "expands" : "", path ? "has-path" : "", (material && material === expandingNow) || (path && path === highlighted) ? "on" : ""].filter(Boolean).join(" "),
            tabindex: material || path ? "0" : undefined,
            title,
            "data-material": material || undefined,
          },
          values.map((v, i) => {
            const text = cellText(v, table.columns[i]);
            // prose wraps in a column of a readable width, rather than stretching the table or being squeezed
            if (isLongColumn(table.columns[i]) && text.length > 40) return el("td", { class: "long" }, el("span", {}, text));
            if (isPathText(table.columns[i], v) && text.length > 60) return el("td", { class: "long path" }, el("span", {}, text));
            return el("td", { class: numeric[i] ? "num" : "" }, text);
          }),
        );
        const act = material
          ? () => onMaterial(material)
          : path
            ? () => {
              results.querySelectorAll("tr.on").forEach((x) => x.classList.remove("on"));
              tr.classList.add("on");
              graphOf().highlight(path, { reveal: true });
            }
            : null;
        if (act) {
          tr.addEventListener("click", act);
          tr.addEventListener("keydown", (event) => {
            if (event.key === "Enter" || event.key === " ") {
              event.preventDefault();
              act();
            }
          });
        }
        return tr;
      }),
    ),
  );
  return el(
    "section",
    { class: "result-section" },
    header,
    table.text ? el("p", { class: "text" }, table.text) : null,
    count ? el("div", { class: "scroll" }, tableEl) : el("p", { class: "empty-rows" }, "No rows."),
    count > MAX_TABLE_ROWS ? el("p", { class: "muted" }, `The first ${MAX_TABLE_ROWS} of ${count} rows are shown; the CSV has them all.`) : null,
    // The server answers at most 10,000 rows of a query (web/API.md): say so, or the table looks complete.
    table.truncated ? el("p", { class: "muted", "data-testid": "truncated" }, `The query has more rows than these ${count}: the server stops there. Narrow it or add a LIMIT.`) : null,
  );
}

/** A path's cell (a Path value, or a list of names in a path column): it wraps at a wider measure than prose. */
const isPathText = (column, value) =>
  isPathValue(value) || (Array.isArray(value) && (column === "path" || column === "chain" || /_path$|_chain$/.test(column)));

/** Columns of prose (sources, reasons, notes): they wrap rather than stretch the table. */
const isLongColumn = (column) => /^(source|why|note|control|legal_reference|description)$/.test(column) || /_source$/.test(column);
