// The canned reports and pack queries the server offers (GET /api/reports, /api/packs), loaded once into the
// page's two choosers.

import { get } from "./api.js";
import { el } from "./format.js";
import { $, app } from "./page.js";

export async function ensureCatalogue() {
  const r = app.reports;
  if (r.catalogue && r.packs) return;
  if (!r.loading) {
    r.loading = Promise.all([get("api/reports"), get("api/packs")]).then(([reports, packs]) => {
      r.catalogue = reports.reports || [];
      r.packs = packs.queries || [];
      const select = $("report-select");
      select.replaceChildren(el("option", { value: "" }, "Choose a report…"));
      for (const report of r.catalogue) select.append(el("option", { value: report.name }, report.title || report.name));
      const packSelect = $("pack-select");
      packSelect.replaceChildren(el("option", { value: "" }, "Choose a query…"));
      const byPack = new Map();
      for (const q of r.packs) {
        if (!byPack.has(q.pack)) byPack.set(q.pack, []);
        byPack.get(q.pack).push(q);
      }
      for (const [pack, queries] of byPack) {
        packSelect.append(el("optgroup", { label: pack }, queries.map((q) => el("option", { value: q.name, title: q.description }, q.name))));
      }
    });
    r.loading.catch(() => {
      r.loading = null;
    });
  }
  await r.loading;
}

export function runnable(kind, name) {
  const r = app.reports;
  return kind === "pack" ? (r.packs || []).find((q) => q.name === name) : (r.catalogue || []).find((x) => x.name === name);
}
