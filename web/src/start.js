// The start view: worked questions and every report, instead of an empty graph.

import { ensureCatalogue, runnable } from "./catalogue.js";
import { el } from "./format.js";
import { $, app } from "./page.js";
import { formatHash } from "./state.js";

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
export function updateStart() {
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
