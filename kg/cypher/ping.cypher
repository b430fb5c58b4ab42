// name: ping
// description: Proves the database opens and answers.
// returns: ok (integer)
RETURN 1 AS ok
