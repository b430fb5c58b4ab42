// name: upstream_materials
// description: The raw materials upstream of an intermediate, component, product or sector, each with its shortest number of steps and one shortest path.
// param: name (string) = "Wheel-speed sensor" -- the name or alternative label (case-insensitive) of the node to look upstream from; every node so named counts
// param: max_hops (integer) = 8 -- the longest chain of USED_IN steps followed (at most 12)
// returns: material (string), is_strategic (boolean), hops (integer), path (list of string)
// question: Which raw materials does this product (component, sector) depend on, directly or through other parts, and are they strategic?
//
// Raw materials are (:Material) nodes that are not (:Intermediate). hops is the length of the shortest USED_IN
// chain from the material to a node so named; path gives the names along one such chain (of equal-length chains,
// the first by its names). is_strategic: the material's own isStrategic flag, or membership of a strategic group
// (neodymium through "rare earth elements for magnets").
MATCH (t:Resource)
WHERE (t:Material OR t:Component OR t:Product OR t:Sector)
  AND (toLower(t.name) = toLower($name)
       OR any(a IN coalesce(t.altLabels, []) WHERE toLower(a) = toLower($name)))
MATCH p = (m:Material)-[:USED_IN*1..12]->(t)
WHERE length(p) <= $max_hops AND NOT m:Intermediate AND m <> t
WITH m, p
ORDER BY length(p), [x IN nodes(p) | x.name]
WITH m, collect(p)[0] AS p
RETURN m.name AS material,
       coalesce(m.isStrategic, false)
         OR EXISTS { (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup) WHERE g.isStrategic = true } AS is_strategic,
       length(p) AS hops,
       [x IN nodes(p) | x.name] AS path
ORDER BY hops, material, path
