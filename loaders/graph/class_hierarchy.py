"""The superclasses of crm-kg's classes, from the bundled ontology: a node typed crm:Intermediate also gets the
label Material, so that `(:Material)` finds intermediates and groups too (the readable default only).

The labels added this way are listed in the node's `_inferredLabels`, so that `kg export` writes only the types
the data stated.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from kg.core.resources import ontology_file
from kg.core.vocabulary import CRM, RDFS

RDFS_SUBCLASS_OF = RDFS + "subClassOf"


@cache
def crm_superclasses() -> dict[str, frozenset[str]]:
    """Class local name -> the local names of all its crm superclasses (transitively)."""
    direct: dict[str, set[str]] = {}
    for quad in ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE):
        if quad.predicate.value != RDFS_SUBCLASS_OF:
            continue
        sub, sup = quad.subject, quad.object
        named = isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode)
        if named and sub.value.startswith(CRM) and sup.value.startswith(CRM):
            direct.setdefault(sub.value[len(CRM) :], set()).add(sup.value[len(CRM) :])
    closure: dict[str, frozenset[str]] = {}
    for name in direct:
        seen: set[str] = set()
        todo = list(direct[name])
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(direct.get(current, ()))
        closure[name] = frozenset(seen)
    return closure


def inferred_labels(labels: set[str] | frozenset[str]) -> frozenset[str]:
    """The superclass labels implied by `labels` and not among them."""
    hierarchy = crm_superclasses()
    implied: set[str] = set()
    for label in labels:
        implied |= hierarchy.get(label, frozenset())
    return frozenset(implied - set(labels))
