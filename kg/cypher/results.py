"""What a query answers with, apart from running it (kg.cypher.querying): light to import, for the code that only
shows answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROW_LIMIT = 10_000  # the rows of an analyst's query shown by default, on the page as in `kg query`


@dataclass(frozen=True)
class QueryResult:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    truncated: bool = False  # more rows than the `max_rows` asked for; the rest were never fetched
