// name: schema_summary
// description: Labels, relationship types and property keys present in the graph, with counts.
// returns: kind (string), name (string), count (integer)
CALL () {
  MATCH (n)
  UNWIND labels(n) AS name
  RETURN 'label' AS kind, name, count(*) AS count
  UNION ALL
  MATCH ()-[r]->()
  RETURN 'relationship type' AS kind, type(r) AS name, count(*) AS count
  UNION ALL
  MATCH (n)
  UNWIND keys(n) AS name
  RETURN 'property key' AS kind, name, count(*) AS count
}
RETURN kind, name, count
ORDER BY kind, count DESC, name
