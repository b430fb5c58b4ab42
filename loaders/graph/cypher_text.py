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


def create_nodes(labels: Iterable[str]) -> str:
    """Create nodes with all their labels at once (adding a label later in the same transaction breaks the
    embedded default's uniqueness constraint)."""
    return f"UNWIND $rows AS row\nCREATE (n:Resource{label_expression(labels)})\nSET n = row.props"


def create_keyed_nodes(labels: Iterable[str]) -> str:
    """Create nodes that have no property but their uri (a relationship's target, most often): a list of uris
    is lighter to send and to read than a list of maps."""
    return f"UNWIND $uris AS uri\nCREATE (n:Resource{label_expression(labels)} {{uri: uri}})"


def create_nodes_with_relationships(labels: Iterable[str], relationship_types: Sequence[str]) -> str:
    """Create nodes together with their outgoing relationships, of the default graph, to nodes that exist:
    rows of {"props": {…}, "r0": [end uri, …], "r1": […], …}, one list per relationship type, in order. The start
    node needs no look-up, and one statement does what two did. A missing end node makes no relationship and no
    error here (MATCH finds nothing): the writer checks the number created."""
    text = f"UNWIND $rows AS row\nCREATE (a:Resource{label_expression(labels)})\nSET a = row.props\nWITH a, row"
    for number, relationship_type in enumerate(relationship_types):
        text += (
            f"\nCALL (a, row) {{\n  UNWIND row.r{number} AS target\n  MATCH (b:Resource {{uri: target}})\n"
            f"  CREATE (a)-[:{quote_identifier(relationship_type)}]->(b)\n}}"
        )
    return text


def add_labels(labels: Iterable[str]) -> str:
    """Add labels to nodes that existed before this transaction, all in one clause."""
    return f"UNWIND $uris AS uri\nMATCH (n:Resource {{uri: uri}})\nSET n{label_expression(labels)}"


def relationships_of_default_graph(relationship_type: str, *, create: bool = False) -> str:
    """Relationships from the default graph only: no `_graphs` recorded (its absence means the default graph).
    CREATE where the caller knows none can exist yet, else MERGE."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Resource {uri: row.start})\n"
        "MATCH (b:Resource {uri: row.end})\n"
        f"{'CREATE' if create else 'MERGE'} (a)-[r:{quote_identifier(relationship_type)}]->(b)"
    )


def relationships_of_named_graphs(relationship_type: str, *, create: bool = False) -> str:
    """Relationships with named graphs: `_graphs` grows by the graphs not yet recorded ([""] when absent)."""
    if create:
        return (
            "UNWIND $rows AS row\n"
            "MATCH (a:Resource {uri: row.start})\n"
            "MATCH (b:Resource {uri: row.end})\n"
            f"CREATE (a)-[r:{quote_identifier(relationship_type)}]->(b)\n"
            "SET r._graphs = row.graphs"
        )
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Resource {uri: row.start})\n"
        "MATCH (b:Resource {uri: row.end})\n"
        f"MERGE (a)-[r:{quote_identifier(relationship_type)}]->(b)\n"
        "ON CREATE SET r._graphs = row.graphs\n"
        "ON MATCH SET r._graphs = coalesce(r._graphs, [''])\n"
        "  + [g IN row.graphs WHERE NOT g IN coalesce(r._graphs, [''])]"
    )


# Relationships with properties of their own (spreadsheets). A relationship is found by expanding from one of its
# two nodes, found by uri: from the side with more distinct nodes, each of which has fewer relationships to expand
# (a part has a few USED_IN, the material in 20,000 parts has 20,000).


def expansion_side(pairs: Sequence[tuple[str, str]]) -> str:
    """"start" or "end": the side of these relationships with more distinct nodes."""
    return "start" if len({s for s, _ in pairs}) > len({e for _, e in pairs}) else "end"


def read_relationships(relationship_type: str, side: str) -> str:
    pattern = (f"(a:Resource {{uri: uri}})-[r:{quote_identifier(relationship_type)}]->(b:Resource)" if side == "start"
               else f"(b:Resource {{uri: uri}})<-[r:{quote_identifier(relationship_type)}]-(a:Resource)")
    return f"UNWIND $uris AS uri\nMATCH {pattern}\nRETURN a.uri AS start, b.uri AS end, properties(r) AS props"


def create_relationships_with_props(relationship_type: str) -> str:
    """New relationships (known not to exist: no MERGE, which would expand a busy node once per row)."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a:Resource {uri: row.start})\n"
        "MATCH (b:Resource {uri: row.end})\n"
        f"CREATE (a)-[r:{quote_identifier(relationship_type)}]->(b)\n"
        "SET r = row.props"
    )


def update_relationship_props(relationship_type: str, side: str) -> str:
    pattern = (f"(a:Resource {{uri: row.start}})-[r:{quote_identifier(relationship_type)}]->"
               "(b:Resource {uri: row.end})" if side == "start"
               else f"(b:Resource {{uri: row.end}})<-[r:{quote_identifier(relationship_type)}]-"
               "(a:Resource {uri: row.start})")
    return f"UNWIND $rows AS row\nMATCH {pattern}\nSET r += row.props"


def remove_labels(labels: Iterable[str]) -> str:
    return f"UNWIND $uris AS uri\nMATCH (n:Resource {{uri: uri}})\nREMOVE n{label_expression(labels)}"
