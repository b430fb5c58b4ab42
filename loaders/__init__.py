"""Loaders: RDF and spreadsheets into the graph, and RDF back out.

They receive an open `neo4j.Driver` (and the database name) from the caller; they never build one.
"""
