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

import io
import json
from collections.abc import Callable
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from kg.cypher.plain import plain
from kg.cypher.results import QueryResult
from kg.render.formats import ReportFormat, write_csv
from kg.render.formats import to_markdown as markdown_table
from kg.render.report_html import to_html
from kg.render.report_values import human_rows, numeric_columns, web_url
from kg.reports.model import Report, Section, SourceRef


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
    return markdown_table(QueryResult(tuple(section.columns), tuple(tuple(r) for r in human_rows(section))))


def _markdown_source(source: SourceRef) -> str:
    title = source.title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    url = web_url(source.url)
    head = f"[{title}](<{url.replace('>', '%3E')}>)" if url else title
    details = source.details()
    tail = f" {source.url}" if source.url and not url else ""
    return f"{head}{', ' + details if details else ''}{tail}"


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
        numeric = numeric_columns(section)
        for index, column in enumerate(section.columns):
            table.add_column(Text(column), overflow="fold", justify="right" if index in numeric else "left")
        for row in human_rows(section, footnotes):
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
