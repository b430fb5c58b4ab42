"""Load a spreadsheet (CSV or XLSX) into the graph, atomically: read -> map (pure) -> look up -> write.

The references of every row are looked up, and every node and relationship written, in one transaction: a bad
row (a missing key, a value of the wrong type, a name that matches no node or several) writes nothing from the
file, and the error names every bad row. Loading the same spreadsheet twice changes nothing.

What the spreadsheet contributes is recorded as the RDF loader records a named graph: its graph name (by default
`file:<file name>`) in `_graphs` of each node and relationship it makes or touches, `graph|property` in
`_graphProps`, `graph|label` in `_graphLabels`; so `kg unload --graph NAME` can take it out again. On a node or
relationship that exists already (from the bundled data or another file) it adds what is missing and never
changes a value that another source gave: such a value is kept and reported as a warning.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError

from kg.core.cypher_files import own_cypher
from kg.core.errors import RowProblem, RowTooLarge, TableError, TypeNameClash
from kg.core.suggest import closest
from kg.server.connection import Connection
from loaders.graph import cypher_text
from loaders.graph.class_hierarchy import inferred_labels
from loaders.graph.mapping import DEFAULT_GRAPH, PROVENANCE_SEPARATOR
from loaders.graph.provenance import (
    GRAPH_LABELS,
    GRAPH_PROPS,
    GRAPHS,
    INFERRED_LABELS,
    RESOURCE_LABEL,
    entries_before,
    inferred_after,
    with_additions,
)
from loaders.graph.races import retrying_races
from loaders.graph.sessions import load_session
from loaders.graph.writer import GraphWriter, StoredNode, batches
from loaders.table.read import Table, read_table
from loaders.table.references import Candidate, ResolvedTable, resolve
from loaders.table.rows import MappedTable, PlannedNode, PlannedRelationship, RefKey, map_rows
from loaders.table.spec import BY_NAME, BY_URI, NAME_PROPERTIES, TableMapping, load_mapping

DEFAULT_BATCH_SIZE = 5_000
def default_graph(path: Path) -> str:
    return f"file:{path.name}"


# -- loading ---------------------------------------------------------------------------------------------------


@dataclass
class TableReport:
    source: str  # the file (and sheet)
    graph: str  # the named graph it was loaded as
    rows: int = 0  # data rows read
    nodes: int = 0  # distinct nodes the spreadsheet makes or updates
    relationships: int = 0  # distinct relationships it states
    links: int = 0  # cells that named a node already in the graph
    reused: int = 0  # nodes found in the graph by a node entry's `existing`
    nodes_created: int = 0
    nodes_updated: int = 0  # nodes that existed and changed (properties, labels or provenance)
    labels_added: int = 0  # labels added to nodes that existed
    relationships_created: int = 0
    relationships_updated: int = 0  # relationships that existed and changed (properties or provenance)
    created_by_label: dict[str, int] = field(default_factory=dict)  # "Component": 12 ("A/B" for several labels)
    relationships_by_type: dict[str, int] = field(default_factory=dict)  # created, by type
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0


def load_table(
    connection: Connection,
    path: Path,
    mapping: TableMapping | Path,
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    graph: str | None = None,
) -> TableReport:
    """Load one spreadsheet in one transaction; nothing is written if any row is bad (`BadRowsError`).

    `graph` overrides the mapping's `graph` (default `file:<file name>`). With `dry_run` it reads, maps and
    looks up as usual and counts what it would write, writing nothing.
    """
    started = time.perf_counter()
    spec = load_mapping(mapping) if isinstance(mapping, Path) else mapping
    table = read_table(path, spec)
    mapped = map_rows(table.frame, spec, where=table.where, row_numbers=table.row_numbers, sheet=table.sheet)
    graph_name = graph if graph is not None else spec.graph or default_graph(path)
    if not graph_name:
        raise TableError(f"{table.where}: a spreadsheet is loaded into a named graph: the graph name cannot be empty")
    # The embedded default keeps labels and relationship types in one set of types: a name cannot be both.
    distinct = connection.backend == "embedded"

    def attempt() -> TableReport:  # each attempt from the start: a concurrent load may have got in first
        work = _Load(mapped, spec, graph_name, batch_size, dry_run, distinct_type_names=distinct)
        with load_session(connection) as session:
            return session.execute_read(work.run) if dry_run else session.execute_write(work.run)

    try:
        report = retrying_races(connection.backend, attempt)
    except Neo4jError as error:
        message = (error.message or str(error)).strip().splitlines()[0]
        raise TableError(f"{table.where}: the database refused the load: {message}") from error
    except RowTooLarge as error:
        raise TableError(f"{table.where}: {error}") from error
    report.warnings[:0] = list(table.notes)
    if sheet_note := _sheet_note(spec, table):
        report.warnings.insert(0, sheet_note)
    report.seconds = time.perf_counter() - started
    return report


def _sheet_note(mapping: TableMapping, table: Table) -> str | None:
    if mapping.sheet is not None and table.sheet is None:
        return f"{table.where}: a CSV file has no sheets; `sheet: {mapping.sheet}` in {mapping.source} is ignored"
    return None


@dataclass
class _Load:
    """One load's work inside its transaction (run again whole if the transaction is retried)."""

    mapped: MappedTable
    mapping: TableMapping
    graph: str
    batch_size: int
    dry_run: bool
    distinct_type_names: bool = False

    def run(self, tx: neo4j.ManagedTransaction) -> TableReport:
        writer = GraphWriter(tx, batch_size=self.batch_size, dry_run=self.dry_run,
                             distinct_type_names=self.distinct_type_names,
                             clash_remedy="rename one of them in the mapping")
        found, suggestions = look_up(tx, self.mapped.lookups(), self.batch_size)
        resolved = resolve(self.mapped, found, suggestions)
        resolved.check()
        report = TableReport(
            self.mapped.where, self.graph, rows=resolved.rows, nodes=len(resolved.nodes),
            relationships=len(resolved.relationships), links=resolved.links, reused=resolved.reused,
            dry_run=self.dry_run,
        )
        report.warnings.extend(self.term_warnings(writer))
        self.check_type_names(writer, resolved)
        stored = writer.lookup(list(resolved.nodes)) if resolved.nodes else {}
        self.write_nodes(writer, resolved, stored, report)
        self.write_relationships(tx, writer, resolved, report)
        report.nodes_created = writer.counts.nodes_created
        report.nodes_updated = writer.counts.nodes_updated
        report.labels_added = writer.counts.labels_added
        return report

    def where(self, row: int) -> str:
        return f"{self.mapped.where}: {RowProblem(row, '', self.mapped.sheet).location}"

    def write_nodes(
        self, writer: GraphWriter, resolved: ResolvedTable, stored: Mapping[str, StoredNode], report: TableReport
    ) -> None:
        new: dict[frozenset[str], list[dict[str, Any]]] = {}
        updates: list[dict[str, Any]] = []
        label_groups: dict[frozenset[str], list[str]] = {}
        for uri, node in resolved.nodes.items():
            asserted = frozenset(node.labels)
            implied = inferred_labels(asserted)
            known = stored.get(uri)
            if known is None:
                new.setdefault(asserted | implied, []).append(new_node_props(node, self.graph, implied))
                name = "/".join(sorted(asserted))
                report.created_by_label[name] = report.created_by_label.get(name, 0) + 1
                continue
            what = f"{node.describe()} ({uri})"
            changed, warnings = merge_with_stored(
                node.props, known.props, self.graph, what, self.where(node.row), labels=asserted,
                stored_labels=known.labels,
            )
            report.warnings.extend(warnings)
            missing = (asserted | implied) - known.labels
            if missing:
                label_groups.setdefault(frozenset(missing), []).append(uri)
            # Superclass labels the node gets from this load are inferred; labels it had already stay as they were.
            inferred_before = set(known.props.get(INFERRED_LABELS) or [])
            inferred_now = inferred_after(inferred_before, implied, asserted, known.labels)
            if inferred_now != inferred_before:
                changed[INFERRED_LABELS] = sorted(inferred_now)
            if changed:
                updates.append({"uri": uri, "props": changed})
        writer.create_nodes(new)
        writer.update_nodes(updates)
        writer.add_labels(label_groups)

    def write_relationships(
        self, tx: neo4j.ManagedTransaction, writer: GraphWriter, resolved: ResolvedTable, report: TableReport
    ) -> None:
        by_type: dict[str, list[tuple[str, str, PlannedRelationship]]] = {}
        for (start, relationship_type, end), planned in resolved.relationships.items():
            by_type.setdefault(relationship_type, []).append((start, end, planned))
        for relationship_type, items in sorted(by_type.items()):
            pairs = [(s, e) for s, e, _ in items]
            side = cypher_text.expansion_side(pairs)
            stored = read_relationships(tx, relationship_type, pairs, side, self.batch_size)
            new: list[dict[str, Any]] = []
            changed_rows: list[dict[str, Any]] = []
            for start, end, planned in items:
                have = stored.get((start, end))
                if have is None:
                    new.append({"start": start, "end": end, "props": new_relationship_props(planned, self.graph)})
                    continue
                what = f"relationship {relationship_type} {start} -> {end}"
                changed, warnings = merge_with_stored(planned.props, have, self.graph, what,
                                                      self.where(planned.row))
                report.warnings.extend(warnings)
                if changed:
                    changed_rows.append({"start": start, "end": end, "props": changed})
            writer.create_relationships_with_props(relationship_type, new)
            writer.update_relationship_props(relationship_type, side, changed_rows)
            report.relationships_created += len(new)
            report.relationships_updated += len(changed_rows)
            if new:
                report.relationships_by_type[relationship_type] = len(new)

    def check_type_names(self, writer: GraphWriter, resolved: ResolvedTable) -> None:
        """Refuse, before writing anything, a name that would be both a label and a relationship type."""
        labels = {RESOURCE_LABEL}
        for node in resolved.nodes.values():
            labels |= node.labels | inferred_labels(frozenset(node.labels))
        types = {relationship_type for _, relationship_type, _ in resolved.relationships}
        try:
            writer.check_names(labels, types)
        except TypeNameClash as clash:
            raise TypeNameClash(f"{self.mapping.source}: {clash}") from None

    def term_warnings(self, writer: GraphWriter) -> list[str]:
        """Labels and relationship types that the graph's loaded vocabulary does not know: often a typo."""
        terms = writer.terms()
        known = {kind: {name for k, name, _ in terms if k == kind} for kind in ("label", "relationship")}
        warnings = []
        used = {
            "label": sorted({label for node in self.mapping.nodes for label in node.labels}
                            | {label for match in self.mapping.matches for label in match.labels}),
            "relationship": sorted({r.type for r in self.mapping.relationships}),
        }
        for kind, names in used.items():
            if not known[kind]:
                continue
            for name in names:
                if name not in known[kind]:
                    close = closest(name, sorted(known[kind]))
                    hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
                    what = "label" if kind == "label" else "relationship type"
                    warnings.append(f"{self.mapping.source}: the {what} {name!r} is new to the graph{hint}")
        return warnings


def new_node_props(node: PlannedNode, graph: str, implied: frozenset[str]) -> dict[str, Any]:
    """The full property map of a node that the spreadsheet creates: from one graph, `_graphs` alone says where
    everything on it came from (see loaders.graph.provenance)."""
    props = {**node.props, "uri": node.uri, GRAPHS: [graph]}
    if implied:
        props[INFERRED_LABELS] = sorted(implied)
    return props


def new_relationship_props(relationship: PlannedRelationship, graph: str) -> dict[str, Any]:
    return {**relationship.props, GRAPHS: [graph]}


def merge_with_stored(
    planned: Mapping[str, Any],
    stored: Mapping[str, Any],
    graph: str,
    what: str,
    where: str,
    *,
    labels: frozenset[str] | None = None,
    stored_labels: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], list[str]]:
    """What to set on a node or relationship that exists (pure): the properties the spreadsheet gives that it
    lacks or that only this graph gave it, and the graph's provenance (as loaders.graph.provenance keeps it: `_graphs`
    alone while one graph made it; `_graphProps`/`_graphLabels` entries "graph|name" once several did, what it
    had before attributed to the graph it came from). A value that another source gave and the spreadsheet
    contradicts is kept, with a warning. `labels` are the labels the spreadsheet states (None: a relationship).
    """
    before_graphs = list(stored.get(GRAPHS) or [DEFAULT_GRAPH])
    graphs = with_additions(before_graphs, [graph])
    changed: dict[str, Any] = {}
    warnings: list[str] = []
    if graphs == [graph]:  # made by this graph alone: everything on it is the spreadsheet's
        changed.update({name: value for name, value in planned.items() if stored.get(name) != value})
        return changed, warnings
    props_before, labels_before = entries_before(stored, stored_labels)
    owners: dict[str, set[str]] = {}
    for entry in props_before:
        source, _, name = entry.rpartition(PROVENANCE_SEPARATOR)
        owners.setdefault(name, set()).add(source)
    taken = []
    for name, value in planned.items():
        have = stored.get(name)
        owned = owners.get(name, set())
        if have is None or have == value or owned == {graph}:
            if have != value:
                changed[name] = value
            taken.append(f"{graph}{PROVENANCE_SEPARATOR}{name}")
            continue
        others = sorted(owned - {graph})
        source = ", ".join(_graph_name(g) for g in others) if others else "a source with no record"
        warnings.append(f"{where}: {what} keeps {name} = {_show(have)} from {source}; "
                        f"the spreadsheet's {_show(value)} is not loaded")
    graph_props = with_additions(props_before, taken)
    graph_labels = with_additions(labels_before, (f"{graph}{PROVENANCE_SEPARATOR}{label}" for label in labels or ()))
    if graphs != list(stored.get(GRAPHS) or []):
        changed[GRAPHS] = graphs
    if graph_props != list(stored.get(GRAPH_PROPS) or []):
        changed[GRAPH_PROPS] = graph_props
    if labels is not None and graph_labels != list(stored.get(GRAPH_LABELS) or []):
        changed[GRAPH_LABELS] = graph_labels
    return changed, warnings


# -- look-ups --------------------------------------------------------------------------------------------------


def look_up(
    tx: neo4j.ManagedTransaction, keys: Iterable[RefKey], batch_size: int
) -> tuple[dict[RefKey, list[Candidate]], dict[RefKey, list[str]]]:
    """Find the nodes that references name: one query per kind of reference (how, and which labels), in batches;
    for names that found nothing, the closest names of nodes with those labels."""
    kinds: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for key in keys:
        kinds.setdefault((key.by, key.labels), []).append(key.value)
    found: dict[RefKey, list[Candidate]] = {}
    suggestions: dict[RefKey, list[str]] = {}
    for (by, labels), values in sorted(kinds.items()):
        values = sorted(set(values))
        for batch in batches(values, batch_size):
            if by == BY_URI:
                records = tx.run(own_cypher("loaders", "table_lookup_uris"), labels=list(labels), values=list(batch))
            else:
                properties = list(NAME_PROPERTIES) if by == BY_NAME else [by]
                records = tx.run(own_cypher("loaders", "table_lookup"), labels=list(labels), properties=properties,
                                 values=list(batch))
            for record in records:
                candidate = Candidate(
                    record["uri"],
                    None if record["name"] is None else str(record["name"]),
                    tuple(sorted(label for label in record["labels"] if label != "Resource")),
                )
                found.setdefault(RefKey(by, labels, record["value"]), []).append(candidate)
        unmatched = [v for v in values if RefKey(by, labels, v) not in found]
        if by == BY_NAME and unmatched:
            names = _names(tx, labels)
            for value in unmatched:
                close = closest(value, names)
                suggestions[RefKey(by, labels, value)] = [names[c] for c in close]
    return found, suggestions


def _names(tx: neo4j.ManagedTransaction, labels: Sequence[str]) -> dict[str, str]:
    """Lower-cased name -> name as written, of the nodes with one of the labels."""
    names: dict[str, str] = {}
    for record in tx.run(own_cypher("loaders", "table_names"), labels=list(labels)):
        for value in [record["name"], *(_as_list(record["altLabels"]))]:
            if isinstance(value, str):
                names.setdefault(" ".join(value.split()).lower(), value)
    return names


def read_relationships(
    tx: neo4j.ManagedTransaction, relationship_type: str, pairs: Sequence[tuple[str, str]], side: str,
    batch_size: int,
) -> dict[tuple[str, str], dict[str, Any]]:
    """The properties of the relationships of this type that exist between the given (start, end) uris."""
    wanted = set(pairs)
    uris = sorted({s for s, _ in pairs} if side == "start" else {e for _, e in pairs})
    found: dict[tuple[str, str], dict[str, Any]] = {}
    text = cypher_text.read_relationships(relationship_type, side)
    for batch in batches(uris, batch_size):
        for record in tx.run(text, uris=list(batch)):
            pair = (record["start"], record["end"])
            if pair in wanted:
                found.setdefault(pair, dict(record["props"]))
    return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _graph_name(graph: str) -> str:
    return "the default graph" if graph == "" else repr(graph)


def _show(value: Any) -> str:
    return repr(value) if not hasattr(value, "iso_format") else repr(value.iso_format())
