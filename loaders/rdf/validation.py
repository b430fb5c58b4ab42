"""SHACL validation of crm-kg RDF files; no database needed.

The validator is pyshacl-turbo (a SHACL engine in Rust behind pyshacl's interface): on the bundled dataset it gives
the same results as pyshacl, every message included, about six times faster. The data does not go through rdflib:
the files are read as `kg load` reads them (pyoxigraph, loaders.rdf.source) and handed over as N-Triples; the shapes
are an rdflib graph, which the report's anonymous shapes are named from.

Inference: none (INFERENCE). The ontology is mixed into the data, so its rdfs:subClassOf triples are there and
SHACL's own class semantics already make sh:targetClass and sh:class cover subclasses. RDFS inference would add
nothing for subclasses but would apply the ontology's rdfs:range axioms, typing every object of crm:material as a
crm:Material and so hiding a wrong or misspelt link from sh:class.

Besides the SHACL results, the report lists crm: terms that the data uses but the ontology does not
declare (a misspelt property is otherwise ignored silently). That check is done here in Python: as a
SHACL-SPARQL constraint it cost pyshacl a query parse per focus node, seconds per few hundred nodes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl_turbo
from pyshacl_turbo.rdf import Input
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from kg.core.errors import DataFileError, KgError
from kg.core.vocabulary import CRM, XSD
from loaders.rdf.violations import ValidationReport, Violation, shorten

INFERENCE = "none"

UNDECLARED_TERM_CHECK = "loaders.rdf.validation:declared-terms"
_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_TERM_KINDS = (*_PROPERTY_KINDS, OWL.Class, OWL.NamedIndividual)

_UNDECLARED_PROPERTY = "property not declared in the crm ontology (a typo, or a term ontology/crm.ttl lacks)"
_UNDECLARED_VALUE = "value is a crm: term not declared in the crm ontology (a typo, or a term ontology/crm.ttl lacks)"
_UNDECLARED_SUBJECT = "the data describes a crm: term the ontology does not declare (terms belong in ontology/crm.ttl)"


def validate(data_paths: Sequence[Path], shapes_path: Path, ontology_paths: Sequence[Path]) -> ValidationReport:
    """Validate the data files against the shapes, with the ontology mixed in (see module doc).

    Raises DataFileError for any file (data, shapes or ontology) that cannot be read or parsed, and for shapes the
    validator cannot compile; KgError if the validator fails on the data.
    """
    data = _triples(data_paths)
    ontology = _triples(ontology_paths)
    with _quiet_ill_typed_literals():
        shapes = load_graph([shapes_path])
        try:  # compiled on their own, so that what the validator refuses in them is blamed on them
            compiled = pyshacl_turbo.compile_shapes(shapes)  # type: ignore[no-untyped-call]
        except (ValueError, RuntimeError, pyshacl_turbo.ValidationFailure) as refused:  # a bad sh:pattern, query…
            reason = _first_line(refused)
            raise DataFileError(shapes_path, None, f"the SHACL validator cannot use these shapes: {reason}") from None
        text = (ox.serialize(data + ontology, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        try:
            conforms, results, _text = compiled.validate(
                Input(text, "nt", None, {}, {}, preserve_ids=True),
                inference=INFERENCE,
                abort_on_first=False,
                allow_warnings=False,
                allow_infos=False,
                _normalize_report_literals=True,  # as pyshacl_turbo.validate writes the report's literals
            )
        except (ValueError, RuntimeError, pyshacl_turbo.ValidationFailure) as failed:
            files = ", ".join(str(path) for path in data_paths)
            raise KgError(f"the SHACL validator failed on {files}: {_first_line(failed)}") from None
    undeclared = set(_undeclared_terms(data, ontology))
    violations = sorted(set(_violations(results, shapes)) | undeclared, key=_sort_key)
    return ValidationReport(conforms=bool(conforms) and not undeclared, violations=tuple(violations))


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _triples(paths: Sequence[Path]) -> list[ox.Triple]:
    """Every statement of the files as triples (named graphs merged), each file's blank nodes its own. Files are
    read as `kg load` reads them (pyoxigraph, loaders.rdf.source): the same extensions (gzip too), the same bounds
    on hostile input, the same messages with line and column. rdflib's parsers would fetch a remote JSON-LD
    `@context` over the network and read a `file:` one from the disk."""
    from loaders.rdf.source import rdf_file

    triples: list[ox.Triple] = []
    for path in paths:
        blanks: dict[str, ox.BlankNode] = {}  # the parser keeps a file's labels: _:b0 of two files stay two nodes

        def own(term: Any, path: Path = Path(path), blanks: dict[str, ox.BlankNode] = blanks) -> Any:
            if isinstance(term, ox.BlankNode):
                return blanks.setdefault(term.value, ox.BlankNode())
            if isinstance(term, ox.Triple):
                raise DataFileError(path, None, f"an RDF-star statement cannot be validated: {term}")
            return term

        for quad in rdf_file(Path(path)).quads():
            triples.append(ox.Triple(own(quad.subject), quad.predicate, own(quad.object)))
    return triples


def load_graph(paths: Sequence[Path]) -> Graph:
    """Parse every file into one graph (named graphs are merged), as _triples reads them."""
    graph = Graph()
    blanks: dict[str, BNode] = {}
    for triple in _triples(paths):
        graph.add((_rdflib_term(triple.subject, blanks), _rdflib_term(triple.predicate, blanks),
                   _rdflib_term(triple.object, blanks)))
    return graph


# --- parsing --------------------------------------------------------------------------------------


_XSD_STRING = XSD + "string"


def _rdflib_term(term: object, blanks: dict[str, BNode]) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blanks.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # a plain string, as rdflib's own parsers give it (no datatype)
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not a term _triples gives: {term!r}")


class _IllTypedLiteralFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form")


@contextmanager
def _quiet_ill_typed_literals() -> Iterator[None]:
    # rdflib logs a traceback for each ill-typed literal ("2025/04/04"^^xsd:date); the shapes report
    # those as violations, so the traceback is noise for the person reading the report.
    logger = logging.getLogger("rdflib.term")
    quiet = _IllTypedLiteralFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


# --- results --------------------------------------------------------------------------------------


def _violations(results: Graph, shapes: Graph) -> Iterator[Violation]:
    # Only the report's top-level results: nested sh:detail results belong to their parent.
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for result in results.objects(report, SH.result):
            focus = results.value(result, SH.focusNode)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            severity = results.value(result, SH.resultSeverity)
            yield Violation(
                focus_node=_term_text(focus),
                path=None if path is None else _term_text(path),
                message=_message(results, result),
                severity=_local_name(severity) if severity is not None else "Violation",
                value=None if value is None else _term_text(value),
                source_shape=_shape_text(shapes, results.value(result, SH.sourceShape)),
            )


_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _undeclared_terms(data: Sequence[ox.Triple], ontology: Sequence[ox.Triple]) -> Iterator[Violation]:
    property_kinds = {ox.NamedNode(str(kind)) for kind in _PROPERTY_KINDS}
    term_kinds = {ox.NamedNode(str(kind)) for kind in _TERM_KINDS}
    typed = [(t.subject, t.object) for t in ontology if t.predicate == _RDF_TYPE]
    properties = {subject for subject, kind in typed if kind in property_kinds}
    terms = {subject for subject, kind in typed if kind in term_kinds}
    for triple in data:
        subject, predicate, obj = triple.subject, triple.predicate, triple.object
        found: list[tuple[str, Any]] = []
        if _is_crm(predicate) and predicate not in properties:
            found.append((_UNDECLARED_PROPERTY, obj))
        if _is_crm(obj) and obj not in terms:
            found.append((_UNDECLARED_VALUE, obj))
        if _is_crm(subject) and subject not in terms:
            found.append((_UNDECLARED_SUBJECT, None))
        for message, value in found:
            yield Violation(
                focus_node=_text(subject),
                path=_text(predicate),
                message=message,
                severity="Violation",
                value=None if value is None else _text(value),
                source_shape=UNDECLARED_TERM_CHECK,
            )


def _is_crm(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(CRM)


def _text(term: Any) -> str:
    """A data term written as the validator's results are (_term_text): a blank node by its label."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _term_text(_rdflib_term(term, {}))


def _message(results: Graph, result: Node) -> str:
    messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        component = results.value(result, SH.sourceConstraintComponent)
        return f"fails {shorten(str(component))}" if component is not None else "fails a shape"
    # English or untagged first, then alphabetical, so the choice is stable.
    messages.sort(key=lambda m: (m.language not in (None, "en"), str(m)))
    return str(messages[0])


def _shape_text(shapes: Graph, shape: Node | None) -> str:
    if shape is None:
        return ""
    if not isinstance(shape, BNode):
        return _term_text(shape)
    # An anonymous property shape is named after the shape that holds it and its path.
    for parent, link in shapes.subject_predicates(shape):
        path = shapes.value(shape, SH.path)
        detail = _term_text(path) if path is not None else _local_name(link)
        return f"{_term_text(parent)} [{detail}]"
    return "anonymous shape"


def _term_text(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3()
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _local_name(term: Node) -> str:
    text = str(term)
    return re.split(r"[#/]", text)[-1] or text


def _sort_key(violation: Violation) -> tuple[str, str, str, str, str, str]:
    return (
        violation.focus_node,
        violation.path or "",
        violation.message,
        violation.value or "",
        violation.source_shape,
        violation.severity,
    )
