// name: substitutes_for
// description: Known substitutes for a material, for a group it belongs to or for an intermediate made from it, by application, with the source.
// param: material (string) = "neodymium" -- a material's name or alternative label
// returns: replaces (string), substitute (string), application (string), note (string), source (string)
// question: What could replace this material (or the magnets, alloys and wafers made from it), and in which applications?
// One row per substitution and application it is limited to (application null: no limit given). replaces is
// what the substitution replaces: the material itself, a group it belongs to (up to 3 levels) or an
// intermediate reached from it through USED_IN over materials only. source: the titles of its sources,
// sorted and joined with "; ".
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
CALL (m) {
  RETURN m AS replaced
  UNION
  MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
  RETURN g AS replaced
  UNION
  MATCH (m) (()-[:USED_IN]->(:Material)){1,6} (i:Intermediate)
  RETURN i AS replaced
}
WITH DISTINCT replaced
MATCH (sub:Substitution)-[:REPLACES]->(replaced)
MATCH (sub)-[:SUBSTITUTE]->(alternative)
CALL (sub) {
  OPTIONAL MATCH (sub)-[:SOURCE]->(src:Source)
  WITH src.title AS title
  ORDER BY title
  WITH collect(title) AS titles
  RETURN CASE size(titles) WHEN 0 THEN null
         ELSE reduce(joined = head(titles), t IN tail(titles) | joined + '; ' + t) END AS source
}
OPTIONAL MATCH (sub)-[:IN_APPLICATION]->(app)
RETURN DISTINCT replaced.name AS replaces,
       alternative.name AS substitute,
       app.name AS application,
       sub.note AS note,
       source
ORDER BY replaces, substitute, application, note
