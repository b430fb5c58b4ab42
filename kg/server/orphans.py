"""Ending, in the embedded server's own process, the queries whose client has gone.

A client killed outright (`kill -9`, a crash, a closed laptop lid) cannot end its query, and ArcadeDB does not
notice that the Bolt connection closed while the query computes: it ran until the statement cap (300 s), and four
such queries took all of the server's query slots. The kernel knows, though: the server's end of a connection its
client closed waits in CLOSE_WAIT until the server closes it, which the thread busy with the query does not do. So
a thread of the server's process looks at its Bolt connections every second and, when one waits so, ends the
queries of that client port (`terminate query`, as kg.server.read_limits does for a client that is still there).
Linux only, as the embedded server is (/proc/net/tcp).
"""

from __future__ import annotations

import threading
from pathlib import Path

from kg.core.errors import KgError
from kg.server.embedded import EmbeddedServer

_CLOSE_WAIT = "08"
_TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))
INTERVAL = 1.0  # seconds between looks; a look is two small file reads when nothing has gone


def clients_gone(table: str, server_port: int) -> set[int]:
    """The client ports of the connections to `server_port` that their client closed, from a /proc/net/tcp text."""
    gone: set[int] = set()
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != _CLOSE_WAIT:
            continue
        local_port = int(fields[1].rpartition(":")[2], 16)
        if local_port == server_port:
            gone.add(int(fields[2].rpartition(":")[2], 16))
    return gone


def end_orphans(server: EmbeddedServer, bolt_port: int) -> int:
    """End the running queries of every Bolt client that has gone; how many were ended."""
    gone: set[int] = set()
    for table in _TABLES:
        try:
            gone |= clients_gone(table.read_text(encoding="ascii", errors="replace"), bolt_port)
        except OSError:
            continue
    if not gone:
        return 0
    return server.end_queries_where(lambda _query, port: port in gone)


def watch_for_orphans(server: EmbeddedServer, bolt_port: int, stop: threading.Event) -> threading.Thread:
    """Start the thread that ends orphaned queries until `stop` is set."""

    def watch() -> None:
        while not stop.wait(INTERVAL):
            try:
                end_orphans(server, bolt_port)
            except (KgError, OSError, ValueError):
                continue  # the server is starting or stopping; the next look tries again

    thread = threading.Thread(target=watch, name="kg-orphaned-queries", daemon=True)
    thread.start()
    return thread
