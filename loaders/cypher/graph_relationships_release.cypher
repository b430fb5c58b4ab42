// name: graph_relationships_release
// description: Take a named graph off the relationships that other graphs contributed to as well.
// param: graph (string) = "https://example.org/graphs/suppliers-2025"
// returns: released (integer)
MATCH ()-[r]->()
WHERE $graph IN r._graphs
SET r._graphs = [g IN r._graphs WHERE g <> $graph]
RETURN count(*) AS released
