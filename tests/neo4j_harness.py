"""A throwaway Neo4j Community 5.26 for tests and benchmarks: one embedded server on 127.0.0.1 with a free port,
authentication on and a generated password.

The server is ``tools/neo4j/Launcher.java`` run in Java's source-file mode on the jars that ``make neo4j-jars`` fetches
once into ``build/neo4j/lib`` (the only download; :func:`ensure_jars` runs that make target when they are missing).
A session fixture can hold one server for the whole session and wipe the database between tests::

    server = Neo4jServer(tmp_path_factory.mktemp("neo4j"))
    server.start()            # sets server.uri, server.username, server.password
    ...
    server.wipe()             # Community has one user database: empty it instead of creating another
    server.stop()             # stops the JVM and removes the data directory

``make neo4j-up`` and ``make neo4j-down`` run this module as a script on ``build/neo4j`` (``up DIR`` / ``down DIR``):
the server then outlives the command and ``DIR/env`` holds NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD.

Only the standard library is needed, except by :func:`wipe_database`, which uses the ``neo4j`` driver.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import neo4j

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "neo4j" / "Launcher.java"
LIB = ROOT / "build" / "neo4j" / "lib"
JARS_STAMP = LIB / ".fetched"  # written by `make neo4j-jars` once the copy is complete

# Kept modest: the test suite runs the embedded ArcadeDB server's JVM beside this one.
DEFAULT_HEAP = "768m"
DEFAULT_PAGE_CACHE = "256m"
# What Neo4j's own start script passes on Java 17 for its native I/O and Netty.
JVM_OPTIONS = (
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
)


class Neo4jError(RuntimeError):
    """The test server could not be fetched, started or stopped; the message is one line and names the log."""


def ensure_jars() -> None:
    """Fetch Neo4j's jars with ``make neo4j-jars`` unless they are already there (a no-op afterwards)."""
    if JARS_STAMP.exists():
        return
    if shutil.which("make") is None:
        raise Neo4jError(f"Neo4j's jars are not in {LIB} and `make` is missing: install make, or run "
                         f"`mvn -q -f tools/neo4j/pom.xml dependency:copy-dependencies "
                         f"-DoutputDirectory={LIB}` and touch {JARS_STAMP}")
    done = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "neo4j-jars"],
                          capture_output=True, text=True)
    if done.returncode != 0 or not JARS_STAMP.exists():
        lines = (done.stdout + done.stderr).strip().splitlines() or ["no output"]
        raise Neo4jError(f"`make neo4j-jars` failed: {lines[-1]}")


def java_command() -> str:
    """The ``java`` to run the launcher with (17 or newer, with its compiler for source-file mode)."""
    java = shutil.which("java")
    if java is None:
        raise Neo4jError("the Neo4j test server needs a JDK 17 or newer: install one "
                         "(Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    if match is None or int(match.group(1)) < 17:
        raise Neo4jError(f"the Neo4j test server needs Java 17 or newer; `java -version` says: "
                         f"{out.strip().splitlines()[0] if out.strip() else 'nothing'}")
    return java


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def bolt_answers(uri: str, timeout: float = 2.0) -> bool:
    """True when the server at ``uri`` completes a Bolt handshake (agrees on a protocol version)."""
    parts = urlsplit(uri)
    host, port = parts.hostname or "127.0.0.1", parts.port or 7687
    # Bolt's magic preamble, then four proposals: 5.0-5.8, 4.2-4.4, none, none.
    handshake = bytes.fromhex("6060b017" "00080805" "00020404" "00000000" "00000000")
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(handshake)
            reply = b""
            while len(reply) < 4:
                chunk = sock.recv(4 - len(reply))
                if not chunk:
                    return False
                reply += chunk
    except OSError:
        return False
    return reply != b"\x00\x00\x00\x00"


def _is_our_launcher(pid: int, data_dir: Path) -> bool:
    """True when ``pid`` is a live launcher of this data directory (not a reused pid of another process)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    if re.search(r"^State:\s+Z", status, re.MULTILINE):
        return False
    args = [a.decode(errors="replace") for a in cmdline]
    return str(LAUNCHER) in args and str(data_dir) in args


class Neo4jServer:
    """One Neo4j started by the launcher on ``work_dir`` (``data/``, ``env`` and ``neo4j.pid`` in it)."""

    def __init__(self, work_dir: Path, *, heap: str = DEFAULT_HEAP, page_cache: str = DEFAULT_PAGE_CACHE,
                 start_timeout: float = 180.0, stop_timeout: float = 60.0, tie_to_this_process: bool = True) -> None:
        self.work_dir = Path(work_dir).resolve()
        self.data_dir = self.work_dir / "data"
        self.env_file = self.work_dir / "env"
        self.pid_file = self.work_dir / "neo4j.pid"
        self.log_file = self.data_dir / "launcher.log"  # the launcher's log, with Neo4j's user log
        self.console_file = self.work_dir / "console.log"  # the JVM's stdout and stderr
        self.heap = heap
        self.page_cache = page_cache
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        # The server stops by itself when the process that started it exits (a pytest session killed hard); off for
        # `make neo4j-up`, whose server outlives the command.
        self.tie_to_this_process = tie_to_this_process
        self.uri: str | None = None
        self.username: str | None = None
        self.password: str | None = None
        self.start_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    # -- state ---------------------------------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The pid of this directory's running launcher, or None (a stale pid file counts as none)."""
        if self._process is not None:
            return self._process.pid if self._process.poll() is None else None
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _is_our_launcher(pid, self.data_dir) else None

    def running(self) -> bool:
        return self.pid() is not None

    def _load_env(self) -> None:
        env = read_env_file(self.env_file)
        self.uri, self.username, self.password = env["NEO4J_URI"], env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"]

    def environ(self) -> dict[str, str]:
        """NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD for a ``kg`` subprocess (merge into os.environ)."""
        if self.uri is None or self.username is None or self.password is None:
            raise Neo4jError("the Neo4j test server is not started")
        return {"NEO4J_URI": self.uri, "NEO4J_USERNAME": self.username, "NEO4J_PASSWORD": self.password}

    # -- start and stop ------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the server (or take over one already running on this directory) and wait until Bolt answers."""
        if self.running() and self.env_file.exists():
            self._load_env()
            if self.uri is not None and bolt_answers(self.uri):
                return
        java = java_command()
        ensure_jars()
        self._discard_stale()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        command = [java, f"-Xmx{self.heap}", *JVM_OPTIONS, "-cp", f"{LIB}/*", str(LAUNCHER),
                   "--data-dir", str(self.data_dir), "--env-file", str(self.env_file),
                   "--page-cache", self.page_cache]
        if self.tie_to_this_process:
            command += ["--parent-pid", str(os.getpid())]
        began = time.monotonic()
        with open(self.console_file, "wb") as console:
            self._process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=console,
                                             stderr=subprocess.STDOUT, start_new_session=True)
        self.pid_file.write_text(f"{self._process.pid}\n")
        try:
            self._wait_until_ready(began)
        except BaseException:
            self._terminate(keep_data=True)
            raise
        self.start_seconds = round(time.monotonic() - began, 1)

    def _wait_until_ready(self, began: float) -> None:
        assert self._process is not None
        while True:
            status = self._process.poll()
            if status is not None:
                raise Neo4jError(f"the Neo4j test server exited with status {status}: {self._last_console_line()}"
                                 f" (log: {self._log_path()})")
            if self.env_file.exists():
                self._load_env()
                if self.uri is not None and bolt_answers(self.uri):
                    return
            if time.monotonic() - began > self.start_timeout:
                raise Neo4jError(f"the Neo4j test server did not answer within {self.start_timeout:.0f} s "
                                 f"(log: {self._log_path()})")
            time.sleep(0.25)

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop the server cleanly (SIGTERM: its shutdown hook shuts the database down), wait for the JVM to exit,
        then remove its data directory unless ``keep_data``."""
        self._terminate(keep_data=keep_data)

    def _terminate(self, *, keep_data: bool) -> None:
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            if not self._wait_for_exit(pid, self.stop_timeout):
                os.kill(pid, signal.SIGKILL)
                self._wait_for_exit(pid, 10)
        self._process = None
        self.pid_file.unlink(missing_ok=True)
        self.env_file.unlink(missing_ok=True)
        self.uri = self.username = self.password = None
        if not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.console_file.unlink(missing_ok=True)

    def _wait_for_exit(self, pid: int, timeout: float) -> bool:
        if self._process is not None:
            try:
                self._process.wait(timeout)
                return True
            except subprocess.TimeoutExpired:
                return False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_our_launcher(pid, self.data_dir):
                return True
            time.sleep(0.2)
        return False

    def _discard_stale(self) -> None:
        """Remove what a server that is no longer running left behind: every start is on a fresh database."""
        if self.running():
            self._terminate(keep_data=False)
        self.pid_file.unlink(missing_ok=True)
        self.env_file.unlink(missing_ok=True)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def _last_console_line(self) -> str:
        try:
            lines = [line for line in self.console_file.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            lines = []
        return lines[-1].strip() if lines else "no output"

    def _log_path(self) -> Path:
        return self.log_file if self.log_file.exists() else self.console_file

    # -- between tests -------------------------------------------------------------------------------------------

    def driver(self) -> neo4j.Driver:
        import neo4j

        env = self.environ()
        return neo4j.GraphDatabase.driver(env["NEO4J_URI"], auth=(env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"]))

    def wipe(self) -> None:
        """Empty the database: every node and relationship, every constraint and index but the token lookups."""
        with self.driver() as driver:
            wipe_database(driver)


def wipe_database(driver: neo4j.Driver, database: str | None = None) -> None:
    """Delete all nodes and relationships (in batches), then drop all constraints and all indexes but the two token
    lookup indexes Neo4j creates by itself. Community has only one user database, so tests share it this way."""
    with driver.session(database=database) as session:
        # IN TRANSACTIONS needs an auto-commit transaction: session.run, not a transaction function.
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run(f"DROP CONSTRAINT {_quoted(record['name'])} IF EXISTS").consume()
        indexes = session.run("SHOW INDEXES YIELD name, type, owningConstraint "
                              "WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name")
        for record in list(indexes):
            session.run(f"DROP INDEX {_quoted(record['name'])} IF EXISTS").consume()


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def main(argv: list[str]) -> int:
    """``up DIR`` / ``down DIR``, for ``make neo4j-up`` and ``make neo4j-down``."""
    if len(argv) != 2 or argv[0] not in ("up", "down"):
        print("usage: neo4j_harness.py up|down DIR", file=sys.stderr)
        return 2
    action, work_dir = argv[0], Path(argv[1])
    server = Neo4jServer(work_dir, tie_to_this_process=False)
    try:
        if action == "up":
            server.start()
            how = "already running" if server.start_seconds is None else f"started in {server.start_seconds} s"
            print(f"Neo4j {how}: {server.uri} (pid {server.pid()}, log {server.log_file})")
            print(f"point kg at it with: set -a; . {server.env_file}; set +a")
        else:
            pid = server.pid()
            server.stop()
            print("Neo4j stopped; its data removed" if pid is not None else "Neo4j was not running")
    except Neo4jError as e:
        print(f"neo4j-{action}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
