// name: crma_single_country_check
// description: The CRMA 65% benchmark for each strategic material and stage: the largest share from one third country, from EU sourcing figures where a source gives them, else from world shares as a proxy.
// param: material (string) = "" -- a strategic material's name or alternative label (case-insensitive); empty for every strategic material
// returns: material (string), stage (string), basis (string), top_country (string), top_share (float), breaches_65 (boolean), year (integer), source (string)
// question: Which strategic materials rely on a single third country for more than 65% at some stage (Regulation (EU) 2024/1252, Art. 5(1)(b))?
//
// The benchmark is about the EU's own consumption: not more than 65% from a single third country. Per strategic
// material (its own flag, or a strategic group's member) and stage: when some source gives EU-sourcing shares for
// that stage, basis is "EU sourcing" and those are used; otherwise basis is "world share (proxy)". Then, as in
// stage_concentration, the figures of one (source, reference year): the latest year, then the source giving the
// most countries, then the first by title. top_country is the largest supplier that is not an EU member state
// (EU members are not third countries); breaches_65 is top_share > 0.65. When the figures name no third country,
// top_country and top_share are null and breaches_65 false.
MATCH (m:Material)
WHERE ($material = ''
       OR toLower(m.name) = toLower($material)
       OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material)))
  AND (m.isStrategic = true
       OR EXISTS { (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup) WHERE g.isStrategic = true })
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
MATCH (s)-[:SCOPE]->(sc)
WHERE sc.uri ENDS WITH '#World' OR sc.uri ENDS WITH '#EUSourcing'
MATCH (s)-[:STAGE]->(st)
MATCH (s)-[:SUPPLIER]->(c)
MATCH (s)-[:SOURCE]->(src:Source)
WITH m, st, sc, s, c, src
ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
WITH m, st, sc, s, c, collect(src)[0] AS src
WITH m, st, sc.uri ENDS WITH '#EUSourcing' AS eu_sourcing, src, s.referenceYear AS year,
     collect({country: c.name,
              share: s.share,
              third: NOT EXISTS { (c)-[:MEMBER_OF]->(eu:CountryGroup) WHERE eu.uri ENDS WITH '/countrygroup/EU' }})
       AS figures
ORDER BY CASE WHEN eu_sourcing THEN 0 ELSE 1 END, year DESC, size(figures) DESC, src.title, src.uri
WITH m, st,
     collect({eu_sourcing: eu_sourcing, source: coalesce(src.title, last(split(src.uri, '/'))), year: year,
              figures: figures})[0] AS pick
WITH m, st, pick,
     [f IN pick.figures WHERE f.third | f] AS third
CALL (third) {
  UNWIND third AS figure
  WITH figure
  ORDER BY figure.share DESC, figure.country
  RETURN collect(figure)[0] AS top
}
WITH m, last(split(st.uri, '/')) AS stage, pick, top
ORDER BY m.name,
         CASE stage
           WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
           WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
         END,
         stage, m.uri
RETURN m.name AS material,
       stage,
       CASE WHEN pick.eu_sourcing THEN 'EU sourcing' ELSE 'world share (proxy)' END AS basis,
       top.country AS top_country,
       top.share AS top_share,
       coalesce(top.share > 0.65, false) AS breaches_65,
       pick.year AS year,
       pick.source AS source
