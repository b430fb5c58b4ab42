// name: company_makes
// description: What a company makes (materials, components, products), by name.
// param: company (string) = "Bosch" -- the company's own name
// returns: name (string)
MATCH (c:Company {name: $company})-[:MAKES]->(x)
RETURN DISTINCT x.name AS name
ORDER BY name
