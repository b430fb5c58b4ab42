// name: controlled_from_country
// description: Companies controlled from a country, directly or through a chain of parent companies or majority owners, or headquartered there; with the chain and what they make.
// param: iso2 (string) = "CN" -- ISO alpha-2 code of the country
// returns: company (string), hq_country (string), control_path (list of string), makes (list of string)
// question: Which companies are controlled, directly or through a chain, from this country, and what do they make?
// A control step is a CONTROLLED_BY link or an Ownership of more than half (ownershipShare > 0.5; a stake of
// unknown size is not taken as control). A company is listed when a chain of 1 to 4 steps ends in the
// country, or in a company headquartered there, or when it is headquartered there itself. control_path:
// names from the company to the country (a final company -> country step is its headquarters); the shortest
// chain is shown (ties: the first in text order).
// The chains are followed outwards from the country (or from the companies headquartered there), each step
// checked as it is taken (a quantified path pattern), so that only control chains are ever followed, not every
// path through the company graph.
MATCH (c:Country)
WHERE c.iso2 = toUpper($iso2)
CALL (c) {
  MATCH (co:Company)-[:HEADQUARTERED_IN]->(c)
  RETURN co, [co.name, c.name] AS control_path
  UNION
  MATCH p = (c) ((x)-[r:CONTROLLED_BY|OWNED|OWNER]-(y) WHERE
                  (type(r) = 'CONTROLLED_BY' AND startNode(r) = y)
                  OR (type(r) = 'OWNER' AND startNode(r) = y AND coalesce(y.ownershipShare, 0.0) > 0.5)
                  OR (type(r) = 'OWNED' AND startNode(r) = x)){1,8} (co:Company)
  WITH co, reverse([n IN nodes(p) WHERE NOT n:Ownership | n.name]) AS control_path
  WHERE size(control_path) <= 5
  RETURN co, control_path
  UNION
  MATCH (parent:Company)-[:HEADQUARTERED_IN]->(c)
  MATCH p = (parent) ((x)-[r:CONTROLLED_BY|OWNED|OWNER]-(y) WHERE
                       (type(r) = 'CONTROLLED_BY' AND startNode(r) = y)
                       OR (type(r) = 'OWNER' AND startNode(r) = y AND coalesce(y.ownershipShare, 0.0) > 0.5)
                       OR (type(r) = 'OWNED' AND startNode(r) = x)){1,8} (co:Company)
  WITH co, reverse([n IN nodes(p) WHERE NOT n:Ownership | n.name]) + [c.name] AS control_path
  WHERE size(control_path) <= 6
  RETURN co, control_path
}
WITH co, control_path
ORDER BY size(control_path), reduce(text = '', n IN control_path | text + n + '|')
WITH co, collect(control_path)[0] AS control_path
OPTIONAL MATCH (co)-[:HEADQUARTERED_IN]->(hq:Country)
CALL (co) {
  OPTIONAL MATCH (co)-[:MAKES]->(x)
  WITH x.name AS made
  ORDER BY made
  RETURN collect(made) AS makes
}
RETURN co.name AS company,
       hq.name AS hq_country,
       control_path,
       makes
ORDER BY company
