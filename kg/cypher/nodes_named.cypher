// name: nodes_named
// description: The nodes of one label whose name or any alternative label (for a country also its ISO 3166 alpha-2 or alpha-3 code) is the given text, ignoring case.
// param: label (string) = "Material" -- the node label; kg.cypher.names checks it against its own list before running this
// param: name (string) = "gallium" -- the text a person typed
// returns: uri (string), name (string), labels (list of string), by_name (boolean), by_code (boolean)
// question: Which node does a person mean by this name?
MATCH (n:$($label))
WITH n, toLower($name) AS wanted
WHERE toLower(n.name) = wanted
  OR any(alt IN coalesce(n.altLabels, []) WHERE toLower(alt) = wanted)
  OR toLower(n.iso2) = wanted
  OR toLower(n.iso3) = wanted
RETURN n.uri AS uri, n.name AS name, labels(n) AS labels,
  coalesce(toLower(n.name) = wanted, false) AS by_name,
  coalesce(toLower(n.iso2) = wanted, false) OR coalesce(toLower(n.iso3) = wanted, false) AS by_code
ORDER BY name, uri
