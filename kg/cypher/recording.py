"""Queries run read-only and recorded in order, so that an answer can say which Cypher it ran (the graph browser
shows it; an analyst takes it to `kg shell` or Neo4j Browser): the one place that runs and records, for the
reports and the page alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.core.cypher_files import own_cypher
from kg.cypher.querying import run_query
from kg.cypher.results import QueryResult
from kg.server.connection import Connection


@dataclass(frozen=True)
class RanQuery:
    """One query that ran, as an analyst would paste it into `kg shell` or Neo4j Browser."""

    name: str
    text: str
    params: Mapping[str, Any]


@dataclass
class RecordedRuns:
    """Runs queries read-only, appending each to `record` first (None: nothing is recorded)."""

    connection: Connection
    record: list[RanQuery] | None = field(default_factory=list)

    def run(self, name: str, text: str, parameters: Mapping[str, Any], max_rows: int | None = None) -> QueryResult:
        if self.record is not None:
            self.record.append(RanQuery(name, text, dict(parameters)))
        return run_query(self.connection, text, parameters, max_rows=max_rows)

    def internal(self, name: str, /, **parameters: Any) -> QueryResult:
        """One of kg's own queries (kg/cypher/NAME.cypher), not an analyst's."""
        return self.run(name, own_cypher("kg", name), parameters)
