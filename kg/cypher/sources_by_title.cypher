// name: sources_by_title
// description: The full references of sources, by title, for the list at the end of a report.
// param: titles (list of string) = ["Mineral Commodity Summaries 2026 – Gallium"]
// returns: title (string), publisher (list of string), year (integer), url (string)
MATCH (s:Source)
WHERE s.title IN $titles
RETURN s.title AS title, s.publisher AS publisher, s.year AS year, s.url AS url
ORDER BY title, url
