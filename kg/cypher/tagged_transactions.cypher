// name: tagged_transactions
// description: The running transactions tagged with a read's id in their metadata (Neo4j only): kg.server.read_limits ends them.
// param: tag (string) = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" -- the id kg.server.read_limits gave the read
// returns: id (string)
SHOW TRANSACTIONS YIELD transactionId, metaData
WHERE metaData.kg_read = $tag
RETURN transactionId AS id
