// name: delete_nodes
// description: Delete nodes, found by uri, with any relationship left on them.
// param: uris (list of string) = ["urn:x"]
UNWIND $uris AS uri
MATCH (n:Resource {uri: uri})
DETACH DELETE n
