// The view shown, recorded in the URL (state.js writes it): a new history entry, or the current one replaced.

import { app } from "./page.js";
import { formatHash } from "./state.js";

function currentState() {
  if (app.mode === "reports") {
    const r = app.reports;
    const state = { mode: "reports", kind: r.kind, name: r.name, params: r.params };
    if (r.expand) state.expand = { material: r.expand.material, page: r.expand.page };
    return state;
  }
  if (app.mode === "query") return { mode: "query", cypher: app.query.cypher, params: app.query.params };
  const e = app.explore;
  return { mode: "explore", focus: e.focus, open: e.open, select: e.select };
}

/** Record the current view in the URL: a new history entry (the back button returns), or replace the current one. */
export function record(replace = false) {
  const hash = formatHash(currentState());
  if (hash === location.hash) {
    app.applied = hash;
    return;
  }
  if (replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
  app.applied = location.hash;
}
