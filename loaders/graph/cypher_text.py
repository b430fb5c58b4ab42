"""The only Cypher text made in code: statements whose labels or relationship type vary with the data.

Cypher cannot take a label or a relationship type as a parameter on every backend (the embedded default creates
a node with no labels at all from `MERGE (n:$($labels) …)`), so these are written into the text, each through
`quote_identifier`. Values always go in as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def quote_identifier(name: str) -> str:
    """A label or relationship type as a Cypher identifier: backquoted, backquotes doubled."""
    if not name:
        raise ValueError("an empty name cannot be a label or relationship type")
    return "`" + name.replace("`", "``") + "`"


def label_expression(labels: Iterable[str]) -> str:
    return "".join(":" + quote_identifier(label) for label in sorted(labels))


# Every statement that creates nodes returns their element ids: later statements of the same transaction find
# them by id (`by_id`) rather than through the uri index, which the embedded default keeps once per label set and
# so searches once per label set of the graph (53 for the bundled dataset: a third of a load's time on top of it).
# An element id is only good within its transaction, which is all the writer keeps it for.
# One record holding every [uri, element id] pair: a record per node would cost the driver a round trip per
# thousand nodes.
_RETURN_IDS = "\nRETURN collect([n.uri, elementId(n)]) AS ids"


def create_nodes(labels: Iterable[str]) -> str:
    """Create nodes with all their labels at once (adding a label later in the same transaction breaks the
    embedded default's uniqueness constraint)."""
    return f"UNWIND $rows AS row\nCREATE (n:Resource{label_expression(labels)})\nSET n = row.props{_RETURN_IDS}"


def create_keyed_nodes(labels: Iterable[str]) -> str:
    """Create nodes that have no property but their uri (a relationship's target, most often): a list of uris
    is lighter to send and to read than a list of maps."""
    return f"UNWIND $uris AS uri\nCREATE (n:Resource{label_expression(labels)} {{uri: uri}}){_RETURN_IDS}"


def create_nodes_with_relationships(
    labels: Iterable[str], relationship_types: Sequence[str], *, by_id: bool = False
) -> str:
    """Create nodes together with their outgoing relationships, of the default graph, to nodes that exist:
    rows of {"props": {…}, "r0": [end, …], "r1": […], …}, one list per relationship type, in order, each end a
    uri (or an element id, `by_id`). The start node needs no look-up, and one statement does what two did. A
    missing end node makes no relationship and no error here (MATCH finds nothing): the writer checks the number
    created."""
    text = f"UNWIND $rows AS row\nCREATE (n:Resource{label_expression(labels)})\nSET n = row.props\nWITH n, row"
    for number, relationship_type in enumerate(relationship_types):
        text += (
            f"\nCALL (n, row) {{\n  UNWIND row.r{number} AS target\n  {_match('b', 'target', by_id)}\n"
            f"  CREATE (n)-[:{quote_identifier(relationship_type)}]->(b)\n}}"
        )
    return text + _RETURN_IDS


def _match(variable: str, key: str, by_id: bool) -> str:
    """Find a node by the uri or element id in `key`."""
    if by_id:
        return f"MATCH ({variable}) WHERE elementId({variable}) = {key}"
    return f"MATCH ({variable}:Resource {{uri: {key}}})"


def _match_ends(by_id: bool) -> str:
    return f"{_match('a', 'row.start', by_id)}\n{_match('b', 'row.end', by_id)}\n"


def _matched(by_id: bool) -> str:
    """By element id, a statement says how many rows found both nodes: an id the writer kept wrongly would
    otherwise lose the relationship without a word."""
    return "\nRETURN count(*) AS matched" if by_id else ""


def add_labels(labels: Iterable[str]) -> str:
    """Add labels to nodes that existed before this transaction, all in one clause. The embedded default keeps
    a node of other labels as another record, under another element id: the new one is returned."""
    return f"UNWIND $uris AS uri\nMATCH (n:Resource {{uri: uri}})\nSET n{label_expression(labels)}{_RETURN_IDS}"


def relationships_of_default_graph(
    relationship_type: str, *, create: bool = False, side: str = "start", by_id: bool = False
) -> str:
    """Relationships from the default graph only: no `_graphs` recorded (its absence means the default graph).
    CREATE where the caller knows none can exist yet, else MERGE, expanding from `side` (expansion_side). Rows
    of {"start", "end"}: uris, or element ids (`by_id`)."""
    return (
        f"UNWIND $rows AS row\n{_match_ends(by_id)}"
        f"{'CREATE' if create else 'MERGE'} {_relationship_from(side, relationship_type)}{_matched(by_id)}"
    )


def relationships_of_named_graphs(
    relationship_type: str, *, create: bool = False, side: str = "start", by_id: bool = False
) -> str:
    """Relationships with named graphs: `_graphs` grows by the graphs not yet recorded ([""] when absent)."""
    if create:
        return (
            f"UNWIND $rows AS row\n{_match_ends(by_id)}"
            f"CREATE (a)-[r:{quote_identifier(relationship_type)}]->(b)\n"
            f"SET r._graphs = row.graphs{_matched(by_id)}"
        )
    return (
        f"UNWIND $rows AS row\n{_match_ends(by_id)}"
        f"MERGE {_relationship_from(side, relationship_type)}\n"
        "ON CREATE SET r._graphs = row.graphs\n"
        "ON MATCH SET r._graphs = coalesce(r._graphs, [''])\n"
        f"  + [g IN row.graphs WHERE NOT g IN coalesce(r._graphs, [''])]{_matched(by_id)}"
    )


def _relationship_from(side: str, relationship_type: str) -> str:
    """The pattern of a→b written from `side`: the embedded default's MERGE expands the node written first, row
    by row, so from a material in 20,000 parts it reads 20,000 relationships per row (25 s for 2,500 rows)."""
    name = quote_identifier(relationship_type)
    return f"(a)-[r:{name}]->(b)" if side == "start" else f"(b)<-[r:{name}]-(a)"


# A relationship is found (MERGE, or a relationship with properties of its own) by expanding from one of its two
# nodes, found by uri: from the side with more distinct nodes, each of which has fewer relationships to expand (a
# part has a few USED_IN, the material in 20,000 parts has 20,000).


def expansion_side(pairs: Sequence[tuple[str, str]]) -> str:
    """"start" or "end": the side of these relationships with more distinct nodes."""
    return "start" if len({s for s, _ in pairs}) > len({e for _, e in pairs}) else "end"


def read_relationships(relationship_type: str, side: str) -> str:
    pattern = (f"(a:Resource {{uri: uri}})-[r:{quote_identifier(relationship_type)}]->(b:Resource)" if side == "start"
               else f"(b:Resource {{uri: uri}})<-[r:{quote_identifier(relationship_type)}]-(a:Resource)")
    return f"UNWIND $uris AS uri\nMATCH {pattern}\nRETURN a.uri AS start, b.uri AS end, properties(r) AS props"


def create_relationships_with_props(relationship_type: str, *, by_id: bool = False) -> str:
    """New relationships (known not to exist: no MERGE, which would expand a busy node once per row)."""
    return (
        f"UNWIND $rows AS row\n{_match_ends(by_id)}"
        f"CREATE (a)-[r:{quote_identifier(relationship_type)}]->(b)\n"
        f"SET r = row.props{_matched(by_id)}"
    )


def update_relationship_props(relationship_type: str, side: str) -> str:
    pattern = (f"(a:Resource {{uri: row.start}})-[r:{quote_identifier(relationship_type)}]->"
               "(b:Resource {uri: row.end})" if side == "start"
               else f"(b:Resource {{uri: row.end}})<-[r:{quote_identifier(relationship_type)}]-"
               "(a:Resource {uri: row.start})")
    return f"UNWIND $rows AS row\nMATCH {pattern}\nSET r += row.props"


def remove_labels(labels: Iterable[str]) -> str:
    return f"UNWIND $uris AS uri\nMATCH (n:Resource {{uri: uri}})\nREMOVE n{label_expression(labels)}{_RETURN_IDS}"
