"""The graph's constraints and indexes, and its size: one idempotent place, run before any load."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j
from neo4j.exceptions import ClientError

from kg.core.cypher_files import own_cypher
from kg.server.connection import Connection


def statements(text: str) -> list[str]:
    """The statements of a multi-statement .cypher file, without comment lines."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [part.strip() for part in body.split(";") if part.strip()]


def ensure_schema(connection: Connection) -> None:
    """Create the constraints and indexes that do not exist yet (`IF NOT EXISTS`, on Neo4j 5 and the embedded default).

    Each statement runs in its own transaction: Neo4j does not mix schema and data changes in one.
    """
    with connection.driver.session(database=connection.database) as session:
        for statement in statements(own_cypher("kg", "schema")):
            try:
                session.execute_write(_run_statement, statement)
            except ClientError as error:
                # Another `kg` creating the same index at the same moment: IF NOT EXISTS does not cover that race
                # on Neo4j, which refuses the second one. It exists now, which is all this asks.
                if error.code not in _CREATED_BY_ANOTHER:
                    raise


_CREATED_BY_ANOTHER = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
}


def _run_statement(tx: neo4j.ManagedTransaction, statement: str) -> None:
    tx.run(statement).consume()


@dataclass(frozen=True)
class GraphCounts:
    nodes: int
    relationships: int
    labels: tuple[tuple[str, int], ...]
    relationship_types: tuple[tuple[str, int], ...]


def graph_counts(connection: Connection) -> GraphCounts:
    with connection.driver.session(database=connection.database) as session:
        totals = session.execute_read(lambda tx: tx.run(own_cypher("kg", "count_totals")).single(strict=True))
        labels = session.execute_read(
            lambda tx: [(r["label"], r["nodes"]) for r in tx.run(own_cypher("kg", "count_labels"))]
        )
        types = session.execute_read(
            lambda tx: [(r["type"], r["relationships"]) for r in tx.run(own_cypher("kg", "count_relationship_types"))]
        )
    return GraphCounts(totals["nodes"], totals["relationships"], tuple(labels), tuple(types))
