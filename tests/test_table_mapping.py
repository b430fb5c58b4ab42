"""The spreadsheet mapping, without a database: the mapping file, value types, rows with their row numbers,
and references resolved to nodes."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from neo4j.time import Date

from kg.core.errors import BadRowsError, ConfigError, KgError, RowProblem, TableError
from loaders.table.cells import cell_text, convert, kebab_case, slug
from loaders.table.references import Candidate, resolve
from loaders.table.rows import Endpoint, RefKey, map_rows
from loaders.table.spec import DEFAULT_NAMESPACE, CsvOptions, PropertySpec, ValueType, load_mapping, parse_mapping

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"

PARTS: dict[str, Any] = {
    "nodes": {
        "part": {
            "label": "Component",
            "key": "part",
            "properties": {
                "name": "name",
                "quantity": {"column": "qty", "type": "integer"},
                "massGrams": {"column": "mass", "type": "float"},
                "reviewed": {"column": "reviewed", "type": "date"},
                "aliases": {"column": "aka", "type": "list", "separator": "|"},
            },
        },
        "supplier": {"label": "Company", "key": "supplier", "required": False, "properties": {"name": "supplier"}},
    },
    "match": {
        "material": {"column": "contains", "label": ["Material", "Intermediate"], "separator": ";",
                     "required": False},
        "country": {"column": "country", "label": "Country", "by": "iso2", "required": False},
    },
    "relationships": [
        {"type": "USED_IN", "from": "material", "to": "part"},
        {"type": "MAKES", "from": "supplier", "to": "part", "properties": {"since": {"column": "since",
                                                                                     "type": "integer"}}},
        {"type": "HEADQUARTERED_IN", "from": "supplier", "to": "country"},
    ],
}
COLUMNS = ["part", "name", "qty", "mass", "reviewed", "aka", "supplier", "since", "contains", "country"]


def frame(*rows: list[Any], columns: list[str] = COLUMNS) -> pd.DataFrame:
    return pd.DataFrame([list(r) for r in rows], columns=columns, dtype=object)


def row(part: str = "P-1", name: str = "Sensor", qty: str = "2", mass: str = "4.5", reviewed: str = "2025-03-31",
        aka: str = "", supplier: str = "Acme", since: str = "2020", contains: str = "neodymium",
        country: str = "DE") -> list[Any]:
    return [part, name, qty, mass, reviewed, aka, supplier, since, contains, country]


# -- the mapping file ------------------------------------------------------------------------------------------


def test_the_example_mappings_parse() -> None:
    bom = load_mapping(EXAMPLES / "brake-steering-bom.yaml")
    assert bom.graph == "example:brake-steering-bom"
    assert bom.namespace == DEFAULT_NAMESPACE
    assert [n.alias for n in bom.nodes] == ["part", "assembly", "supplier"]
    assert bom.nodes[2].existing == "name" and bom.nodes[2].required is False
    assert [(m.alias, m.by, m.labels, m.separator) for m in bom.matches] == [
        ("contains", "name", ("Material", "Intermediate", "Component"), ";"),
        ("vehicle", "name", ("Product",), ";"),
        ("country", "iso2", ("Country",), None),
    ]
    assert [(r.type, r.start, r.end) for r in bom.relationships] == [
        ("USED_IN", "contains", "part"), ("USED_IN", "part", "assembly"), ("USED_IN", "part", "vehicle"),
        ("MAKES", "supplier", "part"), ("HEADQUARTERED_IN", "supplier", "country"),
    ]
    types = {p.name: p.type for p in bom.nodes[0].properties}
    assert types == {"name": ValueType.STRING, "partNumber": ValueType.STRING, "system": ValueType.STRING,
                     "quantityPerVehicle": ValueType.INTEGER, "massGrams": ValueType.FLOAT,
                     "safetyCritical": ValueType.BOOLEAN, "lastReviewed": ValueType.DATE}
    suppliers = load_mapping(EXAMPLES / "suppliers.yaml")
    assert (suppliers.sheet, suppliers.header_row, suppliers.graph) == ("Suppliers", 3, "example:suppliers")
    certifications = next(p for p in suppliers.nodes[0].properties if p.name == "certifications")
    assert (certifications.type, certifications.separator) == (ValueType.LIST, ";")


def with_change(path: str, value: Any) -> dict[str, Any]:
    """PARTS with one key set (path: dotted, list items by index) or removed (value None)."""
    import copy

    data = copy.deepcopy(PARTS)
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is None:
        del target[int(last) if isinstance(target, list) else last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "m.yaml: the mapping is empty"),
        ({"node": {}}, "m.yaml: node: unknown key (did you mean 'nodes'?)"),
        ({"nodes": {}}, "m.yaml: nodes: the mapping makes no node"),
        (with_change("nodes.part.key", None), "m.yaml: nodes.part: missing `key`"),
        (with_change("nodes.part.label", "Brake Part"),
         "m.yaml: nodes.part.label: 'Brake Part' is not a valid label"),
        (with_change("nodes.part.label", "Resource"), "m.yaml: nodes.part.label: 'Resource' is given to every node"),
        (with_change("nodes.part.lable", "X"), "m.yaml: nodes.part.lable: unknown key (did you mean 'label'?)"),
        (with_change("nodes.part.properties.massGrams.type", "floaty"),
         "m.yaml: nodes.part.properties.massGrams.type: unknown type 'floaty' (types: string, integer, float, "
         "boolean, date, list)"),
        (with_change("nodes.part.properties.massGrams.separator", ";"),
         "m.yaml: nodes.part.properties.massGrams.separator: only a list has a separator"),
        (with_change("nodes.part.properties.quantity.format", "%Y"),
         "m.yaml: nodes.part.properties.quantity.format: only a date has a format"),
        (with_change("nodes.part.properties.uri", "part"), "m.yaml: nodes.part.properties.uri: 'uri' is reserved"),
        (with_change("nodes.part.properties._graphs", "part"),
         "m.yaml: nodes.part.properties._graphs: names that start with _ are reserved"),
        (with_change("nodes.part.properties.quantity.column", None),
         "m.yaml: nodes.part.properties.quantity: missing `column`"),
        (with_change("nodes.part.required", "yes"), "m.yaml: nodes.part.required: expected true or false, not 'yes'"),
        (with_change("nodes.part.existing", "uri"), "m.yaml: nodes.part.existing: expected `name` or a property"),
        (with_change("nodes.part.namespace", "example.com/id"),
         "m.yaml: nodes.part.namespace: 'example.com/id' is not an absolute IRI"),
        (with_change("header_row", 0), "m.yaml: header_row: expected a row number (1 or more), not 0"),
        (with_change("csv", {"delimiter": ";;"}), "m.yaml: csv.delimiter: expected one character"),
        (with_change("csv", {"encoding": "klingon"}), "m.yaml: csv.encoding: unknown encoding 'klingon'"),
        (with_change("match.part", {"column": "x"}),
         "m.yaml: match.part: this alias is also a node's"),
        (with_change("match.country.by", "iso 2"), "m.yaml: match.country.by: 'iso 2' is not a valid property name"),
        (with_change("relationships.0.to", "prt"),
         "m.yaml: relationships[0].to: 'prt' is no node or match entry (did you mean 'part'?)"),
        (with_change("relationships.0.type", "USED IN"),
         "m.yaml: relationships[0].type: 'USED IN' is not a valid relationship type"),
        (with_change("relationships.2", {"type": "MAKES", "from": "supplier", "to": "part"}),
         "m.yaml: match.country: no relationship uses this match"),
        (with_change("relationships", {"type": "MAKES"}), "m.yaml: relationships: expected a list of relationships"),
    ],
)
def test_a_bad_mapping_names_the_file_and_the_key(data: Any, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_mapping(data, "m.yaml")
    assert str(raised.value).startswith(message)


def test_a_mapping_that_is_not_yaml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("nodes:\n  part:\n    label: [Component\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.yaml:4:1: not valid YAML"):
        load_mapping(path)


def test_a_mapping_file_that_is_missing_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nowhere\.yaml: cannot read the mapping"):
        load_mapping(tmp_path / "nowhere.yaml")


def test_property_shorthand_and_defaults() -> None:
    mapping = parse_mapping({"graph": "g", "namespace": "https://example.com/id",
                             "nodes": {"p": {"label": ["Component", "Part"], "key": ["a", "b"],
                                             "properties": {"name": "Name"}}}}, "m.yaml")
    node = mapping.nodes[0]
    assert mapping.namespace == "https://example.com/id/"
    assert node.labels == ("Component", "Part") and node.key == ("a", "b") and node.required
    assert node.properties == (PropertySpec("name", "Name"),)
    assert mapping.csv == CsvOptions() and mapping.header_row == 1 and mapping.sheet is None


# -- values ----------------------------------------------------------------------------------------------------


def spec(kind: str, **options: Any) -> PropertySpec:
    return PropertySpec("p", "c", ValueType(kind), **options)


@pytest.mark.parametrize(
    ("value", "kind", "options", "expected"),
    [
        ("  Wheel sensor ", "string", {}, "Wheel sensor"),
        (12345, "string", {}, "12345"),
        (12345.0, "string", {}, "12345"),
        ("12", "integer", {}, 12),
        (" -3 ", "integer", {}, -3),
        ("12.0", "integer", {}, 12),
        (12.0, "integer", {}, 12),
        ("4.5", "float", {}, 4.5),
        (7, "float", {}, 7.0),
        ("Yes", "boolean", {}, True),
        ("n", "boolean", {}, False),
        ("0", "boolean", {}, False),
        (True, "boolean", {}, True),
        ("2025-03-31", "date", {}, Date(2025, 3, 31)),
        ("2025-03-31T08:30:00", "date", {}, Date(2025, 3, 31)),
        (dt.datetime(2024, 1, 2), "date", {}, Date(2024, 1, 2)),
        (dt.date(2024, 1, 2), "date", {}, Date(2024, 1, 2)),
        ("31.12.2024", "date", {"date_format": "%d.%m.%Y"}, Date(2024, 12, 31)),
        ("IATF 16949; ISO 14001 ;;IATF 16949", "list", {}, ["IATF 16949", "ISO 14001"]),
        ("a|b", "list", {"separator": "|"}, ["a", "b"]),
        (850511, "list", {}, ["850511"]),
        ("", "integer", {}, None),
        ("   ", "date", {}, None),
        (None, "float", {}, None),
        (math.nan, "string", {}, None),
        (" ; ", "list", {}, None),
    ],
)
def test_cells_become_typed_values(value: Any, kind: str, options: dict[str, Any], expected: Any) -> None:
    result = convert(value, spec(kind, **options))
    assert result == expected
    assert type(result) is type(expected)


def test_a_decimal_comma_is_read_when_the_mapping_says_so() -> None:
    assert convert("3,5", spec("float"), decimal=",") == 3.5
    with pytest.raises(ValueError, match="'3,5' is not a number"):
        convert("3,5", spec("float"))


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("abc", "integer", "'abc' is not a whole number"),
        ("2.5", "integer", "'2.5' is not a whole number"),
        (2.5, "integer", "2.5 is not a whole number"),
        ("1_000", "integer", "'1_000' is not a whole number"),
        ("1_000.5", "float", "'1_000.5' is not a number"),
        ("nan", "float", "'nan' is not a finite number"),
        ("maybe", "boolean", "'maybe' is not true or false"),
        ("31/12/2024", "date", "'31/12/2024' is not a date (YYYY-MM-DD, or set `format:` in the mapping)"),
        ("2024-02-30", "date", "'2024-02-30' is not a date"),
        # issue 12: the driver cannot send an integer over 64 bits (a traceback before)
        ("9223372036854775808", "integer", "9223372036854775808 does not fit in a 64-bit integer: give the column "
         "type float or string"),
        (-(2**63) - 1, "integer", "-9223372036854775809 does not fit in a 64-bit integer"),
    ],
)
def test_a_cell_of_the_wrong_type_says_what_was_expected(value: Any, kind: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        convert(value, spec(kind))
    assert str(raised.value).startswith(message)


def test_cell_text_and_slugs() -> None:
    assert [cell_text(v) for v in (None, "", "  x ", 3.0, 2.5, True, dt.datetime(2024, 5, 1), math.nan)] == [
        None, None, "x", "3", "2.5", "true", "2024-05-01", None,
    ]
    assert slug("BRK-110") == "brk-110"
    assert slug("  ZF Friedrichshafen AG ") == "zf-friedrichshafen-ag"
    assert slug("Société Générale / Müller") == "societe-generale-muller"
    assert slug("--") == ""
    assert kebab_case("MagnetPlant") == "magnet-plant" and kebab_case("Component") == "component"


# -- rows ------------------------------------------------------------------------------------------------------


def test_rows_become_nodes_and_relationships() -> None:
    mapping = parse_mapping(PARTS, "m.yaml")
    table = map_rows(
        frame(row(aka="WSS|ABS sensor"), row(part="P-2", name="Caliper", qty="4", mass="3900", contains="",
                                              country="", supplier="", since="")),
        mapping, where="bom.csv",
    )
    assert table.problems == [] and table.rows == 2
    uri = DEFAULT_NAMESPACE + "component/p-1"
    assert set(table.nodes) == {uri, DEFAULT_NAMESPACE + "component/p-2", DEFAULT_NAMESPACE + "company/acme"}
    node = table.nodes[uri]
    assert node.labels == {"Component"} and node.key == "P-1" and node.row == 2
    assert node.props == {"name": "Sensor", "quantity": 2, "massGrams": 4.5, "reviewed": Date(2025, 3, 31),
                          "aliases": ["WSS", "ABS sensor"]}
    material = RefKey("name", ("Material", "Intermediate"), "neodymium")
    country = RefKey("iso2", ("Country",), "de")
    assert set(table.references) == {material, country}
    acme = Endpoint(uri=DEFAULT_NAMESPACE + "company/acme")
    assert {(k[1], v.props.get("since")) for k, v in table.relationships.items()} == {
        ("USED_IN", None), ("MAKES", 2020), ("HEADQUARTERED_IN", None),
    }
    assert (acme, "HEADQUARTERED_IN", Endpoint(ref=country)) in table.relationships
    assert (Endpoint(ref=material), "USED_IN", Endpoint(uri=uri)) in table.relationships


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    mapping = parse_mapping(PARTS, "m.yaml")
    table = map_rows(
        frame(
            row(),                                   # row 2: good
            row(part=""),                            # row 3: no key
            [None] * len(COLUMNS),                   # row 4: empty, skipped
            row(part="P-3", qty="two"),              # row 5: not an integer
            row(part="P-4", reviewed="31/12/2024", mass="heavy"),  # row 6: two bad cells
        ),
        mapping, where="bom.csv",
    )
    assert table.rows == 4
    assert [(p.row, p.message) for p in table.problems] == [
        (3, "part is empty: the key of node 'part' (Component)"),
        (5, "qty: 'two' is not a whole number (node 'part', property quantity: integer)"),
        (6, "mass: 'heavy' is not a number (node 'part', property massGrams: float)"),
        (6, "reviewed: '31/12/2024' is not a date (YYYY-MM-DD, or set `format:` in the mapping) "
            "(node 'part', property reviewed: date)"),
    ]
    with pytest.raises(BadRowsError) as raised:
        table.check()
    assert isinstance(raised.value, KgError)
    assert str(raised.value).splitlines() == [
        "bom.csv: 3 bad rows, nothing loaded:",
        "  row 3: part is empty: the key of node 'part' (Component)",
        "  row 5: qty: 'two' is not a whole number (node 'part', property quantity: integer)",
        "  row 6: mass: 'heavy' is not a number (node 'part', property massGrams: float)",
        "  row 6: reviewed: '31/12/2024' is not a date (YYYY-MM-DD, or set `format:` in the mapping) "
        "(node 'part', property reviewed: date)",
    ]


def test_row_numbers_follow_the_header_row_and_the_sheet() -> None:
    mapping = parse_mapping({**PARTS, "header_row": 3}, "m.yaml")
    table = map_rows(frame(row(), row(part=""), row(qty="x")), mapping, where="s.xlsx", sheet="Parts")
    assert [p.location for p in table.problems] == ["sheet Parts, row 5", "sheet Parts, row 6"]
    table = map_rows(frame(row(part=""), row(part="")), mapping, where="s.xlsx", row_numbers=[10, 12])
    assert [p.location for p in table.problems] == ["row 10", "row 12"]


def test_an_error_lists_the_first_problems_and_counts_the_rest() -> None:
    problems = [RowProblem(r, "bad", "S") for r in range(20, 2, -1)]
    text = str(BadRowsError("big.xlsx", problems))
    lines = text.splitlines()
    assert lines[0] == "big.xlsx: 18 bad rows, nothing loaded:"
    assert lines[1:9] == [f"  sheet S, row {r}: bad" for r in range(3, 11)]
    assert lines[9:] == ["  … and 10 more problems"]


def test_rows_about_one_node_are_merged_and_contradictions_reported() -> None:
    mapping = parse_mapping(PARTS, "m.yaml")
    table = map_rows(
        frame(row(aka="a|b"), row(aka="b|c", contains="dysprosium", name=""), row(name="Other", qty="3")),
        mapping, where="bom.csv",
    )
    node = table.nodes[DEFAULT_NAMESPACE + "component/p-1"]
    assert node.props["aliases"] == ["a", "b", "c"] and node.rows == [2, 3, 4]
    assert [(p.row, p.message) for p in table.problems] == [
        (4, "Component 'P-1': name is 'Other' here but 'Sensor' in row 2"),
        (4, "Component 'P-1': quantity is 3 here but 2 in row 2"),
    ]
    assert len([k for k in table.relationships if k[1] == "USED_IN"]) == 2


def test_keys_that_give_the_same_uri_are_a_bad_row() -> None:
    table = map_rows(frame(row(part="P 1"), row(part="p-1")), parse_mapping(PARTS, "m.yaml"), where="bom.csv")
    assert [(p.row, p.message) for p in table.problems] == [
        (3, f"part 'p-1' gives the same uri as 'P 1' (row 2): {DEFAULT_NAMESPACE}component/p-1"),
    ]


def test_required_cells_and_optional_nodes() -> None:
    data = with_change("match.country.required", True)
    data["nodes"]["part"]["properties"]["name"] = {"column": "name", "required": True}
    table = map_rows(frame(row(name="", country="", supplier="")), parse_mapping(data, "m.yaml"), where="x.csv")
    assert [p.message for p in table.problems] == [
        "name is empty (node 'part', property name is required)",
        "country is empty (match 'country' is required)",
    ]


def test_a_column_the_table_lacks_is_named_with_the_closest() -> None:
    columns = [c if c != "qty" else "quantity" for c in COLUMNS]
    with pytest.raises(TableError) as raised:
        map_rows(frame(row(), columns=columns), parse_mapping(PARTS, "m.yaml"), where="bom.csv")
    assert str(raised.value).startswith(
        "bom.csv: the mapping m.yaml names column(s) that the table does not have: 'qty' (did you mean 'quantity'?)"
    )


# -- references ------------------------------------------------------------------------------------------------


def test_references_resolve_to_one_node_or_are_bad_rows() -> None:
    mapping = parse_mapping(PARTS, "m.yaml")
    table = map_rows(
        frame(row(), row(part="P-2", contains="NdFeB magnet;neodymum", country="XX")), mapping, where="bom.csv"
    )
    nd = Candidate("urn:nd", "neodymium", ("Material",))
    de = Candidate("urn:de", "Germany", ("Country",))
    found = {
        RefKey("name", ("Material", "Intermediate"), "neodymium"): [nd],
        RefKey("iso2", ("Country",), "de"): [de],
        RefKey("name", ("Material", "Intermediate"), "ndfeb magnet"): [
            Candidate("urn:magnet", "sintered NdFeB magnet", ("Intermediate", "Material")),
            Candidate("urn:alloy", "NdFeB magnet grade", ("Intermediate", "Material")),
        ],
    }
    suggestions = {RefKey("name", ("Material", "Intermediate"), "neodymum"): ["neodymium"]}
    resolved = resolve(table, found, suggestions)
    assert [(p.row, p.message) for p in resolved.problems] == [
        (3, "contains 'NdFeB magnet': matches 2 nodes (Intermediate/Material 'NdFeB magnet grade', "
            "Intermediate/Material 'sintered NdFeB magnet'): use a more specific value, or narrow the match's `label`"),
        (3, "contains 'neodymum': no Material or Intermediate has this name or alternative label "
            "(closest: 'neodymium')"),
        (3, "country 'XX': no Country has iso2 'XX'"),
    ]
    part = DEFAULT_NAMESPACE + "component/p-1"
    assert ("urn:nd", "USED_IN", part) in resolved.relationships
    assert (DEFAULT_NAMESPACE + "company/acme", "HEADQUARTERED_IN", "urn:de") in resolved.relationships
    assert resolved.links == 2  # neodymium and DE in row 2


def test_existing_nodes_are_reused_by_name() -> None:
    data = with_change("nodes.supplier.existing", "name")
    table = map_rows(frame(row(supplier="ZF"), row(part="P-2", supplier="Newco")), parse_mapping(data, "m.yaml"),
                     where="bom.csv")
    zf = RefKey("name", ("Company",), "zf")
    assert table.lookups() == {zf, RefKey("name", ("Company",), "newco"),
                               RefKey("name", ("Material", "Intermediate"), "neodymium"),
                               RefKey("iso2", ("Country",), "de")}
    found = {zf: [Candidate("urn:zf", "ZF Friedrichshafen", ("Company",))],
             RefKey("name", ("Material", "Intermediate"), "neodymium"): [Candidate("urn:nd", "neodymium", ())],
             RefKey("iso2", ("Country",), "de"): [Candidate("urn:de", "Germany", ())]}
    resolved = resolve(table, found)
    assert resolved.problems == [] and resolved.reused == 1
    assert set(resolved.nodes) == {"urn:zf", DEFAULT_NAMESPACE + "company/newco",
                                   DEFAULT_NAMESPACE + "component/p-1", DEFAULT_NAMESPACE + "component/p-2"}
    assert resolved.nodes["urn:zf"].props == {"name": "ZF"}
    assert ("urn:zf", "MAKES", DEFAULT_NAMESPACE + "component/p-1") in resolved.relationships
    assert ("urn:zf", "HEADQUARTERED_IN", "urn:de") in resolved.relationships


def test_the_largest_64_bit_integers_still_fit() -> None:
    assert convert("9223372036854775807", spec("integer")) == 2**63 - 1
    assert convert(-(2**63), spec("integer")) == -(2**63)
