"""The graph browser's HTTP server (`kg browse`; the contract is web/API.md): Python's threaded `http.server`,
serving the built page from the assets folder and the JSON API of kg.browse.api.

Security, for a server that a web page on another site could try to reach on the user's machine:
- the Host header must name the address the server is bound to, a loopback name or a name allowed on purpose
  (`--allow-host`), on every address, 0.0.0.0 too (DNS rebinding: a hostile page whose domain resolves to
  127.0.0.1 sends its own domain as Host, and a server bound to 0.0.0.0 listens on loopback as well);
- an answer that leaves a request's body unread closes the connection (`Connection: close`): otherwise the body
  would be read as the next request on the kept-alive connection (request smuggling past the checks here);
- POST bodies must be `application/json` (a cross-site form cannot send that without a CORS preflight, which this
  server never answers) and at most 1 MB;
- every query is read-only (kg.browse.api runs them through kg.cypher.querying.run_query);
- nothing sent holds the connection's credentials: the uri is the redacted one of `Connection`, errors are the
  library's one-line messages, and unexpected failures are logged here, not sent;
- the page gets a Content-Security-Policy that allows only its own scripts, and API answers are never cached.

Requests are not logged unless asked (`log_requests=True`): the terminal that runs `kg browse` stays quiet.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import select
import signal
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired

from kg.browse import api as browse_api
from kg.core.cypher_files import Query
from kg.core.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    InvalidRequest,
    KgError,
    NameNotResolved,
    NotFound,
    QueryCancelled,
    QueryFailed,
    QueryTimedOut,
    ReadOnlyViolation,
    ReportError,
    UnknownName,
)
from kg.server.connection import Connection

MAX_BODY = 1024 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"
)
CONTENT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".txt": "text/plain; charset=utf-8",
        ".map": "application/json; charset=utf-8",
    }
)
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
MAX_NESTING = 100  # levels of arrays and objects in a JSON body: deeper is no parameter anyone means
_log = logging.getLogger(__name__)


def packaged_assets_dir() -> Path:
    """The built front end inside the package (web/build.mjs writes it; the wheel carries it)."""
    return Path(__file__).resolve().parent.parent / "browse_assets"


class HttpError(Exception):
    """An answer other than 200: status and one line, plus the closest names where a name did not resolve."""

    def __init__(self, status: int, message: str, closest: tuple[str, ...] = ()) -> None:
        self.status = status
        self.message = message
        self.closest = closest
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        return {"error": self.message, **({"closest": list(self.closest)} if self.closest else {})}


def http_error(error: Exception) -> HttpError | None:
    """The HTTP answer for an error the API raised on purpose; None for an unexpected one (a bug: 500, logged)."""
    if isinstance(error, HttpError):
        return error
    if isinstance(error, UnknownName):
        return HttpError(400, str(error), error.closest)
    if isinstance(error, NotFound):
        return HttpError(404, str(error), error.closest)
    if isinstance(error, (InvalidRequest, NameNotResolved, ReportError)):  # the request's fault: 400
        return HttpError(400, str(error))
    if isinstance(error, ReadOnlyViolation):
        return HttpError(403, str(error))
    if isinstance(error, AuthenticationFailed):  # its message names the user: not for the page
        return HttpError(503, "the graph database refused the login; check the credentials kg browse runs with")
    if isinstance(error, ConnectionFailed):
        return HttpError(503, str(error))
    if isinstance(error, (ServiceUnavailable, SessionExpired)):
        return HttpError(503, "the graph database cannot be reached; check that it runs")
    if isinstance(error, QueryTimedOut):
        return HttpError(504, f"{error} (kg browse runs with KG_QUERY_TIMEOUT)")
    if isinstance(error, QueryCancelled):  # its client has gone: nobody reads this
        return HttpError(499, str(error))
    if isinstance(error, QueryFailed):
        return HttpError(500, str(error))
    if isinstance(error, DriverError):
        return HttpError(500, f"the database driver failed ({type(error).__name__})")
    if isinstance(error, KgError):  # any other failure of the library is the server's, not the request's
        return HttpError(500, str(error))
    return None


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values to accept, each with the port: the loopback names, the address bound and the names
    allowed on purpose (`kg browse --allow-host`). On every address: a server bound to 0.0.0.0 or a LAN address is
    reachable on loopback too, so a rebound name would reach it as well if any Host were accepted."""
    names = (*_LOOPBACK_NAMES, host_name(host), *(host_name(name) for name in extra))
    return frozenset(f"{name}:{port}".lower() for name in names)


def host_name(host: str) -> str:
    """A host as a Host header has it: IPv6 addresses in brackets."""
    host = host.strip()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def page_host(host: str) -> str:
    """The address to put in the page's URL: a wildcard bind is reached on loopback."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def asset_path(assets_dir: Path, name: str) -> Path | None:
    """The file that /assets/NAME stands for, or None: no hidden files, nothing outside the folder, known types."""
    parts = [p for p in unquote(name).split("/") if p]
    if not parts or any(p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    try:
        path = assets_dir.joinpath(*parts).resolve()
        if not path.is_relative_to(assets_dir) or not path.is_file() or path.suffix.lower() not in CONTENT_TYPES:
            return None
    except (OSError, ValueError):  # a name too long for the file system, or one it refuses: no such file
        return None
    return path


class GraphLink:
    """The connection the page reads through, and, when given, how to open a new one once the server has gone away
    (the embedded server stopped and started again by another `kg` command, on a new port). Shared by the request
    threads: one of them renews it, the others then use the new one."""

    def __init__(self, connection: Connection, reconnect: Callable[[], Connection] | None = None) -> None:
        self._connection = connection
        self._reconnect = reconnect
        self._lock = threading.Lock()

    @property
    def connection(self) -> Connection:
        return self._connection

    def renew(self, failed: Connection) -> bool:
        """Open a new connection if `failed` is still the current one; True when there is a newer one to try."""
        if self._reconnect is None:
            return False
        with self._lock:
            if self._connection is failed:
                self._connection = self._reconnect()
            return self._connection is not failed


@dataclass(frozen=True)
class _App:
    """What the request handlers need; one per server, shared by its threads (all of it read-only but the link),
    and a copy per request with the event that ends its reads when its client goes away."""

    link: GraphLink
    queries: Mapping[str, Query]
    assets_dir: Path
    log_requests: bool
    stop: threading.Event | None = None

    @property
    def connection(self) -> Connection:
        connection = self.link.connection
        return connection.with_limits(replace(connection.limits, stop=self.stop))


@contextmanager
def _stop_when_client_leaves(client: socket.socket, stop: threading.Event) -> Iterator[None]:
    """Within the block, set `stop` once the client has closed its end of the connection (a browser tab closed, a
    fetch aborted, a script's timeout): its reads are then ended on the graph server (kg.server.read_limits)."""
    done = threading.Event()

    def watch() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})  # Ctrl-C is for kg browse
        while not done.is_set():
            try:
                readable, _, _ = select.select([client], [], [], 0.1)
                if readable and client.recv(1, socket.MSG_PEEK) == b"":
                    stop.set()
                    return
                if readable:  # the next request of a keep-alive client: not a departure; look again later
                    done.wait(0.1)
            except (OSError, ValueError):  # closed under us: the request is over
                return

    thread = threading.Thread(target=watch, name="kg-browse-client-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


GetHandler = Callable[[_App, Mapping[str, str]], dict[str, Any]]
PostHandler = Callable[[_App, Any], dict[str, Any]]


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "")
    if not value.strip():
        raise InvalidRequest(f"{name} is required")
    return value


def _info(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    return browse_api.info(app.connection)


def _counts(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    return browse_api.counts(app.connection)


def _search(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    limit = browse_api.int_arg(params.get("limit"), "limit", browse_api.SEARCH_LIMIT)
    return browse_api.search(app.connection, params.get("q", ""), limit)


def _node(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    return browse_api.node(app.connection, _required(params, "id"))


def _neighbourhood(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    limit = browse_api.int_arg(params.get("limit"), "limit", browse_api.NEIGHBOURHOOD_LIMIT)
    return browse_api.neighbourhood(app.connection, _required(params, "id"), limit)


def _packs(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    return browse_api.packs(app.queries)


def _reports(app: _App, params: Mapping[str, str]) -> dict[str, Any]:
    return browse_api.reports()


def _run_pack(app: _App, body: Any) -> dict[str, Any]:
    return browse_api.run_pack(app.connection, app.queries, body)


def _run_report(app: _App, body: Any) -> dict[str, Any]:
    return browse_api.run_report(app.connection, app.queries, body)


def _query(app: _App, body: Any) -> dict[str, Any]:
    return browse_api.query(app.connection, body)


# path -> (accepted query parameters, handler); read-only, shared by every request thread
GET_ROUTES: Mapping[str, tuple[frozenset[str], GetHandler]] = MappingProxyType(
    {
        "/api/info": (frozenset(), _info),
        "/api/counts": (frozenset(), _counts),
        "/api/search": (frozenset({"q", "limit"}), _search),
        "/api/node": (frozenset({"id"}), _node),
        "/api/neighbourhood": (frozenset({"id", "limit"}), _neighbourhood),
        "/api/packs": (frozenset(), _packs),
        "/api/reports": (frozenset(), _reports),
    }
)
POST_ROUTES: Mapping[str, PostHandler] = MappingProxyType(
    {"/api/packs/run": _run_pack, "/api/reports/run": _run_report, "/api/query": _query}
)


def query_params(query: str, accepted: frozenset[str]) -> dict[str, str]:
    """A GET's query string as one value per name; an unknown or repeated name is a malformed request."""
    parsed = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(parsed) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "no parameters"
        raise InvalidRequest(f"unknown parameter {unknown[0]!r}; this takes {takes}")
    repeated = sorted(name for name, values in parsed.items() if len(values) > 1)
    if repeated:
        raise InvalidRequest(f"parameter {repeated[0]!r} is given more than once")
    return {name: values[0] for name, values in parsed.items()}


def check_json_values(value: Any) -> None:
    """Refuse what JSON allows but nothing downstream can take: nesting deeper than MAX_NESTING (the driver and
    `plain` recurse), and strings with a lone surrogate ("\\ud800" is valid JSON but not text: the driver cannot
    send it, nor the answer carry it). Iterative, so that the check itself cannot run out of stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_NESTING:
                raise HttpError(400, f"the request body is nested deeper than {MAX_NESTING} levels")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise HttpError(400, "the request body has a string with a lone surrogate (\\ud800-\\udfff)") from None


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "crm-kg"
    timeout = 60  # seconds an idle kept-alive connection holds its thread
    # Whether the current request declared a body that nothing has read: its answer then closes the connection.
    _unread_body = False

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    # The methods below would get http.server's own 501 HTML page; here they get the same checks and a 405 JSON.
    # (A method with no do_ method at all gets them too, through send_error, which also closes the connection.)
    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def do_TRACE(self) -> None:
        self._handle("TRACE")

    def do_CONNECT(self) -> None:
        self._handle("CONNECT")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own answers (a malformed request line or header, a method with no do_ here) as JSON with
        the same headers as every other; the connection is closed, as what follows on it cannot be trusted."""
        self.close_connection = True
        if code == HTTPStatus.NOT_IMPLEMENTED and getattr(self, "headers", None) is not None:
            self._handle(self.command)  # an unknown method: the Host check, then 405 like the others
            return
        self._send_json(code, {"error": message or HTTPStatus(code).phrase})

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.app.log_requests:
            super().log_message(format, *args)

    def _handle(self, method: str) -> None:
        self._unread_body = self._declares_body()
        try:
            if (self.headers.get("Host") or "").strip().lower() not in self.server.hosts:
                raise HttpError(403, "the Host header does not name this server's address")
            url = urlsplit(self.path)
            if url.path in GET_ROUTES or url.path in POST_ROUTES:
                self._send_json(200, self._api(method, url.path, url.query))
            else:
                self._static(method, url.path)
        except Exception as error:  # every failure becomes an answer; the unexpected ones are logged, not sent
            known = http_error(error)
            if known is None:
                _log.exception("kg browse: %s %s failed", method, self.path.split("?")[0])
                known = HttpError(500, f"the server failed ({type(error).__name__}); see its log")
            self._send_json(known.status, known.body())

    def _declares_body(self) -> bool:
        """A body follows the headers (RFC 9112 6.3): a Transfer-Encoding, or a Content-Length other than 0."""
        length = (self.headers.get("Content-Length") or "0").strip()
        return "Transfer-Encoding" in self.headers or length != "0"

    def _api(self, method: str, path: str, query: str) -> dict[str, Any]:
        if path in GET_ROUTES:
            self._allow(method, "GET")
            accepted, get = GET_ROUTES[path]
            params = query_params(query, accepted)
            return self._answer(lambda app: get(app, params))
        self._allow(method, "POST")
        body = self._json_body()
        return self._answer(lambda app: POST_ROUTES[path](app, body))

    def _answer(self, answer: Callable[[_App], dict[str, Any]]) -> dict[str, Any]:
        stop = threading.Event()
        app = replace(self.server.app, stop=stop)
        with _stop_when_client_leaves(self.connection, stop):
            return self._reconnecting(app, lambda: answer(app))

    @staticmethod
    def _reconnecting(app: _App, answer: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The answer; if the server went away, once more on a new connection (when the link can open one)."""
        used = app.link.connection
        try:
            return answer()
        except (ConnectionFailed, ServiceUnavailable, SessionExpired):
            if not app.link.renew(used):
                raise
        return answer()

    def _allow(self, method: str, allowed: str) -> None:
        if method != allowed:
            raise HttpError(405, f"use {allowed} here, not {method}")

    def _json_body(self) -> Any:
        # Every refusal before the read leaves the body unread, so its answer closes the connection (_begin).
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise HttpError(415, f"a POST must be application/json, not {content_type or 'without a Content-Type'}")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise HttpError(411, "a POST needs a Content-Length") from None
        if length > MAX_BODY or length < 0:
            raise HttpError(413, f"the request body is over {MAX_BODY // 1024} KB")
        raw = self.rfile.read(length)
        self._unread_body = len(raw) < length  # a short read: the client hung up mid-body
        try:
            body = json.loads(raw.decode("utf-8"))
        except RecursionError:
            raise HttpError(400, f"the request body is nested deeper than {MAX_NESTING} levels") from None
        except (UnicodeDecodeError, ValueError) as error:
            raise HttpError(400, f"the request body is not JSON: {error}") from None
        check_json_values(body)
        return body

    def _static(self, method: str, path: str) -> None:
        app = self.server.app
        if path == "/":
            file = app.assets_dir / "index.html"
        elif path.startswith("/assets/"):
            found = asset_path(app.assets_dir, path.removeprefix("/assets/"))
            if found is None:
                raise HttpError(404, f"no such file: {path}")
            file = found
        else:
            raise HttpError(404, f"no such page: {path}")
        self._allow(method, "GET")
        body = file.read_bytes()
        self._begin(200)
        self.send_header("Content-Type", CONTENT_TYPES[file.suffix.lower()])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        # The page's script and style are referenced with a content hash (web/build.mjs); the page itself is
        # checked each time, so a rebuilt front end is picked up.
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)

    def _begin(self, status: int) -> None:
        """The status line and the headers every answer has."""
        if self._unread_body:
            self.close_connection = True
        phrase = HTTPStatus(status).phrase if status != 499 else "Client Closed Request"  # 499: nginx's, unlisted
        self.send_response(status, phrase)
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")

    def _send_json(self, status: int, payload: Mapping[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        try:
            self._begin(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":  # a HEAD answer has headers only (RFC 9110 9.3.2)
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the page went away; nothing to answer


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: _App, extra_hosts: Iterable[str]) -> None:
        self.app = app
        super().__init__(address, _Handler)  # binds: the port is known from here on
        self.hosts = allowed_hosts(address[0], self.server_port, extra_hosts)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's fully qualified name, which can hang for seconds on a
        # machine without DNS; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class BrowseServer:
    """The page and its API on `host:port` (port 0: a free one), answering requests whose Host is a loopback name,
    `host` or one of `allowed_hosts` (names other people reach this machine by). Serve with `serve_forever()`
    (blocks) or `start()` (a daemon thread); `shutdown()` or leaving the `with` block stops it and closes the socket.
    `reconnect` opens a new connection when the graph server has gone away (`kg browse` passes one)."""

    def __init__(
        self,
        connection: Connection,
        queries: Mapping[str, Query],
        host: str = "127.0.0.1",
        port: int = 0,
        assets_dir: Path | None = None,
        *,
        allowed_hosts: Iterable[str] = (),
        log_requests: bool = False,
        reconnect: Callable[[], Connection] | None = None,
    ) -> None:
        folder = (assets_dir or packaged_assets_dir()).resolve()
        if not (folder / "index.html").is_file():
            raise KgError(f"the graph browser's page is not built: {folder} has no index.html; run `make assets`")
        server_class = _HTTPServer6 if ":" in host else _HTTPServer
        # Binding happens here, so that a taken port fails before anything is announced.
        app = _App(GraphLink(connection, reconnect), queries, folder, log_requests)
        self._http = server_class((host, port), app, tuple(allowed_hosts))
        self.host = host
        self.port = self._http.server_port
        self._thread: threading.Thread | None = None
        self._serving = False
        self._closed = False

    @property
    def url(self) -> str:
        return f"http://{page_host(self.host)}:{self.port}/"

    def serve_forever(self) -> None:
        self._serving = True
        self._http.serve_forever()

    def start(self) -> BrowseServer:
        self._serving = True
        self._thread = threading.Thread(target=self._http.serve_forever, name="kg-browse", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop serving (if it was) and close the socket; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        if self._serving:
            # Without a serve_forever() that ran, socketserver's shutdown() would wait forever.
            self._http.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._http.server_close()

    def __enter__(self) -> BrowseServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.shutdown()
