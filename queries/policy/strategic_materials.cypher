// name: strategic_materials
// description: The EU's strategic raw materials, with the Annex I wording and the largest single-country world share at extraction and at processing.
// returns: material (string), strategic_scope (string), extraction_top_share (float), processing_top_share (float)
// question: Which raw materials are strategic for the EU, and how concentrated is their extraction and processing?
// Strategic: the material's own isStrategic flag, or membership (up to 3 levels) of a strategic group, as in
// the concentration pack; so both "rare earth elements for magnets" and its members are listed.
// strategic_scope: the material's own Annex I wording, else that of its strategic groups (sorted), joined with
// "; ". A top share is the largest share of one country among the world figures of the latest reference year
// for that material and stage (any source); null when there is none.
OPTIONAL MATCH (world:ShareScope {uri: 'https://w3id.org/crm-kg/ontology#World'})
OPTIONAL MATCH (extraction:Stage {uri: 'https://w3id.org/crm-kg/id/stage/extraction'})
OPTIONAL MATCH (processing:Stage {uri: 'https://w3id.org/crm-kg/id/stage/processing'})
CALL () {
  MATCH (m:Material)
  WHERE m.isStrategic = true
  RETURN m
  UNION
  MATCH (m:Material)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
  WHERE g.isStrategic = true
  RETURN m
}
CALL (m) {
  OPTIONAL MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
  WHERE g.isStrategic = true
  UNWIND coalesce(g.strategicScope, [g.name]) AS group_scope
  WITH DISTINCT group_scope
  ORDER BY group_scope
  RETURN collect(group_scope) AS group_scopes
}
CALL (m, world, extraction) {
  OPTIONAL MATCH (m)<-[:MATERIAL]-(s:SupplyShare)-[:STAGE]->(extraction),
                 (s)-[:SCOPE]->(world), (s)-[:SUPPLIER]->(:Country)
  WITH s
  ORDER BY s.referenceYear DESC, s.share DESC
  RETURN collect(s.share)[0] AS extraction_top_share
}
CALL (m, world, processing) {
  OPTIONAL MATCH (m)<-[:MATERIAL]-(s:SupplyShare)-[:STAGE]->(processing),
                 (s)-[:SCOPE]->(world), (s)-[:SUPPLIER]->(:Country)
  WITH s
  ORDER BY s.referenceYear DESC, s.share DESC
  RETURN collect(s.share)[0] AS processing_top_share
}
WITH m, extraction_top_share, processing_top_share,
     CASE WHEN size(coalesce(m.strategicScope, [])) > 0 THEN m.strategicScope ELSE group_scopes END AS scopes
RETURN m.name AS material,
       CASE size(scopes) WHEN 0 THEN null
       ELSE reduce(joined = head(scopes), s IN tail(scopes) | joined + '; ' + s) END AS strategic_scope,
       toFloat(extraction_top_share) AS extraction_top_share,
       toFloat(processing_top_share) AS processing_top_share
ORDER BY material
