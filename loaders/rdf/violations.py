"""What a SHACL check found, and how it is written: one line per violation, IRIs shortened to the prefixes this
project uses. Light to import: the validator itself (pyshacl-turbo, rdflib) is loaders.rdf.validation, imported only by
what validates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.core.vocabulary import PREFIXES as VOCABULARY_PREFIXES

# Longest namespaces first so that a namespace nested in another still gets its own prefix.
PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        VOCABULARY_PREFIXES.items(),
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


def _shorten_term_text(text: str) -> str:
    if text.startswith('"'):
        # a literal in N-Triples form: shorten only its datatype IRI, never the lexical form
        typed = re.fullmatch(r'(".*")\^\^<([^>]+)>', text, flags=re.DOTALL)
        if typed is None:
            return text
        datatype = shorten(typed.group(2))
        return f"{typed.group(1)}^^{datatype if datatype != typed.group(2) else f'<{datatype}>'}"
    return shorten(text)
