// name: resource_uris
// description: The uri of every resource: what a load reads instead of looking up each of its nodes, when the graph is small beside the file.
// returns: uri (string)
MATCH (n:Resource)
RETURN n.uri AS uri
