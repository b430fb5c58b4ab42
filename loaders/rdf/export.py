"""`kg export`: the graph (or one named graph) back as RDF, by the loading mapping in reverse.

Names go back to IRIs through the vocabulary every load records (`(:_KgTerm {kind, name, iri})`) and the namespace
prefixes (`(:_KgPrefix)`); a literal gets back the datatype or language its property had when loaded (recorded as
`_KgTerm` entries of kind "literal"), and a property key `name@lang` (a value in another language than the
property's first one) gets its language back. Labels that the class hierarchy added (`_inferredLabels`) and the
internal properties are not exported. What a given n10s config cannot give back is listed in loaders/MAPPING.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import neo4j
import pyoxigraph as ox
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Time
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.core.cypher_files import own_cypher
from kg.core.vocabulary import CRM
from kg.server.connection import Connection
from loaders.graph.mapping import PROVENANCE_SEPARATOR
from loaders.graph.naming import SEPARATOR, TermKind, camel_case
from loaders.graph.provenance import (
    GRAPH_LABELS,
    GRAPH_PROPS,
    GRAPHS,
    INFERRED_LABELS,
    LITERAL_FORMS,
    RESOURCE_LABEL,
    is_internal,
)
from loaders.graph.values import WKT_LITERAL

LITERAL_FORM = TermKind.LITERAL.value  # _KgTerm kind: the datatype IRI or "@lang" a property's literals first had


@dataclass(frozen=True)
class Vocabulary:
    terms: Mapping[tuple[str, str], str]  # (kind, name) -> IRI
    prefixes: Mapping[str, str]  # prefix -> namespace

    def iri(self, kind: TermKind, name: str) -> str:
        found = self.terms.get((kind.value, name))
        if found is not None:
            return found
        prefix, sep, local = name.partition(SEPARATOR)
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        if "://" in name or name.startswith("urn:"):
            return name  # KEEP: the name is the IRI
        # Written by something other than an RDF load (a spreadsheet, a query): crm-kg's own namespace.
        return CRM + (camel_case(name.lower()) if kind is TermKind.RELATIONSHIP else name)

    def literal_form(self, name: str) -> str | None:
        return self.terms.get((LITERAL_FORM, name))


def read_vocabulary(tx: neo4j.ManagedTransaction) -> Vocabulary:
    terms = {(r["kind"], r["name"]): r["iri"] for r in tx.run(own_cypher("loaders", "read_terms"))}
    prefixes = {r["prefix"]: r["namespace"] for r in tx.run(own_cypher("loaders", "read_prefixes"))}
    return Vocabulary(terms, prefixes)


def export_graph(connection: Connection, graph: str | None = None) -> Graph:
    """The graph (all of it, or what named graph `graph` contributed) as an rdflib Graph."""
    with connection.driver.session(database=connection.database) as session:
        return session.execute_read(_export, graph)


def serialize(rdf: Graph, format_name: str) -> str:
    """The graph as text in rdflib's format `format_name` ("turtle", "nt", "json-ld"). rdflib nests each blank
    node inside the statement that mentions it, one level of recursion per level of nesting: a structure about a
    thousand levels deep (JSON-LD loads such a file) exhausts Python's stack. Such a graph is written with its blank
    nodes flat (`_:b1 …`) by pyoxigraph, which does not nest: the same statements, for the whole graph."""
    try:
        return str(rdf.serialize(format=format_name))
    except RecursionError:
        flat = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
        triples = [ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o)) for s, p, o in rdf]
        prefixes = {str(prefix): str(namespace) for prefix, namespace in rdf.namespaces() if prefix}
        shown = prefixes if format_name == "turtle" else None
        written = ox.serialize(triples, format=flat[format_name], prefixes=shown)
        return written.decode("utf-8") if isinstance(written, bytes) else ""


def _ox_term(term: Any) -> Any:
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    return ox.NamedNode(str(term))


def _export(tx: neo4j.ManagedTransaction, graph: str | None) -> Graph:
    vocabulary = read_vocabulary(tx)
    rdf = Graph()
    for prefix, namespace in vocabulary.prefixes.items():
        rdf.bind(prefix, namespace)
    rdf.bind("crm", CRM)
    selector = {"graph": graph or "", "all": graph is None}
    for record in tx.run(own_cypher("loaders", "export_nodes"), selector):
        subject = resource(record["uri"])
        for triple in node_triples(subject, frozenset(record["labels"]), record["props"], vocabulary, graph):
            rdf.add(triple)
    for record in tx.run(own_cypher("loaders", "export_relationships"), selector):
        predicate = URIRef(vocabulary.iri(TermKind.RELATIONSHIP, record["type"]))
        rdf.add((resource(record["start"]), predicate, resource(record["end"])))
    return rdf


def resource(uri: str) -> URIRef | BNode:
    if uri.startswith("bnode://"):
        return BNode(uri[len("bnode://") :].replace("/", "_"))
    return URIRef(uri)


def node_triples(
    subject: URIRef | BNode,
    labels: frozenset[str],
    props: Mapping[str, Any],
    vocabulary: Vocabulary,
    graph: str | None,
) -> Iterable[tuple[Any, Any, Any]]:
    inferred = set(props.get(INFERRED_LABELS) or [])
    exceptions = dict(entry.split(PROVENANCE_SEPARATOR, 1) for entry in props.get(LITERAL_FORMS) or [])
    own_props, own_labels = _contributed_by(props, graph)
    for label in sorted(labels - {RESOURCE_LABEL} - inferred):
        if own_labels is None or label in own_labels:
            yield subject, RDF.type, URIRef(vocabulary.iri(TermKind.LABEL, label))
    for key, value in sorted(props.items()):
        if is_internal(key) or (own_props is not None and key not in own_props):
            continue
        name, language = _split_language(key, vocabulary)
        predicate = URIRef(vocabulary.iri(TermKind.PROPERTY, name))
        form = f"@{language}" if language else exceptions.get(key) or vocabulary.literal_form(name)
        for item in value if isinstance(value, list) else [value]:
            yield subject, predicate, to_literal(item, form)


def _contributed_by(props: Mapping[str, Any], graph: str | None) -> tuple[set[str] | None, set[str] | None]:
    """The property names and labels a named graph stated, for a node of several graphs (None: all of them)."""
    if graph is None or len(props.get(GRAPHS) or []) < 2:
        return None, None
    prefix = f"{graph}{PROVENANCE_SEPARATOR}"
    own_props = {e[len(prefix) :] for e in props.get(GRAPH_PROPS) or [] if e.startswith(prefix)}
    own_labels = {e[len(prefix) :] for e in props.get(GRAPH_LABELS) or [] if e.startswith(prefix)}
    return own_props, own_labels


def _split_language(key: str, vocabulary: Vocabulary) -> tuple[str, str | None]:
    name, sep, language = key.rpartition("@")
    if sep and name and vocabulary.literal_form(name) is not None and "/" not in language:
        return name, language
    return key, None


def to_literal(value: Any, form: str | None) -> Literal:
    """A property value as the literal it was loaded from (`form`: a datatype IRI, "@lang", or unknown)."""
    if form is not None and form.startswith("@"):
        return Literal(str(value), lang=form[1:])
    datatype = URIRef(form) if form else None
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=datatype or XSD.boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=datatype or XSD.integer)
    if isinstance(value, float):
        if datatype == XSD.decimal:
            return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)
        return Literal(repr(value), datatype=datatype or XSD.double)
    if isinstance(value, Date):
        return Literal(value.iso_format(), datatype=XSD.date)
    if isinstance(value, DateTime):
        return Literal(value.iso_format(), datatype=XSD.dateTime)
    if isinstance(value, Time):
        return Literal(value.iso_format(), datatype=XSD.time)
    if isinstance(value, Point):
        return Literal(f"Point({' '.join(repr(c) for c in value)})", datatype=URIRef(WKT_LITERAL))
    if isinstance(value, (dt.date, dt.datetime)):
        return Literal(value.isoformat(), datatype=datatype)
    if datatype is not None and str(datatype) != str(XSD.string):
        return Literal(str(value), datatype=datatype)
    return Literal(str(value))
