"""What `kg db status` reports: backend, server agent, URI (never the password), data directory, PID, answering."""

from __future__ import annotations

from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from kg.config import Settings, redact_uri
from kg.connection import embedded_server
from kg.embedded import ROOT_USER


def describe_status(settings: Settings) -> dict[str, Any]:
    """Look, start nothing: an embedded server that is not running is reported as such."""
    if settings.backend == "neo4j":
        assert settings.uri is not None
        agent, problem = _agent(settings.uri, (settings.username, settings.password or ""))
        return {
            "backend": "neo4j",
            "agent": agent,
            "uri": redact_uri(settings.uri),
            "database": settings.database_name,
            "data_dir": None,
            "pid": None,
            "running": agent is not None,
            "answering": agent is not None,
            "log": None,
            "problem": problem,
        }
    server = embedded_server(settings)
    status = server.status()
    agent, problem = None, None
    if status.state is not None and status.answering:
        agent, problem = _agent(status.state.bolt_uri, (ROOT_USER, server.password()))
    elif status.state is None:
        problem = "not running; `kg db start` starts it (any command that needs the graph does too)"
    return {
        "backend": "embedded",
        "agent": agent,
        "uri": status.state.bolt_uri if status.state else None,
        "database": settings.database_name,
        "data_dir": str(status.data_dir),
        "pid": status.state.pid if status.state else None,
        "running": status.state is not None,
        "answering": agent is not None,
        "log": str(status.log),
        "problem": problem,
    }


def _agent(uri: str, auth: tuple[str, str]) -> tuple[str | None, str | None]:
    """The server's agent string (e.g. "Neo4j/5.26.0") and None, or None and what went wrong."""
    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0) as driver:
            return str(driver.get_server_info().agent), None
    except AuthError:
        return None, "the server refused the login: set NEO4J_PASSWORD and NEO4J_USERNAME (environment or .env)"
    except (Neo4jError, ServiceUnavailable, OSError):
        return None, f"cannot reach {redact_uri(uri)}"
