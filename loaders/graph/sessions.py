"""The session a load writes in, given up cleanly when the load is interrupted.

Ctrl-C can land while the driver is reading a message from the server; closing the session then fails inside the
driver (a BufferError on its half-read buffer) and that error would replace the interrupt, so a person who pressed
Ctrl-C would read "kg failed unexpectedly". The transaction was never committed: the server rolls it back when the
connection goes, which is all closing would have done.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import neo4j

from kg.server.connection import Connection


@contextlib.contextmanager
def load_session(connection: Connection) -> Iterator[neo4j.Session]:
    session = connection.driver.session(database=connection.database)
    try:
        yield session
    except KeyboardInterrupt:
        with contextlib.suppress(Exception):
            session.close()
        raise
    except BaseException:
        session.close()
        raise
    session.close()
