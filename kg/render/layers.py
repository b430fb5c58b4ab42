"""The layering of paths drawn left to right: which column each node sits in, and its place in the column.

One implementation for the HTML report's SVG (kg.render.report_svg) and the graph browser (kg.browse.api sends it,
web/src/graph.js turns it into positions). The rules, those of a classic layered (Sugiyama) drawing:

1. **Cycles cut.** Depth first from each node in the order the paths first meet them, following steps in the order
   they are first met: a step back to a node still on the way would close a cycle, so it is left out of the
   layering (it is drawn, against the columns).
2. **Longest-path columns.** A node sits one column right of its furthest predecessor; a node with none, in column 0.
3. **Slots.** A step spanning several columns passes through a slot of its own in each column between, so that it
   is never drawn behind a node it does not touch.
4. **Order in a column.** First as the paths first meet each entry (a report's ranking stays top to bottom); then
   four rounds of barycentre sweeps, rightwards by predecessors and leftwards by successors: an entry moves to the
   mean place of its neighbours in the column next to it (places measured from the middle of each entry's share of
   its column's height, as columns are drawn centred), which removes most crossings. An entry without neighbours
   there keeps its place; ties keep the paths' order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SWEEPS = 4


@dataclass(frozen=True)
class Slot:
    """The place in column `column` that the step `source` → `target`, which spans several columns, passes through."""

    source: str
    target: str
    column: int


Entry = str | Slot


@dataclass(frozen=True)
class Layering:
    """Columns left to right, each its entries top to bottom: node ids, and the slots of long steps."""

    columns: tuple[tuple[Entry, ...], ...]

    def column_of(self) -> dict[Entry, int]:
        return {entry: c for c, column in enumerate(self.columns) for entry in column}

    def slots(self) -> dict[tuple[str, str], list[Slot]]:
        """Each long step's slots, from its source's side to its target's."""
        found: dict[tuple[str, str], list[Slot]] = {}
        for column in self.columns:
            for entry in column:
                if isinstance(entry, Slot):
                    found.setdefault((entry.source, entry.target), []).append(entry)
        return found

    def as_json(self) -> list[list[str | dict[str, str]]]:
        """Columns of node ids and, for a slot, {"source", "target"} of its step (web/API.md, `layers`)."""
        return [
            [entry if isinstance(entry, str) else {"source": entry.source, "target": entry.target} for entry in column]
            for column in self.columns
        ]


def layering(paths: Iterable[Sequence[str]]) -> Layering:
    """The layering of `paths`, each a sequence of node ids (a node may lie on several; a repeat in a row is one)."""
    nodes, steps = _nodes_and_steps(paths)
    kept = _acyclic(nodes, steps)
    column = _longest_path_columns(nodes, kept)
    columns: list[list[Entry]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    first: dict[Entry, int] = {}  # the order the paths first meet each entry: nodes, and long steps for their slots
    links: list[tuple[Entry, Entry]] = []  # kept steps, a long one as its chain through its slots
    for order, node in enumerate(nodes):
        columns[column[node]].append(node)
        first[node] = order
    for order, (a, b) in enumerate(kept, start=len(nodes)):
        before: Entry = a
        for c in range(column[a] + 1, column[b]):
            slot = Slot(a, b, c)
            columns[c].append(slot)
            first[slot] = order
            links.append((before, slot))
            before = slot
        links.append((before, b))
    for entries in columns:
        entries.sort(key=first.__getitem__)
    _sweep(columns, links, first)
    return Layering(tuple(tuple(entries) for entries in columns))


def _nodes_and_steps(paths: Iterable[Sequence[str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Each node and each step once, in the order the paths first meet them."""
    nodes: dict[str, None] = {}
    steps: dict[tuple[str, str], None] = {}
    for path in paths:
        nodes.update(dict.fromkeys(path))
        steps.update(dict.fromkeys((a, b) for a, b in itertools.pairwise(path) if a != b))
    return list(nodes), list(steps)


def _acyclic(nodes: Sequence[str], steps: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The steps less those that close a cycle (rule 1), in their order."""
    successors: dict[str, list[str]] = {}
    for a, b in steps:
        successors.setdefault(a, []).append(b)
    state: dict[str, str] = {}  # "open" while on the way, "done" after
    back: set[tuple[str, str]] = set()
    for root in nodes:
        if root in state:
            continue
        state[root] = "open"
        stack = [(root, iter(successors.get(root, ())))]
        while stack:  # depth first without recursion: a chain of thousands of steps is fine
            node, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                state[node] = "done"
                stack.pop()
            elif state.get(following) == "open":
                back.add((node, following))
            elif following not in state:
                state[following] = "open"
                stack.append((following, iter(successors.get(following, ()))))
    return [step for step in steps if step not in back]


def _longest_path_columns(nodes: Sequence[str], steps: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Rule 2 on an acyclic set of steps, in topological order (Kahn)."""
    successors: dict[str, list[str]] = {}
    waiting = dict.fromkeys(nodes, 0)
    for a, b in steps:
        successors.setdefault(a, []).append(b)
        waiting[b] += 1
    column = dict.fromkeys(nodes, 0)
    ready = [node for node in nodes if not waiting[node]]
    while ready:
        node = ready.pop()
        for following in successors.get(node, ()):
            column[following] = max(column[following], column[node] + 1)
            waiting[following] -= 1
            if not waiting[following]:
                ready.append(following)
    return column


def _sweep(columns: list[list[Entry]], links: Sequence[tuple[Entry, Entry]], first: dict[Entry, int]) -> None:
    """Rule 4's barycentre sweeps, in place."""
    predecessors: dict[Entry, list[Entry]] = {}
    successors: dict[Entry, list[Entry]] = {}
    for a, b in links:
        successors.setdefault(a, []).append(b)
        predecessors.setdefault(b, []).append(a)
    place: dict[Entry, float] = {}

    def measure(entries: list[Entry]) -> None:
        place.update({entry: (i + 0.5) / len(entries) for i, entry in enumerate(entries)})

    def reorder(entries: list[Entry], neighbours: dict[Entry, list[Entry]]) -> None:
        def centre(entry: Entry) -> float:
            near = neighbours.get(entry, ())
            return sum(place[n] for n in near) / len(near) if near else place[entry]

        entries.sort(key=lambda entry: (centre(entry), first[entry]))
        measure(entries)

    for entries in columns:
        measure(entries)
    for _ in range(SWEEPS):
        for entries in columns[1:]:
            reorder(entries, predecessors)
        for entries in reversed(columns[:-1]):
            reorder(entries, successors)
