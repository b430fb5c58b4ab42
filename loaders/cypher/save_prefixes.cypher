// name: save_prefixes
// description: Remember namespace prefixes so that later loads and exports use the same ones.
// param: rows (list of map) = [{"prefix": "ns0", "namespace": "http://xmlns.com/foaf/0.1/"}]
// returns: prefix (string), saved (string), namespace (string)
//
// A prefix that another load saved first for another namespace is returned (the caller then loads its file again,
// from the prefixes as they are now); it is never overwritten.
UNWIND $rows AS row
MERGE (p:_KgPrefix {prefix: row.prefix})
ON CREATE SET p.namespace = row.namespace
WITH p, row
WHERE p.namespace <> row.namespace
RETURN row.prefix AS prefix, p.namespace AS saved, row.namespace AS namespace
