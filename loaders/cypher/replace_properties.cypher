// name: replace_properties
// description: Replace all the properties of nodes, found by uri, with the given maps (uri included); returns their element ids.
// param: rows (list of map) = [{"uri": "urn:x", "props": {"uri": "urn:x", "name": "x"}}]
// returns: ids (list of list of string)
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n = row.props
RETURN collect([n.uri, elementId(n)]) AS ids
