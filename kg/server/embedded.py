"""The embedded default: an ArcadeDB server with its Bolt plugin, in a detached process, bound to 127.0.0.1.

All of its state lives in one data directory:

    password      root password, generated at first start (0600)
    server.json   pid and ports of the running server, written by the server process once Bolt listens (0600)
    server.log    what the server process printed
    server.lock   serialises start and stop between concurrent `kg` invocations
    .crm-kg       marks the directory as crm-kg's: a directory that holds other files and no marker is refused
    arcadedb/     the databases themselves

The server process is `kg.server.embedded_main`; this module starts, finds, checks and stops it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.core.errors import PortTaken, ServerError

BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
ROOT_USER = "root"
_STATE = "server.json"
_PASSWORD = "password"
_LOG = "server.log"
_LOCK = "server.lock"
_MARKER = ".crm-kg"
_OWNER_ONLY = 0o600


@dataclass(frozen=True)
class ServerState:
    pid: int
    http_port: int
    bolt_port: int

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True)
class EmbeddedStatus:
    data_dir: Path
    log: Path
    state: ServerState | None
    answering: bool


def database_root(data_dir: Path) -> Path:
    return data_dir / "arcadedb"


def password_path(data_dir: Path) -> Path:
    return data_dir / _PASSWORD


def log_path(data_dir: Path) -> Path:
    return data_dir / _LOG


def write_state(data_dir: Path, state: ServerState) -> None:
    _write_private(data_dir / _STATE, json.dumps(asdict(state)))


def remove_state(data_dir: Path, pid: int) -> None:
    """Remove the state file if it still describes process `pid` (a newer server may have replaced it)."""
    state = read_state(data_dir)
    if state is not None and state.pid == pid:
        (data_dir / _STATE).unlink(missing_ok=True)


def read_state(data_dir: Path) -> ServerState | None:
    try:
        raw = json.loads((data_dir / _STATE).read_text(encoding="utf-8"))
        return ServerState(pid=int(raw["pid"]), http_port=int(raw["http_port"]), bolt_port=int(raw["bolt_port"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        # A torn or hand-edited state file is as good as none: the server it named is found dead below.
        return None


class EmbeddedServer:
    """Start, find, check and stop the embedded server of one data directory."""

    def __init__(
        self,
        data_dir: Path,
        *,
        start_timeout: float = 90.0,
        heap: str = "2g",
        bolt_port: int | None = None,
        min_free_mb: int = 200,
        statement_timeout: float | None = None,
    ) -> None:
        self.data_dir = data_dir.expanduser().resolve()
        self.start_timeout = start_timeout
        self.heap = heap
        self.bolt_port = bolt_port
        self.min_free_mb = min_free_mb
        self.statement_timeout = statement_timeout  # seconds; set on each database that ensure_database opens

    @property
    def log(self) -> Path:
        return log_path(self.data_dir)

    def password(self) -> str:
        return password_path(self.data_dir).read_text(encoding="utf-8").strip()

    def status(self) -> EmbeddedStatus:
        state = self._live_state()
        return EmbeddedStatus(self.data_dir, self.log, state, state is not None and self._answers(state))

    def start(self) -> ServerState:
        """Start the server unless one already runs for this data directory; return what it listens on."""
        self._prepare_dir()
        with self._locked():
            if not password_path(self.data_dir).exists():  # first start; under the lock so that one password wins
                _write_private(password_path(self.data_dir), secrets.token_urlsafe(24))
            state = self._live_state()
            if state is not None:
                if self._wait_until_answering(state, deadline=time.monotonic() + self.start_timeout):
                    return state
                raise ServerError(
                    f"the embedded server (pid {state.pid}) runs but does not answer; "
                    f"run `kg db stop` and see {self.log}"
                )
            (self.data_dir / _STATE).unlink(missing_ok=True)  # stale: its process is gone
            if self.bolt_port is not None:
                return self._launch(self.bolt_port)
            for attempt in range(3):
                try:
                    return self._launch(_free_port())
                except PortTaken:
                    # Another program took the free port we picked before the server bound it: pick again.
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after `timeout`); False if none was running."""
        if not self.data_dir.is_dir():
            return False
        with self._locked():
            state = self._live_state()
            if state is None:
                (self.data_dir / _STATE).unlink(missing_ok=True)  # a stale file must not outlive `kg db stop`
                return False
            os.kill(state.pid, signal.SIGTERM)
            if not _wait_for_exit(state.pid, timeout):
                os.kill(state.pid, signal.SIGKILL)
                _wait_for_exit(state.pid, 10.0)
                with open(self.log, "a", encoding="utf-8") as log:  # the next start's recovery is explained here
                    log.write(f"\nkg db stop: the server had not exited {timeout:g} s after SIGTERM; killed\n")
            (self.data_dir / _STATE).unlink(missing_ok=True)
            return True

    def ensure_database(self, name: str) -> None:
        """Create database `name` unless it exists (Bolt can only open a database that exists), and cap how long
        any one of its statements may run: the server then ends by itself a query whose client was killed outright.
        The cap is the database's setting, so the last `kg` command to open it sets it for every client."""
        name = _check_database_name(name)
        self._server_command(f"create database {name}", ok_if_exists=True)
        cap_ms = round((self.statement_timeout or 0) * 1000)
        self._server_command(f"set database setting {name} arcadedb.command.timeout {cap_ms}", ok_if_exists=False)

    def drop_database(self, name: str) -> None:
        self._server_command(f"drop database {_check_database_name(name)}", ok_if_exists=False)

    # -- internals ---------------------------------------------------------------------------------------

    def _prepare_dir(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if not _is_ours(self.data_dir):
                # never take over (and lock others out of) a directory that holds someone else's files, e.g. /tmp
                raise ServerError(
                    f"the data directory {self.data_dir} is not empty and is not crm-kg's (no {_MARKER} file in it): "
                    "set KG_DATA_DIR to a new or empty directory"
                )
            os.chmod(self.data_dir, 0o700)
            marker = self.data_dir / _MARKER
            if not marker.exists():
                _write_private(marker, "crm-kg's embedded server keeps its data here (kg.server.embedded)\n")
        except OSError as error:
            raise ServerError(f"cannot use data directory {self.data_dir}: {error.strerror}") from error
        free_mb = shutil.disk_usage(self.data_dir).free // (1024 * 1024)
        if free_mb < self.min_free_mb:
            raise ServerError(
                f"not enough free disk for the embedded server in {self.data_dir}: {free_mb} MB free, "
                f"at least {self.min_free_mb} MB needed (KG_MIN_FREE_MB); see {self.log}"
            )

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.data_dir / _LOCK, os.O_RDWR | os.O_CREAT, _OWNER_ONLY)
        with os.fdopen(fd, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _live_state(self) -> ServerState | None:
        """The state file's server if its process is alive and is our server for this directory."""
        state = read_state(self.data_dir)
        if state is None or not _is_our_server(state.pid, self.data_dir):
            return None
        return state

    def _launch(self, bolt_port: int) -> ServerState:
        http_port = _free_port(avoid=bolt_port)
        if not _port_is_free(bolt_port):
            raise PortTaken(
                f"port {bolt_port} is already taken on 127.0.0.1 (KG_BOLT_PORT picks another); see {self.log}"
            )
        log_offset = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as log:
            os.chmod(self.log, _OWNER_ONLY)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kg.server.embedded_main",
                    str(self.data_dir),
                    str(http_port),
                    str(bolt_port),
                    self.heap,
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # detached: it outlives this command and its terminal
                cwd=self.data_dir,
                umask=0o077,  # every file the server writes (databases, logs) is the owner's alone
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                raise self._explain_failed_start(code, log_offset, bolt_port)
            state = read_state(self.data_dir)
            if state is not None and state.pid == process.pid and self._answers(state):
                # The server is meant to outlive this Popen: tell it so, or it warns that its child still runs.
                # Its exit is reaped by `stop` (_wait_for_exit) when this process stops it, else by init.
                process.returncode = 0
                return state
            time.sleep(0.2)
        _terminate(process)
        raise ServerError(
            f"the embedded server did not answer within {self.start_timeout:g} s (KG_START_TIMEOUT); see {self.log}"
        )

    def _explain_failed_start(self, code: int, log_offset: int, bolt_port: int) -> ServerError:
        with open(self.log, "rb") as handle:
            handle.seek(log_offset)
            tail = handle.read().decode("utf-8", "replace")
        if "Unable to listen" in tail or "Address already in use" in tail:
            return PortTaken(
                f"port {bolt_port} is already taken on 127.0.0.1, the server cannot listen; see {self.log}"
            )
        if "No space left on device" in tail:
            return ServerError(f"the disk holding {self.data_dir} is full; free some space and retry; see {self.log}")
        if "No module named 'arcadedb_embedded'" in tail:
            return ServerError("the embedded server needs the arcadedb-embedded package: pip install arcadedb-embedded")
        return ServerError(f"the embedded server stopped while starting (exit status {code}); see {self.log}")

    def _answers(self, state: ServerState) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{state.http_port}/api/v1/ready", timeout=2) as response:
                return bool(response.status in (200, 204))
        except (OSError, urllib.error.URLError):
            return False

    def _wait_until_answering(self, state: ServerState, deadline: float) -> bool:
        # Another `kg` may have just started it: give it until the start timeout to come up.
        while time.monotonic() < deadline:
            if self._answers(state):
                return True
            if not _is_our_server(state.pid, self.data_dir):
                return False
            time.sleep(0.2)
        return False

    def running_queries(self) -> list[dict[str, Any]]:
        """The queries the server is running now: id, database, text, elapsedMs and more (ArcadeDB's own)."""
        running = self._server_command("list queries", ok_if_exists=False).get("result", [])
        return [query for query in running if isinstance(query, dict)]

    def end_queries(self, database: str, client_port: int | None, text: str) -> int:
        """Terminate the query that the Bolt connection from local port `client_port` runs on `database`, if its text
        is `text` (kg.server.read_limits; a connection runs one query at a time); how many were ended."""
        if client_port is None:
            return 0
        start = text[:80]  # the server lists a text cut short and with secrets masked
        return self.end_queries_where(
            lambda query, port: port == client_port
            and query.get("database") == database
            and str(query.get("text") or "").startswith(start)
        )

    def end_queries_where(self, chosen: Callable[[dict[str, Any], int | None], bool]) -> int:
        """Terminate each running query for which `chosen(query, client_port)` is true; how many were ended. The
        client port is that of the query's Bolt connection (None for a query not run over Bolt)."""
        ids = [
            str(query["id"])
            for query in self.running_queries()
            if query.get("id") is not None and chosen(query, _client_port(query))
        ]
        for query_id in ids:
            self._server_command(f"terminate query {query_id}", ok_if_exists=False)
        return len(ids)

    def _server_command(self, command: str, *, ok_if_exists: bool) -> dict[str, Any]:
        state = self._live_state()
        if state is None:
            raise ServerError(f"the embedded server for {self.data_dir} is not running; run `kg db start`")
        token = base64.b64encode(f"{ROOT_USER}:{self.password()}".encode()).decode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{state.http_port}/api/v1/server",
            data=json.dumps({"command": command}).encode(),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = json.loads(response.read() or b"{}")
                return answer if isinstance(answer, dict) else {}
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            if ok_if_exists and error.code == 409 and "already exists" in body:
                return {}
            detail = json.loads(body).get("detail", body) if body.startswith("{") else body
            raise ServerError(f"embedded server refused `{command}`: {detail}") from error
        except OSError as error:
            raise ServerError(f"embedded server did not answer `{command}`: {error}; see {self.log}") from error


def _is_ours(data_dir: Path) -> bool:
    """Marked as crm-kg's; holding nothing but what crm-kg writes there (a start under way in another process, or a
    directory made before the marker existed); or empty."""
    if (data_dir / _MARKER).is_file():
        return True
    ours = {_MARKER, _PASSWORD, _STATE, _LOG, _LOCK, "arcadedb", "log"}  # log/: the ArcadeDB server's own logs
    return all(
        entry.name in ours or (entry.name.startswith(".") and entry.name.endswith(".tmp"))
        for entry in data_dir.iterdir()
    )


def _check_database_name(name: str) -> str:
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ServerError(f"database name {name!r} must be letters, digits, '-' or '_'")
    return name


def _write_private(path: Path, text: str) -> None:
    """Write a file readable by its owner only, atomically (a reader never sees half of it)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _OWNER_ONLY)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, _OWNER_ONLY)
    os.replace(tmp, path)


# The server's module, and its name before the package restructure (issue 13): a server started by an earlier crm-kg is
# still found (and stopped), never doubled by a second one on the same files.
_SERVER_MODULES = frozenset({b"kg.server.embedded_main", b"kg.embedded_main"})


def _client_port(query: dict[str, Any]) -> int | None:
    """The client port of a running query's connection: ArcadeDB lists it as `clientAddress` "/127.0.0.1:54321"."""
    port = str(query.get("clientAddress") or "").rpartition(":")[2]
    return int(port) if port.isdigit() else None


def _is_our_server(pid: int, data_dir: Path) -> bool:
    """Alive, and really the server of this data directory (a recycled pid is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # someone else's process: not ours
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():
        return True  # no /proc (not Linux): trust the live pid
    args = cmdline.read_bytes().split(b"\0")
    if not _SERVER_MODULES & set(args) or str(data_dir).encode() not in args:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A process that has exited but whose parent has not reaped it yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # Reap it if it is our child (a test that started and stops in one process); harmless otherwise.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if _is_zombie(pid):
            return True
        time.sleep(0.1)
    return False


def _terminate(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _free_port(avoid: int | None = None) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port != avoid:
            return port


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
