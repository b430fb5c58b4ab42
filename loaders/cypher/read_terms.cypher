// name: read_terms
// description: The IRIs behind the labels, relationship types and property names that loads have created.
// returns: kind (string), name (string), iri (string)
MATCH (t:_KgTerm)
RETURN t.kind AS kind, t.name AS name, t.iri AS iri
