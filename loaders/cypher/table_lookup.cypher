// name: table_lookup
// description: Nodes (with one of the labels, when any are given) that have one of the values in one of the properties, compared case-insensitively as text; a list property matches when one of its items does. How a spreadsheet's cells find the nodes they name.
// param: labels (list of string) = ["Country"]
// param: properties (list of string) = ["name", "altLabels"]
// param: values (list of string) = ["germany", "prc"]
// returns: value (string), uri (string), name (string), labels (list of string)
MATCH (n:Resource)
WHERE size($labels) = 0 OR any(label IN labels(n) WHERE label IN $labels)
UNWIND $properties AS property
WITH n, n[property] AS stored
WHERE stored IS NOT NULL
UNWIND CASE WHEN toStringOrNull(stored) IS NULL THEN stored ELSE [stored] END AS item
WITH n, toLower(toString(item)) AS value
WHERE value IN $values
RETURN DISTINCT value, n.uri AS uri, n.name AS name, labels(n) AS labels
