"""Spreadsheets into the graph: reading CSV and XLSX, and loads against the real embedded server, on the bundled
dataset (loaded once for the module) and on a small seeded graph."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import openpyxl
import pytest
from neo4j.time import Date

from kg.core.errors import BadRowsError, TableError, TypeNameClash
from kg.core.resources import bundled_data_files, ontology_file
from kg.cypher.schema import ensure_schema
from kg.server.connection import Connection
from loaders.graph.config import readable_config
from loaders.graph.unload import unload_graph
from loaders.rdf.load import LoadOptions
from loaders.rdf.pipeline import load_rdf_files
from loaders.rdf.source import rdf_file
from loaders.table.load import TableReport, load_table, merge_with_stored
from loaders.table.read import is_table_path, read_table
from loaders.table.spec import DEFAULT_NAMESPACE, load_mapping, parse_mapping
from loaders.table.workbook_guard import WorkbookRefused, check_workbook
from tests.graph_snapshot import snapshot

from .conftest import Backend, loaded_database

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
BOM = EXAMPLES / "brake-steering-bom.csv"
BOM_MAPPING = EXAMPLES / "brake-steering-bom.yaml"
BOM_GRAPH = "example:brake-steering-bom"
ID = DEFAULT_NAMESPACE
Snapshot = tuple[dict[str, Any], list[tuple[Any, ...]]]


# -- reading files (no database) -------------------------------------------------------------------------------

MINIMAL = {"nodes": {"part": {"label": "Component", "key": "Teil", "properties": {
    "name": "Name", "massGrams": {"column": "Masse", "type": "float"}}}}}


def test_a_csv_with_semicolons_windows_1252_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "teile.csv"
    path.write_bytes("Teil;Name;Masse\r\nT-1;Bremssattel für vorne;3900,5\r\n\r\nT-2;Sensor;45\r\n".encode("cp1252"))
    mapping = parse_mapping({**MINIMAL, "csv": {"decimal": ","}}, "m.yaml")
    table = read_table(path, mapping)
    assert table.notes == (f"{path}: not UTF-8, read as Windows-1252 (set csv.encoding to be sure)",)
    assert list(table.frame.columns) == ["Teil", "Name", "Masse"]
    assert table.row_numbers == [2, 3, 4]
    assert table.frame.iloc[0].tolist() == ["T-1", "Bremssattel für vorne", "3900,5"]
    from loaders.table.rows import map_rows

    mapped = map_rows(table.frame, mapping, where=table.where, row_numbers=table.row_numbers)
    assert mapped.rows == 2 and mapped.problems == []
    assert mapped.nodes[ID + "component/t-1"].props == {"name": "Bremssattel für vorne", "massGrams": 3900.5}


def test_a_utf8_csv_with_a_bom_and_a_given_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "parts.txt"
    path.write_text("\ufeffTeil|Name|Masse\nT-1|Sensor, rear|45\n", encoding="utf-8")
    table = read_table(path, parse_mapping({**MINIMAL, "csv": {"delimiter": "|"}}, "m.yaml"))
    assert table.notes == () and list(table.frame.columns) == ["Teil", "Name", "Masse"]
    assert table.frame.iloc[0].tolist() == ["T-1", "Sensor, rear", "45"]


def test_a_workbook_sheet_and_header_row(tmp_path: Path) -> None:
    path = tmp_path / "parts.xlsx"
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Cover"
    sheet = workbook.create_sheet("Parts")
    sheet["A1"] = "Parts list"
    sheet.append([])
    sheet.append(["Teil", "Name", "Masse"])
    sheet.append(["T-1", "Caliper", 3900.5])
    sheet.append([None, None, None])
    sheet.append(["T-2", None, "heavy"])
    workbook.save(path)
    mapping = parse_mapping({**MINIMAL, "sheet": "Parts", "header_row": 3}, "m.yaml")
    table = read_table(path, mapping)
    assert (table.sheet, table.row_numbers) == ("Parts", [4, 5, 6])
    assert table.frame.iloc[0].tolist() == ["T-1", "Caliper", 3900.5]
    from loaders.table.rows import map_rows

    mapped = map_rows(table.frame, mapping, where=table.where, row_numbers=table.row_numbers, sheet=table.sheet)
    assert [p.location + ": " + p.message for p in mapped.problems] == [
        "sheet Parts, row 6: Masse: 'heavy' is not a number (node 'part', property massGrams: float)"
    ]
    with pytest.raises(TableError, match=r"parts\.xlsx: no sheet 'Teile' \(set `sheet` in m\.yaml\); the sheets "
                                         r"are: 'Cover', 'Parts'"):
        read_table(path, parse_mapping({**MINIMAL, "sheet": "Teile"}, "m.yaml"))


def test_files_that_are_not_spreadsheets(tmp_path: Path) -> None:
    mapping = parse_mapping(MINIMAL, "m.yaml")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(TableError, match=r"old\.xls: the old Excel format \(\.xls\) is not read"):
        read_table(tmp_path / "old.xls", mapping)
    with pytest.raises(TableError, match=r"fake\.xlsx: cannot read it as an \.xlsx workbook"):
        read_table(tmp_path / "fake.xlsx", mapping)
    with pytest.raises(TableError, match=r"missing\.csv: no such file"):
        read_table(tmp_path / "missing.csv", mapping)
    assert is_table_path(Path("a.CSV")) and is_table_path(Path("b.xlsx")) and not is_table_path(Path("c.ttl"))


def test_the_example_workbook_reads_as_its_mapping_says() -> None:
    table = read_table(EXAMPLES / "suppliers.xlsx", load_mapping(EXAMPLES / "suppliers.yaml"))
    assert table.sheet == "Suppliers" and table.row_numbers[0] == 4 and len(table.frame) == 11
    assert table.frame.iloc[0]["Supplier"] == "Bosch"


# -- what is set on what exists (pure) -------------------------------------------------------------------------


def test_a_node_of_this_graph_alone_is_simply_updated() -> None:
    changed, warnings = merge_with_stored({"name": "B", "tier": 1}, {"uri": "u", "name": "A", "tier": 1,
                                                                     "_graphs": ["g"]}, "g", "x", "row 2")
    assert (changed, warnings) == ({"name": "B"}, [])


def test_a_node_of_another_graph_keeps_its_values_and_records_both_graphs() -> None:
    stored = {"uri": "u", "name": "Bosch", "note": "n"}  # no _graphs: the default graph
    changed, warnings = merge_with_stored({"name": "Robert Bosch GmbH", "tier": 1}, stored, "g", "Company 'Bosch'",
                                          "bom.csv: row 3", labels=frozenset({"Company"}),
                                          stored_labels=frozenset({"Company", "Resource"}))
    assert changed == {
        "tier": 1,
        "_graphs": ["", "g"],
        "_graphProps": ["|name", "|note", "g|tier"],
        "_graphLabels": ["|Company", "g|Company"],
    }
    assert warnings == ["bom.csv: row 3: Company 'Bosch' keeps name = 'Bosch' from the default graph; "
                        "the spreadsheet's 'Robert Bosch GmbH' is not loaded"]
    # the same value is stated by both; a value only this graph gave may change
    stored = {"uri": "u", "name": "Bosch", "tier": 1, "_graphs": ["", "g"], "_graphProps": ["|name", "g|tier"]}
    changed, warnings = merge_with_stored({"name": "Bosch", "tier": 2}, stored, "g", "x", "row 2")
    assert (changed, warnings) == ({"tier": 2, "_graphProps": ["|name", "g|tier", "g|name"]}, [])


def test_labels_inferred_from_the_class_hierarchy_are_not_attributed_to_the_graph_before() -> None:
    # the default graph stated only Intermediate; Material was inferred (Intermediate is a kind of Material): a
    # spreadsheet's graph joining the node must not record Material as a statement of the default graph, or
    # `kg unload --graph g` would keep it and `kg export` would write it out as stated
    stored = {"uri": "u", "name": "GaN wafer", "_inferredLabels": ["Material"]}
    changed, _ = merge_with_stored({}, stored, "g", "x", "row 2", labels=frozenset({"Intermediate"}),
                                   stored_labels=frozenset({"Intermediate", "Material", "Resource"}))
    assert changed["_graphLabels"] == ["|Intermediate", "g|Intermediate"]
    assert changed["_graphProps"] == ["|name"]


def test_a_relationship_of_the_default_graph_gets_this_graph() -> None:
    changed, warnings = merge_with_stored({}, {}, "g", "rel", "row 2")
    assert (changed, warnings) == ({"_graphs": ["", "g"]}, [])
    changed, _ = merge_with_stored({"share": 0.5}, {"_graphs": ["", "g"]}, "g", "rel", "row 2")
    assert changed == {"share": 0.5, "_graphProps": ["g|share"]}


# -- the bundled dataset ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled(backend: Backend) -> Iterator[Connection]:
    """A database of the module's own with the ontology and the bundled dataset: these tests write to it."""
    yield from loaded_database(backend, "table", [ontology_file(), *bundled_data_files()])


@dataclass
class Loads:
    """A spreadsheet loaded on the bundled dataset: the graph and the reports at each step. The fixture that makes
    it leaves the database as it found it (the spreadsheet unloaded), so that the tests do not depend on order."""

    before: Snapshot
    dry: TableReport
    after_dry: Snapshot
    first: TableReport
    after_first: Snapshot
    second: TableReport
    after_second: Snapshot
    after_unload: Snapshot
    after_reload: Snapshot | None
    seen: dict[str, Any]  # what `inspect` read after the first load (values with the driver's types)

    def created_nodes(self) -> dict[str, Any]:
        return {uri: value for uri, value in self.after_first[0].items() if uri not in self.before[0]}

    def relationships(self, snap: Snapshot) -> set[tuple[str, str, str]]:
        return {(a, t, b) for a, t, b, _ in snap[1]}

    def created_relationships(self) -> set[tuple[str, str, str]]:
        return self.relationships(self.after_first) - self.relationships(self.before)


def canonical(snap: Snapshot) -> Snapshot:
    """A snapshot with `_graphs: [""]` on relationships read as no `_graphs` (both mean the default graph only:
    `kg unload` leaves the former on relationships that other graphs shared)."""
    nodes, relationships = snap
    default_only = repr([("_graphs", [""])])
    return nodes, sorted((a, t, b, "[]" if props == default_only else props) for a, t, b, props in relationships)


def properties(session: Any, uri: str) -> dict[str, Any]:
    found = session.run("MATCH (n:Resource {uri: $uri}) RETURN properties(n) AS p", uri=uri).single()
    return dict(found["p"]) if found else {}


def load_steps(
    connection: Connection, path: Path, mapping: Path, graph: str, inspect: Callable[[Any], dict[str, Any]],
    *, reload: bool = True,
) -> Loads:
    """Dry run, load, load again, unload (and load and unload once more), with a snapshot after each step."""
    before = snapshot(connection)
    dry = load_table(connection, path, mapping, dry_run=True)
    after_dry = snapshot(connection)
    first = load_table(connection, path, mapping)
    after_first = snapshot(connection)
    with connection.driver.session(database=connection.database) as session:
        seen = inspect(session)
    second = load_table(connection, path, mapping)
    after_second = snapshot(connection)
    unload_graph(connection, graph)
    after_unload = snapshot(connection)
    after_reload = None
    if reload:
        load_table(connection, path, mapping)
        after_reload = snapshot(connection)
        unload_graph(connection, graph)
    return Loads(before, dry, after_dry, first, after_first, second, after_second, after_unload, after_reload, seen)


DYSPROSIUM_PATHS = (
    "MATCH p = (:Material {name: 'dysprosium'})-[:USED_IN*1..6]->(:Product {name: $car}) "
    "WHERE any(n IN nodes(p) WHERE n.partNumber = 'STR-112') "
    "RETURN [n IN nodes(p) | coalesce(n.partNumber, n.name)] AS path"
)


@pytest.fixture(scope="module")
def bom(bundled: Connection) -> Loads:
    def inspect(session: Any) -> dict[str, Any]:
        return {
            "part": properties(session, ID + "component/brk-110"),
            "paths": session.run(DYSPROSIUM_PATHS, car="Combustion-engine passenger car").value(),
        }

    return load_steps(bundled, BOM, BOM_MAPPING, BOM_GRAPH, inspect)


PARTS = ["brk-000", "brk-100", "brk-101", "brk-102", "brk-110", "brk-111", "brk-120", "brk-121", "brk-122",
         "brk-130", "brk-140", "str-000", "str-100", "str-110", "str-111", "str-112", "str-120", "str-121",
         "str-122", "str-130", "str-140"]


def counts(report: TableReport) -> tuple[int, int, int, int, int]:
    return (report.nodes_created, report.nodes_updated, report.labels_added, report.relationships_created,
            report.relationships_updated)


def test_the_bom_creates_its_parts_and_the_suppliers_the_graph_lacks(bom: Loads) -> None:
    created = bom.created_nodes()
    assert set(created) == {ID + f"component/{p}" for p in PARTS} | {
        ID + "company/brembo", ID + "company/hella", ID + "company/bourns"
    }
    assert created[ID + "company/brembo"] == (["Company", "Resource"], {
        "uri": ID + "company/brembo", "name": "Brembo", "_graphs": [BOM_GRAPH]})
    assert created[ID + "component/brk-110"] == (["Component", "Resource"], {
        "uri": ID + "component/brk-110", "name": "Wheel-speed sensor (front)", "partNumber": "BRK-110",
        "system": "brake", "quantityPerVehicle": 2, "massGrams": 45.0, "safetyCritical": True,
        "lastReviewed": "2025-09-30", "_graphs": [BOM_GRAPH]})
    record = bom.seen["part"]
    assert isinstance(record["lastReviewed"], Date) and isinstance(record["massGrams"], float)
    assert isinstance(record["quantityPerVehicle"], int) and record["safetyCritical"] is True
    report = bom.first
    assert (report.rows, report.nodes, report.relationships, report.reused) == (21, 32, 79, 2)
    assert report.created_by_label == {"Component": 21, "Company": 3}
    assert report.relationships_by_type == {"USED_IN": 49, "MAKES": 19, "HEADQUARTERED_IN": 3}
    assert counts(report) == (24, 8, 0, 71, 8)
    assert report.warnings == []


def test_the_wheel_speed_sensor_is_linked_to_its_magnet_materials_supplier_and_country(bom: Loads) -> None:
    part = ID + "component/brk-110"
    created = bom.created_relationships()
    assert {r for r in created if part in (r[0], r[2])} == {
        (ID + "component/ndfeb-sensor-magnet", "USED_IN", part),
        (ID + "material/neodymium", "USED_IN", part),
        (ID + "material/dysprosium", "USED_IN", part),
        (part, "USED_IN", ID + "component/brk-000"),
        (ID + "company/continental", "MAKES", part),
    }
    assert (ID + "company/continental", "HEADQUARTERED_IN", ID + "country/DE") in bom.relationships(bom.before)
    headquarters = next(r for r in bom.after_first[1]
                        if r[:3] == (ID + "company/continental", "HEADQUARTERED_IN", ID + "country/DE"))
    assert headquarters[3] == repr([("_graphs", ["", BOM_GRAPH])])
    assert {r for r in created if r[0] == ID + "component/brk-000"} == {
        (ID + "component/brk-000", "USED_IN", ID + "product/ice-passenger-car"),
        (ID + "component/brk-000", "USED_IN", ID + "product/bev-passenger-car"),
    }
    assert (ID + "company/brembo", "HEADQUARTERED_IN", ID + "country/IT") in created
    assert len(created) == 71


def test_suppliers_the_graph_knows_are_used_and_keep_their_data(bom: Loads) -> None:
    created = bom.created_relationships()
    assert (ID + "company/zf", "MAKES", ID + "component/str-100") in created
    assert (ID + "company/infineon", "MAKES", ID + "component/str-121") in created
    assert not any("zf-friedrichshafen" in uri or "infineon-technologies" in uri for uri in bom.after_first[0])
    labels, before = bom.before[0][ID + "company/bosch"]
    after_labels, after = bom.after_first[0][ID + "company/bosch"]
    assert labels == after_labels
    provenance = {"_graphs", "_graphProps", "_graphLabels"}
    assert {k: v for k, v in after.items() if k not in provenance} == {
        k: v for k, v in before.items() if k not in provenance}
    assert after["_graphs"] == ["", BOM_GRAPH]
    assert f"{BOM_GRAPH}|name" in after["_graphProps"] and "|note" in after["_graphProps"]


def test_a_dry_run_writes_nothing_and_counts_what_the_load_writes(bom: Loads) -> None:
    assert bom.after_dry == bom.before
    assert bom.dry.dry_run and not bom.first.dry_run
    assert counts(bom.dry) == counts(bom.first)
    assert bom.dry.created_by_label == bom.first.created_by_label
    assert bom.dry.relationships_by_type == bom.first.relationships_by_type


def test_loading_the_same_spreadsheet_twice_changes_nothing(bom: Loads) -> None:
    assert counts(bom.second) == (0, 0, 0, 0, 0)
    assert bom.after_second == bom.after_first


def test_unloading_its_graph_takes_out_exactly_what_it_added(bom: Loads) -> None:
    assert canonical(bom.after_unload) == canonical(bom.before)
    assert bom.after_reload is not None and canonical(bom.after_reload) == canonical(bom.after_first)


def test_dysprosium_reaches_the_cars_through_the_bom(bom: Loads) -> None:
    assert bom.seen["paths"] == [["dysprosium", "STR-112", "STR-111", "STR-110", "STR-100", "STR-000",
                                  "Combustion-engine passenger car"]]


def bad_copy(tmp_path: Path, changes: dict[int, dict[str, str]]) -> Path:
    """The example BOM with some cells changed: {row number: {column: value}}."""
    import csv

    with BOM.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, cells in changes.items():
        rows[number - 2].update(cells)
    path = tmp_path / "bad-bom.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_bad_spreadsheet_writes_nothing_and_names_every_bad_row(bundled: Connection, tmp_path: Path) -> None:
    path = bad_copy(tmp_path, {
        4: {"part_number": ""},                                  # a missing key
        9: {"supplier_country": "XX"},                           # a country the graph does not have
        12: {"contains": "NdFeB magnet;neodymum"},               # a name of two nodes, a misspelt one
        16: {"mass_g": "light", "last_reviewed": "30/09/2025"},  # wrong types
    })
    before = snapshot(bundled)
    with pytest.raises(BadRowsError) as raised:
        load_table(bundled, path, BOM_MAPPING)
    assert snapshot(bundled) == before
    assert str(raised.value).splitlines() == [
        f"{path}: 4 bad rows, nothing loaded:",
        "  row 4: part_number is empty: the key of node 'part' (Component)",
        "  row 9: supplier_country 'XX': no Country has iso2 'XX'",
        "  row 12: contains 'NdFeB magnet': matches 2 nodes (Component 'NdFeB permanent magnet (finished part)', "
        "Intermediate/Material 'sintered NdFeB magnet'): use a more specific value, or narrow the match's `label`",
        "  row 12: contains 'neodymum': no Material, Intermediate or Component has this name or alternative label "
        "(closest: 'neodymium', 'neodym', 'praseodymium')",
        "  row 16: mass_g: 'light' is not a number (node 'part', property massGrams: float)",
        "  row 16: last_reviewed: '30/09/2025' is not a date (YYYY-MM-DD, or set `format:` in the mapping) "
        "(node 'part', property lastReviewed: date)",
    ]
    assert [p.row for p in raised.value.problems] == [4, 9, 12, 12, 16, 16]


def test_the_supplier_workbook_enriches_known_companies_and_links_countries(bundled: Connection) -> None:
    graph = "example:suppliers"
    loads = load_steps(bundled, EXAMPLES / "suppliers.xlsx", EXAMPLES / "suppliers.yaml", graph,
                       lambda session: {"bosch": properties(session, ID + "company/bosch")}, reload=False)
    assert set(loads.created_nodes()) == {ID + "company/brembo", ID + "company/hella", ID + "company/bourns"}
    bosch = loads.seen["bosch"]
    assert {k: bosch[k] for k in ("name", "supplierTier", "soleSource", "annualSpendKEur", "contractSince",
                                  "certifications")} == {
        "name": "Bosch", "supplierTier": 1, "soleSource": False, "annualSpendKEur": 18250.5,
        "contractSince": Date(2016, 4, 1), "certifications": ["IATF 16949", "ISO 14001"]}
    # the other 15 relationships (e.g. Bosch makes the ABS/ESC system) are in the dataset already: they get the graph
    assert loads.created_relationships() == {
        (ID + "company/bourns", "HEADQUARTERED_IN", ID + "country/US"),
        (ID + "company/brembo", "HEADQUARTERED_IN", ID + "country/IT"),
        (ID + "company/hella", "HEADQUARTERED_IN", ID + "country/DE"),
        (ID + "company/hella", "MAKES", ID + "component/brake-pressure-sensor"),
        (ID + "company/infineon", "MAKES", ID + "component/microcontroller"),
        (ID + "company/ningbo-yunsheng", "MAKES", ID + "component/ndfeb-sensor-magnet"),
        (ID + "company/tdk", "MAKES", ID + "component/ndfeb-sensor-magnet"),
    }
    assert counts(loads.first) == (3, 8, 0, 7, 15)
    assert (loads.first.rows, loads.first.nodes, loads.first.relationships) == (11, 11, 22)
    assert loads.first.reused == 2 and loads.first.warnings == []
    assert counts(loads.dry) == counts(loads.first)
    assert counts(loads.second) == (0, 0, 0, 0, 0) and loads.after_second == loads.after_first
    assert canonical(loads.after_unload) == canonical(loads.before)


# -- a small seeded graph --------------------------------------------------------------------------------------

SEED = """
@prefix crm: <https://w3id.org/crm-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix mat: <https://w3id.org/crm-kg/id/material/> .
mat:gallium a crm:Material ; rdfs:label "gallium"@en ; crm:hsCode "811299" .
mat:neodymium a crm:Material ; rdfs:label "neodymium"@en ; crm:hsCode "280530" .
mat:dysprosium a crm:Material ; rdfs:label "dysprosium"@en ; crm:hsCode "280530" .
"""

CUSTOMS = {
    "graph": "customs",
    "nodes": {
        "part": {"label": "Component", "key": "part", "namespace": "https://example.com/acme/part/",
                 "properties": {"name": "part"}},
        "material": {"label": "Material", "key": "material", "required": False, "properties": {
            "name": "material_name", "unit": "unit"}},
    },
    "match": {
        "by_code": {"column": "hs_code", "label": "Material", "by": "hsCode", "required": False},
        "by_uri": {"column": "material_uri", "by": "uri", "required": False},
    },
    "relationships": [
        {"type": "USED_IN", "from": "by_code", "to": "part", "properties": {
            "share": {"column": "share", "type": "float"}}},
        {"type": "USED_IN", "from": "by_uri", "to": "part"},
        {"type": "USED_IN", "from": "material", "to": "part"},
    ],
}


@pytest.fixture
def seeded(connection: Connection, tmp_path: Path) -> Connection:
    ensure_schema(connection)
    seed = tmp_path / "seed.ttl"
    seed.write_text(SEED, encoding="utf-8")
    outcomes = load_rdf_files(connection, [rdf_file(seed)], LoadOptions(readable_config()), validate_first=False)
    assert [o.error for o in outcomes if not o.loaded] == []
    return connection


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "customs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_references_by_code_and_by_uri_and_relationship_properties(seeded: Connection, tmp_path: Path) -> None:
    path = write_csv(tmp_path, (
        "part,hs_code,material_uri,share,material,material_name,unit\n"
        f"GaN HEMT,811299,{ID}material/dysprosium,0.25,gallium,Gallium metal,kg\n"
    ))
    before = snapshot(seeded)
    report = load_table(seeded, path, parse_mapping(CUSTOMS, "customs.yaml"))
    part = "https://example.com/acme/part/gan-hemt"
    after = snapshot(seeded)
    assert {r for r in after[1] if r[2] == part} == {
        (ID + "material/gallium", "USED_IN", part, repr([("_graphs", ["customs"]), ("share", 0.25)])),
        (ID + "material/dysprosium", "USED_IN", part, repr([("_graphs", ["customs"])])),
    }
    # the gallium node of the graph keeps its name; the unit it lacked is added, with provenance
    assert after[0][ID + "material/gallium"] == (["Material", "Resource"], {
        "uri": ID + "material/gallium", "name": "gallium", "hsCode": ["811299"], "unit": "kg",
        "_graphs": ["", "customs"], "_graphProps": ["|hsCode", "|name", "customs|unit"],
        "_graphLabels": ["|Material", "customs|Material"]})
    assert report.warnings == [
        "customs.yaml: the label 'Component' is new to the graph",
        f"{path}: row 2: Material 'gallium' ({ID}material/gallium) keeps name = 'gallium' from the default graph; "
        "the spreadsheet's 'Gallium metal' is not loaded"
    ]
    assert counts(report) == (1, 1, 0, 2, 0) and report.links == 2
    unload_graph(seeded, "customs")
    assert snapshot(seeded) == before


def test_a_code_that_several_nodes_share_is_a_bad_row(seeded: Connection, tmp_path: Path) -> None:
    path = write_csv(tmp_path, (
        "part,hs_code,material_uri,share,material,material_name,unit\n"
        "Magnet,280530,,,,,\n"
        f"Sensor,,{ID}material/unobtainium,,,,\n"
    ))
    before = snapshot(seeded)
    with pytest.raises(BadRowsError) as raised:
        load_table(seeded, path, parse_mapping(CUSTOMS, "customs.yaml"))
    assert [p.location + ": " + p.message for p in raised.value.problems] == [
        "row 2: hs_code '280530': matches 2 nodes (Material 'dysprosium', Material 'neodymium'): use a more "
        "specific value, or narrow the match's `label`",
        f"row 3: material_uri '{ID}material/unobtainium': no node has this uri",
    ]
    assert snapshot(seeded) == before


def test_a_cell_too_large_for_one_statement_is_refused_naming_the_file(
    connection: Connection, tmp_path: Path
) -> None:
    # Issue 12, re-run of case 3.25: the refusal named the node but not the spreadsheet.
    path = tmp_path / "huge.csv"
    path.write_text("Teil,Name,Masse\nh-1," + "x" * (13 * 1024 * 1024) + ",1\n", encoding="utf-8")
    before = snapshot(connection)
    with pytest.raises(TableError) as refused:
        load_table(connection, path, parse_mapping(MINIMAL, "m.yaml"))
    assert str(refused.value).startswith(f"{path}: the node or relationship of <{ID}component/h-1> takes ")
    assert snapshot(connection) == before


@pytest.mark.only_on("embedded", reason="one name as label and type: the embedded server cannot hold it "
                     "(tests/test_engine_differences.py)")
def test_a_relationship_type_named_as_a_label_is_refused_on_the_embedded_server(
    seeded: Connection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "part,hs_code,material_uri,share,material,material_name,unit\nChip,811299,,,,,\n")
    data = {**CUSTOMS, "relationships": [{"type": "Material", "from": "by_code", "to": "part"},
                                         {"type": "USED_IN", "from": "by_uri", "to": "part"}]}
    before = snapshot(seeded)
    with pytest.raises(TypeNameClash, match=r"^customs\.yaml: 'Material' would be both a label and a relationship "
                                            r"type, which the embedded server cannot hold"):
        load_table(seeded, path, parse_mapping(data, "customs.yaml"))
    assert snapshot(seeded) == before


def _workbook_with_sheet(path: Path, write_sheet: Callable[[IO[bytes]], None]) -> Path:
    """A real workbook whose first sheet's XML is replaced by what `write_sheet` writes (streamed into the zip)."""
    plain = path.with_suffix(".plain.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Teil", "Name"])
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w") as part:
                    write_sheet(part)
            else:
                target.writestr(item, source.read(item.filename))
    return path


SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_CLOSE = b"</sheetData></worksheet>"


def test_a_workbook_zip_bomb_is_refused_before_it_is_unpacked_whole(tmp_path: Path) -> None:
    # issue 12, item 6: 199 KB that unpack to one 200 MB cell cost 2.3 GB
    def bomb(part: IO[bytes]) -> None:
        part.write(SHEET_OPEN + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
        for _ in range(130):
            part.write(b"a" * (1 << 20))
        part.write(b"</t></is></c></row>" + SHEET_CLOSE)

    path = _workbook_with_sheet(tmp_path / "bomb.xlsx", bomb)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(TableError, match=r"^.*bomb\.xlsx: refused: it unpacks to more than 128 MiB, the most crm-kg "
                                         r"reads from a workbook \(a zip bomb\?\); save the sheet as CSV$"):
        read_table(path, parse_mapping(MINIMAL, "m.yaml"))


@pytest.mark.parametrize(
    "dtd",
    [
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',  # laughs
        b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/hostname">]>',  # external
    ],
    ids=["entities", "external"],
)
def test_a_workbook_with_a_dtd_is_refused_in_one_line(tmp_path: Path, dtd: bytes) -> None:
    # issue 12, items 6 and 12: a 68-line ParseError traceback (expat's limits held; nothing was fetched)
    def sheet(part: IO[bytes]) -> None:
        part.write(b'<?xml version="1.0"?>' + dtd + SHEET_OPEN
                   + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;&x;</t></is></c></row>' + SHEET_CLOSE)

    path = _workbook_with_sheet(tmp_path / "dtd.xlsx", sheet)
    with pytest.raises(TableError, match=r"dtd\.xlsx: refused: its part xl/worksheets/sheet1\.xml declares a DTD, "
                                         r"which no workbook Excel writes holds$"):
        read_table(path, parse_mapping(MINIMAL, "m.yaml"))


def test_the_workbook_check_streams_and_stops_at_its_limit(tmp_path: Path) -> None:
    def sheet(part: IO[bytes]) -> None:
        part.write(SHEET_OPEN + b"x" * 3_000_000 + SHEET_CLOSE)

    path = _workbook_with_sheet(tmp_path / "three.xlsx", sheet)
    check_workbook(path)
    with pytest.raises(WorkbookRefused, match=r"more than 2 MiB"):
        check_workbook(path, limit=2 * 1024 * 1024)
