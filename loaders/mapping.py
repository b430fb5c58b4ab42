"""Pure mapping from RDF statements to property-graph rows: no database here.

A resource (IRI or blank node) is a node with a `uri`; a literal is a property of its subject; a statement whose
object is a resource is a relationship; `rdf:type` gives labels (or relationships to class nodes: handleRDFTypes).
Each node and relationship also records the named graphs it came from (the default graph is "").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from loaders.graph_config import RDF, GraphConfig, RdfTypes
from loaders.naming import Namer
from loaders.values import LiteralForm, to_value

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
class StatementMapper:
    config: GraphConfig
    namer: Namer
    blank_nodes: BlankNodeIds
    default_graph: str = DEFAULT_GRAPH

    def __post_init__(self) -> None:
        self._form = LiteralForm(self.config.keep_lang_tag, self.config.keep_custom_data_types)
        self._plain = LiteralForm(self.config.keep_lang_tag, False)

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

    def labels_of(self, quads: Iterable[ox.Quad]) -> dict[str, set[str]]:
        """Pass one over a file: every node's labels from its rdf:type statements, before any node is created."""
        labels: dict[str, set[str]] = {}
        if self.config.handle_rdf_types is RdfTypes.NODES:
            return labels
        for quad in quads:
            self.blank_nodes.observe(quad)
            if quad.predicate.value == RDF_TYPE and not isinstance(quad.object, ox.Literal):
                if RDF_TYPE in self.config.predicate_exclusions:
                    continue
                uri = self.resource_uri(quad.subject)
                labels.setdefault(uri, set()).add(self.namer.label(self.resource_uri(quad.object)))
        return labels

    def map(self, quads: Iterable[ox.Quad]) -> ChunkMapping:
        mapping = ChunkMapping()
        config = self.config
        for quad in quads:
            self.blank_nodes.observe(quad)
            predicate = quad.predicate.value
            if predicate in config.predicate_exclusions:
                mapping.skipped += 1
                continue
            obj = quad.object
            if isinstance(obj, ox.Literal) and obj.language is not None and config.language_filter is not None:
                if obj.language != config.language_filter:
                    mapping.skipped += 1
                    continue
            subject = self.resource_uri(quad.subject)
            graph = self.graph_of(quad)
            node = mapping.node(subject)
            node.graphs.add(graph)
            mapping.statements += 1
            if isinstance(obj, ox.Literal):
                name = self.namer.property_name(predicate)
                node.props.setdefault(name, []).append(self._literal(obj, predicate))
                mapping.multivalued[name] = mapping.multivalued.get(name, False) or config.is_multivalued(predicate)
                node.prop_graphs.add(f"{graph}{PROVENANCE_SEPARATOR}{name}")
                continue
            target = self.resource_uri(obj)
            if predicate == RDF_TYPE and config.handle_rdf_types is not RdfTypes.NODES:
                label = self.namer.label(target)
                node.labels.add(label)
                node.label_graphs.add(f"{graph}{PROVENANCE_SEPARATOR}{label}")
                if config.handle_rdf_types is RdfTypes.LABELS:
                    continue
            mapping.node(target).graphs.add(graph)
            key = (subject, self.namer.relationship_type(predicate), target)
            mapping.relationships.setdefault(key, set()).add(graph)
        return mapping

    def _literal(self, literal: ox.Literal, predicate: str) -> Any:
        config = self.config
        keep_custom = config.keep_custom_data_types and (
            not config.custom_data_type_props or predicate in config.custom_data_type_props
        )
        datatype = literal.datatype.value
        return to_value(
            literal.value,
            datatype,
            literal.language,
            self._form if keep_custom else self._plain,
            self.namer.datatype(datatype) if keep_custom and _is_custom(datatype) else datatype,
        )


def _is_custom(datatype: str) -> bool:
    return not datatype.startswith("http://www.w3.org/2001/XMLSchema#")
