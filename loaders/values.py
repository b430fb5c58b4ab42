"""RDF literals as Cypher values: XSD datatypes become integers, floats, booleans, dates, local and zoned
datetimes; a WKT point becomes a point; a language tag or a custom datatype is kept in the text when asked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from neo4j.spatial import CartesianPoint
from neo4j.time import Date, DateTime, Time

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"

_INTEGERS = {XSD + t for t in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)}
_FLOATS = {XSD + "double", XSD + "float", XSD + "decimal"}
_STRINGS = {XSD + "string", XSD + "normalizedString", XSD + "token", XSD + "anyURI"}
_POINT = re.compile(r"^\s*POINT\s*(?:Z\s*)?\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)(?:\s+([-+0-9.eE]+))?\s*\)\s*$", re.I)

# Neo4j's SRIDs for cartesian points, as n10s uses them.
CARTESIAN_2D, CARTESIAN_3D = 7203, 9157


@dataclass(frozen=True)
class LiteralForm:
    """How literals are kept: plain values, or text that keeps the language tag / custom datatype."""

    keep_lang_tag: bool = False
    keep_custom_datatype: bool = False


def to_value(lexical: str, datatype: str, language: str | None, form: LiteralForm, datatype_name: str) -> Any:
    """The Cypher value of one literal. `datatype_name` is how a kept custom datatype is written."""
    if language is not None:
        return f"{lexical}@{language}" if form.keep_lang_tag else lexical
    try:
        if datatype in _STRINGS:
            return lexical
        if datatype in _INTEGERS:
            return int(lexical)
        if datatype in _FLOATS:
            return float(lexical)
        if datatype == XSD + "boolean":
            return _boolean(lexical)
        if datatype == XSD + "date":
            return Date.from_native(dt.date.fromisoformat(lexical.strip()))
        if datatype == XSD + "dateTime":
            return _date_time(lexical.strip())
        if datatype == XSD + "time":
            return Time.from_native(dt.time.fromisoformat(lexical.strip()))
        if datatype == WKT_LITERAL:
            return _point(lexical)
    except ValueError:
        pass  # an ill-typed literal is kept as its text, like a custom datatype
    if form.keep_custom_datatype:
        return f"{lexical}^^{datatype_name}"
    return lexical


def type_class(value: Any) -> str:
    """The kind of value a Neo4j list may hold one of (a list may not mix integers and strings)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, DateTime):
        return "datetime" if value.tzinfo is not None else "localdatetime"
    return type(value).__name__


def _boolean(lexical: str) -> bool:
    text = lexical.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(lexical)


def _date_time(lexical: str) -> DateTime:
    text = lexical.replace("Z", "+00:00") if lexical.endswith("Z") else lexical
    native = dt.datetime.fromisoformat(text)
    return DateTime.from_native(native)


def _point(lexical: str) -> Any:
    match = _POINT.match(lexical)
    if match is None:
        return lexical  # e.g. a CRS IRI in front ("<…Q111> Point(…)", a point on Mars): kept as text, as n10s does
    coordinates = [float(c) for c in match.groups() if c is not None]
    return CartesianPoint(coordinates)
