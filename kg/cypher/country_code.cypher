// name: country_code
// description: A country's ISO 3166 alpha-2 code, by its own name.
// param: country (string) = "China"
// returns: iso2 (string)
MATCH (c:Country {name: $country})
RETURN c.iso2 AS iso2
