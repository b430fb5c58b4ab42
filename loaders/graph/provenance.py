"""Pure merging of what a file says about a node with what the graph already holds (n10s's multivalue rules).

OVERWRITE: the last value in parse order wins. ARRAY: values are appended to a list with set semantics (a value
already there is not added again), in parse order; a list holds one kind of value, so a value of another kind is
dropped and counted, as n10s's strict datatype check does. Provenance lists (`_graphs`, `_graphProps`,
`_graphLabels`) are unions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from loaders.graph.mapping import DEFAULT_GRAPH, PROVENANCE_SEPARATOR, NodeUpdate
from loaders.graph.values import type_class

GRAPHS = "_graphs"
GRAPH_PROPS = "_graphProps"
GRAPH_LABELS = "_graphLabels"
PROVENANCE_KEYS = (GRAPHS, GRAPH_PROPS, GRAPH_LABELS)
RESOURCE_LABEL = "Resource"
INFERRED_LABELS = "_inferredLabels"  # labels added from the class hierarchy (loaders.graph.class_hierarchy)
LITERAL_FORMS = "_literalForms"  # "name|form" where a value's datatype or language is not its property's first
INTERNAL_KEYS = frozenset({*PROVENANCE_KEYS, INFERRED_LABELS, LITERAL_FORMS})


@dataclass(frozen=True)
class MergedNode:
    props: dict[str, Any]  # the properties to set (all of them for a new node, the changed ones otherwise)
    dropped: int  # values dropped for clashing with the kind of value a list already holds


def merge_node(
    existing: Mapping[str, Any] | None,
    update: NodeUpdate,
    multivalued: Mapping[str, bool],
    existing_labels: frozenset[str] = frozenset(),
) -> MergedNode:
    """The properties to write for one node. `existing` is None for a node that does not exist yet."""
    current = dict(existing or {})
    changed: dict[str, Any] = {}
    dropped = 0
    for name, values in update.props.items():
        if multivalued.get(name, False):
            merged, lost = _append(current.get(name), values)
            dropped += lost
        else:
            merged = values[-1]
        if merged is not None and current.get(name) != merged:
            changed[name] = merged
    if update.literal_forms:
        before_forms = list(current.get(LITERAL_FORMS) or [])
        after_forms = before_forms + sorted(f for f in update.literal_forms if f not in before_forms)
        if after_forms != before_forms:
            changed[LITERAL_FORMS] = after_forms
    changed.update(_provenance(existing, existing_labels, update))
    return MergedNode(changed, dropped)


def _provenance(existing: Mapping[str, Any] | None, labels: frozenset[str], update: NodeUpdate) -> dict[str, Any]:
    """The provenance properties that change. They cost a load time and space, so they are kept lean:

    - no `_graphs` means the default graph only (what most loads write: nothing at all);
    - a node from one graph keeps `_graphs` alone: everything on it came from that graph;
    - only a node with statements from several graphs records which graph said which property and label
      (`_graphProps`, `_graphLabels`, entries "graph|name"); on becoming so, what it already had is
      attributed to the one graph it came from.

    That attribution is right because a node with one graph has only labels that graph states: the RDF loader
    gives a node's first write in a file every label the file states for it together with the graphs stating
    them (loaders.rdf.load._add_file_labels), so a label from another graph makes the node one of several graphs at
    once, with its `_graphLabels` recorded. Labels inferred from the class hierarchy are no graph's statements
    (`kg unload` works them out again from the labels that remain), so they are not attributed.
    """
    before = list(existing.get(GRAPHS) or [DEFAULT_GRAPH]) if existing is not None else []
    graphs = with_additions(before, update.graphs)
    if set(graphs) <= {DEFAULT_GRAPH}:
        return {}
    changed: dict[str, Any] = {}
    if existing is None or graphs != list(existing.get(GRAPHS) or []):
        changed[GRAPHS] = graphs
    if len(graphs) == 1:
        return changed
    before_props, before_labels = entries_before(existing, labels) if existing is not None else ([], [])
    for key, before_list, additions in (
        (GRAPH_PROPS, before_props, update.prop_graphs),
        (GRAPH_LABELS, before_labels, update.label_graphs),
    ):
        after = with_additions(before_list, additions)
        if existing is None or after != list(existing.get(key) or []):
            changed[key] = after
    return changed


def entries_before(stored: Mapping[str, Any], stored_labels: frozenset[str]) -> tuple[list[str], list[str]]:
    """The `_graphProps` and `_graphLabels` entries ("graph|name") of a stored node or relationship as another graph
    joins it: its own if several graphs made it already; while one graph did, everything on it attributed to that
    graph, except labels inferred from the class hierarchy (no graph's statements). The one rule of both loaders."""
    graphs = list(stored.get(GRAPHS) or [DEFAULT_GRAPH])
    if len(graphs) > 1:
        return [str(e) for e in stored.get(GRAPH_PROPS) or []], [str(e) for e in stored.get(GRAPH_LABELS) or []]
    only = graphs[0]
    props = [f"{only}{PROVENANCE_SEPARATOR}{name}" for name in sorted(stored) if not is_internal(name)]
    stated = stored_labels - {RESOURCE_LABEL} - set(stored.get(INFERRED_LABELS) or [])
    return props, [f"{only}{PROVENANCE_SEPARATOR}{label}" for label in sorted(stated)]


def with_additions(before: list[str], additions: Iterable[str]) -> list[str]:
    """A provenance list with the entries it lacks appended, sorted (a list kept in the order things happened)."""
    return before + sorted(set(additions) - set(before))


def inferred_after(
    before: Iterable[str], implied: frozenset[str], asserted: frozenset[str], stored_labels: frozenset[str]
) -> set[str]:
    """A stored node's inferred labels once a load has asserted `asserted` and so implied `implied`: those it had,
    and the implied ones it did not carry yet (a label it carries already was asserted by some graph, or inferred
    before: it stays as it was), less what this load asserts. The one rule for both loaders."""
    return (set(before) | (implied - stored_labels)) - asserted


def is_internal(name: str) -> bool:
    """The node key and the provenance properties: not statements of any graph."""
    return name == "uri" or name in INTERNAL_KEYS


def _append(existing: Any, values: list[Any]) -> tuple[list[Any] | None, int]:
    result = list(existing) if isinstance(existing, list) else ([] if existing is None else [existing])
    kind = type_class(result[0]) if result else None
    dropped = 0
    for value in values:
        if kind is None:
            kind = type_class(value)
        if type_class(value) != kind:
            dropped += 1
            continue
        if value not in result:
            result.append(value)
    return (result or None), dropped
