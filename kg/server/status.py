"""What `kg db status` reports: backend, server agent, URI (never the password), data directory, PID, answering."""

from __future__ import annotations

from typing import Any

from kg.core.config import Settings, redact_uri
from kg.server.connection import embedded_server, server_agent
from kg.server.embedded import ROOT_USER


def describe_status(settings: Settings) -> dict[str, Any]:
    """Look, start nothing: an embedded server that is not running is reported as such."""
    if settings.backend == "neo4j":
        assert settings.uri is not None
        agent, problem = server_agent(settings.uri, (settings.username, settings.password or ""))
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
        agent, problem = server_agent(status.state.bolt_uri, (ROOT_USER, server.password()))
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
