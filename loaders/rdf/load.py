"""Load one RDF file into the graph, atomically: parse -> map -> write, all in one transaction.

Two passes over the file: the first collects every node's labels (from rdf:type) and the graphs stating them, so
that each node is written with all its labels, and their provenance, at once; the second maps statements in
chunks and writes them. A syntax error, a failed write or any other error anywhere in the file rolls the whole
file back.

What the load itself made needs no look-up: a node made as a relationship's target before any statement about it
is remembered with what it holds ("bare"), and a node made in a chunk is made in the same statement as its
relationships of the default graph (CREATE, not MERGE: it has none yet).
"""

from __future__ import annotations

import gc
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import neo4j
import pyoxigraph as ox

from kg.server.connection import Connection
from loaders.graph.class_hierarchy import inferred_labels
from loaders.graph.config import GraphConfig
from loaders.graph.mapping import (
    DEFAULT_GRAPH,
    PROVENANCE_SEPARATOR,
    BlankNodeIds,
    ChunkMapping,
    FileLabels,
    NodeUpdate,
    StatementMapper,
)
from loaders.graph.naming import Namer, PrefixMap, TermKind
from loaders.graph.provenance import INFERRED_LABELS, RESOURCE_LABEL, inferred_after, merge_node
from loaders.graph.races import retrying_races
from loaders.graph.sessions import load_session
from loaders.graph.writer import GraphWriter, StoredNode, WriteCounts
from loaders.rdf import DEFAULT_BATCH_SIZE
from loaders.rdf.source import RdfFile

T = TypeVar("T")
Progress = Callable[[int], None]  # called with the number of statements read so far


# What to do about a name that would be both a label and a relationship type on the embedded server.
CLASH_REMEDY = (
    "give one of them another name (handleVocabUris MAP with mappings in a graph config), or load this data into Neo4j"
)


# A graph with at most this many resources per node of the file is read whole (every uri) rather than searched
# for each of the file's nodes: on the embedded default a search by uri costs 70-140 us on top of the bundled
# dataset (one index per label set), reading one uri of the whole graph about a tenth of that.
READ_WHOLE_GRAPH_BELOW = 5


@dataclass(frozen=True)
class LoadOptions:
    config: GraphConfig
    batch_size: int = DEFAULT_BATCH_SIZE
    graph: str = DEFAULT_GRAPH  # the named graph for statements of the default graph (--graph)
    dry_run: bool = False


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
    """Load `source` in one transaction; nothing is kept if it fails. The transaction is retried whole on a
    transient error (by the driver) and when a load running at the same time got in first (a prefix or name it
    saved, or a node of the same uri it created): the file is then loaded again from the graph as it is now."""
    started = time.perf_counter()
    # The embedded server cannot hold one name as both a label and a relationship type: refuse such a file there.
    distinct = connection.backend == "embedded"

    def attempt() -> FileReport:
        with _fewer_collections(), load_session(connection) as session:
            if options.dry_run:
                return session.execute_read(_load, source, options, distinct, progress)
            return session.execute_write(_load, source, options, distinct, progress)

    report = retrying_races(connection.backend, attempt)
    report.seconds = time.perf_counter() - started
    return report


def _load(
    tx: neo4j.ManagedTransaction, source: RdfFile, options: LoadOptions, distinct_type_names: bool,
    progress: Progress | None,
) -> FileReport:
    config = options.config
    writer = GraphWriter(tx, batch_size=options.batch_size, dry_run=options.dry_run,
                         distinct_type_names=distinct_type_names, clash_remedy=CLASH_REMEDY)
    stored_forms = {name: form for kind, name, form in writer.terms() if kind == TermKind.LITERAL.value}
    namer = Namer(config, PrefixMap.start(config, writer.prefixes()), literal_forms=stored_forms,
                  type_names_are_file_names=distinct_type_names)
    scope = source.content_scope()

    def mapper() -> StatementMapper:
        return StatementMapper(config, namer, BlankNodeIds(scope), options.graph)

    labels = mapper().file_labels(source.quads())
    inferred = (
        {uri: found for uri, ls in labels.labels.items() if (found := inferred_labels(ls))} if config.readable else {}
    )
    stored = writer.resource_count()
    if stored == 0:
        existing: set[str] | None = set()  # no node of this file can exist before it: nothing to look up
    elif stored <= READ_WHOLE_GRAPH_BELOW * len(labels.labels):
        existing = writer.resource_uris()
    else:
        existing = None
    state = _FileState(labels=labels, inferred=inferred, existing=existing)
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

    labels: FileLabels  # from pass one: every node's labels in this file, and the graphs that state them
    inferred: dict[str, frozenset[str]]  # superclass labels implied by them (readable default only)
    # Every uri the graph held before the load, when known (empty for an empty graph, read whole for a graph small
    # beside the file): only those are looked up. None: any node may exist, each is looked up.
    existing: set[str] | None
    created: dict[str, frozenset[str]] = field(default_factory=dict)  # uri -> graphs written, for nodes made here
    # Nodes made here that no statement has yet been about as subject (made as relationship targets): what they
    # hold is known without a look-up (their provenance properties, None for none), and they have no outgoing
    # relationship yet. Most nodes of a file are made so when they are named before they are described.
    bare: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    labelled: set[str] = field(default_factory=set)  # pre-existing nodes whose labels are already brought up to date
    _graph_sets: dict[frozenset[str], frozenset[str]] = field(default_factory=dict)

    def intern(self, graphs: Iterable[str]) -> frozenset[str]:
        """One shared frozenset per set of graphs: most files have one, so a million nodes cost one set."""
        key = frozenset(graphs)
        return self._graph_sets.setdefault(key, key)


def _write_chunk(writer: GraphWriter, mapping: ChunkMapping, state: _FileState) -> int:
    """Write one chunk's nodes and relationships; the number of values dropped for clashing types."""
    starts = {start for start, _, _ in mapping.relationships}
    stored, unbared = _stored_nodes(writer, mapping, state, starts)
    nodes = _plan_nodes(mapping, state, stored, starts, keep_bare=not writer.dry_run)
    linked, to_create, to_merge = _plan_relationships(mapping, nodes.new_groups, unbared)
    writer.create_nodes({labels: rows for labels, rows in nodes.new_groups.items() if rows})
    writer.create_nodes_with_relationships({labels: rows for labels, rows in linked.items() if rows})
    writer.update_nodes(nodes.updates)
    writer.add_labels(nodes.label_groups)
    writer.merge_relationships(to_create, new_starts=True)
    writer.merge_relationships(to_merge)
    return nodes.dropped


def _stored_nodes(
    writer: GraphWriter, mapping: ChunkMapping, state: _FileState, starts: set[str]
) -> tuple[dict[str, StoredNode], dict[str, dict[str, Any] | None]]:
    """What the graph holds of the chunk's nodes, looked up only where this file's own record cannot tell; and the
    bare nodes that the chunk says something about as subject, known without a look-up (their relationships are
    created without a MERGE: they have none yet), which are bare no longer."""
    unbared = {
        uri: state.bare.pop(uri)
        for uri, update in mapping.nodes.items()
        if uri in state.bare and (update.props or update.literal_forms or uri in starts)
    }
    to_look_up = [
        uri
        for uri, update in mapping.nodes.items()
        if (
            uri in state.created
            and uri not in unbared
            and uri not in state.bare
            and (update.props or not update.graphs <= state.created[uri])
        )
        or (
            uri not in state.created
            and (state.existing is None or uri in state.existing)
        )
    ]
    stored = writer.lookup(to_look_up) if to_look_up else {}
    for uri, extra in unbared.items():
        stored[uri] = _bare_node(uri, extra, state)
    for uri, update in mapping.nodes.items():
        if uri in state.bare and not update.graphs <= state.created[uri]:
            stored[uri] = _bare_node(uri, state.bare.pop(uri), state)  # new graphs to record: an update
    return stored, unbared


@dataclass
class _NodePlan:
    new_groups: dict[frozenset[str], list[dict[str, Any]]] = field(default_factory=dict)  # by label set
    updates: list[dict[str, Any]] = field(default_factory=list)
    label_groups: dict[frozenset[str], list[str]] = field(default_factory=dict)  # labels to add -> uris
    dropped: int = 0


def _plan_nodes(
    mapping: ChunkMapping, state: _FileState, stored: Mapping[str, StoredNode], starts: set[str], keep_bare: bool
) -> _NodePlan:
    """The nodes to create (grouped by labels), the properties and labels to add to stored ones."""
    plan = _NodePlan()
    for uri, update in mapping.nodes.items():
        known = stored.get(uri)
        if known is None and uri in state.created:
            continue  # made earlier in this file and nothing new to say about it
        if known is None or (uri not in state.created and uri not in state.labelled):
            _add_file_labels(update, state.labels, uri)  # the node's first write in this file
        merged = merge_node(
            known.props if known else None, update, mapping.multivalued, known.labels if known else frozenset()
        )
        plan.dropped += merged.dropped
        implied = state.inferred.get(uri, frozenset())
        if known is None:
            labels = state.labels.labels.get(uri, frozenset()) | implied
            props = {**merged.props, "uri": uri}
            if implied:
                props[INFERRED_LABELS] = sorted(implied)
            plan.new_groups.setdefault(labels, []).append(props)
            state.created[uri] = state.intern(update.graphs)
            if not update.props and not update.literal_forms and uri not in starts and keep_bare:
                state.bare[uri] = {k: v for k, v in props.items() if k != "uri"} or None
            continue
        changes = dict(merged.props)
        if uri in state.created:
            state.created[uri] = state.intern(state.created[uri] | update.graphs)
        elif uri not in state.labelled:
            state.labelled.add(uri)
            asserted = state.labels.labels.get(uri, frozenset())
            missing = (asserted | implied) - known.labels
            if missing:
                plan.label_groups.setdefault(missing, []).append(uri)
            before = set(known.props.get(INFERRED_LABELS) or [])
            after = inferred_after(before, implied, asserted, known.labels)
            if after != before:
                changes[INFERRED_LABELS] = sorted(after)
        if changes:
            plan.updates.append({"uri": uri, "props": changes})
    return plan


def _plan_relationships(
    mapping: ChunkMapping,
    new_groups: dict[frozenset[str], list[dict[str, Any]]],
    unbared: Mapping[str, Any],
) -> tuple[
    dict[frozenset[str], list[tuple[dict[str, Any], dict[str, list[str]]]]],
    dict[str, list[dict[str, Any]]],
    dict[str, list[dict[str, Any]]],
]:
    """The relationships, each written the cheapest way it can: a node created by this chunk has no relationship
    yet, so its relationships need no MERGE, and those of the default graph go in the very statement that creates
    it once their end nodes exist (the nodes without such relationships are created first, so only a relationship
    between two nodes that both have such relationships waits for the statement after). Takes the nodes created
    with their relationships out of `new_groups`; returns them by labels, and the relationships to create and to
    merge by type."""
    created_now = {row["uri"] for rows in new_groups.values() for row in rows}
    attached: dict[str, dict[str, list[str]]] = {}
    for start, relationship_type, end in mapping.relationships:
        if start in created_now and mapping.relationships[start, relationship_type, end] == _DEFAULT_ONLY:
            attached.setdefault(start, {})
    to_merge: dict[str, list[dict[str, Any]]] = {}
    to_create: dict[str, list[dict[str, Any]]] = {}
    for (start, relationship_type, end), graphs in mapping.relationships.items():
        if start in attached and end not in attached and graphs == _DEFAULT_ONLY:
            attached[start].setdefault(relationship_type, []).append(end)
            continue
        target = to_create if start in created_now or start in unbared else to_merge
        target.setdefault(relationship_type, []).append({"start": start, "end": end, "graphs": sorted(graphs)})
    linked: dict[frozenset[str], list[tuple[dict[str, Any], dict[str, list[str]]]]] = {}
    if attached:
        for labels in list(new_groups):
            rows = new_groups[labels]
            linked[labels] = [(row, attached[row["uri"]]) for row in rows if attached.get(row["uri"])]
            new_groups[labels] = [row for row in rows if not attached.get(row["uri"])]
    return linked, to_create, to_merge


_DEFAULT_ONLY = frozenset({DEFAULT_GRAPH})


_collections_lock = threading.Lock()
_collections_state: dict[str, Any] = {"loads": 0, "before": None, "during": None}


@contextmanager
def _fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the interpreter's cycle collector less often during a load, restoring its thresholds afterwards
    (when the last of several concurrent loads ends).

    A load allocates millions of small containers that live until their chunk is written and hold no cycles;
    with the default threshold (700) the collector runs thousands of times over them and takes about a third
    of the mapping's time. Reference counting still frees everything as soon as it is unused. Thresholds changed
    by someone else during the load are left as they are."""
    with _collections_lock:
        if _collections_state["loads"] == 0:
            before = gc.get_threshold()
            during = (max(before[0], threshold), *before[1:])
            _collections_state["before"], _collections_state["during"] = before, during
            gc.set_threshold(*during)
        _collections_state["loads"] += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_state["loads"] -= 1
            # Restored only if still what the load set: thresholds someone else set meanwhile are theirs to keep.
            if _collections_state["loads"] == 0 and gc.get_threshold() == _collections_state["during"]:
                gc.set_threshold(*_collections_state["before"])


def _add_file_labels(update: NodeUpdate, labels: FileLabels, uri: str) -> None:
    """Give a node's first write in this file all the labels the file states for it, with the graphs that state
    them (from pass one): a node is created with all its labels, so their provenance goes with them, whichever
    chunks its rdf:type statements fall in. A graph that states a label is one of the node's graphs from then on,
    so a node with one graph only ever has labels that graph states (what merge_node relies on)."""
    for graph, label in labels.sources(uri):
        update.graphs.add(graph)
        update.label_graphs.add(f"{graph}{PROVENANCE_SEPARATOR}{label}")


def _bare_node(uri: str, extra: dict[str, Any] | None, state: _FileState) -> StoredNode:
    """What a bare node holds: exactly what it was created with."""
    labels = state.labels.labels.get(uri, frozenset()) | state.inferred.get(uri, frozenset()) | {RESOURCE_LABEL}
    return StoredNode(labels, {**(extra or {}), "uri": uri})


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
