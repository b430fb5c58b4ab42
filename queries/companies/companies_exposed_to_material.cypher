// name: companies_exposed_to_material
// description: Companies that make something downstream of a material or of any member of a material group (an intermediate, component or product it goes into), with how many steps away and through how many chains.
// param: material (string) = "gallium" -- a material's or material group's name or alternative label (case-insensitive); a group stands for its members
// param: max_hops (integer) = 6 -- the longest USED_IN chain counted (at most 12)
// returns: company (string), hq_country (string), makes (string), hops (integer), chains (integer)
// question: Which companies make things that depend on this material, and through how many steps?
//
// One row per company and thing it makes that the material reaches through 1..max_hops USED_IN steps, with the
// shortest such number of steps and the number of chains (counted as in downstream_chains, never listed).
// Companies that make the material itself are not listed (hops 0). The steps are written out (Cypher has no
// loop): tools/chain_queries.py writes this file.
CALL () {
  MATCH (m:Material)
  WHERE toLower(m.name) = toLower($material) OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
  RETURN m
  UNION
  MATCH (g:Material)
  WHERE toLower(g.name) = toLower($material) OR any(a IN coalesce(g.altLabels, []) WHERE toLower(a) = toLower($material))
  MATCH (m:Material)-[:MEMBER_OF_GROUP*1..3]->(g)
  RETURN m
}
WITH collect(DISTINCT m) AS starts
CALL () {
  OPTIONAL MATCH (k:Constituent)-[:MATERIAL]->(a), (k)-[:CONSTITUENT_OF]->(b)
  WHERE k.constituentRole = 'additive'
  RETURN collect([a, b]) AS additive_links
}
WITH starts, additive_links, [m IN starts | {node: m, chains: 1, main: 1}] AS layer
CALL (layer, additive_links) {
  UNWIND CASE WHEN 1 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, next AS layer, next AS reached1
CALL (layer, additive_links) {
  UNWIND CASE WHEN 2 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, next AS layer, next AS reached2
CALL (layer, additive_links) {
  UNWIND CASE WHEN 3 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, next AS layer, next AS reached3
CALL (layer, additive_links) {
  UNWIND CASE WHEN 4 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, next AS layer, next AS reached4
CALL (layer, additive_links) {
  UNWIND CASE WHEN 5 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, next AS layer, next AS reached5
CALL (layer, additive_links) {
  UNWIND CASE WHEN 6 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, next AS layer, next AS reached6
CALL (layer, additive_links) {
  UNWIND CASE WHEN 7 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, next AS layer, next AS reached7
CALL (layer, additive_links) {
  UNWIND CASE WHEN 8 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, next AS layer, next AS reached8
CALL (layer, additive_links) {
  UNWIND CASE WHEN 9 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, next AS layer, next AS reached9
CALL (layer, additive_links) {
  UNWIND CASE WHEN 10 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, next AS layer, next AS reached10
CALL (layer, additive_links) {
  UNWIND CASE WHEN 11 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, reached10, next AS layer, next AS reached11
CALL (layer, additive_links) {
  UNWIND CASE WHEN 12 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main
  RETURN collect({node: y, chains: chains, main: main}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, reached10, reached11, next AS layer, next AS reached12
UNWIND [{hops: 1, reached: reached1},
        {hops: 2, reached: reached2},
        {hops: 3, reached: reached3},
        {hops: 4, reached: reached4},
        {hops: 5, reached: reached5},
        {hops: 6, reached: reached6},
        {hops: 7, reached: reached7},
        {hops: 8, reached: reached8},
        {hops: 9, reached: reached9},
        {hops: 10, reached: reached10},
        {hops: 11, reached: reached11},
        {hops: 12, reached: reached12}] AS step
UNWIND step.reached AS f
WITH starts, f, step.hops AS hops
WHERE NOT f.node IN starts
WITH f.node AS x, sum(f.chains) AS chains, min(hops) AS hops
MATCH (co:Company)-[:MAKES]->(x)
OPTIONAL MATCH (co)-[:HEADQUARTERED_IN]->(hq:Country)
RETURN co.name AS company,
       hq.name AS hq_country,
       x.name AS makes,
       hops,
       chains
ORDER BY hops, company, makes
