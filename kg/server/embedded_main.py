"""The embedded server's own process: `python -m kg.server.embedded_main DATA_DIR HTTP_PORT BOLT_PORT HEAP`.

ArcadeDB runs inside a JVM started in the Python process, so it lives in a detached process of its own that
outlives each `kg` command. It reads the root password from the data directory (never from its command line,
which any local user can read), writes the state file once Bolt listens, and removes it on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from kg.server.embedded import (
    BOLT_PLUGIN,
    EmbeddedServer,
    ServerState,
    database_root,
    password_path,
    remove_state,
    write_state,
)
from kg.server.orphans import watch_for_orphans

# LOAD CSV reads files with the server's rights (the root password sits in the data directory) and fetches URLs.
# Our loaders never use it, so both are off and ArcadeDB refuses such a LOAD CSV even with --write. They are JVM
# system properties, not server config keys: each database reads its own configuration, which falls back on these
# global values and not on the server's.
LOAD_CSV_OFF = (
    "-Darcadedb.opencypher.loadCsv.allowFileUrls=false",
    "-Darcadedb.opencypher.loadCsv.allowRemoteUrls=false",
)


def main(argv: list[str]) -> int:
    data_dir, http_port, bolt_port, heap = Path(argv[0]), int(argv[1]), int(argv[2]), argv[3]
    from arcadedb_embedded.server import ArcadeDBServer  # slow: starts nothing until called

    server = ArcadeDBServer(
        root_path=str(database_root(data_dir)),
        root_password=password_path(data_dir).read_text(encoding="utf-8").strip(),
        config={
            "host": "127.0.0.1",
            "http_port": http_port,
            "server_plugins": BOLT_PLUGIN,
            "bolt_port": bolt_port,
            # "development", not "production": production mode hides Cypher error details from Bolt clients.
            "mode": "development",
        },
        jvm_kwargs={"heap_size": heap, "jvm_args": LOAD_CSV_OFF},
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    write_state(data_dir, ServerState(pid=os.getpid(), http_port=http_port, bolt_port=bolt_port))
    watch_for_orphans(EmbeddedServer(data_dir), bolt_port, stop)
    print(f"crm-kg embedded server ready: bolt://127.0.0.1:{bolt_port}", flush=True)
    stop.wait()
    try:
        server.stop()
    finally:
        remove_state(data_dir, os.getpid())
    print("crm-kg embedded server stopped", flush=True)
    # Exit now: the databases are closed, but a query still computing keeps its JVM thread, and a normal exit
    # waits for every such thread (`kg db stop` waited 60 s, then killed the process).
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
