"""The graph browser's API (`kg browse`; the contract is web/API.md): plain functions of a `Connection` (and the
loaded query packs) that return JSON-ready dicts.

Graphs (kinds, nodes, edges, the graph of a result) are kg.browse.graph's. HTTP is kg.browse.server's business:
these functions raise kg.core.errors types (`InvalidRequest`, `NotFound`, and the
library's own: `NameNotResolved`, `ReadOnlyViolation`, `QueryFailed`, ...) that it turns into status codes. Every
query runs read-only through `kg.cypher.querying.run_query` and is recorded in a `CypherLog`, so that each answer
says which Cypher it ran, in order (`cypher`), for the analyst to take to `kg shell` or Neo4j Browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from neo4j.exceptions import ClientError
from neo4j.graph import Node

from kg import __version__
from kg.browse.graph import (
    GraphBuilder,
    add_name_paths,
    display_name,
    edge,
    graph_node,
    name_text,
    result_graph,
)
from kg.core.cypher_files import Query
from kg.core.errors import InvalidRequest, NotFound, PackError, QueryFailed, QueryTextRefused
from kg.core.kinds import KIND_COLOURS, KINDS, OTHER_COLOUR, VALUE_CHAIN_LABELS, kind_of
from kg.core.suggest import closest
from kg.core.values import whole_number
from kg.cypher.plain import plain
from kg.cypher.recording import RecordedRuns
from kg.cypher.results import ROW_LIMIT, QueryResult
from kg.render.layers import layering
from kg.reports.builders import ReportContext
from kg.reports.catalogue import CATALOGUE, check_report_params, find_report
from kg.reports.model import Report, Section, SourceRef
from kg.server.connection import Connection

# The kinds that SupplyShare facts are about (MATERIAL) or supplied by (SUPPLIER).
_SUPPLY_KINDS = frozenset({"Material", "Intermediate", "MaterialGroup", "Country", "CountryGroup"})

SEARCH_LIMIT = (1, 50, 10)  # lowest, highest, default
NEIGHBOURHOOD_LIMIT = (1, 500, 60)
# The most rows an analyst's query (free Cypher, a pack query) answers with; the rest is cut and the answer says
# `truncated`. A browser tab cannot show more usefully, and a million rows are megabytes of JSON.
MAX_ROWS = ROW_LIMIT


# Queries, recorded --------------------------------------------------------------------------------------------


class CypherLog(RecordedRuns):
    """The queries one request ran, in order; `record` is shared with a ReportContext for the canned reports."""

    def analyst(self, name: str, text: str, parameters: Mapping[str, Any]) -> QueryResult:
        """A query the analyst wrote or chose: the database refusing it (syntax, types, unknown function) is a
        malformed request, not a failure of the server. So is a parameter the driver cannot send: an integer
        beyond 64 bits (OverflowError), a lone surrogate (UnicodeEncodeError), a value of no Bolt type."""
        try:
            return self.run(name, text, parameters, max_rows=MAX_ROWS)
        except QueryFailed as error:
            if isinstance(error, QueryTextRefused) or isinstance(error.__cause__, ClientError):
                raise InvalidRequest(str(error)) from error
            raise
        except (OverflowError, UnicodeEncodeError, TypeError, ValueError, RecursionError) as error:
            raise InvalidRequest(f"a parameter cannot be sent to the database: {error}") from error

    def as_json(self) -> list[dict[str, Any]]:
        return [{"name": r.name, "text": r.text, "params": plain(r.params)} for r in self.record or ()]


# Sources ------------------------------------------------------------------------------------------------------


def source_title(raw: Mapping[str, Any]) -> Any:
    """A source's title, else its name (a source's properties as the browse queries return them)."""
    title = raw.get("title")
    return raw.get("name") if title is None else title


def source_entry(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A source as the page shows it: {title, publisher, year, url}, several publishers joined into one string."""
    publisher = raw.get("publisher")
    if isinstance(publisher, (list, tuple)):
        publisher = ", ".join(str(p) for p in publisher) or None
    return {"title": source_title(raw), "publisher": publisher, "year": raw.get("year"), "url": raw.get("url")}


def unique_sources(sources: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each source once (by title), in the order first met."""
    seen: dict[Any, dict[str, Any]] = {}
    for raw in sources:
        title = source_title(raw) if raw else None
        if title and title not in seen:
            seen[title] = source_entry(raw)
    return list(seen.values())


# Request values ------------------------------------------------------------------------------------------------


def int_arg(raw: str | None, name: str, bounds: tuple[int, int, int]) -> int:
    """A whole-number query parameter within bounds (lowest, highest, default); absent or empty: the default."""
    lowest, highest, default = bounds
    if raw is None or raw.strip() == "":
        return default
    return whole_number(name, raw, lowest, highest)


def body_fields(body: Any, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON body's fields, checked: an object with every required field and no unknown one."""
    if not isinstance(body, dict):
        raise InvalidRequest("the request body must be a JSON object")
    unknown = sorted(set(body) - {*required, *optional})
    if unknown:
        raise InvalidRequest(f"unknown field {unknown[0]!r}; the body takes {', '.join([*required, *optional])}")
    missing = [name for name in required if name not in body]
    if missing:
        raise InvalidRequest(f"the body has no {missing[0]!r}")
    return body


def text_field(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{name} must be a non-empty string")
    return value


def params_field(body: Mapping[str, Any]) -> dict[str, Any]:
    value = body.get("params", {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequest("params must be a JSON object of parameter names and values")
    return value


# Endpoints -----------------------------------------------------------------------------------------------------


def info(connection: Connection) -> dict[str, Any]:
    """What the page is connected to (the uri as redacted by kg.core.config, never credentials) and the legend. It runs
    no query, so the page can colour its first graph at once (counting a large graph is `counts`' business)."""
    return {
        "backend": connection.backend,
        "uri": connection.uri,
        "database": connection.database,
        "version": __version__,
        "kinds": [{"kind": k, "label": label, "colour": KIND_COLOURS.get(k, OTHER_COLOUR)} for k, label in KINDS],
        "cypher": [],
    }


def counts(connection: Connection) -> dict[str, Any]:
    """How many nodes and relationships the graph holds (a scan on the embedded default: hundreds of ms)."""
    log = CypherLog(connection)
    nodes, relationships = log.internal("count_totals").rows[0]
    return {"nodes": nodes, "relationships": relationships, "cypher": log.as_json()}


def search(connection: Connection, q: str, limit: int = SEARCH_LIMIT[2]) -> dict[str, Any]:
    """Value-chain entities by name, alternative label or code, best first (see browse_search.cypher)."""
    log = CypherLog(connection)
    results: list[dict[str, Any]] = []
    if q.strip():
        found = log.internal("browse_search", q=q.strip(), labels=list(VALUE_CHAIN_LABELS), limit=limit)
        results = [
            {**graph_node(uri, name, labels), "matched": name_text(alt) or None}
            for uri, name, labels, alt, _ in found.rows
        ]
    return {"query": q, "results": results, "cypher": log.as_json()}


def node(connection: Connection, uri: str) -> dict[str, Any]:
    """One node: its properties, the supply facts about it (a material) or by it (a country), and the sources."""
    log = CypherLog(connection)
    found, labels, own_sources = _the_node(log, uri)
    kind = kind_of(labels)
    supply: list[dict[str, Any]] = []
    supply_sources: list[Mapping[str, Any]] = []
    if kind in _SUPPLY_KINDS:
        for row in log.internal("browse_node_supply", id=uri).rows:
            material, _, country, _, stage, scope, share, year, sources = row
            titles = [title for title in (source_title(s) for s in sources if s) if title]
            supply.append(
                {
                    "material": name_text(material),
                    "country": name_text(country),
                    "stage": stage,
                    "scope": scope,
                    "share": plain(share),
                    "year": plain(year),
                    "source": "; ".join(titles) or None,
                }
            )
            supply_sources.extend(sources)
    properties = plain(dict(found))
    return {
        "node": {**graph_node(uri, display_name(properties, uri), labels), "properties": properties},
        "supply": supply,
        "sources": unique_sources([*own_sources, *supply_sources]),
        "cypher": log.as_json(),
    }


def _the_node(log: CypherLog, uri: str) -> tuple[Node, list[str], list[Mapping[str, Any]]]:
    rows = log.internal("browse_node", id=uri).rows
    if not rows:
        raise NotFound(f"no node has the uri {uri!r}")
    found, labels, sources = rows[0]
    return found, list(labels), [s for s in sources if s]


def neighbourhood(connection: Connection, uri: str, limit: int = NEIGHBOURHOOD_LIMIT[2]) -> dict[str, Any]:
    """A node's direct relationships with value-chain entities, and derived SUPPLIES edges, most important first."""
    log = CypherLog(connection)
    found, labels, _ = _the_node(log, uri)
    center = graph_node(uri, display_name(dict(found), uri), labels)
    direct = log.internal("browse_neighbours", id=uri, labels=list(VALUE_CHAIN_LABELS), limit=limit + 1)
    supplies = log.internal("browse_supplies", id=uri, limit=limit + 1).rows if center["kind"] in _SUPPLY_KINDS else ()
    return {"center": uri, **neighbourhood_graph(center, direct.rows, supplies, limit), "cypher": log.as_json()}


def neighbourhood_graph(
    center: Mapping[str, Any], direct: Sequence[Sequence[Any]], supplies: Sequence[Sequence[Any]], limit: int
) -> dict[str, Any]:
    """Nodes and edges from browse_neighbours and browse_supplies rows: USED_IN first, then SUPPLIES by share
    (largest first), then the rest as the query ordered them; at most `limit` edges; `truncated` if more."""
    used_in: list[tuple[dict[str, Any], dict[str, Any]]] = []
    others: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for source, type_, target, properties, ident, name, labels in direct:
        (used_in if type_ == "USED_IN" else others).append(
            (edge(source, type_, target, properties or {}), graph_node(ident, name, labels))
        )
    supplied = [_supply_edge(center["id"], row) for row in supplies]
    supplied.sort(key=lambda pair: -(pair[0]["properties"]["share"] or 0.0))
    ordered = [*used_in, *supplied, *others]
    nodes: dict[str, dict[str, Any]] = {center["id"]: dict(center)}
    for _, neighbour in ordered[:limit]:
        nodes.setdefault(neighbour["id"], neighbour)
    return {
        "nodes": list(nodes.values()),
        "edges": [e for e, _ in ordered[:limit]],
        "truncated": len(ordered) > limit,
    }


def _supply_edge(center: str, row: Sequence[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A SUPPLIES edge country -> material from a browse_supplies row, and the end that is not the centre."""
    country, country_name, country_labels, material, material_name, material_labels = row[:6]
    stage_id, stage, share, year, source = row[6:]
    properties = {"share": share, "stage": stage, "year": year, "source": source}
    found = edge(country, "SUPPLIES", material, properties, key=stage_id or "")
    other = graph_node(material, material_name, material_labels)
    if material == center:
        other = graph_node(country, country_name, country_labels)
    return found, other


def table(log: CypherLog, result: QueryResult) -> dict[str, Any]:
    """An analyst's result as columns, rows and graph: at most MAX_ROWS rows (and the graph of those), with
    `truncated` saying whether there were more."""
    rows = result.rows[:MAX_ROWS]
    graph = result_graph(log, result.columns, rows)
    return {
        "columns": list(result.columns),
        "rows": [[plain(v) for v in row] for row in rows],
        "truncated": result.truncated or len(result.rows) > MAX_ROWS,
        "graph": graph,
        "layers": layers([graph]),
    }


def layers(graphs: Iterable[Mapping[str, Any] | None]) -> list[list[Any]] | None:
    """Where the page places the paths of a result's graphs, all in one drawing (kg.render.layers); None if none."""
    paths = [path for graph in graphs if graph for path in graph["paths"]]
    return layering(paths).as_json() if paths else None


# Packs, reports and free Cypher --------------------------------------------------------------------------------


def packs(queries: Mapping[str, Query]) -> dict[str, Any]:
    return {"queries": [_pack_entry(q) for q in sorted(queries.values(), key=lambda q: (q.pack, q.name))]}


def _pack_entry(query: Query) -> dict[str, Any]:
    return {
        "name": query.name,
        "pack": query.pack,
        "description": query.description,
        "question": query.question,
        "params": [{"name": p.name, "type": p.type, "example": p.example, "doc": p.doc} for p in query.params],
        "returns": [{"name": c.name, "type": c.type} for c in query.returns],
    }


def run_pack(connection: Connection, queries: Mapping[str, Query], body: Any) -> dict[str, Any]:
    """Run one pack query with the given parameters (the query's examples for the rest)."""
    fields = body_fields(body, ["name"], ["params"])
    name = text_field(fields, "name")
    query = queries.get(name)
    if query is None:
        suggestions = tuple(closest(name, queries))
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        raise NotFound(f"no pack query named {name!r}{hint}", suggestions)
    try:
        parameters = query.check_parameters(params_field(fields))
    except PackError as error:
        raise InvalidRequest(str(error)) from error
    log = CypherLog(connection)
    result = log.analyst(query.name, query.text, parameters)
    return {"name": query.name, **table(log, result), "cypher": log.as_json()}


def reports() -> dict[str, Any]:
    return {"reports": [entry.as_json() for entry in CATALOGUE]}


def run_report(connection: Connection, queries: Mapping[str, Query], body: Any) -> dict[str, Any]:
    """Run one canned report with its parameters, checked against the catalogue."""
    fields = body_fields(body, ["name"], ["params"])
    entry = find_report(text_field(fields, "name"))
    parameters = check_report_params(entry, params_field(fields))
    log = CypherLog(connection)
    made = entry.build(ReportContext(connection, queries, record=log.record), parameters)
    return _report_json(log, made, entry.description)


def _report_json(log: CypherLog, made: Report, description: str) -> dict[str, Any]:
    sections = [_section_json(log, section) for section in made.sections]
    return {
        "title": made.title,
        "description": made.description or description,
        "sections": sections,
        "layers": layers(s["graph"] for s in sections),
        "sources": [source_entry(_source_fields(s)) for s in made.sources],
        "cypher": log.as_json(),
    }


def _source_fields(source: SourceRef) -> dict[str, Any]:
    return {"title": source.title, "publisher": list(source.publisher), "year": source.year, "url": source.url}


def _section_json(log: CypherLog, section: Section) -> dict[str, Any]:
    builder = GraphBuilder()
    if section.paths is not None:
        add_name_paths(log, builder, [[step.name for step in path] for path in section.paths.paths])
    return {
        "title": section.title,
        "text": section.text,
        "columns": list(section.columns),
        "rows": [[plain(v) for v in row] for row in section.rows],
        "graph": builder.as_json(),
    }


def query(connection: Connection, body: Any) -> dict[str, Any]:
    """Run the analyst's Cypher read-only: a write is rolled back and refused (ReadOnlyViolation)."""
    fields = body_fields(body, ["cypher"], ["params"])
    log = CypherLog(connection)
    result = log.analyst("query", text_field(fields, "cypher"), params_field(fields))
    return {**table(log, result), "cypher": log.as_json()}
