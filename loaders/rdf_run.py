"""Load several RDF files: validate what is in crm-kg's namespace first, then each file in its own transaction.

A file that fails (syntax, a SHACL violation, a write) is not loaded at all; the files before it stay loaded,
and the outcome of each file is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from neo4j.exceptions import Neo4jError

from kg.connection import Connection
from kg.errors import DataFileError, KgError
from kg.resources import bundled_data_files, ontology_file, shapes_file
from kg.validation import Violation, format_violation, validate
from loaders.graph_config import CRM
from loaders.rdf_load import FileReport, LoadOptions, Progress, load_rdf_file
from loaders.rdf_source import RdfFile


@dataclass(frozen=True)
class FileOutcome:
    source: RdfFile
    report: FileReport | None
    error: str | None

    @property
    def loaded(self) -> bool:
        return self.error is None


def crm_subjects(source: RdfFile) -> set[str]:
    """The subjects of statements in crm-kg's namespace (a crm: predicate or type): what SHACL must check."""
    subjects: set[str] = set()
    for quad in source.quads():
        predicate = quad.predicate.value
        obj = quad.object
        in_namespace = predicate.startswith(CRM) or (isinstance(obj, ox.NamedNode) and obj.value.startswith(CRM))
        if in_namespace and isinstance(quad.subject, ox.NamedNode):
            subjects.add(quad.subject.value)
    return subjects


def shacl_violations(sources: Sequence[RdfFile]) -> dict[Path, list[Violation]]:
    """Violations per file, for the files with statements in crm-kg's namespace.

    The files are checked together, with the bundled dataset as context, so that a file may refer to materials,
    countries or sources defined elsewhere; a violation belongs to the files whose statements are about its focus node.
    """
    subjects = {s.path: crm_subjects(s) for s in sources}
    checked = [s for s in sources if subjects[s.path]]
    if not checked:
        return {}
    given = {s.path.resolve() for s in checked}
    context = [p for p in bundled_data_files() if p.resolve() not in given]
    report = validate([s.path for s in checked] + context, shapes_file(), [ontology_file()])
    found: dict[Path, list[Violation]] = {}
    for violation in report.violations:
        for source in checked:
            if violation.focus_node in subjects[source.path]:
                found.setdefault(source.path, []).append(violation)
    return found


def load_rdf_files(
    connection: Connection,
    sources: Sequence[RdfFile],
    options: LoadOptions,
    *,
    validate_first: bool = True,
    progress: Callable[[RdfFile], Progress | None] | None = None,
) -> list[FileOutcome]:
    """Load each file atomically, in order; a file that fails is reported and the others still load."""
    violations: dict[Path, list[Violation]] = {}
    outcomes: list[FileOutcome] = []
    if validate_first:
        try:
            violations = shacl_violations(sources)
        except DataFileError as error:
            # A file that does not parse fails here already; report it and load the others.
            bad = [s for s in sources if s.path == error.path]
            outcomes.extend(FileOutcome(s, None, str(error)) for s in bad)
            rest = [s for s in sources if s.path != error.path]
            return outcomes + load_rdf_files(connection, rest, options, validate_first=True, progress=progress)
    for source in sources:
        if source.path in violations:
            first = violations[source.path]
            message = f"{source.path}: {len(first)} SHACL violation(s), first: {format_violation(first[0])}"
            outcomes.append(FileOutcome(source, None, message))
            continue
        try:
            report = load_rdf_file(connection, source, options, progress(source) if progress else None)
        except KgError as error:
            message = str(error)
            outcomes.append(
                FileOutcome(
                    source, None, message if message.startswith(str(source.path)) else f"{source.path}: {message}"
                )
            )
            continue
        except Neo4jError as error:
            message = (error.message or str(error)).strip().splitlines()[0]
            outcomes.append(FileOutcome(source, None, f"{source.path}: the database refused the load: {message}"))
            continue
        outcomes.append(FileOutcome(source, report, None))
    return outcomes
