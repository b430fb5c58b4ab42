"""The RDF loader across chunks, against the real embedded server: a node named (as a relationship's target)
before it is described is created bare, then completed without a look-up, and its relationships are created
without a MERGE. Whatever the chunk size, the graph must be exactly the one a single chunk gives."""

from __future__ import annotations

import gc
from ast import literal_eval
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.connection import Connection
from loaders import cypher_text, rdf_load
from loaders.graph_config import GraphConfig, n10s_config, readable_config
from loaders.merge import GRAPHS, PROVENANCE_KEYS
from loaders.rdf_load import FileReport, LoadOptions, load_rdf_file
from loaders.rdf_source import rdf_file

from .graph_snapshot import snapshot

pytestmark = pytest.mark.graph

CRM = "https://w3id.org/crm-kg/ontology#"
EX = "http://example.org/chunks/"

# Every node but `a` is named as a target before its own statements; `c` and `e` gain graphs as targets only;
# `b` states a relationship again in a later chunk (it must stay one relationship); `d` is typed with a crm
# subclass (inferred label Material); `f` stays a bare target; `g` is described in two pieces.
TRIG = f"""
@prefix ex: <{EX}> .
@prefix crm: <{CRM}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:g1 {{
  ex:a a ex:Part ; rdfs:label "a" ; ex:usedIn ex:b ; ex:madeOf ex:d ; ex:near ex:c .
  ex:x ex:near ex:f ; ex:near ex:g .
}}
ex:g2 {{
  ex:x ex:near ex:c .
  ex:b a ex:Part ; rdfs:label "b" ; ex:usedIn ex:e ; ex:code "1", "2" .
  ex:y ex:near ex:e .
}}
ex:g1 {{
  ex:b ex:usedIn ex:e ; ex:code "3" .
  ex:d a crm:Intermediate ; rdfs:label "d" ; ex:madeOf ex:c .
  ex:g ex:code "7" .
  ex:g ex:near ex:a .
}}
{{
  ex:c rdfs:label "c" ; ex:near ex:g .
  ex:e ex:near ex:a .
}}
"""


def load(connection: Connection, path: Path, config: GraphConfig, batch_size: int) -> FileReport:
    return load_rdf_file(connection, rdf_file(path), LoadOptions(config, batch_size=batch_size))


def clear(connection: Connection) -> None:
    with connection.driver.session(database=connection.database) as session:
        session.run("MATCH (n) DETACH DELETE n").consume()


def node(nodes: dict[str, Any], local: str) -> tuple[list[str], dict[str, Any]]:
    labels, props = nodes[EX + local]
    return labels, props


NT = "".join(
    f"{line} .\n"
    for line in (
        f"<{EX}a> <{EX}near> <{EX}z1>",
        f"<{EX}a> <{EX}near> <{EX}b>",
        f"<{EX}a> <{EX}near> <{EX}c>",
        f'<{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> "a"',
        f"<{EX}b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CRM}Intermediate>",
        f'<{EX}b> <{EX}code> "1"',
        f"<{EX}b> <{EX}near> <{EX}c>",
        f'<{EX}b> <{EX}code> "2"^^<http://www.w3.org/2001/XMLSchema#integer>',
        f"<{EX}c> <{EX}near> <{EX}a>",
        f"<{EX}d> <{EX}near> <{EX}e>",
        f"<{EX}a> <{EX}near> <{EX}b>",
        f"<{EX}e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Part>",
        f'<{EX}c> <{EX}code> "3"',
        f'<{EX}c> <{EX}code> "4"',
        f"<{EX}e> <{EX}near> <{EX}d>",
        f"<{EX}e> <{EX}near> <{EX}z3>",
        f"<{EX}b> <{EX}near> <{EX}z2>",
        f"<{EX}d> <{EX}near> <{EX}z3>",
        f"<{EX}c> <{EX}near> <{EX}z2>",
        f'<{EX}z1> <{EX}code> "late"',
    )
)


@pytest.mark.parametrize("multival", ["OVERWRITE", "ARRAY"])
def test_nodes_named_before_they_are_described_load_the_same_in_any_chunk_size(
    connection: Connection, tmp_path: Path, multival: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made_with_relationships: list[tuple[str, ...]] = []
    real = cypher_text.create_nodes_with_relationships

    def spy(labels: Iterable[str], relationship_types: Sequence[str]) -> str:
        made_with_relationships.append(tuple(relationship_types))
        return real(labels, relationship_types)

    monkeypatch.setattr(cypher_text, "create_nodes_with_relationships", spy)
    path = tmp_path / "named-late.nt"
    path.write_text(NT, encoding="utf-8")
    config = readable_config() if multival == "OVERWRITE" else n10s_config({"handleMultival": "ARRAY"})
    whole = load(connection, path, config, 10_000)
    expected = snapshot(connection)
    for size in (1, 2, 3, 5, 8):
        clear(connection)
        report = load(connection, path, config, size)
        assert snapshot(connection) == expected, f"batch size {size}"
        assert report.counts.nodes_created == whole.counts.nodes_created == 8
        assert report.counts.relationships_created == whole.counts.relationships_created == 11
        load(connection, path, config, size)
        assert snapshot(connection) == expected, f"batch size {size}, loaded twice"
    assert ("ns0__near",) in made_with_relationships  # nodes were made with their relationships

    nodes, relationships = expected
    assert [(s, t, o) for s, t, o, _ in relationships] == [
        (EX + s, "ns0__near", EX + o)
        for s, o in (("a", "b"), ("a", "c"), ("a", "z1"), ("b", "c"), ("b", "z2"), ("c", "a"), ("c", "z2"),
                     ("d", "e"), ("d", "z3"), ("e", "d"), ("e", "z3"))
    ]
    if multival == "OVERWRITE":
        assert node(nodes, "b") == (
            ["Intermediate", "Material", "Resource"],
            {
                "uri": EX + "b",
                "ns0__code": 2,
                "_inferredLabels": ["Material"],
                "_literalForms": ["ns0__code|http://www.w3.org/2001/XMLSchema#integer"],
            },
        )
        assert node(nodes, "c") == (["Resource"], {"uri": EX + "c", "ns0__code": "4"})
        assert node(nodes, "a") == (["Resource"], {"uri": EX + "a", "name": "a"})
    else:  # n10s's names: no inferred labels, and a list holds one kind of value
        assert node(nodes, "b") == (
            ["Resource", "ns1__Intermediate"],
            {
                "uri": EX + "b",
                "ns0__code": ["1"],
                "_literalForms": ["ns0__code|http://www.w3.org/2001/XMLSchema#integer"],
            },
        )
        assert node(nodes, "c")[1]["ns0__code"] == ["3", "4"]
    late = "late" if multival == "OVERWRITE" else ["late"]
    assert node(nodes, "z1") == (["Resource"], {"uri": EX + "z1", "ns0__code": late})
    assert node(nodes, "z2") == (["Resource"], {"uri": EX + "z2"})
    assert node(nodes, "z3") == (["Resource"], {"uri": EX + "z3"})
    assert node(nodes, "d") == (["Resource"], {"uri": EX + "d"})
    assert node(nodes, "e") == (["Resource", "ns0__Part"], {"uri": EX + "e"})


def test_named_graphs_of_nodes_named_before_they_are_described(connection: Connection, tmp_path: Path) -> None:
    """What chunks do not change: labels, statements, relationships and the set of graphs of each node.
    (The order of the provenance lists follows the order the chunks meet the graphs in.)"""
    path = tmp_path / "named-late.trig"
    path.write_text(TRIG, encoding="utf-8")
    config = readable_config()
    load(connection, path, config, 10_000)
    expected = invariant(snapshot(connection, resources_only=True))
    for size in (1, 2, 3, 5, 8):
        clear(connection)
        load(connection, path, config, size)
        assert invariant(snapshot(connection, resources_only=True)) == expected, f"batch size {size}"
    nodes, relationships = expected
    g1, g2 = EX + "g1", EX + "g2"
    assert nodes[EX + "b"] == (["Resource", "ns0__Part"], {"uri": EX + "b", "name": "b", "ns0__code": "3"}, [g1, g2])
    assert nodes[EX + "c"] == (["Resource"], {"uri": EX + "c", "name": "c"}, ["", g1, g2])
    assert nodes[EX + "d"] == (
        ["Intermediate", "Material", "Resource"],
        {"uri": EX + "d", "name": "d", "_inferredLabels": ["Material"]},
        [g1],
    )
    assert nodes[EX + "e"] == (["Resource"], {"uri": EX + "e"}, ["", g1, g2])
    assert nodes[EX + "f"] == (["Resource"], {"uri": EX + "f"}, [g1])
    assert nodes[EX + "g"] == (["Resource"], {"uri": EX + "g", "ns0__code": "7"}, ["", g1])
    assert len(relationships) == 12  # b usedIn e once, although stated in two graphs
    assert (EX + "b", "ns0__usedIn", EX + "e", [g1, g2]) in relationships


def invariant(graph: tuple[dict[str, Any], list[Any]]) -> tuple[dict[str, Any], list[Any]]:
    nodes, relationships = graph
    return {
        uri: (labels, {k: v for k, v in props.items() if k not in PROVENANCE_KEYS}, sorted(props.get(GRAPHS) or [""]))
        for uri, (labels, props) in nodes.items()
    }, [(s, t, o, sorted(dict(literal_eval(props)).get(GRAPHS) or [""])) for s, t, o, props in relationships]


def test_a_node_an_earlier_file_made_is_completed_in_a_later_chunk(connection: Connection, tmp_path: Path) -> None:
    first = tmp_path / "first.nt"
    first.write_text(f'<{EX}p> <{EX}code> "old" .\n', encoding="utf-8")
    second = tmp_path / "second.nt"
    second.write_text(
        f"<{EX}q> <{EX}near> <{EX}p> .\n<{EX}q> <{EX}near> <{EX}r> .\n"
        f'<{EX}p> <{EX}code> "new" .\n<{EX}r> <{EX}code> "r" .\n<{EX}r> <{EX}near> <{EX}p> .\n'
        f"<{EX}r> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Part> .\n",
        encoding="utf-8",
    )
    config = readable_config()
    load(connection, first, config, 10_000)
    load(connection, second, config, 10_000)
    expected = snapshot(connection)
    clear(connection)
    load(connection, first, config, 1)
    report = load(connection, second, config, 1)
    assert snapshot(connection) == expected
    nodes, relationships = expected
    assert node(nodes, "p") == (["Resource"], {"uri": EX + "p", "ns0__code": "new"})
    assert node(nodes, "r") == (["Resource", "ns0__Part"], {"uri": EX + "r", "ns0__code": "r"})
    assert [(s, t, o) for s, t, o, _ in relationships] == [
        (EX + "q", "ns0__near", EX + "p"),
        (EX + "q", "ns0__near", EX + "r"),
        (EX + "r", "ns0__near", EX + "p"),
    ]
    assert (report.counts.nodes_created, report.counts.nodes_updated, report.counts.relationships_created) == (2, 2, 3)


def test_a_load_collects_cycles_less_often_and_restores_the_collector_after() -> None:
    before = gc.get_threshold()
    with rdf_load._fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], 50_000)
        with rdf_load._fewer_collections():  # a second load at the same time
            pass
        assert gc.get_threshold()[0] == max(before[0], 50_000)
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), rdf_load._fewer_collections():
        raise RuntimeError("a failed load")
    assert gc.get_threshold() == before
