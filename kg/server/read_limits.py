"""How long a read may run, and ending it on the server when its time is up or its caller stops waiting.

A client that stops waiting does not stop the server: both engines keep computing a query whose client timed out,
pressed Ctrl-C or closed the page, and the embedded server ignores the Bolt transaction timeout. So a watcher thread
ends the read on the server (`end_queries`, one per engine) once its time is up or its `stop` event is set, and
kg.cypher.querying ends it when its caller is interrupted. The server finds the read by what kg.cypher.querying
records in a `RunningRead`: Neo4j by an id in the transaction's metadata (SHOW/TERMINATE TRANSACTIONS), and Neo4j
also enforces the transaction timeout by itself; the embedded server, which ignores Bolt metadata, by the client end
of the read's Bolt connection (its `list queries` names it; one connection runs one query at a time). The query's
text is never changed: the embedded server caches plans by text, and a read with a text of its own ran 6-10 times
slower. The embedded server also caps every statement by itself (kg.server.embedded, KG_STATEMENT_TIMEOUT), for a
client killed outright.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kg.core.errors import QueryCancelled, QueryTimedOut


@dataclass
class RunningRead:
    """How the server can find one read: `tag`, in its transaction's metadata (Neo4j); `client_port`, the local port
    of its Bolt connection, known once its transaction has begun, and its `text` (the embedded server)."""

    text: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex)
    client_port: int | None = None


EndQueries = Callable[[RunningRead], object]  # ends the read on the server, if it still runs


@dataclass(frozen=True)
class ReadLimits:
    seconds: float | None = None  # the longest a read may run; None: no limit of ours
    stop: threading.Event | None = None  # set by the caller (Ctrl-C, a page whose client went away): end the read

    @property
    def limited(self) -> bool:
        return self.seconds is not None or self.stop is not None


NO_LIMITS = ReadLimits()


class Watch:
    """What the watcher saw: why the read was ended, if it was."""

    def __init__(self) -> None:
        self.ended_because: str | None = None  # "time" or "stop"

    def raise_if_ended(self, limits: ReadLimits) -> None:
        if self.ended_because == "time":
            raise QueryTimedOut(f"the query ran longer than its limit of {limits.seconds:g} s and was stopped")
        if self.ended_because == "stop":
            raise QueryCancelled("the query was stopped before it finished")


@contextmanager
def watched(limits: ReadLimits, read: RunningRead, end_queries: EndQueries | None) -> Iterator[Watch]:
    """Within the block, end `read` on the server when its time is up or `limits.stop` is set."""
    watch = Watch()
    if not limits.limited or end_queries is None:
        yield watch
        return
    if limits.stop is not None and limits.stop.is_set():
        watch.ended_because = "stop"
        watch.raise_if_ended(limits)
    finished = threading.Event()
    deadline = None if limits.seconds is None else time.monotonic() + limits.seconds

    def watcher() -> None:
        # Ctrl-C must reach the thread that waits for the server: a signal the kernel hands to this thread instead
        # would not interrupt that wait, and the read would run on.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        while not finished.wait(0.05):
            if limits.stop is not None and limits.stop.is_set():
                watch.ended_because = "stop"
            elif deadline is not None and time.monotonic() >= deadline:
                watch.ended_because = "time"
            else:
                continue
            while read.client_port is None and not finished.wait(0.05):
                pass  # the transaction is still being opened: its connection is not known yet
            with contextlib.suppress(Exception):  # the read then ends by the server's own cap, and says so
                end_queries(read)
            return

    thread = threading.Thread(target=watcher, name=f"kg-read-watch-{read.tag[:8]}", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        finished.set()
        thread.join()
