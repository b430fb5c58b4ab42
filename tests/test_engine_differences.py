"""Where the embedded default differs from Neo4j: each difference the README lists ("Where the embedded default
differs from Neo4j"), shown on both engines, with what crm-kg does about it. No more, no fewer than the README's.

The README's list is checked against the tests below by name (test_the_readme_lists_exactly_these), so a difference
cannot be added to one without the other.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import neo4j
import pytest

from kg.core.errors import QueryFailed
from kg.cypher.querying import run_query
from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file

pytestmark = pytest.mark.graph

TESTS = Path(__file__).resolve().parent
README = TESTS.parent / "README.md"
# The README's bullet for each difference starts with these words; the test that shows it is named beside it.
DIFFERENCES = {
    "a session opened read-only still accepts writes": "test_a_read_session_refuses_writes_on_neo4j_only",
    "one name cannot be both a label and a relationship type": "test_a_name_both_label_and_type_loads_on_neo4j_only",
    "a zoned datetime sent as a query parameter is stored in UTC without its offset": (
        "test_a_zoned_datetime_keeps_its_offset_on_neo4j_only"
    ),
    "labels must be known when a node is created under the uniqueness constraint": (
        "test_a_label_added_where_the_node_was_merged_fails_on_the_embedded_server_only"
    ),
    "the embedded server has write procedures of its own": "test_write_procedures_exist_on_the_embedded_server_only",
    "a label or relationship type cannot hold `*` there": "test_a_star_in_a_type_name_loads_on_neo4j_only",
    "`LOAD CSV` cannot read files or URLs on the embedded server": (
        "test_load_csv_reads_files_on_neo4j_only"
    ),
    "the servers word their error messages differently": (
        "test_cli_query.py::test_syntax_errors_are_one_line_with_line_and_column"
    ),
}


def test_the_readme_lists_exactly_these() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Where the embedded default differs from Neo4j", 1)[1].split("\n## ", 1)[0]
    bullets = [" ".join(b.split()) for b in re.findall(r"^- (.+?)(?=^- |\Z)", section, re.MULTILINE | re.DOTALL)]
    assert len(bullets) == len(DIFFERENCES)
    for opening, test in DIFFERENCES.items():
        assert sum(b.startswith(opening) for b in bullets) == 1, opening
        module, _, name = test.rpartition("::")
        assert f"def {name}(" in (TESTS / (module or Path(__file__).name)).read_text(encoding="utf-8"), test


def test_a_read_session_refuses_writes_on_neo4j_only(connection: Connection) -> None:
    # crm-kg's read-only guard is therefore its own (tests/test_read_only_guard.py), on both engines.
    with connection.driver.session(database=connection.database, default_access_mode=neo4j.READ_ACCESS) as session:
        if connection.backend == "neo4j":
            with pytest.raises(neo4j.exceptions.ClientError, match=r"(?i)write.*read|read.*write|not allowed"):
                session.execute_read(lambda tx: tx.run("CREATE (:Probe)").consume())
        else:
            session.execute_read(lambda tx: tx.run("CREATE (:Probe)").consume())
    with connection.driver.session(database=connection.database) as session:
        written = session.run("MATCH (p:Probe) RETURN count(p) AS n").single()
    assert written is not None and written["n"] == (0 if connection.backend == "neo4j" else 1)


def test_a_name_both_label_and_type_loads_on_neo4j_only(connection: Connection, tmp_path: Path) -> None:
    ensure_schema(connection)
    clash = tmp_path / "clash.ttl"
    clash.write_text("@prefix : <http://example.org/base#> .\n:a :b :c .\n:x a :b .\n")
    (outcome,) = load_rdf_files(connection, [rdf_file(clash)], LoadOptions(readable_config()), validate_first=False)
    with connection.driver.session(database=connection.database) as session:
        labelled = session.run("MATCH (n:ns0__b) RETURN count(n) AS n").single()
        linked = session.run("MATCH ()-[r:ns0__b]->() RETURN count(r) AS n").single()
    if connection.backend == "neo4j":
        assert outcome.loaded, outcome.error
        assert (labelled and labelled["n"], linked and linked["n"]) == (1, 1)
    else:  # refused before anything is written, naming the name (tests/test_rdf_load.py has the whole message)
        assert not outcome.loaded
        assert "'ns0__b' would be both a label and a relationship type" in (outcome.error or "")
        assert (labelled and labelled["n"], linked and linked["n"]) == (0, 0)


def test_a_star_in_a_type_name_loads_on_neo4j_only(connection: Connection, tmp_path: Path) -> None:
    # issue 12, item 13: the embedded server failed with "Error executing Cypher command: UNWIND $rows AS row", and
    # left the type half made in its schema, so even later loads of other data using it failed
    ensure_schema(connection)
    star = tmp_path / "star.nt"
    star.write_text("<http://ex.org/a> <http://ex.org/v#rel*x> <http://ex.org/b> .\n"
                    "<http://ex.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex.org/v#T*> .\n")
    (outcome,) = load_rdf_files(connection, [rdf_file(star)], LoadOptions(readable_config()), validate_first=False)
    with connection.driver.session(database=connection.database) as session:
        nodes = session.run("MATCH (n:Resource) RETURN count(n) AS n").single()
    if connection.backend == "neo4j":
        assert outcome.loaded, outcome.error
        assert nodes is not None and nodes["n"] == 2
    else:  # refused before anything is written, naming the name and its statement
        assert not outcome.loaded
        assert outcome.error == (
            f"{star}: statement 1 (<http://ex.org/a> <http://ex.org/v#rel*x> <http://ex.org/b>): the relationship "
            "name 'ns0__rel*x' (for <http://ex.org/v#rel*x>) cannot be stored: the embedded server cannot hold '*' "
            "in a relationship name; MAP the IRI to another name in the graph config"
        )
        assert nodes is not None and nodes["n"] == 0


def test_a_zoned_datetime_keeps_its_offset_on_neo4j_only(connection: Connection) -> None:
    with connection.driver.session(database=connection.database) as session:
        # as the loader sends an xsd:dateTime with an offset (tests/test_n10s_cases.py, N15c)
        at = dt.datetime(2025, 4, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
        session.run("CREATE (:Probe {at: $at})", at=at).consume()
        record = session.run("MATCH (p:Probe) RETURN p.at AS at").single()
    assert record is not None
    at = record["at"].to_native()
    if connection.backend == "neo4j":
        assert at.utcoffset() == dt.timedelta(hours=8)
        assert (at.hour, at.minute) == (10, 0)
    else:  # the same instant, as a local date-time in UTC
        assert at.utcoffset() is None
        assert (at.hour, at.minute) == (2, 0)


def test_a_label_added_where_the_node_was_merged_fails_on_the_embedded_server_only(connection: Connection) -> None:
    # The loader therefore creates each node with all its labels at once, and adds labels to nodes that existed
    # before in statements of their own (loaders/graph/writer.py): both engines load the same way.
    ensure_schema(connection)
    def merge_then_label(tx: neo4j.ManagedTransaction) -> None:  # in a transaction of its own, as the loader writes
        tx.run("MERGE (n:Resource {uri: 'urn:probe'}) SET n:Material").consume()

    with connection.driver.session(database=connection.database) as session:
        if connection.backend == "neo4j":
            session.execute_write(merge_then_label)
        else:
            with pytest.raises(neo4j.exceptions.ConstraintError, match=r"ConstraintValidationFailed"):
                session.execute_write(merge_then_label)
        record = session.run("MATCH (n:Resource:Material {uri: 'urn:probe'}) RETURN count(n) AS n").single()
    assert record is not None and record["n"] == (1 if connection.backend == "neo4j" else 0)


def test_write_procedures_exist_on_the_embedded_server_only(connection: Connection) -> None:
    # crm-kg's queries call none of them; the read-only guard refuses them by name on both engines.
    with connection.driver.session(database=connection.database) as session:
        if connection.backend == "neo4j":
            with pytest.raises(neo4j.exceptions.ClientError, match=r"merge\.node"):
                session.run("CALL merge.node(['Probe'], {uri: 'urn:probe'})").consume()
        else:
            session.run("CALL merge.node(['Probe'], {uri: 'urn:probe'})").consume()
        record = session.run("MATCH (p:Probe) RETURN count(p) AS n").single()
    assert record is not None and record["n"] == (0 if connection.backend == "neo4j" else 1)


def test_load_csv_reads_files_on_neo4j_only(connection: Connection, tmp_path: Path) -> None:
    # With --write (read-only, the guard refuses LOAD CSV on both: tests/test_read_only_guard.py). Neo4j looks for
    # the file under its import directory (server.directories.import); the embedded server refuses the URL itself.
    text = "LOAD CSV FROM 'file:///no-such-file.csv' AS row RETURN count(row) AS n"
    with pytest.raises(QueryFailed) as failed:
        run_query(connection, text, write=True)
    if connection.backend == "neo4j":
        assert "Couldn't load the external resource" in str(failed.value)
    else:
        assert "LOAD CSV file:/// URLs are disabled" in str(failed.value)
