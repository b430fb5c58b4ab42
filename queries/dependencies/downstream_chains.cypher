// name: downstream_chains
// description: Everything downstream of a material or of every member of a material group (intermediates, components, products, sectors), each with its number of chains, of chains without an additive link, the shortest chain's length and one shortest chain; chains are counted, never listed.
// param: material (string) = "gallium" -- a material's or material group's name or alternative label (case-insensitive); a group stands for its members
// param: max_hops (integer) = 6 -- the longest chain of USED_IN steps counted (at most 12)
// returns: name (string), kind (string), hops (integer), chains (integer), main_chains (integer), path (list of string)
// question: What depends on this material, through how many chains, and as a main constituent or only through additives?
//
// The starting materials are those so named and, for a group (rare earth elements, heavy rare earths), every
// member up to three group levels down. A chain is a path of USED_IN steps from a starting material, of at most
// max_hops steps; chains counts them exactly without listing them (see upstream_chains): the work grows with the
// nodes and links downstream times the steps. main_chains counts the chains with no link marked additive by a
// Constituent fact. hops is the shortest chain's length and path its names (of equal-length chains, the first by
// names). kind is the most specific of Sector, Product, Component and Intermediate. The steps are written out
// (Cypher has no loop): tools/chain_queries.py writes this file.
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
WITH starts, additive_links, [m IN starts | {node: m, chains: 1, main: 1, path: m.name}] AS layer
CALL (layer, additive_links) {
  UNWIND CASE WHEN 1 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, next AS layer, next AS reached1
CALL (layer, additive_links) {
  UNWIND CASE WHEN 2 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, next AS layer, next AS reached2
CALL (layer, additive_links) {
  UNWIND CASE WHEN 3 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, next AS layer, next AS reached3
CALL (layer, additive_links) {
  UNWIND CASE WHEN 4 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, next AS layer, next AS reached4
CALL (layer, additive_links) {
  UNWIND CASE WHEN 5 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, next AS layer, next AS reached5
CALL (layer, additive_links) {
  UNWIND CASE WHEN 6 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, next AS layer, next AS reached6
CALL (layer, additive_links) {
  UNWIND CASE WHEN 7 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, next AS layer, next AS reached7
CALL (layer, additive_links) {
  UNWIND CASE WHEN 8 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, next AS layer, next AS reached8
CALL (layer, additive_links) {
  UNWIND CASE WHEN 9 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, next AS layer, next AS reached9
CALL (layer, additive_links) {
  UNWIND CASE WHEN 10 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, next AS layer, next AS reached10
CALL (layer, additive_links) {
  UNWIND CASE WHEN 11 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
}
WITH starts, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, reached10, next AS layer, next AS reached11
CALL (layer, additive_links) {
  UNWIND CASE WHEN 12 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS x, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH y, f, [x, y] IN additive_links AS additive
  WITH y, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: y, chains: chains, main: main, path: path + '\u001f' + y.name}) AS next
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
WITH f, hops
ORDER BY hops
WITH f.node AS n, sum(f.chains) AS chains, sum(f.main) AS main_chains, min(hops) AS hops,
     split(collect(f.path)[0], '\u001f') AS path
RETURN n.name AS name,
       CASE
         WHEN n:Sector THEN 'Sector'
         WHEN n:Product THEN 'Product'
         WHEN n:Component THEN 'Component'
         WHEN n:Intermediate THEN 'Intermediate'
         ELSE 'Material'
       END AS kind,
       hops,
       chains,
       main_chains,
       path
ORDER BY hops, name, path
