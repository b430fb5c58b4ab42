"""loaders.rdf.validation: SHACL results turned into sorted Violations, and parse errors into DataFileError."""

from __future__ import annotations

import http.server
import json
import logging
import socketserver
import threading
from pathlib import Path

import pyshacl
import pytest

from kg.core.errors import DataFileError, KgError
from loaders.rdf.source import rdf_file
from loaders.rdf.validation import UNDECLARED_TERM_CHECK, load_graph, validate
from loaders.rdf.violations import ValidationReport, Violation, format_violation, shorten

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "crm.ttl"
FIXTURES = ROOT / "tests" / "fixtures" / "validation"
VALID = FIXTURES / "valid.ttl"

CRM = "https://w3id.org/crm-kg/ontology#"
ID = "https://w3id.org/crm-kg/id/"
SHAPES_NS = "https://w3id.org/crm-kg/shapes#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def run(*fixtures: str) -> ValidationReport:
    """Validate valid.ttl plus the named broken fixtures."""
    return validate([VALID, *(FIXTURES / f"{name}.ttl" for name in fixtures)], SHAPES, [ONTOLOGY])


def only(report: ValidationReport) -> Violation:
    assert report.conforms is False
    assert len(report.violations) == 1, [format_violation(v) for v in report.violations]
    return report.violations[0]


def test_valid_fixture_conforms() -> None:
    report = run()
    assert report == ValidationReport(conforms=True, violations=())


def _as_pyshacl_reports(data_paths: list[Path]) -> set[tuple[str, ...]]:
    """The violations pyshacl (the reference implementation) finds, through the same decoding; blank labels masked."""
    from loaders.rdf import validation

    shapes = load_graph([SHAPES])
    _, results, _ = pyshacl.validate(
        load_graph(data_paths), shacl_graph=shapes, ont_graph=load_graph([ONTOLOGY]), inference="none"
    )
    return {_masked(v) for v in validation._violations(results, shapes)}


def _masked(violation: Violation) -> tuple[str, ...]:
    fields = (violation.focus_node, violation.path or "", violation.message, violation.value or "",
              violation.source_shape, violation.severity)
    return tuple("_:" if text.startswith("_:") else text for text in fields)


@pytest.mark.parametrize(
    "fixtures",
    [[], ["every-constraint"], ["share-out-of-range"], ["date-with-slashes"], ["wrong-range"], ["year-as-string"],
     ["subclass-and-terms"], ["share-without-source"], ["bundled"]],
    ids=lambda names: "+".join(names) or "valid",
)
def test_the_validator_reports_what_pyshacl_reports(fixtures: list[str]) -> None:
    # pyshacl-turbo stands in for pyshacl (six times faster): the same results, message for message.
    from kg.core.resources import bundled_data_files

    paths = bundled_data_files() if fixtures == ["bundled"] else [VALID, *(FIXTURES / f"{n}.ttl" for n in fixtures)]
    report = validate(paths, SHAPES, [ONTOLOGY])
    ours = {_masked(v) for v in report.violations if v.source_shape != UNDECLARED_TERM_CHECK}
    assert ours == _as_pyshacl_reports(paths)
    assert fixtures in ([], ["bundled"]) or ours, "the fixture breaks a shape"


def test_valid_fixture_also_conforms_with_rdfs_inference() -> None:
    # The shapes must not depend on the inference setting being "none".
    conforms, _, text = pyshacl.validate(
        load_graph([VALID]), shacl_graph=load_graph([SHAPES]), ont_graph=load_graph([ONTOLOGY]), inference="rdfs"
    )
    assert conforms is True, text


def test_share_above_one() -> None:
    violation = only(run("share-out-of-range"))
    assert (violation.focus_node, violation.path) == (f"{ID}share/bad", f"{CRM}share")
    assert "between 0 and 1" in violation.message
    assert violation.value == f'"1.4"^^<{XSD}decimal>'
    assert violation.source_shape == f"{SHAPES_NS}ShareValue"
    assert violation.severity == "Violation"


def test_supply_share_without_source() -> None:
    violation = only(run("share-without-source"))
    assert (violation.focus_node, violation.path, violation.value) == (f"{ID}share/bad", f"{CRM}source", None)
    assert "at least one crm:source" in violation.message
    assert violation.source_shape == f"{SHAPES_NS}SupplyShareShape [{CRM}source]"


def test_supply_share_without_reference_year() -> None:
    violation = only(run("share-without-reference-year"))
    assert (violation.focus_node, violation.path, violation.value) == (f"{ID}share/bad", f"{CRM}referenceYear", None)
    assert "exactly one crm:referenceYear" in violation.message


def test_year_as_string() -> None:
    violation = only(run("year-as-string"))
    assert (violation.focus_node, violation.path) == (f"{ID}share/bad", f"{CRM}referenceYear")
    assert "xsd:integer" in violation.message
    assert violation.value == '"2024"'


def test_date_with_slashes(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        violation = only(run("date-with-slashes"))
    assert (violation.focus_node, violation.path) == (f"{ID}event/bad", f"{CRM}date")
    assert "xsd:date written YYYY-MM-DD" in violation.message
    assert violation.value == f'"2025/04/04"^^<{XSD}date>'
    # rdflib's traceback for the ill-typed literal is kept out of the user's way
    assert [r for r in caplog.records if "Failed to convert Literal" in r.getMessage()] == []


def test_date_as_plain_string() -> None:
    violation = only(run("date-as-plain-string"))
    assert (violation.focus_node, violation.path) == (f"{ID}agreement/bad", f"{CRM}signedOn")
    assert "xsd:date" in violation.message
    assert violation.value == '"2025-04-04"'


def test_wrong_range_and_misspelt_iri_are_reported() -> None:
    # Reported because inference is "none": RDFS would type both objects as crm:Material from the range.
    report = run("wrong-range")
    assert report.conforms is False
    assert [(v.focus_node, v.path, v.value) for v in report.violations] == [
        (f"{ID}gap/bad", f"{CRM}material", f"{ID}material/galium"),
        (f"{ID}gap/bad", f"{CRM}reason", '"unknown"'),
        (f"{ID}share/bad", f"{CRM}material", f"{ID}country/NL"),
    ]
    assert "must point to a crm:Material" in report.violations[0].message
    assert '"not-applicable" or "no-public-figure"' in report.violations[1].message


def test_subclasses_patterns_and_undeclared_terms() -> None:
    report = run("subclass-and-terms")
    assert report.conforms is False
    assert [(shorten(v.focus_node), shorten(v.path or ""), v.source_shape) for v in report.violations] == [
        ("id:company/nexperia", "crm:wikidataId", f"{SHAPES_NS}WikidataIdValue"),
        ("id:country/XX", "crm:iso2", f"{SHAPES_NS}Iso2Value"),
        ("id:country/XX", "crm:iso3", f"{SHAPES_NS}Iso3Value"),
        # a crm:Mine is checked by the crm:Facility shape
        ("id:facility/bad-mine", "crm:operator", f"{SHAPES_NS}FacilityShape [{CRM}operator]"),
        ("id:material/gallium", "crm:form", f"{SHAPES_NS}FormValue"),
        ("id:material/gallium", "crm:form", UNDECLARED_TERM_CHECK),
        ("id:material/gallium", "crm:hsCode", f"{SHAPES_NS}HsCodeValue"),
        ("id:source/TEST_SOURCE", "crm:refrenceYear", UNDECLARED_TERM_CHECK),
    ]
    messages = {(shorten(v.path or ""), v.source_shape): v.message for v in report.violations}
    assert messages[("crm:refrenceYear", UNDECLARED_TERM_CHECK)].startswith("property not declared")
    assert messages[("crm:form", UNDECLARED_TERM_CHECK)].startswith("value is a crm: term not declared")
    assert "six digits" in messages[("crm:hsCode", f"{SHAPES_NS}HsCodeValue")]


def test_untyped_node_is_reported(tmp_path: Path) -> None:
    untyped = tmp_path / "untyped.ttl"
    untyped.write_text(
        "@prefix crm: <https://w3id.org/crm-kg/ontology#> .\n"
        "<https://w3id.org/crm-kg/id/share/untyped> crm:share 0.5 .\n"
    )
    violation = only(validate([VALID, untyped], SHAPES, [ONTOLOGY]))
    assert (violation.focus_node, violation.path) == (
        f"{ID}share/untyped",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    )
    assert "no rdf:type" in violation.message


def test_violations_are_sorted_and_repeatable() -> None:
    first = run("wrong-range", "subclass-and-terms", "date-with-slashes")
    second = run("date-with-slashes", "subclass-and-terms", "wrong-range")
    assert first == second
    keys = [(v.focus_node, v.path or "", v.message, v.value or "", v.source_shape) for v in first.violations]
    assert keys == sorted(keys)
    assert len(first.violations) == 12


def test_format_violation() -> None:
    violation = only(run("share-out-of-range"))
    assert format_violation(violation) == (
        "focus id:share/bad: crm:share: crm:share must be an xsd:decimal between 0 and 1 "
        '(a fraction: 0.69 for 69%) (value: "1.4"^^xsd:decimal)'
    )


def test_format_violation_without_path_or_value() -> None:
    violation = Violation(
        focus_node="http://example.org/x", path=None, message="m", severity="Warning", value=None, source_shape=""
    )
    assert format_violation(violation) == "[Warning] focus http://example.org/x: m"


def test_unparsable_turtle_raises_with_line() -> None:
    path = FIXTURES / "unparsable.ttl"
    with pytest.raises(DataFileError) as caught:
        validate([VALID, path], SHAPES, [ONTOLOGY])
    error = caught.value
    assert isinstance(error, KgError)
    assert (error.path, error.line) == (path, 6)
    # the file is read as `kg load` reads it: the same parser, the same message
    with pytest.raises(DataFileError) as loading:
        list(rdf_file(path).quads())
    assert str(error) == str(loading.value) and str(error).startswith(f"{path}:6:")


def test_unparsable_ntriples_raises_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_text("<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> .\n")
    with pytest.raises(DataFileError) as caught:
        load_graph([path])
    assert caught.value.line == 3


def test_unparsable_rdfxml_raises_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rdf"
    path.write_text(
        "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
        "<rdf:Description>\n</rdf:RDF>\n"
    )
    with pytest.raises(DataFileError) as caught:
        load_graph([path])
    assert caught.value.line == 4


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"unknown RDF file extension '\.csv'") as caught:
        load_graph([tmp_path / "data.csv"])
    assert caught.value.line is None
    with pytest.raises(DataFileError, match="cannot read: No such file or directory"):
        load_graph([tmp_path / "missing.ttl"])


def test_quad_formats_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text("<http://g> { <http://a> <http://b> <http://c> . }\n<http://d> <http://e> <http://f> .\n")
    assert len(load_graph([path])) == 2


def test_shorten() -> None:
    assert shorten(f"{ID}material/gallium") == "id:material/gallium"
    assert shorten(f"{CRM}Material") == "crm:Material"
    assert shorten("http://example.org/x") == "http://example.org/x"


def test_json_ld_contexts_are_neither_fetched_nor_read_from_disk(tmp_path: Path) -> None:
    # issue 12: rdflib's JSON-LD parser sent three HTTP requests for a remote @context and read file:, relative and
    # absolute paths as contexts; validation now reads JSON-LD as `kg load` does, which loads no context
    requests: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {"name": "http://example.org/name"}}')

        def log_message(self, *args: object) -> None:
            pass

    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"name": "http://example.org/name"}}')
    with socketserver.TCPServer(("127.0.0.1", 0), Listener) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        contexts = [f"http://127.0.0.1:{server.server_address[1]}/ctx.jsonld", secret.as_uri(), "secret.jsonld",
                    str(secret)]
        try:
            for number, context in enumerate(contexts):
                path = tmp_path / f"data{number}.jsonld"
                path.write_text(json.dumps({"@context": context, "@id": "http://example.org/a", "name": "x"}))
                with pytest.raises(DataFileError, match=r"remote contexts") as caught:
                    load_graph([path])
                assert caught.value.path == path
        finally:
            server.shutdown()
    assert requests == []


@pytest.mark.parametrize(
    ("shape", "refusal"),
    [
        ('sh:property [ sh:path crm:name ; sh:pattern "([a-" ]', "Invalid sh:pattern"),
        ('sh:sparql [ sh:select "SELEC nonsense {" ]', "SPARQL parse error"),
    ],
)
def test_shapes_the_validator_cannot_use_are_named_in_one_line(tmp_path: Path, shape: str, refusal: str) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        f"@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix crm: <{CRM}> .\n"
        f"<{SHAPES_NS}Broken> a sh:NodeShape ; sh:targetClass crm:Material ; {shape} .\n"
    )
    with pytest.raises(DataFileError) as caught:
        validate([VALID], shapes, [ONTOLOGY])
    assert caught.value.path == shapes
    assert refusal in str(caught.value) and "\n" not in str(caught.value)
