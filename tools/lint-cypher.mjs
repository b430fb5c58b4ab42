// Holds every .cypher file to Neo4j 5's dialect with Neo4j's own linter (@neo4j-cypher/language-support).
//
//   node tools/lint-cypher.mjs            every .cypher file of the repository (fixtures of broken queries excepted)
//   node tools/lint-cypher.mjs FILE...    just these files
//
// Prints file:line:column: severity: message for each diagnostic; exits 1 if there is any error or warning
// (deprecations are warnings: a query that Neo4j would warn about is not accepted either).
// Parameters are declared by the file's header (`// param: name (type) ...`), so that an undeclared $name
// stays an error, as it is in Neo4j's editors.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { lintCypherQuery } from "@neo4j-cypher/language-support";

const SKIP_DIRS = new Set(["node_modules", ".venv", ".git", "build", "dist", "__pycache__"]);
// Deliberately broken queries used to test this linter.
const SKIP_PREFIXES = ["tests/fixtures/cypher-lint/bad", "tests/fixtures/packs/bad"];
const SEVERITY = { 1: "error", 2: "warning", 3: "info", 4: "hint" };

function walk(dir, root, found) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(path, root, found);
    } else if (name.endsWith(".cypher") && !SKIP_PREFIXES.some((p) => rel.startsWith(p))) {
      found.push(rel);
    }
  }
  return found;
}

export function declaredParameters(text) {
  const parameters = {};
  for (const line of text.split("\n")) {
    const match = line.match(/^\s*\/\/\s*param:\s*\$?([A-Za-z_][A-Za-z0-9_]*)/);
    if (match) parameters[match[1]] = null;
  }
  return parameters;
}

export function lintFile(path) {
  const text = readFileSync(path, "utf8");
  const { diagnostics } = lintCypherQuery(text, { parameters: declaredParameters(text) });
  return diagnostics.map((d) => ({
    path,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message.replace(/\s+/g, " ").trim(),
  }));
}

const args = process.argv.slice(2);
const files = args.length ? args : walk(process.cwd(), process.cwd(), []).sort();
let failures = 0;
for (const file of files) {
  for (const d of lintFile(file)) {
    console.log(`${d.path}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    if (d.severity === "error" || d.severity === "warning") failures += 1;
  }
}
console.log(`cypher-lint: ${files.length} file(s), ${failures} problem(s)`);
process.exit(failures ? 1 : 0);
