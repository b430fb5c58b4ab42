import pytest

from kg.connection import Connection
from kg.schema import ensure_schema, graph_counts, statements

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
