// name: browse_node
// description: One node by its uri, with its labels and the sources it cites itself.
// param: id (string) = "https://w3id.org/crm-kg/id/material/gallium" -- the node's uri
// returns: node (node), labels (list of string), sources (list of map)
// question: What does the graph hold about this entity, and on whose authority?
//
// The match on :Resource {uri} uses the uniqueness constraint's index on both backends. sources: the
// properties of each :Source the node links to with SOURCE (kg.browse.api.source_entry picks what the page shows).
MATCH (n:Resource {uri: $id})
OPTIONAL MATCH (n)-[:SOURCE]->(src:Source)
RETURN n AS node, labels(n) AS labels, collect(properties(src)) AS sources
