// name: count_labels
// description: How many nodes carry each label.
// returns: label (string), nodes (integer)
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS nodes
ORDER BY nodes DESC, label
