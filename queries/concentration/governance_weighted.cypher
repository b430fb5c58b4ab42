// name: governance_weighted
// description: Per material and stage, the governance-weighted concentration of world supply (shares squared, weighted by scaled WGI), as in the EU criticality method's supply risk.
// param: material (string) = "" -- a material's name or alternative label (case-insensitive); empty for every material with world shares
// returns: material (string), stage (string), year (integer), hhi_wgi (float), countries_with_wgi (integer), countries_without_wgi (integer)
// question: How concentrated is world supply of a material in countries with weak governance?
//
// HHI_WGI = sum over countries of share^2 x WGI_scaled / 10 (shares as fractions; WGI_scaled 0 best .. 10 worst,
// so the figure runs from 0 to 1 like the HHI; see queries/EXPOSURE.md). The trade factor t
// of the method is not in the graph and is taken as 1: this is a gross governance-weighted concentration, not an
// EU supply-risk value. The figures are those of stage_concentration (World shares of one source and reference
// year: the latest year, then the source giving the most countries, then the first by title). Each country's
// latest GovernanceScore is used: its wgiScaled, or 5 - 2 x wgiMean where only the mean is given. Countries
// without a score add nothing and are counted in countries_without_wgi.
MATCH (m:Material)
WHERE $material = ''
   OR toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
MATCH (s)-[:SCOPE]->(sc)
WHERE sc.uri ENDS WITH '#World'
MATCH (s)-[:STAGE]->(st)
MATCH (s)-[:SUPPLIER]->(c)
MATCH (s)-[:SOURCE]->(src:Source)
WITH m, st, s, c, src
ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
WITH m, st, s, c, collect(src)[0] AS src
WITH m, st, src, s.referenceYear AS year, collect({country: c, share: s.share}) AS figures
ORDER BY year DESC, size(figures) DESC, src.title, src.uri
WITH m, st, collect({year: year, figures: figures})[0] AS pick
UNWIND pick.figures AS figure
WITH m, st, pick, figure, figure.country AS c
CALL (c) {
  OPTIONAL MATCH (w:GovernanceScore)-[:COUNTRY]->(c)
  WHERE w.wgiScaled IS NOT NULL OR w.wgiMean IS NOT NULL
  RETURN coalesce(w.wgiScaled, 5.0 - 2.0 * w.wgiMean) AS wgi
  ORDER BY w.referenceYear DESC, w.uri
  LIMIT 1
}
WITH m, st, pick,
     sum(CASE WHEN wgi IS NULL THEN 0.0 ELSE figure.share * figure.share * wgi / 10.0 END) AS hhi_wgi,
     count(wgi) AS countries_with_wgi,
     count(figure) - count(wgi) AS countries_without_wgi
WITH m, last(split(st.uri, '/')) AS stage, pick, hhi_wgi, countries_with_wgi, countries_without_wgi
ORDER BY m.name,
         CASE stage
           WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
           WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
         END,
         stage, m.uri
RETURN m.name AS material,
       stage,
       pick.year AS year,
       hhi_wgi,
       countries_with_wgi,
       countries_without_wgi
