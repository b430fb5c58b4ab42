// name: browse_node_supply
// description: The supply facts (SupplyShare) about a material, or supplied by a country: material, country, stage, scope, share, reference year and sources.
// param: id (string) = "https://w3id.org/crm-kg/id/material/gallium" -- the uri of a material or a country
// returns: material (string), material_id (string), country (string), country_id (string), stage (string), scope (string), share (float), year (integer), sources (list of map)
// question: Who supplies this material, or what does this country supply, at which stage, by how much and according to whom?
//
// One row per fact (a fact may cite several sources, each as its properties: kg.browse.api.source_entry picks what
// the page shows). Nodes of other kinds have no such facts: no rows.
MATCH (n:Resource {uri: $id})<-[:MATERIAL|SUPPLIER]-(s:SupplyShare)
MATCH (s)-[:MATERIAL]->(m), (s)-[:SUPPLIER]->(c)
OPTIONAL MATCH (s)-[:STAGE]->(st)
OPTIONAL MATCH (s)-[:SCOPE]->(sc)
OPTIONAL MATCH (s)-[:SOURCE]->(src)
WITH s, m, c, st, sc, collect(properties(src)) AS sources
RETURN m.name AS material, m.uri AS material_id, c.name AS country, c.uri AS country_id, st.name AS stage,
  sc.name AS scope, s.share AS share, s.referenceYear AS year, sources
ORDER BY material, stage, scope, year DESC, share DESC, country
