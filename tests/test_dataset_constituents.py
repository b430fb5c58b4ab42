"""Dataset tests for crm:Constituent: how a material enters a part (main constituent or additive/dopant).

No database: every data/*.ttl file is read into one rdflib graph. The expected roles and figures below are
taken by hand from the reference fact sheet (shared/reference/value_chain.csv, more/value_chain.csv,
FACTS.md section 4), not from the data files. The shapes' own checks of a constituent are exercised on
small made-up files validated together with tests/fixtures/validation/valid.ttl.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from loaders.rdf.validation import validate
from loaders.rdf.violations import ValidationReport, format_violation

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHAPES = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY = ROOT / "ontology" / "crm.ttl"
VALID = ROOT / "tests" / "fixtures" / "validation" / "valid.ttl"

CRM = rdflib.Namespace("https://w3id.org/crm-kg/ontology#")
ID = "https://w3id.org/crm-kg/id/"
MAT = rdflib.Namespace(ID + "material/")
COMP = rdflib.Namespace(ID + "component/")
SRC = rdflib.Namespace(ID + "source/")
PART_CLASSES = {CRM.Intermediate, CRM.Component, CRM.Product}

# (material, part) -> role, from the reference sheet:
REFERENCE_ROLES = {
    # value_chain.csv 'Nd, Pr (+Dy/Tb) | NdPr oxide -> metal/alloy | sintered NdFeB magnet' (HEIM_2023; TYTLABS_KATO)
    (MAT["ndpr-oxide"], MAT["ndfeb-alloy"]): "main",
    (MAT["ndfeb-alloy"], MAT["ndfeb-magnet"]): "main",
    # value_chain.csv 'boron | ferroboron / B | NdFeB alloy (Nd2Fe14B)' (composition general knowledge)
    (MAT["boron"], MAT["ndfeb-alloy"]): "main",
    # more/value_chain.csv 'Ga | Ga metal (additive) | NdFeB magnets' (METALNOMIST_GA_2024)
    (MAT["gallium-metal"], MAT["ndfeb-alloy"]): "additive",
    # the brief: gadolinium is a minor addition to NdFeB (EC 2023: magnets 10% of EU Gd use)
    (MAT["gadolinium"], MAT["ndfeb-alloy"]): "additive",
    # value_chain.csv / FACTS.md 'Dy, Tb | GBD additive | high-coercivity NdFeB' (HEIM_2023)
    (MAT["dysprosium-oxide"], COMP["high-coercivity-ndfeb-magnet"]): "additive",
    (MAT["dysprosium-oxide"], COMP["ndfeb-sensor-magnet"]): "additive",
    (MAT["terbium-oxide"], COMP["high-coercivity-ndfeb-magnet"]): "additive",
    # more/value_chain.csv strontium 'Magnets' (EC 2023): strontium ferrite
    (MAT["strontium"], MAT["ferrite-magnet"]): "main",
    # value_chain.csv 'Sm, Co | SmCo alloy | SmCo permanent magnets' (MOFCOM_2025_18)
    (MAT["samarium"], MAT["samarium-cobalt-magnet"]): "main",
    (MAT["cobalt"], MAT["samarium-cobalt-magnet"]): "main",
}


@pytest.fixture(scope="module")
def g(dataset_graph: rdflib.Graph) -> rdflib.Graph:
    return dataset_graph


@pytest.fixture(scope="module")
def constituents(g: rdflib.Graph) -> list[URIRef]:
    found = sorted(s for s in g.subjects(RDF.type, CRM.Constituent) if isinstance(s, URIRef))
    assert found, "no crm:Constituent in data/*.ttl"
    return found


def link(g: rdflib.Graph, constituent: URIRef) -> tuple[URIRef, URIRef]:
    (material,) = g.objects(constituent, CRM.material)
    (part,) = g.objects(constituent, CRM.constituentOf)
    return material, part


def records(g: rdflib.Graph, material: URIRef, part: URIRef) -> list[URIRef]:
    return [
        c
        for c in g.subjects(RDF.type, CRM.Constituent)
        if (c, CRM.material, material) in g and (c, CRM.constituentOf, part) in g
    ]


# --------------------------------------------------------------------------------------------
# Every record
# --------------------------------------------------------------------------------------------


def test_ids_are_under_the_constituent_path(constituents: list[URIRef]) -> None:
    assert [str(c) for c in constituents if not str(c).startswith(ID + "constituent/")] == []


def test_each_has_one_material_one_part_and_one_role(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    problems = []
    for c in constituents:
        materials = list(g.objects(c, CRM.material))
        parts = list(g.objects(c, CRM.constituentOf))
        roles = list(g.objects(c, CRM.constituentRole))
        if len(materials) != 1 or len(parts) != 1 or len(roles) != 1:
            problems.append((str(c), len(materials), len(parts), len(roles)))
        elif roles[0] not in (Literal("main"), Literal("additive")):
            problems.append((str(c), "role", str(roles[0])))
    assert problems == []


def test_material_and_part_have_the_right_classes(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    materials = {m for cls in (CRM.Material, CRM.Intermediate, CRM.MaterialGroup) for m in g.subjects(RDF.type, cls)}
    for c in constituents:
        material, part = link(g, c)
        assert material in materials, c
        assert set(g.objects(part, RDF.type)) & PART_CLASSES, c


def test_each_names_an_existing_used_in_link(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    missing = []
    for c in constituents:
        material, part = link(g, c)
        if (material, CRM.usedIn, part) not in g:
            missing.append(str(c))
    assert missing == []


def test_mass_shares_are_fractions_in_order_with_a_source(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    with_share = 0
    for c in constituents:
        low = list(g.objects(c, CRM.massShareMin))
        high = list(g.objects(c, CRM.massShareMax))
        assert len(low) <= 1 and len(high) <= 1, c
        if not low and not high:
            continue
        with_share += 1
        for value in low + high:
            assert isinstance(value, Literal) and value.datatype == XSD.decimal, (c, value)
            assert Decimal(0) <= value.toPython() <= Decimal(1), (c, value)
        if low and high:
            assert low[0].toPython() <= high[0].toPython(), c
        assert list(g.objects(c, CRM.source)), f"{c}: a mass share without crm:source"
        for year in g.objects(c, CRM.referenceYear):
            assert year.datatype == XSD.integer, c
    assert with_share >= 1  # the loop above checked something


def test_sources_are_declared(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    declared = set(g.subjects(RDF.type, CRM.Source))
    used = {s for c in constituents for s in g.objects(c, CRM.source)}
    assert used and used <= declared, sorted(str(s) for s in used - declared)


# --------------------------------------------------------------------------------------------
# The rare-earth magnet chain, against the reference
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pair", "role"), sorted(REFERENCE_ROLES.items()), ids=lambda x: str(x).rsplit("/", 1)[-1])
def test_reference_role(g: rdflib.Graph, pair: tuple[URIRef, URIRef], role: str) -> None:
    found = records(g, *pair)
    assert found, f"no crm:Constituent for {pair}"
    assert {str(r) for c in found for r in g.objects(c, CRM.constituentRole)} == {role}


def test_gallium_and_gadolinium_are_additives_ndpr_oxide_is_main(g: rdflib.Graph) -> None:
    def roles(material: URIRef) -> set[str]:
        return {str(r) for c in records(g, material, MAT["ndfeb-alloy"]) for r in g.objects(c, CRM.constituentRole)}

    assert roles(MAT["gallium-metal"]) == {"additive"}
    assert roles(MAT["gadolinium"]) == {"additive"}
    assert roles(MAT["ndpr-oxide"]) == {"main"}


def test_gallium_in_ndfeb_cites_metalnomist(g: rdflib.Graph) -> None:
    (c,) = records(g, MAT["gallium-metal"], MAT["ndfeb-alloy"])
    assert SRC.METALNOMIST_GA_2024 in set(g.objects(c, CRM.source))
    # the 46% is a share of China's gallium use, not a mass share in the magnet
    assert list(g.objects(c, CRM.massShareMin)) == [] and list(g.objects(c, CRM.massShareMax)) == []


def test_dysprosium_4_percent_only_on_the_wind_magnet_link(g: rdflib.Graph) -> None:
    # value_chain.csv: 'Dy ~4%' = Dy content in wind-turbine NdFeB, 2023, HEIM_2023. The wind-generator magnet
    # is the high-coercivity node; the sensor-magnet link has no figure.
    (wind,) = records(g, MAT["dysprosium-oxide"], COMP["high-coercivity-ndfeb-magnet"])
    assert g.value(wind, CRM.massShareMin).toPython() == Decimal("0.04")
    assert g.value(wind, CRM.massShareMax).toPython() == Decimal("0.04")
    assert g.value(wind, CRM.qualifier) == Literal("~")
    assert g.value(wind, CRM.referenceYear) == Literal(2023)
    assert set(g.objects(wind, CRM.source)) == {SRC.HEIM_2023}
    (sensor,) = records(g, MAT["dysprosium-oxide"], COMP["ndfeb-sensor-magnet"])
    assert g.value(sensor, CRM.massShareMin) is None and g.value(sensor, CRM.massShareMax) is None
    assert "4%" in str(g.value(sensor, CRM.note))  # the figure is named in the note, not entered


def test_only_sourced_figures(g: rdflib.Graph, constituents: list[URIRef]) -> None:
    # The reference gives exactly one mass fraction for a link: Dy ~4% in wind-turbine NdFeB.
    with_share = [c for c in constituents if (c, CRM.massShareMin, None) in g or (c, CRM.massShareMax, None) in g]
    assert [link(g, c) for c in with_share] == [(MAT["dysprosium-oxide"], COMP["high-coercivity-ndfeb-magnet"])]


# --------------------------------------------------------------------------------------------
# The shapes reject a faulty constituent
# --------------------------------------------------------------------------------------------

HEADER = """
@prefix crm: <https://w3id.org/crm-kg/ontology#> .
@prefix material: <https://w3id.org/crm-kg/id/material/> .
@prefix source: <https://w3id.org/crm-kg/id/source/> .
@prefix cst: <https://w3id.org/crm-kg/id/constituent/> .
"""
# valid.ttl has gallium usedIn gan-wafer, and neodymium not usedIn it.
GOOD = 'crm:material material:gallium ; crm:constituentOf material:gan-wafer ; crm:constituentRole "main"'


def check(tmp_path: Path, body: str) -> ValidationReport:
    path = tmp_path / "constituent.ttl"
    path.write_text(HEADER + body)
    return validate([VALID, path], SHAPES, [ONTOLOGY])


def test_a_good_constituent_conforms(tmp_path: Path) -> None:
    report = check(
        tmp_path,
        f"cst:x a crm:Constituent ; {GOOD} ; crm:massShareMin 0.1 ; crm:massShareMax 0.2 ; "
        "crm:referenceYear 2024 ; crm:source source:TEST_SOURCE .",
    )
    assert report.violations == (), [format_violation(v) for v in report.violations]


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        (
            'cst:x a crm:Constituent ; crm:material material:neodymium ; crm:constituentOf material:gan-wafer ; '
            'crm:constituentRole "main" .',
            "constituentOf",
            "existing crm:usedIn link",
        ),
        (
            'cst:x a crm:Constituent ; crm:material material:gallium ; crm:constituentOf material:gan-wafer ; '
            'crm:constituentRole "dopant" .',
            "constituentRole",
            '"main"',
        ),
        ("cst:x a crm:Constituent ; crm:material material:gallium ; crm:constituentOf material:gan-wafer .",
         "constituentRole", "exactly one crm:constituentRole"),
        (f"cst:x a crm:Constituent ; {GOOD} ; crm:massShareMin 0.3 ; crm:massShareMax 0.2 ; "
         "crm:source source:TEST_SOURCE .", "massShareMin", "not be greater"),
        (f"cst:x a crm:Constituent ; {GOOD} ; crm:massShareMin 1.5 ; crm:source source:TEST_SOURCE .",
         "massShareMin", "between 0 and 1"),
        (f"cst:x a crm:Constituent ; {GOOD} ; crm:massShareMax 0.2 .", "source", "needs at least one crm:source"),
        (f'cst:x a crm:Constituent ; {GOOD} ; crm:constituentRole "additive" .', "constituentRole", "exactly one"),
    ],
    ids=["not-a-used-in-link", "unknown-role", "no-role", "min-above-max", "above-one", "share-without-source",
         "two-roles"],
)  # fmt: skip
def test_a_faulty_constituent_is_reported(tmp_path: Path, body: str, path: str, message: str) -> None:
    report = check(tmp_path, body)
    assert report.conforms is False
    assert len(report.violations) == 1, [format_violation(v) for v in report.violations]
    (violation,) = report.violations
    assert violation.focus_node == ID + "constituent/x"
    assert violation.path == str(CRM[path])
    assert message in violation.message
