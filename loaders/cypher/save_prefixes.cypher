// name: save_prefixes
// description: Remember namespace prefixes so that later loads and exports use the same ones.
// param: rows (list of map) = [{"prefix": "ns0", "namespace": "http://xmlns.com/foaf/0.1/"}]
UNWIND $rows AS row
MERGE (p:_KgPrefix {prefix: row.prefix})
SET p.namespace = row.namespace
