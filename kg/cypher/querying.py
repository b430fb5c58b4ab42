"""Run one Cypher query for a person: read-only unless asked, errors turned into one readable line."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, CypherSyntaxError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.core.errors import ConnectionFailed, QueryFailed, ReadOnlyViolation, first_line, server_stopped
from kg.cypher.query_bounds import check_query_size
from kg.cypher.read_only import commits_in_batches, find_write
from kg.cypher.results import QueryResult
from kg.server.connection import Connection
from kg.server.read_limits import RunningRead, watched

# Neo4j: "(line 1, column 10 (offset: 9))", 1-based. ArcadeDB: "Syntax error at line 1:9 - …" or
# "Unexpected input 'X' at line 2, column 0", both with ANTLR's 0-based column.
_NEO4J_POSITION = re.compile(r"\(line (\d+), column (\d+)")
_ANTLR_POSITION = re.compile(r"\s*(?:Syntax error )?at line (\d+)(?::|, column )(\d+)(?: - )?")
# Neo4j's transaction timeout (and the embedded server's statement cap) end a read with one of these.
_TIMED_OUT_CODES = {
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
}
_ACCESS_MODE_CODES = {"Neo.ClientError.Statement.AccessMode", "Neo.ClientError.Cluster.NotALeader"}
WRITE_REFUSED = "the query would write to the graph; it was rolled back"


def run_query(
    connection: Connection,
    text: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    max_rows: int | None = None,
) -> QueryResult:
    """Run `text` in one transaction. Read-only by default: a query that could write is refused.

    The embedded default accepts writes in a READ session, so the guard is ours, in two layers. First the text
    itself: a write clause, LOAD CSV, an admin command or a procedure outside a few read ones is refused before
    anything is sent (kg.cypher.read_only), since some writes are neither counted nor undone by a rollback (CALL … IN
    TRANSACTIONS, schema changes, ArcadeDB's merge.* procedures). Then the transaction's summary counters: if
    anything changed it is rolled back and refused. Neo4j also refuses writes in a READ session by itself.

    `max_rows` (read-only queries): fetch at most that many rows and say `truncated` if there were more; the rest
    are never pulled from the server (a million-row answer costs a fraction of a second instead of seconds).

    Text too long or too costly for the server to parse is refused before anything is sent (kg.cypher.query_bounds).
    """
    params = dict(parameters or {})
    check_query_size(text)
    if not write:
        _check_read_only(connection, text)
    try:
        if write:
            with connection.driver.session(database=connection.database) as session:
                if commits_in_batches(text):  # Neo4j runs these only in an auto-commit transaction
                    return _collect(session, text, params)
                return session.execute_write(_collect, text, params)
        return _run_rolled_back_if_written(connection, text, params, max_rows)
    except CypherSyntaxError as error:
        raise QueryFailed(describe_syntax_error(error.message or str(error))) from error
    except ClientError as error:
        raise QueryFailed(f"the database refused the query: {first_line(error.message or str(error))}") from error
    except Neo4jError as error:
        raise QueryFailed(f"the query failed: {first_line(error.message or str(error))}") from error
    except (ServiceUnavailable, SessionExpired) as error:
        raise ConnectionFailed(server_stopped(connection.uri, "the query")) from error


def _check_read_only(connection: Connection, text: str) -> None:
    """kg.cypher.read_only's check; on Neo4j, a procedure outside the short list is looked up among those Neo4j runs
    in READ mode, so only a query that calls one asks the server (once per driver)."""
    refusal = find_write(text)
    if refusal is not None and refusal.procedure and connection.backend == "neo4j":
        refusal = find_write(text, server_read_procedures(connection))
    if refusal is not None:
        raise ReadOnlyViolation(refusal.message)


_READ_PROCEDURES_OF: weakref.WeakKeyDictionary[neo4j.Driver, frozenset[str]] = weakref.WeakKeyDictionary()


def server_read_procedures(connection: Connection) -> frozenset[str] | None:
    """On Neo4j, the procedures it runs in READ mode (asked once per driver): Neo4j refuses anything more in a READ
    transaction by itself, so a read-only query may call them. None on the embedded server, which enforces no
    procedure modes: there only kg.cypher.read_only.READ_PROCEDURES are allowed."""
    if connection.backend != "neo4j":
        return None
    known = _READ_PROCEDURES_OF.get(connection.driver)
    if known is None:
        try:
            with connection.driver.session(database=connection.database, default_access_mode=neo4j.READ_ACCESS) as s:
                rows = s.run("SHOW PROCEDURES YIELD name, mode WHERE mode = 'READ' RETURN name")
                known = frozenset(record["name"] for record in rows)
        except Neo4jError:  # a user without the privilege to list procedures: only the short list, then
            known = frozenset()
        _READ_PROCEDURES_OF[connection.driver] = known
    return known


def _run_rolled_back_if_written(
    connection: Connection, text: str, params: dict[str, Any], max_rows: int | None = None
) -> QueryResult:
    """The second layer, for what the text check cannot see: run in a READ session's explicit transaction, and
    roll back and refuse if the summary counters show any change. Within the connection's read limits: the read is
    ended on the server when its time is up, its stop event is set or its caller is interrupted
    (kg.server.read_limits)."""
    limits, end_queries = connection.limits, connection.end_queries
    read = RunningRead(text)
    timeout = limits.seconds if connection.backend == "neo4j" else None  # the embedded server ignores it
    read_session = connection.driver.session(database=connection.database, default_access_mode=neo4j.READ_ACCESS)
    interrupted = False
    with watched(limits, read, end_queries) as watch:
        try:
            with read_session as session, session.begin_transaction(
                metadata={"kg_read": read.tag}, timeout=timeout
            ) as tx:
                read.client_port = _client_port(tx)
                try:
                    result = tx.run(text, params)
                    columns = tuple(result.keys())
                    fetch = None if max_rows is None else max_rows + 1
                    rows = tuple(tuple(record.values()) for record in itertools.islice(result, fetch))
                    counters = result.consume().counters  # discards what was not fetched
                except KeyboardInterrupt:
                    # Before the transaction's close, which would wait for the server to finish the query.
                    interrupted = True
                    if end_queries is not None:
                        end_queries(read)
                    raise
                except ClientError as error:
                    if error.code in _ACCESS_MODE_CODES:  # Neo4j's own refusal in a READ session
                        raise ReadOnlyViolation(WRITE_REFUSED) from error
                    if error.code in _TIMED_OUT_CODES and timeout is not None:  # Neo4j ended it itself
                        watch.ended_because = watch.ended_because or "time"
                    raise
                if counters.contains_updates or counters.contains_system_updates:
                    tx.rollback()
                    raise ReadOnlyViolation(WRITE_REFUSED)
                tx.commit()
        except (Neo4jError, ServiceUnavailable, SessionExpired):
            if interrupted:  # closing the ended transaction reported its end instead of the interruption
                raise KeyboardInterrupt from None
            watch.raise_if_ended(limits)
            raise
    if max_rows is not None and len(rows) > max_rows:
        return QueryResult(columns, rows[:max_rows], truncated=True)
    return QueryResult(columns, rows)


def _client_port(tx: neo4j.Transaction) -> int | None:
    """The local port of the transaction's Bolt connection: the embedded server lists running queries by it. The
    driver keeps the connection private; without it a read can still end by the server's statement cap."""
    port = getattr(getattr(tx, "_connection", None), "local_port", None)
    return port if isinstance(port, int) else None


def _collect(tx: neo4j.ManagedTransaction | neo4j.Session, text: str, params: dict[str, Any]) -> QueryResult:
    result = tx.run(text, params)
    columns = tuple(result.keys())
    return QueryResult(columns, tuple(tuple(record.values()) for record in result))


def describe_syntax_error(message: str) -> str:
    """One line: where (1-based line and column) and what, from either backend's message."""
    head = first_line(message)
    if match := _NEO4J_POSITION.search(message):
        line, column = int(match[1]), int(match[2])
        head = head[: head.find("(line")].rstrip() if "(line" in head else head
    elif match := _ANTLR_POSITION.search(head):
        line, column = int(match[1]), int(match[2]) + 1
        head = (head[: match.start()] + " " + head[match.end() :]).strip()
    else:
        return f"Cypher syntax error: {head}"
    return f"Cypher syntax error at line {line}, column {column}: {head}"


