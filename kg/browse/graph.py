"""Graphs for the graph browser's answers (web/API.md: KINDS, `graph`): a node's kind, graph nodes and edges with
stable ids, and the graph of a result, built from its path columns (lists of names) and from the Node, Relationship
and Path values in its rows.

Pure functions, except `add_name_paths` and `result_graph`, which resolve names through the two queries of a
`Runner` (kg.cypher.recording.RecordedRuns, the page's CypherLog) passed in.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from neo4j.graph import Node, Path, Relationship

from kg.core.kinds import kind_of, pick_named
from kg.cypher.plain import plain
from kg.cypher.results import QueryResult
from kg.reports.model import is_path_column

PATH_STEP = "PATH_STEP"  # an edge between consecutive names of a path column that no relationship links directly


class Runner(Protocol):
    """What resolving names needs: one of kg's own queries, run and recorded (kg.browse.api.CypherLog)."""

    def internal(self, name: str, /, **parameters: Any) -> QueryResult: ...


# Nodes and kinds ----------------------------------------------------------------------------------------------


def shown_labels(labels: Iterable[str]) -> list[str]:
    """A node's labels without `Resource`, which the loader gives every node."""
    return sorted(set(labels) - {"Resource"})


def name_text(value: Any) -> str:
    """A name property as text: a string as it is, a number or a date as written (`rdfs:label 42` is "42"),
    a list (several labels) as its values joined with "; "; "" for none."""
    value = plain(value)
    if value is None or isinstance(value, (Mapping, bytes, bytearray)):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(text for text in (name_text(v) for v in value) if text)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def local_name(uri: str) -> str:
    """The last segment of a uri (after its last / or #), else the uri itself."""
    return uri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or uri


def display_name(properties: Mapping[str, Any], uri: str) -> str:
    """What to call a node: its name, else its title (as text, whatever their type), else its uri's local name."""
    for key in ("name", "title"):
        text = name_text(properties.get(key))
        if text:
            return text
    return local_name(uri)


def graph_node(uri: str, name: Any, labels: Iterable[str]) -> dict[str, Any]:
    """A node as every graph payload has it: {id, name, kind, labels}; the name always a non-empty string."""
    labels = list(labels)
    text = name_text(name)
    return {"id": uri, "name": text or local_name(uri), "kind": kind_of(labels), "labels": shown_labels(labels)}


def edge(source: str, type_: str, target: str, properties: Mapping[str, Any], key: str = "") -> dict[str, Any]:
    """An edge with an id that is the same in every answer: source|TYPE|target (and a key for derived ones)."""
    ident = f"{source}|{type_}|{target}" + (f"|{key}" if key else "")
    return {"id": ident, "source": source, "target": target, "type": type_, "properties": plain(dict(properties))}


# Graphs of results --------------------------------------------------------------------------------------------


@dataclass
class GraphBuilder:
    """Collects the nodes, edges and highlighted paths of one result, each node and edge once."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: list[list[str]] = field(default_factory=list)

    def add_node(self, uri: str, name: str | None, labels: Iterable[str]) -> None:
        self.nodes.setdefault(uri, graph_node(uri, name, labels))

    def add_edge(self, found: dict[str, Any]) -> None:
        self.edges.setdefault(found["id"], found)

    def as_json(self) -> dict[str, Any] | None:
        if not self.nodes:
            return None
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values()), "paths": self.paths}


def name_path_graph(
    builder: GraphBuilder,
    paths: Sequence[Sequence[str]],
    named: Mapping[str, tuple[str, list[str]]],
    links: Iterable[Sequence[Any]],
) -> None:
    """Add paths given as names: their nodes, an edge per step (the linking relationship from browse_links rows,
    else PATH_STEP) and each path as the uris of its resolved names."""
    linked: dict[frozenset[str], list[dict[str, Any]]] = {}
    for source, type_, target, properties in links:
        linked.setdefault(frozenset((source, target)), []).append(edge(source, type_, target, properties or {}))
    for path in paths:
        uris = [named[name][0] for name in path if name in named]
        for name in path:
            if name in named:
                builder.add_node(named[name][0], name, named[name][1])
        for a, b in _steps(uris):
            for found in linked.get(frozenset((a, b)), [edge(a, PATH_STEP, b, {})]):
                builder.add_edge(found)
        if uris:
            builder.paths.append(uris)


def _steps(uris: Sequence[str]) -> Iterator[tuple[str, str]]:
    for a, b in itertools.pairwise(uris):
        if a != b:
            yield a, b


def add_name_paths(runner: Runner, builder: GraphBuilder, paths: Sequence[Sequence[str]]) -> None:
    """Resolve the names of `paths` in the graph (two queries) and add them to the builder."""
    names = sorted({name for path in paths for name in path})
    if not names:
        return
    named = pick_named(runner.internal("browse_nodes_named", names=names).rows)
    resolved = [[named[name][0] for name in path if name in named] for path in paths]
    pairs = sorted({pair for uris in resolved for pair in _steps(uris)})
    links = runner.internal("browse_links", pairs=[list(p) for p in pairs]).rows if pairs else ()
    name_path_graph(builder, paths, named, links)


def add_values(builder: GraphBuilder, rows: Iterable[Sequence[Any]]) -> None:
    """Add the Node, Relationship and Path values of driver rows (analyst Cypher), nested in lists and maps too."""
    values = list(_graph_values(rows))
    ids: dict[str, str] = {}
    for value in values:
        for found in value.nodes if isinstance(value, Path) else [value] if isinstance(value, Node) else []:
            ids[found.element_id] = _node_id(found)
            builder.add_node(ids[found.element_id], display_name(dict(found), ids[found.element_id]), found.labels)
    for value in values:
        relationships = value.relationships if isinstance(value, Path) else [value]
        for rel in relationships:
            if not isinstance(rel, Relationship) or rel.start_node is None or rel.end_node is None:
                continue
            source, target = ids.get(rel.start_node.element_id), ids.get(rel.end_node.element_id)
            if source and target:  # an end that the result does not hold cannot be drawn
                builder.add_edge(edge(source, rel.type, target, dict(rel)))
        if isinstance(value, Path):
            builder.paths.append([ids[n.element_id] for n in value.nodes])


def _node_id(found: Node) -> str:
    uri = found.get("uri")
    return uri if isinstance(uri, str) and uri else found.element_id


def _graph_values(rows: Iterable[Any]) -> Iterator[Node | Relationship | Path]:
    for value in rows:
        if isinstance(value, (Node, Relationship, Path)):
            yield value
        elif isinstance(value, Mapping):
            yield from _graph_values(value.values())
        elif isinstance(value, (list, tuple)):
            yield from _graph_values(value)


def result_graph(runner: Runner, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, Any] | None:
    """The graph of a result (web/API.md, `graph`): from its path columns and from graph values in its rows."""
    builder = GraphBuilder()
    paths = [
        [str(name) for name in row[i]]
        for i, column in enumerate(columns)
        if is_path_column(column)
        for row in rows
        if isinstance(row[i], list) and row[i] and all(isinstance(name, str) for name in row[i])
    ]
    add_name_paths(runner, builder, paths)
    add_values(builder, rows)
    return builder.as_json()
