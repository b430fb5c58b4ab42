"""The query packs scenarios/, policy/, agreements/ and companies/ on both engines.

Every query runs on the seeded fixture graph (tests/fixtures/packs/seed-policy.ttl) with its example parameters
and others, and its rows are compared exactly with rows worked out by hand from that file (the comments say
how). The headline questions are also asked of the bundled dataset.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.core.cypher_files import Query
from kg.core.errors import PackError
from kg.core.resources import ontology_file, shapes_file
from kg.cypher.packs import load_packs
from kg.server.connection import Connection
from loaders.rdf.validation import validate

from .conftest import Backend, loaded_database

pytestmark = pytest.mark.graph

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "packs" / "seed-policy.ttl"
QUERIES = load_packs([ROOT / "queries"])
_numbers = itertools.count(1)

# The contract of issue 5 (PACKS.md): pack and returned columns, in order.
CONTRACT = {
    "controls_in_force": (
        "scenarios",
        ["control", "legal_reference", "regime", "announced", "effective", "suspended_until", "covers"],
    ),
    "alternative_producers": ("scenarios", ["country", "iso2", "stage", "share", "year", "eu_agreement"]),
    "substitutes_for": ("scenarios", ["replaces", "substitute", "application", "note", "source"]),
    "crma_benchmarks": ("policy", ["regulation", "article", "kind", "stage", "threshold", "target_year"]),
    "strategic_materials": (
        "policy",
        ["material", "strategic_scope", "extraction_top_share", "processing_top_share"],
    ),
    "agreement_coverage": ("agreements", ["material", "country", "iso2", "stage", "share", "agreement", "signed"]),
    "agreements_list": ("agreements", ["agreement", "kind", "parties", "signed", "materials"]),
    "controlled_from_country": ("companies", ["company", "hq_country", "control_path", "makes"]),
    "companies_exposed_to_material": ("companies", ["company", "hq_country", "makes", "hops", "chains"]),
}


@pytest.fixture(scope="module")
def seeded(backend: Backend) -> Iterator[Connection]:
    """The ontology and the seeded fixture graph, in a database of this module's own."""
    yield from loaded_database(backend, "policyseed", [ontology_file(), SEED])


@pytest.fixture(scope="module")
def bundled(bundled_dataset: Connection) -> Connection:
    """The ontology and the bundled dataset (the session's shared, read-only copy)."""
    return bundled_dataset


def run(connection: Connection, name: str, **given: Any) -> list[tuple[Any, ...]]:
    """The query's rows as tuples, in the column order the contract gives (which the records must have)."""
    query: Query = QUERIES[name]
    columns = CONTRACT[name][1]
    with connection.driver.session(database=connection.database) as session:
        records = list(session.run(query.text, query.check_parameters(given)))
    for record in records:
        assert list(record.keys()) == columns
    return [tuple(record.values()) for record in records]


# ----------------------------------------------------------------------------------------------------------
# Headers and the contract (no database needed, but kept with the queries they describe)
# ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_each_query_has_the_contracts_pack_columns_and_a_question(name: str) -> None:
    query = QUERIES[name]
    pack, columns = CONTRACT[name]
    assert query.pack == pack
    assert query.path == ROOT / "queries" / pack / f"{name}.cypher"
    assert [c.name for c in query.returns] == columns
    assert query.question.endswith("?")


def test_the_examples_are_the_contracts() -> None:
    examples = {name: QUERIES[name].example_parameters() for name in CONTRACT}
    assert examples == {
        "controls_in_force": {"country": "CN", "as_of": "2025-06-01", "material": "dysprosium"},
        "alternative_producers": {"material": "dysprosium", "exclude_iso2": "CN"},
        "substitutes_for": {"material": "neodymium"},
        "crma_benchmarks": {},
        "strategic_materials": {},
        "agreement_coverage": {"material": ""},
        "agreements_list": {},
        "controlled_from_country": {"iso2": "CN"},
        "companies_exposed_to_material": {"material": "gallium", "max_hops": 6},
    }


def test_the_seed_conforms_to_the_shapes() -> None:
    report = validate([SEED], shapes_file(), [ontology_file()])
    assert list(report.violations) == []
    assert report.conforms


# ----------------------------------------------------------------------------------------------------------
# scenarios/controls_in_force on the seed
# ----------------------------------------------------------------------------------------------------------

# The seed's three Chinese controls (name, legal reference, regime, announced, effective, suspended until):
A = (
    "Test control A: rare-earth technology ban",
    "Test Announcement No. 1 [2023]",
    "technology-ban",
    "2023-12-01",
    "2024-01-01",
    None,
)
B = (
    "Test control B: magnet licensing",
    "Test Announcement No. 2 [2024]",
    "licensing",
    "2024-06-01",
    "2024-07-01",
    None,
)
C = (
    "Test control C: dysprosium licensing",
    "Test Announcement No. 3 [2025]",
    "licensing",
    "2025-04-04",
    "2025-05-01",
    "2026-11-10",
)
# What links each to dysprosium: A covers the group rare earths (dysprosium -> heavy rare earths -> rare earths),
# B the NdFeB magnet (dysprosium -> dysprosium oxide -> NdFeB magnet), C dysprosium and dysprosium oxide.
A_DY = (*A, ["rare earths"])
B_DY = (*B, ["NdFeB magnet"])
C_DY = (*C, ["dysprosium", "dysprosium oxide"])


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2023-11-30", []),  # before any announcement
        ("2023-12-15", []),  # A announced (1 Dec) but not yet effective (1 Jan)
        ("2024-01-01", [A_DY]),  # A's first day
        ("2024-08-01", [A_DY, B_DY]),  # B effective since 1 Jul 2024
        ("2025-02-28", [A_DY, B_DY]),  # B's last day before it was lifted
        ("2025-03-01", [A_DY]),  # B lifted on 1 Mar 2025
        ("2025-04-10", [A_DY]),  # C announced (4 Apr) but effective only from 1 May
        ("2025-06-01", [A_DY, C_DY]),  # the example: C in force
        ("2025-11-09", [A_DY, C_DY]),  # C's last day before its suspension
        ("2025-11-10", [A_DY]),  # C suspended from 10 Nov 2025
        ("2025-12-01", [A_DY]),  # during the suspension
        ("2026-11-09", [A_DY]),  # still suspended
        ("2026-11-10", [A_DY]),  # suspendedUntil is the suspension's last day (crm:suspendedUntil)
        ("2026-11-11", [A_DY, C_DY]),  # in force again the day after
        ("2027-01-01", [A_DY, C_DY]),  # after the suspension
    ],
)
def test_controls_in_force_change_with_the_date(
    seeded: Connection, as_of: str, expected: list[tuple[Any, ...]]
) -> None:
    assert run(seeded, "controls_in_force", as_of=as_of) == expected


def test_controls_in_force_with_the_examples(seeded: Connection) -> None:
    assert run(seeded, "controls_in_force") == [A_DY, C_DY]


def test_controls_in_force_for_other_materials_and_spellings(seeded: Connection) -> None:
    # neodymium is a rare earth (A) and goes into the NdFeB magnet (B); C covers only dysprosium and its oxide.
    assert run(seeded, "controls_in_force", material="neodymium", as_of="2024-08-01") == [
        (*A, ["rare earths"]),
        (*B, ["NdFeB magnet"]),
    ]
    assert run(seeded, "controls_in_force", material="neodymium", as_of="2025-06-01") == [(*A, ["rare earths"])]
    # an intermediate asked for itself: only what covers it (B), not its raw materials' controls
    assert run(seeded, "controls_in_force", material="ndfeb magnet", as_of="2024-08-01") == [(*B, ["NdFeB magnet"])]
    # gallium is covered by none of them
    assert run(seeded, "controls_in_force", material="gallium", as_of="2025-06-01") == []
    # an alternative label, lower-case codes, the alpha-3 code and the name of the country
    assert run(seeded, "controls_in_force", material="dy", country="cn") == [A_DY, C_DY]
    assert run(seeded, "controls_in_force", country="CHN") == [A_DY, C_DY]
    assert run(seeded, "controls_in_force", country="china") == [A_DY, C_DY]
    # controls are those of the issuing country only
    assert run(seeded, "controls_in_force", country="US") == []
    assert run(seeded, "controls_in_force", material="no such material") == []


# ----------------------------------------------------------------------------------------------------------
# scenarios/alternative_producers and substitutes_for on the seed
# ----------------------------------------------------------------------------------------------------------

EU_AU = "EU-Australia test partnership"


def test_alternative_producers_with_the_examples(seeded: Connection) -> None:
    # World shares of countries other than CN; per country and stage the latest year (Malaysia's processing
    # share is 0.08 of 2025, not 0.01 of 2020); the company Sino Rare Earths and EU-sourcing figures are not
    # producers here. Only Australia has an agreement with the EU as a party (the Australia-US one has none).
    assert run(seeded, "alternative_producers") == [
        ("Malaysia", "MY", "extraction", 0.10, 2020, []),
        ("Australia", "AU", "extraction", 0.06, 2020, [EU_AU]),
        ("United States", "US", "extraction", 0.04, 2020, []),
        ("Malaysia", "MY", "processing", 0.08, 2025, []),
    ]


def test_alternative_producers_for_other_materials(seeded: Connection) -> None:
    # equal shares are ordered by country name
    assert run(seeded, "alternative_producers", material="Nd", exclude_iso2="my") == [
        ("China", "CN", "extraction", 0.70, 2022, []),
        ("Australia", "AU", "extraction", 0.15, 2022, [EU_AU]),
        ("United States", "US", "extraction", 0.15, 2022, []),
        ("China", "CN", "processing", 0.90, 2022, []),
    ]
    # "" leaves no country out; Germany is an EU member, not a party to an EU agreement
    assert run(seeded, "alternative_producers", material="gallium", exclude_iso2="") == [
        ("China", "CN", "processing", 0.98, 2024, []),
        ("Germany", "DE", "processing", 0.02, 2024, []),
    ]
    assert run(seeded, "alternative_producers", material="ferrite magnet") == []


FERRITE_EPS = ("NdFeB magnet", "ferrite magnet", "EPS motor", "Small motors only.", "Test study of raw materials 2023")
FERRITE_WIPER = (
    "NdFeB magnet",
    "ferrite magnet",
    "wiper motor",
    "Small motors only.",
    "Test study of raw materials 2023",
)


def test_substitutes_for_with_the_examples(seeded: Connection) -> None:
    # nothing replaces neodymium itself; ferrite replaces the NdFeB magnet made from it, in two applications
    assert run(seeded, "substitutes_for") == [FERRITE_EPS, FERRITE_WIPER]


def test_substitutes_for_other_materials(seeded: Connection) -> None:
    # dysprosium: grain-boundary diffusion (no application, no note, two sources joined in title order) and,
    # through dysprosium oxide -> NdFeB magnet, the ferrite rows; "NdFeB ..." sorts before "dysprosium"
    gbd = (
        "dysprosium",
        "grain-boundary diffusion",
        None,
        None,
        "Annual test report 2025; Test study of raw materials 2023",
    )
    assert run(seeded, "substitutes_for", material="DYSPROSIUM") == [FERRITE_EPS, FERRITE_WIPER, gbd]
    assert run(seeded, "substitutes_for", material="NdFeB magnet") == [FERRITE_EPS, FERRITE_WIPER]
    assert run(seeded, "substitutes_for", material="gallium") == []


# ----------------------------------------------------------------------------------------------------------
# policy/ on the seed
# ----------------------------------------------------------------------------------------------------------


def test_crma_benchmarks(seeded: Connection) -> None:
    crma = "Critical Raw Materials Act"
    assert run(seeded, "crma_benchmarks") == [
        (crma, "Art. 5(1)(a)(i)", "min-eu-capacity", "extraction", 0.10, 2030),
        (crma, "Art. 5(1)(a)(ii)", "min-eu-capacity", "processing", 0.40, 2030),
        (crma, "Art. 5(1)(b)", "max-single-third-country", None, 0.65, 2030),
    ]


def test_strategic_materials(seeded: Connection) -> None:
    # Strategic: gallium by its own flag; the group "rare earths for magnets" by its own flag, and dysprosium and
    # neodymium as its members (with the group's Annex I wording). Dysprosium processing: the latest year is 2025
    # (CN 0.90, MY 0.08); neither the 2020 figure (0.99), the company's 0.95 nor the EU-sourcing 0.97 counts.
    # Gallium has no extraction figure, the group no figure at all. The ferrite magnet is flagged not strategic.
    scope = "rare earth elements for magnets (Nd, Dy)"
    assert run(seeded, "strategic_materials") == [
        ("dysprosium", scope, 0.80, 0.90),
        ("gallium", "gallium", None, 0.98),
        ("neodymium", scope, 0.70, 0.90),
        ("rare earths for magnets", scope, None, None),
    ]


# ----------------------------------------------------------------------------------------------------------
# agreements/ on the seed
# ----------------------------------------------------------------------------------------------------------


def test_agreements_list(seeded: Connection) -> None:
    assert run(seeded, "agreements_list") == [
        (EU_AU, "MemorandumOfUnderstanding, StrategicPartnership", ["Australia", "European Union"], "2024-05-28", []),
        (
            "Australia-US test framework",
            "CriticalMineralsAgreement",
            ["Australia", "United States"],
            "2025-10-20",
            ["dysprosium", "neodymium"],
        ),
    ]


NEODYMIUM_COVERAGE = [
    ("neodymium", "China", "CN", "extraction", 0.70, None, None),
    ("neodymium", "Australia", "AU", "extraction", 0.15, EU_AU, "2024-05-28"),
    ("neodymium", "United States", "US", "extraction", 0.15, None, None),
    ("neodymium", "China", "CN", "processing", 0.90, None, None),
    ("neodymium", "Malaysia", "MY", "processing", 0.10, None, None),
]


def test_agreement_coverage_with_the_examples(seeded: Connection) -> None:
    # every strategic material (dysprosium and neodymium as members of a strategic group) x producing country
    # (latest world share per stage) x EU agreement, null where none; the strategic group itself has no shares
    assert run(seeded, "agreement_coverage") == [
        ("dysprosium", "China", "CN", "extraction", 0.80, None, None),
        ("dysprosium", "Malaysia", "MY", "extraction", 0.10, None, None),
        ("dysprosium", "Australia", "AU", "extraction", 0.06, EU_AU, "2024-05-28"),
        ("dysprosium", "United States", "US", "extraction", 0.04, None, None),
        ("dysprosium", "China", "CN", "processing", 0.90, None, None),
        ("dysprosium", "Malaysia", "MY", "processing", 0.08, None, None),
        ("gallium", "China", "CN", "processing", 0.98, None, None),
        ("gallium", "Germany", "DE", "processing", 0.02, None, None),
        *NEODYMIUM_COVERAGE,
    ]


def test_agreement_coverage_of_one_material(seeded: Connection) -> None:
    assert run(seeded, "agreement_coverage", material="nd") == NEODYMIUM_COVERAGE
    assert run(seeded, "agreement_coverage", material="ferrite magnet") == []


# ----------------------------------------------------------------------------------------------------------
# companies/ on the seed
# ----------------------------------------------------------------------------------------------------------


def test_controlled_from_country_with_the_examples(seeded: Connection) -> None:
    # Magnet Co: CONTROLLED_BY Hold Co, CONTROLLED_BY China (2 steps). Wafer Co: 75% owned by Parent Co, 60% owned
    # by China (2 Ownership steps). Motor Co: controlled by Sino Rare Earths, headquartered in China. Chip Co is
    # not listed: China's 20% and Sino Rare Earths' stake of unknown size are not control.
    assert run(seeded, "controlled_from_country") == [
        ("Hold Co", "Malaysia", ["Hold Co", "China"], []),
        ("Magnet Co", "Germany", ["Magnet Co", "Hold Co", "China"], ["NdFeB magnet"]),
        ("Motor Co", "Germany", ["Motor Co", "Sino Rare Earths", "China"], ["traction motor"]),
        ("Parent Co", "Australia", ["Parent Co", "China"], []),
        ("Sino Rare Earths", "China", ["Sino Rare Earths", "China"], ["dysprosium oxide"]),
        ("Wafer Co", "Germany", ["Wafer Co", "Parent Co", "China"], ["GaN wafer"]),
    ]


def test_controlled_from_other_countries(seeded: Connection) -> None:
    # through a parent headquartered in the country
    assert run(seeded, "controlled_from_country", iso2="au") == [
        ("Oz Mining", "Australia", ["Oz Mining", "Australia"], ["neodymium"]),
        ("Parent Co", "Australia", ["Parent Co", "Australia"], []),
        ("Wafer Co", "Germany", ["Wafer Co", "Parent Co", "Australia"], ["GaN wafer"]),
    ]
    assert run(seeded, "controlled_from_country", iso2="MY") == [
        ("Hold Co", "Malaysia", ["Hold Co", "Malaysia"], []),
        ("Magnet Co", "Germany", ["Magnet Co", "Hold Co", "Malaysia"], ["NdFeB magnet"]),
    ]
    # the shortest chain: Magnet Co is headquartered in Germany itself
    assert run(seeded, "controlled_from_country", iso2="DE") == [
        ("Car Co", "Germany", ["Car Co", "Germany"], ["battery-electric car"]),
        ("Magnet Co", "Germany", ["Magnet Co", "Germany"], ["NdFeB magnet"]),
        ("Motor Co", "Germany", ["Motor Co", "Germany"], ["traction motor"]),
        ("Wafer Co", "Germany", ["Wafer Co", "Germany"], ["GaN wafer"]),
    ]
    assert run(seeded, "controlled_from_country", iso2="US") == [
        ("Chip Co", "United States", ["Chip Co", "United States"], ["power transistor"])
    ]
    assert run(seeded, "controlled_from_country", iso2="ZZ") == []


def test_companies_exposed_to_material_with_the_examples(seeded: Connection) -> None:
    # gallium -> GaN wafer (1) -> power transistor (2) -> battery-electric car (3, directly; 4 via the charger:
    # two chains)
    assert run(seeded, "companies_exposed_to_material") == [
        ("Wafer Co", "Germany", "GaN wafer", 1, 1),
        ("Chip Co", "United States", "power transistor", 2, 1),
        ("Car Co", "Germany", "battery-electric car", 3, 2),
    ]


def test_companies_exposed_to_other_materials_and_hop_limits(seeded: Connection) -> None:
    assert run(seeded, "companies_exposed_to_material", max_hops=2) == [
        ("Wafer Co", "Germany", "GaN wafer", 1, 1),
        ("Chip Co", "United States", "power transistor", 2, 1),
    ]
    with pytest.raises(PackError, match="max_hops of query companies_exposed_to_material must be from 1 to 12"):
        run(seeded, "companies_exposed_to_material", max_hops=0)  # the bounds of every max_hops, as on the page
    # dysprosium -> oxide (1) -> NdFeB magnet (2) -> traction motor (3) -> car (4; through the traction, power
    # steering and wiper motors: three chains)
    assert run(seeded, "companies_exposed_to_material", material="dysprosium") == [
        ("Sino Rare Earths", "China", "dysprosium oxide", 1, 1),
        ("Magnet Co", "Germany", "NdFeB magnet", 2, 1),
        ("Motor Co", "Germany", "traction motor", 3, 1),
        ("Car Co", "Germany", "battery-electric car", 4, 3),
    ]
    # Oz Mining makes neodymium itself: a supplier, not exposed (no hop 0)
    assert run(seeded, "companies_exposed_to_material", material="neodymium") == [
        ("Magnet Co", "Germany", "NdFeB magnet", 1, 1),
        ("Motor Co", "Germany", "traction motor", 2, 1),
        ("Car Co", "Germany", "battery-electric car", 3, 3),
    ]


# ----------------------------------------------------------------------------------------------------------
# The bundled dataset
# ----------------------------------------------------------------------------------------------------------

APRIL_2025 = "MOFCOM & GAC Announcement No. 18 [2025]"
OCTOBER_2025 = {
    "MOFCOM & GAC Announcement No. 55 [2025]",
    "MOFCOM & GAC Announcement No. 56 [2025]",
    "MOFCOM & GAC Announcement No. 57 [2025]",
    "MOFCOM & GAC Announcement No. 58 [2025]",
    "MOFCOM Announcement No. 61 [2025]",
    "MOFCOM Announcement No. 62 [2025]",
}


def legal_references(rows: list[tuple[Any, ...]]) -> set[str]:
    return {row[1] for row in rows}


def test_bundled_april_2025_control_covers_dysprosium_from_april(bundled: Connection) -> None:
    in_june = run(bundled, "controls_in_force", as_of="2025-06-01")
    assert [row[6] for row in in_june if row[1] == APRIL_2025] == [["dysprosium"]]
    in_march = run(bundled, "controls_in_force", as_of="2025-03-01")
    assert APRIL_2025 not in legal_references(in_march)
    assert in_march  # the 2023 technology ban (rare earths) was already in force


def test_bundled_october_2025_expansion_is_suspended_in_december(bundled: Connection) -> None:
    # Nos. 61 and 62 applied from 9 Oct 2025 until the suspension of 7 Nov 2025
    in_october = run(bundled, "controls_in_force", as_of="2025-10-20")
    assert {"MOFCOM Announcement No. 61 [2025]", "MOFCOM Announcement No. 62 [2025]"} <= legal_references(in_october)
    for material in ("dysprosium", "holmium", "graphite", "superhard materials"):
        in_december = run(bundled, "controls_in_force", material=material, as_of="2025-12-01")
        assert legal_references(in_december) & OCTOBER_2025 == set(), material
    assert APRIL_2025 in legal_references(run(bundled, "controls_in_force", as_of="2025-12-01"))


def test_bundled_nexperia_is_controlled_from_china_through_wingtech(bundled: Connection) -> None:
    rows = {row[0]: row for row in run(bundled, "controlled_from_country")}
    assert rows["Nexperia"][1:3] == ("Netherlands", ["Nexperia", "Wingtech Technology", "China"])
    # minority stakes are not control: Shenghe's ~7.75% of MP Materials
    assert "MP Materials" not in rows


def test_bundled_alternative_producers(bundled: Connection) -> None:
    rows = run(bundled, "alternative_producers")
    assert rows
    assert "CN" not in {row[1] for row in rows}
    assert rows[0][:3] == ("Myanmar", "MM", "extraction")
    # No country that produces dysprosium besides China has an EU agreement in the data (checked by hand in
    # data/agreements.ttl: no partnership with Myanmar, Russia, Thailand, India, Brazil, Vietnam, Malaysia or
    # Burundi); lithium shows that the column is filled where the data has one.
    assert all(row[5] == [] for row in rows)
    lithium = {(row[0], row[2]): row[5] for row in run(bundled, "alternative_producers", material="lithium")}
    assert lithium[("Australia", "extraction")] == [
        "EU-Australia partnership on sustainable critical and strategic minerals"
    ]
    assert lithium[("Chile", "extraction")] == ["EU-Chile partnership on sustainable raw materials value chains"]


def test_bundled_policy_agreements_and_substitutes(bundled: Connection) -> None:
    assert ("Art. 5(1)(b)", "max-single-third-country", None, 0.65, 2030) in [
        row[1:] for row in run(bundled, "crma_benchmarks")
    ]
    strategic = {row[0] for row in run(bundled, "strategic_materials")}
    # data/materials.ttl: members of the strategic groups count (dysprosium, platinum), osmium is left out of PGMs
    assert {"gallium", "lithium", "rare earth elements for magnets", "dysprosium", "platinum"} <= strategic
    assert "osmium" not in strategic
    # data/agreements.ttl: the 14 strategic partnerships and 5 other instruments
    assert len(run(bundled, "agreements_list")) == 19
    # data/value-chains.ttl: ferrite for the sintered NdFeB magnet (made from neodymium) in EPS motors
    substitutes = run(bundled, "substitutes_for")
    assert ("sintered NdFeB magnet", "ferrite magnet", "Electric power steering motor") in [r[:3] for r in substitutes]
    # Australia mines lithium and has an EU partnership; a producer without one is a gap (agreement null)
    coverage = run(bundled, "agreement_coverage", material="lithium")
    australia = [r[5] for r in coverage if r[1] == "Australia" and r[3] == "extraction"]
    assert australia == ["EU-Australia partnership on sustainable critical and strategic minerals"]
    assert any(r[5] is None and r[6] is None for r in coverage)
    # data/companies.ttl: Infineon (DE) makes GaN wafers; gallium -> gallium metal -> GaN wafer is 2 steps
    assert ("Infineon Technologies", "Germany", "GaN wafer", 2, 1) in run(bundled, "companies_exposed_to_material")
