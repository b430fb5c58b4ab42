// name: update_nodes
// description: Set the given properties on existing nodes, found by uri.
// param: rows (list of map) = [{"uri": "urn:x", "props": {"name": "x"}}]
// returns: uri (string), id (string)
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n += row.props
RETURN n.uri AS uri, elementId(n) AS id
