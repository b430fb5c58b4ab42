// name: graph_relationships_delete
// description: Delete the relationships that only this named graph contributed.
// param: graph (string) = "https://example.org/graphs/suppliers-2025"
// returns: deleted (integer)
MATCH ()-[r]->()
WHERE r._graphs = [$graph]
DELETE r
RETURN count(*) AS deleted
