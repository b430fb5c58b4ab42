// "The Cypher behind this view": every query the view ran, in order, to copy.

import { cypherText } from "./format.js";
import { $, app } from "./page.js";

export function addCypher(list, entries) {
  for (const entry of entries || []) {
    const key = JSON.stringify([entry.name, entry.text, entry.params]);
    if (!list.some((e) => JSON.stringify([e.name, e.text, e.params]) === key)) list.push(entry);
  }
}

function cypherEntries() {
  if (app.mode === "explore") {
    const all = [...app.explore.cypher];
    addCypher(all, app.explore.nodeCypher);
    return all;
  }
  if (app.mode === "reports") {
    const r = app.reports;
    if (!r.expand || !r.expand.result) return r.cypher;
    const all = [...r.cypher];
    addCypher(all, r.expand.result.cypher);
    return all;
  }
  return app.query.log;
}

export function renderCypher() {
  const entries = cypherEntries();
  const pre = $("cypher-text");
  pre.textContent = entries.length ? cypherText(entries) : "// Nothing has run in this view yet.";
  const toggle = $("cypher-toggle");
  const open = toggle.getAttribute("aria-expanded") === "true";
  toggle.textContent = `${open ? "Hide" : "Show"} the Cypher behind this view${entries.length ? ` (${entries.length} quer${entries.length === 1 ? "y" : "ies"})` : ""}`;
}
