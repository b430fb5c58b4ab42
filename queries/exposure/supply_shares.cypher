// name: supply_shares
// description: Every supply share of a material in a scope (world output or EU sourcing), by stage and country, with reference year and source.
// param: material (string) = "gallium" -- a material's name or alternative label (case-insensitive)
// param: scope (string) = "World" -- World (share of world output) or EUSourcing (share of the EU's own supply); the scope's name ("world", "EU sourcing") works too
// returns: material (string), stage (string), country (string), iso2 (string), share (float), year (integer), source (string), source_uri (string)
// question: Which countries supply this material at each stage, with what share, as of when and according to whom?
//
// All figures of all years and sources are listed (never averaged); stage is the last segment of the stage's uri
// (extraction, processing, ...). A figure with several sources is one row, with its first source: the one whose
// id ends the share's id (data/README.md: share ids end with their first source id), else the first by title;
// source is its title (its id when it has no title without a language tag).
// Rows run along the chain (extraction, processing, intermediate, component manufacturing, assembly,
// recycling), then latest year first, then largest share.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
MATCH (s)-[:SCOPE]->(sc)
WHERE toLower(last(split(sc.uri, '#'))) = toLower($scope) OR toLower(sc.name) = toLower($scope)
MATCH (s)-[:STAGE]->(st)
MATCH (s)-[:SUPPLIER]->(c)
CALL (s) {
  OPTIONAL MATCH (s)-[:SOURCE]->(src:Source)
  RETURN src
  ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
  LIMIT 1
}
WITH m, last(split(st.uri, '/')) AS stage, c, s, src
ORDER BY m.name,
         CASE stage
           WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
           WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
         END,
         stage, s.referenceYear DESC, s.share DESC, c.name, src.title, s.uri
RETURN m.name AS material,
       stage,
       c.name AS country,
       c.iso2 AS iso2,
       s.share AS share,
       s.referenceYear AS year,
       coalesce(src.title, last(split(src.uri, '/'))) AS source,
       src.uri AS source_uri
