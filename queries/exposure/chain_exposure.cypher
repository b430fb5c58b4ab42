// name: chain_exposure
// description: For each material upstream of a component, product or sector and each path that links them, the largest single-country share of world output at any stage of that material (latest figures), worst first.
// param: name (string) = "Wheel-speed sensor" -- the name or alternative label (case-insensitive) of the node to look upstream from; every node so named counts
// param: max_hops (integer) = 8 -- the longest chain of USED_IN steps followed (at most 12)
// returns: material (string), path (list of string), stage (string), country (string), share (float), year (integer), source (string)
// question: Through which chains does this product depend on materials whose supply one country dominates, and how much?
//
// Every (:Material) upstream counts, intermediates included (an NdFeB magnet is made at a stage of its own).
// One row per material and distinct path (the names from the material to the node so named). For each stage
// of the material, the World figures of one source and reference year are used, chosen as in
// stage_concentration: the latest year, then the source giving the most countries, then the first by title
// (a share with several sources counts for its first, see supply_shares); the row shows the largest single-country
// share among those figures over all stages. A material without world shares gets a row with stage, country,
// share, year and source null, after the others. Sorted by share (largest first), material, path length, path.
MATCH (t:Resource)
WHERE (t:Material OR t:Component OR t:Product OR t:Sector)
  AND (toLower(t.name) = toLower($name)
       OR any(a IN coalesce(t.altLabels, []) WHERE toLower(a) = toLower($name)))
MATCH p = (m:Material)-[:USED_IN*1..12]->(t)
WHERE length(p) <= $max_hops AND m <> t
WITH m, collect(DISTINCT [x IN nodes(p) | x.name]) AS paths
CALL (m) {
  MATCH (s:SupplyShare)-[:MATERIAL]->(m)
  MATCH (s)-[:SCOPE]->(sc)
  WHERE sc.uri ENDS WITH '#World'
  MATCH (s)-[:STAGE]->(st)
  MATCH (s)-[:SUPPLIER]->(c)
  MATCH (s)-[:SOURCE]->(src:Source)
  WITH st, s, c, src
  ORDER BY CASE WHEN s.uri ENDS WITH '-' + last(split(src.uri, '/')) THEN 0 ELSE 1 END, src.title, src.uri
  WITH st, s, c, collect(src)[0] AS src
  WITH st, src, s.referenceYear AS year, collect({country: c.name, share: s.share}) AS figures
  ORDER BY year DESC, size(figures) DESC, src.title, src.uri
  WITH st, collect({source: coalesce(src.title, last(split(src.uri, '/'))), year: year, figures: figures})[0] AS pick
  UNWIND pick.figures AS figure
  WITH last(split(st.uri, '/')) AS stage, pick, figure
  ORDER BY figure.share DESC,
           CASE stage
             WHEN 'extraction' THEN 1 WHEN 'processing' THEN 2 WHEN 'intermediate-manufacturing' THEN 3
             WHEN 'component-manufacturing' THEN 4 WHEN 'assembly' THEN 5 WHEN 'recycling' THEN 6 ELSE 7
           END,
           stage, figure.country
  RETURN collect({stage: stage, country: figure.country, share: figure.share, year: pick.year,
                  source: pick.source})[0] AS worst
}
UNWIND paths AS path
WITH m, path, worst
ORDER BY coalesce(worst.share, -1.0) DESC, m.name, size(path), path
RETURN m.name AS material,
       path,
       worst.stage AS stage,
       worst.country AS country,
       worst.share AS share,
       worst.year AS year,
       worst.source AS source
