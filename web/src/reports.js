// Reports: the form of the report or pack query chosen, and running it.

import { record } from "./address.js";
import { post } from "./api.js";
import { runnable } from "./catalogue.js";
import { addCypher, renderCypher } from "./cypher-panel.js";
import { clearError, showError } from "./errors.js";
import { el } from "./format.js";
import { spinner } from "./graph-pane.js";
import { $, app, updateTitle } from "./page.js";
import { drawResult, tableResult } from "./results.js";
import { updateStart } from "./start.js";
import { showFailedRun, showRunning } from "./tables.js";

/** Choose a report or pack query and build its form, with `values` (from the URL) over the examples. */
export function selectRunnable(kind, name, values = {}) {
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

export async function runReport({ record: push = true } = {}) {
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
      r.result = tableResult(r.name, body, runnable("pack", r.name)?.question || "");
    } else {
      r.result = body;
    }
    await drawResult(r, r.result);
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
