"""Load several RDF files: validate what is in crm-kg's namespace first, then each file in its own transaction.

A file that fails (syntax, a SHACL violation, a write) is not loaded at all; the files before it stay loaded,
and the outcome of each file is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from kg.core.errors import DataFileError, KgError, server_stopped
from kg.core.resources import bundled_data_files, ontology_file, shapes_file
from kg.core.vocabulary import CRM
from kg.server.connection import Connection
from loaders.rdf.load import FileReport, LoadOptions, Progress, load_rdf_file
from loaders.rdf.source import RdfFile
from loaders.rdf.violations import Violation, format_violation


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


def refusals(sources: Sequence[RdfFile]) -> dict[Path, str]:
    """Why each file that must not be loaded is refused: it does not parse, or its statements in crm-kg's
    namespace break the shapes.

    Each file is parsed once to find those statements; the files that have some are then checked together, with
    the bundled dataset as context, so that a file may refer to materials, countries or sources defined elsewhere.
    A violation belongs to the files whose statements are about its focus node.
    """
    refused: dict[Path, str] = {}
    subjects: dict[Path, set[str]] = {}
    for source in sources:
        try:
            subjects[source.path] = crm_subjects(source)
        except DataFileError as error:
            refused[source.path] = str(error)
    checked = [s for s in sources if subjects.get(s.path)]
    while checked:
        given = {s.path.resolve() for s in checked}
        context = [p for p in bundled_data_files() if p.resolve() not in given]
        # the validator and rdflib take a fifth of a second to import: only a load that validates pays it
        from loaders.rdf.validation import validate

        try:
            report = validate([s.path for s in checked] + context, shapes_file(), [ontology_file()])
        except DataFileError as error:
            # rdflib refused what pyoxigraph read (rare): refuse that file, check the others again.
            refused[error.path] = str(error)
            checked = [s for s in checked if s.path != error.path]
            continue
        found: dict[Path, list[Violation]] = {}
        for violation in report.violations:
            for source in checked:
                if violation.focus_node in subjects[source.path]:
                    found.setdefault(source.path, []).append(violation)
        for path, violations in found.items():
            refused[path] = f"{path}: {len(violations)} SHACL violation(s), first: {format_violation(violations[0])}"
        break
    return refused


def load_rdf_files(
    connection: Connection,
    sources: Sequence[RdfFile],
    options: LoadOptions,
    *,
    validate_first: bool = True,
    progress: Callable[[RdfFile], Progress | None] | None = None,
) -> list[FileOutcome]:
    """Load each file atomically, in order; a file that fails is reported and the others still load."""
    refused = refusals(sources) if validate_first else {}
    outcomes: list[FileOutcome] = []
    for source in sources:
        if source.path in refused:
            outcomes.append(FileOutcome(source, None, refused[source.path]))
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
        except (ServiceUnavailable, SessionExpired):
            outcomes.append(FileOutcome(source, None, f"{source.path}: nothing of this file was written: "
                                        f"{server_stopped(connection.uri, 'the load')}"))
            continue
        outcomes.append(FileOutcome(source, report, None))
    return outcomes
