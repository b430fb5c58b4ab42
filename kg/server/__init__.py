"""The graph server: the embedded default's process, connections to it or to Neo4j, and ending queries on it."""
