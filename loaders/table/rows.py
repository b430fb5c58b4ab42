"""Rows in, planned nodes and relationships out (pure): `map_rows` turns a pandas DataFrame into them by a
mapping, collecting every bad row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j.time import Date

from kg.core.errors import BadRowsError, RowProblem, TableError
from kg.core.suggest import closest
from loaders.table.cells import cell_text, convert, node_namespace, normalise, slug
from loaders.table.spec import MatchSpec, NodeSpec, PropertySpec, TableMapping


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



def _show(value: Any) -> str:
    return repr(str(value)) if isinstance(value, Date) else repr(value)
