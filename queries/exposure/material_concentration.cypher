// name: material_concentration
// description: Per material and stage, as of a date: the latest world-share figures of one source up to that date, how much of world output they cover, the top country, the HHI (only where coverage is enough, else its bounds), and the governance- and trade-weighted HHI of the EU supply-risk method.
// param: materials (list) = ["dysprosium", "gallium"] -- material names (exact node names); an empty list for every material with world shares
// param: stage (string) = "" -- a stage (the last segment of its uri, e.g. processing, or its name or alternative label); empty for every stage
// param: as_of (date) = "2025-06-01" -- the date, YYYY-MM-DD: figures of later reference years and controls not in force on it are left out
// returns: material (string), stage (string), year (integer), source (string), countries (integer), coverage (float), top_country (string), top_iso2 (string), top_share (float), hhi (float), hhi_min (float), hhi_max (float), hhi_wgi_t (float), countries_without_wgi (integer), restricted_by (list of string)
// question: How concentrated was world supply of these materials at each stage on this date, on how complete figures, and in countries with weak governance or export controls in force?
//
// The figures (queries/EXPOSURE.md): per material and stage, among the (source, reference year) pairs of its World
// shares with a reference year up to the as-of date's year, the latest year, then the source giving the most
// countries, then the first by title (a share with several sources counts for its first). coverage is the sum of
// those shares. hhi_min is the sum of their squares (the HHI if the rest of world output is spread thinly);
// hhi_max adds (1 - coverage)^2 (the rest in one country). hhi is given only when coverage >= 0.9, else null.
// hhi_wgi_t = sum of share^2 x WGI_c/10 x t_c: WGI_c is the country's latest scaled governance score up to that
// year (0 best .. 10 worst; 5 - 2 x wgiMean where only the mean is given; no score: the country adds nothing and
// counts in countries_without_wgi) and t_c is 1.5 where that country has an export control in force on the date
// that covers the material or a group it belongs to, else 1 (restricted_by lists those countries' ISO codes).
MATCH (m:Material)
WHERE size($materials) = 0 OR m.name IN $materials
MATCH (s:SupplyShare)-[:MATERIAL]->(m)
WHERE s.referenceYear <= date($as_of).year
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
WITH m, st, src, s.referenceYear AS year, collect({country: c, share: s.share}) AS figures
ORDER BY year DESC, size(figures) DESC, src.title, src.uri
WITH m, st, collect({source: coalesce(src.title, last(split(src.uri, '/'))), year: year, figures: figures})[0] AS pick
CALL (m) {
  CALL (m) {
    RETURN m AS covered
    UNION
    MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
    RETURN g AS covered
  }
  MATCH (x:ExportControl)-[:COVERS_MATERIAL]->(covered)
  MATCH (x)-[:ISSUED_BY]->(issuer:Country)
  WHERE x.effectiveFrom <= date($as_of)
    AND NOT (x.suspendedFrom IS NOT NULL AND x.suspendedFrom <= date($as_of)
             AND (x.suspendedUntil IS NULL OR date($as_of) <= x.suspendedUntil))
    AND NOT (x.liftedOn IS NOT NULL AND x.liftedOn <= date($as_of))
  WITH DISTINCT issuer.iso2 AS iso2
  ORDER BY iso2
  RETURN collect(iso2) AS restricted_by
}
UNWIND pick.figures AS figure
WITH m, st, pick, restricted_by, figure, figure.country AS c
CALL (c) {
  OPTIONAL MATCH (w:GovernanceScore)-[:COUNTRY]->(c)
  WHERE (w.wgiScaled IS NOT NULL OR w.wgiMean IS NOT NULL) AND w.referenceYear <= date($as_of).year
  RETURN coalesce(w.wgiScaled, 5.0 - 2.0 * w.wgiMean) AS wgi
  ORDER BY w.referenceYear DESC, w.uri
  LIMIT 1
}
WITH m, st, pick, restricted_by, figure, wgi,
     CASE WHEN c.iso2 IN restricted_by THEN 1.5 ELSE 1.0 END AS t
ORDER BY figure.share DESC, figure.country.name
WITH m, st, pick, restricted_by,
     collect(figure)[0] AS top,
     sum(figure.share) AS coverage,
     sum(figure.share * figure.share) AS hhi_min,
     sum(CASE WHEN wgi IS NULL THEN 0.0 ELSE figure.share * figure.share * wgi / 10.0 * t END) AS hhi_wgi_t,
     count(figure) AS countries,
     count(figure) - count(wgi) AS countries_without_wgi
WITH m, last(split(st.uri, '/')) AS stage, pick, restricted_by, top, coverage, hhi_min, hhi_wgi_t, countries,
     countries_without_wgi,
     CASE WHEN coverage >= 1.0 THEN 0.0 ELSE (1.0 - coverage) * (1.0 - coverage) END AS rest
ORDER BY m.name,
         CASE stage
           WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
           WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
         END,
         stage, m.uri
RETURN m.name AS material,
       stage,
       pick.year AS year,
       pick.source AS source,
       countries,
       coverage,
       top.country.name AS top_country,
       top.country.iso2 AS top_iso2,
       top.share AS top_share,
       CASE WHEN coverage >= 0.9 THEN hhi_min + rest ELSE null END AS hhi,
       hhi_min,
       hhi_min + rest AS hhi_max,
       hhi_wgi_t,
       countries_without_wgi,
       restricted_by
