"""Load one RDF file into the graph, atomically: parse -> map -> write, all in one transaction.

Two passes over the file: the first collects every node's labels (from rdf:type), so that each new node is created
with all its labels at once; the second maps statements in chunks and writes them. A syntax error, a failed
write or any other error anywhere in the file rolls the whole file back.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import neo4j
import pyoxigraph as ox

from kg.connection import Connection
from loaders.class_hierarchy import inferred_labels
from loaders.graph_config import GraphConfig
from loaders.mapping import DEFAULT_GRAPH, BlankNodeIds, ChunkMapping, StatementMapper
from loaders.merge import INFERRED_LABELS, merge_node
from loaders.naming import Namer, PrefixMap, TermKind
from loaders.rdf_source import RdfFile
from loaders.writer import GraphWriter, StoredNode, WriteCounts

DEFAULT_BATCH_SIZE = 20_000
T = TypeVar("T")
Progress = Callable[[int], None]  # called with the number of statements read so far


@dataclass(frozen=True)
class LoadOptions:
    config: GraphConfig
    batch_size: int = DEFAULT_BATCH_SIZE
    graph: str = DEFAULT_GRAPH  # the named graph for statements of the default graph (--graph)
    dry_run: bool = False
    distinct_type_names: bool = True  # refuse a name that is both label and relationship type (embedded default)


@dataclass
class FileReport:
    statements_read: int = 0
    statements_loaded: int = 0  # read, less those filtered out and values dropped (n10s's triplesLoaded)
    values_dropped: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    seconds: float = 0.0


def load_rdf_file(
    connection: Connection, source: RdfFile, options: LoadOptions, progress: Progress | None = None
) -> FileReport:
    """Load `source` in one transaction (retried whole on a transient error); nothing is kept if it fails."""
    started = time.perf_counter()
    with connection.driver.session(database=connection.database) as session:
        if options.dry_run:
            report = session.execute_read(_load, source, options, progress)
        else:
            report = session.execute_write(_load, source, options, progress)
    report.seconds = time.perf_counter() - started
    return report


def _load(tx: neo4j.ManagedTransaction, source: RdfFile, options: LoadOptions, progress: Progress | None) -> FileReport:
    config = options.config
    writer = GraphWriter(
        tx, batch_size=options.batch_size, dry_run=options.dry_run, distinct_type_names=options.distinct_type_names
    )
    stored_forms = {name: form for kind, name, form in writer.terms() if kind == TermKind.LITERAL.value}
    namer = Namer(config, PrefixMap.start(config, writer.prefixes()), literal_forms=stored_forms)
    scope = source.content_scope()

    def mapper() -> StatementMapper:
        return StatementMapper(config, namer, BlankNodeIds(scope), options.graph)

    labels = mapper().labels_of(source.quads())
    inferred = {uri: found for uri, ls in labels.items() if (found := inferred_labels(ls))} if config.readable else {}
    state = _FileState(labels=labels, inferred=inferred, graph_had_data=writer.has_resources())
    report = FileReport()
    second_pass = mapper()
    mapped = (
        (len(chunk), second_pass.map(chunk)) for chunk in _chunks(source.quads(), options.batch_size)
    )
    for read, mapping in _ahead(mapped):
        report.statements_read += read
        report.statements_loaded += mapping.statements
        report.values_dropped += _write_chunk(writer, mapping, state)
        if progress is not None:
            progress(report.statements_read)
    report.statements_loaded -= report.values_dropped
    writer.save_prefixes(namer.prefixes.assigned)
    writer.save_terms((kind.value, name, iri) for (kind, name), iri in sorted(namer.terms.items()))
    report.counts = writer.counts
    return report


@dataclass
class _FileState:
    """What the load of one file knows across its chunks."""

    labels: dict[str, set[str]]  # from pass one: every node's labels in this file
    inferred: dict[str, frozenset[str]]  # superclass labels implied by them (readable default only)
    graph_had_data: bool  # False: no node of this file can exist before it, no look-ups needed
    created: dict[str, frozenset[str]] = field(default_factory=dict)  # uri -> graphs written, for nodes made here
    labelled: set[str] = field(default_factory=set)  # pre-existing nodes whose labels are already brought up to date
    _graph_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def intern(self, graphs: Iterable[str]) -> frozenset[str]:
        """One shared frozenset per set of graphs: most files have one, so a million nodes cost one set."""
        key = frozenset(graphs)
        return self._graph_sets.setdefault(key, key)


def _write_chunk(writer: GraphWriter, mapping: ChunkMapping, state: _FileState) -> int:
    """Write one chunk's nodes and relationships; the number of values dropped for clashing types."""
    to_look_up = [
        uri
        for uri, update in mapping.nodes.items()
        if (uri in state.created and (update.props or not update.graphs <= state.created[uri]))
        or (uri not in state.created and state.graph_had_data)
    ]
    stored = writer.lookup(to_look_up) if to_look_up else {}
    new_groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    updates: list[dict[str, Any]] = []
    label_groups: dict[frozenset[str], list[str]] = {}
    dropped = 0
    for uri, update in mapping.nodes.items():
        known: StoredNode | None = stored.get(uri)
        if known is None and uri in state.created:
            continue  # made earlier in this file and nothing new to say about it
        merged = merge_node(
            known.props if known else None, update, mapping.multivalued, known.labels if known else frozenset()
        )
        dropped += merged.dropped
        implied = state.inferred.get(uri, frozenset())
        if known is None:
            labels = frozenset(state.labels.get(uri, ())) | implied
            props = {**merged.props, "uri": uri}
            if implied:
                props[INFERRED_LABELS] = sorted(implied)
            new_groups.setdefault(labels, []).append(props)
            state.created[uri] = state.intern(update.graphs)
            continue
        changes = dict(merged.props)
        if uri in state.created:
            state.created[uri] = state.intern(state.created[uri] | update.graphs)
        elif uri not in state.labelled:
            state.labelled.add(uri)
            asserted = frozenset(state.labels.get(uri, ()))
            missing = (asserted | implied) - known.labels
            if missing:
                label_groups.setdefault(missing, []).append(uri)
            before = set(known.props.get(INFERRED_LABELS) or [])
            after = (before | implied) - asserted
            if after != before:
                changes[INFERRED_LABELS] = sorted(after)
        if changes:
            updates.append({"uri": uri, "props": changes})
    writer.create_nodes(new_groups)
    writer.update_nodes(updates)
    writer.add_labels(label_groups)
    # A node created by this chunk has no relationship yet: its relationships can be created without a MERGE.
    created_now = {row["uri"] for rows in new_groups.values() for row in rows}
    to_merge: dict[str, list[dict[str, Any]]] = {}
    to_create: dict[str, list[dict[str, Any]]] = {}
    for (start, relationship_type, end), graphs in mapping.relationships.items():
        target = to_create if start in created_now else to_merge
        target.setdefault(relationship_type, []).append({"start": start, "end": end, "graphs": sorted(graphs)})
    writer.merge_relationships(to_create, new_starts=True)
    writer.merge_relationships(to_merge)
    return dropped


_DONE = object()


def _ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced by a thread of their own up to `depth` ahead: the next chunk is parsed and mapped while
    the server writes this one (the driver waits on its socket without holding the interpreter's lock).
    An error in the producer is raised here; stopping early stops the producer."""
    results: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        results.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            results.put(_DONE)
        except BaseException as error:  # handed to the consumer, which raises it
            results.put(error)

    producer = threading.Thread(target=produce, name="kg-map-ahead", daemon=True)
    producer.start()
    try:
        while True:
            item = results.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        producer.join()


def _chunks(quads: Iterator[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    while chunk := list(islice(quads, size)):
        yield chunk
