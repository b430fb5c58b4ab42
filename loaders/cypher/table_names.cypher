// name: table_names
// description: The names and alternative labels of the nodes with one of the labels (every node when none is given), to suggest the closest names for a name that matched nothing.
// param: labels (list of string) = ["Country"]
// returns: name (string), altLabels (list of string)
MATCH (n:Resource)
WHERE size($labels) = 0 OR any(label IN labels(n) WHERE label IN $labels)
RETURN n.name AS name, n.altLabels AS altLabels
