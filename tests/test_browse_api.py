"""The graph browser's API over real HTTP (urllib, http.client) against a `BrowseServer` on each engine:
the session's shared copy of the bundled dataset (read only), and a database of the test's own for the write refusal.

Expected values come from the data files: read with pyoxigraph where a whole set is compared (gallium's supply
facts), hand-checked against the Turtle otherwise (file and line named beside each).
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies

from kg.browse.api import MAX_ROWS
from kg.browse.server import BrowseServer
from kg.core.config import load_settings
from kg.core.cypher_files import Query
from kg.core.errors import KgError
from kg.core.resources import data_dir, ontology_file, queries_dir
from kg.cypher.packs import load_packs
from kg.cypher.querying import run_query
from kg.server.connection import Connection, connect
from kg.server.embedded import ROOT_USER, EmbeddedServer
from tests.backends import GraphDatabase
from tests.conftest import TEST_HEAP, own_embedded_server
from tests.rdf_data import turtle_store

pytestmark = pytest.mark.graph

ID = "https://w3id.org/crm-kg/id/"
GALLIUM = ID + "material/gallium"  # data/materials.ttl:197
GALLIUM_METAL = ID + "material/gallium-metal"  # data/materials.ttl:853; value-chains.ttl:669 gallium usedIn it
GAN_WAFER = ID + "material/gan-wafer"  # data/materials.ttl:862, altLabel "GaN substrate"
GAN_TRANSISTOR = ID + "component/gan-power-transistor"  # data/value-chains.ttl:672 GaN wafer usedIn it
CHINA = ID + "country/CN"
INDEX = "<!DOCTYPE html><title>crm-kg test page</title>"
API_MD = Path(__file__).resolve().parent.parent / "web" / "API.md"


def promised_csp() -> str:
    """The Content-Security-Policy as web/API.md states it (the contract, not the module's own constant)."""
    text = " ".join(API_MD.read_text(encoding="utf-8").split())
    found = re.search(r"`Content-Security-Policy: ([^`]+)`", text)
    assert found, "web/API.md states no Content-Security-Policy"
    return found[1]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


@dataclass(frozen=True)
class Client:
    """Requests to one BrowseServer; every answer is checked for the connection's credentials."""

    base: str
    password: str

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = Answer(response.status, dict(response.headers), response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read().decode("utf-8"))
        assert self.password not in answer.text
        assert f"{ROOT_USER}:" not in answer.text and f"{ROOT_USER}@" not in answer.text
        if path.startswith("/api/"):
            assert answer.headers["Cache-Control"] == "no-store"
            assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
        return answer

    def get(self, path: str, **params: str) -> Answer:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self.request("GET", path + query)

    def post(self, path: str, payload: Any) -> Answer:
        body = json.dumps(payload).encode("utf-8")
        return self.request("POST", path, body, {"Content-Type": "application/json"})

    def ok(self, answer: Answer) -> Any:
        assert answer.status == 200, answer.text
        return answer.json


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny stand-in for the built front end (another module builds the real one)."""
    folder = tmp_path_factory.mktemp("assets")
    (folder / "index.html").write_text(INDEX, encoding="utf-8")
    (folder / "app.js").write_text("console.log('crm-kg');\n", encoding="utf-8")
    (folder / ".built").write_text("", encoding="utf-8")
    (folder.parent / "secret.txt").write_text("not for the page", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def queries() -> dict[str, Query]:
    return load_packs([queries_dir()])


@pytest.fixture(scope="module")
def server(bundled_dataset: Connection, queries: dict[str, Query], assets: Path) -> Iterator[BrowseServer]:
    with BrowseServer(bundled_dataset, queries, assets_dir=assets).start() as started:
        yield started


@pytest.fixture(scope="module")
def client(server: BrowseServer, bundled_graph: tuple[GraphDatabase, Connection]) -> Client:
    return Client(server.url.rstrip("/"), bundled_graph[0].password)


# --- info and search --------------------------------------------------------------------------------------------


def test_info_names_the_backend_and_database_and_every_kind_with_its_colour(
    client: Client, bundled_dataset: Connection, bundled_graph: tuple[GraphDatabase, Connection]
) -> None:
    answer = client.get("/api/info")
    info = client.ok(answer)
    assert info["backend"] == bundled_graph[0].backend
    assert info["database"] == bundled_dataset.database
    assert info["uri"].startswith("bolt://127.0.0.1:")
    assert ROOT_USER not in answer.text
    assert "counts" not in info and info["cypher"] == []  # nothing to wait for before the first graph
    kinds = {k["kind"]: k for k in info["kinds"]}
    assert kinds["ExportControl"]["label"] == "export control"
    assert kinds["Material"]["colour"] == "#f0b65a"  # the report HTML's colour, unchanged
    colours = [k["colour"] for k in info["kinds"]]
    assert len(set(colours)) == len(colours)
    assert {"Material", "Component", "Country", "Company", "Agreement", "Other"} <= set(kinds)


def test_counts_are_the_graphs(client: Client, bundled_dataset: Connection) -> None:
    counts = client.ok(client.get("/api/counts"))
    nodes = run_query(bundled_dataset, "MATCH (n) RETURN count(*) AS n").rows[0][0]
    relationships = run_query(bundled_dataset, "MATCH ()-[r]->() RETURN count(*) AS n").rows[0][0]
    assert (counts["nodes"], counts["relationships"]) == (nodes, relationships)
    assert nodes > 3000  # the bundled dataset, not an empty database


def test_search_finds_gallium_first_by_its_name(client: Client) -> None:
    found = client.ok(client.get("/api/search", q="gallium"))
    assert found["query"] == "gallium"
    first = found["results"][0]
    assert first == {"id": GALLIUM, "name": "gallium", "kind": "Material", "labels": ["Material"], "matched": None}
    assert GALLIUM_METAL in [r["id"] for r in found["results"]]
    assert [c["name"] for c in found["cypher"]] == ["browse_search"]


def test_search_finds_by_alternative_label_and_says_which(client: Client) -> None:
    found = client.ok(client.get("/api/search", q="gan substrate"))  # materials.ttl:864
    assert found["results"][0]["id"] == GAN_WAFER
    assert found["results"][0]["matched"] == "GaN substrate"
    assert found["results"][0]["kind"] == "Intermediate"


def test_search_by_prefix_puts_names_that_start_with_it_first(client: Client) -> None:
    results = client.ok(client.get("/api/search", q="GALLI", limit="5"))["results"]
    assert 0 < len(results) <= 5
    assert [r["name"] for r in results[:2]] == ["gallium", "gallium metal"]
    assert all(r["kind"] not in ("SupplyShare", "Source") for r in results)


def test_an_empty_search_runs_nothing_and_finds_nothing(client: Client) -> None:
    assert client.ok(client.get("/api/search", q="  ")) == {"query": "  ", "results": [], "cypher": []}
    assert client.ok(client.get("/api/search"))["results"] == []


# --- node and neighbourhood -------------------------------------------------------------------------------------


def gallium_facts_in_the_data() -> list[tuple[str, str, str, float, int, str]]:
    """Gallium's SupplyShare facts as data/supply.ttl states them: country, stage, scope, share, year, source."""
    names = ("supply.ttl", "countries.ttl", "stages.ttl", "sources.ttl")
    store = turtle_store(*(data_dir() / name for name in names), ontology_file())
    rows = store.query(
        """
        PREFIX crm: <https://w3id.org/crm-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?country ?stage ?scope ?share ?year ?title WHERE {
          ?s a crm:SupplyShare ; crm:material <https://w3id.org/crm-kg/id/material/gallium> ;
             crm:supplier/rdfs:label ?country ; crm:stage/rdfs:label ?stage ; crm:scope/rdfs:label ?scope ;
             crm:share ?share ; crm:referenceYear ?year ; crm:source/dcterms:title ?title .
        }"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    return [
        (
            r["country"].value,
            r["stage"].value,
            r["scope"].value,
            float(r["share"].value),
            int(r["year"].value),
            r["title"].value,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Figure:
    share_uri: str
    material: str
    stage: str
    country: str
    share: float
    year: int
    source: str  # the title of the share's first source


def world_supply_in_the_data() -> list[Figure]:
    """Every World SupplyShare of data/supply.ttl that cites a source, with its first source (supply_shares.cypher:
    the one whose id ends the share's id, else the first by title, then uri)."""
    store = turtle_store(data_dir() / "supply.ttl", data_dir() / "sources.ttl", ontology_file())
    rows = store.query(
        """
        PREFIX crm: <https://w3id.org/crm-kg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?s ?m ?st ?c ?share ?year ?src ?title WHERE {
          ?s a crm:SupplyShare ; crm:scope crm:World ; crm:material ?m ; crm:stage ?st ; crm:supplier ?c ;
             crm:share ?share ; crm:referenceYear ?year ; crm:source ?src .
          OPTIONAL { ?src dcterms:title ?title FILTER (lang(?title) IN ("", "en")) }
        }"""
    )
    assert isinstance(rows, ox.QuerySolutions)
    sources: dict[str, list[tuple[int, str, str]]] = {}
    facts: dict[str, tuple[str, str, str, float, int]] = {}
    for r in rows:
        share_uri, src = r["s"].value, r["src"].value
        title = r["title"].value if r["title"] is not None else src.rsplit("/", 1)[-1]
        own = 0 if share_uri.endswith("-" + src.rsplit("/", 1)[-1]) else 1
        sources.setdefault(share_uri, []).append((own, title, src))
        facts[share_uri] = (r["m"].value, r["st"].value, r["c"].value, float(r["share"].value), int(r["year"].value))
    return [Figure(uri, *facts[uri], min(sources[uri])[1]) for uri in facts]


def world_supply_picked(uri: str) -> list[Figure]:
    """The figures that SUPPLIES edges of a material or country must show: per (material, stage), the (source,
    year) group of the latest year, then with the most countries, then the first source by title (and uri), as
    queries/concentration/stage_concentration.cypher picks it; then those about or by `uri`."""
    groups: dict[tuple[str, str], dict[tuple[str, int], list[Figure]]] = {}
    for figure in world_supply_in_the_data():
        groups.setdefault((figure.material, figure.stage), {}).setdefault((figure.source, figure.year), []).append(
            figure
        )
    picked: list[Figure] = []
    for by_source in groups.values():
        _, figures = min(by_source.items(), key=lambda kv: (-kv[0][1], -len(kv[1]), kv[0][0]))
        picked.extend(f for f in figures if uri in (f.material, f.country))
    return picked


def test_node_of_gallium_has_its_properties_supply_facts_and_sources(client: Client) -> None:
    found = client.ok(client.get("/api/node", id=GALLIUM))
    node = found["node"]
    assert (node["id"], node["name"], node["kind"]) == (GALLIUM, "gallium", "Material")
    assert node["properties"]["symbol"] == "Ga" and node["properties"]["altLabels"] == ["Ga"]  # materials.ttl:199
    facts = gallium_facts_in_the_data()
    expected = {(c, st, sc, share, year) for c, st, sc, share, year, _ in facts}
    got = {(r["country"], r["stage"], r["scope"], r["share"], r["year"]) for r in found["supply"]}
    assert got == expected
    assert len(found["supply"]) == 24  # "gallium (material:gallium): 24 shares" (supply.ttl:13045)
    titles: dict[tuple[str, str, str, float, int], set[str]] = {
        (c, st, sc, share, year): set() for c, st, sc, share, year, _ in facts
    }
    for c, st, sc, share, year, title in facts:
        titles[(c, st, sc, share, year)].add(title)
    for row in found["supply"]:
        assert (
            set(row["source"].split("; "))
            <= titles[(row["country"], row["stage"], row["scope"], row["share"], row["year"])]
        )
    source_titles = {s["title"] for s in found["sources"]}
    assert {t for *_, t in facts} <= source_titles
    assert all(set(s) == {"title", "publisher", "year", "url"} for s in found["sources"])
    assert [c["name"] for c in found["cypher"]] == ["browse_node", "browse_node_supply"]


def test_node_of_a_component_has_no_supply_facts(client: Client) -> None:
    found = client.ok(client.get("/api/node", id=GAN_TRANSISTOR))
    assert found["node"]["kind"] == "Component" and found["node"]["name"] == "GaN power transistor"
    assert found["supply"] == []


def test_an_unknown_node_is_404_and_a_missing_id_400(client: Client) -> None:
    missing = client.get("/api/node", id=ID + "material/unobtainium")
    assert missing.status == 404 and "unobtainium" in missing.json["error"]
    assert client.get("/api/neighbourhood", id=ID + "nothing").status == 404
    assert client.get("/api/node").status == 400


def test_gallium_neighbourhood_has_what_it_goes_into_and_china_supplying_it(client: Client) -> None:
    found = client.ok(client.get("/api/neighbourhood", id=GALLIUM))
    assert found["center"] == GALLIUM and found["truncated"] is False
    nodes = {n["id"]: n for n in found["nodes"]}
    edges = found["edges"]
    assert edges[0]["type"] == "USED_IN"  # most important first
    assert (edges[0]["source"], edges[0]["target"]) == (GALLIUM, GALLIUM_METAL)
    assert nodes[GALLIUM_METAL]["kind"] == "Intermediate"
    supplies = [e for e in edges if e["type"] == "SUPPLIES"]
    shares = [e["properties"]["share"] for e in supplies]
    assert shares == sorted(shares, reverse=True)
    china = [e for e in supplies if e["source"] == CHINA]
    assert china and all(e["target"] == GALLIUM for e in china)
    assert nodes[CHINA]["name"] == "China"
    # Every SUPPLIES edge is a figure of the one (source, year) the packs' rule picks for its (material, stage).
    expected = {(f.country, f.material, f.stage, f.share, f.year, f.source) for f in world_supply_picked(GALLIUM)}
    got = {
        (
            e["source"],
            e["target"],
            e["id"].rsplit("|", 1)[1],
            e["properties"]["share"],
            e["properties"]["year"],
            e["properties"]["source"],
        )
        for e in supplies
    }
    assert got == expected
    for stage in {e["properties"]["stage"] for e in supplies}:  # one year per stage: the shares add up to <= 100%
        at_stage = [e["properties"] for e in supplies if e["properties"]["stage"] == stage]
        assert len({p["year"] for p in at_stage}) == 1 and len({p["source"] for p in at_stage}) == 1
        assert sum(p["share"] for p in at_stage) <= 1.0 + 1e-9, stage
    kinds = {n["kind"] for n in found["nodes"]}
    assert "SupplyShare" not in kinds and "Source" not in kinds
    assert {e["target"] for e in edges} | {e["source"] for e in edges} == set(nodes)


def test_a_wafer_neighbourhood_reaches_the_component_it_goes_into(client: Client) -> None:
    found = client.ok(client.get("/api/neighbourhood", id=GAN_WAFER, limit="500"))
    used_in = {(e["source"], e["target"]) for e in found["edges"] if e["type"] == "USED_IN"}
    assert (GAN_WAFER, GAN_TRANSISTOR) in used_in and (GALLIUM_METAL, GAN_WAFER) in used_in
    assert {n["id"]: n["kind"] for n in found["nodes"]}[GAN_TRANSISTOR] == "Component"


def test_a_neighbourhood_is_cut_at_its_limit_and_says_so(client: Client) -> None:
    found = client.ok(client.get("/api/neighbourhood", id=CHINA, limit="3"))
    assert len(found["edges"]) == 3 and found["truncated"] is True
    assert len(client.ok(client.get("/api/neighbourhood", id=CHINA, limit="500"))["edges"]) > 3


def test_names_that_are_not_strings_are_searched_and_sent_as_text(
    connection: Connection, queries: dict[str, Query], assets: Path, database: GraphDatabase
) -> None:
    """A name loaded from `rdfs:label 42` is an integer in the graph: search compares it as text and every answer
    sends it as the string "42"; a node with no name at all is called by its uri's last segment."""
    run_query(
        connection,
        "CREATE (a:Resource:Material {uri: 'urn:x:material/answer', name: 42}),"
        " (b:Resource:Component {uri: 'urn:x:component/cog', name: 'cog'}),"
        " (c:Resource:Product {uri: 'urn:x:product/nameless'}),"
        " (a)-[:USED_IN]->(b), (b)-[:USED_IN]->(c)",
        write=True,
    )
    with BrowseServer(connection, queries, assets_dir=assets).start() as own:
        client = Client(own.url.rstrip("/"), database.password)
        found = client.ok(client.get("/api/search", q="42"))["results"]
        assert [(r["id"], r["name"]) for r in found] == [("urn:x:material/answer", "42")]
        assert client.ok(client.get("/api/search", q="cog"))["results"][0]["name"] == "cog"
        around = client.ok(client.get("/api/neighbourhood", id="urn:x:component/cog"))
        names = {n["id"]: n["name"] for n in around["nodes"]}
        assert names == {
            "urn:x:component/cog": "cog",
            "urn:x:material/answer": "42",
            "urn:x:product/nameless": "nameless",
        }
        centre = client.ok(client.get("/api/neighbourhood", id="urn:x:material/answer"))
        assert {n["id"]: n["name"] for n in centre["nodes"]}["urn:x:material/answer"] == "42"
        shown = client.ok(client.get("/api/node", id="urn:x:material/answer"))["node"]
        assert shown["name"] == "42" and shown["properties"]["name"] == 42


# --- packs -------------------------------------------------------------------------------------------------------


def test_packs_lists_every_query_with_its_parameters(client: Client, queries: dict[str, Query]) -> None:
    listed = {q["name"]: q for q in client.ok(client.get("/api/packs"))["queries"]}
    assert set(listed) == set(queries)
    downstream = listed["downstream_chains"]
    assert downstream["pack"] == "dependencies"
    assert {"name": "material", "type": "string", "example": "gallium"}.items() <= downstream["params"][0].items()
    assert {"name": "path", "type": "list of string"} in downstream["returns"]


def test_a_pack_query_runs_with_its_path_column_drawn_as_a_graph(client: Client) -> None:
    found = client.ok(
        client.post("/api/packs/run", {"name": "downstream_chains", "params": {"max_hops": 3}})
    )  # material: the example, gallium
    assert found["name"] == "downstream_chains"
    rows = [dict(zip(found["columns"], row, strict=True)) for row in found["rows"]]
    transistor = next(r for r in rows if r["name"] == "GaN power transistor")
    assert transistor["path"] == ["gallium", "gallium metal", "GaN wafer", "GaN power transistor"]
    graph = found["graph"]
    assert [GALLIUM, GALLIUM_METAL, GAN_WAFER, GAN_TRANSISTOR] in graph["paths"]
    ids = {n["id"] for n in graph["nodes"]}
    assert {GALLIUM, GALLIUM_METAL, GAN_WAFER, GAN_TRANSISTOR} <= ids
    assert {(e["source"], e["type"], e["target"]) for e in graph["edges"]} >= {
        (GALLIUM, "USED_IN", GALLIUM_METAL),
        (GAN_WAFER, "USED_IN", GAN_TRANSISTOR),
    }
    assert found["cypher"][0]["name"] == "downstream_chains"
    assert found["cypher"][0]["params"] == {"material": "gallium", "max_hops": 3}
    assert_layers_place(found["layers"], graph["paths"])
    assert found["layers"][0] == [GALLIUM]  # every chain starts at gallium


def assert_layers_place(layers: list[list[Any]], paths: list[list[str]]) -> None:
    """`layers` (web/API.md) place every node of `paths` once, each step rightwards through a slot in each column
    it skips (the data's chains have no cycle), and nothing else."""
    column = {entry: c for c, entries in enumerate(layers) for entry in entries if isinstance(entry, str)}
    assert sorted(column) == sorted({node for path in paths for node in path})
    assert sum(isinstance(entry, str) for entries in layers for entry in entries) == len(column)
    slots = [(entry["source"], entry["target"], c) for c, entries in enumerate(layers) for entry in entries
             if isinstance(entry, dict)]
    steps = {(a, b) for path in paths for a, b in itertools.pairwise(path) if a != b}
    for a, b in steps:
        assert column[a] < column[b], (a, b)
        assert sorted(c for x, y, c in slots if (x, y) == (a, b)) == list(range(column[a] + 1, column[b]))
    assert {(x, y) for x, y, _ in slots} <= steps


def test_a_malformed_parameter_is_400_naming_it(client: Client) -> None:
    bad = client.post("/api/packs/run", {"name": "downstream_chains", "params": {"max_hops": "three"}})
    assert bad.status == 400 and "max_hops" in bad.json["error"]
    extra = client.post("/api/packs/run", {"name": "downstream_chains", "params": {"colour": "red"}})
    assert extra.status == 400 and "colour" in extra.json["error"]
    date = client.post("/api/packs/run", {"name": "controls_in_force", "params": {"as_of": "June"}})
    assert date.status == 400 and "as_of" in date.json["error"]
    limit = client.get("/api/search", q="ga", limit="many")
    assert limit.status == 400 and "limit" in limit.json["error"]
    too_many = client.get("/api/neighbourhood", id=GALLIUM, limit="501")
    assert too_many.status == 400 and "limit" in too_many.json["error"]
    unknown = client.get("/api/search", q="ga", colour="red")
    assert unknown.status == 400 and "colour" in unknown.json["error"]
    report = client.post(
        "/api/reports/run", {"name": "scenario", "params": {"material": "dysprosium", "as_of": "June"}}
    )
    assert report.status == 400 and "as_of" in report.json["error"]
    not_json = client.request("POST", "/api/query", b"{not json", {"Content-Type": "application/json"})
    assert not_json.status == 400 and "JSON" in not_json.json["error"]


def test_unknown_pack_query_and_report_are_404_with_the_closest_names(client: Client) -> None:
    pack = client.post("/api/packs/run", {"name": "downstream_chain"})
    assert pack.status == 404 and pack.json["closest"][0] == "downstream_chains"
    report = client.post("/api/reports/run", {"name": "dependency"})
    assert report.status == 404 and "dependencies" in report.json["closest"]


# --- reports -----------------------------------------------------------------------------------------------------


def test_reports_lists_the_canned_reports_with_typed_parameters(client: Client) -> None:
    listed = {r["name"]: r for r in client.ok(client.get("/api/reports"))["reports"]}
    assert set(listed) == {"dependencies", "exposure", "chains", "concentration", "scenario", "agreements", "ownership"}
    # the chains report names its target as exposure does (the page lists a material's chains from an exposure report)
    chains = {p["name"]: p for p in listed["chains"]["params"]}
    assert {"material", "kind", "name", "page"} <= set(chains) and chains["material"]["required"]
    assert {p["name"] for p in listed["exposure"]["params"]} >= {"kind", "name"} and not chains["page"]["required"]
    exposure = {p["name"]: p for p in listed["exposure"]["params"]}
    assert exposure["kind"]["type"] == "choice"
    assert exposure["kind"]["choices"] == ["Product", "Component", "Sector", "Company"]
    assert exposure["name"]["example"] == "Wheel-speed sensor"  # value-chains.ttl:390
    scenario = {p["name"]: p for p in listed["scenario"]["params"]}
    assert scenario["as_of"]["type"] == "date" and scenario["as_of"]["required"] is False
    assert scenario["material"]["required"] is True


def test_the_dependencies_report_of_gallium_lists_what_the_data_says_it_goes_into(client: Client) -> None:
    found = client.ok(client.post("/api/reports/run", {"name": "dependencies", "params": {"material": "Ga"}}))
    assert found["title"] == "Dependencies of gallium"
    section = next(s for s in found["sections"] if s["title"] == "Downstream of gallium")
    names = {dict(zip(section["columns"], row, strict=True))["name"] for row in section["rows"]}
    # value-chains.ttl:669-673: gallium -> gallium metal -> GaN/GaAs wafers -> transistors, ICs, LEDs, laser diodes
    assert {"gallium metal", "GaN wafer", "GaAs wafer", "GaN power transistor", "Laser diode"} <= names
    assert [GALLIUM, GALLIUM_METAL, GAN_WAFER, GAN_TRANSISTOR] in section["graph"]["paths"]
    drawn = [path for s in found["sections"] if s["graph"] for path in s["graph"]["paths"]]
    assert_layers_place(found["layers"], drawn)
    ran = [c["name"] for c in found["cypher"]]
    assert ran[0] == "downstream_chains" and "browse_nodes_named" in ran


def test_the_scenario_report_answers_as_of_the_date_given(client: Client) -> None:
    def controls(as_of: str) -> set[str]:
        params = {"country": "CN", "material": "dysprosium", "as_of": as_of}
        found = client.ok(client.post("/api/reports/run", {"name": "scenario", "params": params}))
        assert as_of in found["title"]
        section = found["sections"][0]
        return {dict(zip(section["columns"], row, strict=True))["control"] for row in section["rows"]}

    # export-controls.ttl:160-169: No. 18 [2025] covers dysprosium from 4 April 2025.
    april = "China: export licensing of seven medium and heavy rare earths (Announcement No. 18 [2025])"
    assert april in controls("2025-06-01")
    assert april not in controls("2025-03-01")


def test_an_unknown_name_in_a_report_is_400_with_the_closest(client: Client) -> None:
    answer = client.post("/api/reports/run", {"name": "dependencies", "params": {"material": "galium"}})
    assert answer.status == 400 and "galium" in answer.json["error"]
    assert "gallium" in answer.json["closest"]


# --- free Cypher -------------------------------------------------------------------------------------------------


def test_a_free_query_runs_with_parameters_and_draws_paths(client: Client) -> None:
    found = client.ok(
        client.post(
            "/api/query",
            {"cypher": "MATCH (m:Material {name: $name}) RETURN m.symbol AS s", "params": {"name": "gallium"}},
        )
    )
    assert found["columns"] == ["s"] and found["rows"] == [["Ga"]] and found["graph"] is None
    assert found["layers"] is None
    assert found["cypher"] == [
        {
            "name": "query",
            "text": "MATCH (m:Material {name: $name}) RETURN m.symbol AS s",
            "params": {"name": "gallium"},
        }
    ]
    text = "MATCH p = (:Material {name: 'gallium'})-[:USED_IN]->(x) RETURN p"
    drawn = client.ok(client.post("/api/query", {"cypher": text}))
    graph = drawn["graph"]
    assert graph["paths"] == [[GALLIUM, GALLIUM_METAL]]
    assert drawn["layers"] == [[GALLIUM], [GALLIUM_METAL]]
    assert [(e["source"], e["type"], e["target"]) for e in graph["edges"]] == [(GALLIUM, "USED_IN", GALLIUM_METAL)]


def test_a_cypher_syntax_error_is_400_with_line_and_column(client: Client) -> None:
    answer = client.post("/api/query", {"cypher": "MATCH (n:Material)\nRETURN n.name AS name ORDER"})
    assert answer.status == 400
    assert "line 2, column" in answer.json["error"]


def test_a_query_too_costly_to_parse_is_400_before_it_is_sent(client: Client) -> None:
    # Issue 12, case 4.8: 20,000 label alternatives (40 KB) kept the page busy for 80 s; the server's own parser is
    # quadratic in them and cannot be stopped while it parses.
    text = "MATCH (n:" + "|".join(["M"] * 20_000) + ") RETURN count(n) AS c"
    answer = client.post("/api/query", {"cypher": text})
    assert answer.status == 400
    assert answer.json["error"].startswith("the query holds 19,999 label or type alternatives (| or &)")
    unclosed = client.post("/api/query", {"cypher": "RETURN 'never closed"})  # the same lexer's refusal: 400 too
    assert (unclosed.status, unclosed.json["error"]) == (
        400, "Cypher syntax error at line 1, column 8: a string is never closed"
    )
    assert client.ok(client.post("/api/query", {"cypher": "MATCH (n:Material) RETURN count(n) > 0 AS c"}))["rows"] == [
        [True]
    ]


def test_a_write_query_is_refused_and_changes_nothing(
    connection: Connection, queries: dict[str, Query], assets: Path, database: GraphDatabase
) -> None:
    run_query(connection, "CREATE (:Resource {uri: 'urn:x:1', name: 'one'})", write=True)
    count = "MATCH (n) RETURN count(n) AS n"
    before = run_query(connection, count).rows
    with BrowseServer(connection, queries, assets_dir=assets).start() as own:
        client = Client(own.url.rstrip("/"), database.password)
        refusals = {
            "CREATE (:Resource {uri: 'urn:x:2'})": "the query would write to the graph: CREATE at line 1, column 1",
            "MATCH (n) DETACH DELETE n": "the query would write to the graph: DETACH DELETE at line 1, column 11",
            "MATCH (n)\nSET n.name = 'x'": "the query would write to the graph: SET at line 2, column 1",
            "UNWIND [1] AS i CALL (i) { MATCH (n) DELETE n } IN TRANSACTIONS RETURN i": (
                "the query would write to the graph: DELETE at line 1, column 38"
            ),
        }
        for text, message in refusals.items():
            answer = client.post("/api/query", {"cypher": text})
            assert answer.status == 403, answer.text
            assert answer.json["error"] == message  # the clause and where, without the CLI's --write hint
    assert run_query(connection, count).rows == before == ((1,),)
    assert run_query(connection, "MATCH (n) RETURN n.name").rows == (("one",),)


# --- HTTP --------------------------------------------------------------------------------------------------------


def raw_request(server: BrowseServer, method: str, path: str, headers: Mapping[str, str], body: bytes = b"") -> Any:
    """A request exactly as given (urllib would normalise the path or add headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_host_header_that_is_not_this_server_is_403(client: Client, server: BrowseServer) -> None:
    answer = client.request("GET", "/api/info", headers={"Host": f"attacker.example:{server.port}"})
    assert answer.status == 403 and "Host" in answer.json["error"]
    status, _, _ = raw_request(server, "GET", "/", {})  # no Host at all
    assert status == 403
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", f"[::1]:{server.port}"):
        assert raw_request(server, "GET", "/api/reports", {"Host": host})[0] == 200


def test_a_post_that_is_not_json_is_415(client: Client) -> None:
    answer = client.request(
        "POST", "/api/query", b"cypher=RETURN+1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status == 415
    plain = client.request("POST", "/api/query", b'{"cypher": "RETURN 1"}', {"Content-Type": "text/plain"})
    assert plain.status == 415


def test_a_body_over_one_megabyte_is_413(server: BrowseServer) -> None:
    headers = {"Host": f"127.0.0.1:{server.port}", "Content-Type": "application/json", "Content-Length": "1048577"}
    status, _, body = raw_request(server, "POST", "/api/query", headers)  # the body is never sent: never read
    assert status == 413 and "1024 KB" in json.loads(body)["error"]


def test_unknown_paths_are_404_and_wrong_methods_405(client: Client) -> None:
    assert client.get("/api/nothing").status == 404
    assert client.get("/nothing").status == 404
    assert client.get("/api/query").status == 405
    assert client.post("/api/info", {}).status == 405


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "PATCH", "FROB"])
def test_other_methods_are_405_json_after_the_host_check(server: BrowseServer, method: str) -> None:
    # http.server would answer these with its own 501 HTML page, without nosniff and without the Host check.
    host = {"Host": f"127.0.0.1:{server.port}"}
    for path in ("/api/info", "/", "/nothing"):
        status, headers, body = raw_request(server, method, path, host)
        expected = 404 if path == "/nothing" else 405
        assert status == expected, (method, path)
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert headers["X-Content-Type-Options"] == "nosniff"
        if method != "HEAD":  # a HEAD answer has no body
            assert f"not {method}" in json.loads(body)["error"] or expected == 404
    status, _, _ = raw_request(server, method, "/api/info", {"Host": f"attacker.example:{server.port}"})
    assert status == 403


def test_a_post_without_content_length_is_411_and_every_answer_is_nosniff(server: BrowseServer) -> None:
    headers = {"Host": f"127.0.0.1:{server.port}", "Content-Type": "application/json"}
    status, answer, body = raw_request(server, "POST", "/api/query", headers)
    assert status == 411 and "Content-Length" in json.loads(body)["error"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    for path in ("/api/info", "/api/nothing", "/"):
        assert raw_request(server, "GET", path, {"Host": f"127.0.0.1:{server.port}"})[1]["X-Content-Type-Options"] == (
            "nosniff"
        )


def test_what_the_driver_cannot_send_is_400_not_500(client: Client) -> None:
    cases: list[tuple[bytes, str]] = [
        (b'{"cypher": "RETURN $x AS x", "params": {"x": 99999999999999999999999}}', "cannot be sent"),
        (b'{"cypher": "RETURN $x AS x", "params": {"x": "\\ud800"}}', "lone surrogate"),
        (b'{"cypher": "RETURN $x AS x", "params": {"x": ' + b"[" * 950 + b"]" * 950 + b"}}", "nested deeper"),
        (b'{"cypher": "RETURN $x AS x", "params": {"x": ' + b"[" * 150 + b"]" * 150 + b"}}", "nested deeper"),
    ]
    for body, message in cases:
        answer = client.request("POST", "/api/query", body, {"Content-Type": "application/json"})
        assert answer.status == 400 and message in answer.json["error"], (body[:70], answer.text)
    pack = client.post("/api/packs/run", {"name": "downstream_chains", "params": {"max_hops": 100000}})
    assert pack.status == 400 and "max_hops" in pack.json["error"] and "from 1 to 12" in pack.json["error"]
    for as_of in ("20250601", "2025-W23-1"):
        dated = client.post("/api/packs/run", {"name": "controls_in_force", "params": {"as_of": as_of}})
        assert dated.status == 400 and "YYYY-MM-DD" in dated.json["error"], as_of


# --- smuggling: a body left unread must not become the next request ----------------------------------------------


def exchange(server: BrowseServer, raw: bytes) -> bytes:
    """Send raw bytes on one connection and read until the server closes it (or 5 s pass)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(raw)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except TimeoutError:
            pass  # the server kept the connection open: what was received is all it answered
    return received


def request_bytes(
    method: str, path: str, host: str, body: bytes = b"", content_type: str = "application/json"
) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


@pytest.fixture
def logged(bundled_dataset: Connection, queries: dict[str, Query], assets: Path) -> Iterator[BrowseServer]:
    """A server of its own that logs each request it answers (to stderr, captured)."""
    with BrowseServer(bundled_dataset, queries, assets_dir=assets, log_requests=True).start() as started:
        yield started


@pytest.mark.parametrize(
    ("path", "outer_host", "method", "status"),
    [
        ("/nothing", "good", "POST", 404),  # CSRF: a text/plain form post to any path, past the 415 guard
        ("/api/info", "good", "POST", 405),
        ("/api/reports", "attacker.example", "GET", 403),  # rebinding: the outer Host is refused, the inner is ours
    ],
)
def test_a_body_left_unread_is_not_run_as_a_second_request(
    logged: BrowseServer, capsys: pytest.CaptureFixture[str], path: str, outer_host: str, method: str, status: int
) -> None:
    ours = f"127.0.0.1:{logged.port}"
    smuggled = request_bytes(
        "POST", "/api/query", ours, json.dumps({"cypher": "RETURN 'smuggled' AS s"}).encode("utf-8")
    )
    host = ours if outer_host == "good" else f"{outer_host}:{logged.port}"
    received = exchange(logged, request_bytes(method, path, host, smuggled, content_type="text/plain"))
    assert received.startswith(f"HTTP/1.1 {status} ".encode()), received[:80]
    assert received.count(b"HTTP/1.1 ") == 1 and b"smuggled" not in received
    assert b"\r\nConnection: close\r\n" in received
    time.sleep(0.2)  # the log line of a request that ran would be written right after its answer
    log = capsys.readouterr().err
    assert f"{method} {path} HTTP/1.1" in log and "/api/query" not in log


def test_a_request_whose_body_was_read_keeps_the_connection_for_the_next(logged: BrowseServer) -> None:
    # The fix must not close every connection: a JSON POST read whole, then a second request, both answered.
    ours = f"127.0.0.1:{logged.port}"
    first = request_bytes("POST", "/api/query", ours, b'{"cypher": "RETURN 1 AS one"}')
    second = f"GET /api/reports HTTP/1.1\r\nHost: {ours}\r\nConnection: close\r\n\r\n".encode()
    received = exchange(logged, first + second)
    assert received.count(b"HTTP/1.1 200 ") == 2 and b'"reports"' in received


# --- the Host check off loopback ----------------------------------------------------------------------------------


def test_on_every_address_a_foreign_host_is_403_unless_allowed(
    bundled_dataset: Connection, queries: dict[str, Query], assets: Path
) -> None:
    with BrowseServer(
        bundled_dataset, queries, host="0.0.0.0", assets_dir=assets, allowed_hosts=["team-laptop.example"]
    ).start() as wide:

        def status(host: str) -> int:
            return int(raw_request(wide, "GET", "/api/reports", {"Host": f"{host}:{wide.port}"})[0])

        assert status("attacker.example") == 403  # a rebound name reaching the loopback side of 0.0.0.0
        assert status("team-laptop.example") == 200 and status("TEAM-LAPTOP.example") == 200
        assert status("0.0.0.0") == 200 and status("127.0.0.1") == 200 and status("localhost") == 200


# --- limits -------------------------------------------------------------------------------------------------------


def test_an_analysts_result_is_cut_at_the_row_cap_and_says_so(client: Client) -> None:
    assert MAX_ROWS == 10_000  # web/API.md
    cut = client.ok(client.post("/api/query", {"cypher": f"UNWIND range(1, {MAX_ROWS + 5}) AS i RETURN i"}))
    assert cut["truncated"] is True and len(cut["rows"]) == MAX_ROWS
    assert cut["rows"][0] == [1] and cut["rows"][-1] == [MAX_ROWS]
    whole = client.ok(client.post("/api/query", {"cypher": f"UNWIND range(1, {MAX_ROWS}) AS i RETURN i"}))
    assert whole["truncated"] is False and len(whole["rows"]) == MAX_ROWS
    pack = client.ok(client.post("/api/packs/run", {"name": "downstream_chains"}))
    assert pack["truncated"] is False


def test_the_default_and_largest_limits_are_the_documented_ones(client: Client) -> None:
    # web/API.md: search limit 1-50, default 10; neighbourhood limit 1-500, default 60.
    assert len(client.ok(client.get("/api/search", q="a"))["results"]) == 10
    assert len(client.ok(client.get("/api/search", q="a", limit="50"))["results"]) == 50
    assert client.get("/api/search", q="a", limit="51").status == 400
    assert client.get("/api/search", q="a", limit="0").status == 400
    whole = client.ok(client.get("/api/neighbourhood", id=CHINA, limit="500"))
    assert len(whole["edges"]) > 60  # China is linked to more than 60 value-chain entities
    default = client.ok(client.get("/api/neighbourhood", id=CHINA))
    assert len(default["edges"]) == 60 and default["truncated"] is True
    assert default["edges"] == whole["edges"][:60]


def test_the_page_is_served_with_its_content_security_policy(client: Client, server: BrowseServer) -> None:
    page = client.get("/")
    assert page.status == 200 and page.text == INDEX
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    csp = promised_csp()
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives == {
        "default-src": "'self'",  # scripts, fetches, fonts: the page's own only (no inline script, no eval)
        "img-src": "'self' data: blob:",  # PNG/SVG export
        "style-src": "'self' 'unsafe-inline'",  # cytoscape injects a <style>
        "base-uri": "'none'",  # no <base> redirecting the page's relative urls
        "form-action": "'none'",  # no form posts anywhere
        "frame-ancestors": "'none'",  # no framing by another site (clickjacking)
        "object-src": "'none'",  # no plugins
    }
    assert page.headers["Content-Security-Policy"] == csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    script = client.get("/assets/app.js?v=0123abcd")
    assert script.status == 200 and script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["Content-Security-Policy"] == csp
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    host = {"Host": f"127.0.0.1:{server.port}"}
    for path in ("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/.built", "/assets/", "/assets/nope.js"):
        assert raw_request(server, "GET", path, host)[0] == 404, path
    # Names the file system refuses (NUL, too long, too deep) are no such file too, not a server failure.
    for path in ("/assets/%00", "/assets/app.js%00.css", "/assets/" + "a" * 300 + ".js", "/assets/" + "a/" * 3000):
        status, _, body = raw_request(server, "GET", path, host)
        assert status == 404 and "no such file" in json.loads(body)["error"], path[:30]


def test_a_missing_page_build_is_one_error_saying_what_to_run(bundled_dataset: Connection, tmp_path: Path) -> None:
    with pytest.raises(KgError, match=r"has no index.html; run `make assets`"):
        BrowseServer(bundled_dataset, {}, assets_dir=tmp_path)


def test_concurrent_requests_each_get_their_own_answer(client: Client) -> None:
    # The server is threaded and shares one driver: answers must not mix.
    asks = [("gallium", GALLIUM), ("GaN substrate", GAN_WAFER), ("China", CHINA)] * 4

    def first(q: str) -> str:
        return str(client.ok(client.get("/api/search", q=q))["results"][0]["id"])

    with ThreadPoolExecutor(max_workers=6) as pool:
        found = list(pool.map(first, [q for q, _ in asks]))
    assert found == [uri for _, uri in asks]


# --- node of a country, the other reports ---------------------------------------------------------------------------


def test_node_of_a_country_lists_what_it_supplies_in_both_scopes(client: Client) -> None:
    found = client.ok(client.get("/api/node", id=CHINA))
    assert found["node"]["kind"] == "Country"
    supply = found["supply"]
    assert {r["country"] for r in supply} == {"China"}
    store = turtle_store(data_dir() / "supply.ttl")
    counted = store.query(
        """
        PREFIX crm: <https://w3id.org/crm-kg/ontology#>
        SELECT ?scope (COUNT(?s) AS ?n) WHERE {
          ?s a crm:SupplyShare ; crm:supplier <https://w3id.org/crm-kg/id/country/CN> ; crm:scope ?scope .
        } GROUP BY ?scope"""
    )
    assert isinstance(counted, ox.QuerySolutions)
    by_scope = {r["scope"].value.rsplit("#", 1)[1]: int(r["n"].value) for r in counted}
    assert set(by_scope) == {"World", "EUSourcing"}  # China is in both scopes in the data
    assert sum(r["scope"] == "world" for r in supply) == by_scope["World"]
    assert sum(r["scope"] == "EU sourcing" for r in supply) == by_scope["EUSourcing"]
    # supply.ttl:13228 and :13324: the EU's gallium sourcing from China at processing, 2020 and 2026
    eu_gallium = [r for r in supply if r["material"] == "gallium" and r["scope"] == "EU sourcing"]
    assert {(r["stage"], r["year"]) for r in eu_gallium} == {
        ("processing/refining", 2020),
        ("processing/refining", 2026),
    }


def report(client: Client, report_name: str, **params: Any) -> dict[str, Any]:
    found = client.ok(client.post("/api/reports/run", {"name": report_name, "params": params}))
    assert found["cypher"] and all(c["name"] for c in found["cypher"])
    return dict(found)


def column_values(section: Mapping[str, Any], column: str) -> list[Any]:
    index = section["columns"].index(column)
    return [row[index] for row in section["rows"]]


def test_the_exposure_report_of_the_wheel_speed_sensor_reaches_dysprosium(client: Client) -> None:
    found = report(client, "exposure", kind="Component", name="ABS sensor")  # value-chains.ttl:391, an altLabel
    assert found["title"].startswith("Exposure of Wheel-speed sensor (Component), as of ")
    sections = {s["title"]: s for s in found["sections"]}
    # value-chains.ttl:265: the Dy-doped NdFeB sensor magnet goes into the wheel-speed sensor
    assert "dysprosium" in column_values(sections["Materials, ranked"], "material")
    assert found["sources"]


def test_the_concentration_report_of_gallium_processing_is_the_picked_figures(client: Client) -> None:
    found = report(client, "concentration", stage="processing", material="gallium")
    section = found["sections"][0]
    row = dict(zip(section["columns"], section["rows"][0], strict=True))
    processing = [f for f in world_supply_picked(GALLIUM) if f.stage.endswith("/processing")]
    top = max(processing, key=lambda f: f.share)
    assert (row["year"], row["top_share"], row["source"]) == (top.year, top.share, top.source)
    assert row["top_country"] == "China" and top.country == CHINA
    assert row["countries"] == len(processing)


def test_the_agreements_and_ownership_reports_answer_from_the_data(client: Client) -> None:
    agreements = report(client, "agreements")
    assert [s["title"] for s in agreements["sections"]] == [
        "Covered: producing countries with an EU agreement",
        "Gaps: producing countries without one",
    ]
    covered = agreements["sections"][0]
    # agreements.ttl:140: the EU-Australia partnership of 2024; Australia produces strategic materials (supply.ttl)
    assert "EU-Australia partnership on sustainable critical and strategic minerals" in column_values(
        covered, "agreement"
    )
    ownership = report(client, "ownership", country="China")
    assert ownership["title"] == "Ownership: China"
    names = set(column_values(ownership["sections"][0], "company"))
    assert {"JL MAG Rare-Earth", "Ningbo Yunsheng"} <= names  # companies.ttl:83, 93: headquartered in CN


# --- the database gone --------------------------------------------------------------------------------------------


def test_a_stopped_database_is_503_and_the_server_keeps_answering(
    tmp_path: Path, queries: dict[str, Query], assets: Path
) -> None:
    with own_embedded_server(tmp_path / "kg-data") as own:
        settings = load_settings({"KG_DATA_DIR": str(own.data_dir)}, dotenv_path=None)
        with connect(settings) as connection, BrowseServer(connection, queries, assets_dir=assets).start() as server:
            client = Client(server.url.rstrip("/"), own.password())
            assert client.ok(client.get("/api/counts"))["nodes"] == 0
            own.stop()
            for _ in range(2):  # and again: the failure leaves nothing broken behind
                gone = client.get("/api/counts")
                assert gone.status == 503, gone.text
                assert gone.json["error"]
            assert client.ok(client.get("/api/reports"))["reports"]  # what needs no database still answers


def test_after_the_server_restarts_the_page_reconnects(
    tmp_path: Path, queries: dict[str, Query], assets: Path
) -> None:
    # issue 12: kg browse kept the old Bolt port after the embedded server restarted and answered 503 until it was
    # restarted itself; with a way to reconnect (kg browse gives one), the next request opens a new connection
    with own_embedded_server(tmp_path / "kg-data") as own, contextlib.ExitStack() as connections:
        settings = load_settings({"KG_DATA_DIR": str(own.data_dir)}, dotenv_path=None)
        first = connections.enter_context(connect(settings))
        server = BrowseServer(first, queries, assets_dir=assets,
                              reconnect=lambda: connections.enter_context(connect(settings)))
        with server.start():
            client = Client(server.url.rstrip("/"), own.password())
            before = client.ok(client.get("/api/info"))["uri"]
            own.stop()
            # started again on another port, as `kg db start` would pick (never the old one, or nothing would move)
            EmbeddedServer(own.data_dir, heap=TEST_HEAP, start_timeout=120, bolt_port=other_free_port(before)).start()
            assert client.ok(client.get("/api/counts"))["nodes"] == 0
            after = client.ok(client.get("/api/info"))["uri"]
            assert after != before and after.startswith("bolt://127.0.0.1:")


def other_free_port(uri: str) -> int:
    """A free loopback port other than `uri`'s."""
    taken = urllib.parse.urlsplit(uri).port
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port != taken:
            return int(port)


# --- odd report inputs from the page's forms ---------------------------------------------------------------------

_ODD_VALUES = strategies.one_of(
    strategies.none(),
    strategies.booleans(),
    strategies.integers(min_value=-(10**20), max_value=10**20),
    strategies.floats(allow_nan=True),
    strategies.sampled_from(["", " ", "rare earth elements", "holmium", "tantalum", "antimony", "foo",
                             "2024-10-01", "20250601", "2025-02-30", "CN", "XX", "'", "\\", "x" * 3000]),
    strategies.text(max_size=30),
    strategies.lists(strategies.text(max_size=5), max_size=3),
)
_REPORTS = ["dependencies", "exposure", "chains", "concentration", "scenario", "agreements", "ownership"]
_FIELDS = ["material", "kind", "name", "max_hops", "as_of", "stage", "country", "page"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=strategies.sampled_from(_REPORTS),
    values=strategies.dictionaries(strategies.sampled_from(_FIELDS), _ODD_VALUES, max_size=5),
)
def test_no_report_form_input_makes_the_server_fail(client: Client, name: str, values: dict[str, Any]) -> None:
    answer = client.post("/api/reports/run", {"name": name, "params": values})
    # a report, or a refusal that names what is wrong; never "the server failed"
    assert answer.status in (200, 400, 404), (name, values, answer.status, answer.text[:300])
    if answer.status != 200:
        assert answer.json["error"] and "server failed" not in answer.json["error"]
