"""The namespaces crm-kg's data and ontology use, once: crm-kg's own (ontology, ids, shapes) and the W3C and other
vocabularies beside them. Every module that names an IRI builds it from these."""

from __future__ import annotations

CRM = "https://w3id.org/crm-kg/ontology#"
ID = "https://w3id.org/crm-kg/id/"
SHAPES = "https://w3id.org/crm-kg/shapes#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"

# The prefixes crm-kg writes and reads its own files with.
PREFIXES: dict[str, str] = {
    "crm": CRM,
    "id": ID,
    "shapes": SHAPES,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "sh": SH,
}
