// Builds the graph browser's front end (`kg browse`) from web/ into kg/browse_assets/:
//   index.html   the page (its script and style referenced with a content hash, so a new build is never stale)
//   app.js       web/src/main.js and the npm packages it imports, bundled and minified by esbuild
//   app.css      web/src/*.css, bundled and minified
//   LICENSES.txt the licence text of every npm package in the bundle
//
// The build fails if a bundled package's licence is not a permissive one (MIT, BSD, Apache-2.0, ISC, ...): the
// assets ship in crm-kg's wheel under its Apache-2.0 licence, so copyleft code (e.g. cytoscape-svg, GPL) must not
// end up in them.
//
//   node web/build.mjs                       build
//   node web/build.mjs --check-licence SPDX  exit 0 if SPDX is acceptable, else print why and exit 1
//   node web/build.mjs --check-package DIR   the same for the package.json in DIR (a package folder)

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const outDir = path.join(root, "kg", "browse_assets");

// SPDX identifiers of licences that let us ship the code inside an Apache-2.0 wheel.
export const PERMISSIVE = new Set([
  "MIT", "MIT-0", "ISC", "0BSD", "BSD-2-Clause", "BSD-3-Clause", "BSD-3-Clause-Clear", "Apache-2.0",
  "Zlib", "Unlicense", "CC0-1.0", "BlueOak-1.0.0", "Python-2.0", "X11", "WTFPL",
]);

export class LicenceError extends Error {}

/** Whether an SPDX expression allows shipping: `A OR B` needs one permissive side, `A AND B` both. */
export function isPermissive(expression) {
  if (typeof expression !== "string" || !expression.trim()) return false;
  const text = expression.trim();
  const stripped = text.replace(/^\((.*)\)$/s, "$1");
  if (stripped !== text && balanced(stripped)) return isPermissive(stripped);
  const or = splitTop(text, "OR");
  if (or.length > 1) return or.some(isPermissive);
  const and = splitTop(text, "AND");
  if (and.length > 1) return and.every(isPermissive);
  const id = text.replace(/\+$/, "").replace(/\s+WITH\s+.*$/i, "").trim();
  return PERMISSIVE.has(id);
}

function balanced(text) {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth += 1;
    if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

function splitTop(text, operator) {
  const parts = [];
  let depth = 0;
  let start = 0;
  const tokens = text.split(/(\s+|\(|\))/);
  let position = 0;
  for (const token of tokens) {
    if (token === "(") depth += 1;
    else if (token === ")") depth -= 1;
    else if (depth === 0 && token === operator) {
      parts.push(text.slice(start, position).trim());
      start = position + token.length;
    }
    position += token.length;
  }
  parts.push(text.slice(start).trim());
  return parts.filter(Boolean);
}

/** The licence of the package in `dir`: {name, version, licence, text}; throws LicenceError if not permissive. */
export function checkPackage(dir) {
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  let licence = manifest.license;
  if (licence && typeof licence === "object") licence = licence.type;
  if (!licence && Array.isArray(manifest.licenses)) {
    licence = manifest.licenses.map((l) => (typeof l === "string" ? l : l.type)).join(" OR ");
  }
  const name = `${manifest.name}@${manifest.version}`;
  if (!isPermissive(licence)) {
    throw new LicenceError(
      `${name} is licensed ${JSON.stringify(licence ?? "(no licence field)")}, which is not a permissive licence ` +
        `(${[...PERMISSIVE].join(", ")}): it cannot be bundled into crm-kg's browser assets`,
    );
  }
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const text = file ? readFileSync(path.join(dir, file), "utf8").trim() : `Licensed under ${licence}.`;
  return { name, licence, text };
}

/** The package folders under node_modules that bundled input files belong to. */
export function packagesOf(inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) continue;
    const scoped = parts[at + 1]?.startsWith("@");
    dirs.add(path.resolve(root, ...parts.slice(0, at + (scoped ? 3 : 2))));
  }
  return [...dirs].sort();
}

export function licencesText(dirs) {
  const parts = [
    "Third-party software bundled into crm-kg's graph browser (kg/browse_assets/app.js, app.css).",
    "crm-kg itself is licensed under the Apache License 2.0.",
  ];
  for (const dir of dirs) {
    const { name, licence, text } = checkPackage(dir);
    parts.push(`${"=".repeat(78)}\n${name} (${licence})\n${"=".repeat(78)}\n\n${text}`);
  }
  return parts.join("\n\n") + "\n";
}

async function build() {
  const esbuild = await import("esbuild");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { app: path.join(here, "src", "main.js") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020", "chrome100", "firefox100", "safari15"],
    outdir: outDir,
    legalComments: "none",
    banner: { js: "/*! crm-kg graph browser. Bundled packages and their licences: LICENSES.txt */" },
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const dirs = packagesOf(inputs);
  if (!dirs.some((d) => path.basename(d) === "cytoscape")) throw new Error("cytoscape is not in the bundle");
  writeFileSync(path.join(outDir, "LICENSES.txt"), licencesText(dirs));
  const hash = (name) =>
    createHash("sha256").update(readFileSync(path.join(outDir, name))).digest("hex").slice(0, 12);
  const page = readFileSync(path.join(here, "index.html"), "utf8")
    .replace('href="assets/app.css"', `href="assets/app.css?v=${hash("app.css")}"`)
    .replace('src="assets/app.js"', `src="assets/app.js?v=${hash("app.js")}"`);
  writeFileSync(path.join(outDir, "index.html"), page);
  for (const name of ["index.html", "app.js", "app.css", "LICENSES.txt"]) {
    if (!existsSync(path.join(outDir, name))) throw new Error(`the build did not write ${name}`);
  }
  const sizes = readdirSync(outDir).map((f) => `${f} ${readFileSync(path.join(outDir, f)).length} B`);
  console.log(`built ${path.relative(root, outDir)}/: ${sizes.join(", ")}; bundled: ${dirs.map((d) => path.basename(d)).join(", ")}`);
}

function main(argv) {
  const flag = argv[0];
  try {
    if (flag === "--check-licence") {
      if (!isPermissive(argv[1])) throw new LicenceError(`${JSON.stringify(argv[1] ?? "")} is not a permissive licence`);
      console.log(`${argv[1]}: permissive`);
      return Promise.resolve();
    }
    if (flag === "--check-package") {
      const { name, licence } = checkPackage(path.resolve(argv[1]));
      console.log(`${name}: ${licence}, permissive`);
      return Promise.resolve();
    }
    return build();
  } catch (error) {
    return Promise.reject(error);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`web/build.mjs: ${error instanceof LicenceError ? "" : "build failed: "}${error.message}`);
    process.exit(1);
  });
}
