"""Reading RDF files as a stream of quads with pyoxigraph: format by extension (or given), gzip, located errors."""

from __future__ import annotations

import gzip
import hashlib
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

import pyoxigraph as ox

from kg.core.errors import ConfigError, DataFileError
from loaders.rdf.xml_entities import EntityExpansionError, check_entity_expansion

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "xml": "rdfxml", "rdf": "rdfxml", "owl": "rdfxml",
                  "json-ld": "jsonld", "json": "jsonld", "n-triples": "ntriples", "n-quads": "nquads"}
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig", ".rdf": "rdfxml",
    ".owl": "rdfxml", ".xml": "rdfxml", ".jsonld": "jsonld", ".json": "jsonld",
}
QUAD_FORMATS = frozenset({"nquads", "trig", "jsonld"})


@dataclass(frozen=True)
class RdfFile:
    path: Path
    format: str  # a key of FORMATS
    gzipped: bool

    @property
    def has_named_graphs(self) -> bool:
        return self.format in QUAD_FORMATS

    def quads(self) -> Iterator[ox.Quad]:
        """The file's statements, streamed; a syntax error raises DataFileError with line and column. RDF/XML whose
        entities would expand it beyond bounds is refused before it is parsed (loaders.rdf.xml_entities)."""
        if self.format == "rdfxml":
            try:
                check_entity_expansion(self._blocks)
            except EntityExpansionError as error:
                raise DataFileError(self.path, None, str(error)) from None
            except (OSError, EOFError) as error:
                raise DataFileError(self.path, None, f"cannot read: {error}") from error
        try:
            stream = self._open()
        except OSError as error:
            raise DataFileError(self.path, None, f"cannot read: {error.strerror or error}") from error
        try:
            parser = ox.parse(stream, FORMATS[self.format], base_iri=self.path.resolve().as_uri())
            yield from parser
        except SyntaxError as error:
            line, column = error.lineno, error.offset
            if line is None and self.format == "rdfxml":  # pyoxigraph's RDF/XML errors have no position
                line, column = self._xml_error_position()
            raise DataFileError(self.path, line, _reason(error), column) from error
        except (OSError, EOFError, ValueError) as error:
            raise DataFileError(self.path, None, f"cannot read: {error}") from error
        except MemoryError as error:  # pyoxigraph's: "Reached the buffer maximal size of 16777216"
            raise DataFileError(
                self.path, None, "a single literal, IRI or comment is longer than the 16 MiB the RDF parser reads at "
                "once; split it, or leave it out"
            ) from error
        finally:
            stream.close()

    def _open(self) -> BinaryIO:
        return cast(BinaryIO, gzip.GzipFile(self.path, "rb")) if self.gzipped else open(self.path, "rb")

    def _xml_error_position(self) -> tuple[int | None, int | None]:
        """Where expat finds the document ill-formed (1-based line and column), if it does. Its entities were
        bounded before pyoxigraph read it, and expat fetches no external entity."""
        parser = xml.parsers.expat.ParserCreate()
        try:
            for block in self._blocks():
                parser.Parse(block, False)
            parser.Parse(b"", True)
        except xml.parsers.expat.ExpatError as error:
            return error.lineno, error.offset + 1
        except (OSError, EOFError):
            pass
        return None, None

    def _blocks(self) -> Iterator[bytes]:
        with self._open() as stream:
            yield from iter(lambda: stream.read(1 << 20), b"")

    def content_scope(self) -> str:
        """A short digest of the file's bytes: the same content always gives the same blank-node identifiers."""
        digest = hashlib.sha256()
        with open(self.path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()[:16]


def rdf_file(path: Path, format_name: str | None = None) -> RdfFile:
    """Describe one file: its format from `format_name` or from its extension (a trailing .gz means gzip)."""
    gzipped = path.suffix.lower() == ".gz"
    if format_name is not None:
        return RdfFile(path, normalise_format(format_name), gzipped)
    inner = Path(path.stem) if gzipped else path
    found = EXTENSIONS.get(inner.suffix.lower())
    if found is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise DataFileError(path, None, f"unknown RDF file extension {inner.suffix or '(none)'!r} (known: {known}, "
                                        "each also gzipped as .gz)")
    return RdfFile(path, found, gzipped)


def normalise_format(name: str) -> str:
    key = FORMAT_ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise ConfigError(f"unknown RDF format {name!r}; use one of {', '.join(FORMATS)}")
    return key


def is_rdf_path(path: Path) -> bool:
    inner = Path(path.stem) if path.suffix.lower() == ".gz" else path
    return inner.suffix.lower() in EXTENSIONS


def _reason(error: SyntaxError) -> str:
    message = str(error.msg or error)
    # pyoxigraph: "Parser error between line 3 column 11 and line 4 column 1: Unexpected end of file"
    return message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
