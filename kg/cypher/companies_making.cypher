// name: companies_making
// description: The companies that make any of the named nodes, with their headquarters country and whether it is an EU member state.
// param: names (list) = ["Wheel-speed sensor"] -- node names
// returns: company (string), hq_country (string), eu_member (boolean), makes (string)
MATCH (co:Company)-[:MAKES]->(x)
WHERE x.name IN $names
OPTIONAL MATCH (co)-[:HEADQUARTERED_IN]->(hq:Country)
RETURN co.name AS company,
       hq.name AS hq_country,
       EXISTS { (hq)-[:MEMBER_OF]->(eu:CountryGroup) WHERE eu.uri ENDS WITH '/countrygroup/EU' } AS eu_member,
       x.name AS makes
ORDER BY company, makes
