// name: table_lookup_uris
// description: The nodes with these uris (and one of the labels, when any are given). How a spreadsheet's cells that hold uris find their nodes.
// param: labels (list of string) = ["Material"]
// param: values (list of string) = ["https://w3id.org/crm-kg/id/material/gallium"]
// returns: value (string), uri (string), name (string), labels (list of string)
UNWIND $values AS value
MATCH (n:Resource {uri: value})
WHERE size($labels) = 0 OR any(label IN labels(n) WHERE label IN $labels)
RETURN value, n.uri AS uri, n.name AS name, labels(n) AS labels
