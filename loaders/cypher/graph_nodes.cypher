// name: graph_nodes
// description: The nodes a named graph contributed to, with their labels and properties.
// param: graph (string) = "https://example.org/graphs/suppliers-2025"
// returns: uri (string), labels (list of string), props (map)
MATCH (n:Resource)
WHERE $graph IN n._graphs
RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props
