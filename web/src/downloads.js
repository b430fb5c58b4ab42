// What the export buttons download: the view's graph as PNG or SVG, its tables (or relationships) as CSV.

import { showError } from "./errors.js";
import { csvFile, download, pngBlob, toSvg } from "./export.js";
import { cellText, csvSafe, nameOf, rowValues } from "./format.js";
import { graphOf } from "./graph-pane.js";
import { stageName } from "./graph.js";
import { $, app } from "./page.js";

function viewName() {
  if (app.mode === "explore") return `neighbourhood-${slug(app.explore.names.get(app.explore.focus) || "graph")}`;
  if (app.mode === "reports") return slug(app.reports.name || "report") + (app.reports.params ? `-${slug(Object.values(app.reports.params).join("-"))}` : "");
  return "query";
}

const slug = (text) =>
  String(text)
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "view";

export function exportCsv(only) {
  let list = only;
  if (!list) {
    if (app.mode === "explore") {
      const cy = graphOf().cy;
      if (cy.edges().empty()) return showError(new Error("there is no graph to export yet"));
      const columns = ["source", "relationship", "target", "share", "stage", "year", "figure source"];
      const rows = cy.edges().map((e) => {
        const p = e.data("properties") || {};
        return [e.source().data("name"), e.data("type"), e.target().data("name"), p.share ?? "", stageName(p.stage), p.year ?? "", nameOf(p.source ?? "")];
      });
      list = [{ title: "Relationships", columns, rows }];
    } else {
      const target = app.mode === "reports" ? app.reports : app.query;
      list = [...(app.mode === "reports" && target.expand ? target.expand.tables || [] : []), ...(target.tables || [])];
      if (!target.result || !list.length) return showError(new Error("there is no result table to export yet: run a report or a query"));
    }
  }
  const tables = list.map((t) => ({
    title: csvSafe(String(t.title ?? "")),
    columns: t.columns.map((c) => csvSafe(String(c))),
    rows: t.rows.map((row) => rowValues(row, t.columns).map((v, i) => cellText(v, t.columns[i], true))),
  }));
  const suffix = only && only.length === 1 && only[0].title ? `-${slug(only[0].title)}` : "";
  download(`${viewName()}${suffix}.csv`, new Blob([csvFile(tables)], { type: "text/csv;charset=utf-8" }));
}

export async function exportPng() {
  const cy = graphOf().cy;
  if (cy.nodes().empty()) return showError(new Error("there is no graph to export yet"));
  const blob = await pngBlob(cy);
  download(`${viewName()}.png`, blob);
}

export function exportSvg() {
  const cy = graphOf().cy;
  if (cy.nodes().empty()) return showError(new Error("there is no graph to export yet"));
  const graph = graphOf();
  const kinds = [...new Set(cy.nodes().map((n) => n.data("kind")))];
  const legend = kinds.map((kind) => ({ label: graph.kindLabel(kind), colour: graph.colour(kind) }));
  const svg = toSvg(cy, { title: $("view-title").textContent || "crm-kg graph", legend });
  download(`${viewName()}.svg`, new Blob([svg], { type: "image/svg+xml" }));
}
