"""Pure merging of what a file says about a node with what the graph already holds (n10s's multivalue rules).

OVERWRITE: the last value in parse order wins. ARRAY: values are appended to a list with set semantics (a value
already there is not added again), in parse order; a list holds one kind of value, so a value of another kind is
dropped and counted, as n10s's strict datatype check does. Provenance lists (`_graphs`, `_graphProps`,
`_graphLabels`) are unions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loaders.mapping import NodeUpdate
from loaders.values import type_class

GRAPHS = "_graphs"
GRAPH_PROPS = "_graphProps"
GRAPH_LABELS = "_graphLabels"
PROVENANCE_KEYS = (GRAPHS, GRAPH_PROPS, GRAPH_LABELS)


@dataclass(frozen=True)
class MergedNode:
    props: dict[str, Any]  # the properties to set (all of them for a new node, the changed ones otherwise)
    dropped: int  # values dropped for clashing with the kind of value a list already holds


def merge_node(
    existing: Mapping[str, Any] | None, update: NodeUpdate, multivalued: Mapping[str, bool]
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
    for key, additions in ((GRAPHS, update.graphs), (GRAPH_PROPS, update.prop_graphs), (GRAPH_LABELS, update.label_graphs)):
        if not additions:
            continue
        before = list(current.get(key) or [])
        after = before + sorted(a for a in additions if a not in before)
        if after != before:
            changed[key] = after
    return MergedNode(changed, dropped)


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
