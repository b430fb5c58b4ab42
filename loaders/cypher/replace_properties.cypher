// name: replace_properties
// description: Replace all the properties of nodes, found by uri, with the given maps (uri included).
// param: rows (list of map) = [{"uri": "urn:x", "props": {"uri": "urn:x", "name": "x"}}]
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n = row.props
