// name: export_relationships
// description: Every relationship between resources, or those a named graph contributed.
// param: graph (string) = ""
// param: all (boolean) = true
// returns: start (string), type (string), end (string)
MATCH (a:Resource)-[r]->(b:Resource)
WHERE $all OR $graph IN coalesce(r._graphs, [''])
RETURN a.uri AS start, type(r) AS type, b.uri AS end
