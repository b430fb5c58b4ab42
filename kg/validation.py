"""SHACL validation of crm-kg RDF files with rdflib and pyshacl; no database needed.

Inference: pyshacl runs with the ontology as ``ont_graph`` and inference ``"none"`` (INFERENCE below).
pyshacl mixes the ontology into (a copy of) the data graph, so its rdfs:subClassOf triples are there and
SHACL's own class semantics already make sh:targetClass and sh:class cover subclasses. RDFS inference
would add nothing for subclasses but would apply the ontology's rdfs:range axioms, typing every object
of crm:material as a crm:Material and so hiding a wrong or misspelt link from sh:class.

Besides the SHACL results, the report lists crm: terms that the data uses but the ontology does not
declare (a misspelt property is otherwise ignored silently). That check is done here in Python: as a
SHACL-SPARQL constraint it cost pyshacl a query parse per focus node, seconds per few hundred nodes.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
import xml.sax
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SH
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from kg.errors import DataFileError

INFERENCE = "none"

CRM_NAMESPACE = "https://w3id.org/crm-kg/ontology#"
UNDECLARED_TERM_CHECK = "kg.validation:declared-terms"
_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_TERM_KINDS = (*_PROPERTY_KINDS, OWL.Class, OWL.NamedIndividual)

_UNDECLARED_PROPERTY = "property not declared in the crm ontology (a typo, or a term ontology/crm.ttl lacks)"
_UNDECLARED_VALUE = "value is a crm: term not declared in the crm ontology (a typo, or a term ontology/crm.ttl lacks)"
_UNDECLARED_SUBJECT = "the data describes a crm: term the ontology does not declare (terms belong in ontology/crm.ttl)"

# RDF syntax by file extension. Quad formats are read into a Dataset whose named graphs are merged.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
}
QUAD_FORMATS = frozenset({"nquads", "trig", "json-ld"})  # JSON-LD may hold named graphs

# Longest namespaces first so that a namespace nested in another still gets its own prefix.
PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "crm": "https://w3id.org/crm-kg/ontology#",
            "id": "https://w3id.org/crm-kg/id/",
            "shapes": "https://w3id.org/crm-kg/shapes#",
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "owl": "http://www.w3.org/2002/07/owl#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "dcterms": "http://purl.org/dc/terms/",
            "prov": "http://www.w3.org/ns/prov#",
            "sh": "http://www.w3.org/ns/shacl#",
        }.items(),
        key=lambda item: -len(item[1]),
    )
)


@dataclass(frozen=True)
class Violation:
    """One SHACL result. IRIs are kept in full; literals in N-Triples form so the datatype shows."""

    focus_node: str
    path: str | None
    message: str
    severity: str
    value: str | None
    source_shape: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


def validate(data_paths: Sequence[Path], shapes_path: Path, ontology_paths: Sequence[Path]) -> ValidationReport:
    """Validate the data files against the shapes, with the ontology mixed in (see module doc).

    Raises DataFileError for any file (data, shapes or ontology) that cannot be read or parsed.
    """
    with _quiet_ill_typed_literals():
        data = load_graph(data_paths)
        shapes = load_graph([shapes_path])
        ontology = load_graph(ontology_paths)
        conforms, results, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference=INFERENCE,
            abort_on_first=False,
            allow_warnings=False,
            allow_infos=False,
        )
    undeclared = set(_undeclared_terms(data, ontology))
    violations = sorted(set(_violations(results, shapes)) | undeclared, key=_sort_key)
    return ValidationReport(conforms=bool(conforms) and not undeclared, violations=tuple(violations))


def load_graph(paths: Sequence[Path]) -> Graph:
    """Parse every file into one graph (named graphs of quad formats are merged)."""
    graph = Graph()
    for path in paths:
        for triple in _parse_file(Path(path)).triples((None, None, None)):
            graph.add(triple)
    return graph


def shorten(iri: str) -> str:
    """crm:Material rather than the full IRI, for the namespaces this project uses."""
    for prefix, namespace in PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def format_violation(violation: Violation) -> str:
    """One line: 'focus <node>: <path>: <message> (value: ...)'."""
    parts = [f"focus {shorten(violation.focus_node)}"]
    if violation.path is not None:
        parts.append(shorten(violation.path))
    parts.append(violation.message)
    line = ": ".join(parts)
    if violation.value is not None:
        line += f" (value: {_shorten_term_text(violation.value)})"
    if violation.severity != "Violation":
        line = f"[{violation.severity}] {line}"
    return line


# --- parsing --------------------------------------------------------------------------------------


def _parse_file(path: Path) -> Graph:
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = ", ".join(sorted(FORMATS))
        raise DataFileError(path, None, f"unknown RDF file extension {path.suffix!r} (known: {known})")
    if rdf_format == "json-ld":
        return _parse_json_ld(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read file: {exc.strerror or exc}") from exc
    if rdf_format == "xml":
        _check_entities(path, text)
    graph: Graph = Dataset() if rdf_format in QUAD_FORMATS else Graph()
    try:
        with warnings.catch_warnings():
            # rdflib 7.6's quad parsers call its own deprecated APIs (Dataset.default_context,
            # ConjunctiveGraph); under warnings-as-errors that would pass for a file that does not parse.
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format=rdf_format, publicID=path.resolve().as_uri())
    except Exception as exc:  # each parser has its own error types; all mean "does not parse"
        line, message = _error_position(exc)
        if line is None and rdf_format in ("nt", "nquads"):
            line = _first_bad_line(text, rdf_format)
        raise DataFileError(path, line, message) from exc
    if isinstance(graph, Dataset):
        # named graphs carry no meaning for validation: merge them with the default graph
        merged = Graph()
        for subject, predicate, obj, _context in graph.quads((None, None, None, None)):
            merged.add((subject, predicate, obj))
        return merged
    return graph


def _check_entities(path: Path, text: bytes) -> None:
    """RDF/XML whose entities would expand it beyond bounds is refused, as `kg load` refuses it, before expat
    spends minutes expanding it up to its own amplification limit."""
    from loaders.xml_entities import EntityExpansionError, check_entity_expansion

    try:
        check_entity_expansion(lambda: [text])
    except EntityExpansionError as error:
        raise DataFileError(path, None, str(error)) from None


def _parse_json_ld(path: Path) -> Graph:
    """JSON-LD as `kg load` reads it (pyoxigraph, loaders.rdf_source): rdflib's parser would fetch a remote
    `@context` over the network and read a `file:` or relative one from the disk; pyoxigraph loads neither and says
    so, with the line and column."""
    from loaders.rdf_source import rdf_file

    graph = Graph()
    for quad in rdf_file(path, "jsonld").quads():
        graph.add((_rdflib_term(quad.subject, path), _rdflib_term(quad.predicate, path),
                   _rdflib_term(quad.object, path)))
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: object, path: Path) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # a plain string, as rdflib's own parsers give it (no datatype)
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    raise DataFileError(path, None, f"an RDF-star statement cannot be validated: {term}")


def _error_position(exc: Exception) -> tuple[int | None, str]:
    """The 1-based line and the short reason, from the parsers that report them."""
    if isinstance(exc, BadSyntax):
        # BadSyntax counts the newlines before the error; its short reason is only kept privately.
        return exc.lines + 1, str(getattr(exc, "_why", exc))
    if isinstance(exc, xml.sax.SAXParseException):
        return exc.getLineNumber(), exc.getMessage()
    if isinstance(exc, json.JSONDecodeError):
        return exc.lineno, exc.msg
    return None, str(exc).strip() or type(exc).__name__


def _first_bad_line(text: bytes, rdf_format: str) -> int | None:
    # N-Triples and N-Quads statements are one per line, so the parser's "Invalid line" can be
    # located by parsing each line on its own.
    for number, line in enumerate(text.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                Dataset().parse(data=line, format=rdf_format)
        except Exception:  # as in _parse_file
            return number
    return None


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


def _undeclared_terms(data: Graph, ontology: Graph) -> Iterator[Violation]:
    properties = {term for kind in _PROPERTY_KINDS for term in ontology.subjects(RDF.type, kind)}
    terms = {term for kind in _TERM_KINDS for term in ontology.subjects(RDF.type, kind)}
    for subject, predicate, obj in data:
        found: list[tuple[str, Node | None]] = []
        if _is_crm(predicate) and predicate not in properties:
            found.append((_UNDECLARED_PROPERTY, obj))
        if _is_crm(obj) and obj not in terms:
            found.append((_UNDECLARED_VALUE, obj))
        if _is_crm(subject) and subject not in terms:
            found.append((_UNDECLARED_SUBJECT, None))
        for message, value in found:
            yield Violation(
                focus_node=_term_text(subject),
                path=_term_text(predicate),
                message=message,
                severity="Violation",
                value=None if value is None else _term_text(value),
                source_shape=UNDECLARED_TERM_CHECK,
            )


def _is_crm(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(CRM_NAMESPACE)


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


def _shorten_term_text(text: str) -> str:
    if text.startswith('"'):
        # a literal in N-Triples form: shorten only its datatype IRI, never the lexical form
        typed = re.fullmatch(r'(".*")\^\^<([^>]+)>', text, flags=re.DOTALL)
        if typed is None:
            return text
        datatype = shorten(typed.group(2))
        return f"{typed.group(1)}^^{datatype if datatype != typed.group(2) else f'<{datatype}>'}"
    return shorten(text)


def _sort_key(violation: Violation) -> tuple[str, str, str, str, str, str]:
    return (
        violation.focus_node,
        violation.path or "",
        violation.message,
        violation.value or "",
        violation.source_shape,
        violation.severity,
    )
