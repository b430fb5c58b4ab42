"""Report values as people read them (the table, Markdown and HTML formats, and the graph browser's tables):
floats with at most four decimals, shares as percentages, booleans as yes/no, lists joined by ", " except in a path
column (`path`, `*_path`), joined by " → "."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

from kg.cypher.plain import plain
from kg.render.formats import cell_text
from kg.reports.exposure import percent
from kg.reports.model import Section, is_path_column


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
    if is_number(value) and is_percent_column(column):
        return percent(float(value))
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
        return (" → " if is_path_column(column) else ", ").join(human_text(v) for v in value)
    return cell_text(value)


def number_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) >= 1e9 or abs(value) < 1e-4):
        return f"{value:.4g}"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_columns(section: Section) -> set[int]:
    numeric = set()
    for index in range(len(section.columns)):
        values = [row[index] for row in section.rows if row[index] is not None]
        if values and all(is_number(v) for v in values):
            numeric.add(index)
    return numeric


def human_rows(section: Section, footnotes: Mapping[str, int] | None = None) -> list[list[str]]:
    """The rows as people read them; with `footnotes` (source title → number), a `source` cell is its number."""

    def cell(value: Any, column: str) -> str:
        if footnotes is not None and column == "source" and isinstance(value, str) and value in footnotes:
            return f"[{footnotes[value]}]"
        return human_text(value, column)

    return [[cell(v, c) for v, c in zip(row, section.columns, strict=True)] for row in section.rows]


def web_url(url: str | None) -> str | None:
    """The URL if it is one to link to (http or https), else None."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def escape_html(text: Any) -> str:
    return html.escape(str(text), quote=True)


def shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
