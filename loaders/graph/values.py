"""RDF literals as Cypher values: XSD datatypes become integers, floats, booleans, dates, local and zoned
datetimes; a WKT point becomes a point; a language tag or a custom datatype is kept in the text when asked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from neo4j.spatial import CartesianPoint
from neo4j.time import Date, DateTime, Time

from kg.core.vocabulary import RDF, XSD

RDF_LANG_STRING = RDF + "langString"
WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"

_INTEGERS = {XSD + t for t in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
)}
_FLOATS = {XSD + "double", XSD + "float", XSD + "decimal"}
_STRINGS = {XSD + "string", XSD + "normalizedString", XSD + "token", XSD + "anyURI"}
_WKT_POINT = re.compile(r"^\s*POINT\s*(?:Z\s*)?\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)(?:\s+([-+0-9.eE]+))?\s*\)\s*$", re.I)

# Lexical forms (XSD 1.1, after whitespace collapsing). Python's int() and float() accept more ("1_000", "inf",
# "infinity"), which would turn malformed literals into numbers.
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_FLOAT = re.compile(r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Seconds are optional as in java.time.LocalDateTime.parse, which n10s uses (XSD itself requires them).
_DATE_TIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
# Neo4j integers are 64-bit: a larger xsd:integer cannot be stored as a number (the driver refuses to send it).
_INT64 = range(-(2**63), 2**63)

# Neo4j's SRIDs for cartesian points, as n10s uses them.
CARTESIAN_2D, CARTESIAN_3D = 7203, 9157


# The datatypes that become a Cypher value of their own (or a plain string). Every other datatype is "custom", and
# keepCustomDataTypes keeps it in the text ("2002^^xsd__gYear"), as n10s does for whatever it does not convert.
NATIVE_DATATYPES: frozenset[str] = frozenset(
    {*_INTEGERS, *_FLOATS, *_STRINGS, XSD + "boolean", XSD + "date", XSD + "dateTime", XSD + "time", WKT_LITERAL}
)


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
            return _integer(lexical.strip())
        if datatype in _FLOATS:
            return _float(lexical.strip())
        if datatype == XSD + "boolean":
            return _boolean(lexical)
        if datatype == XSD + "date":
            return _date(lexical.strip())
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


def _integer(lexical: str) -> int:
    if not _INTEGER.match(lexical):
        raise ValueError(lexical)
    value = int(lexical)
    if value not in _INT64:
        raise ValueError(lexical)
    return value


def _float(lexical: str) -> float:
    if not _FLOAT.match(lexical):
        raise ValueError(lexical)
    return float(lexical)


def _date(lexical: str) -> Date:
    if not _DATE.match(lexical):
        raise ValueError(lexical)  # e.g. a date with a time zone, "2002-09-24Z": kept as text, as n10s does
    return Date.from_native(dt.date.fromisoformat(lexical))


def _date_time(lexical: str) -> DateTime:
    """A local datetime, or a zoned one when the lexical form has an offset; nanoseconds are kept (Python's own
    datetime stops at microseconds)."""
    if not _DATE_TIME.match(lexical):
        raise ValueError(lexical)
    return DateTime.from_iso_format(lexical[:-1] + "+00:00" if lexical.endswith("Z") else lexical)


def _point(lexical: str) -> Any:
    match = _WKT_POINT.match(lexical)
    if match is None:
        return lexical  # e.g. a CRS IRI in front ("<…Q111> Point(…)", a point on Mars): kept as text, as n10s does
    coordinates = [float(c) for c in match.groups() if c is not None]
    return CartesianPoint(coordinates)
