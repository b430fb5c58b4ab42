// name: update_nodes
// description: Set the given properties on existing nodes, found by uri.
// param: rows (list of map) = [{"uri": "urn:x", "props": {"name": "x"}}]
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n += row.props
