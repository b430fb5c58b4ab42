// The page's state in its URL hash (web/API.md):
//   #/explore?focus=URI&open=URI,URI&select=URI
//   #/report/NAME?param=value&...[&~chains=MATERIAL[&~page=N]]   (a material's chains expanded, web/API.md)
//   #/pack/NAME?param=<JSON>&...
//   #/query?cypher=...&params=<JSON>
// Each value is percent-encoded on its own, so a comma inside a uri cannot split the `open` list.

const enc = encodeURIComponent;
// Keys of a report's link that are the page's, not the report's: "~" starts no parameter name.
const EXPAND = "~chains";
const EXPAND_PAGE = "~page";

function dec(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

export function parseHash(hash) {
  const text = (hash || "").replace(/^#/, "");
  const [pathPart, queryPart = ""] = text.split(/\?(.*)/s);
  const segments = pathPart.split("/").filter(Boolean).map(dec);
  // Objects without a prototype: a key such as __proto__ or constructor from a link is a plain key, never
  // Object.prototype's (which `raw.constructor` or `params.__proto__ = ...` would reach in a `{}`).
  const raw = Object.create(null);
  for (const pair of queryPart.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const key = dec(at < 0 ? pair : pair.slice(0, at));
    raw[key] = at < 0 ? "" : pair.slice(at + 1);
  }
  const value = (key) => (key in raw ? dec(raw[key]) : undefined);
  const mode = segments[0] || "explore";
  if (mode === "report" || mode === "pack") {
    const params = Object.create(null);
    let expand = null;
    if (mode === "report" && EXPAND in raw) {
      // not a parameter of the report: the material whose chains are expanded, and their page
      const page = Number.parseInt(value(EXPAND_PAGE) || "1", 10);
      expand = { material: value(EXPAND), page: Number.isFinite(page) && page > 1 ? page : 1 };
    }
    for (const key of Object.keys(raw)) {
      if (mode === "report" && (key === EXPAND || key === EXPAND_PAGE)) continue;
      const v = value(key);
      if (mode === "pack") {
        try {
          params[key] = JSON.parse(v);
        } catch {
          params[key] = v;
        }
      } else {
        params[key] = v;
      }
    }
    const state = { mode: "reports", kind: mode, name: segments[1] || "", params };
    if (expand && expand.material) state.expand = expand;
    return state;
  }
  if (mode === "reports") return { mode: "reports", kind: null, name: "", params: {} };
  if (mode === "query") {
    let params = {};
    try {
      params = raw.params ? JSON.parse(value("params")) : {};
    } catch {
      params = {};
    }
    return { mode: "query", cypher: value("cypher") || "", params };
  }
  const open = raw.open ? raw.open.split(",").filter(Boolean).map(dec) : [];
  return { mode: "explore", focus: value("focus") || "", open, select: value("select") || "" };
}

export function formatHash(state) {
  const query = (pairs) => {
    const text = pairs.filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => `${enc(k)}=${v}`).join("&");
    return text ? `?${text}` : "";
  };
  if (state.mode === "reports") {
    if (!state.name) return "#/reports";
    const isPack = state.kind === "pack";
    const pairs = Object.entries(state.params || {}).map(([k, v]) => [k, enc(isPack ? JSON.stringify(v) : String(v))]);
    if (!isPack && state.expand && state.expand.material) {
      pairs.push([EXPAND, enc(state.expand.material)]);
      if (state.expand.page > 1) pairs.push([EXPAND_PAGE, String(state.expand.page)]);
    }
    return `#/${isPack ? "pack" : "report"}/${enc(state.name)}${query(pairs)}`;
  }
  if (state.mode === "query") {
    const params = state.params && Object.keys(state.params).length ? enc(JSON.stringify(state.params)) : "";
    return `#/query${query([["cypher", state.cypher ? enc(state.cypher) : ""], ["params", params]])}`;
  }
  if (!state.focus) return "#/explore";
  return `#/explore${query([
    ["focus", enc(state.focus)],
    ["open", (state.open || []).map(enc).join(",")],
    ["select", state.select ? enc(state.select) : ""],
  ])}`;
}
