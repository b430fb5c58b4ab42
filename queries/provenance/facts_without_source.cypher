// name: facts_without_source
// description: Supply shares, use shares and import-reliance facts that cite no source.
// returns: kind (string), uri (string)
// question: Is every figure in the graph backed by a source?
//
// A fact counts as sourced when it has a SOURCE relationship to a (:Source) node; one that points only at a node
// that is not a declared Source is listed too. On the bundled dataset this answers no rows.
CALL () {
  MATCH (f:SupplyShare)
  WHERE NOT EXISTS { (f)-[:SOURCE]->(:Source) }
  RETURN 'SupplyShare' AS kind, f.uri AS uri
  UNION ALL
  MATCH (f:UseShare)
  WHERE NOT EXISTS { (f)-[:SOURCE]->(:Source) }
  RETURN 'UseShare' AS kind, f.uri AS uri
  UNION ALL
  MATCH (f:ImportReliance)
  WHERE NOT EXISTS { (f)-[:SOURCE]->(:Source) }
  RETURN 'ImportReliance' AS kind, f.uri AS uri
}
RETURN kind, uri
ORDER BY kind, uri
