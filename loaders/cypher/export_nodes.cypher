// name: export_nodes
// description: Every resource node, or those a named graph contributed to, with labels and properties.
// param: graph (string) = ""
// param: all (boolean) = true
// returns: uri (string), labels (list of string), props (map)
MATCH (n:Resource)
WHERE $all OR $graph IN coalesce(n._graphs, [''])
RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props
