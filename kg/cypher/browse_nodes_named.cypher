// name: browse_nodes_named
// description: The nodes with these exact names, to turn a result's path column (a list of names) into graph nodes.
// param: names (list of string) = ["gallium", "gallium metal", "GaN wafer"]
// returns: id (string), name (string), labels (list of string)
// question: Which nodes do the names along a dependency path stand for?
//
// A name can belong to several nodes (an intermediate and an export control's item, say);
// kg.core.kinds.pick_named keeps the one of the most specific value-chain kind. The canned reports colour their
// dependency paths with the same pick (kg.reports.builders.ReportContext.labels_of).
MATCH (n:Resource)
WHERE n.name IN $names
RETURN n.uri AS id, n.name AS name, labels(n) AS labels
ORDER BY name, id
