"""Names people type, resolved to nodes on a tiny seeded graph (each engine); closest names (pure)."""

from __future__ import annotations

import pytest

from kg.core.errors import AmbiguousName, UnknownLabel, UnknownName
from kg.cypher.names import ResolvedName, closest_names, resolve
from kg.cypher.querying import run_query
from kg.server.connection import Connection

SEED = """
CREATE (:Resource:Material {uri: 'urn:t:ga', name: 'gallium', altLabels: ['Ga']}),
       (:Resource:Material {uri: 'urn:t:ge', name: 'germanium', altLabels: ['Ge']}),
       (:Resource:Material:Intermediate {uri: 'urn:t:gam', name: 'gallium metal',
                                         altLabels: ['Ga metal', 'primary gallium']}),
       (:Resource:Material {uri: 'urn:t:gr', name: 'graphite', altLabels: ['artificial graphite', 'natural graphite']}),
       (:Resource:Material:Intermediate {uri: 'urn:t:sg', name: 'synthetic graphite',
                                         altLabels: ['artificial graphite']}),
       (:Resource:Material {uri: 'urn:t:si', name: 'silicon metal', altLabels: ['silicon', 'Si']}),
       (:Resource:Material:Intermediate {uri: 'urn:t:hps', name: 'high-purity silicon', altLabels: ['silicon metal']}),
       (:Resource:Material {uri: 'urn:t:b1', name: 'boron'}),
       (:Resource:Material {uri: 'urn:t:b2', name: 'Boron'}),
       (:Resource:Sector {uri: 'urn:t:auto', name: 'Automotive', altLabels: ['cars', 'gallium users']}),
       (:Resource:Country {uri: 'urn:t:cn', name: 'China', iso2: 'CN', iso3: 'CHN',
                           altLabels: ["People's Republic of China"]}),
       (:Resource:Country {uri: 'urn:t:ca', name: 'Canada', iso2: 'CA', iso3: 'CAN'})
"""


@pytest.fixture
def seeded(connection: Connection) -> Connection:
    run_query(connection, SEED, write=True)
    return connection


@pytest.mark.graph
def test_an_exact_name(seeded: Connection) -> None:
    assert resolve(seeded, "Material", "gallium") == ResolvedName(
        label="Material", uri="urn:t:ga", name="gallium", labels=("Material", "Resource"), matched_on="name"
    )


@pytest.mark.graph
def test_an_alternative_label(seeded: Connection) -> None:
    found = resolve(seeded, "Material", "primary gallium")
    assert (found.uri, found.name, found.labels, found.matched_on) == (
        "urn:t:gam",
        "gallium metal",
        ("Intermediate", "Material", "Resource"),
        "altLabel",
    )


@pytest.mark.graph
@pytest.mark.parametrize("typed", ["GALLIUM", "Gallium", "  gallium ", "ga", "GA"])
def test_case_and_surrounding_spaces_do_not_matter(seeded: Connection, typed: str) -> None:
    assert resolve(seeded, "Material", typed).uri == "urn:t:ga"


@pytest.mark.graph
@pytest.mark.parametrize(
    ("typed", "matched_on"),
    [("china", "name"), ("cn", "code"), ("CHN", "code"), ("people's republic of china", "altLabel")],
)
def test_a_country_by_name_code_or_alternative_label(seeded: Connection, typed: str, matched_on: str) -> None:
    found = resolve(seeded, "Country", typed)
    assert (found.uri, found.name, found.matched_on) == ("urn:t:cn", "China", matched_on)


@pytest.mark.graph
def test_names_are_looked_up_within_one_label(seeded: Connection) -> None:
    assert resolve(seeded, "Sector", "cars").uri == "urn:t:auto"
    assert resolve(seeded, "Material", "gallium").uri == "urn:t:ga"  # 'gallium users' is the sector's, not a match
    with pytest.raises(UnknownName):
        resolve(seeded, "Material", "cars")
    with pytest.raises(UnknownName):
        resolve(seeded, "Material", "CN")  # ISO codes are for countries


@pytest.mark.graph
def test_a_name_wins_over_another_nodes_alternative_label(seeded: Connection) -> None:
    # 'silicon metal' is the name of one node and an alternative label of another.
    found = resolve(seeded, "Material", "Silicon Metal")
    assert (found.uri, found.matched_on) == ("urn:t:si", "name")


@pytest.mark.graph
def test_an_alternative_label_of_several_nodes_is_ambiguous(seeded: Connection) -> None:
    with pytest.raises(AmbiguousName) as raised:
        resolve(seeded, "Material", "Artificial Graphite")
    assert str(raised.value) == (
        "'Artificial Graphite' could mean 2 Material nodes: graphite, synthetic graphite; "
        "give one of these names instead"
    )
    assert [c.uri for c in raised.value.candidates] == ["urn:t:gr", "urn:t:sg"]
    assert {c.matched_on for c in raised.value.candidates} == {"altLabel"}


@pytest.mark.graph
def test_two_nodes_with_the_same_name_are_ambiguous_and_shown_with_their_uris(seeded: Connection) -> None:
    with pytest.raises(AmbiguousName) as raised:
        resolve(seeded, "Material", "boron")
    assert str(raised.value) == (
        "'boron' could mean 2 Material nodes: Boron <urn:t:b2>, boron <urn:t:b1>; give one of these names instead"
    )


@pytest.mark.graph
def test_an_unknown_name_gives_the_closest_names(seeded: Connection) -> None:
    with pytest.raises(UnknownName) as raised:
        resolve(seeded, "Material", "galium")
    assert str(raised.value) == "no Material named 'galium'; closest: gallium, germanium, gallium metal"
    assert raised.value.closest == ("gallium", "germanium", "gallium metal")
    assert (raised.value.label, raised.value.name) == ("Material", "galium")


@pytest.mark.graph
def test_an_unknown_name_with_nothing_close(seeded: Connection) -> None:
    with pytest.raises(UnknownName, match=r"^no Country named 'Atlantis'; no Country has a similar name$"):
        resolve(seeded, "Country", "Atlantis")


@pytest.mark.graph
def test_an_unknown_name_in_an_empty_graph(connection: Connection) -> None:
    with pytest.raises(UnknownName, match=r"^no Product named 'car'; no Product has a similar name$"):
        resolve(connection, "Product", "car")


def test_a_label_outside_the_list_is_refused_before_any_query() -> None:
    with pytest.raises(UnknownLabel, match="not 'Materia'"):
        resolve(None, "Materia", "gallium")  # type: ignore[arg-type]


def test_closest_names_show_an_alternative_label_with_its_nodes() -> None:
    nodes = [
        ("neodymium", ["Nd", "neodym"]),
        ("graphite", ["artificial graphite"]),
        ("synthetic graphite", ["artificial graphite", "Synthetic Graphite"]),
        ("gallium", None),
    ]
    assert closest_names("neodim", nodes) == ["neodym (neodymium)", "neodymium"]
    assert closest_names("artifical graphite", nodes) == [
        "artificial graphite (graphite, synthetic graphite)",
        "synthetic graphite",
        "graphite",
    ]
    assert closest_names("xyz", nodes) == []
