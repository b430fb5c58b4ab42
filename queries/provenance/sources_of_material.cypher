// name: sources_of_material
// description: The sources that the graph's facts about a material rest on, with how many facts each backs.
// param: material (string) = "gallium" -- a material's name or alternative label (case-insensitive)
// returns: source (string), publisher (list of string), year (integer), url (string), facts (integer)
// question: Where does what we know about this material come from, and how much rests on each source?
//
// The facts about a material: the material node itself and every node that points to it as its MATERIAL (supply
// shares and gaps, import reliance, use shares, controlled items), REPLACES or SUBSTITUTE (substitutions) or
// COVERS_MATERIAL (agreements, export controls). facts counts those that cite the source with SOURCE (a gap's
// CHECKED_SOURCE is not counted; a fact with several sources counts for each). year is the source's publication
// year (null when it states none). Most facts first, then the latest year, then by title.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
OPTIONAL MATCH (x)-[:MATERIAL|REPLACES|SUBSTITUTE|COVERS_MATERIAL]->(m)
WITH m, collect(DISTINCT x) AS about
UNWIND about + [m] AS fact
MATCH (fact)-[:SOURCE]->(src:Source)
WITH src, count(DISTINCT fact) AS facts
ORDER BY facts DESC, coalesce(src.year, -1) DESC, src.title, src.uri
RETURN coalesce(src.title, last(split(src.uri, '/'))) AS source,
       src.publisher AS publisher,
       src.year AS year,
       src.url AS url,
       facts
