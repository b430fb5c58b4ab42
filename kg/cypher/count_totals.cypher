// name: count_totals
// description: How many nodes and relationships the graph holds.
// returns: nodes (integer), relationships (integer)
MATCH (n)
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
