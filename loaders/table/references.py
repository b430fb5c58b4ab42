"""References found in the graph (pure): `resolve` puts into the planned nodes and relationships the uris that
the graph look-ups found, and names each cell that matches no node, or several."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.core.errors import BadRowsError, RowProblem
from loaders.table.rows import Endpoint, MappedTable, PlannedNode, PlannedRelationship, RefKey, merge_props
from loaders.table.spec import BY_NAME, BY_URI


@dataclass(frozen=True)
class Candidate:
    """A node that a reference found."""

    uri: str
    name: str | None
    labels: tuple[str, ...]


@dataclass
class ResolvedTable:
    """What to write: nodes by their final uri, relationships between final uris."""

    where: str
    rows: int
    nodes: dict[str, PlannedNode]
    relationships: dict[tuple[str, str, str], PlannedRelationship]
    links: int  # references resolved to a node of the graph
    reused: int  # nodes of the spreadsheet that are nodes already in the graph, found by `existing`
    problems: list[RowProblem]

    def check(self) -> None:
        if self.problems:
            raise BadRowsError(self.where, self.problems)


def resolve(
    table: MappedTable,
    found: Mapping[RefKey, Sequence[Candidate]],
    suggestions: Mapping[RefKey, Sequence[str]] | None = None,
) -> ResolvedTable:
    """Replace references by the uris found; a reference that found no node or several is a bad row."""
    problems = list(table.problems)
    targets: dict[RefKey, str] = {}
    for key, mentions in table.references.items():
        candidates = _unique(found.get(key, ()))
        if len(candidates) == 1:
            targets[key] = candidates[0].uri
            continue
        close = (suggestions or {}).get(key, ())
        for mention in mentions:
            hint = _reference_problem(key, mention.text, candidates, close)
            problems.append(RowProblem(mention.row, f"{mention.column} {mention.text!r}: {hint}", mention.sheet))
    final: dict[str, str] = {}
    nodes: dict[str, PlannedNode] = {}
    reused = 0
    for uri, node in table.nodes.items():
        target = uri
        if node.existing is not None:
            candidates = _unique(found.get(node.existing, ()))
            if len(candidates) > 1:
                hint = _reference_problem(node.existing, node.key, candidates, ())
                for row in node.rows:
                    problems.append(RowProblem(row, f"{node.key!r} (node {node.alias!r}): {hint}", table.sheet))
                continue
            if candidates:
                target = candidates[0].uri
                reused += target != uri
        final[uri] = target
        merged = nodes.get(target)
        if merged is None:
            nodes[target] = PlannedNode(target, set(node.labels), dict(node.props), node.key, node.row, node.alias,
                                        node.existing, dict(node.prop_rows), list(node.rows))
            continue
        merged.labels.update(node.labels)
        merged.rows.extend(node.rows)
        for text in merge_props(merged.props, merged.prop_rows, node.props, node.row, merged.describe()):
            problems.append(RowProblem(node.row, text, table.sheet))
    relationships: dict[tuple[str, str, str], PlannedRelationship] = {}
    links = sum(len(table.references[k]) for k in targets)
    for (start, relationship_type, end), planned in table.relationships.items():
        start_uri, end_uri = _end(start, final, targets), _end(end, final, targets)
        if start_uri is None or end_uri is None:
            continue  # a bad row, reported already
        triple = (start_uri, relationship_type, end_uri)
        have = relationships.get(triple)
        if have is None:
            relationships[triple] = PlannedRelationship(relationship_type, dict(planned.props), planned.row,
                                                     dict(planned.prop_rows))
            continue
        for text in merge_props(have.props, have.prop_rows, planned.props, planned.row,
                                f"relationship {relationship_type}"):
            problems.append(RowProblem(planned.row, text, table.sheet))
    return ResolvedTable(table.where, table.rows, nodes, relationships, links, reused, problems)


def _end(end: Endpoint, final: Mapping[str, str], targets: Mapping[RefKey, str]) -> str | None:
    if end.uri is not None:
        return final.get(end.uri)
    assert end.ref is not None
    return targets.get(end.ref)


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Each node once, in a stable order (by name, then uri)."""
    return sorted({c.uri: c for c in candidates}.values(), key=lambda c: (c.name or "", c.uri))


def _reference_problem(key: RefKey, text: str, candidates: Sequence[Candidate], suggestions: Sequence[str]) -> str:
    kind = _labels_text(key.labels)
    if not candidates:
        if key.by == BY_NAME:
            found = f"no {kind} has this name or alternative label"
        elif key.by == BY_URI:
            found = f"no {kind} has this uri"
        else:
            found = f"no {kind} has {key.by} {text!r}"
        if suggestions:
            found += f" (closest: {', '.join(repr(s) for s in suggestions)})"
        return found
    shown = ", ".join(f"{'/'.join(c.labels) or 'node'} {c.name or c.uri!r}" for c in candidates[:4])
    more = f" and {len(candidates) - 4} more" if len(candidates) > 4 else ""
    return (f"matches {len(candidates)} nodes ({shown}{more}): use a more specific value, or narrow the "
            f"match's `label`")


def _labels_text(labels: Sequence[str]) -> str:
    if not labels:
        return "node"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]
