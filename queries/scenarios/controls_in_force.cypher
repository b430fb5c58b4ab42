// name: controls_in_force
// description: A country's export controls in force on a date that cover a material, a group it belongs to or an intermediate made from it.
// param: country (string) = "CN" -- the issuing country: ISO alpha-2 code (alpha-3 or name also accepted)
// param: as_of (date) = "2025-06-01" -- the date, YYYY-MM-DD
// param: material (string) = "dysprosium" -- a material's name or alternative label
// returns: control (string), legal_reference (string), regime (string), announced (string), effective (string), suspended_until (string), covers (list of string)
// question: Which export controls of this country restrict this material on this date, directly, through its group or through what is made from it?
// In force on D: effectiveFrom <= D, not suspended (suspendedFrom <= D <= suspendedUntil, its last day; no end date = still
// suspended) and not lifted (liftedOn <= D). Groups are followed up to 3 levels (dysprosium -> heavy rare
// earths -> rare earths); intermediates are those reached from the material through USED_IN over
// materials only. covers: the names of the covered materials that link the control to the asked one, sorted.
// suspended_until is the control's suspension end whenever it has one, whether or not D falls in it.
MATCH (m:Material)
WHERE toLower(m.name) = toLower($material)
   OR any(a IN coalesce(m.altLabels, []) WHERE toLower(a) = toLower($material))
CALL (m) {
  RETURN m AS covered
  UNION
  MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
  RETURN g AS covered
  UNION
  MATCH (m) (()-[:USED_IN]->(:Material)){1,6} (i:Intermediate)
  RETURN i AS covered
}
WITH DISTINCT covered
MATCH (x:ExportControl)-[:COVERS_MATERIAL]->(covered)
MATCH (x)-[:ISSUED_BY]->(c:Country)
WHERE (c.iso2 = toUpper($country) OR c.iso3 = toUpper($country) OR toLower(c.name) = toLower($country))
  AND x.effectiveFrom <= date($as_of)
  AND NOT (x.suspendedFrom IS NOT NULL AND x.suspendedFrom <= date($as_of)
           AND (x.suspendedUntil IS NULL OR date($as_of) <= x.suspendedUntil))
  AND NOT (x.liftedOn IS NOT NULL AND x.liftedOn <= date($as_of))
WITH x, covered.name AS covered_name
ORDER BY covered_name
WITH x, collect(DISTINCT covered_name) AS covers
RETURN x.name AS control,
       x.legalReference AS legal_reference,
       x.regime AS regime,
       toString(x.announcedOn) AS announced,
       toString(x.effectiveFrom) AS effective,
       toString(x.suspendedUntil) AS suspended_until,
       covers
ORDER BY effective, control
