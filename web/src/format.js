// Cell values of result rows (JSON-ready values of kg.reports.output.plain) as text.

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
    const named = value.name ?? value.title ?? value.id;
    if (named !== null && named !== undefined) return String(named);
    // a map: its filled entries as "key: value", never a literal null
    return Object.entries(value)
      .map(([key, v]) => [key, plainText(v, key, false)])
      .filter(([, text]) => text !== "")
      .map(([key, text]) => `${key}: ${text}`)
      .join(", ");
  }
  return String(value);
}

const isPathColumn = (column) => column === "path" || column === "chain" || /_path$|_chain$/.test(column);
/** A column of fractions that people read as percentages (kg.reports.output.is_percent_column, as the terminal). */
export const isPercentColumn = (column) => ["share", "coverage", "import_reliance"].includes(column) || /_share$/.test(column);

/** A float with at most four decimals (kg.reports.output's _number); very large or small ones with 4 significant
 * digits. Whole numbers as they are. */
export function numberText(value) {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1e9 || Math.abs(value) < 1e-4) return value.toPrecision(4);
  const text = value.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}

/** A fraction as a percentage with at most one decimal: 0.849 -> "84.9%", 1 -> "100%" (kg.reports.output's _percent). */
export function percentText(fraction) {
  if (!Number.isFinite(fraction)) return String(fraction);
  let text = (fraction * 100).toFixed(1).replace(/\.0$/, "");
  if (text === "-0") text = "0";
  return `${text}%`;
}

/** Text for a table cell (display); `raw` (CSV) keeps numbers as they are and defuses text that a spreadsheet would
 * run as a formula (csvSafe): a number such as -3 stays a number. */
export function cellText(value, column = "", raw = false) {
  const text = plainText(value, column, raw);
  return raw && typeof value !== "number" ? csvSafe(text) : text;
}

function plainText(value, column, raw) {
  if (value === null || value === undefined) return "";
  if (isPathValue(value)) return value.nodes.map(nameOf).join(" → ");
  if (Array.isArray(value)) {
    // empty entries (null) are left out: no "a; ; b"
    const texts = value.map((v) => plainText(v, "", raw)).filter((text) => text !== "");
    return texts.join(isPathColumn(column) ? " → " : "; ");
  }
  if (typeof value === "object") return nameOf(value);
  if (typeof value === "number") {
    if (raw) return String(value);
    return isPercentColumn(column) ? percentText(value) : numberText(value);
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** Text that a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or a carriage return: OWASP's
 * CSV injection list) behind a ' that keeps it text. Only text goes through here: a number such as -3 stays one. */
export function csvSafe(text) {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The queries of a view as a script for `kg shell` (or Neo4j Browser): each query's :param lines, a comment naming
 * it, its text, and the `;` that ends it on a line of its own (a last line ending in a // comment would swallow it). */
export function cypherText(entries) {
  return entries
    .map((entry, i) => {
      const lines = [];
      for (const [key, value] of Object.entries(entry.params || {})) lines.push(`:param ${key} => ${JSON.stringify(value)}`);
      lines.push(`// ${i + 1}. ${entry.name || "query"}`);
      const text = String(entry.text || "").trim().replace(/;$/, "").trimEnd();
      lines.push(text, ";");
      return lines.join("\n");
    })
    .join("\n\n");
}

/** A long supply table's summary (the node panel's): the world-scope facts of the latest year of each (material,
 * stage), latest year first, then largest share. The EU's sourcing shares and older years are behind "show all". */
export function supplySummary(supply) {
  const world = supply.filter((fact) => /world$/i.test(nameOf(fact.scope))); // "world" (crm:World), or its uri
  const key = (fact) => `${nameOf(fact.material)}\u0000${nameOf(fact.stage)}`;
  const latest = new Map();
  for (const fact of world) {
    const year = typeof fact.year === "number" ? fact.year : -Infinity;
    if (!latest.has(key(fact)) || year > latest.get(key(fact))) latest.set(key(fact), year);
  }
  return world
    .filter((fact) => (typeof fact.year === "number" ? fact.year : -Infinity) === latest.get(key(fact)))
    .sort((a, b) => (b.year ?? -Infinity) - (a.year ?? -Infinity) || (b.share ?? 0) - (a.share ?? 0));
}

export function rowValues(row, columns) {
  if (Array.isArray(row)) return row;
  if (row && typeof row === "object") return columns.map((c) => row[c]);
  return [row];
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
