"""Typed errors raised by the kg library; the CLI turns them into one readable line."""

from __future__ import annotations

from pathlib import Path


class KgError(Exception):
    """Base class of every error the kg library raises on purpose."""


class DataFileError(KgError):
    """An RDF file that cannot be read or parsed.

    ``line`` is 1-based, or None when the parser gives no position (e.g. a JSON-LD context error).
    """

    def __init__(self, path: Path, line: int | None, message: str, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = f"{path}:{line}" if line is not None else f"{path}"
        if line is not None and column is not None:
            where = f"{where}:{column}"
        super().__init__(f"{where}: {message}")


class ConcurrentLoadConflict(KgError):
    """Another load, running at the same time, saved a namespace prefix or a name for something else first: the
    file is loaded again from what is saved now (loaders/rdf/load.py)."""


class ConfigError(KgError):
    """A setting (environment, .env or option) is missing or malformed."""


class ConnectionFailed(KgError):
    """The graph database could not be reached."""


def first_line(message: str) -> str:
    """The first line of a database's message: the rest is a server-side stack or detail no one reads."""
    return message.strip().splitlines()[0] if message.strip() else message


def server_stopped(uri: str, during: str) -> str:
    """What to say when the server stops answering in the middle of something (the driver's ServiceUnavailable or
    SessionExpired): one line, with how to find out more and how to go on."""
    return (f"the graph server at {uri} stopped answering during {during}; `kg db status` says whether it runs and "
            "where its log is (`kg db start` starts the embedded one again)")


class AuthenticationFailed(KgError):
    """The graph database refused the credentials."""


class ServerError(KgError):
    """The embedded server could not be started, stopped or found."""


class ReadOnlyViolation(KgError):
    """A query run read-only tried to write; it was rolled back."""


class QueryFailed(KgError):
    """The database rejected a query (syntax, semantics or runtime)."""


class QueryTimedOut(QueryFailed):
    """A read ran longer than its time limit and was ended on the server (kg.server.read_limits)."""


class QueryTextRefused(QueryFailed):
    """The query's text was refused before it was sent: a string or comment never closed, or text too long or too
    costly for the server to parse (kg.cypher.query_bounds)."""


class QueryCancelled(QueryFailed):
    """A read whose caller stopped waiting (Ctrl-C, a page whose client went away) was ended on the server."""


class InvalidRequest(KgError):
    """Input to the graph browser's API that cannot be used: a missing, unknown or ill-typed parameter, bad JSON."""


class NotFound(KgError):
    """Something the graph browser was asked for that does not exist: a pack query, a report or a node.

    `closest` lists the names most like the one asked for, for the page to offer instead.
    """

    def __init__(self, message: str, closest: tuple[str, ...] = ()) -> None:
        self.closest = closest
        super().__init__(message)
