"""The graph browser's pure logic, without a database: kinds, graphs built from rows, request and report parameter
checking, the error -> status mapping, the Host check and the asset paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.browse.api import body_fields, int_arg, neighbourhood_graph, unique_sources
from kg.browse.graph import PATH_STEP, GraphBuilder, name_path_graph
from kg.browse.server import (
    HttpError,
    allowed_hosts,
    asset_path,
    check_json_values,
    http_error,
    page_host,
    query_params,
)
from kg.core.cypher_files import parse_query
from kg.core.errors import (
    AuthenticationFailed,
    ConfigError,
    ConnectionFailed,
    InvalidRequest,
    KgError,
    NotFound,
    PackError,
    QueryFailed,
    ReadOnlyViolation,
    ReportError,
    ReportParamError,
    ServerError,
    UnknownName,
)
from kg.core.kinds import KIND_COLOURS, KINDS, OTHER_COLOUR, VALUE_CHAIN_LABELS, kind_of, pick_named
from kg.core.values import parse_date, whole_number
from kg.cypher.querying import WRITE_REFUSED
from kg.reports.catalogue import CATALOGUE, check_report_params, find_report

CYPHER = Path(__file__).resolve().parent.parent / "kg" / "cypher"


# --- kinds --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["Resource", "Material"], "Material"),
        (["Resource", "Material", "Intermediate"], "Intermediate"),
        (["Material", "MaterialGroup", "Resource"], "MaterialGroup"),
        (["Agreement", "MemorandumOfUnderstanding", "Resource", "StrategicPartnership"], "Agreement"),
        (["StrategicPartnership"], "Agreement"),
        (["Country", "Resource"], "Country"),
        (["CountryGroup", "Resource"], "CountryGroup"),
        (["Facility", "Mine", "Refinery", "Resource"], "Facility"),
        (["ExportControl", "Resource"], "ExportControl"),
        (["ControlledItem", "Resource"], "Other"),
        ([], "Other"),
    ],
)
def test_the_kind_is_the_most_specific_label(labels: list[str], kind: str) -> None:
    assert kind_of(labels) == kind


def test_every_kind_has_a_colour_of_its_own_and_the_report_colours_are_kept() -> None:
    kinds = [k for k, _ in KINDS]
    assert set(kinds) - {"Other"} == set(KIND_COLOURS)
    assert len(set(KIND_COLOURS.values()) | {OTHER_COLOUR}) == len(kinds)
    assert KIND_COLOURS["Material"] == "#f0b65a" and KIND_COLOURS["Country"] == "#b3c0cf"
    with pytest.raises(TypeError):
        KIND_COLOURS["Material"] = "#000000"  # type: ignore[index]


def test_value_chain_labels_leave_out_facts_and_sources() -> None:
    assert "SupplyShare" not in VALUE_CHAIN_LABELS and "Source" not in VALUE_CHAIN_LABELS
    assert {"Material", "Component", "Product", "Sector", "Country", "Company", "ExportControl"} <= set(
        VALUE_CHAIN_LABELS
    )


# --- graphs from rows ---------------------------------------------------------------------------------------------


def test_a_name_carried_by_several_nodes_stands_for_the_value_chain_one() -> None:
    rows = [
        ("urn:item", "gallium metal", ["ControlledItem", "Resource"]),
        ("urn:metal", "gallium metal", ["Intermediate", "Material", "Resource"]),
        ("urn:ga", "gallium", ["Material", "Resource"]),
    ]
    assert pick_named(rows) == {
        "gallium metal": ("urn:metal", ["Intermediate", "Material", "Resource"]),
        "gallium": ("urn:ga", ["Material", "Resource"]),
    }


def test_name_paths_become_nodes_edges_of_the_linking_relationship_and_paths() -> None:
    named = {
        "gallium": ("urn:ga", ["Material"]),
        "gallium metal": ("urn:metal", ["Intermediate", "Material"]),
        "GaN wafer": ("urn:wafer", ["Intermediate", "Material"]),
    }
    links: list[tuple[str, str, str, dict[str, object]]] = [("urn:ga", "USED_IN", "urn:metal", {})]
    builder = GraphBuilder()
    name_path_graph(builder, [["gallium", "gallium metal", "GaN wafer"], ["gallium", "unknown"]], named, links)
    graph = builder.as_json()
    assert graph is not None
    assert [n["id"] for n in graph["nodes"]] == ["urn:ga", "urn:metal", "urn:wafer"]
    assert graph["nodes"][1] == {
        "id": "urn:metal",
        "name": "gallium metal",
        "kind": "Intermediate",
        "labels": ["Intermediate", "Material"],
    }
    assert [(e["source"], e["type"], e["target"]) for e in graph["edges"]] == [
        ("urn:ga", "USED_IN", "urn:metal"),
        ("urn:metal", PATH_STEP, "urn:wafer"),  # no relationship links them directly
    ]
    assert graph["edges"][0]["id"] == "urn:ga|USED_IN|urn:metal"
    assert graph["paths"] == [["urn:ga", "urn:metal", "urn:wafer"], ["urn:ga"]]


def test_a_relationship_against_the_path_direction_is_drawn_as_stored() -> None:
    named = {"A": ("urn:a", ["Company"]), "B": ("urn:b", ["Company"])}
    builder = GraphBuilder()
    name_path_graph(builder, [["A", "B"]], named, [("urn:b", "CONTROLLED_BY", "urn:a", {})])
    graph = builder.as_json()
    assert graph is not None
    assert [(e["source"], e["type"], e["target"]) for e in graph["edges"]] == [("urn:b", "CONTROLLED_BY", "urn:a")]


def test_no_graph_values_give_no_graph() -> None:
    assert GraphBuilder().as_json() is None


def _direct(type_: str, neighbour: str, outgoing: bool = True) -> tuple[object, ...]:
    source, target = ("urn:c", neighbour) if outgoing else (neighbour, "urn:c")
    return (source, type_, target, {}, neighbour, neighbour.upper(), ["Resource", "Company"])


def _supply(country: str, share: float | None, stage: str = "processing") -> tuple[object, ...]:
    return (
        f"urn:{country}",
        country,
        ["Country", "Resource"],
        "urn:c",
        "c",
        ["Material", "Resource"],
        f"urn:stage/{stage}",
        stage,
        share,
        2024,
        "USGS",
    )


def test_the_neighbourhood_puts_used_in_then_supplies_by_share_then_the_rest_and_cuts_at_the_limit() -> None:
    center = {"id": "urn:c", "name": "c", "kind": "Material", "labels": ["Material"]}
    direct = [_direct("USED_IN", "urn:x"), _direct("BY_PRODUCT_OF", "urn:y"), _direct("COVERS", "urn:z", False)]
    supplies = [_supply("AU", 0.1), _supply("CN", 0.9), _supply("CN", None, "extraction")]
    full = neighbourhood_graph(center, direct, supplies, 10)
    assert [e["type"] for e in full["edges"]] == [
        "USED_IN",
        "SUPPLIES",
        "SUPPLIES",
        "SUPPLIES",
        "BY_PRODUCT_OF",
        "COVERS",
    ]
    assert [e["properties"]["share"] for e in full["edges"][1:4]] == [0.9, 0.1, None]
    assert full["edges"][1] == {
        "id": "urn:CN|SUPPLIES|urn:c|urn:stage/processing",
        "source": "urn:CN",
        "target": "urn:c",
        "type": "SUPPLIES",
        "properties": {"share": 0.9, "stage": "processing", "year": 2024, "source": "USGS"},
    }
    assert full["truncated"] is False
    assert [n["id"] for n in full["nodes"]] == ["urn:c", "urn:x", "urn:CN", "urn:AU", "urn:y", "urn:z"]
    cut = neighbourhood_graph(center, direct, supplies, 2)
    assert cut["truncated"] is True and len(cut["edges"]) == 2
    assert [n["id"] for n in cut["nodes"]] == ["urn:c", "urn:x", "urn:CN"]


def test_sources_are_listed_once_with_one_publisher_string() -> None:
    sources: list[dict[str, object]] = [
        {"title": "A", "publisher": ["JRC", "EC"], "year": 2023, "url": "https://a"},
        {"title": "A", "publisher": ["JRC"], "year": 2023, "url": None},
        {"title": "B", "publisher": None, "year": None, "url": None},
        {"title": None},
    ]
    assert unique_sources(sources) == [
        {"title": "A", "publisher": "JRC, EC", "year": 2023, "url": "https://a"},
        {"title": "B", "publisher": None, "year": None, "url": None},
    ]


# --- request values -----------------------------------------------------------------------------------------------


def test_int_arg_takes_the_default_and_refuses_words_and_out_of_range() -> None:
    assert int_arg(None, "limit", (1, 50, 10)) == 10
    assert int_arg(" ", "limit", (1, 50, 10)) == 10
    assert int_arg("7", "limit", (1, 50, 10)) == 7
    with pytest.raises(InvalidRequest, match=r"^limit must be a whole number from 1 to 50, not 'x'$"):
        int_arg("x", "limit", (1, 50, 10))
    with pytest.raises(InvalidRequest, match=r"^limit must be from 1 to 50, not 0$"):
        int_arg("0", "limit", (1, 50, 10))


def test_bodies_are_objects_with_the_fields_asked_for() -> None:
    assert body_fields({"name": "x"}, ["name"], ["params"]) == {"name": "x"}
    with pytest.raises(InvalidRequest, match="must be a JSON object"):
        body_fields([1], ["name"])
    with pytest.raises(InvalidRequest, match="unknown field 'colour'"):
        body_fields({"name": "x", "colour": 1}, ["name"], ["params"])
    with pytest.raises(InvalidRequest, match="has no 'name'"):
        body_fields({}, ["name"])


def test_query_strings_refuse_unknown_and_repeated_names() -> None:
    assert query_params("q=ga&limit=", frozenset({"q", "limit"})) == {"q": "ga", "limit": ""}
    with pytest.raises(InvalidRequest, match="unknown parameter 'x'"):
        query_params("x=1", frozenset({"q"}))
    with pytest.raises(InvalidRequest, match="'q' is given more than once"):
        query_params("q=a&q=b", frozenset({"q"}))


# --- report parameters --------------------------------------------------------------------------------------------


def test_the_catalogue_has_every_canned_report_and_its_examples_pass_its_own_checks() -> None:
    assert [r.name for r in CATALOGUE] == [
        "dependencies",
        "exposure",
        "chains",
        "concentration",
        "scenario",
        "agreements",
        "ownership",
    ]
    for report in CATALOGUE:
        check_report_params(report, {p.name: p.example for p in report.params})
        assert all(p.type in ("string", "integer", "date", "choice") for p in report.params)


def test_report_parameters_are_converted_and_defaulted() -> None:
    scenario = find_report("scenario")
    checked = check_report_params(scenario, {"material": " dysprosium ", "as_of": "2025-06-01"})
    assert checked == {"country": "CN", "material": "dysprosium", "as_of": dt.date(2025, 6, 1)}
    assert check_report_params(scenario, {"material": "Dy", "as_of": ""})["as_of"] == dt.date.today()
    exposure = check_report_params(find_report("exposure"), {"kind": "component", "name": "x", "max_hops": "5"})
    assert exposure == {"kind": "Component", "name": "x", "max_hops": 5, "as_of": dt.date.today()}
    assert check_report_params(find_report("dependencies"), {"material": "Ga"})["max_hops"] == 6


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("dependencies", {}, r"^parameter material of report dependencies is required$"),
        ("dependencies", {"material": "Ga", "hops": 3}, r"no parameter 'hops'; it takes material, max_hops, as_of$"),
        (
            "dependencies",
            {"material": "Ga", "max_hops": "three"},
            r"max_hops .* must be a whole number from 1 to 12, not 'three'",
        ),
        ("dependencies", {"material": "Ga", "max_hops": 13}, r"max_hops .* must be from 1 to 12, not 13"),
        ("dependencies", {"material": "Ga", "max_hops": True}, r"max_hops .* must be a whole number"),
        ("dependencies", {"material": 3}, r"material .* must be a string, not 3"),
        ("scenario", {"material": "Dy", "as_of": "1 June"}, r"as_of .* must be a date YYYY-MM-DD, not '1 June'"),
        # Python 3.11's fromisoformat takes these two; a pack comparing date strings would not
        ("scenario", {"material": "Dy", "as_of": "20250601"}, r"as_of .* must be a date YYYY-MM-DD, not '20250601'"),
        ("scenario", {"material": "Dy", "as_of": "2025-W23-1"}, r"as_of .* must be a date YYYY-MM-DD"),
        ("scenario", {"material": "Dy", "as_of": "2025-02-30"}, r"as_of .* must be a date YYYY-MM-DD"),
        ("exposure", {"kind": "Mine", "name": "x"}, r"kind .* must be one of Product, Component, Sector, Company"),
    ],
)
def test_bad_report_parameters_are_one_line_naming_them(name: str, params: dict[str, object], message: str) -> None:
    with pytest.raises(ReportParamError, match=message):
        check_report_params(find_report(name), params)


def test_an_unknown_report_is_not_found_with_the_closest() -> None:
    with pytest.raises(NotFound) as caught:
        find_report("scenarios")
    assert caught.value.closest[0] == "scenario"


# --- HTTP: errors, hosts, assets ----------------------------------------------------------------------------------


def test_errors_map_to_statuses_without_the_write_hint() -> None:
    def status(error: Exception) -> tuple[int, dict[str, object]] | None:
        mapped = http_error(error)
        return None if mapped is None else (mapped.status, mapped.body())

    assert status(InvalidRequest("bad")) == (400, {"error": "bad"})
    assert status(ReportParamError("bad")) == (400, {"error": "bad"})
    assert status(ReportError("no ISO code")) == (400, {"error": "no ISO code"})
    assert status(UnknownName("Material", "galium", ["gallium"])) == (
        400,
        {"error": "no Material named 'galium'; closest: gallium", "closest": ["gallium"]},
    )
    assert status(NotFound("no x", ("y",))) == (404, {"error": "no x", "closest": ["y"]})
    refused = status(ReadOnlyViolation(WRITE_REFUSED))
    assert refused == (403, {"error": "the query would write to the graph; it was rolled back"})
    assert status(QueryFailed("boom")) == (500, {"error": "boom"})
    assert status(ConnectionFailed("down")) == (503, {"error": "down"})
    login = status(AuthenticationFailed("neo4j refused user alice"))
    assert login is not None and login[0] == 503 and "alice" not in str(login[1])
    # Any other library error is the server's failure, not a bad request.
    for server_side in (KgError("x"), ServerError("x"), ConfigError("x"), PackError("x")):
        assert status(server_side) == (500, {"error": "x"}), server_side
    assert status(RuntimeError("a bug")) is None


def test_the_host_check_accepts_loopback_names_the_bound_address_and_the_allowed_names_only() -> None:
    loopback = {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("127.0.0.1", 8000) == loopback
    assert allowed_hosts("::1", 8000) == loopback
    assert allowed_hosts("localhost", 8000) == loopback
    # Bound to the network, the server still listens on loopback: a rebound name must not get in there either.
    assert allowed_hosts("192.168.1.5", 80) == {*(h.replace("8000", "80") for h in loopback), "192.168.1.5:80"}
    assert allowed_hosts("0.0.0.0", 80) == {*(h.replace("8000", "80") for h in loopback), "0.0.0.0:80"}
    assert allowed_hosts("::", 80) == {*(h.replace("8000", "80") for h in loopback), "[::]:80"}
    named = allowed_hosts("0.0.0.0", 80, ["Team-Laptop.example", "fe80::1"])
    assert {"team-laptop.example:80", "[fe80::1]:80"} <= named and "evil.example:80" not in named
    assert page_host("0.0.0.0") == "127.0.0.1" and page_host("::") == "[::1]" and page_host("localhost") == "localhost"


def test_asset_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    (assets / "img").mkdir(parents=True)
    (assets / "app.js").write_text("x")
    (assets / "img" / "logo.svg").write_text("<svg/>")
    (assets / "data.bin").write_text("x")
    (assets / ".built").write_text("")
    (tmp_path / "secret.txt").write_text("x")
    assert asset_path(assets, "app.js") == assets / "app.js"
    assert asset_path(assets, "img/logo.svg") == assets / "img" / "logo.svg"
    for name in ("../secret.txt", "%2e%2e/secret.txt", "img/../../secret.txt", ".built", "data.bin", "", "nope.js"):
        assert asset_path(assets, name) is None, name
    # What the file system refuses is no such file, not a failure: NUL, a name too long, a path too deep.
    for name in ("%00", "app.js%00.css", "a" * 300 + ".js", "a/" * 3000 + "x.js"):
        assert asset_path(assets, name) is None, name[:20]


def test_the_browse_queries_have_headers_whose_parameters_match_their_text() -> None:
    files = sorted(CYPHER.glob("browse_*.cypher"))
    assert len(files) >= 7
    for path in files:
        query = parse_query(path, "browse")
        assert query.name == path.stem and query.returns and query.description


def test_dates_are_calendar_dates_written_yyyy_mm_dd_only() -> None:
    assert parse_date("as_of", " 2025-06-01 ") == dt.date(2025, 6, 1)
    for text in ("20250601", "2025-W23-1", "2025-06-01T00:00", "2025-6-1", "２０２５-06-01", "2025-13-01", 20250601):
        with pytest.raises(InvalidRequest, match=r"^as_of must be a date YYYY-MM-DD, not "):
            parse_date("as_of", text)


def test_whole_numbers_are_digits_or_json_integers_within_bounds() -> None:
    assert whole_number("n", 7, 1, 12) == 7 and whole_number("n", "7", 1, 12) == 7 and whole_number("n", 7.0) == 7
    for given in ("1_0", "٣", True, 2.5, None, "9" * 5000):
        with pytest.raises(InvalidRequest, match=r"^n must be a whole number from 1 to 12, not "):
            whole_number("n", given, 1, 12)
    with pytest.raises(InvalidRequest, match=r"^n must be from 1 to 12, not 100000$"):
        whole_number("n", 100000, 1, 12)


def test_json_bodies_refuse_deep_nesting_and_lone_surrogates() -> None:
    check_json_values({"cypher": "RETURN $x", "params": {"x": [[["ünïcödé 𝔊"]]]}})
    deep: object = 1
    for _ in range(150):
        deep = [deep]
    for bad, message in ((deep, "nested deeper than 100 levels"), ({"x": "\ud800"}, "lone surrogate")):
        with pytest.raises(HttpError, match=message) as caught:
            check_json_values(bad)
        assert caught.value.status == 400
