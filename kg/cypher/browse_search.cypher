// name: browse_search
// description: Value-chain entities whose name, alternative label or code (ISO 3166 code, chemical symbol) matches the typed text, ignoring case, best first.
// param: q (string) = "gallium" -- the text typed so far (the caller does not run this with an empty text)
// param: labels (list of string) = ["Material", "Component", "Country"] -- the value-chain labels searched; kg.browse.api passes its own list
// param: limit (integer) = 10 -- the most results returned
// returns: id (string), name (string), labels (list of string), matched (string), rank (integer)
// question: Which entity does a person mean while typing its name?
//
// rank: 0 the name is the text; 1 an alternative label or a code is the text; 2 the name starts with it; 3 an
// alternative label starts with it; 4 the name contains it; 5 an alternative label contains it. Codes match only
// whole (a two-letter code containing the text would be noise). matched is the alternative label or code that
// matched, null when the name did. A plain scan of :Resource: a few thousand nodes answer in milliseconds, and
// CONTAINS cannot use the name index on either backend anyway. Names, labels and codes are compared as text
// (toString): a name loaded from `rdfs:label 42` is an integer, so the order uses the text form (`text`), not the
// returned `name`, which is what Neo4j sees after RETURN.
MATCH (n:Resource)
WHERE n.name IS NOT NULL AND any(label IN labels(n) WHERE label IN $labels)
WITH n, toLower($q) AS q, toLower(toString(n.name)) AS text
WITH n, q, text,
  [alt IN coalesce(n.altLabels, []) WHERE toLower(toString(alt)) CONTAINS q] AS alts,
  [code IN [n.iso2, n.iso3, n.symbol] WHERE code IS NOT NULL AND toLower(toString(code)) = q] AS codes
WHERE text CONTAINS q OR size(alts) > 0 OR size(codes) > 0
WITH n, text, q, alts, codes,
  [alt IN alts WHERE toLower(toString(alt)) = q] AS exact,
  [alt IN alts WHERE toLower(toString(alt)) STARTS WITH q] AS prefixed
WITH n, text,
  CASE
    WHEN text = q THEN 0
    WHEN size(exact) > 0 OR size(codes) > 0 THEN 1
    WHEN text STARTS WITH q THEN 2
    WHEN size(prefixed) > 0 THEN 3
    WHEN text CONTAINS q THEN 4
    ELSE 5
  END AS rank,
  head(exact + codes + prefixed + alts) AS alt
RETURN n.uri AS id, n.name AS name, labels(n) AS labels,
  CASE WHEN rank IN [0, 2, 4] THEN null ELSE alt END AS matched, rank
ORDER BY rank, size(text), text, id
LIMIT $limit
