"""Pure tests of the RDF mapping (no database): naming, literal values, statement mapping and multivalue merging."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyoxigraph as ox
import pytest
from neo4j.spatial import CartesianPoint
from neo4j.time import Date, DateTime, Time

from kg.core.errors import ConfigError, UndefinedPrefix
from loaders.graph.config import N10S_PREFIXES, GraphConfig, n10s_config
from loaders.graph.mapping import BlankNodeIds, ChunkMapping, NodeUpdate, StatementMapper
from loaders.graph.naming import (
    Namer,
    PrefixMap,
    TermKind,
    camel_case,
    n10s_capitalisation,
    split_iri,
    upper_snake_case,
)
from loaders.graph.provenance import merge_node
from loaders.graph.values import XSD, LiteralForm, to_value, type_class

FOAF = "http://xmlns.com/foaf/0.1/"
EX = "http://example.com/"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"
PLAIN = LiteralForm()

# -- naming ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "namespace", "local"),
    [
        ("http://xmlns.com/foaf/0.1/name", "http://xmlns.com/foaf/0.1/", "name"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#", "label"),
        # RDF4J (so n10s) splits after the *first* '#'
        ("http://example.com/a#b#c", "http://example.com/a#", "b#c"),
        ("http://www.blueobelisk.org/ontologies/chemoinformatics-algorithms/#xlogP",
         "http://www.blueobelisk.org/ontologies/chemoinformatics-algorithms/#", "xlogP"),
        ("urn:isbn:0451450523", "urn:isbn:", "0451450523"),
        ("http://example.com/", "http://example.com/", ""),
        ("http://example.com/vocab/creation-date", "http://example.com/vocab/", "creation-date"),
        ("noseparator", "", "noseparator"),
    ],
)
def test_split_iri(iri: str, namespace: str, local: str) -> None:
    assert split_iri(iri) == (namespace, local)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("PersonName", "personName"), ("creation-date", "creationDate"), ("hsCode", "hsCode"), ("x", "x")],
)
def test_camel_case(name: str, expected: str) -> None:
    assert camel_case(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("runsOn", "RUNS_ON"), ("memberOfGroup", "MEMBER_OF_GROUP"), ("hs-code", "HS_CODE"), ("reads", "READS")],
)
def test_upper_snake_case(name: str, expected: str) -> None:
    assert upper_snake_case(name) == expected


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("runsOn", TermKind.RELATIONSHIP, "RUNSON"),  # n10s upper-cases the whole name, no underscore
        ("reads", TermKind.RELATIONSHIP, "READS"),
        ("PersonName", TermKind.PROPERTY, "personName"),
        ("creation-date", TermKind.PROPERTY, "creation-date"),
        ("publication", TermKind.LABEL, "Publication"),
        ("Publication", TermKind.LABEL, "Publication"),
    ],
)
def test_n10s_capitalisation(name: str, kind: TermKind, expected: str) -> None:
    assert n10s_capitalisation(name, kind) == expected


def namer(params: dict[str, Any] | None = None, stored: dict[str, str] | None = None) -> Namer:
    config = n10s_config(params or {})
    return Namer(config, PrefixMap.start(config, stored or {}))


def test_shorten_uses_predefined_prefixes_then_ns0_ns1_in_order() -> None:
    names = namer()
    assert names.property_name(N10S_PREFIXES["rdfs"] + "label") == "rdfs__label"
    assert names.property_name(FOAF + "name") == "ns0__name"
    assert names.label(EX + "Car") == "ns1__Car"
    assert names.relationship_type(FOAF + "knows") == "ns0__knows"
    assert names.prefixes.assigned == {"ns0": FOAF, "ns1": EX}


def test_shorten_continues_numbering_after_stored_prefixes() -> None:
    names = namer(stored={"ns0": "http://a.example/", "ns3": "http://b.example/"})
    assert names.property_name("http://b.example/p") == "ns3__p"  # a stored prefix is kept
    assert names.property_name(FOAF + "name") == "ns4__name"
    assert names.prefixes.assigned == {"ns4": FOAF}


def test_config_prefixes_win() -> None:
    names = namer({"prefixes": {"foaf": FOAF}}, stored={"ns0": FOAF})
    assert names.property_name(FOAF + "name") == "foaf__name"
    assert names.prefixes.assigned == {}


@pytest.mark.parametrize("prefix", ["", "_k", "@k", "9k", "a b", "a:b"])
def test_a_config_prefix_must_be_a_name_that_makes_no_reserved_name(prefix: str) -> None:
    # Issue 12: the prefix "" made `__uri` and `__name`, names the loader keeps for itself (they start with _).
    with pytest.raises(ConfigError) as refused:
        n10s_config({"prefixes": {prefix: EX}})
    assert str(refused.value) == (
        f"graph config: prefixes: {prefix!r} is not a prefix: it must start with a letter and hold only letters, "
        "digits, _ and -"
    )


def test_a_config_prefix_may_not_stand_for_another_namespace_than_the_graphs() -> None:
    # The same prefix for two namespaces would give two namespaces' terms one name (the loader's own term table
    # refused it later, blaming "a load running at the same time").
    with pytest.raises(ConfigError) as refused:
        namer({"prefixes": {"ns0": EX}}, stored={"ns0": FOAF})
    assert str(refused.value) == (
        f"graph config: prefixes: ns0 stands for <{FOAF}> in this graph already; choose another prefix for <{EX}>"
    )
    with pytest.raises(ConfigError, match="rdfs stands for"):
        namer({"prefixes": {"rdfs": EX}})
    assert namer({"prefixes": {"rdfs": N10S_PREFIXES["rdfs"], "ex-1": EX}}).label(EX + "Car") == "ex-1__Car"


def test_shorten_strict_fails_on_a_namespace_without_prefix() -> None:
    names = namer({"handleVocabUris": "SHORTEN_STRICT", "prefixes": {"one": FOAF}})
    assert names.property_name(FOAF + "name") == "one__name"
    with pytest.raises(UndefinedPrefix, match=r"No prefix has been defined for namespace <http://example.com/> "
                                              r"and 'handleVocabUris' is set to 'SHORTEN_STRICT'"):
        names.label(EX + "Car")


@pytest.mark.parametrize(
    ("params", "label", "relationship", "prop"),
    [
        ({"handleVocabUris": "KEEP"}, EX + "Car", EX + "runsOn", EX + "PersonName"),
        ({"handleVocabUris": "IGNORE"}, "Car", "runsOn", "PersonName"),
        ({"handleVocabUris": "IGNORE", "applyNeo4jNaming": True}, "Car", "RUNSON", "personName"),
        ({"handleVocabUris": "SHORTEN", "applyNeo4jNaming": True}, "ns0__Car", "ns0__runsOn", "ns0__PersonName"),
        (
            {"handleVocabUris": "MAP", "mappings": [{"iri": EX + "runsOn", "name": "RUNS_ON"}]},
            "Car", "RUNS_ON", "PersonName",
        ),
        (
            {"handleVocabUris": "MAP", "mappings": {EX + "Car": "Vehicle"}, "applyNeo4jNaming": True},
            "Vehicle", "RUNSON", "personName",
        ),
    ],
)
def test_vocabulary_strategies(params: dict[str, Any], label: str, relationship: str, prop: str) -> None:
    names = namer(params)
    assert names.label(EX + "Car") == label
    assert names.relationship_type(EX + "runsOn") == relationship
    assert names.property_name(EX + "PersonName") == prop


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("SHORTEN", "ns0__EUR"), ("KEEP", EX + "EUR"), ("SHORTEN_STRICT", EX + "EUR")],  # STRICT: as n10s, no failure
)
def test_custom_datatype_names(mode: str, expected: str) -> None:
    assert namer({"handleVocabUris": mode}).datatype(EX + "EUR") == expected


def test_names_remember_their_iri() -> None:
    names = namer({"handleVocabUris": "IGNORE"})
    names.property_name(EX + "name")
    names.property_name(FOAF + "name")  # the same name: the first IRI is kept
    assert names.terms == {(TermKind.PROPERTY, "name"): EX + "name"}


# -- values ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("218", "integer", 218),
        ("+5", "long", 5),
        (" 12 ", "int", 12),
        ("-3", "short", -3),
        ("7", "byte", 7),
        ("0", "nonNegativeInteger", 0),
        ("9", "positiveInteger", 9),
        ("-9", "negativeInteger", -9),
        ("0", "nonPositiveInteger", 0),
        ("9", "unsignedLong", 9),
        ("9", "unsignedInt", 9),
        ("9", "unsignedShort", 9),
        ("9", "unsignedByte", 9),
        ("9223372036854775807", "integer", 9223372036854775807),
        ("45.75", "double", 45.75),
        ("1e3", "float", 1000.0),
        (".5", "decimal", 0.5),
        ("INF", "double", float("inf")),
        ("true", "boolean", True),
        ("1", "boolean", True),
        ("false", "boolean", False),
        ("0", "boolean", False),
        ("1999-08-16", "date", Date(1999, 8, 16)),
        ("2012-12-31T23:57:00", "dateTime", DateTime(2012, 12, 31, 23, 57, 0)),
        ("2012-12-31T23:57", "dateTime", DateTime(2012, 12, 31, 23, 57, 0)),  # as java's LocalDateTime.parse
        ("2021-08-05T16:18:45.262", "dateTime", DateTime(2021, 8, 5, 16, 18, 45, 262_000_000)),
        ("2012-12-31T23:57:00.123456789", "dateTime", DateTime(2012, 12, 31, 23, 57, 0, 123_456_789)),
        ("10:30:00", "time", Time(10, 30, 0)),
        ("text", "string", "text"),
        ("a  b", "normalizedString", "a  b"),
        ("tok", "token", "tok"),
        ("http://example.com/", "anyURI", "http://example.com/"),
    ],
)
def test_xsd_values(lexical: str, datatype: str, expected: Any) -> None:
    found = to_value(lexical, XSD + datatype, None, PLAIN, XSD + datatype)
    assert found == expected
    assert type(found) is type(expected)


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("1_000", "integer"),  # Python's int() would take it
        ("99999999999999999999", "integer"),  # beyond Neo4j's 64-bit integers
        ("12.5", "integer"),
        ("inf", "double"),  # XSD spells it INF
        ("1_0.5", "double"),
        ("yes", "boolean"),
        ("19990816", "date"),
        ("2002-09-24Z", "date"),
        ("2002-02-30", "date"),
        ("2012-12-31T24:00:00", "dateTime"),
        ("2012-12-31 23:57:00", "dateTime"),
    ],
)
def test_ill_typed_literals_stay_text(lexical: str, datatype: str) -> None:
    assert to_value(lexical, XSD + datatype, None, PLAIN, XSD + datatype) == lexical
    kept = to_value(lexical, XSD + datatype, None, LiteralForm(keep_custom_datatype=True), "xsd__" + datatype)
    assert kept == f"{lexical}^^xsd__{datatype}"


@pytest.mark.parametrize(
    ("lexical", "offset"),
    [("2010-05-29T14:17:39.262+02:00", dt.timedelta(hours=2)), ("2010-05-29T14:17:39Z", dt.timedelta(0))],
)
def test_zoned_datetime(lexical: str, offset: dt.timedelta) -> None:
    found = to_value(lexical, XSD + "dateTime", None, PLAIN, "")
    assert isinstance(found, DateTime)
    assert found.utcoffset() == offset
    assert (found.hour, found.minute, found.second) == (14, 17, 39)
    assert type_class(found) == "datetime"
    assert type_class(to_value("2010-05-29T14:17:39", XSD + "dateTime", None, PLAIN, "")) == "localdatetime"


def test_language_tags() -> None:
    assert to_value("Show", RDF_LANG, "en", PLAIN, RDF_LANG) == "Show"
    assert to_value("Show", RDF_LANG, "en", LiteralForm(keep_lang_tag=True), RDF_LANG) == "Show@en"


def test_custom_datatypes() -> None:
    assert to_value("10000", EX + "EUR", None, PLAIN, "ns0__EUR") == "10000"
    assert to_value("10000", EX + "EUR", None, LiteralForm(keep_custom_datatype=True), "ns0__EUR") == "10000^^ns0__EUR"


def test_wkt_points() -> None:
    point = to_value("Point(-0.1275 51.507222222)", WKT, None, PLAIN, WKT)
    assert isinstance(point, CartesianPoint)
    assert (point.x, point.y, point.srid) == (-0.1275, 51.507222222, 7203)
    point3 = to_value("POINT Z (1.5 2.5 0.08440601703554396)", WKT, None, PLAIN, WKT)
    assert isinstance(point3, CartesianPoint)
    assert (point3.z, point3.srid) == (0.08440601703554396, 9157)
    on_mars = "<http://www.wikidata.org/entity/Q111> Point(351.83 -14.47)"
    assert to_value(on_mars, WKT, None, PLAIN, WKT) == on_mars


@pytest.mark.parametrize(
    ("value", "kind"),
    [(True, "boolean"), (1, "int"), (1.0, "float"), ("a", "str"), (Date(2000, 1, 1), "Date")],
)
def test_type_class(value: Any, kind: str) -> None:
    assert type_class(value) == kind


# -- statement mapping -------------------------------------------------------------------------------------------


def mapper(params: dict[str, Any], stored: dict[str, str] | None = None) -> StatementMapper:
    config: GraphConfig = n10s_config(params)
    return StatementMapper(config, Namer(config, PrefixMap.start(config, stored or {})), BlankNodeIds("scope"))


def quads(turtle: str) -> list[ox.Quad]:
    return list(ox.parse(f"@prefix ex: <{EX}> . @prefix foaf: <{FOAF}> . {turtle}", format=ox.RdfFormat.TURTLE))


def map_file(params: dict[str, Any], turtle: str) -> tuple[dict[str, set[str]], ChunkMapping, StatementMapper]:
    """Both passes of the loader over one file: labels first, then the mapping."""
    statements = quads(turtle)
    first = mapper(params)
    labels = first.labels_of(statements)
    second = StatementMapper(first.config, first.namer, BlankNodeIds("scope"))
    return labels, second.map(statements), second


def test_prefixes_are_handed_out_in_statement_order() -> None:
    """A namespace met first gets ns0 even if pass one looks at rdf:type statements (labels) first."""
    labels, mapping, used = map_file({}, 'ex:a foaf:name "x" . ex:a a <http://other.example/Thing> .')
    assert used.namer.prefixes.assigned == {"ns0": FOAF, "ns1": "http://other.example/"}  # subjects are not named
    assert labels == {EX + "a": {"ns1__Thing"}}
    assert mapping.nodes[EX + "a"].props == {"ns0__name": ["x"]}


def test_prefix_order_counts_only_loaded_statements() -> None:
    _, _, used = map_file(
        {"predicateExclusionList": [FOAF + "name"]}, '<http://s.example/a> foaf:name "x" ; ex:p "y" .'
    )
    assert used.namer.prefixes.assigned == {"ns0": EX}  # foaf:name was excluded: no prefix for foaf


def test_custom_datatype_prefix_comes_after_its_predicate() -> None:
    _, mapping, used = map_file(
        {"keepCustomDataTypes": True}, '<http://s.example/a> ex:price "10000"^^<http://money.example/EUR> .'
    )
    assert used.namer.prefixes.assigned == {"ns0": EX, "ns1": "http://money.example/"}
    assert mapping.nodes["http://s.example/a"].props == {"ns0__price": ["10000^^ns1__EUR"]}


def test_blank_node_class_is_a_relationship_not_a_label() -> None:
    labels, mapping, _ = map_file({}, "ex:a a [ ex:p 1 ] ; a ex:Thing .")
    assert labels == {EX + "a": {"ns0__Thing"}}
    assert mapping.relationships == {(EX + "a", "rdf__type", "bnode://scope/b0"): {""}}


def test_language_filter_ignores_case_and_untagged_literals() -> None:
    _, mapping, _ = map_file(
        {"languageFilter": "fr-BE"}, 'ex:a ex:n "Septante"@fr-be , "Soixante-dix"@fr , "plain" .'
    )
    assert mapping.nodes[EX + "a"].props == {"ns0__n": ["Septante", "plain"]}
    assert (mapping.statements, mapping.skipped) == (2, 1)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("SHORTEN", "2019^^xsd__gYear"), ("KEEP", f"2019^^{XSD}gYear"), ("IGNORE", "2019"), ("MAP", "2019")],
)
def test_keep_custom_data_types(mode: str, expected: str) -> None:
    """Every datatype without a Cypher type of its own is custom (xsd:gYear too); n10s keeps none under IGNORE/MAP."""
    params = {"handleVocabUris": mode, "keepCustomDataTypes": True}
    _, mapping, _ = map_file(params, f'ex:a ex:y "2019"^^<{XSD}gYear> .')
    [values] = mapping.nodes[EX + "a"].props.values()
    assert values == [expected]


def test_custom_data_type_prop_list() -> None:
    params = {"keepCustomDataTypes": True, "customDataTypePropList": [EX + "price"]}
    _, mapping, _ = map_file(params, 'ex:a ex:price "1"^^ex:EUR ; ex:color "red"^^ex:Color .')
    assert mapping.nodes[EX + "a"].props == {"ns0__price": ["1^^ns0__EUR"], "ns0__color": ["red"]}


def test_blank_nodes_are_numbered_by_first_appearance() -> None:
    _, first, _ = map_file({}, "[ ex:knows [ ex:name 'b' ] ] .")
    _, again, _ = map_file({}, "[ ex:knows [ ex:name 'b' ] ] .")
    assert set(first.nodes) == set(again.nodes) == {"bnode://scope/b0", "bnode://scope/b1"}


@pytest.mark.parametrize(
    ("params", "multivalued"),
    [
        ({}, False),
        ({"handleMultival": "ARRAY"}, True),
        ({"handleMultival": "ARRAY", "multivalPropList": [EX + "other"]}, False),
        ({"handleMultival": "ARRAY", "multivalPropList": [EX + "n"]}, True),
        ({"multivalPropList": [EX + "n"]}, False),  # OVERWRITE ignores the list
    ],
)
def test_multivalued_properties(params: dict[str, Any], multivalued: bool) -> None:
    _, mapping, _ = map_file({"handleVocabUris": "IGNORE", **params}, 'ex:a ex:n "x" .')
    assert mapping.multivalued == {"n": multivalued}


# -- merging -----------------------------------------------------------------------------------------------------


def update(**props: list[Any]) -> NodeUpdate:
    return NodeUpdate(props=dict(props), graphs={""})


def test_overwrite_keeps_the_last_value() -> None:
    merged = merge_node(None, update(p=["John Smith", "Joanna Smith"]), {"p": False})
    assert merged.props == {"p": "Joanna Smith"}
    assert merged.dropped == 0


def test_overwrite_replaces_an_earlier_list() -> None:
    assert merge_node({"uri": "u", "p": ["one"]}, update(p=[230]), {"p": False}).props == {"p": 230}


def test_unchanged_values_are_not_written_again() -> None:
    assert merge_node({"uri": "u", "p": 230}, update(p=[230]), {"p": False}).props == {}
    assert merge_node({"uri": "u", "p": ["a", "b"]}, update(p=["b", "a"]), {"p": True}).props == {}


def test_array_appends_in_order_with_set_semantics() -> None:
    assert merge_node(None, update(p=["one", "one", "two"]), {"p": True}).props == {"p": ["one", "two"]}
    appended = merge_node({"uri": "u", "p": ["one"]}, update(p=["two", "one"]), {"p": True})
    assert appended.props == {"p": ["one", "two"]}


def test_array_turns_an_earlier_scalar_into_a_list() -> None:
    assert merge_node({"uri": "u", "p": "one"}, update(p=["two"]), {"p": True}).props == {"p": ["one", "two"]}


@pytest.mark.parametrize(
    ("existing", "values", "kept", "dropped"),
    [
        ([45.75], [2271], [45.75], 1),  # a float list takes no integer
        ([4], ["43^^ns1__Integer", 4187], [4, 4187], 1),
        ([True], [1], [True], 1),  # 1 == True in Python: still a clash, not a duplicate
        ([Date(2002, 9, 24)], [DateTime(2002, 9, 24, 0, 0, 0)], [Date(2002, 9, 24)], 1),
    ],
)
def test_array_drops_values_of_another_type(
    existing: list[Any], values: list[Any], kept: list[Any], dropped: int
) -> None:
    merged = merge_node({"uri": "u", "p": existing}, update(p=values), {"p": True})
    assert merged.props.get("p", existing) == kept
    assert merged.dropped == dropped


def test_new_array_takes_the_type_of_its_first_value() -> None:
    merged = merge_node(None, update(p=["a", 1, "b", 2.0]), {"p": True})
    assert (merged.props, merged.dropped) == ({"p": ["a", "b"]}, 2)
