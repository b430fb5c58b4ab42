"""A spreadsheet's mapping file: parsed and checked into a `TableMapping`.

A mapping (YAML) says which columns make which nodes, which cells name nodes already in the graph, and which
relationships join them. `parse_mapping` validates it (a `ConfigError` names the mapping file and the key at
fault); `loaders.table.rows` turns rows into planned nodes and relationships by it, `loaders.table.references`
puts in the uris that the graph look-ups found, and `loaders.table.load` reads the file, looks references up and
writes. The format, for an analyst, with an example:

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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kg.core.errors import ConfigError
from kg.core.suggest import closest
from kg.core.vocabulary import ID
from loaders.graph.yaml_files import parse_yaml

DEFAULT_NAMESPACE = ID
DEFAULT_SEPARATOR = ";"
BY_NAME = "name"
BY_URI = "uri"
NAME_PROPERTIES = ("name", "altLabels")  # what `by: name` compares with, case-insensitively

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED_PROPERTIES = {"uri"}  # and every name that starts with "_" (provenance: _graphs, _graphProps, …)
_RESERVED_LABELS = {"Resource"}  # every node has it already



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
