// name: terminate_transactions
// description: Ends the given transactions (Neo4j only): a read whose time is up or whose caller stopped waiting.
// param: ids (list of string) = ["neo4j-transaction-42"] -- transaction ids from tagged_transactions
TERMINATE TRANSACTIONS $ids
