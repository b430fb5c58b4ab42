// The page's state, shared by the modules (which mode is shown, the graph, and each mode's own state), the
// lookup of its elements by id, and its title.

export const $ = (id) => document.getElementById(id);

export const app = {
  mode: "explore",
  graph: null,
  firstGraphMarked: false,
  applied: null, // the hash the page shows
  infoReady: Promise.resolve(),
  saved: {}, // per mode: the graph elements and viewport while another mode is shown
  explore: { focus: "", open: [], select: "", cypher: [], nodeCypher: [], truncated: false, names: new Map() },
  // expand: an exposure report's material whose chains are shown ({material, page, result, tables, paths}), or null
  // materials: the names of the shown result's `material` column (expandable), computed once per result
  reports: { catalogue: null, packs: null, kind: null, name: "", params: {}, result: null, tables: [], paths: [], cypher: [], expand: null, materials: null },
  query: { cypher: "", params: {}, result: null, tables: [], paths: [], log: [] },
  generation: 0,
};

export function updateTitle() {
  let title = "";
  if (app.mode === "explore") {
    const name = app.explore.names.get(app.explore.focus);
    title = name ? `Neighbourhood of ${name}` : "";
  } else if (app.mode === "reports") {
    const r = app.reports;
    title = r.result ? r.result.title || r.name : "";
    if (r.expand && r.expand.result) title = r.expand.result.title || title;
  } else if (app.mode === "query") {
    title = app.query.result ? "Query result" : "";
  }
  $("view-title").textContent = title;
  document.title = title ? `${title} · crm-kg` : "crm-kg browser";
}
