// crm-kg's graph browser: search, Explore (a neighbourhood graph that grows as you click), Reports (canned
// reports and pack queries from a form), Cypher (read-only queries). The view lives in the URL hash (state.js);
// the server's JSON API is web/API.md.

import "./app.css";
import { ApiError, get, onBusy, post } from "./api.js";
import { csvFile, download, pngBlob, toSvg } from "./export.js";
import { cellText, csvSafe, cypherText, el, isNodeValue, isPathValue, nameOf, rowPathNames, rowValues, safeUrl, supplySummary } from "./format.js";
import { Graph, percent, stageName } from "./graph.js";
import { formatHash, parseHash } from "./state.js";

const $ = (id) => document.getElementById(id);
const MAX_TABLE_ROWS = 500;
const SUPPLY_SUMMARY_ROWS = 12; // a longer supply table starts as its summary (supplySummary), with a "show all"

const app = {
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
window.kgApp = app;

// ---------------------------------------------------------------------------------------------------- errors

function showError(error) {
  if (error && error.name === "AbortError") return;
  const text = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s*\n\s*/g, " ");
  $("error-text").textContent = line;
  $("error-text").title = line;
  $("error").hidden = false;
  if (!(error instanceof ApiError)) console.error(error);
}

function clearError() {
  $("error").hidden = true;
  $("error-text").textContent = "";
  $("error-text").removeAttribute("title");
}

// ----------------------------------------------------------------------------------------------------- graph

function setupGraph() {
  const graph = new Graph($("graph"), {
    tooltip: $("tooltip"),
    onTap: (id) => onNodeTap(id),
    hint: (node) => (app.mode === "reports" && !app.reports.expand && expandable(node.data("name")) ? "Click to list its chains" : ""),
    onBackground: () => {
      if (app.mode !== "explore") graphOf().highlight(null);
    },
  });
  app.graph = graph;
  window.kgGraph = graph.cy;
  return graph;
}

const graphOf = () => app.graph;

function markFirstGraph() {
  if (app.firstGraphMarked || app.graph.cy.nodes().empty()) return;
  app.firstGraphMarked = true;
  // "drawn" = laid out and rendered: wait for cytoscape's next frame, then the browser's paint after it
  app.graph.cy.one("render", () => {
    requestAnimationFrame(() => {
      const mark = performance.mark("kg:first-graph");
      window.kgFirstGraphMs = mark && typeof mark.startTime === "number" ? mark.startTime : performance.now();
      document.documentElement.dataset.firstGraph = "drawn";
    });
  });
  app.graph.cy.forceRender ? app.graph.cy.forceRender() : app.graph.cy.resize();
}

function afterDraw() {
  const graph = graphOf();
  graph.legend($("legend"));
  const empty = graph.cy.nodes().empty();
  $("graph-empty").hidden = !empty;
  document.body.classList.toggle("no-graph", empty);
  markFirstGraph();
}

function setEmpty(text) {
  $("graph-empty").textContent = text;
}

function saveGraph(mode) {
  const cy = graphOf().cy;
  app.saved[mode] = { elements: cy.elements().jsons(), zoom: cy.zoom(), pan: { ...cy.pan() } };
}

function restoreGraph(mode) {
  const graph = graphOf();
  graph.clear();
  const saved = app.saved[mode];
  if (saved && saved.elements.length) {
    graph.cy.add(saved.elements);
    graph.cy.viewport({ zoom: saved.zoom, pan: saved.pan });
  }
  afterDraw();
}

// ------------------------------------------------------------------------------------------------ navigation

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
function record(replace = false) {
  const hash = formatHash(currentState());
  if (hash === location.hash) {
    app.applied = hash;
    return;
  }
  if (replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
  app.applied = location.hash;
}

function onLocationChange() {
  if (location.hash === app.applied) return;
  applyHash(location.hash).catch(showError);
}

async function applyHash(hash) {
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

function switchMode(mode, { record: push = true } = {}) {
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
  else if ($("side-panel").hidden) showSide(app.explore.select).catch(showError);
  if (mode === "reports") ensureCatalogue().catch(showError);
  if (mode === "explore") setEmpty(app.explore.focus ? "" : "Search an entity to draw its neighbourhood.");
  if (mode === "reports") setEmpty(app.reports.result ? "This result has no paths to draw." : "Choose a report or a pack query and run it.");
  if (mode === "query") setEmpty(app.query.result ? "This result has no nodes to draw." : "Run a query: nodes, relationships and paths it returns are drawn here.");
  updateStart();
  afterDraw();
  if (push) record();
}

function updateTitle() {
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

// ---------------------------------------------------------------------------------------------------- search

function setupSearch() {
  const input = $("search");
  const list = $("suggestions");
  let timer = 0;
  let controller = null;
  let results = []; // the answer for `resultsFor`, the text as last searched; [] while the text has changed since
  let resultsFor = "";
  let active = -1;
  let pickWhenFound = false; // Enter was pressed before the answer for the typed text came

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const cancel = () => {
    clearTimeout(timer);
    timer = 0;
    if (controller) controller.abort();
    controller = null;
  };
  const paint = () => {
    list.querySelectorAll("li").forEach((li, i) => {
      li.classList.toggle("active", i === active);
      li.setAttribute("aria-selected", String(i === active));
      if (i === active) {
        input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      }
    });
  };
  const pick = (result) => {
    cancel(); // a search still on its way must not reopen the list, nor be picked later
    pickWhenFound = false;
    if (!result) return;
    input.value = result.name;
    results = [];
    resultsFor = "";
    close();
    input.blur();
    focusOn(result.id, result.name).catch(showError);
  };
  const render = (query) => {
    list.replaceChildren();
    if (!results.length) {
      list.append(el("li", { class: "none", role: "option", "aria-disabled": "true" }, `Nothing matches “${query}”`));
    }
    results.forEach((result, i) => {
      const swatch = el("i", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = graphOf().colour(result.kind);
      const li = el(
        "li",
        { id: `suggestion-${i}`, role: "option", "data-testid": "search-suggestion", "data-id": result.id, "aria-selected": "false" },
        swatch,
        el("span", { class: "name" }, result.name),
        result.matched ? el("span", { class: "matched" }, `“${result.matched}”`) : null,
        el("span", { class: "kind" }, graphOf().kindLabel(result.kind)),
      );
      li.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(result);
      });
      list.append(li);
    });
    active = results.length ? 0 : -1;
    paint();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  };
  const search = async () => {
    clearTimeout(timer);
    timer = 0;
    const query = input.value.trim();
    if (controller) controller.abort();
    controller = null;
    if (!query) {
      results = [];
      resultsFor = "";
      pickWhenFound = false;
      close();
      return;
    }
    const mine = new AbortController();
    controller = mine;
    try {
      const body = await get("api/search", { q: query, limit: 12 }, mine.signal);
      if (controller !== mine || input.value.trim() !== query) return;
      controller = null;
      results = body.results || [];
      resultsFor = query;
      if (pickWhenFound) {
        pickWhenFound = false;
        if (results.length) {
          pick(results[0]);
          return;
        }
      }
      // only for someone still typing here: an answer that comes after they left must not cover the page
      if (document.activeElement === input) render(query);
    } catch (error) {
      if (controller === mine) controller = null;
      showError(error);
    }
  };
  input.addEventListener("input", () => {
    results = []; // the suggestions were for another text: Enter or focus must not pick or show them
    resultsFor = "";
    pickWhenFound = false;
    close();
    cancel();
    timer = setTimeout(search, 180);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) {
        search();
        return;
      }
      if (!results.length) return;
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + results.length) % results.length;
      paint();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const fresh = results.length && resultsFor === input.value.trim();
      if (fresh && !list.hidden) pick(results[Math.max(0, active)]);
      else if (fresh) pick(results[0]);
      else if (input.value.trim()) {
        pickWhenFound = true; // the answer for this text is pending (or not asked yet): pick its first result
        if (!controller) search();
      }
    } else if (event.key === "Escape") {
      pickWhenFound = false;
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(() => {
    if (document.activeElement !== input) close();
  }, 120));
  input.addEventListener("focus", () => {
    if (results.length && resultsFor === input.value.trim()) render(resultsFor);
  });
}

// --------------------------------------------------------------------------------------------------- explore

async function focusOn(id, name) {
  switchMode("explore", { record: false });
  openSide(); // before the layout, so that the graph is fitted to the room the panel leaves
  if (name) app.explore.names.set(id, name);
  await loadExplore(id, []);
  selectNode(id, { record: false, expand: false });
  record();
}

async function neighbourhood(id) {
  const body = await get("api/neighbourhood", { id, limit: 60 });
  addCypher(app.explore.cypher, body.cypher);
  for (const node of body.nodes || []) app.explore.names.set(node.id, node.name);
  return body;
}

async function loadExplore(focus, open) {
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

async function expand(id) {
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

function selectNode(id, { record: push = true } = {}) {
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
  showSide(id).catch(showError);
  if (push) record();
}

// ------------------------------------------------------------------------------------------------ side panel

function hideSide() {
  $("side-panel").hidden = true;
  document.body.classList.remove("with-side");
}

function openSide() {
  $("side-panel").hidden = false;
  document.body.classList.add("with-side");
}

async function showSide(id) {
  const body = $("side-body");
  openSide();
  body.replaceChildren(el("div", { class: "loading" }, el("span", { class: "dot" }), "Loading…"));
  const data = await get("api/node", { id });
  if (app.mode === "explore" && app.explore.select !== id) return;
  if (app.mode === "explore") {
    app.explore.nodeCypher = data.cypher || [];
    renderCypher();
  }
  const node = data.node;
  app.explore.names.set(node.id, node.name);
  const swatch = el("i", { class: "swatch" });
  swatch.style.background = graphOf().colour(node.kind);
  const actions = el(
    "div",
    { class: "row" },
    node.id !== app.explore.focus || app.mode !== "explore"
      ? el("button", { type: "button", class: "secondary small", onclick: () => focusOn(node.id, node.name).catch(showError) }, "Explore from here")
      : null,
  );
  const properties = Object.entries(node.properties || {}).filter(([k]) => k !== "name" && !k.startsWith("_"));
  properties.sort(([a], [b]) => (a === "uri") - (b === "uri") || a.localeCompare(b));
  const propertyTable = el(
    "table",
    { class: "props" },
    el(
      "tbody",
      {},
      properties.map(([key, value]) =>
        el("tr", {}, el("th", { scope: "row" }, key), el("td", {}, propertyValue(key, value))),
      ),
    ),
  );
  const parts = [
    el("h2", { class: "side-title" }, swatch, node.name),
    el("div", { class: "kind-badge" }, graphOf().kindLabel(node.kind), node.labels && node.labels.length ? ` · ${node.labels.filter((l) => l !== "Resource").join(", ")}` : ""),
    actions,
    el("h3", {}, "Properties"),
    properties.length ? propertyTable : el("p", { class: "muted" }, "No other properties."),
  ];
  const supply = data.supply || [];
  const sources = data.sources || [];
  const urls = new Map(sources.filter((s) => safeUrl(s.url)).map((s) => [s.title, safeUrl(s.url)]));
  if (supply.length) {
    const isCountry = node.kind === "Country" || node.kind === "CountryGroup";
    const cols = [isCountry ? "material" : "country", "stage", "scope", "share", "year", "source"];
    const summary = supply.length > SUPPLY_SUMMARY_ROWS ? supplySummary(supply) : supply;
    const tbody = el("tbody", {});
    const fill = (facts) =>
      tbody.replaceChildren(
        ...facts.map((fact) =>
          el(
            "tr",
            {},
            cols.map((c) => {
              const v = fact[c];
              if (c === "share") return el("td", { class: "num" }, percent(v));
              if (c === "stage") return el("td", {}, stageName(v));
              if (c === "scope") return el("td", {}, scopeName(v));
              if (c === "source") return el("td", { class: "source" }, sourceRefs(nameOf(v), sources, urls));
              return el("td", { class: c === "year" ? "num" : "" }, nameOf(v));
            }),
          ),
        ),
      );
    fill(summary);
    const summarised = summary.length < supply.length;
    const note = el("p", { class: "muted", "data-testid": "supply-note" }, summarised ? `The latest world figures of each stage: ${summary.length} of ${supply.length} facts.` : "");
    const toggle = summarised
      ? el("button", { type: "button", class: "link", "data-testid": "supply-toggle", "aria-expanded": "false" }, `Show all ${supply.length} facts`)
      : null;
    if (toggle) {
      toggle.addEventListener("click", () => {
        const all = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(all));
        toggle.textContent = all ? "Show the latest world figures only" : `Show all ${supply.length} facts`;
        note.hidden = all;
        fill(all ? supply : summary);
      });
    }
    parts.push(
      el("h3", {}, `Supply facts (${supply.length})`),
      summarised ? note : null,
      el(
        "div",
        { class: "scroll" },
        el("table", { class: "data", "data-testid": "supply-table" }, el("thead", {}, el("tr", {}, cols.map((c) => el("th", { scope: "col" }, c)))), tbody),
      ),
      toggle,
    );
  } else if (["Material", "Intermediate", "Country"].includes(node.kind)) {
    parts.push(el("h3", {}, "Supply facts"), el("p", { class: "muted" }, "No sourced supply figures for this entity."));
  }
  if (sources.length) parts.push(el("h3", {}, "Sources"), sourceList(sources));
  body.replaceChildren(...parts);
}

function scopeName(scope) {
  const text = nameOf(scope);
  if (/EUSourcing$/.test(text)) return "EU sourcing";
  if (/World$/.test(text)) return "world";
  return text.split(/[#/]/).pop();
}

function propertyValue(key, value) {
  if (Array.isArray(value)) return value.map((v) => cellText(v)).join("; ");
  const url = typeof value === "string" && /^https?:\/\//.test(value) ? safeUrl(value) : null;
  if (url && key !== "uri") return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, value);
  if (typeof value === "number" && /share|threshold/i.test(key) && value <= 1) return `${cellText(value)} (${percent(value)})`;
  return cellText(value);
}

/** A fact's sources as numbered references to the panel's source list, each a link where it has a url. */
function sourceRefs(text, sources, urls) {
  if (!text) return "";
  const titles = sources.map((s) => s.title);
  return text.split("; ").flatMap((title, i) => {
    const n = titles.indexOf(title) + 1;
    const url = urls.get(title);
    const label = n ? `[${n}]` : title;
    const ref = url
      ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", title }, label)
      : el("span", { title }, label);
    return i ? [" ", ref] : [ref];
  });
}

function sourceList(sources) {
  return el(
    "ol",
    { class: "sources" },
    sources.map((s) => {
      const url = safeUrl(s.url);
      const title = s.title || url || "untitled source";
      const publishers = Array.isArray(s.publisher) ? s.publisher.join(", ") : s.publisher;
      const meta = [publishers, s.year].filter(Boolean).join(", ");
      return el(
        "li",
        {},
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : title,
        meta ? el("span", { class: "muted" }, ` — ${meta}`) : null,
      );
    }),
  );
}

// --------------------------------------------------------------------------------------------------- reports

async function ensureCatalogue() {
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

function runnable(kind, name) {
  const r = app.reports;
  return kind === "pack" ? (r.packs || []).find((q) => q.name === name) : (r.catalogue || []).find((x) => x.name === name);
}

/** Choose a report or pack query and build its form, with `values` (from the URL) over the examples. */
function selectRunnable(kind, name, values = {}) {
  const r = app.reports;
  const item = runnable(kind, name);
  $("report-select").value = kind === "report" && item ? name : "";
  $("pack-select").value = kind === "pack" && item ? name : "";
  const fields = $("report-fields");
  fields.replaceChildren();
  $("report-run").disabled = !item;
  if (!item) {
    $("report-description").textContent = name ? `There is no ${kind === "pack" ? "pack query" : "report"} called “${name}”.` : "";
    if (name) showError(new Error(`unknown ${kind === "pack" ? "pack query" : "report"}: ${name}`));
    r.kind = null;
    r.name = "";
    updateStart();
    return;
  }
  r.kind = kind;
  r.name = name;
  $("report-description").textContent = kind === "pack" ? item.question || item.description || "" : item.description || "";
  for (const param of item.params || []) fields.append(paramField(kind, param, values[param.name]));
  updateStart();
}

function paramField(kind, param, given) {
  const id = `param-${param.name}`;
  const type = param.type || "string";
  // A required parameter starts at its example; an optional one empty, its example shown as a placeholder, so that
  // it means what the report or query does without it (e.g. every stage), not the example's one value.
  const required = Boolean(param.required) || (kind === "pack" && param.example === undefined);
  const value = given !== undefined ? given : required ? param.example : undefined;
  const example = param.example === undefined || param.example === null ? "" : typeof param.example === "object" ? JSON.stringify(param.example) : String(param.example);
  const label = param.label || param.name.replace(/_/g, " ");
  let input;
  if (type === "choice" && Array.isArray(param.choices)) {
    input = el("select", { id, name: param.name });
    if (!param.required) input.append(el("option", { value: "" }, "(any)"));
    for (const choice of param.choices) input.append(el("option", { value: String(choice) }, String(choice)));
    input.value = value === undefined || value === null ? "" : String(value);
  } else if (type === "boolean") {
    input = el("input", { id, name: param.name, type: "checkbox" });
    input.checked = value === true || value === "true";
  } else {
    const htmlType = type === "date" ? "date" : type === "integer" || type === "float" ? "number" : "text";
    input = el("input", { id, name: param.name, type: htmlType, step: type === "integer" ? "1" : type === "float" ? "any" : undefined, spellcheck: "false", placeholder: example || undefined });
    if (value !== undefined && value !== null) input.value = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  input.dataset.type = type;
  input.dataset.param = param.name;
  if (required) input.required = true;
  const doc = param.doc ? el("span", { class: "doc" }, param.doc) : null;
  return el("label", { class: "field", for: id }, el("span", {}, label, input.required ? el("span", { class: "req", title: "required" }, " *") : ""), input, doc);
}

function formValues() {
  const params = {};
  for (const input of $("report-fields").querySelectorAll("[data-param]")) {
    const type = input.dataset.type;
    const name = input.dataset.param;
    if (type === "boolean") {
      params[name] = input.checked;
      continue;
    }
    const text = input.value.trim();
    if (text === "") continue;
    if (type === "integer") params[name] = Number.parseInt(text, 10);
    else if (type === "float") params[name] = Number(text);
    else if (type === "map" || /^list/.test(type)) {
      try {
        params[name] = JSON.parse(text);
      } catch {
        params[name] = text.split(",").map((s) => s.trim()).filter(Boolean);
      }
    } else params[name] = text;
  }
  return params;
}

async function runReport({ record: push = true } = {}) {
  const r = app.reports;
  if (!r.name) return;
  const form = $("report-form");
  if (push && !form.reportValidity()) return;
  const params = formValues();
  r.params = params;
  r.expand = null; // a new run shows the report itself, its chains collapsed
  if (push) record();
  const generation = ++app.generation;
  clearError();
  spinner(true);
  $("report-run").disabled = true;
  showRunning();
  try {
    const path = r.kind === "pack" ? "api/packs/run" : "api/reports/run";
    const body = await post(path, { name: r.name, params });
    if (generation !== app.generation) return;
    r.cypher = [];
    addCypher(r.cypher, body.cypher);
    if (r.kind === "pack") {
      r.result = { title: r.name, description: runnable("pack", r.name)?.question || "", sections: [{ title: r.name, text: "", columns: body.columns, rows: body.rows, graph: body.graph, truncated: body.truncated }], sources: [] };
    } else {
      r.result = body;
    }
    await drawResult(r, r.result.sections);
  } catch (error) {
    if (generation !== app.generation) return;
    showFailedRun(r, error);
  } finally {
    spinner(false);
    $("report-run").disabled = !r.name;
  }
  renderCypher();
  updateTitle();
}

/** The results pane while a report or query runs. */
function showRunning() {
  $("results").replaceChildren(el("div", { class: "loading" }, el("span", { class: "dot" }), "Running…"));
  $("results").hidden = false;
}

/** A run that failed: no result, tables or graph left of `target` (a report's or the query's state); the error shown. */
function showFailedRun(target, error) {
  target.result = null;
  target.tables = [];
  target.paths = [];
  $("results").replaceChildren();
  $("results").hidden = true;
  graphOf().clear();
  afterDraw();
  showError(error);
}

/** The tables and the graph of a result's sections. */
async function drawResult(target, sections) {
  const drawn = await drawSections(sections);
  target.tables = drawn.tables;
  target.paths = drawn.paths;
  renderResults();
}

/** Draw the graph of a result's sections (its paths left to right, the first one highlighted, fitted readable); returns
 * the sections as tables (each row with its path, if it has one) and the paths. */
async function drawSections(sections) {
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
    await graph.layered(target.paths);
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

function renderResults() {
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
  target.tables.forEach((table, t) => parts.push(tableSection(table, t, { expanding: app.mode === "reports", highlighted })));
  const sources = target.result.sources || [];
  if (sources.length) parts.push(el("section", { class: "result-section" }, el("h2", {}, "Sources"), sourceList(sources)));
  results.replaceChildren(...parts);
}

/** A section that is a finding in itself (one row, one column `finding`): a sentence, not a one-cell table. */
const isFinding = (table) => table.columns.length === 1 && table.columns[0] === "finding";

/** One result section: its head, text and table (or its finding as a sentence). Rows with a path highlight it; in a
 * report whose target the `chains` report can take, a row naming a material lists that material's chains. */
function tableSection(table, t, { expanding = false, testid = "result-table", highlighted = null } = {}) {
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
  const materialAt = expanding ? table.columns.indexOf("material") : -1;
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
          ? () => expandChains(material, 1).catch(showError)
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

// ----------------------------------------------------------------------------------------- a material's chains

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
function expandable(name) {
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
async function expandChains(material, page = 1, { record: push = true } = {}) {
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
    const drawn = await drawSections(body.sections || []);
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
async function collapseChains({ record: push = true } = {}) {
  const r = app.reports;
  if (!r.expand) return;
  r.expand = null;
  app.generation += 1; // a chains answer still on its way is not drawn
  if (push) record();
  if (r.result) await drawResult(r, r.result.sections || []);
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

// ----------------------------------------------------------------------------------------------- start view

// Worked questions for a first visit: each opens a canned report with its parameters filled in and runs it. The
// reports, their titles and their parameters' labels come from the catalogue (GET /api/reports); a question whose
// report or parameters the catalogue does not have is left out.
const QUESTIONS = [
  {
    question: "What in a car depends on dysprosium?",
    run: { report: "chains", params: { material: "dysprosium", kind: "Sector", name: "Automotive" } },
    also: [
      { text: "everything downstream of dysprosium", report: "dependencies", params: { material: "dysprosium" } },
      { text: "the automotive sector's exposure, worst first", report: "exposure", params: { kind: "Sector", name: "Automotive" } },
    ],
  },
  {
    question: "Who controls the gallium supply?",
    run: { report: "concentration", params: { material: "gallium" } },
    also: [{ text: "the companies China controls", report: "ownership", params: { country: "CN" } }],
  },
  {
    question: "What do China's April 2025 controls reach?",
    run: { report: "scenario", params: { country: "CN", material: "dysprosium", as_of: "2025-06-01" } },
    also: [
      { text: "the same on 1 April 2025, before they took effect", report: "scenario", params: { country: "CN", material: "dysprosium", as_of: "2025-04-01" } },
      { text: "terbium, also covered", report: "scenario", params: { country: "CN", material: "terbium", as_of: "2025-06-01" } },
    ],
  },
  {
    question: "What does a wheel-speed sensor depend on?",
    run: { report: "exposure", params: { kind: "Component", name: "Wheel-speed sensor" } },
    also: [{ text: "its chains from dysprosium", report: "chains", params: { material: "dysprosium", kind: "Component", name: "Wheel-speed sensor" } }],
  },
];

/** The link that opens a report with these parameters, or null if the catalogue has no such report or parameter. */
function reportLink(report, params) {
  const entry = runnable("report", report);
  if (!entry) return null;
  const known = new Map((entry.params || []).map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(params)) {
    const param = known.get(name);
    if (!param) return null;
    if (param.type === "choice" && Array.isArray(param.choices) && !param.choices.some((c) => String(c).toLowerCase() === String(value).toLowerCase())) return null;
  }
  return { entry, href: formatHash({ mode: "reports", kind: "report", name: report, params }) };
}

/** "Material: dysprosium · What it goes into: Sector", with the catalogue's labels (less their "(default: …)"). */
function paramSummary(entry, params) {
  const labels = new Map((entry.params || []).map((p) => [p.name, String(p.label || p.name).replace(/\s*\(default:[^)]*\)\s*$/, "")]));
  return Object.entries(params).map(([name, value]) => `${labels.get(name) || name}: ${value}`).join(" · ");
}

function renderStart() {
  const start = $("start");
  const questions = [];
  for (const q of QUESTIONS) {
    const main = reportLink(q.run.report, q.run.params);
    if (!main) continue;
    const also = (q.also || []).map((a) => ({ ...a, link: reportLink(a.report, a.params) })).filter((a) => a.link);
    questions.push(
      el(
        "li",
        { class: "question" },
        el("a", { class: "ask", href: main.href, "data-testid": "start-question" }, q.question),
        el("p", { class: "runs" }, el("span", { class: "report-name" }, main.entry.title), ` — ${paramSummary(main.entry, q.run.params)}`),
        also.length
          ? el("p", { class: "also" }, "Or: ", ...also.flatMap((a, i) => [i ? " · " : "", el("a", { href: a.link.href, "data-testid": "start-also", title: `${a.link.entry.title} — ${paramSummary(a.link.entry, a.params)}` }, a.text)]))
          : null,
      ),
    );
  }
  // every report of the catalogue, with the examples of its required parameters
  const reports = (app.reports.catalogue || []).map((entry) => {
    const params = {};
    for (const p of entry.params || []) if (p.required && p.example !== undefined && p.example !== null) params[p.name] = String(p.example);
    const href = formatHash({ mode: "reports", kind: "report", name: entry.name, params });
    const example = Object.values(params).join(", ");
    return el("li", {}, el("a", { href, "data-testid": "start-report", title: entry.description || "" }, entry.title || entry.name), example ? el("span", { class: "muted" }, ` — e.g. ${example}`) : null);
  });
  start.replaceChildren(
    el("h1", { id: "start-title" }, "What do we depend on, through what, and from whom?"),
    el(
      "p",
      { class: "lead" },
      "Start with a question: each opens a report with its parameters filled in and runs it. The form on the left then holds them, to change and run again.",
    ),
    questions.length ? el("ol", { class: "questions", "data-testid": "start-questions" }, questions) : null,
    el(
      "div",
      { class: "start-more" },
      el(
        "section",
        {},
        el("h2", {}, "How the page works"),
        el(
          "ul",
          { class: "tips" },
          el("li", {}, el("b", {}, "Explore: "), "search a material, company, component or country above; click a node to expand it and to read its supply facts and sources."),
          el("li", {}, el("b", {}, "Reports: "), "tables and a graph of the paths; click a row to highlight its path. In an exposure report, click a material to list its chains."),
          el("li", {}, el("b", {}, "Cypher: "), "your own read-only queries. Every view shows the Cypher behind it and keeps its state in the link."),
        ),
      ),
      reports.length ? el("section", {}, el("h2", {}, "Every report, with an example"), el("ul", { class: "reports" }, reports)) : null,
    ),
  );
  start.dataset.rendered = "true";
}

/** The start view: instead of an empty graph, in Explore with nothing searched and in Reports with nothing chosen. */
function updateStart() {
  const show = (app.mode === "explore" && !app.explore.focus) || (app.mode === "reports" && !app.reports.name && !app.reports.result);
  document.body.classList.toggle("starting", show);
  $("start").hidden = !show;
  if (show && !$("start").dataset.rendered) {
    // at the next frame, if still shown: a link to a view passes by here before its view is set
    requestAnimationFrame(() => {
      if ($("start").hidden || $("start").dataset.rendered) return;
      renderStart(); // the tips at once; the questions once the catalogue is there
      ensureCatalogue().then(renderStart, () => {});
    });
  }
}

// ---------------------------------------------------------------------------------------------------- Cypher

async function runQuery({ record: push = true } = {}) {
  const q = app.query;
  const cypher = $("query-text").value;
  let params = {};
  const paramText = $("query-params").value.trim();
  if (paramText) {
    try {
      params = JSON.parse(paramText);
      if (!params || typeof params !== "object" || Array.isArray(params)) throw new Error("not an object");
    } catch {
      showError(new Error('the parameters must be a JSON object, e.g. {"name": "gallium"}'));
      return;
    }
  }
  if (!cypher.trim()) {
    showError(new Error("type a Cypher query first"));
    return;
  }
  q.cypher = cypher;
  q.params = params;
  $("query-note").hidden = true;
  if (push) record();
  const generation = ++app.generation;
  clearError();
  spinner(true);
  showRunning();
  try {
    const body = await post("api/query", { cypher, params });
    if (generation !== app.generation) return;
    q.log = [];
    addCypher(q.log, body.cypher || [{ name: "query", text: cypher, params }]);
    q.result = { title: "Query result", sections: [{ title: "Query result", columns: body.columns, rows: body.rows, graph: body.graph, truncated: body.truncated }], sources: [] };
    await drawResult(q, q.result.sections);
  } catch (error) {
    if (generation !== app.generation) return;
    showFailedRun(q, error);
  } finally {
    spinner(false);
  }
  renderCypher();
  updateTitle();
}

function addCypher(list, entries) {
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

function renderCypher() {
  const entries = cypherEntries();
  const pre = $("cypher-text");
  pre.textContent = entries.length ? cypherText(entries) : "// Nothing has run in this view yet.";
  const toggle = $("cypher-toggle");
  const open = toggle.getAttribute("aria-expanded") === "true";
  toggle.textContent = `${open ? "Hide" : "Show"} the Cypher behind this view${entries.length ? ` (${entries.length} quer${entries.length === 1 ? "y" : "ies"})` : ""}`;
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea", { class: "visually-hidden" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const before = button.textContent;
  button.textContent = "Copied";
  setTimeout(() => {
    button.textContent = before;
  }, 1200);
}

// ----------------------------------------------------------------------------------------------------- export

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

function exportCsv(only) {
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

async function exportPng() {
  const cy = graphOf().cy;
  if (cy.nodes().empty()) return showError(new Error("there is no graph to export yet"));
  const blob = await pngBlob(cy);
  download(`${viewName()}.png`, blob);
}

function exportSvg() {
  const cy = graphOf().cy;
  if (cy.nodes().empty()) return showError(new Error("there is no graph to export yet"));
  const graph = graphOf();
  const kinds = [...new Set(cy.nodes().map((n) => n.data("kind")))];
  const legend = kinds.map((kind) => ({ label: graph.kindLabel(kind), colour: graph.colour(kind) }));
  const svg = toSvg(cy, { title: $("view-title").textContent || "crm-kg graph", legend });
  download(`${viewName()}.svg`, new Blob([svg], { type: "image/svg+xml" }));
}

// ----------------------------------------------------------------------------------------------------- misc

function spinner(on) {
  const s = $("graph-spinner");
  app.spinning = (app.spinning || 0) + (on ? 1 : -1);
  s.hidden = app.spinning <= 0;
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

// The worked examples of queries/README.md: a start for analysts new to the graph model.
const EXAMPLES = [
  {
    title: "What dysprosium goes into, down to products",
    cypher: "MATCH p = (m:Material {name: 'dysprosium'})-[:USED_IN*1..6]->(x:Product)\nRETURN x.name AS product, p\nORDER BY product",
  },
  {
    title: "Who supplies gallium at the processing stage",
    cypher:
      "MATCH (s:SupplyShare)-[:MATERIAL]->(m:Material {name: $material}),\n      (s)-[:STAGE]->(st:Stage), (s)-[:SCOPE]->(scope), (s)-[:SUPPLIER]->(c:Country), (s)-[:SOURCE]->(src:Source)\nWHERE st.uri ENDS WITH '/processing' AND scope.uri ENDS WITH '#World'\nRETURN c.name AS country, s.share AS share, s.referenceYear AS year, src.title AS source\nORDER BY year DESC, share DESC",
    params: { material: "gallium" },
  },
  {
    title: "China's export controls on dysprosium, 1 June 2025",
    cypher:
      "MATCH (x:ExportControl)-[by:ISSUED_BY]->(c:Country {iso2: 'CN'}),\n      (x)-[covers:COVERS_MATERIAL]->(m:Material {name: 'dysprosium'})\nWHERE x.effectiveFrom <= date('2025-06-01')\n  AND NOT (x.suspendedFrom IS NOT NULL AND x.suspendedFrom <= date('2025-06-01')\n           AND (x.suspendedUntil IS NULL OR date('2025-06-01') <= x.suspendedUntil))\nRETURN x, by, c, covers, m",
  },
];

function renderExamples() {
  $("query-examples").replaceChildren(
    ...EXAMPLES.map((example) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => {
              $("query-text").value = example.cypher;
              $("query-params").value = example.params ? JSON.stringify(example.params) : "";
              runQuery().catch(showError);
            },
          },
          example.title,
        ),
      ),
    ),
  );
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

async function start() {
  setupGraph();
  wire();
  setupSearch();
  onBusy((busy) => document.body.classList.toggle("busy", busy));
  // The graph's first query runs while /api/info answers; nothing is drawn before the kinds' colours are known.
  app.infoReady = loadInfo().catch(showError);
  await applyHash(location.hash);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => start().catch(showError));
else start().catch(showError);
