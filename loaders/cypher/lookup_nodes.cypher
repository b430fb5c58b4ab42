// name: lookup_nodes
// description: The labels and properties of the nodes with these uris (those that exist).
// param: uris (list of string) = ["https://w3id.org/crm-kg/id/material/gallium"]
// returns: uri (string), id (string), labels (list of string), props (map)
UNWIND $uris AS uri
MATCH (n:Resource {uri: uri})
RETURN uri, elementId(n) AS id, labels(n) AS labels, properties(n) AS props
