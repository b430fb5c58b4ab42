// name: material_profile
// description: Per material, as of a date: the export controls in force that cover it (directly, through a group or through an intermediate made from it), its latest EU import reliance and its known substitutes.
// param: materials (list) = ["dysprosium", "gallium"] -- material names (exact node names)
// param: as_of (date) = "2025-06-01" -- the date, YYYY-MM-DD
// returns: material (string), controls (list of string), controls_via (list of string), controls_direct (integer), import_reliance (float), import_reliance_stage (string), import_reliance_year (integer), substitutes (list of string)
// question: Which of these materials are under an export control in force on this date, how much does the EU rely on imports of them, and what could replace them?
//
// controls: one entry per export control in force on the date (as in controls_in_force: effective, not suspended,
// not lifted), "NAME [LEGAL REFERENCE] (ISO2, in force since YYYY-MM-DD)"; controls_via, in the same order, what
// each covers on the way, joined by ", ": the material itself, a group it belongs to (up to 3 levels) or an
// intermediate made from it through USED_IN over materials only. controls_direct counts those that cover the
// material itself or a group it belongs to. import_reliance: the highest of the latest EU import-reliance figures per stage with a reference
// year up to the as-of year (null when the graph has none), with its stage and year. substitutes: the names of
// substitutes of the material, its groups or its intermediates, sorted.
MATCH (m:Material)
WHERE m.name IN $materials
CALL (m) {
  CALL (m) {
    RETURN m AS covered, true AS direct
    UNION
    MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
    RETURN g AS covered, true AS direct
    UNION
    MATCH (m) (()-[:USED_IN]->(:Material)){1,6} (i:Intermediate)
    RETURN i AS covered, false AS direct
  }
  MATCH (x:ExportControl)-[:COVERS_MATERIAL]->(covered)
  MATCH (x)-[:ISSUED_BY]->(issuer:Country)
  WHERE x.effectiveFrom <= date($as_of)
    AND NOT (x.suspendedFrom IS NOT NULL AND x.suspendedFrom <= date($as_of)
             AND (x.suspendedUntil IS NULL OR date($as_of) <= x.suspendedUntil))
    AND NOT (x.liftedOn IS NOT NULL AND x.liftedOn <= date($as_of))
  WITH x, issuer, covered.name AS via, direct
  ORDER BY via
  WITH x, issuer, collect(DISTINCT via) AS vias, max(CASE WHEN direct THEN 1 ELSE 0 END) AS direct
  ORDER BY x.effectiveFrom, x.name
  RETURN collect(x.name + ' [' + coalesce(x.legalReference, '?') + '] (' + coalesce(issuer.iso2, issuer.name)
                 + ', in force since ' + toString(x.effectiveFrom) + ')') AS controls,
         collect(reduce(s = head(vias), v IN tail(vias) | s + ', ' + v)) AS controls_via,
         sum(direct) AS controls_direct
}
CALL (m) {
  OPTIONAL MATCH (r:ImportReliance)-[:MATERIAL]->(m)
  WHERE r.referenceYear <= date($as_of).year
  OPTIONAL MATCH (r)-[:STAGE]->(st)
  WITH r, st
  ORDER BY r.referenceYear DESC, r.share DESC
  WITH st, collect(r)[0] AS latest
  ORDER BY latest.share DESC, st.uri
  RETURN collect({share: latest.share, stage: last(split(st.uri, '/')), year: latest.referenceYear})[0] AS reliance
}
CALL (m) {
  CALL (m) {
    RETURN m AS replaced
    UNION
    MATCH (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup)
    RETURN g AS replaced
    UNION
    MATCH (m) (()-[:USED_IN]->(:Material)){1,6} (i:Intermediate)
    RETURN i AS replaced
  }
  MATCH (sub:Substitution)-[:REPLACES]->(replaced)
  MATCH (sub)-[:SUBSTITUTE]->(alternative)
  WITH DISTINCT alternative.name AS name
  ORDER BY name
  RETURN collect(name) AS substitutes
}
RETURN m.name AS material,
       controls,
       controls_via,
       controls_direct,
       reliance.share AS import_reliance,
       reliance.stage AS import_reliance_stage,
       reliance.year AS import_reliance_year,
       substitutes
ORDER BY material
