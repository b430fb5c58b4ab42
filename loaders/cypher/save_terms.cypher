// name: save_terms
// description: Remember which IRI each label, relationship type and property name stands for.
// param: rows (list of map) = [{"key": "property|name", "kind": "property", "name": "name", "iri": "http://www.w3.org/2000/01/rdf-schema#label"}]
// returns: name (string), saved (string), iri (string)
//
// A name that another load saved first for another IRI is returned (the caller then loads its file again); it is
// never overwritten.
UNWIND $rows AS row
MERGE (t:_KgTerm {key: row.key})
ON CREATE SET t.kind = row.kind, t.name = row.name, t.iri = row.iri
WITH t, row
WHERE t.iri <> row.iri
RETURN row.name AS name, t.iri AS saved, row.iri AS iri
