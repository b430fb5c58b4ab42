"""Pure mapping from RDF statements to property-graph rows: no database here.

A resource (IRI or blank node) is a node with a `uri`; a literal is a property of its subject; a statement whose
object is a resource is a relationship; `rdf:type` gives labels (or relationships to class nodes: handleRDFTypes).
Each node and relationship also records the named graphs it came from (the default graph is "").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.core.errors import UnstorableName
from kg.core.vocabulary import RDF
from loaders.graph.config import GraphConfig, RdfTypes, VocabUris
from loaders.graph.naming import Namer, shorten
from loaders.graph.values import NATIVE_DATATYPES, LiteralForm, to_value

RDF_TYPE = RDF + "type"
DEFAULT_GRAPH = ""
PROVENANCE_SEPARATOR = "|"


class BlankNodeIds:
    """Stable identifiers for blank nodes: `bnode://SCOPE/bN`, numbered in order of first appearance.

    The parser names anonymous blank nodes at random on each parse; numbering them by first appearance makes
    the same file give the same identifiers every time (so a reload changes nothing), while SCOPE (from the
    file's content) keeps the blank nodes of different files apart, as RDF requires.
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self._ids: dict[str, str] = {}

    def observe(self, quad: ox.Quad) -> None:
        """Number the quad's blank nodes; called on every quad, in order, by every pass over a file."""
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.BlankNode) and term.value not in self._ids:
                self._ids[term.value] = f"bnode://{self.scope}/b{len(self._ids)}"

    def uri(self, node: ox.BlankNode) -> str:
        return self._ids[node.value]


@dataclass
class NodeUpdate:
    labels: set[str] = field(default_factory=set)
    props: dict[str, list[Any]] = field(default_factory=dict)  # name -> values, in parse order
    graphs: set[str] = field(default_factory=set)
    prop_graphs: set[str] = field(default_factory=set)  # "graph|name"
    label_graphs: set[str] = field(default_factory=set)  # "graph|label"
    literal_forms: set[str] = field(default_factory=set)  # "name|form" where a value's form is not the property's


@dataclass
class ChunkMapping:
    nodes: dict[str, NodeUpdate] = field(default_factory=dict)
    relationships: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    multivalued: dict[str, bool] = field(default_factory=dict)  # property name -> kept as a list
    statements: int = 0  # statements used (n10s's triplesLoaded, before any value is dropped)
    skipped: int = 0  # filtered out by languageFilter or predicateExclusionList

    def node(self, uri: str) -> NodeUpdate:
        found = self.nodes.get(uri)
        if found is None:
            found = self.nodes[uri] = NodeUpdate()
        return found


@dataclass
class FileLabels:
    """Pass one's record of a file's labels: every node's labels from its rdf:type statements, and which graph
    stated each (the same label may come from several graphs)."""

    labels: dict[str, frozenset[str]] = field(default_factory=dict)  # uri -> labels
    # uri -> (graph, label) pairs; left empty when every rdf:type statement of the file is in one graph, `only`.
    _sources: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    _only: str | None = None

    def sources(self, uri: str) -> frozenset[tuple[str, str]]:
        """The (graph, label) pairs this file states for a node (empty for none)."""
        if self._only is not None:
            labels = self.labels.get(uri)
            return frozenset((self._only, label) for label in labels) if labels else frozenset()
        return self._sources.get(uri, frozenset())

    @classmethod
    def collect(cls, pairs: dict[str, set[tuple[str, str]]]) -> FileLabels:
        """From each node's (graph, label) pairs; equal sets are shared (most nodes have one of a few)."""
        shared: dict[frozenset[Any], frozenset[Any]] = {}
        graphs = {graph for found in pairs.values() for graph, _ in found}
        result = cls(_only=next(iter(graphs)) if len(graphs) == 1 else None)
        for uri, found in pairs.items():
            labels = frozenset(label for _, label in found)
            result.labels[uri] = shared.setdefault(labels, labels)
            if result._only is None:
                frozen = frozenset(found)
                result._sources[uri] = shared.setdefault(frozen, frozen)
        return result


@dataclass
class StatementMapper:
    config: GraphConfig
    namer: Namer
    blank_nodes: BlankNodeIds
    default_graph: str = DEFAULT_GRAPH
    statements_seen: int = 0  # of the file, in order: a name the database cannot hold is reported with its statement
    _current: ox.Quad | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        config = self.config
        # n10s keeps custom datatypes only where names keep namespaces: under IGNORE and MAP the value is the plain
        # lexical form (RDFToLPGStatementProcessor.getObjectValue).
        self._keep_custom = config.keep_custom_data_types and config.handle_vocab_uris not in (
            VocabUris.IGNORE, VocabUris.MAP
        )
        self._form = LiteralForm(config.keep_lang_tag, self._keep_custom)
        self._plain = LiteralForm(config.keep_lang_tag, False)
        # Language tags are case-insensitive (BCP 47) and the parser lower-cases them: "fr-BE" must match "fr-be".
        self._language = config.language_filter.lower() if config.language_filter is not None else None

    def resource_uri(self, term: Any) -> str:
        if isinstance(term, ox.BlankNode):
            return self.blank_nodes.uri(term)
        if isinstance(term, ox.NamedNode):
            return str(term.value)
        raise ValueError(f"unsupported RDF term {term!r} (RDF-star quoted triples are not loaded)")

    def graph_of(self, quad: ox.Quad) -> str:
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph):
            return self.default_graph
        return self.resource_uri(graph)

    def labels_of(self, quads: Iterable[ox.Quad]) -> dict[str, frozenset[str]]:
        """Pass one over a file (see `file_labels`): every node's labels."""
        return self.file_labels(quads).labels

    def file_labels(self, quads: Iterable[ox.Quad]) -> FileLabels:
        """Pass one over a file: every node's labels from its rdf:type statements, and the graphs that state them,
        before any node is created.

        When names are shortened it also names every statement's terms, in statement order, exactly as `map` will:
        new prefixes (ns0, ns1, ...) go to namespaces in the order the file mentions them, as n10s hands them out,
        and not labels first because this pass looks at rdf:type first.
        """
        pairs: dict[str, set[tuple[str, str]]] = {}
        if self.config.handle_rdf_types is RdfTypes.NODES:
            return FileLabels()  # no labels, and pass two alone names everything in statement order
        reserve = self.namer.shortens
        try:
            for quad in self._read(quads):
                if not self._accepts(quad):
                    continue
                if self._is_type_label(quad):
                    uri = self.resource_uri(quad.subject)
                    label = self.namer.label(self.resource_uri(quad.object))
                    pairs.setdefault(uri, set()).add((self.graph_of(quad), label))
                    if reserve and self.config.handle_rdf_types is RdfTypes.LABELS_AND_NODES:
                        self.namer.relationship_type(quad.predicate.value)
                elif reserve:
                    obj = quad.object
                    if isinstance(obj, ox.Literal):
                        self.namer.property_name(quad.predicate.value)  # the predicate's prefix before the datatype's
                        datatype = self._custom_datatype(obj, quad.predicate.value)
                        if datatype is not None:
                            self.namer.datatype(datatype)
                    else:
                        self.namer.relationship_type(quad.predicate.value)
        except UnstorableName as error:
            raise self._located(error) from None
        return FileLabels.collect(pairs)

    def _read(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """The file's statements in order, each counted and its blank nodes noted, for both passes."""
        for quad in quads:
            self.statements_seen += 1
            self._current = quad
            self.blank_nodes.observe(quad)
            yield quad

    def _located(self, error: UnstorableName) -> UnstorableName:
        """The error with the statement that asked for the name, counted from the file's first (one mapper reads one
        file, in order)."""
        quad = self._current
        where = f"statement {self.statements_seen}" + (f" ({_statement(quad)})" if quad is not None else "")
        return UnstorableName(f"{where}: {error}")

    def _accepts(self, quad: ox.Quad) -> bool:
        """Whether a statement is loaded: not excluded by predicateExclusionList, nor by languageFilter (which only
        concerns literals that have a language tag)."""
        if quad.predicate.value in self.config.predicate_exclusions:
            return False
        obj = quad.object
        return not (
            self._language is not None
            and isinstance(obj, ox.Literal)
            and obj.language is not None
            and obj.language.lower() != self._language
        )

    def _is_type_label(self, quad: ox.Quad) -> bool:
        """An rdf:type statement that gives its subject a label. A blank-node class has no name to be a label,
        so that statement is a relationship as any other (as in n10s)."""
        return (
            quad.predicate.value == RDF_TYPE
            and isinstance(quad.object, ox.NamedNode)
            and self.config.handle_rdf_types is not RdfTypes.NODES
        )

    def map(self, quads: Iterable[ox.Quad]) -> ChunkMapping:
        mapping = ChunkMapping()
        config = self.config
        try:
            for quad in self._read(quads):
                if not self._accepts(quad):
                    mapping.skipped += 1
                    continue
                predicate = quad.predicate.value
                obj = quad.object
                subject = self.resource_uri(quad.subject)
                graph = self.graph_of(quad)
                node = mapping.node(subject)
                node.graphs.add(graph)
                mapping.statements += 1
                if isinstance(obj, ox.Literal):
                    name = self.namer.property_name(predicate)
                    form, unusual = self.namer.literal_form(name, obj.datatype.value, obj.language)
                    if unusual and config.readable and obj.language is not None and name in node.props:
                        # A second language for one property of one node: kept beside it (`title@zh`).
                        name = f"{name}@{obj.language}"
                        self.namer.literal_form(name, obj.datatype.value, obj.language)
                    elif unusual:
                        node.literal_forms.add(f"{name}{PROVENANCE_SEPARATOR}{form}")
                    node.props.setdefault(name, []).append(self._literal(obj, predicate))
                    mapping.multivalued[name] = mapping.multivalued.get(name, False) or config.is_multivalued(predicate)
                    node.prop_graphs.add(f"{graph}{PROVENANCE_SEPARATOR}{name}")
                    continue
                target = self.resource_uri(obj)
                if self._is_type_label(quad):
                    label = self.namer.label(target)
                    node.labels.add(label)
                    node.label_graphs.add(f"{graph}{PROVENANCE_SEPARATOR}{label}")
                    if config.handle_rdf_types is RdfTypes.LABELS:
                        continue
                mapping.node(target).graphs.add(graph)
                key = (subject, self.namer.relationship_type(predicate), target)
                mapping.relationships.setdefault(key, set()).add(graph)
        except UnstorableName as error:
            raise self._located(error) from None
        return mapping

    def _literal(self, literal: ox.Literal, predicate: str) -> Any:
        datatype = literal.datatype.value
        custom = self._custom_datatype(literal, predicate)
        return to_value(
            literal.value,
            datatype,
            literal.language,
            self._form if self._keeps_datatypes(predicate) else self._plain,
            # Only a datatype kept in the text is named: naming it may hand out a prefix.
            self.namer.datatype(custom) if custom is not None else datatype,
        )

    def _keeps_datatypes(self, predicate: str) -> bool:
        """keepCustomDataTypes, for this predicate (customDataTypePropList, when given, names the predicates)."""
        props = self.config.custom_data_type_props
        return self._keep_custom and (not props or predicate in props)

    def _custom_datatype(self, literal: ox.Literal, predicate: str) -> str | None:
        """The datatype that the literal's text keeps ("10000^^ns0__EUR"): one without a Cypher type of its own."""
        datatype = literal.datatype.value
        if literal.language is None and datatype not in NATIVE_DATATYPES and self._keeps_datatypes(predicate):
            return str(datatype)
        return None


def _statement(quad: ox.Quad) -> str:
    """A statement as N-Triples-like text, each term cut short, for a message of one line."""
    return " ".join(shorten(str(term), 100) for term in (quad.subject, quad.predicate, quad.object))
