// name: downstream_of_material
// description: Everything downstream of a material (intermediates, components, products, sectors), each with its shortest number of steps and one shortest path.
// param: material (string) = "gallium" -- a material's name or alternative label (case-insensitive); intermediates count as materials
// param: max_hops (integer) = 6 -- the longest chain of USED_IN steps followed (at most 12)
// returns: name (string), labels (list of string), kind (string), hops (integer), path (list of string)
// question: Which intermediates, components, products and sectors depend on this material, and through how many steps?
//
// One row per reachable node. hops is the length of its shortest USED_IN chain from the material; path gives the
// names along one such chain, from the material to the node (of equal-length chains, the first by its names).
// labels are the node's labels without the loader's Resource; kind is the most specific of Intermediate,
// Component, Product and Sector.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH p = (m)-[:USED_IN*1..12]->(n)
WHERE length(p) <= $max_hops AND n <> m
WITH n, p
ORDER BY length(p), [x IN nodes(p) | x.name]
WITH n, collect(p)[0] AS p
RETURN n.name AS name,
       [l IN labels(n) WHERE l <> 'Resource'] AS labels,
       CASE
         WHEN n:Sector THEN 'Sector'
         WHEN n:Product THEN 'Product'
         WHEN n:Component THEN 'Component'
         WHEN n:Intermediate THEN 'Intermediate'
         ELSE 'Material'
       END AS kind,
       length(p) AS hops,
       [x IN nodes(p) | x.name] AS path
ORDER BY hops, name, path
