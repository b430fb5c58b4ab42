// name: table_relationships
// description: The relationships of one type from each start node to its end node (by uri), with their properties.
// param: type (string) = "HEADQUARTERED_IN"
// param: pairs (list of map) = [{"start": "https://w3id.org/crm-kg/id/company/bosch", "end": "https://w3id.org/crm-kg/id/country/DE"}]
// returns: start (string), end (string), props (map)
UNWIND $pairs AS pair
MATCH (a:Resource {uri: pair.start})-[r]->(b:Resource {uri: pair.end})
WHERE type(r) = $type
RETURN pair.start AS start, pair.end AS end, properties(r) AS props
