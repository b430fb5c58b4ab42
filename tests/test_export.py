"""`kg export`: the bundled dataset round-trips to an isomorphic RDF graph; a named graph exports alone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import XSD
from typer.testing import CliRunner

from kg.cli.commands import app
from kg.core.resources import bundled_data_files, ontology_file
from kg.server.connection import Connection
from loaders.graph.config import readable_config
from loaders.rdf.export import export_graph
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file

pytestmark = pytest.mark.graph
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "loading"
runner = CliRunner()


def triples_of(path: Path, rdf_format: ox.RdfFormat) -> Graph:
    """A file's statements as one rdflib Graph, graph names dropped (parsed by pyoxigraph: rdflib's JSON-LD and
    TriG parsers warn of their own deprecated internals)."""
    lines = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in ox.parse(path=str(path), format=rdf_format))
    return Graph().parse(data=lines, format="nt")


def canonical(graph: Graph) -> Graph:
    """Numbers in their canonical lexical form: the graph stores values, so "0.10" comes back as "0.1"
    (documented in loaders/MAPPING.md); every other term is compared exactly."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        elif isinstance(o, Literal) and o.datatype == XSD.integer:
            o = Literal(str(int(str(o))), datatype=XSD.integer)
        result.add((s, p, o))
    return result


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    _, only_expected, only_actual = graph_diff(to_isomorphic(canonical(expected)), to_isomorphic(canonical(actual)))
    lines = [f"- {t}" for t in sorted(only_expected)[:20]] + [f"+ {t}" for t in sorted(only_actual)[:20]]
    assert not lines, f"{len(only_expected)} statements lost, {len(only_actual)} added:\n" + "\n".join(lines)


def test_the_bundled_dataset_round_trips(connection: Connection) -> None:
    files = [ontology_file(), *bundled_data_files()]
    outcomes = load_rdf_files(
        connection, [rdf_file(p) for p in files], LoadOptions(readable_config()), validate_first=False
    )
    assert all(o.loaded for o in outcomes)
    source = Graph()
    for path in files:
        source.parse(path)
    assert_isomorphic(source, export_graph(connection))


def test_a_named_graph_exports_alone(connection: Connection) -> None:
    (outcome,) = load_rdf_files(
        connection, [rdf_file(FIXTURES / "two-graphs.trig")], LoadOptions(readable_config()), validate_first=False
    )
    assert outcome.loaded
    # What the suppliers graph states, as triples (the file holds that graph alone).
    only_suppliers = triples_of(FIXTURES / "suppliers-only.trig", ox.RdfFormat.TRIG)
    assert_isomorphic(only_suppliers, export_graph(connection, "http://example.org/graphs/suppliers"))


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)],
)
def test_cli_export_writes_each_format_to_a_file(
    cli_env: dict[str, str], tmp_path: Path, fmt: str, rdf_format: ox.RdfFormat
) -> None:
    assert runner.invoke(app, ["load", str(FIXTURES / "sixty-parts.ttl")], env=cli_env).exit_code == 0
    target = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "-o", str(target)], env=cli_env)
    assert result.exit_code == 0, result.output
    exported = triples_of(target, rdf_format)
    assert_isomorphic(Graph().parse(FIXTURES / "sixty-parts.ttl"), exported)


def deep_json_ld(path: Path, depth: int) -> Path:
    """`depth` blank nodes, each inside the one before, as JSON-LD writes them (the attack test's deep1000.jsonld)."""
    opening = '{"http://example.org/v#next": ' * depth
    bottom = '{"http://example.org/v#end": "bottom"}'
    path.write_text(f'{{"@id": "http://example.org/top", "http://example.org/v#next": {opening}{bottom}{"}" * depth}}}',
                    encoding="utf-8")
    return path


def test_a_thousand_levels_of_blank_nodes_export_in_every_format(cli_env: dict[str, str], tmp_path: Path) -> None:
    # issue 12, item 12: `kg export --format ttl` (and jsonld) ended in a 2,018-line RecursionError for the whole
    # graph once such a file was loaded; N-Triples worked
    source = deep_json_ld(tmp_path / "deep.jsonld", 1000)
    loaded = runner.invoke(app, ["load", str(source), "--no-validate"], env=cli_env)
    assert loaded.exit_code == 0, loaded.output
    statements = len(list(ox.parse(path=str(source), format=ox.RdfFormat.JSON_LD)))
    assert statements == 1002  # the top's link, 1,000 more levels, the bottom's value
    for fmt, rdf_format in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        target = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["export", "--format", fmt, "-o", str(target)], env=cli_env)
        assert result.exit_code == 0, result.output[-500:]
        assert result.stderr.strip() == f"wrote {statements:,} statements to {target}"
        assert depth_of_chain(triples_of(target, rdf_format)) == 1001  # isomorphism of 1,001 blank nodes is slow


def depth_of_chain(graph: Graph) -> int:
    """How many `next` links lead from the top to the node whose `end` is "bottom" (each node has one `next`)."""
    follow, end = URIRef("http://example.org/v#next"), URIRef("http://example.org/v#end")
    node, depth = URIRef("http://example.org/top"), 0
    while (node, end, Literal("bottom")) not in graph:
        (node,) = list(graph.objects(node, follow))
        depth += 1
    return depth
