// name: companies_exposed_to_material
// description: Companies that make something downstream of a material (an intermediate, component or product it goes into), with how many steps away.
// param: material (string) = "gallium" -- a material's name or alternative label
// param: max_hops (integer) = 6 -- the longest USED_IN chain to follow (at most 12)
// returns: company (string), hq_country (string), makes (string), hops (integer)
// question: Which companies make things that depend on this material, and through how many steps?
// One row per company and thing it makes that the material reaches through 1..max_hops USED_IN steps, with
// the shortest such number of steps. Companies that make the material itself are not listed (hops 0).
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
MATCH p = (m)-[:USED_IN*1..12]->(x)
WHERE length(p) <= $max_hops
WITH x, min(length(p)) AS hops
MATCH (co:Company)-[:MAKES]->(x)
OPTIONAL MATCH (co)-[:HEADQUARTERED_IN]->(hq:Country)
RETURN co.name AS company,
       hq.name AS hq_country,
       x.name AS makes,
       hops
ORDER BY hops, company, makes
