// Exports: the graph as PNG (cytoscape's own renderer) or SVG (our serialiser), tables as CSV.

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function pngBlob(cy) {
  return cy.png({ full: true, bg: "white", scale: 2, maxWidth: 8000, maxHeight: 8000, output: "blob" });
}

const xml = (text) =>
  String(text ?? "").replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]);

const num = (value) => (Math.round(value * 10) / 10).toString();

/** ` opacity="…"` for an element drawn faded, else nothing. */
const opacityAttr = (element) => {
  const opacity = parseFloat(element.style("opacity"));
  return opacity < 1 ? ` opacity="${num(opacity)}"` : "";
};

/** A standalone SVG of the graph as drawn: node positions, shapes' colours, labels, edges and their labels. */
export function toSvg(cy, { title = "crm-kg graph", legend = [] } = {}) {
  const elements = cy.elements(":visible");
  const box = elements.boundingBox({ includeLabels: true, includeOverlays: false });
  const pad = 20;
  const legendHeight = legend.length ? 28 : 0;
  const x0 = box.x1 - pad;
  const y0 = box.y1 - pad;
  const width = Math.max(1, box.w + 2 * pad, legend.length * 120);
  const height = Math.max(1, box.h + 2 * pad + legendHeight);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x0)} ${num(y0)} ${num(width)} ${num(height)}" ` +
      `width="${Math.ceil(width)}" height="${Math.ceil(height)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">`,
    `<title>${xml(title)}</title>`,
    `<rect x="${num(x0)}" y="${num(y0)}" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>`,
  );
  const markers = new Map();
  const marker = (colour) => {
    if (!markers.has(colour)) markers.set(colour, `arrow${markers.size}`);
    return markers.get(colour);
  };
  const edges = [];
  cy.edges(":visible").forEach((edge) => {
    const s = edge.sourceEndpoint();
    const t = edge.targetEndpoint();
    const m = edge.midpoint();
    const colour = edge.style("line-color");
    const w = parseFloat(edge.style("width")) || 1;
    const op = opacityAttr(edge);
    // a quadratic curve through the rendered midpoint: control = (4m - s - t) / 2
    const cx = (4 * m.x - s.x - t.x) / 2;
    const cyy = (4 * m.y - s.y - t.y) / 2;
    const dash = edge.style("line-style") === "dashed" ? ' stroke-dasharray="6 4"' : "";
    const arrow = edge.style("target-arrow-shape") !== "none" ? ` marker-end="url(#${marker(colour)})"` : "";
    edges.push(
      `<path d="M${num(s.x)},${num(s.y)} Q${num(cx)},${num(cyy)} ${num(t.x)},${num(t.y)}" fill="none" stroke="${xml(colour)}" ` +
        `stroke-width="${num(w)}"${dash}${arrow}${op}/>`,
    );
    const label = edge.data("label");
    if (label) {
      const size = parseFloat(edge.style("font-size")) || 8;
      edges.push(
        `<text x="${num(m.x)}" y="${num(m.y)}" font-size="${num(size)}" text-anchor="middle" dominant-baseline="middle" ` +
          `fill="${xml(edge.style("color"))}" stroke="#ffffff" stroke-width="3" paint-order="stroke"` +
          `${op}>${xml(label)}</text>`,
      );
    }
  });
  if (markers.size) {
    out.push("<defs>");
    for (const [colour, id] of markers) {
      out.push(
        `<marker id="${id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">` +
          `<path d="M0,0 L10,5 L0,10 z" fill="${xml(colour)}"/></marker>`,
      );
    }
    out.push("</defs>");
  }
  out.push('<g class="edges">', ...edges, "</g>", '<g class="nodes">');
  cy.nodes(":visible").forEach((node) => {
    const p = node.position();
    const w = node.width();
    const h = node.height();
    const fill = node.style("background-color");
    const border = parseFloat(node.style("border-width")) || 0;
    const stroke = node.style("border-color");
    const shape = node.style("shape");
    const common = `fill="${xml(fill)}" stroke="${xml(stroke)}" stroke-width="${num(border)}"`;
    const op = opacityAttr(node);
    out.push(`<g${op}><title>${xml(node.data("name"))}</title>`);
    const corners = polygonPoints(shape);
    if (shape === "ellipse") {
      out.push(`<ellipse cx="${num(p.x)}" cy="${num(p.y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${common}/>`);
    } else if (corners) {
      const points = [];
      for (let i = 0; i < corners.length; i += 2) points.push(`${num(p.x + (corners[i] * w) / 2)},${num(p.y + (corners[i + 1] * h) / 2)}`);
      out.push(`<polygon points="${points.join(" ")}" stroke-linejoin="round" ${common}/>`);
    } else {
      const r = shape.startsWith("round") ? Math.min(w, h) / 4 : 0;
      out.push(
        `<rect x="${num(p.x - w / 2)}" y="${num(p.y - h / 2)}" width="${num(w)}" height="${num(h)}" rx="${num(r)}" ${common}/>`,
      );
    }
    const label = node.data("label");
    if (node.hasClass("box") && node.data("boxLabel")) {
      // a path view's box: its lines inside it, centred
      const size = parseFloat(node.style("font-size")) || 11;
      const weight = node.style("font-weight");
      const lines = String(node.data("boxLabel")).split("\n");
      const step = size * (parseFloat(node.style("line-height")) || 1.2);
      const top = p.y - ((lines.length - 1) * step) / 2;
      out.push(
        `<text x="${num(p.x)}" y="${num(top)}" font-size="${num(size)}"${weight && weight !== "normal" ? ` font-weight="${xml(weight)}"` : ""} ` +
          `text-anchor="middle" dominant-baseline="middle" fill="${xml(node.style("color"))}">` +
          lines.map((line, i) => `<tspan x="${num(p.x)}" dy="${i ? num(step) : 0}">${xml(line)}</tspan>`).join("") +
          "</text>",
      );
    } else if (label) {
      const size = parseFloat(node.style("font-size")) || 11;
      const weight = node.style("font-weight");
      const lines = wrap(label, Math.max(8, Math.floor((parseFloat(node.style("text-max-width")) || 120) / (size * 0.55))));
      const top = p.y + h / 2 + 4 + size;
      out.push(
        `<text x="${num(p.x)}" y="${num(top)}" font-size="${num(size)}"${weight && weight !== "normal" ? ` font-weight="${xml(weight)}"` : ""} ` +
          `text-anchor="middle" fill="${xml(node.style("color"))}" stroke="#ffffff" stroke-width="3" stroke-opacity="0.8" paint-order="stroke">` +
          lines.map((line, i) => `<tspan x="${num(p.x)}" dy="${i ? num(size * 1.2) : 0}">${xml(line)}</tspan>`).join("") +
          "</text>",
      );
    }
    out.push("</g>");
  });
  out.push("</g>");
  if (legend.length) {
    const y = y0 + height - legendHeight / 2;
    out.push('<g class="legend" font-size="11">');
    let x = x0 + pad;
    for (const { label, colour } of legend) {
      out.push(
        `<rect x="${num(x)}" y="${num(y - 5.5)}" width="11" height="11" rx="2" fill="${xml(colour)}" stroke="rgba(0,0,0,0.15)"/>`,
        `<text x="${num(x + 16)}" y="${num(y)}" dominant-baseline="middle" fill="#3c4657">${xml(label)}</text>`,
      );
      x += 26 + label.length * 6.6;
    }
    out.push("</g>");
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** The corners of cytoscape's polygon shapes in a unit square (-1..1, y down), as cytoscape computes them
 * (generateUnitNgonPointsFitToSquare and its diamond and tag); null for an ellipse or a rectangle. The SVG draws
 * them with sharp corners where cytoscape rounds the "round-" ones a little. */
export function polygonPoints(shape) {
  const base = String(shape || "").replace(/^round-/, "");
  if (base === "diamond") return [0, 1, 1, 0, 0, -1, -1, 0];
  if (base === "tag") return [-1, -1, 0.25, -1, 1, 0, 0.25, 1, -1, 1];
  const sides = { triangle: 3, pentagon: 5, hexagon: 6, heptagon: 7, octagon: 8 }[base];
  if (!sides) return null;
  const step = (2 * Math.PI) / sides;
  const start = sides % 2 === 0 ? Math.PI / 2 + step / 2 : Math.PI / 2;
  const points = [];
  for (let i = 0; i < sides; i += 1) points.push(Math.cos(start + i * step), Math.sin(-(start + i * step)));
  const xs = points.filter((_, i) => i % 2 === 0);
  const ys = points.filter((_, i) => i % 2 === 1);
  const sx = 2 / (Math.max(...xs) - Math.min(...xs));
  const sy = 2 / (Math.max(...ys) - Math.min(...ys));
  const scaled = points.map((v, i) => v * (i % 2 ? sy : sx));
  const minY = Math.min(...scaled.filter((_, i) => i % 2 === 1));
  return minY < -1 ? scaled.map((v, i) => (i % 2 ? v + (-1 - minY) : v)) : scaled;
}

function wrap(text, width) {
  const words = String(text).split(/\s+/);
  const lines = [];
  let line = "";
  for (const word of words) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or leading/trailing space (RFC 4180). */
export function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRows(rows) {
  return rows.map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** A downloaded CSV file's text: the tables after a UTF-8 byte order mark, without which Excel reads the file in
 * the system's code page and shows "→" or "–" as mojibake. */
export function csvFile(tables) {
  return `\ufeff${tablesToCsv(tables)}`;
}

/** Several tables in one CSV file: each after a line with its title and a blank line between them. */
export function tablesToCsv(tables) {
  if (tables.length === 1) return csvRows([tables[0].columns, ...tables[0].rows]);
  return tables.map((t) => csvRows([[t.title], t.columns, ...t.rows])).join("\r\n");
}
