// name: any_resource
// description: Whether the graph holds any resource yet (an empty graph needs no look-ups before a load).
// returns: uri (string)
MATCH (n:Resource)
RETURN n.uri AS uri
LIMIT 1
