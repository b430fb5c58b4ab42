"""Spreadsheets into the graph, the pure part: the mapping file, and rows in, node and relationship rows out.

A mapping (YAML) says which columns make which nodes, which cells name nodes already in the graph, and which
relationships join them. `parse_mapping` validates it (a `ConfigError` names the mapping file and the key at
fault); `map_rows` turns a pandas DataFrame into planned nodes and relationships, collecting every bad row;
`resolve` puts in the uris that the graph look-ups found. No database here: `loaders.table.load` reads the file,
looks references up and writes. The format, for an analyst, with an example:

    graph: acme-bom-2025            # the named graph (default: "file:<file name>"); `kg unload --graph` removes it
    namespace: https://w3id.org/crm-kg/id/   # new nodes' uris: NAMESPACE + <label in kebab-case> + "/" + <slug of key>
    sheet: Suppliers                # xlsx: the sheet (default: the first one)
    header_row: 1                   # the row that holds the column names (default 1); data starts below it
    csv: {delimiter: ",", encoding: utf-8, decimal: "."}   # CSV only; by default detected
    nodes:                          # nodes that rows make (created, or updated when their uri exists)
      part:                         # an alias of your choice, used by relationships
        label: Component            # one label or a list
        key: part_number            # the column (or list of columns) whose value identifies the node
        existing: name              # optional: reuse the node of this label whose name/altLabels (or the
                                    #   property given, e.g. iso2) equals the key, if the graph has one
        required: false             # optional: an empty key skips the node for that row (default: a bad row)
        namespace: https://example.com/part/   # optional: this node's uris are NAMESPACE + slug
        properties:
          name: part_name                                  # property: column (text)
          massGrams: {column: mass_g, type: float}         # types: string, integer, float, boolean, date, list
          aliases: {column: aka, type: list, separator: ";"}
          reviewed: {column: reviewed_on, type: date, format: "%d.%m.%Y", required: true}
    match:                          # cells that name nodes already in the graph; a cell that matches no node,
      material:                     #   or several, is a bad row
        column: contains
        label: [Material, Intermediate, Component]   # optional: only nodes with one of these labels
        by: name                    # name (name or altLabels, case-insensitive; the default), uri, or a property
        separator: ";"              # optional: a cell may name several nodes
        required: false             # optional: an empty cell links nothing (default: a bad row)
    relationships:
      - {type: USED_IN, from: material, to: part}
      - type: MAKES
        from: supplier
        to: part
        properties: {since: {column: supplier_since, type: integer}}

Row numbers are those a person sees in a spreadsheet program: the header is row 1 (or `header_row`), the first
data row is the next one; rows with every cell empty are skipped.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from neo4j.time import Date

from kg.core.errors import ConfigError, KgError
from kg.core.suggest import closest
from loaders.graph.yaml_files import parse_yaml

DEFAULT_NAMESPACE = "https://w3id.org/crm-kg/id/"
DEFAULT_SEPARATOR = ";"
BY_NAME = "name"
BY_URI = "uri"
NAME_PROPERTIES = ("name", "altLabels")  # what `by: name` compares with, case-insensitively
SHOWN_PROBLEMS = 8  # bad rows named in an error message; the rest are counted

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED_PROPERTIES = {"uri"}  # and every name that starts with "_" (provenance: _graphs, _graphProps, …)
_RESERVED_LABELS = {"Resource"}  # every node has it already


class TableError(KgError):
    """A spreadsheet that cannot be read, or that does not fit its mapping."""


class BadRowsError(TableError):
    """Rows that cannot be loaded; nothing from the spreadsheet was written. `problems` holds every one."""

    def __init__(self, where: str, problems: Sequence[RowProblem], shown: int = SHOWN_PROBLEMS) -> None:
        self.where = where
        self.problems = sorted(problems, key=lambda p: p.row)
        rows = len({p.row for p in self.problems})
        lines = [f"{where}: {_plural(rows, 'bad row')}, nothing loaded:"]
        lines += [f"  {p.location}: {p.message}" for p in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(f"  … and {_plural(len(self.problems) - shown, 'more problem')}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a person sees it in a spreadsheet program (the header is row 1)
    message: str
    sheet: str | None = None  # for workbooks

    @property
    def location(self) -> str:
        return f"sheet {self.sheet}, row {self.row}" if self.sheet else f"row {self.row}"


# -- the mapping ---------------------------------------------------------------------------------------------


class ValueType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    LIST = "list"  # a list of strings, split at `separator`


_TYPE_NAMES: dict[str, ValueType] = {t.value: t for t in ValueType} | {
    "str": ValueType.STRING, "text": ValueType.STRING,
    "int": ValueType.INTEGER,
    "number": ValueType.FLOAT, "decimal": ValueType.FLOAT,
    "bool": ValueType.BOOLEAN,
    "list-of-strings": ValueType.LIST, "strings": ValueType.LIST,
}


@dataclass(frozen=True)
class PropertySpec:
    name: str
    column: str
    type: ValueType = ValueType.STRING
    separator: str = DEFAULT_SEPARATOR  # lists only
    date_format: str | None = None  # dates only: a strptime format; None: ISO 8601 (YYYY-MM-DD)
    required: bool = False


@dataclass(frozen=True)
class NodeSpec:
    alias: str
    labels: tuple[str, ...]
    key: tuple[str, ...]  # columns
    properties: tuple[PropertySpec, ...] = ()
    namespace: str | None = None  # None: the mapping's namespace + <label in kebab-case> + "/"
    existing: str | None = None  # None, "name", or a property name: reuse a node already in the graph
    required: bool = True


@dataclass(frozen=True)
class MatchSpec:
    alias: str
    column: str
    by: str = BY_NAME  # "name", "uri" or a property name
    labels: tuple[str, ...] = ()  # empty: any node
    separator: str | None = None
    required: bool = True


@dataclass(frozen=True)
class RelationshipSpec:
    type: str
    start: str  # alias of a node or match entry
    end: str
    properties: tuple[PropertySpec, ...] = ()


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str | None = None  # None: detected among , ; tab |
    encoding: str | None = None  # None: UTF-8 (with or without a BOM), else Windows-1252
    decimal: str = "."


@dataclass(frozen=True)
class TableMapping:
    source: str  # the mapping file, for messages
    nodes: tuple[NodeSpec, ...]
    matches: tuple[MatchSpec, ...]
    relationships: tuple[RelationshipSpec, ...]
    graph: str | None = None
    namespace: str = DEFAULT_NAMESPACE
    sheet: str | None = None
    header_row: int = 1
    csv: CsvOptions = CsvOptions()

    def columns(self) -> list[str]:
        """Every column the mapping reads, in the order it names them."""
        found: dict[str, None] = {}
        for node in self.nodes:
            found.update(dict.fromkeys(node.key))
            found.update(dict.fromkeys(p.column for p in node.properties))
        found.update(dict.fromkeys(m.column for m in self.matches))
        for relationship in self.relationships:
            found.update(dict.fromkeys(p.column for p in relationship.properties))
        return list(found)

    def where(self, key: str) -> str:
        return f"{self.source}: {key}"


def load_mapping(path: Path) -> TableMapping:
    """Read and validate a mapping file (YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the mapping: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: the mapping is not UTF-8 text") from error
    return parse_mapping(parse_yaml(text, str(path)), str(path))


def parse_mapping(data: Any, source: str = "<mapping>") -> TableMapping:
    """Validate a mapping already read from YAML (a dict); `source` names it in error messages."""
    return _MappingParser(source).mapping(data)


class _MappingParser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {message}" if key else f"{self.source}: {message}")

    def table(self, value: Any, key: str, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping of keys to values, not {_kind(value)}")
        allowed = list(allowed)
        for name in value:
            if not isinstance(name, str):
                raise self.fail(key, f"key {name!r} is not text")
            if name not in allowed:
                close = closest(name, allowed, count=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(allowed)})"
                raise self.fail(_join(key, name), f"unknown key{hint}")
        return value

    def text(self, value: Any, key: str, *, allow_numbers: bool = False) -> str:
        if allow_numbers and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a non-empty text, not {_kind(value)}")
        return value.strip()

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, not {_kind(value)}")
        return value

    def identifier(self, value: Any, key: str, what: str) -> str:
        name = self.text(value, key)
        if not _IDENTIFIER.match(name):
            raise self.fail(key, f"{name!r} is not a valid {what} (letters, digits and _, starting with a letter)")
        return name

    def names(self, value: Any, key: str, what: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise self.fail(key, f"expected at least one {what}")
        return tuple(self.identifier(item, f"{key}[{i}]" if isinstance(value, list) else key, what)
                     for i, item in enumerate(items))

    def labels(self, value: Any, key: str) -> tuple[str, ...]:
        labels = self.names(value, key, "label")
        for label in labels:
            if label in _RESERVED_LABELS:
                raise self.fail(key, f"{label!r} is given to every node already; name the node's own label")
        return tuple(dict.fromkeys(labels))

    def property_name(self, value: Any, key: str) -> str:
        name = self.identifier(value, key, "property name")
        if name in _RESERVED_PROPERTIES:
            raise self.fail(key, f"{name!r} is reserved: the loader makes each node's uri")
        return name

    def mapping(self, data: Any) -> TableMapping:
        if data is None:
            raise self.fail("", "the mapping is empty")
        top = self.table(data, "", ["graph", "namespace", "sheet", "header_row", "csv", "nodes", "match",
                                    "relationships"])
        graph = self.text(top["graph"], "graph") if "graph" in top else None
        namespace = self.namespace(top["namespace"], "namespace") if "namespace" in top else DEFAULT_NAMESPACE
        sheet = self.text(top["sheet"], "sheet", allow_numbers=True) if "sheet" in top else None
        header_row = top.get("header_row", 1)
        if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
            raise self.fail("header_row", f"expected a row number (1 or more), not {_kind(header_row)}")
        csv = self.csv(top["csv"]) if "csv" in top else CsvOptions()
        nodes_data = top.get("nodes") or {}
        matches_data = top.get("match") or {}
        if not nodes_data and not matches_data:
            raise self.fail("nodes", "the mapping makes no node: give at least one entry under `nodes`")
        nodes = tuple(self.node(alias, spec) for alias, spec in self.table(nodes_data, "nodes", nodes_data).items())
        matches = tuple(self.match(alias, spec)
                        for alias, spec in self.table(matches_data, "match", matches_data).items())
        aliases = [n.alias for n in nodes] + [m.alias for m in matches]
        for alias in aliases:
            if not _IDENTIFIER.match(alias):
                raise self.fail(alias, "an alias is letters, digits and _, starting with a letter")
        twice = sorted({a for a in aliases if aliases.count(a) > 1})
        if twice:
            raise self.fail(f"match.{twice[0]}", "this alias is also a node's: each alias names one entry")
        relationships_data = top.get("relationships") or []
        if not isinstance(relationships_data, list):
            raise self.fail("relationships", f"expected a list of relationships, not {_kind(relationships_data)}")
        relationships = tuple(self.relationship(i, spec, aliases) for i, spec in enumerate(relationships_data))
        used = {r.start for r in relationships} | {r.end for r in relationships}
        for match in matches:
            if match.alias not in used:
                raise self.fail(f"match.{match.alias}", "no relationship uses this match: link it with `from`/`to`")
        return TableMapping(self.source, nodes, matches, relationships, graph, namespace, sheet, header_row, csv)

    def namespace(self, value: Any, key: str) -> str:
        namespace = self.text(value, key)
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", namespace):
            raise self.fail(key, f"{namespace!r} is not an absolute IRI (e.g. https://example.com/id/)")
        return namespace if namespace.endswith(("/", "#", ":")) else namespace + "/"

    def csv(self, value: Any) -> CsvOptions:
        spec = self.table(value, "csv", ["delimiter", "encoding", "decimal"])
        delimiter = None
        if "delimiter" in spec:
            raw = spec["delimiter"]
            delimiter = "\t" if raw in ("tab", "\\t") else raw
            if not isinstance(delimiter, str) or len(delimiter) != 1:
                raise self.fail("csv.delimiter", f"expected one character (or `tab`), not {_kind(raw)}")
        encoding = None
        if "encoding" in spec:
            encoding = self.text(spec["encoding"], "csv.encoding")
            try:
                "".encode(encoding)
            except LookupError as error:
                raise self.fail("csv.encoding", f"unknown encoding {encoding!r}") from error
        decimal = spec.get("decimal", ".")
        if decimal not in (".", ","):
            raise self.fail("csv.decimal", f"expected \".\" or \",\", not {_kind(decimal)}")
        return CsvOptions(delimiter, encoding, decimal)

    def node(self, alias: Any, value: Any) -> NodeSpec:
        key = f"nodes.{alias}"
        spec = self.table(value, key, ["label", "key", "properties", "namespace", "existing", "required"])
        for needed in ("label", "key"):
            if needed not in spec:
                raise self.fail(key, f"missing `{needed}`")
        labels = self.labels(spec["label"], f"{key}.label")
        raw_key = spec["key"]
        columns = tuple(self.text(c, f"{key}.key", allow_numbers=True)
                        for c in (raw_key if isinstance(raw_key, list) else [raw_key]))
        if not columns:
            raise self.fail(f"{key}.key", "expected a column or a list of columns")
        properties = self.properties(spec.get("properties") or {}, f"{key}.properties")
        namespace = self.namespace(spec["namespace"], f"{key}.namespace") if "namespace" in spec else None
        existing = None
        if "existing" in spec:
            existing = self.by(spec["existing"], f"{key}.existing")
            if existing == BY_URI:
                raise self.fail(f"{key}.existing", "expected `name` or a property (a node's uri is made from its key)")
            if len(columns) > 1:
                raise self.fail(f"{key}.existing", "needs a key of one column")
        required = self.flag(spec["required"], f"{key}.required") if "required" in spec else True
        return NodeSpec(str(alias), labels, columns, properties, namespace, existing, required)

    def by(self, value: Any, key: str) -> str:
        by = self.text(value, key)
        if by in (BY_NAME, BY_URI):
            return by
        return self.identifier(by, key, "property name (or `name`, `uri`)")

    def match(self, alias: Any, value: Any) -> MatchSpec:
        key = f"match.{alias}"
        spec = self.table(value, key, ["column", "label", "by", "separator", "required"])
        if "column" not in spec:
            raise self.fail(key, "missing `column`")
        column = self.text(spec["column"], f"{key}.column", allow_numbers=True)
        labels = self.labels(spec["label"], f"{key}.label") if "label" in spec else ()
        by = self.by(spec.get("by", BY_NAME), f"{key}.by")
        separator = self.separator(spec["separator"], f"{key}.separator") if "separator" in spec else None
        required = self.flag(spec["required"], f"{key}.required") if "required" in spec else True
        return MatchSpec(str(alias), column, by, labels, separator, required)

    def separator(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value or (value.isspace() and value != "\t"):
            raise self.fail(key, f"expected a separator such as \";\" or \"|\", not {_kind(value)}")
        return value

    def properties(self, value: Any, key: str) -> tuple[PropertySpec, ...]:
        spec = self.table(value, key, value if isinstance(value, dict) else [])
        return tuple(self.property(name, item, f"{key}.{name}") for name, item in spec.items())

    def property(self, name: str, value: Any, key: str) -> PropertySpec:
        if name.startswith("_"):
            raise self.fail(key, "names that start with _ are reserved for provenance (_graphs, _graphProps, …)")
        name = self.property_name(name, key)
        if not isinstance(value, dict):
            return PropertySpec(name, self.text(value, key, allow_numbers=True))
        spec = self.table(value, key, ["column", "type", "separator", "format", "required"])
        if "column" not in spec:
            raise self.fail(key, "missing `column`")
        column = self.text(spec["column"], f"{key}.column", allow_numbers=True)
        type_name = spec.get("type", "string")
        value_type = _TYPE_NAMES.get(str(type_name).strip().lower()) if isinstance(type_name, str) else None
        if value_type is None:
            known = ", ".join(t.value for t in ValueType)
            raise self.fail(f"{key}.type", f"unknown type {type_name!r} (types: {known})")
        separator = DEFAULT_SEPARATOR
        if "separator" in spec:
            if value_type is not ValueType.LIST:
                raise self.fail(f"{key}.separator", "only a list has a separator (type: list)")
            separator = self.separator(spec["separator"], f"{key}.separator")
        date_format = None
        if "format" in spec:
            if value_type is not ValueType.DATE:
                raise self.fail(f"{key}.format", "only a date has a format (type: date)")
            date_format = self.text(spec["format"], f"{key}.format")
            if "%" not in date_format:
                raise self.fail(f"{key}.format", f"{date_format!r} is not a date format such as \"%d.%m.%Y\"")
        required = self.flag(spec["required"], f"{key}.required") if "required" in spec else False
        return PropertySpec(name, column, value_type, separator, date_format, required)

    def relationship(self, index: int, value: Any, aliases: Sequence[str]) -> RelationshipSpec:
        key = f"relationships[{index}]"
        spec = self.table(value, key, ["type", "from", "to", "properties"])
        for needed in ("type", "from", "to"):
            if needed not in spec:
                raise self.fail(key, f"missing `{needed}`")
        relationship_type = self.identifier(spec["type"], f"{key}.type", "relationship type")
        ends = []
        for side in ("from", "to"):
            alias = self.text(spec[side], f"{key}.{side}")
            if alias not in aliases:
                close = closest(alias, aliases, count=1)
                hint = f"did you mean {close[0]!r}?" if close else f"the aliases are: {', '.join(aliases)}"
                raise self.fail(f"{key}.{side}", f"{alias!r} is no node or match entry ({hint})")
            ends.append(alias)
        properties = self.properties(spec.get("properties") or {}, f"{key}.properties")
        return RelationshipSpec(relationship_type, ends[0], ends[1], properties)


# -- cells and values ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> str | None:
    """A cell as text, or None when it is empty. Numbers that are whole are written without ".0"."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return str(int(number)) if number.is_integer() else repr(number)
    if _is_missing(value):
        return None
    return str(value).strip() or None


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def convert(value: Any, spec: PropertySpec, decimal: str = ".") -> Any:
    """The property value of one cell; None for an empty cell. A cell that does not fit raises ValueError
    with a message that names the cell's value and what was expected."""
    text = cell_text(value)
    if text is None:
        return None
    kind = spec.type
    if kind is ValueType.STRING:
        return text
    if kind is ValueType.LIST:
        items = [text] if not isinstance(value, str) else [i.strip() for i in text.split(spec.separator)]
        return list(dict.fromkeys(i for i in items if i)) or None
    if kind is ValueType.BOOLEAN:
        if isinstance(value, bool):
            return value
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{text!r} is not true or false (true/false, yes/no, y/n, 1/0)")
    if kind is ValueType.INTEGER:
        number = _integer(value, text)
        if not _INT64_MIN <= number <= _INT64_MAX:  # what both engines store; the driver cannot send more
            raise ValueError(f"{text} does not fit in a 64-bit integer: give the column type float or string")
        return number
    if kind is ValueType.FLOAT:
        return _float(value, text, decimal)
    return _date(value, text, spec.date_format)


def _integer(value: Any, text: str) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer():
            return int(number)
        raise ValueError(f"{text} is not a whole number")
    if "_" in text:  # int() and float() would take "1_000"
        raise ValueError(f"{text!r} is not a whole number")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None
    if number.is_integer():
        return int(number)
    raise ValueError(f"{text!r} is not a whole number")


def _float(value: Any, text: str, decimal: str) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    else:
        candidate = text.replace(",", ".") if decimal == "," else text
        try:
            if "_" in candidate:
                raise ValueError(candidate)
            number = float(candidate)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number


def _date(value: Any, text: str, date_format: str | None) -> Date:
    if isinstance(value, dt.datetime):
        return Date.from_native(value.date())
    if isinstance(value, dt.date):
        return Date.from_native(value)
    if date_format is not None:
        try:
            return Date.from_native(dt.datetime.strptime(text, date_format).date())
        except ValueError:
            raise ValueError(f"{text!r} is not a date in the format {date_format!r}") from None
    try:
        return Date.from_native(dt.date.fromisoformat(text))
    except ValueError:
        pass
    try:
        return Date.from_native(dt.datetime.fromisoformat(text).date())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD, or set `format:` in the mapping)") from None


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return False


def slug(text: str) -> str:
    """A readable uri segment: accents folded, lower case, every run of other characters a single "-"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", folded.lower()).strip("-")


def kebab_case(label: str) -> str:
    """`MagnetPlant` -> `magnet-plant`, `Component` -> `component`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", label).replace("_", "-").lower()


def node_namespace(node: NodeSpec, mapping_namespace: str) -> str:
    return node.namespace or f"{mapping_namespace}{kebab_case(node.labels[0])}/"


def normalise(value: str, by: str) -> str:
    """How a reference is compared: uris exactly, names and codes case-insensitively, names with spaces collapsed."""
    if by == BY_URI:
        return value.strip()
    if by == BY_NAME:
        return " ".join(value.split()).lower()
    return value.strip().lower()


# -- rows in, planned nodes and relationships out -------------------------------------------------------------


@dataclass(frozen=True)
class RefKey:
    """One reference to look up in the graph: nodes (with one of `labels`, if any) whose `by` equals `value`."""

    by: str
    labels: tuple[str, ...]
    value: str  # normalised


@dataclass(frozen=True)
class Mention:
    """Where a reference was made, for messages."""

    row: int
    sheet: str | None
    column: str
    text: str  # the cell's value as written
    alias: str


@dataclass(frozen=True)
class Endpoint:
    """A relationship's end: a node of the spreadsheet (its planned uri) or a reference to the graph."""

    uri: str | None = None
    ref: RefKey | None = None


@dataclass
class PlannedNode:
    uri: str
    labels: set[str]
    props: dict[str, Any]
    key: str  # the key as the spreadsheet writes it
    row: int  # the first row that made it
    alias: str
    existing: RefKey | None = None  # reuse the graph's node that this finds, if there is exactly one
    prop_rows: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # every row that names it

    def describe(self) -> str:
        return f"{'/'.join(sorted(self.labels))} {self.key!r}"


@dataclass
class PlannedRelationship:
    type: str
    props: dict[str, Any]
    row: int
    prop_rows: dict[str, int] = field(default_factory=dict)


@dataclass
class MappedTable:
    """What a spreadsheet says, before references are looked up. Node keys are their planned uris."""

    where: str
    sheet: str | None
    rows: int  # data rows read (rows with every cell empty not counted)
    nodes: dict[str, PlannedNode] = field(default_factory=dict)
    relationships: dict[tuple[Endpoint, str, Endpoint], PlannedRelationship] = field(default_factory=dict)
    references: dict[RefKey, list[Mention]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def existing_keys(self) -> set[RefKey]:
        return {n.existing for n in self.nodes.values() if n.existing is not None}

    def lookups(self) -> set[RefKey]:
        """Everything to look up in the graph: references, and keys of nodes that may reuse a node."""
        return set(self.references) | self.existing_keys()

    def check(self) -> None:
        if self.problems:
            raise BadRowsError(self.where, self.problems)


def map_rows(
    frame: Any,
    mapping: TableMapping,
    *,
    where: str = "<table>",
    row_numbers: Sequence[int] | None = None,
    sheet: str | None = None,
) -> MappedTable:
    """Plan the nodes and relationships of a table (a pandas DataFrame whose columns are the header's names).

    `row_numbers` gives each frame row's number as a person sees it; by default the header is row
    `mapping.header_row` and data rows follow it. Bad rows are collected in `problems`, every one of them
    (call `check()` to raise them as one error); a column that the mapping names and the table lacks raises
    `TableError` at once.
    """
    columns = [str(c) for c in frame.columns]
    missing = [c for c in mapping.columns() if c not in columns]
    if missing:
        hints = []
        for column in missing:
            close = closest(column, columns, count=1)
            hints.append(f"{column!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise TableError(
            f"{where}: the mapping {mapping.source} names column(s) that the table does not have: "
            f"{', '.join(hints)}; the table's columns are: {', '.join(repr(c) for c in columns)}"
        )
    if row_numbers is None:
        row_numbers = [mapping.header_row + 1 + i for i in range(len(frame))]
    mapper = _RowMapper(mapping, MappedTable(where, sheet, 0))
    for number, values in zip(row_numbers, frame.itertuples(index=False, name=None), strict=True):
        record = dict(zip(columns, values, strict=True))
        if all(cell_text(v) is None for v in values):
            continue
        mapper.table.rows += 1
        mapper.row(number, record)
    return mapper.table


@dataclass
class _RowMapper:
    mapping: TableMapping
    table: MappedTable

    def problem(self, row: int, message: str) -> None:
        self.table.problems.append(RowProblem(row, message, self.table.sheet))

    def row(self, row: int, record: Mapping[str, Any]) -> None:
        ends: dict[str, list[Endpoint]] = {}
        for node in self.mapping.nodes:
            ends[node.alias] = self.node(row, record, node)
        for match in self.mapping.matches:
            ends[match.alias] = self.match(row, record, match)
        for relationship in self.mapping.relationships:
            starts, stops = ends[relationship.start], ends[relationship.end]
            if not starts or not stops:
                continue
            props = self.properties(row, record, relationship.properties, f"relationship {relationship.type}")
            if props is None:
                continue
            for start in starts:
                for end in stops:
                    self.relationship(row, (start, relationship.type, end), props)

    def properties(
        self, row: int, record: Mapping[str, Any], specs: Sequence[PropertySpec], owner: str
    ) -> dict[str, Any] | None:
        props: dict[str, Any] = {}
        bad = False
        for spec in specs:
            try:
                value = convert(record[spec.column], spec, self.mapping.csv.decimal)
            except ValueError as error:
                self.problem(row, f"{spec.column}: {error} ({owner}, property {spec.name}: {spec.type.value})")
                bad = True
                continue
            if value is None:
                if spec.required:
                    self.problem(row, f"{spec.column} is empty ({owner}, property {spec.name} is required)")
                    bad = True
                continue
            props[spec.name] = value
        return None if bad else props

    def node(self, row: int, record: Mapping[str, Any], spec: NodeSpec) -> list[Endpoint]:
        parts = [cell_text(record[c]) for c in spec.key]
        empty = [c for c, p in zip(spec.key, parts, strict=True) if p is None]
        if empty:
            if spec.required:
                self.problem(row, f"{', '.join(empty)} is empty: the key of node {spec.alias!r} ({spec.labels[0]})")
            return []
        texts = [p for p in parts if p is not None]
        slugs = [slug(p) for p in texts]
        if not all(slugs):
            self.problem(row, f"{', '.join(spec.key)} {' / '.join(texts)!r}: a key needs a letter or digit "
                              f"to make a uri from (node {spec.alias!r})")
            return []
        uri = node_namespace(spec, self.mapping.namespace) + "-".join(slugs)
        key = " / ".join(texts)
        props = self.properties(row, record, spec.properties, f"node {spec.alias!r}")
        planned = self.table.nodes.get(uri)
        if planned is None:
            existing = RefKey(spec.existing, spec.labels, normalise(key, spec.existing)) if spec.existing else None
            planned = self.table.nodes[uri] = PlannedNode(uri, set(spec.labels), {}, key, row, spec.alias, existing)
        elif planned.key != key:
            self.problem(row, f"{', '.join(spec.key)} {key!r} gives the same uri as {planned.key!r} "
                              f"(row {planned.row}): {uri}")
            return []
        planned.labels.update(spec.labels)
        if not planned.rows or planned.rows[-1] != row:
            planned.rows.append(row)
        if props:
            self.merge(row, planned.props, planned.prop_rows, props, planned.describe())
        return [Endpoint(uri=uri)]

    def match(self, row: int, record: Mapping[str, Any], spec: MatchSpec) -> list[Endpoint]:
        text = cell_text(record[spec.column])
        values = [text] if text is None or spec.separator is None else [v.strip() for v in text.split(spec.separator)]
        values = [v for v in values if v]
        if not values:
            if spec.required:
                self.problem(row, f"{spec.column} is empty (match {spec.alias!r} is required)")
            return []
        ends = []
        for value in dict.fromkeys(values):
            key = RefKey(spec.by, spec.labels, normalise(value, spec.by))
            self.table.references.setdefault(key, []).append(
                Mention(row, self.table.sheet, spec.column, value, spec.alias)
            )
            ends.append(Endpoint(ref=key))
        return ends

    def relationship(self, row: int, key: tuple[Endpoint, str, Endpoint], props: dict[str, Any]) -> None:
        planned = self.table.relationships.get(key)
        if planned is None:
            self.table.relationships[key] = PlannedRelationship(key[1], dict(props), row,
                                                                dict.fromkeys(props, row))
            return
        self.merge(row, planned.props, planned.prop_rows, props, f"relationship {key[1]}")

    def merge(self, row: int, props: dict[str, Any], rows: dict[str, int], new: Mapping[str, Any], what: str) -> None:
        for problem in merge_props(props, rows, new, row, what):
            self.problem(row, problem)


def merge_props(
    props: dict[str, Any], rows: dict[str, int], new: Mapping[str, Any], row: int, what: str
) -> list[str]:
    """Merge what one more row says into `props`: lists are joined, a value that differs is a problem."""
    problems = []
    for name, value in new.items():
        have = props.get(name)
        if have is None:
            props[name] = value
            rows[name] = row
        elif isinstance(have, list) and isinstance(value, list):
            props[name] = have + [v for v in value if v not in have]
        elif have != value:
            problems.append(f"{what}: {name} is {_show(value)} here but {_show(have)} in row {rows[name]}")
    return problems


# -- references found in the graph -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A node that a reference found."""

    uri: str
    name: str | None
    labels: tuple[str, ...]


@dataclass
class ResolvedTable:
    """What to write: nodes by their final uri, relationships between final uris."""

    where: str
    rows: int
    nodes: dict[str, PlannedNode]
    relationships: dict[tuple[str, str, str], PlannedRelationship]
    links: int  # references resolved to a node of the graph
    reused: int  # nodes of the spreadsheet that are nodes already in the graph, found by `existing`
    problems: list[RowProblem]

    def check(self) -> None:
        if self.problems:
            raise BadRowsError(self.where, self.problems)


def resolve(
    table: MappedTable,
    found: Mapping[RefKey, Sequence[Candidate]],
    suggestions: Mapping[RefKey, Sequence[str]] | None = None,
) -> ResolvedTable:
    """Replace references by the uris found; a reference that found no node or several is a bad row."""
    problems = list(table.problems)
    targets: dict[RefKey, str] = {}
    for key, mentions in table.references.items():
        candidates = _unique(found.get(key, ()))
        if len(candidates) == 1:
            targets[key] = candidates[0].uri
            continue
        close = (suggestions or {}).get(key, ())
        for mention in mentions:
            hint = _reference_problem(key, mention.text, candidates, close)
            problems.append(RowProblem(mention.row, f"{mention.column} {mention.text!r}: {hint}", mention.sheet))
    final: dict[str, str] = {}
    nodes: dict[str, PlannedNode] = {}
    reused = 0
    for uri, node in table.nodes.items():
        target = uri
        if node.existing is not None:
            candidates = _unique(found.get(node.existing, ()))
            if len(candidates) > 1:
                hint = _reference_problem(node.existing, node.key, candidates, ())
                for row in node.rows:
                    problems.append(RowProblem(row, f"{node.key!r} (node {node.alias!r}): {hint}", table.sheet))
                continue
            if candidates:
                target = candidates[0].uri
                reused += target != uri
        final[uri] = target
        merged = nodes.get(target)
        if merged is None:
            nodes[target] = PlannedNode(target, set(node.labels), dict(node.props), node.key, node.row, node.alias,
                                        node.existing, dict(node.prop_rows), list(node.rows))
            continue
        merged.labels.update(node.labels)
        merged.rows.extend(node.rows)
        for text in merge_props(merged.props, merged.prop_rows, node.props, node.row, merged.describe()):
            problems.append(RowProblem(node.row, text, table.sheet))
    relationships: dict[tuple[str, str, str], PlannedRelationship] = {}
    links = sum(len(table.references[k]) for k in targets)
    for (start, relationship_type, end), planned in table.relationships.items():
        start_uri, end_uri = _end(start, final, targets), _end(end, final, targets)
        if start_uri is None or end_uri is None:
            continue  # a bad row, reported already
        triple = (start_uri, relationship_type, end_uri)
        have = relationships.get(triple)
        if have is None:
            relationships[triple] = PlannedRelationship(relationship_type, dict(planned.props), planned.row,
                                                     dict(planned.prop_rows))
            continue
        for text in merge_props(have.props, have.prop_rows, planned.props, planned.row,
                                f"relationship {relationship_type}"):
            problems.append(RowProblem(planned.row, text, table.sheet))
    return ResolvedTable(table.where, table.rows, nodes, relationships, links, reused, problems)


def _end(end: Endpoint, final: Mapping[str, str], targets: Mapping[RefKey, str]) -> str | None:
    if end.uri is not None:
        return final.get(end.uri)
    assert end.ref is not None
    return targets.get(end.ref)


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Each node once, in a stable order (by name, then uri)."""
    return sorted({c.uri: c for c in candidates}.values(), key=lambda c: (c.name or "", c.uri))


def _reference_problem(key: RefKey, text: str, candidates: Sequence[Candidate], suggestions: Sequence[str]) -> str:
    kind = _labels_text(key.labels)
    if not candidates:
        if key.by == BY_NAME:
            found = f"no {kind} has this name or alternative label"
        elif key.by == BY_URI:
            found = f"no {kind} has this uri"
        else:
            found = f"no {kind} has {key.by} {text!r}"
        if suggestions:
            found += f" (closest: {', '.join(repr(s) for s in suggestions)})"
        return found
    shown = ", ".join(f"{'/'.join(c.labels) or 'node'} {c.name or c.uri!r}" for c in candidates[:4])
    more = f" and {len(candidates) - 4} more" if len(candidates) > 4 else ""
    return (f"matches {len(candidates)} nodes ({shown}{more}): use a more specific value, or narrow the "
            f"match's `label`")


def _labels_text(labels: Sequence[str]) -> str:
    if not labels:
        return "node"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def _show(value: Any) -> str:
    return repr(str(value)) if isinstance(value, Date) else repr(value)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool | int | float):
        return repr(value)
    return f"a {type(value).__name__}"


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
