// The search box: suggestions as you type, keyboard choice, and Enter before the answer came.

import { get } from "./api.js";
import { showError } from "./errors.js";
import { el } from "./format.js";
import { graphOf } from "./graph-pane.js";
import { focusOn } from "./navigation.js";
import { $ } from "./page.js";

export function setupSearch() {
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
