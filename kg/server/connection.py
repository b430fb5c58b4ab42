"""One code path to a graph over Bolt: a Neo4j server (bolt://, neo4j://, +s, +ssc) or the embedded default.

Only the CLI and test fixtures call `connect`; everything else receives the `Connection` it returns.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import neo4j
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, Neo4jError, ServiceUnavailable, TransientError

from kg.core.config import Settings, redact_uri
from kg.core.cypher_files import own_cypher
from kg.core.errors import AuthenticationFailed, ConnectionFailed, first_line
from kg.server.embedded import ROOT_USER, EmbeddedServer
from kg.server.read_limits import NO_LIMITS, EndQueries, ReadLimits, RunningRead

# The driver logs Neo4j's notifications (advice for query authors, such as "property liftedOn does not exist")
# on this logger; as a library, crm-kg leaves them to whoever configures logging instead of letting Python print
# them on stderr by default.
logging.getLogger("neo4j.notifications").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Connection:
    """An open driver and the database that queries run in (None: the server's default database)."""

    driver: neo4j.Driver
    database: str | None
    uri: str
    backend: str
    limits: ReadLimits = NO_LIMITS  # of each read-only query (kg.cypher.querying); writes have none
    end_queries: EndQueries | None = None  # ends a tagged read on the server; None: this server offers no way

    def with_limits(self, limits: ReadLimits) -> Connection:
        return replace(self, limits=limits)


def embedded_server(settings: Settings) -> EmbeddedServer:
    return EmbeddedServer(
        settings.data_dir,
        start_timeout=settings.start_timeout,
        heap=settings.heap,
        bolt_port=settings.bolt_port,
        min_free_mb=settings.min_free_mb,
        statement_timeout=settings.statement_timeout,
    )


@contextmanager
def connect(settings: Settings) -> Iterator[Connection]:
    """Open a verified connection; with the embedded default, start its server first if it is not running."""
    if settings.backend == "embedded":
        server = embedded_server(settings)
        state = server.start()
        database = settings.database_name
        assert database is not None  # the embedded default always names one
        server.ensure_database(database)
        uri, auth = state.bolt_uri, (ROOT_USER, server.password())
        end_queries: EndQueries = functools.partial(_end_embedded_query, server, database)
    else:
        assert settings.uri is not None
        uri = settings.uri
        auth = (settings.username, settings.password or "")
    # Neo4j's notifications (a label or property not in the graph yet, e.g. liftedOn before any control is
    # lifted) are advice for query authors, not warnings for a report's reader (the CLI also quiets their log).
    driver = GraphDatabase.driver(
        uri,
        auth=auth,
        connection_timeout=15.0,
        connection_acquisition_timeout=30.0,
        warn_notification_severity="OFF",
    )
    try:
        verify(driver, uri, settings)
        if settings.backend == "neo4j":
            end_queries = functools.partial(end_neo4j_queries, driver)
        limits = ReadLimits(settings.query_timeout)
        yield Connection(driver, settings.database_name, redact_uri(uri), settings.backend, limits, end_queries)
    finally:
        driver.close()


def _end_embedded_query(server: EmbeddedServer, database: str, read: RunningRead) -> int:
    return server.end_queries(database, read.client_port, read.text)


def end_neo4j_queries(driver: neo4j.Driver, read: RunningRead) -> int:
    """Terminate the transaction tagged with `read.tag` in its metadata (kg.server.read_limits); how many there were."""
    with driver.session(database="system") as session:
        ids = [row["id"] for row in session.run(own_cypher("kg", "tagged_transactions"), tag=read.tag)]
        if ids:
            session.run(own_cypher("kg", "terminate_transactions"), ids=ids).consume()
    return len(ids)


def verify(driver: neo4j.Driver, uri: str, settings: Settings) -> None:
    try:
        driver.verify_connectivity()
        # Opening the database is what proves it exists (verify_connectivity's database argument is a preview).
        with driver.session(database=settings.database_name) as session:
            session.run(own_cypher("kg", "ping")).consume()
    except AuthError as error:
        raise AuthenticationFailed(
            f"{redact_uri(uri)} refused the login of user {settings.username!r}: "
            "set NEO4J_PASSWORD (environment or .env) and NEO4J_USERNAME to valid credentials"
        ) from error
    except ServiceUnavailable as error:
        raise ConnectionFailed(
            f"cannot reach {redact_uri(uri)}: check that the server runs, the host and port in NEO4J_URI, "
            "and the scheme (+s for TLS, +ssc for a self-signed certificate)"
        ) from error
    except TransientError as error:  # the embedded server: "Query not started because it waited 30000ms in the queue"
        raise ConnectionFailed(
            f"the graph server at {redact_uri(uri)} is busy: every one of its query slots is taken and the query "
            f"waited in its queue until it gave up ({first_line(error.message or str(error))}); try again when "
            "the running queries end"
        ) from error
    except ClientError as error:
        if error.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise ConnectionFailed(
                f"{redact_uri(uri)} has no database {settings.database_name!r}: "
                "check the database name (NEO4J_DATABASE)"
            ) from error
        raise ConnectionFailed(f"{redact_uri(uri)}: {error.message}") from error


def server_agent(uri: str, auth: tuple[str, str]) -> tuple[str | None, str | None]:
    """Ask a server who it is, without failing: its agent string (e.g. "Neo4j/5.26.0") and None, or None and
    what went wrong. For `kg db status`, which reports rather than raises."""
    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=5.0) as driver:
            return str(driver.get_server_info().agent), None
    except AuthError:
        return None, "the server refused the login: set NEO4J_PASSWORD and NEO4J_USERNAME (environment or .env)"
    except (Neo4jError, ServiceUnavailable, OSError):
        return None, f"cannot reach {redact_uri(uri)}"
