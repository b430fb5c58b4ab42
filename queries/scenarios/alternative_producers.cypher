// name: alternative_producers
// description: The other countries that produce a material at each stage, with their latest world share and the EU agreements or partnerships the EU has with them.
// param: material (string) = "dysprosium" -- a material's name or alternative label
// param: exclude_iso2 (string) = "CN" -- ISO alpha-2 code of the country to leave out ("" leaves none out)
// returns: country (string), iso2 (string), stage (string), share (float), year (integer), eu_agreement (list of string)
// question: If this country's supply stops, who else produces the material, how much, and does the EU have a partnership with them?
// World shares only, country suppliers only. Per country and stage, the figure of the latest reference year
// (the largest if two sources give that year). stage is the last segment of the stage's uri. eu_agreement:
// the names, sorted, of every agreement whose parties include both the EU country group and that country.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
MATCH (s)-[:SCOPE]->(scope:ShareScope)
WHERE scope.uri ENDS WITH '#World'
MATCH (s)-[:SUPPLIER]->(c:Country)
WHERE c.iso2 <> toUpper($exclude_iso2)
MATCH (s)-[:STAGE]->(st:Stage)
WITH c, st, s
ORDER BY s.referenceYear DESC, s.share DESC
WITH c, st, collect(s)[0] AS latest
CALL (c) {
  OPTIONAL MATCH (:CountryGroup {uri: 'https://w3id.org/crm-kg/id/countrygroup/EU'})<-[:PARTY]-(a:Agreement)-[:PARTY]->(c)
  WITH a.name AS agreement
  ORDER BY agreement
  RETURN collect(agreement) AS eu_agreement
}
RETURN c.name AS country,
       c.iso2 AS iso2,
       last(split(st.uri, '/')) AS stage,
       toFloat(latest.share) AS share,
       latest.referenceYear AS year,
       eu_agreement
ORDER BY stage, share DESC, country
