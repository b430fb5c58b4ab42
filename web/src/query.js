// The Cypher mode: the analyst's read-only query, and the worked examples that fill it in.

import { record } from "./address.js";
import { post } from "./api.js";
import { addCypher, renderCypher } from "./cypher-panel.js";
import { clearError, showError } from "./errors.js";
import { el } from "./format.js";
import { spinner } from "./graph-pane.js";
import { $, app, updateTitle } from "./page.js";
import { drawResult, tableResult } from "./results.js";
import { showFailedRun, showRunning } from "./tables.js";

export async function runQuery({ record: push = true } = {}) {
  const q = app.query;
  const cypher = $("query-text").value;
  let params = {};
  const paramText = $("query-params").value.trim();
  if (paramText) {
    try {
      params = JSON.parse(paramText);
      if (!params || typeof params !== "object" || Array.isArray(params)) throw new Error("not an object");
    } catch {
      showError(new Error('the parameters must be a JSON object, e.g. {"name": "gallium"}'));
      return;
    }
  }
  if (!cypher.trim()) {
    showError(new Error("type a Cypher query first"));
    return;
  }
  q.cypher = cypher;
  q.params = params;
  $("query-note").hidden = true;
  if (push) record();
  const generation = ++app.generation;
  clearError();
  spinner(true);
  showRunning();
  try {
    const body = await post("api/query", { cypher, params });
    if (generation !== app.generation) return;
    q.log = [];
    addCypher(q.log, body.cypher || [{ name: "query", text: cypher, params }]);
    q.result = tableResult("Query result", body);
    await drawResult(q, q.result);
  } catch (error) {
    if (generation !== app.generation) return;
    showFailedRun(q, error);
  } finally {
    spinner(false);
  }
  renderCypher();
  updateTitle();
}

// The worked examples of queries/README.md: a start for analysts new to the graph model.
const EXAMPLES = [
  {
    title: "What dysprosium goes into, down to products",
    cypher: "MATCH p = (m:Material {name: 'dysprosium'})-[:USED_IN*1..6]->(x:Product)\nRETURN x.name AS product, p\nORDER BY product",
  },
  {
    title: "Who supplies gallium at the processing stage",
    cypher:
      "MATCH (s:SupplyShare)-[:MATERIAL]->(m:Material {name: $material}),\n      (s)-[:STAGE]->(st:Stage), (s)-[:SCOPE]->(scope), (s)-[:SUPPLIER]->(c:Country), (s)-[:SOURCE]->(src:Source)\nWHERE st.uri ENDS WITH '/processing' AND scope.uri ENDS WITH '#World'\nRETURN c.name AS country, s.share AS share, s.referenceYear AS year, src.title AS source\nORDER BY year DESC, share DESC",
    params: { material: "gallium" },
  },
  {
    title: "China's export controls on dysprosium, 1 June 2025",
    cypher:
      "MATCH (x:ExportControl)-[by:ISSUED_BY]->(c:Country {iso2: 'CN'}),\n      (x)-[covers:COVERS_MATERIAL]->(m:Material {name: 'dysprosium'})\nWHERE x.effectiveFrom <= date('2025-06-01')\n  AND NOT (x.suspendedFrom IS NOT NULL AND x.suspendedFrom <= date('2025-06-01')\n           AND (x.suspendedUntil IS NULL OR date('2025-06-01') <= x.suspendedUntil))\nRETURN x, by, c, covers, m",
  },
];

export function renderExamples() {
  $("query-examples").replaceChildren(
    ...EXAMPLES.map((example) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "link",
            onclick: () => {
              $("query-text").value = example.cypher;
              $("query-params").value = example.params ? JSON.stringify(example.params) : "";
              runQuery().catch(showError);
            },
          },
          example.title,
        ),
      ),
    ),
  );
}
