// name: browse_supplies
// description: For a material or a country, one row per (country, material, stage) of world supply, from one source and reference year per (material, stage), as the packs choose them.
// param: id (string) = "https://w3id.org/crm-kg/id/material/gallium" -- the uri of a material or a country
// param: limit (integer) = 61 -- the most rows returned, largest shares first
// returns: country_id (string), country (string), country_labels (list of string), material_id (string), material (string), material_labels (list of string), stage_id (string), stage (string), share (float), year (integer), source (string)
// question: Who supplies this material (or what does this country supply), at which stage and by how much, by the latest figures?
//
// The graph browser draws these as SUPPLIES edges country -> material instead of the n-ary SupplyShare nodes.
// Only shares of world output: the EU's own sourcing shares are another quantity (the node's supply table shows
// them). Figures of different sources or years are never mixed, so the shares of one (material, stage) add up
// as their source states them: per (material, stage), of the (source, reference year) pairs of its World shares,
// the latest year is taken, then the source giving the most countries, then the first by title, as in
// stage_concentration (a share with several sources counts for its first, see supply_shares). A country that
// this pick does not list gets no edge for that (material, stage).
MATCH (n:Resource {uri: $id})<-[:MATERIAL|SUPPLIER]-(mine:SupplyShare)-[:SCOPE]->(scope)
WHERE scope.uri ENDS WITH '#World'
MATCH (mine)-[:MATERIAL]->(m), (mine)-[:STAGE]->(st)
WITH DISTINCT n, m, st
CALL (m, st) {
  MATCH (m)<-[:MATERIAL]-(s:SupplyShare)-[:STAGE]->(st)
  MATCH (s)-[:SCOPE]->(sc)
  WHERE sc.uri ENDS WITH '#World'
  MATCH (s)-[:SUPPLIER]->(c)
  MATCH (s)-[:SOURCE]->(src:Source)
  WITH s, c, src
  ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
  WITH s, c, collect(src)[0] AS src
  WITH src, s.referenceYear AS year,
    collect({id: c.uri, name: c.name, labels: labels(c), share: s.share}) AS figures
  ORDER BY year DESC, size(figures) DESC, src.title, src.uri
  RETURN collect({source: coalesce(src.title, last(split(src.uri, '/'))), year: year, figures: figures})[0] AS pick
}
UNWIND pick.figures AS figure
WITH n, m, st, pick, figure
WHERE n.uri IN [m.uri, figure.id]
RETURN figure.id AS country_id, figure.name AS country, figure.labels AS country_labels,
  m.uri AS material_id, m.name AS material, labels(m) AS material_labels,
  st.uri AS stage_id, st.name AS stage, figure.share AS share, pick.year AS year, pick.source AS source
ORDER BY share DESC, country, material, stage
LIMIT $limit
