// name: eu_member_names
// description: The names of the EU's member states, to pick out EU companies.
// returns: name (string)
MATCH (c:Country)-[:MEMBER_OF]->(eu:CountryGroup)
WHERE eu.uri ENDS WITH '/EU'
RETURN c.name AS name
ORDER BY name
