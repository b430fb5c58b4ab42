// name: replace_properties
// description: Replace all the properties of nodes, found by uri, with the given maps (uri included).
// param: rows (list of map) = [{"uri": "urn:x", "props": {"uri": "urn:x", "name": "x"}}]
// returns: uri (string), id (string)
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n = row.props
RETURN n.uri AS uri, elementId(n) AS id
