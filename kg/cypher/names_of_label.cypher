// name: names_of_label
// description: Every name and alternative label of the nodes of one label, to suggest the closest ones to a name that matched nothing.
// param: label (string) = "Material" -- the node label; kg.cypher.names checks it against its own list before running this
// returns: name (string), alt_labels (list of string)
// question: What names could a person have meant?
MATCH (n:$($label))
WHERE n.name IS NOT NULL
RETURN n.name AS name, coalesce(n.altLabels, []) AS alt_labels
ORDER BY name, n.uri
