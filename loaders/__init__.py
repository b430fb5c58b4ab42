"""Loaders: RDF and spreadsheets into the graph, and RDF back out.

They receive an open transaction or `kg.server.connection.Connection` from the caller; they never open a connection.
`loaders.rdf` (RDF files, and RDF back out) and `loaders.table` (spreadsheets) each read their input their own way
and share `loaders.graph`: how statements become nodes and relationships, the one module that writes
(`loaders.graph.writer`, in `UNWIND $rows` batches inside one transaction per file), provenance and unload. An RDF
file goes parse (pyoxigraph, streaming) -> validate (SHACL) -> map (pure: statements in, rows out) -> write.
"""
