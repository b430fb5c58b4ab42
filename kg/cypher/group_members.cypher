// name: group_members
// description: The members of a material group (up to three group levels down), sorted; none for a material that is not a group.
// param: group (string) = "rare earth elements" -- the group's node name
// returns: name (string)
MATCH (g:Material {name: $group})
MATCH (m:Material)-[:MEMBER_OF_GROUP*1..3]->(g)
WHERE NOT m:MaterialGroup
RETURN DISTINCT m.name AS name
ORDER BY name
