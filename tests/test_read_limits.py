"""Every read from the CLI or the page is bounded, and ended on the server when its caller stops waiting (issue 12,
items 3 and 4: runaway page queries filled the embedded server's query slots; Ctrl-C did not stop `kg query` and the
server computed on after its client was killed).

A runaway query here is a cross product of two 3-million-row lists: minutes of work on either engine, and no data
needed. Each test asks the engine itself whether the query still runs afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.browse.server import BrowseServer
from kg.cli.commands import app
from kg.core.config import load_settings
from kg.core.errors import ConfigError, QueryCancelled, QueryTimedOut
from kg.cypher.querying import run_query
from kg.server.connection import Connection
from kg.server.embedded import EmbeddedServer
from kg.server.orphans import clients_gone
from kg.server.read_limits import ReadLimits

from .backends import GraphDatabase

runner = CliRunner()
RUNAWAY = (
    "UNWIND range(1, 3000000) AS i UNWIND range(1, 3000000) AS j WITH i, j WHERE i * j = {marker} "
    "RETURN count(*) AS n"
)


def runaway(marker: int) -> str:
    """A query that runs for minutes; `marker` (negative, so that nothing matches) finds it among running ones."""
    return RUNAWAY.format(marker=marker)


def running(database: GraphDatabase, connection: Connection, marker: int) -> list[str]:
    """The texts of the queries the engine is running now that hold `marker`."""
    needle = f"= {marker} "
    if database.backend == "embedded":
        server = EmbeddedServer(Path(database.env["KG_DATA_DIR"]))
        texts = [str(q.get("text") or "") for q in server.running_queries()]
    else:
        with connection.driver.session(database="system") as session:
            texts = [r["q"] for r in session.run("SHOW TRANSACTIONS YIELD currentQuery AS q RETURN q")]
    return [t for t in texts if needle in t]


def wait_until_gone(database: GraphDatabase, connection: Connection, marker: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while running(database, connection, marker):
        assert time.monotonic() < deadline, f"the server still runs query {marker} after {seconds} s"
        time.sleep(0.2)


def wait_until_running(database: GraphDatabase, connection: Connection, marker: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not running(database, connection, marker):
        assert time.monotonic() < deadline, f"query {marker} never started"
        time.sleep(0.1)


# Pure logic ----------------------------------------------------------------------------------------------------


def test_clients_gone_are_the_bolt_connections_the_client_closed() -> None:
    # /proc/net/tcp: the server's end of a connection its client closed waits in CLOSE_WAIT (08) while the server's
    # thread is still busy with the query; ports are big-endian hex.
    table = (
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1E61 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
        "   1: 0100007F:1E61 0100007F:D431 08 00000000:00000000 00:00000000 00000000     0        0 2 1\n"
        "   2: 0100007F:1E61 0100007F:D432 01 00000000:00000000 00:00000000 00000000     0        0 3 1\n"
        "   3: 0100007F:1E62 0100007F:D433 08 00000000:00000000 00:00000000 00000000     0        0 4 1\n"
    )
    assert clients_gone(table, server_port=0x1E61) == {0xD431}
    assert clients_gone("", server_port=0x1E61) == set()


def test_query_timeout_settings_are_seconds_and_zero_turns_them_off() -> None:
    assert load_settings({}, dotenv_path=None).query_timeout == 60
    assert load_settings({"KG_QUERY_TIMEOUT": "2.5"}, dotenv_path=None).query_timeout == 2.5
    assert load_settings({"KG_QUERY_TIMEOUT": "0"}, dotenv_path=None).query_timeout is None
    assert load_settings({"KG_STATEMENT_TIMEOUT": "0"}, dotenv_path=None).statement_timeout is None
    for bad in ("soon", "-1", "nan", "inf"):
        with pytest.raises(ConfigError, match=rf"^KG_QUERY_TIMEOUT='{bad}' "):
            load_settings({"KG_QUERY_TIMEOUT": bad}, dotenv_path=None)


# On each engine ------------------------------------------------------------------------------------------------

@pytest.mark.graph
def test_a_read_past_its_time_limit_is_ended_on_the_server(database: GraphDatabase, connection: Connection) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimedOut, match=r"^the query ran longer than its limit of 1 s and was stopped$"):
        run_query(connection.with_limits(ReadLimits(1.0)), runaway(-11))
    assert time.monotonic() - started < 15
    wait_until_gone(database, connection, -11)
    assert run_query(connection.with_limits(ReadLimits(1.0)), "RETURN 1 AS one").rows == ((1,),)


@pytest.mark.graph
def test_a_read_whose_caller_stops_waiting_is_ended_on_the_server(
    database: GraphDatabase, connection: Connection
) -> None:
    stop = threading.Event()
    timer = threading.Timer(1.0, stop.set)
    timer.start()
    try:
        with pytest.raises(QueryCancelled):
            run_query(connection.with_limits(ReadLimits(None, stop)), runaway(-12))
    finally:
        timer.cancel()
    wait_until_gone(database, connection, -12)


@pytest.mark.graph
def test_kg_query_stops_at_its_timeout_in_one_line(database: GraphDatabase, cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["query", "--timeout", "1", runaway(-13)], env=cli_env)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: the query ran longer than its limit of 1 s and was stopped "
        "(KG_QUERY_TIMEOUT sets the limit; kg query also takes --timeout)"
    )
    result = runner.invoke(app, ["query", runaway(-14)], env={**cli_env, "KG_QUERY_TIMEOUT": "1"})
    assert result.exit_code == 1 and "limit of 1 s" in result.stderr


@pytest.mark.graph
def test_ctrl_c_stops_kg_query_at_once_and_on_the_server(
    database: GraphDatabase, connection: Connection, cli_env: dict[str, str]
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "query", "--timeout", "0", runaway(-15)],
        env={**os.environ, **cli_env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_running(database, connection, -15)
        process.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert time.monotonic() - interrupted < 10
    assert (process.returncode, err.strip()) == (130, "error: interrupted")
    wait_until_gone(database, connection, -15)


@pytest.mark.graph
def test_kg_query_prints_at_most_its_row_limit_and_says_so(cli_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["query", "UNWIND range(1, 25) AS i RETURN i", "--limit", "5", "-f", "csv"],
                           env=cli_env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["i", "1", "2", "3", "4", "5"]
    assert result.stderr.strip() == "(the first 5 rows; --limit 0 prints them all)"
    result = runner.invoke(app, ["query", "UNWIND range(1, 10001) AS i RETURN i", "-f", "csv"], env=cli_env)
    assert len(result.stdout.splitlines()) == 1 + 10_000 and "the first 10000 rows" in result.stderr
    result = runner.invoke(app, ["query", "UNWIND range(1, 10001) AS i RETURN i", "-f", "csv", "--limit", "0"],
                           env=cli_env)
    assert len(result.stdout.splitlines()) == 1 + 10_001 and result.stderr == ""


@pytest.mark.graph
def test_a_page_query_whose_client_goes_away_is_ended_on_the_server(
    database: GraphDatabase, connection: Connection, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>crm-kg</title>", encoding="utf-8")
    with BrowseServer(connection, {}, assets_dir=tmp_path).start() as page:
        for attempt in range(4):  # the case: four at once filled the embedded server's query slots
            body = json.dumps({"cypher": runaway(-20 - attempt)}).encode()
            client = socket.create_connection(("127.0.0.1", page.port), timeout=10)
            client.sendall(
                f"POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{page.port}\r\n".encode()
                + b"Content-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            wait_until_running(database, connection, -20 - attempt)
            client.close()  # as a browser tab closed, or a script's client timeout
            wait_until_gone(database, connection, -20 - attempt)


@pytest.mark.graph
def test_a_page_query_past_its_time_limit_answers_504(connection: Connection, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>crm-kg</title>", encoding="utf-8")
    limited = connection.with_limits(ReadLimits(1.0))
    with BrowseServer(limited, {}, assets_dir=tmp_path).start() as page:
        body = json.dumps({"cypher": runaway(-30)}).encode()
        client = socket.create_connection(("127.0.0.1", page.port), timeout=30)
        client.sendall(
            f"POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{page.port}\r\nContent-Type: application/json\r\n".encode()
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
        client.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 504 ")
    assert json.loads(payload)["error"].startswith("the query ran longer than its limit of 1 s and was stopped")


@pytest.mark.graph
@pytest.mark.only_on("embedded", reason="the embedded server's own cap on every statement (Neo4j: its server "
                     "setting db.transaction.timeout, the operator's)")
def test_the_embedded_server_ends_any_statement_past_its_cap(cli_env: dict[str, str]) -> None:
    started = time.monotonic()
    result = runner.invoke(app, ["query", "--write", runaway(-40)], env={**cli_env, "KG_STATEMENT_TIMEOUT": "1"})
    assert result.exit_code == 1
    assert "exceeded the arcadedb.command.timeout of 1000ms" in result.stderr
    assert time.monotonic() - started < 20


@pytest.mark.graph
def test_a_read_whose_client_is_killed_outright_is_ended_on_the_server(
    database: GraphDatabase, connection: Connection, cli_env: dict[str, str]
) -> None:
    # Issue 12, case 4.11 re-run: `kill -9` of `kg query` left its query running until the embedded server's 300 s
    # statement cap, and four such clients took its four query slots: every read failed for five minutes.
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", "--timeout", "0", runaway(-50)],
                               env={**os.environ, **cli_env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_until_running(database, connection, -50)
    process.kill()
    process.wait()
    wait_until_gone(database, connection, -50, seconds=20)


@pytest.mark.graph
@pytest.mark.slow
@pytest.mark.only_on("embedded", reason="the embedded server's queue of queries (four run at once, the next waits "
                     "30 s); Neo4j has no such queue")
def test_a_server_whose_query_slots_are_all_taken_is_one_line(
    database: GraphDatabase, connection: Connection, cli_env: dict[str, str]
) -> None:
    # Issue 12, re-run of case 4.11: with four reads running, `kg query` waited 30 s in the queue and then printed
    # "kg failed unexpectedly (TransientError …)".
    stop = threading.Event()
    limited = connection.with_limits(ReadLimits(None, stop))
    markers = (-61, -62, -63, -64)
    readers = [threading.Thread(target=_run_until_stopped, args=(limited, runaway(m))) for m in markers]
    for reader in readers:
        reader.start()
    try:
        for marker in markers:
            wait_until_running(database, connection, marker)
        result = runner.invoke(app, ["query", "RETURN 1 AS one"], env=cli_env)
    finally:
        stop.set()
        for reader in readers:
            reader.join(60)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the graph server at bolt://127.0.0.1:")
    assert "is busy: every one of its query slots is taken" in result.stderr
    assert result.stderr.count("\n") == 1


def _run_until_stopped(connection: Connection, text: str) -> None:
    with contextlib.suppress(QueryCancelled):
        run_query(connection, text)
