"""Fixtures: one real embedded server for the session; a fresh database on it for each test that needs one."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import rdflib

from kg.config import load_settings
from kg.connection import Connection, connect
from kg.embedded import EmbeddedServer
from kg.resources import bundled_data_files, ontology_file
from kg.schema import ensure_schema
from loaders.graph_config import readable_config
from loaders.rdf_load import LoadOptions
from loaders.rdf_run import load_rdf_files
from loaders.rdf_source import rdf_file

_NEO4J_VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_KG_VARIABLES = ("KG_DATA_DIR", "KG_BOLT_PORT", "KG_START_TIMEOUT", "KG_SERVER_HEAP", "KG_MIN_FREE_MB")
TEST_HEAP = "768m"
_database_numbers = itertools.count(1)


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


@pytest.fixture
def database(embedded: EmbeddedServer) -> Iterator[str]:
    """A database of the test's own on the shared server, dropped afterwards."""
    name = f"test{os.getpid()}n{next(_database_numbers)}"
    embedded.ensure_database(name)
    yield name
    embedded.drop_database(name)


@pytest.fixture
def connection(embedded: EmbeddedServer, database: str) -> Iterator[Connection]:
    settings = load_settings({"KG_DATA_DIR": str(embedded.data_dir), "NEO4J_DATABASE": database}, dotenv_path=None)
    with connect(settings) as opened:
        yield opened


@pytest.fixture
def cli_env(embedded: EmbeddedServer, database: str) -> dict[str, str]:
    """Environment for CLI tests: the shared server and the test's own database."""
    return {"KG_DATA_DIR": str(embedded.data_dir), "NEO4J_DATABASE": database, "KG_SERVER_HEAP": TEST_HEAP}


def loaded_database(embedded: EmbeddedServer, prefix: str, files: Sequence[Path]) -> Iterator[Connection]:
    """A database of its own with `files` loaded through the loader (no SHACL gate), dropped afterwards.
    For module- and session-scoped fixtures: `yield from loaded_database(...)`."""
    name = f"{prefix}{os.getpid()}n{next(_database_numbers)}"
    embedded.ensure_database(name)
    settings = load_settings({"KG_DATA_DIR": str(embedded.data_dir), "NEO4J_DATABASE": name}, dotenv_path=None)
    try:
        with connect(settings) as connection:
            ensure_schema(connection)
            options = LoadOptions(readable_config())
            outcomes = load_rdf_files(connection, [rdf_file(p) for p in files], options, validate_first=False)
            assert [o.error for o in outcomes if not o.loaded] == []
            yield connection
    finally:
        embedded.drop_database(name)


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
def bundled_dataset(embedded: EmbeddedServer) -> Iterator[Connection]:
    """The ontology and the bundled dataset, loaded once for the whole session (about 10 s). Read it only:
    the modules that use it share it."""
    yield from loaded_database(embedded, "bundled", [ontology_file(), *bundled_data_files()])
