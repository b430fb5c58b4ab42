"""Fixtures: the two engines (tests/backends.py), each started once for the session; a database of its own, on each
engine in turn, for each test that needs one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import rdflib

from kg.core.resources import bundled_data_files, ontology_file
from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from kg.server.embedded import EmbeddedServer
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file

from .backends import EMBEDDED, NEO4J, EmbeddedBackend, GraphDatabase, Neo4jBackend
from .neo4j_harness import Neo4jError

_NEO4J_VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_KG_VARIABLES = ("KG_DATA_DIR", "KG_BOLT_PORT", "KG_START_TIMEOUT", "KG_SERVER_HEAP", "KG_MIN_FREE_MB")
TEST_HEAP = "768m"
# Read before any test clears them: a developer's NEO4J_URI points the Neo4j leg at their server.
_ENVIRONMENT_AT_START = {k: v for k in (*_NEO4J_VARIABLES, "KG_TEST_NEO4J_WIPE") if (v := os.environ.get(k))}

Backend = EmbeddedBackend | Neo4jBackend


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--engine", choices=(EMBEDDED, NEO4J), help="run the graph tests on this engine's leg only")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked only_on(engine, reason=...) runs on that engine's leg alone: where the engines differ, the
    test says so. It is deselected on the other leg, and every leg but --engine's is deselected."""
    kept, dropped = [], []
    chosen = config.getoption("--engine")
    for item in items:
        marker = item.get_closest_marker("only_on")
        engine = item.callspec.params.get("backend") if isinstance(item, pytest.Function) and hasattr(
            item, "callspec") else None
        if chosen and engine is not None and engine != chosen:
            dropped.append(item)
            continue
        if marker is not None:
            if marker.args[0] not in (EMBEDDED, NEO4J) or not marker.kwargs.get("reason"):
                raise pytest.UsageError(f"{item.nodeid}: only_on takes 'embedded' or 'neo4j' and a reason")
            if engine is not None and engine != marker.args[0]:
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's Neo4j settings, data directory or .env file."""
    for name in (*_NEO4J_VARIABLES, *_KG_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_SERVER_HEAP", TEST_HEAP)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    """The embedded server that the session's graph tests share, in a temporary data directory."""
    server = EmbeddedServer(tmp_path_factory.mktemp("kg-data"), heap=TEST_HEAP, start_timeout=120)
    server.start()
    yield server
    server.stop()


@contextlib.contextmanager
def own_embedded_server(data_dir: Path, bolt_port: int | None = None) -> Iterator[EmbeddedServer]:
    """An embedded server of the test's own, for tests that stop, restart or kill it (the session's shared one
    must live on); whatever runs on its data directory is stopped afterwards."""
    server = EmbeddedServer(data_dir, heap=TEST_HEAP, start_timeout=120, bolt_port=bolt_port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_long_file(path: Path, statements: int = 400_000) -> Path:
    """N-Triples that take a load several seconds (`statements` labelled things): for tests that interrupt one."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(statements):
            out.write(f'<http://example.org/big/{i}> <http://example.org/big/label> "thing {i}" .\n')
    return path


@pytest.fixture(scope="session")
def neo4j_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jBackend]:
    """Neo4j 5.26 servers for the session (tests/backends.py). Without Java or Maven the Neo4j leg is skipped with
    one line saying what to install; with CI=true it fails instead."""
    try:
        backend = Neo4jBackend.from_environment(tmp_path_factory.mktemp("neo4j"), _ENVIRONMENT_AT_START)
        backend.start()
    except Neo4jError as e:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the Neo4j leg cannot run: {e}", pytrace=False)
        pytest.skip(f"the Neo4j leg is skipped: {e}")
    yield backend
    backend.close()


@pytest.fixture(scope="session", params=[EMBEDDED, NEO4J])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each engine in turn: every test that touches the graph runs on both."""
    if request.param == EMBEDDED:
        return EmbeddedBackend(request.getfixturevalue("embedded"))
    backend: Neo4jBackend = request.getfixturevalue("neo4j_backend")
    return backend


@pytest.fixture
def database(backend: Backend) -> Iterator[GraphDatabase]:
    """A database of the test's own, on each engine in turn."""
    with backend.database() as opened:
        yield opened


@pytest.fixture
def connection(database: GraphDatabase) -> Iterator[Connection]:
    with database.connect() as opened:
        yield opened


@pytest.fixture
def cli_env(database: GraphDatabase) -> dict[str, str]:
    """Environment for CLI tests: the variables that point `kg` at the test's own database."""
    return {**database.env, "KG_SERVER_HEAP": TEST_HEAP}


@contextlib.contextmanager
def _loaded(backend: Backend, prefix: str, files: Sequence[Path]) -> Iterator[tuple[GraphDatabase, Connection]]:
    with backend.database(prefix) as opened, opened.connect() as connection:
        ensure_schema(connection)
        options = LoadOptions(readable_config())
        outcomes = load_rdf_files(connection, [rdf_file(p) for p in files], options, validate_first=False)
        assert [o.error for o in outcomes if not o.loaded] == []
        yield opened, connection


def loaded_graph(backend: Backend, prefix: str, files: Sequence[Path]) -> Iterator[tuple[GraphDatabase, Connection]]:
    """A database of its own with `files` loaded through the loader (no SHACL gate), emptied afterwards, with a
    connection to it. For module- and session-scoped fixtures: `yield from loaded_graph(...)`."""
    with _loaded(backend, prefix, files) as loaded:
        yield loaded


def loaded_database(backend: Backend, prefix: str, files: Sequence[Path]) -> Iterator[Connection]:
    """loaded_graph's connection alone."""
    with _loaded(backend, prefix, files) as (_, connection):
        yield connection


@pytest.fixture(scope="session")
def dataset_graph() -> rdflib.Graph:
    """The bundled dataset's Turtle files (data/*.ttl) in one rdflib graph, parsed once. Read it only."""
    files = sorted((Path(__file__).resolve().parents[1] / "data").glob("*.ttl"))
    assert files, "no data/*.ttl files found"
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="session")
def bundled_graph(backend: Backend) -> Iterator[tuple[GraphDatabase, Connection]]:
    """The ontology and the bundled dataset, loaded once per engine for the whole session (about 10 s embedded,
    20 s on Neo4j). Read it only: the modules that use it share it."""
    yield from loaded_graph(backend, "bundled", [ontology_file(), *bundled_data_files()])


@pytest.fixture(scope="session")
def bundled_dataset(bundled_graph: tuple[GraphDatabase, Connection]) -> Connection:
    """A connection to the bundled dataset (bundled_graph). Read it only."""
    return bundled_graph[1]


@pytest.fixture(scope="session")
def bundled_env(bundled_graph: tuple[GraphDatabase, Connection]) -> dict[str, str]:
    """Environment for CLI tests on the bundled dataset (bundled_graph). Read it only."""
    return {**bundled_graph[0].env, "KG_SERVER_HEAP": TEST_HEAP}
