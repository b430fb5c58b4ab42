"""`kg unload --graph NAME`: remove exactly what one named graph contributed, in one transaction.

A relationship or node that only that graph contributed is deleted. One that other graphs contributed to as well
loses the graph from its `_graphs`, and a node also loses the properties and labels that only that graph stated
(per `_graphProps` / `_graphLabels`) and the superclass labels they implied. A multi-valued property that several
graphs contributed to keeps all its values: values are not tracked per graph (see loaders/MAPPING.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import neo4j

from kg.core.cypher_files import own_cypher
from kg.server.connection import Connection
from loaders.graph.class_hierarchy import inferred_labels
from loaders.graph.mapping import DEFAULT_GRAPH, PROVENANCE_SEPARATOR
from loaders.graph.provenance import GRAPH_LABELS, GRAPH_PROPS, GRAPHS, INFERRED_LABELS, RESOURCE_LABEL
from loaders.graph.sessions import load_session
from loaders.graph.writer import GraphWriter


@dataclass(frozen=True)
class NodeUnload:
    delete: bool
    props: dict[str, Any] | None = None  # the node's new full property map (None: unchanged)
    remove_labels: frozenset[str] = frozenset()


@dataclass
class UnloadReport:
    relationships_deleted: int = 0
    relationships_released: int = 0
    nodes_deleted: int = 0
    nodes_updated: int = 0
    labels_removed: int = 0


def plan_node_unload(labels: frozenset[str], props: Mapping[str, Any], graph: str) -> NodeUnload:
    """What unloading `graph` does to one node that it contributed to (pure)."""
    graphs = list(props.get(GRAPHS) or [DEFAULT_GRAPH])
    rest = [g for g in graphs if g != graph]
    if not rest:
        return NodeUnload(delete=True)
    prefix = f"{graph}{PROVENANCE_SEPARATOR}"
    prop_entries = list(props.get(GRAPH_PROPS) or [])
    label_entries = list(props.get(GRAPH_LABELS) or [])
    kept_prop_entries = [e for e in prop_entries if not e.startswith(prefix)]
    kept_label_entries = [e for e in label_entries if not e.startswith(prefix)]
    kept_names = {e.split(PROVENANCE_SEPARATOR, 1)[1] for e in kept_prop_entries}
    dropped_names = {e.split(PROVENANCE_SEPARATOR, 1)[1] for e in prop_entries if e.startswith(prefix)} - kept_names
    kept_labels = {e.split(PROVENANCE_SEPARATOR, 1)[1] for e in kept_label_entries}
    dropped_labels = {e.split(PROVENANCE_SEPARATOR, 1)[1] for e in label_entries if e.startswith(prefix)} - kept_labels

    old_inferred = frozenset(props.get(INFERRED_LABELS) or [])
    asserted = labels - {RESOURCE_LABEL} - old_inferred - dropped_labels
    new_inferred = inferred_labels(asserted) & old_inferred
    remove_labels = frozenset(dropped_labels | (old_inferred - new_inferred)) & labels

    new_props = {k: v for k, v in props.items() if k not in dropped_names}
    if rest == [DEFAULT_GRAPH]:
        new_props.pop(GRAPHS, None)  # no _graphs means the default graph only
    else:
        new_props[GRAPHS] = rest
    if len(rest) > 1:
        new_props[GRAPH_PROPS] = kept_prop_entries
        new_props[GRAPH_LABELS] = kept_label_entries
    else:
        # One graph left: everything on the node is now from it, which `_graphs` alone says.
        new_props.pop(GRAPH_PROPS, None)
        new_props.pop(GRAPH_LABELS, None)
    if new_inferred:
        new_props[INFERRED_LABELS] = sorted(new_inferred)
    else:
        new_props.pop(INFERRED_LABELS, None)
    return NodeUnload(delete=False, props=new_props, remove_labels=remove_labels)


def unload_graph(connection: Connection, graph: str) -> UnloadReport:
    with load_session(connection) as session:
        return session.execute_write(_unload, graph)


def _unload(tx: neo4j.ManagedTransaction, graph: str) -> UnloadReport:
    report = UnloadReport()
    writer = GraphWriter(tx)
    report.relationships_deleted, report.relationships_released = writer.release_graph_relationships(graph)
    deletions: list[str] = []
    replacements: list[dict[str, Any]] = []
    label_groups: dict[frozenset[str], list[str]] = {}
    for record in tx.run(own_cypher("loaders", "graph_nodes"), graph=graph):
        plan = plan_node_unload(frozenset(record["labels"]), record["props"], graph)
        if plan.delete:
            deletions.append(record["uri"])
            continue
        if plan.props is not None:
            replacements.append({"uri": record["uri"], "props": plan.props})
        if plan.remove_labels:
            label_groups.setdefault(plan.remove_labels, []).append(record["uri"])
    writer.delete_nodes(deletions)
    writer.replace_properties(replacements)
    writer.remove_labels(label_groups)
    report.labels_removed = sum(len(uris) * len(labels) for labels, uris in label_groups.items())
    report.nodes_deleted = len(deletions)
    report.nodes_updated = len(replacements)
    return report
