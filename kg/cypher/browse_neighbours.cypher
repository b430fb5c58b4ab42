// name: browse_neighbours
// description: The relationships between a node and the value-chain entities next to it, USED_IN first.
// param: id (string) = "https://w3id.org/crm-kg/id/material/gallium" -- the node's uri
// param: labels (list of string) = ["Material", "Component", "Country"] -- a neighbour has one of these labels
// param: limit (integer) = 61 -- the most rows returned (one more than shown, to know whether it cut)
// returns: source (string), type (string), target (string), properties (map), id (string), name (string), labels (list of string)
// question: What is this entity directly linked to in the value chain?
//
// source and target are the uris of the relationship's ends as stored; id, name and labels describe the neighbour.
// The n-ary facts (SupplyShare, UseShare, Ownership), sources and the ontology's own terms are not neighbours:
// they have none of the labels (kg.core.kinds.VALUE_CHAIN_LABELS, which kg.browse.api passes). One pattern
// per direction (rather than comparing startNode(r)), inside one subquery so that the order and the limit apply
// to both.
MATCH (n:Resource {uri: $id})
CALL (n) {
  MATCH (n)-[r]->(x:Resource)
  WHERE any(label IN labels(x) WHERE label IN $labels)
  RETURN n.uri AS source, type(r) AS type, x.uri AS target, properties(r) AS properties, x
  UNION ALL
  MATCH (n)<-[r]-(x:Resource)
  WHERE any(label IN labels(x) WHERE label IN $labels)
  RETURN x.uri AS source, type(r) AS type, n.uri AS target, properties(r) AS properties, x
}
RETURN source, type, target, properties, x.uri AS id, x.name AS name, labels(x) AS labels
ORDER BY CASE WHEN type = 'USED_IN' THEN 0 ELSE 1 END, type, name, id
LIMIT $limit
