// name: count_resources
// description: How many resources the graph holds (an empty graph needs no look-ups before a load; a small one is read whole).
// returns: count (integer)
MATCH (n:Resource)
RETURN count(n) AS count
