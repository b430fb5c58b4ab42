// Cell values of result rows (JSON-ready values of kg.report_output.plain) as text.

export function isNodeValue(value) {
  return value && typeof value === "object" && !Array.isArray(value) && Array.isArray(value.labels) && value.properties;
}

export function isPathValue(value) {
  return value && typeof value === "object" && Array.isArray(value.nodes) && Array.isArray(value.relationships);
}

export function nameOf(value) {
  if (value === null || value === undefined) return "";
  if (isNodeValue(value)) {
    const p = value.properties;
    return String(p.name ?? p.title ?? p.uri ?? value.labels.join(":"));
  }
  if (typeof value === "object" && !Array.isArray(value)) {
    if (value.type && value.properties) return value.type;
    return String(value.name ?? value.title ?? value.id ?? JSON.stringify(value));
  }
  return String(value);
}

const isPathColumn = (column) => column === "path" || column === "chain" || /_path$|_chain$/.test(column);
const isShareColumn = (column) => /(^|_)share$/.test(column);

/** Text for a table cell (display); `raw` keeps numbers as they are (CSV). */
export function cellText(value, column = "", raw = false) {
  if (value === null || value === undefined) return "";
  if (isPathValue(value)) return value.nodes.map(nameOf).join(" → ");
  if (Array.isArray(value)) return value.map((v) => cellText(v, "", raw)).join(isPathColumn(column) ? " → " : "; ");
  if (typeof value === "object") return nameOf(value);
  if (typeof value === "number") {
    if (!raw && isShareColumn(column) && value >= 0 && value <= 1) return `${(value * 100).toFixed(value >= 0.1 ? 0 : 1)}%`;
    if (!raw && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

export function rowValues(row, columns) {
  if (Array.isArray(row)) return row;
  if (row && typeof row === "object") return columns.map((c) => row[c]);
  return [row];
}

export function isNumeric(value) {
  return typeof value === "number";
}

/** The names (or uris) along the path a result row stands for, if it has one. */
export function rowPathNames(row, columns) {
  const values = rowValues(row, columns);
  for (let i = 0; i < columns.length; i += 1) {
    const v = values[i];
    if (isPathColumn(columns[i]) && Array.isArray(v)) return v.map(nameOf);
    if (isPathValue(v)) return v.nodes.map((n) => (isNodeValue(n) && n.properties.uri) || nameOf(n));
  }
  return null;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function safeUrl(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}
