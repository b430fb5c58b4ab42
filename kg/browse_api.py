"""The graph browser's API (`kg browse`; the contract is web/API.md): plain functions of a `Connection` (and the
loaded query packs) that return JSON-ready dicts.

HTTP is kg.browse_server's business: these functions raise kg.errors types (`InvalidRequest`, `NotFound`, and the
library's own: `NameNotResolved`, `ReadOnlyViolation`, `QueryFailed`, ...) that it turns into status codes. Every
query runs read-only through `kg.querying.run_query` and is recorded in a `CypherLog`, so that each answer says which
Cypher it ran, in order (`cypher`), for the analyst to take to `kg shell` or Neo4j Browser.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from neo4j.exceptions import ClientError
from neo4j.graph import Node, Path, Relationship

from kg import __version__
from kg.connection import Connection
from kg.errors import InvalidRequest, NotFound, QueryFailed
from kg.packs import PackError, Query, closest
from kg.querying import WRITE_REFUSED, QueryResult, run_query
from kg.report_catalogue import CATALOGUE, check_report_params, find_report
from kg.report_output import LABEL_COLOURS, OTHER_COLOUR, Report, Section, SourceRef, is_path_column, plain
from kg.reports import RanQuery, ReportContext
from kg.resources import internal_cypher

# Each kind with its human label, in legend order (web/API.md, KINDS).
KINDS: tuple[tuple[str, str], ...] = (
    ("Material", "material"),
    ("Intermediate", "intermediate"),
    ("MaterialGroup", "material group"),
    ("Component", "component"),
    ("Product", "product"),
    ("Sector", "sector"),
    ("Country", "country"),
    ("CountryGroup", "country group"),
    ("Company", "company"),
    ("Facility", "facility"),
    ("Agreement", "agreement"),
    ("Regulation", "regulation"),
    ("Benchmark", "benchmark"),
    ("ExportControl", "export control"),
    ("Stage", "value-chain stage"),
    ("Source", "source"),
    ("SupplyShare", "supply share"),
    ("Event", "event"),
    ("Other", "other"),
)
# Label -> kind, most specific first: an intermediate and a material group are also labelled Material, and a
# strategic partnership is drawn as the agreement it is.
_SPECIFIC_FIRST: tuple[tuple[str, str], ...] = (
    ("Intermediate", "Intermediate"),
    ("MaterialGroup", "MaterialGroup"),
    ("Material", "Material"),
    ("Component", "Component"),
    ("Product", "Product"),
    ("Sector", "Sector"),
    ("CountryGroup", "CountryGroup"),
    ("Country", "Country"),
    ("Company", "Company"),
    ("Facility", "Facility"),
    ("Agreement", "Agreement"),
    ("StrategicPartnership", "Agreement"),
    ("Regulation", "Regulation"),
    ("Benchmark", "Benchmark"),
    ("ExportControl", "ExportControl"),
    ("Stage", "Stage"),
    ("Source", "Source"),
    ("SupplyShare", "SupplyShare"),
    ("Event", "Event"),
)
# What search and the neighbourhood show: the value chain itself, not the n-ary facts, their sources or the
# ontology's own terms.
VALUE_CHAIN_LABELS: tuple[str, ...] = tuple(
    dict.fromkeys(label for label, kind in _SPECIFIC_FIRST if kind not in ("Source", "SupplyShare"))
)
# The kinds that SupplyShare facts are about (MATERIAL) or supplied by (SUPPLIER).
_SUPPLY_KINDS = frozenset({"Material", "Intermediate", "MaterialGroup", "Country", "CountryGroup"})

SEARCH_LIMIT = (1, 50, 10)  # lowest, highest, default
NEIGHBOURHOOD_LIMIT = (1, 500, 60)
PATH_STEP = "PATH_STEP"  # an edge between consecutive names of a path column that no relationship links directly
WRITE_REFUSED_TEXT = WRITE_REFUSED.partition(" (run it again")[0]  # the CLI's `--write` hint means nothing here


# Queries, recorded --------------------------------------------------------------------------------------------


@dataclass
class CypherLog:
    """The queries one request ran, in order; `record` is shared with a ReportContext for the canned reports."""

    connection: Connection
    record: list[RanQuery] = field(default_factory=list)

    def internal(self, name: str, /, **parameters: Any) -> QueryResult:
        """One of kg's own queries (kg/cypher/NAME.cypher): a failure is the server's, not the analyst's."""
        return self.run(name, internal_cypher(name), parameters)

    def run(self, name: str, text: str, parameters: Mapping[str, Any]) -> QueryResult:
        self.record.append(RanQuery(name, text, dict(parameters)))
        return run_query(self.connection, text, parameters)

    def analyst(self, name: str, text: str, parameters: Mapping[str, Any]) -> QueryResult:
        """A query the analyst wrote or chose: the database refusing it (syntax, types, unknown function) is a
        malformed request, not a failure of the server."""
        try:
            return self.run(name, text, parameters)
        except QueryFailed as error:
            if isinstance(error.__cause__, ClientError):
                raise InvalidRequest(str(error)) from error
            raise

    def as_json(self) -> list[dict[str, Any]]:
        return [{"name": r.name, "text": r.text, "params": plain(r.params)} for r in self.record]


# Nodes and kinds ----------------------------------------------------------------------------------------------


def kind_of(labels: Iterable[str]) -> str:
    """The most specific KIND of a node with these labels, else "Other"."""
    present = set(labels)
    return next((kind for label, kind in _SPECIFIC_FIRST if label in present), "Other")


_KIND_RANK: Mapping[str, int] = MappingProxyType({kind: rank for rank, (kind, _) in enumerate(KINDS)})


def kind_rank(kind: str) -> int:
    """Lower is a more telling kind for a name that several nodes carry; Other comes last."""
    return _KIND_RANK.get(kind, len(KINDS)) if kind != "Other" else len(KINDS) + 1


def shown_labels(labels: Iterable[str]) -> list[str]:
    """A node's labels without `Resource`, which the loader gives every node."""
    return sorted(set(labels) - {"Resource"})


def display_name(properties: Mapping[str, Any], uri: str) -> str:
    """What to call a node: its name, else its title, else the last segment of its uri."""
    for key in ("name", "title"):
        if isinstance(properties.get(key), str) and properties[key]:
            return str(properties[key])
    return uri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or uri


def graph_node(uri: str, name: str | None, labels: Iterable[str]) -> dict[str, Any]:
    """A node as every graph payload has it: {id, name, kind, labels}."""
    labels = list(labels)
    return {"id": uri, "name": name or display_name({}, uri), "kind": kind_of(labels), "labels": shown_labels(labels)}


def edge(source: str, type_: str, target: str, properties: Mapping[str, Any], key: str = "") -> dict[str, Any]:
    """An edge with an id that is the same in every answer: source|TYPE|target (and a key for derived ones)."""
    ident = f"{source}|{type_}|{target}" + (f"|{key}" if key else "")
    return {"id": ident, "source": source, "target": target, "type": type_, "properties": plain(dict(properties))}


def source_entry(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A source as the page shows it: {title, publisher, year, url}, several publishers joined into one string."""
    publisher = raw.get("publisher")
    if isinstance(publisher, (list, tuple)):
        publisher = ", ".join(str(p) for p in publisher) or None
    return {"title": raw.get("title"), "publisher": publisher, "year": raw.get("year"), "url": raw.get("url")}


def unique_sources(sources: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each source once (by title), in the order first met."""
    seen: dict[Any, dict[str, Any]] = {}
    for raw in sources:
        if raw and raw.get("title") and raw["title"] not in seen:
            seen[raw["title"]] = source_entry(raw)
    return list(seen.values())


# Request values ------------------------------------------------------------------------------------------------


def int_arg(raw: str | None, name: str, bounds: tuple[int, int, int]) -> int:
    """A whole-number query parameter within bounds (lowest, highest, default); absent or empty: the default."""
    lowest, highest, default = bounds
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidRequest(f"{name} must be a whole number from {lowest} to {highest}, not {raw!r}") from None
    if not lowest <= value <= highest:
        raise InvalidRequest(f"{name} must be from {lowest} to {highest}, not {value}")
    return value


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
    """What the page is connected to (the uri as redacted by kg.config, never credentials) and the legend. It runs
    no query, so the page can colour its first graph at once (counting a large graph is `counts`' business)."""
    return {
        "backend": connection.backend,
        "uri": connection.uri,
        "database": connection.database,
        "version": __version__,
        "kinds": [{"kind": k, "label": label, "colour": LABEL_COLOURS.get(k, OTHER_COLOUR)} for k, label in KINDS],
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
        results = [{**graph_node(uri, name, labels), "matched": alt} for uri, name, labels, alt, _ in found.rows]
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
            titles = [s["title"] for s in sources if s and s.get("title")]
            supply.append(
                {
                    "material": material,
                    "country": country,
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


# Graphs of results --------------------------------------------------------------------------------------------


@dataclass
class GraphBuilder:
    """Collects the nodes, edges and highlighted paths of one result, each node and edge once."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    paths: list[list[str]] = field(default_factory=list)

    def add_node(self, uri: str, name: str | None, labels: Iterable[str]) -> None:
        self.nodes.setdefault(uri, graph_node(uri, name, labels))

    def add_edge(self, found: dict[str, Any]) -> None:
        self.edges.setdefault(found["id"], found)

    def as_json(self) -> dict[str, Any] | None:
        if not self.nodes:
            return None
        return {"nodes": list(self.nodes.values()), "edges": list(self.edges.values()), "paths": self.paths}


def pick_named(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[str, list[str]]]:
    """Name -> (uri, labels) from browse_nodes_named rows: where several nodes carry a name, the one of the most
    telling kind (a path's "gallium metal" is the intermediate, not the export control's item of that name)."""
    best: dict[str, tuple[str, list[str]]] = {}
    for uri, name, labels in rows:
        current = best.get(name)
        if current is None or kind_rank(kind_of(labels)) < kind_rank(kind_of(current[1])):
            best[name] = (uri, list(labels))
    return best


def name_path_graph(
    builder: GraphBuilder,
    paths: Sequence[Sequence[str]],
    named: Mapping[str, tuple[str, list[str]]],
    links: Iterable[Sequence[Any]],
) -> None:
    """Add paths given as names: their nodes, an edge per step (the linking relationship from browse_links rows,
    else PATH_STEP) and each path as the uris of its resolved names."""
    linked: dict[frozenset[str], list[dict[str, Any]]] = {}
    for source, type_, target, properties in links:
        linked.setdefault(frozenset((source, target)), []).append(edge(source, type_, target, properties or {}))
    for path in paths:
        uris = [named[name][0] for name in path if name in named]
        for name in path:
            if name in named:
                builder.add_node(named[name][0], name, named[name][1])
        for a, b in _steps(uris):
            for found in linked.get(frozenset((a, b)), [edge(a, PATH_STEP, b, {})]):
                builder.add_edge(found)
        if uris:
            builder.paths.append(uris)


def _steps(uris: Sequence[str]) -> Iterator[tuple[str, str]]:
    for a, b in itertools.pairwise(uris):
        if a != b:
            yield a, b


def add_name_paths(log: CypherLog, builder: GraphBuilder, paths: Sequence[Sequence[str]]) -> None:
    """Resolve the names of `paths` in the graph (two queries) and add them to the builder."""
    names = sorted({name for path in paths for name in path})
    if not names:
        return
    named = pick_named(log.internal("browse_nodes_named", names=names).rows)
    resolved = [[named[name][0] for name in path if name in named] for path in paths]
    pairs = sorted({pair for uris in resolved for pair in _steps(uris)})
    links = log.internal("browse_links", pairs=[list(p) for p in pairs]).rows if pairs else ()
    name_path_graph(builder, paths, named, links)


def add_values(builder: GraphBuilder, rows: Iterable[Sequence[Any]]) -> None:
    """Add the Node, Relationship and Path values of driver rows (analyst Cypher), nested in lists and maps too."""
    values = list(_graph_values(rows))
    ids: dict[str, str] = {}
    for value in values:
        for found in value.nodes if isinstance(value, Path) else [value] if isinstance(value, Node) else []:
            ids[found.element_id] = _node_id(found)
            builder.add_node(ids[found.element_id], display_name(dict(found), ids[found.element_id]), found.labels)
    for value in values:
        relationships = value.relationships if isinstance(value, Path) else [value]
        for rel in relationships:
            if not isinstance(rel, Relationship) or rel.start_node is None or rel.end_node is None:
                continue
            source, target = ids.get(rel.start_node.element_id), ids.get(rel.end_node.element_id)
            if source and target:  # an end that the result does not hold cannot be drawn
                builder.add_edge(edge(source, rel.type, target, dict(rel)))
        if isinstance(value, Path):
            builder.paths.append([ids[n.element_id] for n in value.nodes])


def _node_id(found: Node) -> str:
    uri = found.get("uri")
    return uri if isinstance(uri, str) and uri else found.element_id


def _graph_values(rows: Iterable[Any]) -> Iterator[Node | Relationship | Path]:
    for value in rows:
        if isinstance(value, (Node, Relationship, Path)):
            yield value
        elif isinstance(value, Mapping):
            yield from _graph_values(value.values())
        elif isinstance(value, (list, tuple)):
            yield from _graph_values(value)


def result_graph(log: CypherLog, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> dict[str, Any] | None:
    """The graph of a result (web/API.md, `graph`): from its path columns and from graph values in its rows."""
    builder = GraphBuilder()
    paths = [
        [str(name) for name in row[i]]
        for i, column in enumerate(columns)
        if is_path_column(column)
        for row in rows
        if isinstance(row[i], list) and row[i] and all(isinstance(name, str) for name in row[i])
    ]
    add_name_paths(log, builder, paths)
    add_values(builder, rows)
    return builder.as_json()


def table(log: CypherLog, result: QueryResult) -> dict[str, Any]:
    return {
        "columns": list(result.columns),
        "rows": [[plain(v) for v in row] for row in result.rows],
        "graph": result_graph(log, result.columns, result.rows),
    }


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
    _check_dates(query, parameters)
    log = CypherLog(connection)
    result = log.analyst(query.name, query.text, parameters)
    return {"name": query.name, **table(log, result), "cypher": log.as_json()}


def _check_dates(query: Query, parameters: Mapping[str, Any]) -> None:
    """A date parameter is text to packs; checked here so that a bad one is named, not a database error."""
    for param in query.params:
        value = parameters[param.name]
        if param.type == "date" and value != "":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise InvalidRequest(
                    f"parameter {param.name} of query {query.name} must be a date YYYY-MM-DD, not {value!r}"
                ) from None


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
