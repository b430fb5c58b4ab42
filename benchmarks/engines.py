"""The engine a benchmark runs on (--backend): the embedded server, or a throwaway Neo4j Community 5.26 started by
tests/neo4j_harness.py (GPL-3.0: fetched by `make neo4j-jars` for tests and benchmarks, never shipped).

Both hand out a fresh database by name and the variables that point `kg` at it; Neo4j Community has one user
database, so a "fresh database" there is the one database wiped.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the Neo4j harness lives with the tests
    sys.path.insert(0, str(ROOT))

BACKENDS = ("embedded", "neo4j")


def vm_hwm_kb(pid: int) -> int:
    """The process's peak resident memory (VmHWM), in kB; 0 if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, work_dir: Path, heap: str, start_timeout: float = 180.0) -> None:
        from kg.server.embedded import EmbeddedServer

        self.server = EmbeddedServer(work_dir / "kg-data", heap=heap, start_timeout=start_timeout)
        self.heap = heap

    def start(self) -> None:
        self.server.start()

    def env(self, database: str) -> dict[str, str]:
        """A database of that name (created if missing) and the variables that point kg at it."""
        self.server.ensure_database(database)
        return {"KG_DATA_DIR": str(self.server.data_dir), "NEO4J_DATABASE": database, "KG_SERVER_HEAP": self.heap}

    def pid(self) -> int | None:
        from kg.server.embedded import read_state

        state = read_state(self.server.data_dir)
        return state.pid if state else None

    def recover(self) -> None:
        """After a runaway query: restart the server (its data stays)."""
        self.server.stop(timeout=20)
        self.server.start()

    def stop(self) -> None:
        self.server.stop(timeout=30)


class Neo4jEngine:
    name = "neo4j"

    def __init__(self, work_dir: Path, heap: str, start_timeout: float = 180.0) -> None:
        from tests.neo4j_harness import Neo4jServer

        self.server = Neo4jServer(work_dir / "neo4j", heap=heap, start_timeout=start_timeout)

    def start(self) -> None:
        self.server.start()

    def env(self, database: str) -> dict[str, str]:
        """The one database, wiped, and the variables that point kg at it (`database` only names the step)."""
        self.server.wipe()
        return self.server.environ()

    def pid(self) -> int | None:
        return self.server.pid()

    def recover(self) -> None:
        """After a runaway query: terminate every other transaction (the data stays)."""
        with self.server.driver() as driver, driver.session() as session, contextlib.suppress(Exception):
            ids = [r["transactionId"] for r in session.run(
                "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
                "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN transactionId")]
            if ids:
                session.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()

    def stop(self) -> None:
        self.server.stop()


def engine(backend: str, work_dir: Path, heap: str, start_timeout: float = 180.0) -> EmbeddedEngine | Neo4jEngine:
    if backend == "neo4j":
        return Neo4jEngine(work_dir, heap, start_timeout)
    return EmbeddedEngine(work_dir, heap, start_timeout)
