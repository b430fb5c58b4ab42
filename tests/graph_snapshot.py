"""A whole graph as plain data, to compare two graphs exactly in tests."""

from __future__ import annotations

from typing import Any

from kg.cypher.plain import plain as to_plain
from kg.server.connection import Connection

NODES = "MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"
RELATIONSHIPS = (
    "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b"
)
RESOURCES = "MATCH (n:Resource) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"


def snapshot(connection: Connection, *, resources_only: bool = False) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Nodes keyed by uri (labels sorted, properties as plain data) and relationships as sorted tuples.

    `resources_only` leaves out the loader's own bookkeeping nodes (namespace prefixes, vocabulary).
    """
    with connection.driver.session(database=connection.database) as session:
        nodes = session.run(RESOURCES if resources_only else NODES).data()
        relationships = session.run(RELATIONSHIPS).data()
    key_of = {n["id"]: n["props"].get("uri") or f"(no uri) {sorted(n['labels'])} {n['props']}" for n in nodes}
    by_uri = {key_of[n["id"]]: (sorted(n["labels"]), to_plain(n["props"])) for n in nodes}
    rels = sorted(
        (key_of[r["a"]], r["type"], key_of[r["b"]], repr(sorted(to_plain(r["props"]).items()))) for r in relationships
    )
    return by_uri, rels
