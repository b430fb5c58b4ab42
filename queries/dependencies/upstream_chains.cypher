// name: upstream_chains
// description: The materials upstream of a component, product, sector or company (what it makes), each with its number of chains, of chains without an additive link, the shortest chain's length and one shortest chain; chains are counted, never listed.
// param: name (string) = "Wheel-speed sensor" -- the name or alternative label (case-insensitive) of the intermediate, component, product, sector or company to look upstream from; every node so named counts, and a company stands for what it makes
// param: max_hops (integer) = 8 -- the longest chain of USED_IN steps counted (at most 12)
// returns: material (string), kind (string), is_strategic (boolean), hops (integer), chains (integer), main_chains (integer), path (list of string)
// question: Which materials does this depend on, through how many chains, and does it need them as main constituents or only as additives?
//
// A chain is a path of USED_IN steps from the material to the target of at most max_hops steps. chains counts
// them exactly without listing them: step by step from the target, each node reached at n steps carries the
// number of chains of length n from it (the sum over the nodes it goes into), so the work grows with the nodes
// and links upstream times the steps, not with the number of chains (a lattice of depth d has 2^d). main_chains
// counts the chains none of whose links a Constituent fact marks as additive: 0 means the material enters only
// as an additive or dopant. hops is the shortest chain's length; path its names, from the material to the
// target (of equal-length chains, the first by names). kind is Intermediate or Material (raw); every Material
// upstream counts, intermediates included, since an intermediate has a supply of its own. The steps are written
// out (Cypher has no loop): tools/chain_queries.py writes this file.
CALL () {
  MATCH (t:Resource)
  WHERE (t:Material OR t:Component OR t:Product OR t:Sector)
    AND (toLower(t.name) = toLower($name) OR any(a IN coalesce(t.altLabels, []) WHERE toLower(a) = toLower($name)))
  RETURN t
  UNION
  MATCH (c:Company)-[:MAKES]->(t)
  WHERE toLower(c.name) = toLower($name) OR any(a IN coalesce(c.altLabels, []) WHERE toLower(a) = toLower($name))
  RETURN t
}
WITH collect(DISTINCT t) AS targets
CALL () {
  OPTIONAL MATCH (k:Constituent)-[:MATERIAL]->(a), (k)-[:CONSTITUENT_OF]->(b)
  WHERE k.constituentRole = 'additive'
  RETURN collect([a, b]) AS additive_links
}
WITH targets, additive_links, [t IN targets | {node: t, chains: 1, main: 1, path: t.name}] AS layer
CALL (layer, additive_links) {
  UNWIND CASE WHEN 1 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, next AS layer, next AS reached1
CALL (layer, additive_links) {
  UNWIND CASE WHEN 2 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, next AS layer, next AS reached2
CALL (layer, additive_links) {
  UNWIND CASE WHEN 3 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, next AS layer, next AS reached3
CALL (layer, additive_links) {
  UNWIND CASE WHEN 4 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, next AS layer, next AS reached4
CALL (layer, additive_links) {
  UNWIND CASE WHEN 5 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, next AS layer, next AS reached5
CALL (layer, additive_links) {
  UNWIND CASE WHEN 6 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, next AS layer, next AS reached6
CALL (layer, additive_links) {
  UNWIND CASE WHEN 7 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, next AS layer, next AS reached7
CALL (layer, additive_links) {
  UNWIND CASE WHEN 8 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, next AS layer, next AS reached8
CALL (layer, additive_links) {
  UNWIND CASE WHEN 9 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, next AS layer, next AS reached9
CALL (layer, additive_links) {
  UNWIND CASE WHEN 10 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, next AS layer, next AS reached10
CALL (layer, additive_links) {
  UNWIND CASE WHEN 11 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, reached10, next AS layer, next AS reached11
CALL (layer, additive_links) {
  UNWIND CASE WHEN 12 <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS y, additive_links
  MATCH (x)-[:USED_IN]->(y)
  WITH x, f, [x, y] IN additive_links AS additive
  WITH x, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({node: x, chains: chains, main: main, path: x.name + '\u001f' + path}) AS next
}
WITH targets, additive_links, reached1, reached2, reached3, reached4, reached5, reached6, reached7, reached8, reached9, reached10, reached11, next AS layer, next AS reached12
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
WITH targets, f, step.hops AS hops
WHERE f.node:Material AND NOT f.node IN targets
WITH f, hops
ORDER BY hops
WITH f.node AS m, sum(f.chains) AS chains, sum(f.main) AS main_chains, min(hops) AS hops,
     split(collect(f.path)[0], '\u001f') AS path
RETURN m.name AS material,
       CASE WHEN m:Intermediate THEN 'Intermediate' ELSE 'Material' END AS kind,
       coalesce(m.isStrategic, false)
         OR EXISTS { (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup) WHERE g.isStrategic = true } AS is_strategic,
       hops,
       chains,
       main_chains,
       path
ORDER BY hops, material, path
