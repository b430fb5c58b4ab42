// name: save_terms
// description: Remember which IRI each label, relationship type and property name stands for.
// param: rows (list of map) = [{"key": "property|name", "kind": "property", "name": "name", "iri": "http://www.w3.org/2000/01/rdf-schema#label"}]
UNWIND $rows AS row
MERGE (t:_KgTerm {key: row.key})
SET t.kind = row.kind, t.name = row.name, t.iri = row.iri
