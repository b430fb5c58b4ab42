"""The RDF loader across chunks, on each engine: a node named (as a relationship's target)
before it is described is created bare, then completed without a look-up, and its relationships are created
without a MERGE. Whatever the chunk size, the graph must be exactly the one a single chunk gives."""

from __future__ import annotations

import gc
import re
from ast import literal_eval
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from loaders.graph import cypher_text
from loaders.graph.config import GraphConfig, n10s_config, readable_config
from loaders.graph.provenance import GRAPH_LABELS, GRAPH_PROPS, GRAPHS, PROVENANCE_KEYS
from loaders.graph.unload import unload_graph
from loaders.rdf import load as rdf_load
from loaders.rdf.load import FileReport, LoadOptions, load_rdf_file
from loaders.rdf.source import rdf_file

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

    def spy(labels: Iterable[str], relationship_types: Sequence[str], *, by_id: bool = False) -> str:
        made_with_relationships.append(tuple(relationship_types))
        return real(labels, relationship_types, by_id=by_id)

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
    """What chunks do not change: labels, statements, relationships, the graphs of each node and which graph
    stated which property and label. (The order of the provenance lists follows the order the chunks meet the
    graphs in.)"""
    ensure_schema(connection)  # as `kg load` does: the uniqueness constraint on uri is in place
    path = tmp_path / "named-late.trig"
    path.write_text(TRIG, encoding="utf-8")
    config = readable_config()
    report = load(connection, path, config, 10_000)
    expected = invariant(snapshot(connection, resources_only=True))
    assert (report.counts.nodes_created, report.counts.relationships_created) == (9, 12)
    for size in (1, 2, 3, 5, 8):
        clear(connection)
        report = load(connection, path, config, size)
        assert invariant(snapshot(connection, resources_only=True)) == expected, f"batch size {size}"
        assert (report.counts.nodes_created, report.counts.relationships_created) == (9, 12), f"batch size {size}"
    nodes, relationships = expected
    g1, g2 = EX + "g1", EX + "g2"
    assert len(nodes) == 9
    assert nodes[EX + "b"] == (
        ["Resource", "ns0__Part"],
        {"uri": EX + "b", "name": "b", "ns0__code": "3"},
        [g1, g2],
        [f"{g1}|ns0__code", f"{g2}|name", f"{g2}|ns0__code"],
        [f"{g2}|ns0__Part"],  # b is named in g1 first, but only g2 says it is a Part
    )
    assert nodes[EX + "a"] == (
        ["Resource", "ns0__Part"], {"uri": EX + "a", "name": "a"}, ["", g1], [f"{g1}|name"], [f"{g1}|ns0__Part"]
    )
    assert nodes[EX + "c"] == (["Resource"], {"uri": EX + "c", "name": "c"}, ["", g1, g2], ["|name"], [])
    assert nodes[EX + "d"] == (
        ["Intermediate", "Material", "Resource"],
        {"uri": EX + "d", "name": "d", "_inferredLabels": ["Material"]},
        [g1],
        [],
        [],
    )
    assert nodes[EX + "e"] == (["Resource"], {"uri": EX + "e"}, ["", g1, g2], [], [])
    assert nodes[EX + "f"] == (["Resource"], {"uri": EX + "f"}, [g1], [], [])
    assert nodes[EX + "g"] == (["Resource"], {"uri": EX + "g", "ns0__code": "7"}, ["", g1], [f"{g1}|ns0__code"], [])
    assert len(relationships) == 12  # b usedIn e once, although stated in two graphs
    assert (EX + "b", "ns0__usedIn", EX + "e", [g1, g2]) in relationships


# What remains when one graph of TRIG is unloaded: what the other graph and the default graph state, worked out
# from the statements above (uri -> labels, properties but uri, graphs; relationships with their graphs).
_G1, _G2 = EX + "g1", EX + "g2"
WITHOUT_G2 = (
    {
        "a": (["Resource", "ns0__Part"], {"name": "a"}, ["", _G1]),
        "b": (["Resource"], {"ns0__code": "3"}, [_G1]),
        "c": (["Resource"], {"name": "c"}, ["", _G1]),
        "d": (["Intermediate", "Material", "Resource"], {"name": "d", "_inferredLabels": ["Material"]}, [_G1]),
        "e": (["Resource"], {}, ["", _G1]),
        "f": (["Resource"], {}, [_G1]),
        "g": (["Resource"], {"ns0__code": "7"}, ["", _G1]),
        "x": (["Resource"], {}, [_G1]),
    },
    [
        ("a", "ns0__madeOf", "d", [_G1]),
        ("a", "ns0__near", "c", [_G1]),
        ("a", "ns0__usedIn", "b", [_G1]),
        ("b", "ns0__usedIn", "e", [_G1]),
        ("c", "ns0__near", "g", [""]),
        ("d", "ns0__madeOf", "c", [_G1]),
        ("e", "ns0__near", "a", [""]),
        ("g", "ns0__near", "a", [_G1]),
        ("x", "ns0__near", "f", [_G1]),
        ("x", "ns0__near", "g", [_G1]),
    ],
)
WITHOUT_G1 = (
    {
        "a": (["Resource"], {}, [""]),
        # b keeps code "3", g1's: a property's value is not tracked per graph (g2 alone gives "2", its last);
        # the property stays because g2 states it too (loaders/MAPPING.md).
        "b": (["Resource", "ns0__Part"], {"name": "b", "ns0__code": "3"}, [_G2]),
        "c": (["Resource"], {"name": "c"}, ["", _G2]),
        "e": (["Resource"], {}, ["", _G2]),
        "g": (["Resource"], {}, [""]),
        "x": (["Resource"], {}, [_G2]),
        "y": (["Resource"], {}, [_G2]),
    },
    [
        ("b", "ns0__usedIn", "e", [_G2]),
        ("c", "ns0__near", "g", [""]),
        ("e", "ns0__near", "a", [""]),
        ("x", "ns0__near", "c", [_G2]),
        ("y", "ns0__near", "e", [_G2]),
    ],
)


def _trig_without(graph: str) -> str:
    """TRIG less the blocks of one graph."""
    return re.sub(rf"ex:{graph} {{[^}}]*}}", "", TRIG)


def _plain(graph: tuple[dict[str, Any], list[Any]]) -> tuple[dict[str, Any], list[Any]]:
    """An invariant's labels, properties but uri, and graphs, by local name (the expectations above)."""
    nodes, relationships = graph
    return (
        {uri.removeprefix(EX): (labels, {k: v for k, v in props.items() if k != "uri"}, graphs)
         for uri, (labels, props, graphs, _, _) in nodes.items()},
        [(s.removeprefix(EX), t, o.removeprefix(EX), graphs) for s, t, o, graphs in relationships],
    )


@pytest.mark.parametrize(("unloaded", "kept", "expected"), [("g2", "g1", WITHOUT_G2), ("g1", "g2", WITHOUT_G1)])
def test_unloading_a_graph_of_a_chunked_load_leaves_what_the_other_graphs_state(
    connection: Connection, tmp_path: Path, unloaded: str, kept: str, expected: tuple[dict[str, Any], list[Any]]
) -> None:
    """`kg unload --graph` removes a label exactly when no remaining graph states it, whatever the chunk size:
    the same graph as loading the other graphs alone."""
    ensure_schema(connection)
    path = tmp_path / "named-late.trig"
    path.write_text(TRIG, encoding="utf-8")
    rest = tmp_path / f"only-{kept}.trig"
    rest.write_text(_trig_without(unloaded), encoding="utf-8")
    config = readable_config()
    for size in (10_000, 1, 2, 3, 5, 8):
        clear(connection)
        load(connection, rest, config, size)
        alone = invariant(snapshot(connection, resources_only=True))
        clear(connection)
        load(connection, path, config, size)
        unload_graph(connection, EX + unloaded)
        after = invariant(snapshot(connection, resources_only=True))
        assert _plain(after) == expected, f"batch size {size}"
        if unloaded == "g1":  # the one value that differs from a load of g2 alone (see WITHOUT_G1)
            assert alone[0][EX + "b"][1]["ns0__code"] == "2"
            alone[0][EX + "b"][1]["ns0__code"] = "3"
        assert after == alone, f"batch size {size}"


def invariant(graph: tuple[dict[str, Any], list[Any]]) -> tuple[dict[str, Any], list[Any]]:
    """Per node: labels, properties but provenance, and the sorted contents of `_graphs` ([""]: the default graph
    alone), `_graphProps` and `_graphLabels`; per relationship, its sorted graphs."""
    nodes, relationships = graph
    return {
        uri: (
            labels,
            {k: v for k, v in props.items() if k not in PROVENANCE_KEYS},
            sorted(props.get(GRAPHS) or [""]),
            sorted(props.get(GRAPH_PROPS) or []),
            sorted(props.get(GRAPH_LABELS) or []),
        )
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


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _nq(subject: str, predicate: str, obj: str, graph: str | None = None) -> str:
    term = obj if obj.startswith('"') else f"<{obj if '://' in obj else EX + obj}>"
    predicate = predicate if "://" in predicate else EX + predicate
    return f"<{EX}{subject}> <{predicate}> {term}{f' <{EX}{graph}>' if graph else ''} .\n"


# x is first written in a chunk with no rdf:type, from the default graph and g1 (or only as a target); its one
# rdf:type statement, in g1, comes in a later chunk.
LATE_TYPES = {
    "subject first": _nq("x", "code", '"v"') + _nq("x", "code2", '"w"', "g1") + _nq("x", RDF_TYPE, "Part", "g1"),
    "target first": _nq("a", "near", "x") + _nq("b", "near", "x", "g1") + _nq("x", RDF_TYPE, "Part", "g1"),
    "target first, then subject": _nq("a", "near", "x") + _nq("b", "near", "x", "g1")
    + _nq("x", RDF_TYPE, "Part", "g1") + _nq("x", "near", "a", "g1"),
}


@pytest.mark.parametrize("case", sorted(LATE_TYPES))
def test_a_label_stated_in_a_later_chunk_is_credited_to_its_graph(
    connection: Connection, tmp_path: Path, case: str
) -> None:
    ensure_schema(connection)
    path = tmp_path / "late-type.nq"
    path.write_text(LATE_TYPES[case], encoding="utf-8")
    for size in (10_000, 1, 2, 3):
        clear(connection)
        load(connection, path, readable_config(), size)
        labels, props = node(snapshot(connection)[0], "x")
        assert labels == ["Resource", "ns0__Part"]
        assert sorted(props[GRAPHS]) == ["", EX + "g1"], f"batch size {size}"
        assert props[GRAPH_LABELS] == [f"{EX}g1|ns0__Part"], f"batch size {size}"
        unload_graph(connection, EX + "g1")
        assert node(snapshot(connection)[0], "x")[0] == ["Resource"], f"batch size {size}: only g1 said Part"


def test_labels_of_a_node_an_earlier_file_made_keep_their_graphs_across_chunks(
    connection: Connection, tmp_path: Path
) -> None:
    """The stored provenance of what an earlier file gave a node, and pass one's for what this file gives it."""
    ensure_schema(connection)
    first = tmp_path / "first.nq"
    first.write_text(_nq("x", RDF_TYPE, "Old", "g1") + _nq("x", "code", '"1"', "g1"), encoding="utf-8")
    second = tmp_path / "second.nq"
    second.write_text(
        _nq("x", "code", '"2"', "g1") + _nq("x", "note", '"n"', "g3") + _nq("x", RDF_TYPE, "New", "g2")
        + _nq("x", RDF_TYPE, "Old", "g3"),
        encoding="utf-8",
    )
    g1, g2, g3 = EX + "g1", EX + "g2", EX + "g3"
    for size in (10_000, 1, 2, 3):
        for unloaded, labels in ((g1, ["Resource", "ns0__New", "ns0__Old"]), (g2, ["Resource", "ns0__Old"]),
                                 (g3, ["Resource", "ns0__New", "ns0__Old"])):
            clear(connection)
            load(connection, first, readable_config(), size)
            load(connection, second, readable_config(), size)
            found, props = node(snapshot(connection)[0], "x")
            assert found == ["Resource", "ns0__New", "ns0__Old"]
            assert sorted(props[GRAPH_LABELS]) == [f"{g1}|ns0__Old", f"{g2}|ns0__New", f"{g3}|ns0__Old"], size
            unload_graph(connection, unloaded)
            assert node(snapshot(connection)[0], "x")[0] == labels, f"batch size {size}, unloaded {unloaded}"


def test_a_relationship_to_a_missing_node_fails_the_load_rather_than_vanish(connection: Connection) -> None:
    from kg.core.errors import KgError, MissingRelationships
    from loaders.graph.writer import GraphWriter

    assert issubclass(MissingRelationships, KgError)
    with connection.driver.session(database=connection.database) as session:
        tx = session.begin_transaction()
        try:
            writer = GraphWriter(tx)
            writer.create_nodes({frozenset(): [{"uri": EX + "there"}]})
            rows = [({"uri": EX + "new"}, {"ns0__near": [EX + "there", EX + "missing"]})]
            with pytest.raises(MissingRelationships, match="1 of 2 relationships"):
                writer.create_nodes_with_relationships({frozenset(): rows})
        finally:
            tx.rollback()


# A second file about nodes the graph already holds (new properties, labels, graphs and relationships) and new ones.
ON_TOP = f"""
@prefix ex: <{EX}> .
@prefix crm: <{CRM}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:g3 {{
  ex:n1 a ex:Part ; rdfs:label "n1" ; ex:usedIn ex:a ; ex:near ex:f .
  ex:a a crm:Component ; ex:code "9" ; ex:near ex:n2 .
  ex:b ex:usedIn ex:e ; ex:near ex:n1 .
}}
{{
  ex:c a ex:Part ; ex:usedIn ex:n1 .
  ex:n2 rdfs:label "n2" ; ex:near ex:g .
}}
"""


@pytest.mark.parametrize("batch_size", [2, 10_000])
def test_reading_the_whole_graph_or_looking_up_each_node_gives_the_same_graph(
    connection: Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    first, second = tmp_path / "first.trig", tmp_path / "second.trig"
    first.write_text(TRIG, encoding="utf-8")
    second.write_text(ON_TOP, encoding="utf-8")
    graphs, counts = [], []
    for read_whole_below in (0, 1_000_000):  # always look each node up; always read the graph whole
        monkeypatch.setattr(rdf_load, "READ_WHOLE_GRAPH_BELOW", read_whole_below)
        clear(connection)
        load(connection, first, readable_config(), batch_size)
        counts.append(load(connection, second, readable_config(), batch_size).counts)
        graphs.append(snapshot(connection))
    assert graphs[0] == graphs[1]
    assert counts[0] == counts[1]
    assert counts[0].nodes_created == 2 and counts[0].labels_added > 0 and counts[0].nodes_updated > 0


def test_a_node_given_labels_in_the_transaction_is_still_found_by_element_id(connection: Connection) -> None:
    # The embedded default keeps a node of other labels as another record: the element id looked up before the
    # labels were added finds nothing afterwards, and a relationship to it would be lost without a word.
    from loaders.graph.writer import GraphWriter

    with connection.driver.session(database=connection.database) as session:
        session.run("CREATE (:Resource {uri: $uri})", uri=EX + "old").consume()
        tx = session.begin_transaction()
        try:
            writer = GraphWriter(tx)
            writer.lookup([EX + "old"])
            writer.add_labels({frozenset({"Extra"}): [EX + "old"]})
            writer.create_nodes({frozenset(): [{"uri": EX + "new", "name": "new"}]})
            writer.merge_relationships({"ns0__near": [{"start": EX + "new", "end": EX + "old", "graphs": [""]}]})
            found = tx.run(
                "MATCH (:Resource {uri: $start})-[r:ns0__near]->(:Resource:Extra {uri: $end}) RETURN count(r) AS n",
                start=EX + "new", end=EX + "old",
            ).single(strict=True)["n"]
            assert found == 1
            assert writer.counts.relationships_created == 1
        finally:
            tx.rollback()


def test_an_element_id_that_finds_nothing_fails_the_load(connection: Connection) -> None:
    from kg.core.errors import MissingRelationships
    from loaders.graph.writer import GraphWriter

    with connection.driver.session(database=connection.database) as session:
        tx = session.begin_transaction()
        try:
            writer = GraphWriter(tx)
            writer.create_nodes({frozenset(): [{"uri": EX + "a"}, {"uri": EX + "b"}]})
            # b's id as a label change would leave it on the embedded default: a record that is no longer there
            tx.run("MATCH (n:Resource {uri: $uri}) DETACH DELETE n", uri=EX + "b").consume()
            with pytest.raises(MissingRelationships, match=r"1 of 1 relationships \(ns0__near\) found no start or end"):
                writer.merge_relationships({"ns0__near": [{"start": EX + "a", "end": EX + "b", "graphs": [""]}]})
        finally:
            tx.rollback()


def test_a_load_leaves_thresholds_someone_else_set_meanwhile() -> None:
    before = gc.get_threshold()
    try:
        with rdf_load._fewer_collections():
            gc.set_threshold(1234, *before[1:])
        assert gc.get_threshold() == (1234, *before[1:])
    finally:
        gc.set_threshold(*before)


def test_inferred_labels_are_not_credited_to_a_graph(connection: Connection, tmp_path: Path) -> None:
    """A node of one graph that gains a second: its stated labels go to the first graph, not its inferred ones."""
    ensure_schema(connection)
    path = tmp_path / "inferred.nq"
    path.write_text(_nq("d", RDF_TYPE, CRM + "Intermediate", "g1") + _nq("d", "code", '"2"', "g2"), encoding="utf-8")
    for size in (10_000, 1):
        for unloaded, labels in (("g1", ["Resource"]), ("g2", ["Intermediate", "Material", "Resource"])):
            clear(connection)
            load(connection, path, readable_config(), size)
            found, props = node(snapshot(connection)[0], "d")
            assert found == ["Intermediate", "Material", "Resource"]
            assert props[GRAPH_LABELS] == [f"{EX}g1|Intermediate"], f"batch size {size}"
            unload_graph(connection, EX + unloaded)
            assert node(snapshot(connection)[0], "d")[0] == labels, f"batch size {size}, unloaded {unloaded}"
