// name: update_nodes
// description: Set the given properties on existing nodes, found by uri; returns their element ids (the writer finds them by id for the rest of the transaction).
// param: rows (list of map) = [{"uri": "urn:x", "props": {"name": "x"}}]
// returns: ids (list of list of string)
UNWIND $rows AS row
MATCH (n:Resource {uri: row.uri})
SET n += row.props
RETURN collect([n.uri, elementId(n)]) AS ids
