"""The inline SVG of an HTML report: a section's bar chart, and its dependency paths drawn as one layered graph
(kg.render.layers) beside their list, both highlightable."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from kg.core.kinds import KIND_COLOURS, OTHER_COLOUR
from kg.render.layers import Entry, Layering, Slot, layering
from kg.render.report_values import escape_html, human_text, is_number, number_text, shortened
from kg.reports.model import Chart, PathView, Section


def bar_chart_svg(chart: Chart, section: Section) -> str:
    """A <figure> with the chart as inline SVG: labels at the left, bars, values at the bar ends."""
    value_at = section.columns.index(chart.value)
    label_at = [section.columns.index(c) for c in chart.label_columns]
    bars = [
        (" · ".join(human_text(row[i], section.columns[i]) for i in label_at), float(row[value_at]))
        for row in section.rows
        if is_number(row[value_at]) and math.isfinite(row[value_at])
    ]
    if chart.sort:
        bars.sort(key=lambda bar: -bar[1])
    shown = bars[: max(chart.limit, 0)]
    scale = max([chart.max_value or 0.0, chart.marker or 0.0, *(abs(v) for _, v in shown)]) or 1.0
    width, label_width, value_width, row_height, bar_height = 800, 300, 70, 22, 15
    area = width - label_width - value_width
    top = 18 if chart.marker is not None else 6
    height = top + max(len(shown), 1) * row_height + 6

    def fmt(value: float) -> str:
        return f"{number_text(value * 100)}%" if chart.percent else number_text(value)

    marks = []
    for index, (label, value) in enumerate(shown):
        y = top + index * row_height
        bar = max(value, 0.0) / scale * area
        marks.append(
            f"<g><title>{escape_html(label)}: {escape_html(fmt(value))}</title>"
            f'<text x="{label_width - 8}" y="{y + 12}" text-anchor="end">{escape_html(shortened(label, 44))}</text>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 12}">{escape_html(fmt(value))}</text></g>'
        )
    if not shown:
        marks.append(f'<text x="{label_width}" y="{top + 14}">No values to chart.</text>')
    if chart.marker is not None:
        x = label_width + chart.marker / scale * area
        caption = chart.marker_label or fmt(chart.marker)
        marks.append(
            f'<line class="marker" x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 4}"/>'
            f'<text x="{x:.1f}" y="11" text-anchor="middle">{escape_html(caption)}</text>'
        )
    title = chart.title or f"{chart.value} by {', '.join(chart.label_columns)}"
    if len(bars) > len(shown):
        title += f" (largest {len(shown)} of {len(bars)})" if chart.sort else f" (first {len(shown)} of {len(bars)})"
    return (
        f'<figure class="chart"><figcaption>{escape_html(title)}</figcaption>'
        f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape_html(title)}">\n' + "\n".join(marks) + "\n</svg></figure>"
    )


def path_view_html(view: PathView, number: int) -> str:
    """A <figure> with the paths drawn as one layered graph (inline SVG) and listed, both highlightable."""
    node_paths, node_label, edge_paths = _path_index(view)
    place = _Placement.of(layering([step.name for step in path] for path in view.paths))
    marks = [place.edge(a, b, paths) for (a, b), paths in edge_paths.items()]
    marks += [place.box(name, node_label[name], paths) for name, paths in node_paths.items()]
    legend = "".join(
        f'<span><i style="background:{KIND_COLOURS.get(label, OTHER_COLOUR)}"></i>{escape_html(label)}</span>'
        for label in sorted({lab for lab in node_label.values() if lab})
    )
    items = "\n".join(
        f'<li data-paths="{index}" tabindex="0">{escape_html(" → ".join(step.name for step in path))}</li>'
        for index, path in enumerate(view.paths)
    )
    title = view.title or f"{len(view.paths)} dependency paths"
    return (
        f'<figure class="pv" id="paths-{number}"><figcaption>{escape_html(title)}</figcaption>'
        f'<div class="legend">{legend}</div>\n<div class="scroll">'
        f'<svg class="graph" viewBox="0 0 {place.width:.0f} {place.height:.0f}" width="{place.width:.0f}" '
        f'height="{place.height:.0f}" role="img" aria-label="{escape_html(title)}">\n'
        + "\n".join(marks)
        + "\n</svg></div>\n"
        f'<ol class="paths">\n{items}\n</ol></figure>'
    )


def _path_index(
    view: PathView,
) -> tuple[dict[str, list[int]], dict[str, str], dict[tuple[str, str], list[int]]]:
    """Which paths go through each node and each step, and each node's kind."""
    node_paths: dict[str, list[int]] = {}
    node_label: dict[str, str] = {}
    edge_paths: dict[tuple[str, str], list[int]] = {}
    for index, path in enumerate(view.paths):
        for step in path:
            _add(node_paths.setdefault(step.name, []), index)
            node_label[step.name] = node_label.get(step.name) or step.label
        for before, after in itertools.pairwise(path):
            if before.name != after.name:
                _add(edge_paths.setdefault((before.name, after.name), []), index)
    return node_paths, node_label, edge_paths


BOX_WIDTH, BOX_HEIGHT, COLUMN_WIDTH, ROW_HEIGHT, SLOT_HEIGHT, PAD = 170, 24, 205, 32, 12, 8


@dataclass(frozen=True)
class _Placement:
    """Where each entry of a layering is drawn: columns side by side, each centred vertically."""

    slots: dict[tuple[str, str], list[Slot]]  # each long step's, in order
    where: dict[Entry, tuple[float, float]]  # a box's top left corner; a slot's row's
    width: float
    height: float

    @classmethod
    def of(cls, layers: Layering) -> _Placement:
        tallest = max((sum(map(_room, column)) for column in layers.columns), default=ROW_HEIGHT)
        where: dict[Entry, tuple[float, float]] = {}
        for c, column in enumerate(layers.columns):
            y = PAD + (tallest - sum(map(_room, column))) / 2
            for entry in column:
                where[entry] = (PAD + c * COLUMN_WIDTH, y)
                y += _room(entry)
        width = PAD * 2 + max(len(layers.columns) - 1, 0) * COLUMN_WIDTH + BOX_WIDTH
        return cls(layers.slots(), where, width, PAD * 2 + tallest)

    def middle(self, entry: Entry) -> float:
        return self.where[entry][1] + (_room(entry) - (ROW_HEIGHT - BOX_HEIGHT)) / 2

    def edge(self, a: str, b: str, paths: Sequence[int]) -> str:
        """A step: a long one runs straight across the column of each of its slots, curving between columns."""
        stops = [(self.where[a][0] + BOX_WIDTH, self.middle(a))]
        for slot in self.slots.get((a, b), ()):
            stops += [(self.where[slot][0], self.middle(slot)), (self.where[slot][0] + BOX_WIDTH, self.middle(slot))]
        stops.append((self.where[b][0], self.middle(b)))
        d = f"M{stops[0][0]:.1f} {stops[0][1]:.1f}"
        for i, ((x1, y1), (x2, y2)) in enumerate(itertools.pairwise(stops)):
            mid = (x1 + x2) / 2
            d += f" L{x2:.1f} {y2:.1f}" if i % 2 else f" C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"
        return f'<path class="edge" data-paths="{_ids(paths)}" d="{d}"/>'

    def box(self, name: str, label: str, paths: Sequence[int]) -> str:
        x, y = self.where[name]
        colour = KIND_COLOURS.get(label, OTHER_COLOUR)
        return (
            f'<g class="node" data-paths="{_ids(paths)}" tabindex="0"><title>{escape_html(name)}'
            f"{' (' + escape_html(label) + ')' if label else ''}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="4" fill="{colour}"/>'
            f'<text x="{x + 6:.1f}" y="{y + 16:.1f}">{escape_html(shortened(name, 25))}</text></g>'
        )


def _room(entry: Entry) -> int:
    """The height an entry takes in its column."""
    return SLOT_HEIGHT if isinstance(entry, Slot) else ROW_HEIGHT


def _add(indices: list[int], index: int) -> None:
    if not indices or indices[-1] != index:
        indices.append(index)


def _ids(indices: Sequence[int]) -> str:
    return " ".join(str(i) for i in indices)
