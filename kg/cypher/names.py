"""Turn a name a person typed into the one graph node they mean.

A name matches, ignoring case, a node's `name` or any of its `altLabels` (a Country also its ISO 3166 alpha-2 or
alpha-3 code), among the nodes of one label. One match is the answer. Several: a match on the name itself (or a
country code) wins over matches on alternative labels; if that still leaves several, `AmbiguousName` lists them.
None: `UnknownName` gives the closest names and alternative labels of that label (difflib).

The label travels as a query parameter (`MATCH (n:$($label))`, Neo4j 5.26+ and the embedded server), so nothing
is pasted into Cypher text; it is still checked against `NAMED_LABELS` first, so that a typo in a caller's label
is an error rather than an empty answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kg.core.cypher_files import own_cypher
from kg.core.errors import AmbiguousName, UnknownLabel, UnknownName
from kg.core.suggest import closest
from kg.cypher.querying import run_query
from kg.server.connection import Connection


class NamedLabel(StrEnum):
    """The labels whose nodes people refer to by name."""

    Material = "Material"
    Component = "Component"
    Product = "Product"
    Sector = "Sector"
    Company = "Company"
    Country = "Country"


NAMED_LABELS: tuple[str, ...] = tuple(label.value for label in NamedLabel)
CLOSEST_COUNT = 5


@dataclass(frozen=True)
class ResolvedName:
    """The node a name resolved to, and how it matched: "name", "code" (a country's ISO code) or "altLabel"."""

    label: str
    uri: str
    name: str
    labels: tuple[str, ...]
    matched_on: str


def resolve(connection: Connection, label: str, name: str) -> ResolvedName:
    """The one node of `label` that `name` designates (see the module docstring); raises a `NameNotResolved`."""
    label = _checked_label(label)
    result = run_query(connection, own_cypher("kg", "nodes_named"), {"label": label, "name": name.strip()})
    found = [
        ResolvedName(
            label=label,
            uri=uri,
            name=node_name,
            labels=tuple(sorted(labels)),
            matched_on="name" if by_name else "code" if by_code else "altLabel",
        )
        for uri, node_name, labels, by_name, by_code in result.rows
    ]
    if not found:
        names = run_query(connection, own_cypher("kg", "names_of_label"), {"label": label})
        raise UnknownName(label, name, closest_names(name, names.rows))
    if len(found) == 1:
        return found[0]
    direct = [r for r in found if r.matched_on != "altLabel"]
    if len(direct) == 1:
        return direct[0]
    raise AmbiguousName(label, name, direct or found)


def closest_names(
    name: str, nodes: Iterable[tuple[str, Sequence[str] | None]], count: int = CLOSEST_COUNT
) -> list[str]:
    """The names and alternative labels most like `name`, ignoring case, best first.

    `nodes` are (name, altLabels) pairs. An alternative label is shown with the name(s) of its node(s):
    "neodym (neodymium)".
    """
    pairs = [(node_name, tuple(alt_labels or ())) for node_name, alt_labels in nodes]
    shown = {node_name.lower(): node_name for node_name, _ in pairs}  # lower-cased candidate -> what to show
    owners: dict[str, list[str]] = {}  # lower-cased alternative label -> names of its nodes
    for node_name, alt_labels in pairs:
        for alt in alt_labels:
            key = alt.lower()
            if key in shown and key not in owners:
                continue  # a node's own name already
            owners.setdefault(key, [])
            if node_name not in owners[key]:
                owners[key].append(node_name)
            shown[key] = f"{alt} ({', '.join(owners[key])})"
    return [shown[key] for key in closest(name, shown, count)]


def _checked_label(label: str) -> str:
    if label not in NAMED_LABELS:
        raise UnknownLabel(f"names are resolved among {', '.join(NAMED_LABELS)}, not {label!r}")
    return str(label)
