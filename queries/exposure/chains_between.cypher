// name: chains_between
// description: The chains of USED_IN steps from one material to a component, product, sector or company (what it makes), a page at a time.
// param: material (string) = "dysprosium" -- the material's name or alternative label (case-insensitive)
// param: name (string) = "Wheel-speed sensor" -- the name or alternative label of the target; a company stands for what it makes
// param: max_hops (integer) = 8 -- the longest chain listed (at most 12)
// param: skip (integer) = 0 -- how many chains to pass over (the page's start)
// param: limit (integer) = 50 -- how many chains to list (the page's size)
// returns: chain (list of string), hops (integer)
// question: Through which chains exactly does this target depend on this material?
//
// The chains themselves, for one material and one target, when their number (upstream_chains) is worth reading
// through: a page of at most limit chains after the first skip, in the order the engine finds them (stable while
// the graph does not change). No ORDER BY: sorting would need every chain first, and a page's cost is meant to
// grow with the page, not with the number of chains. The chains are followed from the target upstream: what a
// part depends on is usually far less than everything a material goes into.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
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
MATCH p = (t)<-[:USED_IN*1..12]-(m)
WHERE length(p) <= $max_hops
RETURN reverse([x IN nodes(p) | x.name]) AS chain, length(p) AS hops
SKIP $skip
LIMIT $limit
