// name: schema_names
// description: The labels and relationship types the database knows.
// returns: kind (string), name (string)
CALL db.labels() YIELD label
RETURN 'label' AS kind, label AS name
UNION ALL
CALL db.relationshipTypes() YIELD relationshipType
RETURN 'relationship' AS kind, relationshipType AS name
