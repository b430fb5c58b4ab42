"""crm-kg's readable names: no two IRIs may end up with one name (export could not tell them apart)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.core.resources import ontology_file
from kg.core.vocabulary import CRM
from loaders.graph.config import READABLE_NAMES, readable_config
from loaders.graph.naming import Namer, PrefixMap

OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def crm_terms(kind: str | None = None) -> set[str]:
    """crm terms declared in the ontology, of one OWL kind (Class, ObjectProperty, DatatypeProperty) or all."""
    terms = set()
    for quad in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        subject = quad.subject
        if not (isinstance(subject, ox.NamedNode) and subject.value.startswith(CRM)):
            continue
        if kind is None or (quad.predicate.value == RDF_TYPE and quad.object == ox.NamedNode(OWL + kind)):
            terms.add(subject.value)
    return terms


def test_readable_names_of_well_known_vocabulary_never_equal_a_crm_local_name() -> None:
    local_names = {iri[len(CRM) :] for iri in crm_terms()}
    assert local_names  # an ontology without crm terms would compare nothing
    assert sorted(set(READABLE_NAMES.values()) & local_names) == []


def test_every_crm_term_gets_a_distinct_name_of_each_kind() -> None:
    namer = Namer(readable_config(), PrefixMap.start(readable_config(), {}))
    for name_of, kind in (
        (namer.property_name, "DatatypeProperty"),
        (namer.relationship_type, "ObjectProperty"),
        (namer.label, "Class"),
    ):
        terms = crm_terms(kind)
        assert terms, kind  # a kind the ontology does not declare would compare nothing
        names: dict[str, set[str]] = {}
        for iri in sorted(terms | set(READABLE_NAMES)):
            names.setdefault(name_of(iri), set()).add(iri)
        assert {n: sorted(i) for n, i in names.items() if len(i) > 1} == {}


def test_readable_names_by_kind() -> None:
    namer = Namer(readable_config(), PrefixMap.start(readable_config(), {}))
    assert namer.relationship_type(CRM + "usedIn") == "USED_IN"
    assert namer.relationship_type("http://www.w3.org/2002/07/owl#sameAs") == "SAME_AS"
    assert namer.property_name(CRM + "referenceYear") == "referenceYear"
    assert namer.property_name("http://www.w3.org/2000/01/rdf-schema#label") == "name"
    assert namer.label(CRM + "SupplyShare") == "SupplyShare"
    assert namer.property_name("http://purl.org/dc/terms/description") == "ns0__description"
