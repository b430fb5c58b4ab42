"""Connecting through NEO4J_URI (the production path) and its failure messages, on each engine."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.server.embedded import EmbeddedServer, read_state

from .backends import GraphDatabase

pytestmark = pytest.mark.graph
runner = CliRunner()


def neo4j_env(
    database: GraphDatabase, scheme: str = "bolt", password: str | None = None, name: str | None = None
) -> dict[str, str]:
    """NEO4J_* variables for the test's database, as a user of that server would set them."""
    address = urlsplit(database.uri).netloc
    env = {
        "NEO4J_URI": f"{scheme}://{address}",
        "NEO4J_USERNAME": "root" if database.backend == "embedded" else database.env["NEO4J_USERNAME"],
        "NEO4J_PASSWORD": password if password is not None else database.password,
    }
    if name or database.name:
        env["NEO4J_DATABASE"] = name or database.name or ""
    return env


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_configured_uri_is_used_with_direct_and_routing_schemes(
    database: GraphDatabase, scheme: str
) -> None:
    result = runner.invoke(app, ["query", "RETURN 1 AS one", "-f", "json"], env=neo4j_env(database, scheme))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"one": 1}]


def test_a_wrong_password_names_the_variable_to_set(database: GraphDatabase) -> None:
    env = neo4j_env(database, password="not-the-password")
    result = runner.invoke(app, ["query", "RETURN 1"], env=env)
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line == (
        f"error: {env['NEO4J_URI']} refused the login of user '{env['NEO4J_USERNAME']}': "
        "set NEO4J_PASSWORD (environment or .env) and NEO4J_USERNAME to valid credentials"
    )
    assert "not-the-password" not in result.output


def test_an_unreachable_uri_names_it_and_what_to_check() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens once the probe closes
    uri = f"bolt://127.0.0.1:{port}"
    result = runner.invoke(app, ["query", "RETURN 1"], env={"NEO4J_URI": uri, "NEO4J_PASSWORD": "whatever-pw"})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: cannot reach {uri}: check that the server runs, the host and port in NEO4J_URI, "
        "and the scheme (+s for TLS, +ssc for a self-signed certificate)"
    )


def test_an_unknown_database_is_named(database: GraphDatabase) -> None:
    env = neo4j_env(database, name="nosuchdb")
    result = runner.invoke(app, ["query", "RETURN 1"], env=env)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {env['NEO4J_URI']} has no database 'nosuchdb': check the database name (NEO4J_DATABASE)"
    )


def test_status_json_of_a_configured_server(database: GraphDatabase) -> None:
    env = neo4j_env(database)
    result = runner.invoke(app, ["db", "status", "--json"], env=env)
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert status == {
        "backend": "neo4j",
        "agent": status["agent"],
        "uri": env["NEO4J_URI"],
        "database": database.name,
        "data_dir": None,
        "pid": None,
        "running": True,
        "answering": True,
        "log": None,
        "problem": None,
    }
    assert status["agent"].startswith("Neo4j/5.")
    assert env["NEO4J_PASSWORD"] not in result.stdout


def test_status_json_of_the_embedded_default(embedded: EmbeddedServer) -> None:
    result = runner.invoke(app, ["db", "status", "--json"], env={"KG_DATA_DIR": str(embedded.data_dir)})
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    state = read_state(embedded.data_dir)
    assert state is not None
    assert status == {
        "backend": "embedded",
        "agent": status["agent"],
        "uri": f"bolt://127.0.0.1:{state.bolt_port}",
        "database": "crm",
        "data_dir": str(embedded.data_dir),
        "pid": state.pid,
        "running": True,
        "answering": True,
        "log": str(embedded.log),
        "problem": None,
    }
    assert "ArcadeDB" in status["agent"]
    assert embedded.password() not in result.stdout


def test_status_of_a_stopped_embedded_server_starts_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["db", "status", "--json"], env={"KG_DATA_DIR": str(tmp_path / "none")})
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert (status["running"], status["answering"], status["pid"], status["uri"]) == (False, False, None, None)
    assert not (tmp_path / "none" / "server.json").exists()


def test_status_with_a_wrong_password_says_why_it_does_not_answer(database: GraphDatabase) -> None:
    result = runner.invoke(app, ["db", "status", "--json"], env=neo4j_env(database, password="wrong-one"))
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert (status["answering"], status["agent"]) == (False, None)
    assert status["problem"] == (
        "the server refused the login: set NEO4J_PASSWORD and NEO4J_USERNAME (environment or .env)"
    )
