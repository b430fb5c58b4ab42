// name: stage_concentration
// description: Per material and stage, the top country and its share of world output and the Herfindahl-Hirschman index of country shares, from the latest figures of one source.
// param: stage (string) = "" -- a stage (the last segment of its uri, e.g. processing, or its name or alternative label); empty for every stage
// param: material (string) = "" -- a material's name or alternative label (case-insensitive); empty for every material with world shares
// returns: material (string), is_strategic (boolean), stage (string), year (integer), source (string), top_country (string), top_share (float), hhi (float), countries (integer)
// question: How concentrated is world supply of each material at each stage, and in which country?
//
// Figures of different sources or years are never mixed: per material and stage, among the (source, reference
// year) pairs of its World shares, the latest year is taken, then the source giving the most countries, then the
// first by title. A share with several sources counts for its first (see supply_shares). hhi is the sum of the
// squared shares of that source and year, shares as fractions (0..1; 1 is a monopoly); countries is how many it
// lists. is_strategic: the material's own flag, or membership of a strategic group.
MATCH (m:Material)
WHERE $material = ''
   OR toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
MATCH (s)-[:STAGE]->(st)
WHERE $stage = ''
   OR toLower(last(split(st.uri, '/'))) = toLower($stage)
   OR toLower(st.name) = toLower($stage)
   OR any(a IN coalesce(st.altLabels, []) WHERE toLower(a) = toLower($stage))
MATCH (s)-[:SCOPE]->(sc)
WHERE sc.uri ENDS WITH '#World'
MATCH (s)-[:SUPPLIER]->(c)
MATCH (s)-[:SOURCE]->(src:Source)
WITH m, st, s, c, src
ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
WITH m, st, s, c, collect(src)[0] AS src
WITH m, st, src, s.referenceYear AS year, collect({country: c.name, share: s.share}) AS figures
ORDER BY year DESC, size(figures) DESC, src.title, src.uri
WITH m, st, collect({source: coalesce(src.title, last(split(src.uri, '/'))), year: year, figures: figures})[0] AS pick
UNWIND pick.figures AS figure
WITH m, st, pick, figure
ORDER BY figure.share DESC, figure.country
WITH m, st, pick,
     collect(figure)[0] AS top,
     sum(figure.share * figure.share) AS hhi,
     count(figure) AS countries
WITH m, last(split(st.uri, '/')) AS stage, pick, top, hhi, countries
ORDER BY m.name,
         CASE stage
           WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
           WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
         END,
         stage, m.uri
RETURN m.name AS material,
       coalesce(m.isStrategic, false)
         OR EXISTS { (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup) WHERE g.isStrategic = true } AS is_strategic,
       stage,
       pick.year AS year,
       pick.source AS source,
       top.country AS top_country,
       top.share AS top_share,
       hhi,
       countries
