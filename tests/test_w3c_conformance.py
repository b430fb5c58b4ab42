"""W3C RDF 1.1 Turtle and N-Triples conformance through the real loader (issue 4), on each engine.

Each entry of a suite's INDEX.tsv (generated from its manifest) is its own pytest case, named by its W3C test id:
- negative syntax (94 Turtle, 29 N-Triples): `load_rdf_files` reports the file as not loaded, with an error that
  names the file, line and column, and the database (seeded beforehand) is exactly as it was; a few of them also
  go through `kg load FILE` as a user runs it: exit status 1 and one `error: <path>:<line>:<column>: <reason>` line;
- positive syntax (74 Turtle, 41 N-Triples): the file loads;
- evaluation (145 Turtle): the input loads into an empty graph, and the nodes, relationships, labels and properties
  counted in the graph are those that the expected N-Triples file implies under the default (readable) mapping.

The base IRI is the file's own file:// URI (the loader's rule), where the suite assumes
https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/; expected IRIs under that base are rewritten to ours.
The negative cases share one seeded database (module-scoped: nothing may change it); every positive and
evaluation case loads into a database of its own (see `empty` for why).
"""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from loaders.graph.config import readable_config
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import FileOutcome, load_rdf_files
from loaders.rdf.source import rdf_file

from .conftest import Backend
from .graph_snapshot import snapshot

pytestmark = pytest.mark.graph

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
TURTLE = CONFORMANCE / "w3c-turtle"
NTRIPLES = CONFORMANCE / "w3c-ntriples"
W3C_TURTLE_BASE = "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/"
RDF_TYPE = rdflib.RDF.type
runner = CliRunner()
_databases = itertools.count(1)

# A few facts about IRIs that the negative tests also use, so that a partial write would change them.
SEED = """\
@prefix t: <http://www.w3.org/2013/TurtleTests/> .
@prefix ex: <http://example/> .
t:s a t:Thing ; t:p t:o ; t:q "seeded" .
ex:s ex:p ex:o ; ex:count 3 .
[] ex:about ex:s .
"""


@dataclass(frozen=True)
class W3cCase:
    id: str
    kind: str  # rdft type, e.g. TestTurtleNegativeSyntax
    action: Path
    result: Path | None


def read_index(folder: Path) -> list[W3cCase]:
    """The suite's tests in manifest order, from INDEX.tsv: id, type, action, result, name."""
    cases = []
    for line in (folder / "INDEX.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        test_id, kind, action, result, _name = line.split("\t")
        cases.append(W3cCase(test_id, kind, folder / action, folder / result if result else None))
    return cases


CASES = read_index(TURTLE) + read_index(NTRIPLES)


def cases_of(*kinds: str) -> list[Any]:
    return [pytest.param(case, id=case.id) for case in CASES if case.kind in kinds]


NEGATIVE = cases_of("TestTurtleNegativeSyntax", "TestNTriplesNegativeSyntax")
POSITIVE = cases_of("TestTurtlePositiveSyntax", "TestNTriplesPositiveSyntax")
EVALUATION = cases_of("TestTurtleEval")
# Through `kg load` as well: Turtle and N-Triples, an error spanning lines, a file cut short, bad escapes.
CLI_NEGATIVE_IDS = frozenset(
    {
        "turtle-syntax-bad-struct-02",
        "turtle-syntax-bad-string-05",
        "turtle-syntax-bad-struct-08",
        "turtle-syntax-bad-numeric-escape-01",
        "nt-syntax-bad-uri-06",
        "nt-syntax-bad-esc-02",
    }
)
CLI_NEGATIVE = [p for p in NEGATIVE if p.id in CLI_NEGATIVE_IDS]


def test_the_index_holds_the_suites_the_issue_counts() -> None:
    kinds = [case.kind for case in CASES]
    assert kinds.count("TestTurtleNegativeSyntax") == 94
    assert kinds.count("TestNTriplesNegativeSyntax") == 29
    assert kinds.count("TestTurtlePositiveSyntax") == 74
    assert kinds.count("TestNTriplesPositiveSyntax") == 41
    assert kinds.count("TestTurtleEval") == 145
    assert all(case.action.is_file() and (case.result is None or case.result.is_file()) for case in CASES)
    for group in (NEGATIVE, POSITIVE, EVALUATION):
        assert len({p.id for p in group}) == len(group)


# -- databases -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    """The database every negative case tries to load into: seeded through the loader, never changed after."""
    with backend.database("w3c") as opened, opened.connect() as connection:
        ensure_schema(connection)
        seed = tmp_path_factory.mktemp("seed") / "seed.ttl"
        seed.write_text(SEED, encoding="utf-8")
        [outcome] = load(connection, seed)
        assert outcome.loaded, outcome.error
        yield connection


@pytest.fixture
def empty(backend: Backend, seeded: Connection) -> Iterator[Connection]:
    """A new database with the schema in place (besides the seeded one).

    Not one shared database cleared between cases: on the embedded backend a relationship type, once created,
    stays in the schema after its relationships are deleted and forbids a label of the same name
    (turtle-subm-02 makes `ns0__b` a relationship type, turtle-subm-07 a label), so cases would depend on each other.
    """
    with backend.database("w3c") as opened, opened.connect() as connection:
        ensure_schema(connection)
        yield connection


def load(connection: Connection, path: Path) -> list[FileOutcome]:
    return load_rdf_files(connection, [rdf_file(path)], LoadOptions(readable_config()), validate_first=False)


# -- reading the graph back ----------------------------------------------------------------------------------


def read(connection: Connection, text: str) -> list[dict[str, Any]]:
    with connection.driver.session(database=connection.database) as session:
        return session.execute_read(lambda tx: [record.data() for record in tx.run(text)])


# -- negative syntax -----------------------------------------------------------------------------------------

LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<reason>\S.*)$")


def assert_located(error: str, path: Path) -> None:
    """One line, `<path>:<line>:<column>: <reason>`, with a line and column that exist in the file (or just past
    its end, where the parser found the file cut short)."""
    assert "\n" not in error, error
    match = LOCATED.match(error)
    assert match is not None, f"not located as <path>:<line>:<column>: {error!r}"
    assert match["path"] == str(path)
    lines = path.read_bytes().split(b"\n")  # a final newline leaves an empty last line: the end of the file
    line, column = int(match["line"]), int(match["column"])
    assert 1 <= line <= len(lines), error
    assert 1 <= column <= len(lines[line - 1].decode("utf-8", errors="replace")) + 1, error


@pytest.mark.parametrize("case", NEGATIVE)
def test_negative_syntax_is_rejected_with_its_location_and_writes_nothing(case: W3cCase, seeded: Connection) -> None:
    before = snapshot(seeded)
    [outcome] = load(seeded, case.action)
    assert not outcome.loaded
    assert outcome.report is None
    assert outcome.error is not None
    assert_located(outcome.error, case.action)
    assert snapshot(seeded) == before


@pytest.mark.parametrize("case", CLI_NEGATIVE)
def test_kg_load_rejects_negative_syntax_with_one_located_line_and_exit_1(
    case: W3cCase, cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    seed = tmp_path / "seed.ttl"
    seed.write_text(SEED, encoding="utf-8")
    assert runner.invoke(app, ["load", str(seed)], env=cli_env).exit_code == 0
    before = snapshot(connection)
    result = runner.invoke(app, ["load", str(case.action)], env=cli_env)
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    assert_located(line.removeprefix("error: "), case.action)
    assert "0 of 1 file(s) loaded" in result.stdout
    assert snapshot(connection) == before


def test_kg_load_names_a_relative_path_as_given_and_keeps_the_good_files_of_the_run(
    cli_env: dict[str, str], connection: Connection, tmp_path: Path
) -> None:
    shutil.copy(TURTLE / "turtle-syntax-bad-prefix-02.ttl", tmp_path / "bad.ttl")
    shutil.copy(TURTLE / "turtle-subm-01.ttl", tmp_path / "good.ttl")
    result = runner.invoke(app, ["load", "good.ttl", "bad.ttl"], env=cli_env)  # the tests run in tmp_path
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["error: bad.ttl:3:49: The prefix : has not been declared"]
    assert "1 of 2 file(s) loaded" in result.stdout
    uris = [row["uri"] for row in read(connection, "MATCH (n:Resource) RETURN n.uri AS uri")]
    assert (tmp_path / "good.ttl").resolve().as_uri() + "#y" in uris  # `[] :x :y` with `@prefix : <#>`
    assert len(uris) == 2


# -- positive syntax and evaluation --------------------------------------------------------------------------


@pytest.mark.parametrize("case", POSITIVE)
def test_positive_syntax_loads(case: W3cCase, empty: Connection) -> None:
    [outcome] = load(empty, case.action)
    assert outcome.error is None
    assert outcome.report is not None


@dataclass(frozen=True)
class GraphShape:
    """What the readable mapping makes of a set of triples: counts that do not depend on names."""

    iri_nodes: frozenset[str]
    blank_nodes: int
    relationships: int
    labels: int  # (node, class) pairs from rdf:type
    properties: int  # (node, predicate) pairs with a literal value; several values of one predicate make one property


def expected_shape(nt_file: Path, base: str) -> GraphShape:
    """Read the expected N-Triples with rdflib (not the parser under test): every subject, and every object of a
    statement other than rdf:type that is not a literal, is a node; those statements are relationships."""
    graph = rdflib.Graph()
    graph.parse(nt_file, format="nt")
    nodes: set[rdflib.term.Node] = set()
    relationships = labels = 0
    properties: set[tuple[rdflib.term.Node, rdflib.term.Node]] = set()
    for subject, predicate, obj in graph:
        nodes.add(subject)
        if isinstance(obj, rdflib.Literal):
            properties.add((subject, predicate))
        elif predicate == RDF_TYPE:
            labels += 1
        else:
            nodes.add(obj)
            relationships += 1
    iris = frozenset(
        base + str(n).removeprefix(W3C_TURTLE_BASE) if str(n).startswith(W3C_TURTLE_BASE) else str(n)
        for n in nodes
        if isinstance(n, rdflib.URIRef)
    )
    return GraphShape(iris, sum(isinstance(n, rdflib.BNode) for n in nodes), relationships, labels, len(properties))


def loaded_shape(connection: Connection) -> GraphShape:
    [row] = read(
        connection,
        "MATCH (n:Resource) "
        "RETURN collect(n.uri) AS uris, "
        "sum(size(labels(n)) - 1) AS labels, "
        "sum(size([k IN keys(n) WHERE k <> 'uri' AND NOT k STARTS WITH '_'])) AS properties",
    )
    [count] = read(connection, "MATCH (:Resource)-[r]->(:Resource) RETURN count(r) AS n")
    uris = row["uris"]
    blank = [u for u in uris if u.startswith("bnode://")]
    return GraphShape(
        frozenset(u for u in uris if u not in blank), len(blank), count["n"], row["labels"], row["properties"]
    )


@pytest.mark.parametrize("case", EVALUATION)
def test_evaluation_input_loads_the_graph_its_expected_triples_describe(case: W3cCase, empty: Connection) -> None:
    assert case.result is not None
    [outcome] = load(empty, case.action)
    assert outcome.error is None
    base = case.action.parent.as_uri() + "/"
    assert loaded_shape(empty) == expected_shape(case.result, base)
