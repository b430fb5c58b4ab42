// name: read_prefixes
// description: The namespace prefixes that earlier loads assigned.
// returns: prefix (string), namespace (string)
MATCH (p:_KgPrefix)
RETURN p.prefix AS prefix, p.namespace AS namespace
