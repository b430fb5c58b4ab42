"""How long a read may run, and ending it on the server when its time is up or its caller stops waiting.

A client that stops waiting does not stop the server: both engines keep computing a query whose client timed out,
pressed Ctrl-C or closed the page, and the embedded server ignores the Bolt transaction timeout. So each read gets
an id (a tag) that the server can find it by, and a watcher thread ends it on the server (`end_queries`, one per
engine) once its time is up or its `stop` event is set; kg.querying also ends it when the caller is interrupted.
Neo4j finds the tag in the transaction's metadata (SHOW/TERMINATE TRANSACTIONS) and also enforces the transaction
timeout by itself; the embedded server ignores Bolt metadata, so there the tag is a comment in the query's text,
which its `list queries`/`terminate query` commands see. The embedded server also caps every statement by itself
(kg.embedded, KG_STATEMENT_TIMEOUT), for a client killed outright.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kg.errors import QueryCancelled, QueryTimedOut

TAG_PREFIX = "kg-read "

EndQueries = Callable[[str], object]  # ends every query on the server whose text holds the given tag


@dataclass(frozen=True)
class ReadLimits:
    seconds: float | None = None  # the longest a read may run; None: no limit of ours
    stop: threading.Event | None = None  # set by the caller (Ctrl-C, a page whose client went away): end the read

    @property
    def limited(self) -> bool:
        return self.seconds is not None or self.stop is not None


NO_LIMITS = ReadLimits()


# The embedded server answers some queries by their text before its Cypher engine runs them (its Bolt layer's
# `dbms.components()`, `SHOW DATABASES`…, its engine's `CALL db.propertyKeys() YIELD …`): a comment added to such a
# text makes it an unknown procedure, or an answer without columns. These are metadata, answered at once, so they
# go untagged.
_ANSWERED_BY_TEXT = ("call db.", "call dbms.", "show ")


def taggable(text: str) -> bool:
    """Whether the embedded server still runs `text` with a comment added (`tagged`)."""
    lowered = " ".join(text.lower().split())
    return not any(marker in lowered for marker in _ANSWERED_BY_TEXT)


def tagged(text: str, tag: str) -> str:
    """The query with a line comment naming it, last: a comment cannot end a string or a comment the text left
    open, and nothing moves, so the server's line and column numbers still point into the analyst's text."""
    return f"{text}\n// {TAG_PREFIX}{tag}"


def new_tag() -> str:
    return uuid.uuid4().hex


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
def watched(limits: ReadLimits, tag: str, end_queries: EndQueries | None) -> Iterator[Watch]:
    """Within the block, end the tagged query on the server when its time is up or `limits.stop` is set."""
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
            with contextlib.suppress(Exception):  # the read then ends by the server's own cap, and says so
                end_queries(tag)
            return

    thread = threading.Thread(target=watcher, name=f"kg-read-watch-{tag[:8]}", daemon=True)
    thread.start()
    try:
        yield watch
    finally:
        finished.set()
        thread.join()
