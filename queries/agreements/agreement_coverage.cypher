// name: agreement_coverage
// description: Strategic materials by producing country and stage, with the EU agreements or partnerships that the EU has with each producer (null where none: the gaps).
// param: material (string) = "" -- a material's name or alternative label ("" = every strategic material)
// returns: material (string), country (string), iso2 (string), stage (string), share (float), agreement (string), signed (string)
// question: Does the EU have a partnership or agreement with the countries that actually produce its strategic materials, and where are the gaps?
// Producers: country suppliers of world shares, each with its figure of the latest reference year per stage
// (the largest if two sources give that year). One row per producer, stage and EU agreement (an agreement
// whose parties include the EU country group and the producer), whatever materials the agreement names;
// agreement and signed are null for a producer without one. Strategic: the material's own isStrategic flag or
// membership (up to 3 levels) of a strategic group, as in the concentration pack; a material named in
// $material is taken even if it is not strategic.
CALL () {
  MATCH (m:Material)
  WHERE $material = '' AND m.isStrategic = true
  RETURN m
  UNION
  MATCH (m:Material)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
  WHERE $material = '' AND g.isStrategic = true
  RETURN m
  UNION
  MATCH (m:Material)
  WHERE $material <> ''
    AND (toLower(m.name) = toLower($material)
         OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material)))
  RETURN m
}
MATCH (m)<-[:MATERIAL]-(s:SupplyShare)-[:SUPPLIER]->(c:Country)
MATCH (s)-[:SCOPE]->(scope:ShareScope)
WHERE scope.uri ENDS WITH '#World'
MATCH (s)-[:STAGE]->(st:Stage)
WITH m, c, st, s
ORDER BY s.referenceYear DESC, s.share DESC
WITH m, c, st, collect(s)[0] AS latest
OPTIONAL MATCH (:CountryGroup {uri: 'https://w3id.org/crm-kg/id/countrygroup/EU'})<-[:PARTY]-(a:Agreement)-[:PARTY]->(c)
RETURN m.name AS material,
       c.name AS country,
       c.iso2 AS iso2,
       last(split(st.uri, '/')) AS stage,
       toFloat(latest.share) AS share,
       a.name AS agreement,
       toString(a.signedOn) AS signed
ORDER BY material, stage, share DESC, country, agreement
