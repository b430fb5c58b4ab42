"""The graph browser's API over real HTTP (urllib, http.client) against a `BrowseServer` on the real embedded server:
the session's shared copy of the bundled dataset (read only), and a database of the test's own for the write refusal.

Expected values come from the data files: read with pyoxigraph where a whole set is compared (gallium's supply
facts), hand-checked against the Turtle otherwise (file and line named beside each).
"""

from __future__ import annotations

import http.client
import json
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

from kg.browse_server import CONTENT_SECURITY_POLICY, BrowseServer
from kg.connection import Connection
from kg.embedded import ROOT_USER, EmbeddedServer
from kg.errors import KgError
from kg.packs import Query, load_packs
from kg.querying import run_query
from kg.resources import data_dir, ontology_file, queries_dir

pytestmark = pytest.mark.graph

ID = "https://w3id.org/crm-kg/id/"
GALLIUM = ID + "material/gallium"  # data/materials.ttl:197
GALLIUM_METAL = ID + "material/gallium-metal"  # data/materials.ttl:853; value-chains.ttl:669 gallium usedIn it
GAN_WAFER = ID + "material/gan-wafer"  # data/materials.ttl:862, altLabel "GaN substrate"
GAN_TRANSISTOR = ID + "component/gan-power-transistor"  # data/value-chains.ttl:672 GaN wafer usedIn it
CHINA = ID + "country/CN"
INDEX = "<!DOCTYPE html><title>crm-kg test page</title>"


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
def client(server: BrowseServer, embedded: EmbeddedServer) -> Client:
    return Client(server.url.rstrip("/"), embedded.password())


# --- info and search --------------------------------------------------------------------------------------------


def test_info_names_the_backend_and_database_and_every_kind_with_its_colour(
    client: Client, bundled_dataset: Connection
) -> None:
    answer = client.get("/api/info")
    info = client.ok(answer)
    assert info["backend"] == "embedded"
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
    store = ox.Store()
    for name in ("supply.ttl", "countries.ttl", "stages.ttl", "sources.ttl"):
        store.bulk_load(path=str(data_dir() / name), format=ox.RdfFormat.TURTLE)
    store.bulk_load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
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
    # The latest world figure for China at processing, from the data: latest year, then the largest share.
    world = [
        f for f in gallium_facts_in_the_data() if f[0] == "China" and f[2] == "world" and f[1] == "processing/refining"
    ]
    latest = max(year for *_, year, _ in world)
    share = max(f[3] for f in world if f[4] == latest)
    processing = [e for e in china if e["properties"]["stage"] == "processing/refining"]
    assert [(e["properties"]["share"], e["properties"]["year"]) for e in processing] == [(share, latest)]
    assert processing[0]["properties"]["source"]
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


# --- packs -------------------------------------------------------------------------------------------------------


def test_packs_lists_every_query_with_its_parameters(client: Client, queries: dict[str, Query]) -> None:
    listed = {q["name"]: q for q in client.ok(client.get("/api/packs"))["queries"]}
    assert set(listed) == set(queries)
    downstream = listed["downstream_of_material"]
    assert downstream["pack"] == "dependencies"
    assert {"name": "material", "type": "string", "example": "gallium"}.items() <= downstream["params"][0].items()
    assert {"name": "path", "type": "list of string"} in downstream["returns"]


def test_a_pack_query_runs_with_its_path_column_drawn_as_a_graph(client: Client) -> None:
    found = client.ok(
        client.post("/api/packs/run", {"name": "downstream_of_material", "params": {"max_hops": 3}})
    )  # material: the example, gallium
    assert found["name"] == "downstream_of_material"
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
    assert found["cypher"][0]["name"] == "downstream_of_material"
    assert found["cypher"][0]["params"] == {"material": "gallium", "max_hops": 3}


def test_a_malformed_parameter_is_400_naming_it(client: Client) -> None:
    bad = client.post("/api/packs/run", {"name": "downstream_of_material", "params": {"max_hops": "three"}})
    assert bad.status == 400 and "max_hops" in bad.json["error"]
    extra = client.post("/api/packs/run", {"name": "downstream_of_material", "params": {"colour": "red"}})
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
    pack = client.post("/api/packs/run", {"name": "downstream_of_materials"})
    assert pack.status == 404 and pack.json["closest"][0] == "downstream_of_material"
    report = client.post("/api/reports/run", {"name": "dependency"})
    assert report.status == 404 and "dependencies" in report.json["closest"]


# --- reports -----------------------------------------------------------------------------------------------------


def test_reports_lists_the_canned_reports_with_typed_parameters(client: Client) -> None:
    listed = {r["name"]: r for r in client.ok(client.get("/api/reports"))["reports"]}
    assert set(listed) == {"dependencies", "exposure", "concentration", "scenario", "agreements", "ownership"}
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
    section = found["sections"][0]
    names = {dict(zip(section["columns"], row, strict=True))["name"] for row in section["rows"]}
    # value-chains.ttl:669-673: gallium -> gallium metal -> GaN/GaAs wafers -> transistors, ICs, LEDs, laser diodes
    assert {"gallium metal", "GaN wafer", "GaAs wafer", "GaN power transistor", "Laser diode"} <= names
    assert [GALLIUM, GALLIUM_METAL, GAN_WAFER, GAN_TRANSISTOR] in section["graph"]["paths"]
    ran = [c["name"] for c in found["cypher"]]
    assert ran[0] == "downstream_of_material" and "browse_nodes_named" in ran


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
    assert found["cypher"] == [
        {
            "name": "query",
            "text": "MATCH (m:Material {name: $name}) RETURN m.symbol AS s",
            "params": {"name": "gallium"},
        }
    ]
    text = "MATCH p = (:Material {name: 'gallium'})-[:USED_IN]->(x) RETURN p"
    graph = client.ok(client.post("/api/query", {"cypher": text}))["graph"]
    assert graph["paths"] == [[GALLIUM, GALLIUM_METAL]]
    assert [(e["source"], e["type"], e["target"]) for e in graph["edges"]] == [(GALLIUM, "USED_IN", GALLIUM_METAL)]


def test_a_cypher_syntax_error_is_400_with_line_and_column(client: Client) -> None:
    answer = client.post("/api/query", {"cypher": "MATCH (n:Material)\nRETURN n.name AS name ORDER"})
    assert answer.status == 400
    assert "line 2, column" in answer.json["error"]


def test_a_write_query_is_refused_and_changes_nothing(
    connection: Connection, queries: dict[str, Query], assets: Path, embedded: EmbeddedServer
) -> None:
    run_query(connection, "CREATE (:Resource {uri: 'urn:x:1', name: 'one'})", write=True)
    count = "MATCH (n) RETURN count(n) AS n"
    before = run_query(connection, count).rows
    with BrowseServer(connection, queries, assets_dir=assets).start() as own:
        client = Client(own.url.rstrip("/"), embedded.password())
        for text in ("CREATE (:Resource {uri: 'urn:x:2'})", "MATCH (n) DETACH DELETE n", "MATCH (n) SET n.name = 'x'"):
            answer = client.post("/api/query", {"cypher": text})
            assert answer.status == 403, answer.text
            assert answer.json["error"] == "the query would write to the graph; it was rolled back"
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


def test_the_page_is_served_with_its_content_security_policy(client: Client, server: BrowseServer) -> None:
    page = client.get("/")
    assert page.status == 200 and page.text == INDEX
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY and "script-src" not in CONTENT_SECURITY_POLICY
    script = client.get("/assets/app.js?v=0123abcd")
    assert script.status == 200 and script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    host = {"Host": f"127.0.0.1:{server.port}"}
    for path in ("/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/.built", "/assets/", "/assets/nope.js"):
        assert raw_request(server, "GET", path, host)[0] == 404, path


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
