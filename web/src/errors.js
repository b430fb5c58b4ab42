// The error bar above the graph: one readable line per failure.

import { ApiError } from "./api.js";
import { $ } from "./page.js";

export function showError(error) {
  if (error && error.name === "AbortError") return;
  const text = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  const line = text.replace(/\s*\n\s*/g, " ");
  $("error-text").textContent = line;
  $("error-text").title = line;
  $("error").hidden = false;
  if (!(error instanceof ApiError)) console.error(error);
}

export function clearError() {
  $("error").hidden = true;
  $("error-text").textContent = "";
  $("error-text").removeAttribute("title");
}
