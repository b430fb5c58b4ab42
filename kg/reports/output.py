"""Write a report (titled sections of rows, with charts, dependency paths and sources) as a table, JSON, CSV,
Markdown or one self-contained HTML file.

Formats:

- ``table``: rich renderables (`to_renderable`): each section's title, text and table, then the sources.
- ``json``: one section → a JSON array of row objects (column → value); zero or several sections → a JSON object
  mapping each section's title to its array. Values are plain JSON: dates as ISO 8601 strings, lists as arrays.
- ``csv``: one section → its columns and rows; zero or several sections → one CSV whose first column is
  ``section`` (the section's title), then every column of every section in order of first appearance, empty where
  a section has no such column. Lists and maps are compact JSON, as in ``kg query --format csv``.
- ``md``: ``# title``, then per section ``## title``, its text and a pipe table, then ``## Sources``.
- ``html``: one file that opens offline: inline CSS, the tables, each chart as an inline SVG bar chart, each
  path view as an inline SVG of the dependency paths (hover or focus a node or a path to highlight the paths
  through it; click to pin), a few lines of inline JavaScript, and the sources as links. Nothing is loaded
  from anywhere: no stylesheet, script, image or font reference.

JSON and CSV keep numbers as they are; the formats people read (table, Markdown, HTML) show floats with at most
four decimals, booleans as yes/no, and lists joined by ", " except in a column named ``path`` or ``*_path``,
joined by " → ".
"""

from __future__ import annotations

import datetime as dt
import html
import io
import itertools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from kg.core.kinds import KIND_COLOURS, OTHER_COLOUR
from kg.cypher.querying import QueryResult
from kg.render.formats import cell_text, to_plain, write_csv
from kg.render.formats import to_markdown as markdown_table
from kg.render.layers import Entry, Slot, layering
from kg.reports.exposure import percent


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


@dataclass(frozen=True)
class SourceRef:
    """Where figures come from. `publisher` may be given as one string, a list or None; it is kept as a tuple."""

    title: str
    publisher: Sequence[str] = ()
    year: int | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        publisher = self.publisher
        publisher = (publisher,) if isinstance(publisher, str) else tuple(publisher or ())
        object.__setattr__(self, "publisher", publisher)

    def details(self) -> str:
        """The publisher(s) and year: "JRC, 2023"."""
        return ", ".join([*self.publisher, *([str(self.year)] if self.year is not None else [])])


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one numeric column, each bar labelled by one or more columns.

    Bars are sorted by value (largest first) unless `sort` is False, and at most `limit` are drawn. `percent`:
    the values are fractions shown as percentages. `max_value` fixes the scale (e.g. 1.0 for shares); `marker`
    draws a dashed line at that value (e.g. the CRMA's 0.65), captioned `marker_label`.
    """

    value: str
    label: str | Sequence[str]
    title: str = ""
    percent: bool = False
    max_value: float | None = None
    marker: float | None = None
    marker_label: str = ""
    sort: bool = True
    limit: int = 30

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", (self.label,) if isinstance(self.label, str) else tuple(self.label))

    @property
    def label_columns(self) -> tuple[str, ...]:
        return tuple(self.label)


@dataclass(frozen=True)
class PathStep:
    """One node on a dependency path: its name and its (most specific) label, e.g. "Component"."""

    name: str
    label: str = ""


@dataclass(frozen=True)
class PathView:
    """Dependency paths to draw as one interactive graph: each path is its nodes in order."""

    paths: Sequence[Sequence[PathStep]]
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", tuple(tuple(path) for path in self.paths))

    @classmethod
    def from_names(
        cls, paths: Iterable[Sequence[str]], labels: Mapping[str, str] | None = None, title: str = ""
    ) -> PathView:
        """Paths given as lists of names; `labels` gives the label of each name it knows."""
        known = labels or {}
        return cls(tuple(tuple(PathStep(name, known.get(name, "")) for name in path) for path in paths), title)


@dataclass(frozen=True)
class Section:
    """A titled table with a short explanatory text, optional charts and an optional path view. `brief` names
    the columns a terminal shows (all when empty); the other formats always carry every column."""

    title: str
    text: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    charts: Sequence[Chart] = ()
    paths: PathView | None = None
    brief: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        object.__setattr__(self, "charts", tuple(self.charts))
        object.__setattr__(self, "brief", tuple(self.brief))
        unknown = [c for c in self.brief if c not in self.columns]
        if unknown:
            raise ValueError(f"section {self.title!r}: brief names column {unknown[0]!r}, which it does not have")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"section {self.title!r}: row {number} has {len(row)} values for {len(self.columns)}")
        for chart in self.charts:
            missing = [c for c in (chart.value, *chart.label_columns) if c not in self.columns]
            if missing:
                raise ValueError(f"section {self.title!r}: a chart uses column {missing[0]!r}, which it does not have")

    @classmethod
    def from_result(
        cls,
        title: str,
        text: str,
        result: QueryResult,
        charts: Sequence[Chart] = (),
        paths: PathView | None = None,
        brief: Sequence[str] = (),
    ) -> Section:
        return cls(title, text, result.columns, result.rows, charts, paths, brief)

    def records(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready objects, column → value."""
        return [dict(zip(self.columns, (plain(v) for v in row), strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    """A titled report: its sections, then the sources of its figures (duplicates dropped, order kept)."""

    title: str
    sections: Sequence[Section]
    sources: Sequence[SourceRef] = ()
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))
        titles = [s.title for s in self.sections]
        duplicated = sorted({t for t in titles if titles.count(t) > 1})
        if duplicated:
            raise ValueError(f"report {self.title!r}: two sections are titled {duplicated[0]!r}")


# Values ------------------------------------------------------------------------------------------------------


_DRIVER_TYPES = (Node, Relationship, Path, Date, DateTime, Time, Duration, Point)


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value: driver values as in `kg.render.formats.to_plain`, Python dates as ISO strings.

    Driver types go to `to_plain` first: a Node or Relationship is also a Mapping (it would lose its labels or type)
    and a Duration or Point is also a tuple (it would become a bare list of numbers)."""
    if isinstance(value, _DRIVER_TYPES):
        return to_plain(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return to_plain(value)


def is_path_column(column: str) -> bool:
    return column in ("path", "chain") or column.endswith("_path")


def is_percent_column(column: str) -> bool:
    """A column of fractions (0..1) that people read as percentages: shares, coverage, import reliance."""
    return column in ("share", "coverage", "import_reliance") or column.endswith("_share")


def human_text(value: Any, column: str = "") -> str:
    """One cell as people read it: see the module docstring."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value) and is_percent_column(column):
        return percent(float(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        return (" → " if is_path_column(column) else ", ").join(human_text(v) for v in value)
    return cell_text(value)


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-4):
        return f"{value:.4g}"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric_columns(section: Section) -> set[int]:
    numeric = set()
    for index in range(len(section.columns)):
        values = [row[index] for row in section.rows if row[index] is not None]
        if values and all(_is_number(v) for v in values):
            numeric.add(index)
    return numeric


def _human_rows(section: Section, footnotes: Mapping[str, int] | None = None) -> list[list[str]]:
    """The rows as people read them; with `footnotes` (source title → number), a `source` cell is its number."""

    def cell(value: Any, column: str) -> str:
        if footnotes is not None and column == "source" and isinstance(value, str) and value in footnotes:
            return f"[{footnotes[value]}]"
        return human_text(value, column)

    return [[cell(v, c) for v, c in zip(row, section.columns, strict=True)] for row in section.rows]


# JSON and CSV ------------------------------------------------------------------------------------------------


def to_json(report: Report) -> str:
    if len(report.sections) == 1:
        data: Any = report.sections[0].records()
    else:
        data = {section.title: section.records() for section in report.sections}
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(report: Report) -> str:
    if len(report.sections) == 1:
        section = report.sections[0]
        return write_csv(section.columns, ([plain(v) for v in row] for row in section.rows))
    columns = list(dict.fromkeys(c for section in report.sections for c in section.columns))
    rows = (
        [section.title, *(plain(cells[c]) if c in cells else None for c in columns)]
        for section in report.sections
        for cells in (dict(zip(section.columns, row, strict=True)) for row in section.rows)
    )
    return write_csv(["section", *columns], rows)


# Markdown ----------------------------------------------------------------------------------------------------


def to_markdown(report: Report) -> str:
    parts = [f"# {report.title}\n"]
    if report.description:
        parts.append(f"{report.description}\n")
    for section in report.sections:
        parts.append(f"## {section.title}\n")
        if section.text:
            parts.append(f"{section.text}\n")
        parts.append(to_markdown_table(section))
        if not section.rows:
            parts.append("_No rows._\n")
    parts.append("## Sources\n")
    listing = [f"{n}. {_markdown_source(s)}" for n, s in enumerate(report.sources, 1)]
    parts.append("\n".join(listing) + "\n" if listing else "_No sources._\n")
    return "\n".join(parts)


def to_markdown_table(section: Section) -> str:
    return markdown_table(QueryResult(tuple(section.columns), tuple(tuple(r) for r in _human_rows(section))))


def _markdown_source(source: SourceRef) -> str:
    title = source.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    url = _web_url(source.url)
    head = f"[{title}](<{url.replace('>', '%3E')}>)" if url else title
    details = source.details()
    tail = f" {source.url}" if source.url and not url else ""
    return f"{head}{', ' + details if details else ''}{tail}"


def _web_url(url: str | None) -> str | None:
    """The URL if it is one to link to (http or https), else None."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


# Table (rich) ------------------------------------------------------------------------------------------------


def to_renderable(report: Report) -> Group:
    parts: list[RenderableType] = [Text(report.title, style="bold")]
    if report.description:
        parts.append(Text(report.description))
    # Sources are numbered footnotes in a terminal: a full title in every row would wrap each row many times.
    footnotes = {source.title: number for number, source in enumerate(report.sources, 1)}
    for full in report.sections:
        section = _brief(full)
        parts.append(Text(""))
        parts.append(Text(section.title, style="bold underline"))
        if section.text:
            parts.append(Text(section.text, style="dim"))
        table = Table(show_lines=False)
        numeric = _numeric_columns(section)
        for index, column in enumerate(section.columns):
            table.add_column(Text(column), overflow="fold", justify="right" if index in numeric else "left")
        for row in _human_rows(section, footnotes):
            table.add_row(*(Text(cell) for cell in row))  # Text: no rich markup in the data
        parts.append(table if section.rows else Text("No rows.", style="italic"))
    parts.append(Text(""))
    parts.append(Text("Sources", style="bold underline"))
    sources = Table(show_lines=False)
    for column in ("#", "title", "publisher, year", "url"):
        sources.add_column(column, overflow="fold")
    for number, source in enumerate(report.sources, 1):
        sources.add_row(*(Text(cell) for cell in (str(number), source.title, source.details(), source.url or "")))
    parts.append(sources if report.sources else Text("No sources.", style="italic"))
    return Group(*parts)


def _brief(section: Section) -> Section:
    if not section.brief:
        return section
    keep = [section.columns.index(c) for c in section.brief]
    rows = [[row[i] for i in keep] for row in section.rows]
    charts = [c for c in section.charts if all(n in section.brief for n in (c.value, *c.label_columns))]
    return Section(section.title, section.text, section.brief, rows, charts, section.paths)


def render(report: Report, output: ReportFormat, width: int = 120) -> str:
    """The report as text in any format; `table` is drawn without colour at `width` columns."""
    if output is ReportFormat.table:
        buffer = io.StringIO()
        Console(file=buffer, width=width, color_system=None, emoji=False, highlight=False).print(to_renderable(report))
        return buffer.getvalue()
    renderers: dict[ReportFormat, Callable[[Report], str]] = {
        ReportFormat.json: to_json,
        ReportFormat.csv: to_csv,
        ReportFormat.md: to_markdown,
        ReportFormat.html: to_html,
    }
    return renderers[output](report)


# HTML --------------------------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2433}
main{max-width:1100px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.3rem 0}h2{font-size:1.2rem;margin:2rem 0 .4rem;border-bottom:1px solid #dde3ea}
nav a{margin-right:1rem}.text,.lead{color:#3c4657;max-width:75ch}.empty{font-style:italic;color:#667}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #dde3ea;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f1f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}td.long{min-width:24em}
tbody tr:nth-child(even){background:#fafbfc}figure{margin:1rem 0}figcaption{font-weight:600;margin:.2rem 0}
svg text{font:12px system-ui,sans-serif;fill:#1d2433}.bar{fill:#3b6ea8}.marker{stroke:#c0392b;stroke-dasharray:4 3}
.pv svg.graph{max-width:100%;height:auto}
.pv .edge{fill:none;stroke:#9aa5b1;stroke-width:1.4}.pv .node{cursor:pointer}.pv .node rect{stroke:#fff}
.pv .off{opacity:.15}.pv .edge.on{stroke:#c0392b;stroke-width:2.6}.pv .node.on rect{stroke:#c0392b;stroke-width:2}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px;border-radius:2px}
ol.paths{max-height:14rem;overflow:auto;font-size:.85rem;border:1px solid #dde3ea;padding:.4rem 2.5rem}
ol.paths li{cursor:pointer}ol.paths li.on{background:#fdecea}ol.paths li.off{color:#8a94a3}
""".strip()

# Highlight the paths through what the pointer (or keyboard focus) is on; a click pins or unpins it.
_SCRIPT = """
document.querySelectorAll(".pv").forEach(function (view) {
  var parts = view.querySelectorAll("[data-paths]"), pinned = null;
  function ids(el) { return el.getAttribute("data-paths").split(" "); }
  function show(el) {
    var wanted = el ? ids(el) : null;
    parts.forEach(function (p) {
      var on = !!wanted && ids(p).some(function (i) { return wanted.indexOf(i) >= 0; });
      p.classList.toggle("on", on);
      p.classList.toggle("off", !!wanted && !on);
    });
  }
  function target(e) { return e.target.closest ? e.target.closest("[data-paths]") : null; }
  view.addEventListener("mouseover", function (e) { if (!pinned) show(target(e)); });
  view.addEventListener("focusin", function (e) { if (!pinned) show(target(e)); });
  view.addEventListener("mouseleave", function () { if (!pinned) show(null); });
  view.addEventListener("click", function (e) {
    var t = target(e);
    pinned = t && t !== pinned ? t : null;
    show(pinned || t);
  });
});
""".strip()



def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def to_html(report: Report) -> str:
    body = [f"<h1>{_e(report.title)}</h1>"]
    if report.description:
        body.append(f'<p class="lead">{_e(report.description)}</p>')
    links = [f'<a href="#section-{n}">{_e(s.title)}</a>' for n, s in enumerate(report.sections, 1)]
    body.append(f'<nav>{"".join(links)}<a href="#sources">Sources</a></nav>')
    for number, section in enumerate(report.sections, 1):
        body.append(_html_section(section, number))
    body.append(_html_sources(report.sources))
    script = f"<script>\n{_SCRIPT}\n</script>\n" if any(s.paths for s in report.sections) else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(report.title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + f"\n</main>\n{script}</body>\n</html>\n"
    )


def _html_section(section: Section, number: int) -> str:
    parts = [f'<section id="section-{number}">', f"<h2>{_e(section.title)}</h2>"]
    if section.text:
        parts.append(f'<p class="text">{_e(section.text)}</p>')
    parts.extend(bar_chart_svg(chart, section) for chart in section.charts)
    if section.paths is not None:
        parts.append(path_view_html(section.paths, number))
    parts.append(_html_table(section))
    if not section.rows:
        parts.append('<p class="empty">No rows.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _html_table(section: Section) -> str:
    numeric = _numeric_columns(section)
    head = "".join(f"<th>{_e(c)}</th>" for c in section.columns)
    rows = []
    for row in _human_rows(section):
        cells = "".join(
            f'<td class="num">{_e(text)}</td>'
            if i in numeric
            # a long text in a narrow column would make its row many lines tall: it gets room, the table scrolls
            else f'<td class="long">{_e(text)}</td>' if len(text) > 60
            else f"<td>{_e(text)}</td>"
            for i, text in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    body = "\n".join(rows)
    return f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>'


def _html_sources(sources: Sequence[SourceRef]) -> str:
    items = []
    for source in sources:
        url = _web_url(source.url)
        if url:
            head = f'<a href="{_e(url)}" rel="noreferrer">{_e(source.title)}</a>'
        else:
            head = _e(source.title) + (f" ({_e(source.url)})" if source.url else "")
        details = source.details()
        items.append(f"<li>{head}{', ' + _e(details) if details else ''}</li>")
    listing = f'<ol class="sources">\n{chr(10).join(items)}\n</ol>' if items else '<p class="empty">No sources.</p>'
    return f'<section id="sources">\n<h2>Sources</h2>\n{listing}\n</section>'


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart_svg(chart: Chart, section: Section) -> str:
    """A <figure> with the chart as inline SVG: labels at the left, bars, values at the bar ends."""
    value_at = section.columns.index(chart.value)
    label_at = [section.columns.index(c) for c in chart.label_columns]
    bars = [
        (" · ".join(human_text(row[i], section.columns[i]) for i in label_at), float(row[value_at]))
        for row in section.rows
        if _is_number(row[value_at]) and math.isfinite(row[value_at])
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
        return f"{_number(value * 100)}%" if chart.percent else _number(value)

    marks = []
    for index, (label, value) in enumerate(shown):
        y = top + index * row_height
        bar = max(value, 0.0) / scale * area
        marks.append(
            f"<g><title>{_e(label)}: {_e(fmt(value))}</title>"
            f'<text x="{label_width - 8}" y="{y + 12}" text-anchor="end">{_e(_short(label, 44))}</text>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 12}">{_e(fmt(value))}</text></g>'
        )
    if not shown:
        marks.append(f'<text x="{label_width}" y="{top + 14}">No values to chart.</text>')
    if chart.marker is not None:
        x = label_width + chart.marker / scale * area
        caption = chart.marker_label or fmt(chart.marker)
        marks.append(
            f'<line class="marker" x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 4}"/>'
            f'<text x="{x:.1f}" y="11" text-anchor="middle">{_e(caption)}</text>'
        )
    title = chart.title or f"{chart.value} by {', '.join(chart.label_columns)}"
    if len(bars) > len(shown):
        title += f" (largest {len(shown)} of {len(bars)})" if chart.sort else f" (first {len(shown)} of {len(bars)})"
    return (
        f'<figure class="chart"><figcaption>{_e(title)}</figcaption>'
        f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(title)}">\n' + "\n".join(marks) + "\n</svg></figure>"
    )


def path_view_html(view: PathView, number: int) -> str:
    """A <figure> with the paths drawn as one layered graph (inline SVG) and listed, both highlightable."""
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
    layers = layering([step.name for step in path] for path in view.paths)
    box_width, box_height, column_width, row_height, slot_height, pad = 170, 24, 205, 32, 12, 8
    gap = row_height - box_height

    def room(entry: Entry) -> int:  # the height an entry takes in its column
        return slot_height if isinstance(entry, Slot) else row_height

    tallest = max((sum(map(room, column)) for column in layers.columns), default=row_height)
    where: dict[Entry, tuple[float, float]] = {}  # a box's top left corner; a slot's row's
    for c, column in enumerate(layers.columns):
        y = pad + (tallest - sum(map(room, column))) / 2
        for entry in column:
            where[entry] = (pad + c * column_width, y)
            y += room(entry)
    width = pad * 2 + max(len(layers.columns) - 1, 0) * column_width + box_width
    height = pad * 2 + tallest

    def middle(entry: Entry) -> float:
        return where[entry][1] + (room(entry) - gap) / 2

    marks = []
    slots = layers.slots()
    for (a, b), paths in edge_paths.items():
        # a long step runs straight across the column of each of its slots, curving between columns
        stops = [(where[a][0] + box_width, middle(a))]
        for slot in slots.get((a, b), ()):
            stops += [(where[slot][0], middle(slot)), (where[slot][0] + box_width, middle(slot))]
        stops.append((where[b][0], middle(b)))
        d = f"M{stops[0][0]:.1f} {stops[0][1]:.1f}"
        for i, ((x1, y1), (x2, y2)) in enumerate(itertools.pairwise(stops)):
            mid = (x1 + x2) / 2
            d += f" L{x2:.1f} {y2:.1f}" if i % 2 else f" C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"
        marks.append(f'<path class="edge" data-paths="{_ids(paths)}" d="{d}"/>')
    for name, paths in node_paths.items():
        x, y = where[name]
        label = node_label[name]
        colour = KIND_COLOURS.get(label, OTHER_COLOUR)
        marks.append(
            f'<g class="node" data-paths="{_ids(paths)}" tabindex="0"><title>{_e(name)}'
            f"{' (' + _e(label) + ')' if label else ''}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_width}" height="{box_height}" rx="4" fill="{colour}"/>'
            f'<text x="{x + 6:.1f}" y="{y + 16:.1f}">{_e(_short(name, 25))}</text></g>'
        )
    legend = "".join(
        f'<span><i style="background:{KIND_COLOURS.get(label, OTHER_COLOUR)}"></i>{_e(label)}</span>'
        for label in sorted({lab for lab in node_label.values() if lab})
    )
    items = "\n".join(
        f'<li data-paths="{index}" tabindex="0">{_e(" → ".join(step.name for step in path))}</li>'
        for index, path in enumerate(view.paths)
    )
    title = view.title or f"{len(view.paths)} dependency paths"
    return (
        f'<figure class="pv" id="paths-{number}"><figcaption>{_e(title)}</figcaption>'
        f'<div class="legend">{legend}</div>\n<div class="scroll">'
        f'<svg class="graph" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{_e(title)}">\n' + "\n".join(marks) + "\n</svg></div>\n"
        f'<ol class="paths">\n{items}\n</ol></figure>'
    )


def _add(indices: list[int], index: int) -> None:
    if not indices or indices[-1] != index:
        indices.append(index)


def _ids(indices: Sequence[int]) -> str:
    return " ".join(str(i) for i in indices)
