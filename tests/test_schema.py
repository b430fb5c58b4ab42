import threading

import pytest

from kg.cypher.querying import run_query
from kg.cypher.schema import ensure_schema, graph_counts, statements
from kg.server.connection import Connection

from .backends import GraphDatabase

pytestmark = pytest.mark.graph


def test_statements_split_a_file_and_drop_comments() -> None:
    text = (
        "// header\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\n"
        "// why\nCREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y);\n"
    )
    assert statements(text) == [
        "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)",
        "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y)",
    ]


def constraint_names(connection: Connection) -> list[str]:
    with connection.driver.session(database=connection.database) as session:
        return sorted(r["name"] for r in session.run("SHOW CONSTRAINTS").data())


def test_schema_setup_is_idempotent_and_enforces_unique_uris(connection: Connection) -> None:
    ensure_schema(connection)
    ensure_schema(connection)  # a second run changes nothing and fails nothing
    assert constraint_names(connection) == ["kg_prefix", "kg_prefix_namespace", "kg_term", "resource_uri"]
    with connection.driver.session(database=connection.database) as session:
        session.run("CREATE (:Resource {uri: 'urn:x'})").consume()
        with pytest.raises(Exception, match=r"(?i)duplicat|already exists|constraint"):
            session.run("CREATE (:Resource {uri: 'urn:x'})").consume()


def test_counts_by_label_and_type(connection: Connection) -> None:
    with connection.driver.session(database=connection.database) as session:
        session.run(
            "CREATE (a:Resource:Material {uri: 'a'})-[:USED_IN]->(b:Resource:Component {uri: 'b'}),"
            " (a)-[:USED_IN]->(:Resource:Component {uri: 'c'}), (b)-[:PART_OF]->(:Resource:Product {uri: 'd'})"
        ).consume()
    counts = graph_counts(connection)
    assert (counts.nodes, counts.relationships) == (4, 3)
    assert dict(counts.labels) == {"Resource": 4, "Component": 2, "Material": 1, "Product": 1}
    assert dict(counts.relationship_types) == {"USED_IN": 2, "PART_OF": 1}


def create_at_once(database: GraphDatabase, count: int) -> list[BaseException]:
    """`count` commands, each with a connection of its own, creating the schema at the same moment; their failures."""
    start = threading.Barrier(count)
    failures: list[BaseException] = []

    def create() -> None:
        with database.connect() as own:
            start.wait()
            try:
                ensure_schema(own)
            except Exception as error:
                failures.append(error)

    threads = [threading.Thread(target=create) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_commands_creating_the_schema_at_the_same_moment_all_succeed(database: GraphDatabase) -> None:
    # issue 12: two `kg load` started together failed on Neo4j with EquivalentSchemaRuleAlreadyExists (IF NOT EXISTS
    # does not cover two creations at once), as "kg failed unexpectedly"
    names = ("resource_uri", "resource_name", "kg_prefix", "kg_prefix_namespace", "kg_term")
    with database.connect() as connection:
        for _ in range(4):
            with connection.driver.session(database=connection.database) as session:
                for name in names:
                    kind = "INDEX" if name == "resource_name" else "CONSTRAINT"
                    session.run(f"DROP {kind} {name} IF EXISTS").consume()
            assert create_at_once(database, 4) == []
        shown = run_query(connection, "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name").rows
        assert [row[0] for row in shown] == ["kg_prefix", "kg_prefix_namespace", "kg_term", "resource_uri"]
