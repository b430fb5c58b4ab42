"""Loaders: RDF and spreadsheets into the graph, and RDF back out.

They receive an open transaction or `kg.server.connection.Connection` from the caller; they never open a connection.
`loaders.rdf` (RDF files, and RDF back out) and `loaders.table` (spreadsheets) each read their input their own way
and share `loaders.graph`: how statements become nodes and relationships, the one module that writes
(`loaders.graph.writer`, in `UNWIND $rows` batches inside one transaction per file), provenance and unload. An RDF
file goes parse (pyoxigraph, streaming) -> validate (SHACL) -> map (pure: statements in, rows out) -> write.
"""

from importlib.resources import files


def loader_cypher(name: str) -> str:
    """The text of one of the loaders' own Cypher files (`loaders/cypher/NAME.cypher`)."""
    return files("loaders").joinpath("cypher", f"{name}.cypher").read_text(encoding="utf-8")
