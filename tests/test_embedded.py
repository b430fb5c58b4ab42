"""The embedded server for real: start, stop, restart, two at once, stale state, and each way a start can fail."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from kg.core.errors import ServerError
from kg.server.embedded import ROOT_USER, EmbeddedServer, _is_our_server, read_state

from .conftest import TEST_HEAP

pytestmark = pytest.mark.graph


def server_in(path: Path, **options: object) -> EmbeddedServer:
    return EmbeddedServer(path, heap=TEST_HEAP, start_timeout=120, **options)  # type: ignore[arg-type]


def run_cypher(server: EmbeddedServer, text: str, database: str = "crm") -> list[dict[str, object]]:
    state = read_state(server.data_dir)
    assert state is not None
    driver = GraphDatabase.driver(state.bolt_uri, auth=(ROOT_USER, server.password()))
    with driver, driver.session(database=database) as session:
        return session.run(text).data()


def test_start_stop_restart_keeps_the_data(tmp_path: Path) -> None:
    server = server_in(tmp_path / "data")
    first = server.start()
    try:
        server.ensure_database("crm")
        run_cypher(server, "CREATE (:Material {name: 'gallium'})")
        assert server.stop() is True
        assert read_state(server.data_dir) is None
        assert not _alive(first.pid)
        second = server.start()
        assert second.pid != first.pid
        assert run_cypher(server, "MATCH (m:Material) RETURN m.name AS name") == [{"name": "gallium"}]
    finally:
        server.stop()
    assert server.stop() is False  # stopping a stopped server says so


def test_state_and_password_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    server = server_in(tmp_path / "data")
    server.start()
    try:
        for name in ("password", "server.json", "server.log", "server.lock"):
            mode = stat.S_IMODE((server.data_dir / name).stat().st_mode)
            assert mode == 0o600, f"{name} has mode {oct(mode)}"
        assert stat.S_IMODE(server.data_dir.stat().st_mode) == 0o700
        password = server.password()
        assert len(password) >= 24
        # never on the server's command line, where any local user could read it
        state = read_state(server.data_dir)
        assert state is not None
        assert password.encode() not in Path(f"/proc/{state.pid}/cmdline").read_bytes()
    finally:
        server.stop()


def test_every_file_the_server_writes_is_the_owners_alone(tmp_path: Path) -> None:
    # issue 12: the README says the data directory's files are 0600, but 530 database and log files were 0644
    server = server_in(tmp_path / "data")
    server.start()
    try:
        server.ensure_database("crm")
        run_cypher(server, "UNWIND range(1, 2000) AS i CREATE (:Material {name: 'm' + i})")
    finally:
        server.stop()
    paths = [p for p in server.data_dir.rglob("*")]
    assert len([p for p in paths if p.is_file()]) > 5  # the databases, the logs
    shared = [f"{p.relative_to(server.data_dir)} {oct(stat.S_IMODE(p.stat().st_mode))}" for p in paths
              if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert shared == []


def test_a_shared_directory_holding_other_files_is_not_taken_over(tmp_path: Path) -> None:
    # issue 12: KG_DATA_DIR naming a mode-1777 directory with someone else's file in it was chmod-ed 0700 and filled
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    (shared / "someone-elses.txt").write_text("not crm-kg's")
    result = subprocess.run([sys.executable, "-m", "kg.cli", "db", "start"], capture_output=True, text=True,
                            env={**os.environ, "KG_DATA_DIR": str(shared), "KG_SERVER_HEAP": TEST_HEAP}, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: the data directory {shared} is not empty and is not crm-kg's (no .crm-kg file in it): set "
        "KG_DATA_DIR to a new or empty directory"
    )
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert sorted(p.name for p in shared.iterdir()) == ["someone-elses.txt"]


def test_a_new_directory_is_marked_and_an_older_one_of_ours_still_starts(tmp_path: Path) -> None:
    server = server_in(tmp_path / "data")
    server.start()
    server.stop()
    assert (server.data_dir / ".crm-kg").is_file()
    (server.data_dir / ".crm-kg").unlink()  # as a data directory made before the marker existed
    server.start()
    try:
        assert (server.data_dir / ".crm-kg").is_file()
    finally:
        server.stop()


def test_two_data_directories_run_side_by_side(tmp_path: Path) -> None:
    one, two = server_in(tmp_path / "one"), server_in(tmp_path / "two")
    a, b = one.start(), two.start()
    try:
        assert a.pid != b.pid and a.bolt_port != b.bolt_port
        one.ensure_database("crm")
        two.ensure_database("crm")
        run_cypher(one, "CREATE (:Country {iso2: 'CN'})")
        assert run_cypher(one, "MATCH (c:Country) RETURN c.iso2 AS iso2") == [{"iso2": "CN"}]
        assert run_cypher(two, "MATCH (c:Country) RETURN count(c) AS n") == [{"n": 0}]
        assert one.password() != two.password()
    finally:
        one.stop()
        two.stop()


def test_concurrent_starts_share_one_server(tmp_path: Path) -> None:
    server = server_in(tmp_path / "data")
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            states = list(pool.map(lambda _: server_in(tmp_path / "data").start(), range(3)))
        assert len({s.pid for s in states}) == 1
        assert len({s.bolt_port for s in states}) == 1
    finally:
        server.stop()


def test_concurrent_kg_processes_share_one_server(tmp_path: Path) -> None:
    env = {**os.environ, "KG_DATA_DIR": str(tmp_path / "data"), "KG_SERVER_HEAP": TEST_HEAP}
    kg = [sys.executable, "-m", "kg.cli"]
    try:
        processes = [
            subprocess.Popen([*kg, "db", "start"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=180) for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        uris = {out.strip().split()[4] for out, _ in outputs}  # "embedded server running at URI (database crm)"
        assert len(uris) == 1
    finally:
        server_in(tmp_path / "data").stop()


def test_a_stale_state_file_of_a_dead_server_is_recovered(tmp_path: Path) -> None:
    server = server_in(tmp_path / "data")
    first = server.start()
    try:
        server.ensure_database("crm")
        run_cypher(server, "CREATE (:Material {name: 'antimony'})")
        os.killpg(first.pid, signal.SIGKILL)  # a crash: no clean shutdown, the state file stays behind
        _wait_dead(first.pid)
        assert read_state(server.data_dir) == first
        status = server.status()
        assert status.state is None and status.answering is False
        second = server.start()
        assert second.pid != first.pid
        assert run_cypher(server, "MATCH (m:Material) RETURN m.name AS name") == [{"name": "antimony"}]
    finally:
        server.stop()


def test_a_state_file_naming_someone_elses_process_is_stale(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # pid 1 is alive but is not our server: a recycled pid must not be mistaken for it
    (data / "server.json").write_text(json.dumps({"pid": 1, "http_port": 1, "bolt_port": 2}))
    server = server_in(data)
    try:
        state = server.start()
        assert state.pid != 1
    finally:
        server.stop()


def test_a_taken_port_gives_one_line_with_the_log(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = server_in(tmp_path / "data", bolt_port=port)
        with pytest.raises(ServerError) as caught:
            server.start()
    message = str(caught.value)
    assert f"port {port} is already taken" in message
    assert str(server.log) in message
    assert "\n" not in message


def test_a_server_that_does_not_answer_in_time_is_stopped_and_reported(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data", heap=TEST_HEAP, start_timeout=0.5)
    with pytest.raises(ServerError) as caught:
        server.start()
    assert str(caught.value) == (
        f"the embedded server did not answer within 0.5 s (KG_START_TIMEOUT); see {server.log}"
    )
    assert server.status().state is None  # nothing left running


def test_too_little_free_disk_is_refused_before_starting(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data", min_free_mb=10**12)
    with pytest.raises(ServerError) as caught:
        server.start()
    assert "not enough free disk" in str(caught.value)
    assert "KG_MIN_FREE_MB" in str(caught.value)
    assert str(server.log) in str(caught.value)
    assert read_state(server.data_dir) is None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _wait_dead(pid: int) -> None:
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert not _alive(pid)


@pytest.mark.parametrize("module", ["kg.server.embedded_main", "kg.embedded_main"])
def test_a_server_started_by_this_or_an_earlier_crm_kg_is_found(tmp_path: Path, module: str) -> None:
    # Issue 13 moved the server's module; a server an earlier crm-kg started must not be doubled by a second one.
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", module, str(tmp_path)])
    try:
        time.sleep(0.2)
        assert _is_our_server(stand_in.pid, tmp_path)
        assert not _is_our_server(stand_in.pid, tmp_path / "other")
    finally:
        stand_in.kill()
        stand_in.wait()
