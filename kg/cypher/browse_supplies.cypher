// name: browse_supplies
// description: For a material or a country, one row per (country, material, stage) of world supply: the latest figure, its share, year and source.
// param: id (string) = "https://w3id.org/crm-kg/id/material/gallium" -- the uri of a material or a country
// param: limit (integer) = 61 -- the most rows returned, largest shares first
// returns: country_id (string), country (string), country_labels (list of string), material_id (string), material (string), material_labels (list of string), stage_id (string), stage (string), share (float), year (integer), source (string)
// question: Who supplies this material (or what does this country supply), at which stage and by how much, by the latest figure?
//
// The graph browser draws these as SUPPLIES edges country -> material instead of the n-ary SupplyShare nodes.
// Only shares of world output: the EU's own sourcing shares are another quantity (the node's supply table shows
// them). The latest figure is the one with the latest reference year; of several for that year, the largest
// share, then the first source by title.
MATCH (n:Resource {uri: $id})<-[:MATERIAL|SUPPLIER]-(s:SupplyShare)-[:SCOPE]->(scope)
WHERE scope.uri ENDS WITH '#World'
MATCH (s)-[:SUPPLIER]->(c), (s)-[:MATERIAL]->(m), (s)-[:STAGE]->(st)
OPTIONAL MATCH (s)-[:SOURCE]->(src)
WITH c, m, st, s, min(coalesce(src.title, src.name)) AS source
ORDER BY s.referenceYear DESC, s.share DESC, source
WITH c, m, st, collect({share: s.share, year: s.referenceYear, source: source}) AS figures
WITH c, m, st, figures[0] AS latest
RETURN c.uri AS country_id, c.name AS country, labels(c) AS country_labels,
  m.uri AS material_id, m.name AS material, labels(m) AS material_labels,
  st.uri AS stage_id, st.name AS stage, latest.share AS share, latest.year AS year, latest.source AS source
ORDER BY share DESC, country, material, stage
LIMIT $limit
