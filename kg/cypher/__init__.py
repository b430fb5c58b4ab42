"""Cypher for people: running a query read-only and bounded, its parameters, the query packs, the schema, finding
nodes by name. The library's own Cypher files sit beside these modules."""
