// name: browse_links
// description: The relationships, either way, between the given pairs of nodes (consecutive steps of result paths).
// param: pairs (list of list) = [["https://w3id.org/crm-kg/id/material/gallium", "https://w3id.org/crm-kg/id/material/gallium-metal"]] -- pairs of uris
// returns: source (string), type (string), target (string), properties (map)
// question: Through which relationship does each step of a path go?
UNWIND $pairs AS pair
MATCH (a:Resource {uri: pair[0]})-[r]->(b:Resource {uri: pair[1]})
RETURN a.uri AS source, type(r) AS type, b.uri AS target, properties(r) AS properties
UNION
UNWIND $pairs AS pair
MATCH (a:Resource {uri: pair[0]})<-[r]-(b:Resource {uri: pair[1]})
RETURN b.uri AS source, type(r) AS type, a.uri AS target, properties(r) AS properties
