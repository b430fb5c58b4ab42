// name: count_relationship_types
// description: How many relationships there are of each type.
// returns: type (string), relationships (integer)
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS relationships
ORDER BY relationships DESC, type
