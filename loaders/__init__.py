"""Loaders: RDF and spreadsheets into the graph, and RDF back out.

They receive an open transaction or `kg.server.connection.Connection` from the caller; they never open a connection.
Pipeline: parse (pyoxigraph, streaming) -> map (pure: statements in, node and relationship rows out) -> write
(`loaders.writer`, the one module that writes, in `UNWIND $rows` batches inside one transaction per file).
"""

from importlib.resources import files


def loader_cypher(name: str) -> str:
    """The text of one of the loaders' own Cypher files (`loaders/cypher/NAME.cypher`)."""
    return files("loaders").joinpath("cypher", f"{name}.cypher").read_text(encoding="utf-8")
