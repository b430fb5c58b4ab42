"""The two engines every graph test runs on: the embedded ArcadeDB server (the default users get) and Neo4j 5.26
(what they run in production). A test asks for a database of its own; each backend hands one out its own way.

- Embedded: one server for the session, a database per request (created, then dropped).
- Neo4j Community has one user database per server, so the backend keeps a small pool of servers, each started
  once and wiped before every use: a request takes an idle server (starting one when all are busy: the bundled
  dataset held for the session, a module's seeded graph and a test's own database are open at once). With
  NEO4J_URI set when the session starts, that server is used instead of starting one; the suite wipes it only when
  KG_TEST_NEO4J_WIPE=yes says so, and a test that needs a second database at once is skipped there.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
import pytest

from kg.core.config import Settings, load_settings
from kg.server.connection import Connection, connect
from kg.server.embedded import EmbeddedServer, read_state

from .neo4j_harness import Neo4jError, Neo4jServer, wipe_database

EMBEDDED = "embedded"
NEO4J = "neo4j"
_numbers = itertools.count(1)


@dataclass(frozen=True)
class GraphDatabase:
    """A database of a test's own: the variables that point `kg` (library and CLI) at it, and what they say."""

    backend: str
    env: Mapping[str, str]
    uri: str
    password: str
    name: str | None = None  # NEO4J_DATABASE; None: the server's default database

    def settings(self) -> Settings:
        return load_settings(dict(self.env), dotenv_path=None)

    def connect(self) -> contextlib.AbstractContextManager[Connection]:
        return connect(self.settings())


class EmbeddedBackend:
    name = EMBEDDED

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server

    @contextlib.contextmanager
    def database(self, prefix: str = "test") -> Iterator[GraphDatabase]:
        name = f"{prefix}{os.getpid()}n{next(_numbers)}"
        self.server.ensure_database(name)
        state = read_state(self.server.data_dir)
        assert state is not None, "the embedded server is not running"
        try:
            yield GraphDatabase(
                EMBEDDED,
                {"KG_DATA_DIR": str(self.server.data_dir), "NEO4J_DATABASE": name},
                state.bolt_uri,
                self.server.password(),
                name,
            )
        finally:
            self.server.drop_database(name)

    def close(self) -> None:
        """The embedded server is the `embedded` fixture's to stop."""


@dataclass
class _Lease:
    server: Neo4jServer | None  # None: the external server
    env: dict[str, str]
    busy: bool = False
    driver: neo4j.Driver | None = None  # the wipes' own, opened at the first one

    def wipe(self) -> None:
        if self.driver is None:
            self.driver = neo4j.GraphDatabase.driver(
                self.env["NEO4J_URI"], auth=(self.env["NEO4J_USERNAME"], self.env["NEO4J_PASSWORD"])
            )
        wipe_database(self.driver, self.env.get("NEO4J_DATABASE"))


@dataclass
class Neo4jBackend:
    """Servers under `work_dir` (or the one at `external`), each wiped before every use."""

    work_dir: Path
    external: dict[str, str] | None = None
    _leases: list[_Lease] = field(default_factory=list)

    name = NEO4J

    @classmethod
    def from_environment(cls, work_dir: Path, environ: Mapping[str, str]) -> Neo4jBackend:
        uri = environ.get("NEO4J_URI")
        if not uri:
            return cls(work_dir)
        if environ.get("KG_TEST_NEO4J_WIPE") != "yes":
            raise Neo4jError(
                f"NEO4J_URI is set ({uri}): the Neo4j leg would wipe that database; "
                "set KG_TEST_NEO4J_WIPE=yes to allow it, or unset NEO4J_URI to let the suite start its own Neo4j"
            )
        external = {"NEO4J_URI": uri, "NEO4J_USERNAME": environ.get("NEO4J_USERNAME") or "neo4j",
                    "NEO4J_PASSWORD": environ.get("NEO4J_PASSWORD") or ""}
        if environ.get("NEO4J_DATABASE"):
            external["NEO4J_DATABASE"] = environ["NEO4J_DATABASE"]
        return cls(work_dir, external)

    def start(self) -> None:
        """Have one server ready (start it, or check the external one answers)."""
        lease = self._take()
        lease.busy = False

    @contextlib.contextmanager
    def database(self, prefix: str = "test") -> Iterator[GraphDatabase]:
        lease = self._take()
        try:
            lease.wipe()
            yield GraphDatabase(NEO4J, dict(lease.env), lease.env["NEO4J_URI"], lease.env["NEO4J_PASSWORD"],
                                lease.env.get("NEO4J_DATABASE"))
        finally:
            lease.busy = False

    def _take(self) -> _Lease:
        for lease in self._leases:
            if not lease.busy:
                lease.busy = True
                return lease
        if self.external is not None:
            if self._leases:
                pytest.skip("needs a second Neo4j database at once; the external server (NEO4J_URI) gives one: "
                            "unset NEO4J_URI to let the suite start its own servers")
            lease = _Lease(None, dict(self.external), busy=True)
        else:
            server = Neo4jServer(self.work_dir / f"server{len(self._leases) + 1}")
            server.start()
            lease = _Lease(server, server.environ(), busy=True)
        self._leases.append(lease)
        return lease

    def close(self) -> None:
        for lease in self._leases:
            if lease.driver is not None:
                lease.driver.close()
            if lease.server is not None:
                lease.server.stop()
        self._leases.clear()
