"""Turn query results into what people read (a table) and what programs read (JSON, CSV, Markdown).

Graph values become plain data first (kg.cypher.plain).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.table import Table

from kg.cypher.plain import plain
from kg.cypher.results import QueryResult


class ReportFormat(StrEnum):
    """How a report is written (kg.render.report_text); here so that naming one imports no renderer."""

    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


def rows_as_dicts(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, (plain(v) for v in row), strict=True)) for row in result.rows]


def cell_text(value: Any) -> str:
    """One cell for CSV, Markdown and tables: scalars as they are, structures as compact JSON."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_json(result: QueryResult) -> str:
    return json.dumps(rows_as_dicts(result), ensure_ascii=False, indent=2)


# Text a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a carriage return (OWASP's CSV
# injection list). The page's CSV export (web/src/format.js, csvSafe) follows the same rule.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell: cell_text, with text that a spreadsheet would take for a formula kept text behind a `'`.
    Numbers stay numbers (-3 is not defused)."""
    value = plain(value)
    text = cell_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The one CSV writer of the CLI (queries, packs and reports): a header, then each row's csv_cell values, one
    line each (LF). A field holding a comma, a quote, LF or CR is quoted (Python's csv module leaves a CR alone when
    the lines end in LF, and a reader then splits the row there)."""
    lines = [",".join(_csv_field(str(c)) for c in columns)]
    lines.extend(",".join(_csv_field(csv_cell(v)) for v in row) for row in rows)
    return "\n".join(lines) + "\n"


def _csv_field(text: str) -> str:
    if any(char in text for char in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(result: QueryResult) -> str:
    return write_csv(result.columns, result.rows)


def to_markdown(result: QueryResult) -> str:
    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(escape(c) for c in result.columns) + " |"]
    lines.append("|" + "|".join(" --- " for _ in result.columns) + "|")
    lines.extend("| " + " | ".join(escape(cell_text(v)) for v in row) + " |" for row in result.rows)
    return "\n".join(lines) + "\n"


def to_table(result: QueryResult, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(cell_text(v) for v in row))
    return table


def render_text(result: QueryResult, output: OutputFormat) -> str:
    """JSON, CSV or Markdown text; tables are drawn by rich (see `to_table`)."""
    renderers = {OutputFormat.json: to_json, OutputFormat.csv: to_csv, OutputFormat.md: to_markdown}
    return renderers[output](result)


def counts_table(title: str, header: Sequence[str], rows: Sequence[tuple[str, int]]) -> Table:
    table = Table(title=title)
    table.add_column(header[0])
    table.add_column(header[1], justify="right")
    for name, count in rows:
        table.add_row(name, str(count))
    return table
