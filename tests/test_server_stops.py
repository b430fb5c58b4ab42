"""The embedded server killed while a command works (issue 12, item 11): `kg query` and `kg load` say in one line that
the server stopped, where to look and how to go on; nothing of the file is written; no traceback. Each test kills
a server of its own (the session's shared one must live on)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.server.embedded import EmbeddedServer, read_state

from .conftest import TEST_HEAP, own_embedded_server, write_long_file

pytestmark = [pytest.mark.graph, pytest.mark.slow]


def environment(server: EmbeddedServer) -> dict[str, str]:
    """The variables that point a `kg` process at `server` alone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    return {**env, "KG_DATA_DIR": str(server.data_dir), "KG_SERVER_HEAP": TEST_HEAP}


def kill_server_while(command: list[str], server: EmbeddedServer, env: dict[str, str], after: float
                      ) -> subprocess.CompletedProcess[str]:
    state = read_state(server.data_dir)
    assert state is not None
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", *command], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    assert process.poll() is None, "the command ended before the server was killed"
    os.kill(state.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=180)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def test_a_query_whose_server_dies_is_one_line(tmp_path: Path) -> None:
    with own_embedded_server(tmp_path / "kg-data") as server:
        done = kill_server_while(
            ["query", "UNWIND range(1, 6000) AS a UNWIND range(1, 6000) AS b WITH a, b WHERE (a * b) % 7919 = 1 "
             "RETURN count(*) AS n"], server, environment(server), 4.0
        )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: the graph server at bolt://127.0.0.1:")
    assert lines[0].endswith("stopped answering during the query; `kg db status` says whether it runs and where its "
                             "log is (`kg db start` starts the embedded one again)")


def test_a_load_whose_server_dies_writes_nothing_and_says_so(tmp_path: Path) -> None:
    big = write_long_file(tmp_path / "big.nt")
    with own_embedded_server(tmp_path / "kg-data") as server:
        env = environment(server)
        done = kill_server_while(["load", str(big), "--no-validate"], server, env, 6.0)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr + done.stdout
        assert (f"error: {big}: nothing of this file was written: the graph server at bolt://127.0.0.1:"
                in done.stderr), done.stderr
        # the next command starts the server again, and finds nothing of the file
        again = subprocess.run([sys.executable, "-m", "kg.cli", "query", "MATCH (n) RETURN count(n) AS n", "-f",
                                "json"], env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout) == [{"n": 0}]


def test_kg_db_stop_while_a_query_runs_stops_the_server_cleanly(tmp_path: Path) -> None:
    # Found re-running issue 12's cases: `kg db stop` took 61 s while a query ran. ArcadeDB stopped at once, but the
    # query's JVM thread kept the process alive until kg gave up waiting and killed it.
    with own_embedded_server(tmp_path / "kg-data") as server:
        query = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "query", "--timeout", "0",
             "UNWIND range(1, 30000) AS a UNWIND range(1, 30000) AS b RETURN count(*) AS n"],
            env=environment(server), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(4.0)
        assert query.poll() is None, "the query ended before the server was stopped"
        assert server.stop(timeout=30.0)
        _, err = query.communicate(timeout=60)
        log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "crm-kg embedded server stopped" in log
    assert "killed" not in log.rpartition("ArcadeDB Server is down")[2]  # it exited by itself, not SIGKILL
    assert query.returncode == 1 and "stopped answering during the query" in err
