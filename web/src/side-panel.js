// The side panel: a node's properties, its supply facts and their sources.

import { get } from "./api.js";
import { renderCypher } from "./cypher-panel.js";
import { showError } from "./errors.js";
import { cellText, el, nameOf, safeUrl, supplySummary } from "./format.js";
import { graphOf } from "./graph-pane.js";
import { percent, stageName } from "./graph.js";
import { $, app } from "./page.js";

const SUPPLY_SUMMARY_ROWS = 12; // a longer supply table starts as its summary (supplySummary), with a "show all"

export function hideSide() {
  $("side-panel").hidden = true;
  document.body.classList.remove("with-side");
}

export function openSide() {
  $("side-panel").hidden = false;
  document.body.classList.add("with-side");
}

/** Show node `id` in the panel; its "Explore from here" button calls `explore(id, name)`. */
export async function showSide(id, explore) {
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
      ? el("button", { type: "button", class: "secondary small", onclick: () => explore(node.id, node.name).catch(showError) }, "Explore from here")
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

export function sourceList(sources) {
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
