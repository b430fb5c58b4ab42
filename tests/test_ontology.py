"""The ontology declares every contract term, documents each, and the shapes use only declared terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "crm.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"

CRM = Namespace("https://w3id.org/crm-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/crm-kg/ontology")

# Copied from the vocabulary contract (CONTRACT.md) that the dataset is written against.
CONTRACT_CLASSES = [
    "Material", "MaterialGroup", "Intermediate", "MaterialForm", "Stage", "SupplyShare", "SupplyGap",
    "ImportReliance", "ShareScope", "Country", "CountryGroup", "GovernanceScore", "Company", "Ownership",
    "Facility", "Mine", "Refinery", "MagnetPlant", "Fab", "RecyclingPlant", "Component", "Product", "Sector",
    "UseShare", "Substitution", "Technology", "Agreement", "StrategicPartnership",
    "MemorandumOfUnderstanding", "TradeAgreement", "CriticalMineralsAgreement", "Regulation", "PolicyPlan",
    "LegislativeProposal", "TradeMeasure", "Benchmark", "ExportControl", "ControlledItem", "Event", "Source",
]  # fmt: skip
CONTRACT_OBJECT_PROPERTIES = [
    "form", "material", "supplier", "stage", "scope", "source", "checkedSource", "memberOf", "country",
    "headquarteredIn", "activeAtStage", "controlledBy", "owner", "owned", "operator", "locatedIn", "produces",
    "usedIn", "application", "replaces", "substitute", "inApplication", "party", "coversMaterial", "amends",
    "setBy", "appliesTo", "issuedBy", "coversItem", "targetCountry", "involves", "about", "memberOfGroup",
]  # fmt: skip
CONTRACT_DATATYPE_PROPERTIES = [
    "share", "referenceYear", "referencePeriod", "qualifier", "note", "reason", "iso2", "iso3", "wgiMean",
    "wgiScaled", "role", "ownershipShare", "since", "capacity", "signedOn", "inForceFrom",
    "negotiationOpenedOn", "status", "celex", "adoptedOn", "article", "kind", "threshold", "targetYear",
    "legalReference", "announcedOn", "effectiveFrom", "suspendedFrom", "suspendedUntil", "liftedOn",
    "description", "hsCode", "regime", "cnCode", "wikidataId", "isCritical", "isStrategic", "symbol", "date",
    "year", "url", "sourceType",
]  # fmt: skip
CONTRACT_INDIVIDUALS = {
    "OreConcentrate": "MaterialForm",
    "ElementOrCompound": "MaterialForm",
    "RefinedProduct": "MaterialForm",
    "IntermediateForm": "MaterialForm",
    "World": "ShareScope",
    "EUSourcing": "ShareScope",
}
CONTRACT_SUBCLASSES = {
    "MaterialGroup": "Material",
    "Intermediate": "Material",
    "Mine": "Facility",
    "Refinery": "Facility",
    "MagnetPlant": "Facility",
    "Fab": "Facility",
    "RecyclingPlant": "Facility",
    "StrategicPartnership": "Agreement",
    "MemorandumOfUnderstanding": "Agreement",
    "TradeAgreement": "Agreement",
    "CriticalMineralsAgreement": "Agreement",
}

TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)
# Built-in terms the shapes may use without the ontology declaring them.
BUILT_IN = {RDF.type, RDFS.label, OWL.sameAs}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def crm_terms(ontology: Graph, kind: URIRef) -> set[URIRef]:
    return {t for t in ontology.subjects(RDF.type, kind) if isinstance(t, URIRef) and t.startswith(CRM)}


def shape_terms(shapes: Graph) -> set[URIRef]:
    """Every IRI the shapes name as a path, class, target or allowed value."""
    terms: set[URIRef] = set()
    for predicate in (SH.path, SH["class"], SH.targetClass, SH.targetSubjectsOf, SH.lessThanOrEquals):
        terms |= {o for o in shapes.objects(None, predicate) if isinstance(o, URIRef)}
    for values in shapes.objects(None, SH["in"]):
        terms |= {v for v in shapes.items(values) if isinstance(v, URIRef)}
    return terms


def undeclared(terms: set[URIRef], ontology: Graph) -> set[URIRef]:
    declared = {t for kind in TERM_KINDS for t in ontology.subjects(RDF.type, kind)}
    return terms - declared - BUILT_IN


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None


def test_contract_classes_declared(ontology: Graph) -> None:
    assert {CRM[name] for name in CONTRACT_CLASSES} - crm_terms(ontology, OWL.Class) == set()


def test_contract_object_properties_declared(ontology: Graph) -> None:
    expected = {CRM[name] for name in CONTRACT_OBJECT_PROPERTIES}
    assert expected - crm_terms(ontology, OWL.ObjectProperty) == set()


def test_contract_datatype_properties_declared(ontology: Graph) -> None:
    expected = {CRM[name] for name in CONTRACT_DATATYPE_PROPERTIES}
    assert expected - crm_terms(ontology, OWL.DatatypeProperty) == set()


@pytest.mark.parametrize(("name", "class_name"), sorted(CONTRACT_INDIVIDUALS.items()))
def test_contract_individuals_declared(ontology: Graph, name: str, class_name: str) -> None:
    assert set(ontology.objects(CRM[name], RDF.type)) == {OWL.NamedIndividual, CRM[class_name]}
    assert len(list(ontology.objects(CRM[name], RDFS.label))) == 1
    assert len(list(ontology.objects(CRM[name], SKOS.definition))) == 1


@pytest.mark.parametrize(("name", "parent"), sorted(CONTRACT_SUBCLASSES.items()))
def test_contract_subclasses(ontology: Graph, name: str, parent: str) -> None:
    assert set(ontology.objects(CRM[name], RDFS.subClassOf)) == {CRM[parent]}


def test_reuses_prov(ontology: Graph) -> None:
    assert (CRM.Source, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology
    assert (CRM.source, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in ontology


def test_every_term_has_one_label_and_one_one_line_definition(ontology: Graph) -> None:
    terms = set().union(*(crm_terms(ontology, kind) for kind in TERM_KINDS))
    assert len(terms) >= len(CONTRACT_CLASSES) + len(CONTRACT_OBJECT_PROPERTIES) + len(CONTRACT_DATATYPE_PROPERTIES)
    problems = []
    for term in sorted(terms):
        labels = list(ontology.objects(term, RDFS.label))
        definitions = list(ontology.objects(term, SKOS.definition))
        if len(labels) != 1:
            problems.append(f"{term}: {len(labels)} rdfs:label")
        if len(definitions) != 1:
            problems.append(f"{term}: {len(definitions)} skos:definition")
        elif "\n" in str(definitions[0]):
            problems.append(f"{term}: definition is not one line")
    assert problems == []


def test_every_shape_term_is_declared(ontology: Graph, shapes: Graph) -> None:
    terms = shape_terms(shapes)
    assert CRM.share in terms  # the collection found the shapes' terms at all
    assert undeclared(terms, ontology) == set()


def test_shape_term_check_catches_a_typo(ontology: Graph) -> None:
    typo = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix crm: <https://w3id.org/crm-kg/ontology#> .
        [] sh:targetClass crm:Materail ; sh:property [ sh:path crm:share ; sh:class crm:Sorce ] .
        """,
        format="turtle",
    )
    assert undeclared(shape_terms(typo), ontology) == {CRM.Materail, CRM.Sorce}


def test_every_class_is_targeted_by_a_shape(ontology: Graph, shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    # a subclass is covered by its superclass's shape (see the inference note in shapes.ttl)
    uncovered = {
        cls
        for cls in crm_terms(ontology, OWL.Class)
        if not set(ontology.transitive_objects(cls, RDFS.subClassOf)) & targeted
    }
    assert uncovered == set()


def test_every_property_has_a_value_shape(ontology: Graph, shapes: Graph) -> None:
    properties = crm_terms(ontology, OWL.ObjectProperty) | crm_terms(ontology, OWL.DatatypeProperty)
    assert properties - set(shapes.objects(None, SH.targetSubjectsOf)) == set()
