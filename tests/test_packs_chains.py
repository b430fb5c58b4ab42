"""The query packs dependencies/, exposure/, concentration/ and provenance/ on both engines.

Each query runs on the seeded graph tests/fixtures/packs/seed-chains.ttl (its header draws the chains and lists
the figures), and its rows are asserted exactly, as worked out by hand from that file. The headline answers are
also checked on the bundled dataset.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.core.cypher_files import Query
from kg.core.resources import ontology_file, shapes_file
from kg.cypher.packs import load_packs
from kg.server.connection import Connection
from loaders.rdf.validation import validate

from .conftest import Backend, loaded_database

pytestmark = pytest.mark.graph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "packs" / "seed-chains.ttl"
PACKS = ("dependencies", "exposure", "concentration", "provenance")
QUERIES: dict[str, Query] = load_packs([ROOT / "queries"])
MINE = sorted(name for name, query in QUERIES.items() if query.pack in PACKS)

# Source titles of the seed graph.
STUDY = "Raw materials study 2023"
SURVEY = "Mineral survey 2026"
AUDIT = "Audit report 2026"
PRESS = "Article on the survey"
NEWS = "Refiners' news page"  # a source that states no year
SEED_SOURCE = "https://w3id.org/crm-kg/id/source/"

# Names along the seeded chains.
GA, GA_METAL, GAN_WAFER, GAN_HEMT = "gallium", "gallium metal", "GaN wafer", "GaN power transistor"
OBC, CHARGER, BEV, ICE = "On-board charger", "USB-C fast charger", "Battery-electric car", "Combustion-engine car"
ND, NDPR, ALLOY, MAGNET = "neodymium", "NdPr oxide", "NdFeB alloy", "sintered NdFeB magnet"
DY, DY_OXIDE, BORON = "dysprosium", "dysprosium oxide", "boron"
WSS, MOTOR, AUTO, DIGITAL = "Wheel-speed sensor", "Traction motor", "Automotive", "Digital and semiconductors"


@pytest.fixture(scope="module")
def seeded(backend: Backend) -> Iterator[Connection]:
    """The seed graph alone, in a database of the module's own."""
    yield from loaded_database(backend, "chainsseed", [SEED])


@pytest.fixture(scope="module")
def bundled(bundled_dataset: Connection) -> Connection:
    """The ontology and the bundled dataset (the session's shared, read-only copy)."""
    return bundled_dataset


def rows(connection: Connection, query_name: str, /, **params: Any) -> list[dict[str, Any]]:
    """The rows of a pack query, run with its example parameters overridden by `params`."""
    query = QUERIES[query_name]
    with connection.driver.session(database=connection.database) as session:
        return [record.data() for record in session.run(query.text, query.check_parameters(params))]


def values(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in found]


def approx(expected: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Expected rows with their floats compared approximately (sums of products are not exact in binary)."""
    return [tuple(pytest.approx(v) if isinstance(v, float) else v for v in row) for row in expected]


def test_the_packs_hold_the_queries_of_the_contract() -> None:
    assert {name: QUERIES[name].pack for name in MINE} == {
        "upstream_chains": "dependencies",
        "downstream_chains": "dependencies",
        "supply_shares": "exposure",
        "material_concentration": "exposure",
        "material_profile": "exposure",
        "chains_between": "exposure",
        "stage_concentration": "concentration",
        "crma_single_country_check": "concentration",
        "governance_weighted": "concentration",
        "sources_of_material": "provenance",
        "facts_without_source": "provenance",
    }
    assert all(QUERIES[name].question for name in MINE)


def test_the_seed_graph_conforms_to_the_shapes() -> None:
    report = validate([SEED], shapes_file(), [ontology_file()])
    assert report.conforms and report.violations == ()


@pytest.mark.parametrize("name", MINE)
def test_each_query_returns_its_declared_columns_in_order(seeded: Connection, name: str) -> None:
    found = rows(seeded, name)
    if name == "facts_without_source":
        return  # nothing to list on a graph where every fact has its source (see its own test)
    assert found, f"{name} answers nothing on the seed graph with its example parameters"
    assert [list(row) for row in found] == [[c.name for c in QUERIES[name].returns]] * len(found)


# -- dependencies/ ---------------------------------------------------------------------------------------------


def downstream(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["name"], r["kind"], r["hops"], r["chains"], r["main_chains"], r["path"]) for r in found]


def test_downstream_chains_give_counts_and_shortest_paths(seeded: Connection) -> None:
    # Battery-electric car: 4 steps through the transistor's shortcut, 5 through the on-board charger (two
    # chains); Automotive: through the car (two chains); the digital sector: 5 through the fast charger.
    chain = [GA, GA_METAL, GAN_WAFER, GAN_HEMT]
    assert downstream(rows(seeded, "downstream_chains")) == [
        (GA_METAL, "Intermediate", 1, 1, 1, chain[:2]),
        (GAN_WAFER, "Intermediate", 2, 1, 1, chain[:3]),
        (GAN_HEMT, "Component", 3, 1, 1, chain),
        (BEV, "Product", 4, 2, 2, [*chain, BEV]),
        (OBC, "Component", 4, 1, 1, [*chain, OBC]),
        (CHARGER, "Product", 4, 1, 1, [*chain, CHARGER]),
        (AUTO, "Sector", 5, 2, 2, [*chain, BEV, AUTO]),
        (DIGITAL, "Sector", 5, 1, 1, [*chain, CHARGER, DIGITAL]),
    ]
    # within 4 steps the car is reached only by its shortcut
    assert [(r["name"], r["chains"]) for r in rows(seeded, "downstream_chains", max_hops=4)][3] == (BEV, 1)
    assert [r["name"] for r in rows(seeded, "downstream_chains", max_hops=3)] == [GA_METAL, GAN_WAFER, GAN_HEMT]
    assert rows(seeded, "downstream_chains", material="GA") == rows(seeded, "downstream_chains")
    assert rows(seeded, "downstream_chains", material="unobtainium") == []


def test_downstream_chains_break_ties_between_equal_paths_by_their_names(seeded: Connection) -> None:
    # From the magnet (found by its alternative label) the car is 2 steps away through the traction motor and
    # through the wheel-speed sensor alike: "Traction motor" sorts first. Automotive: 3 steps by three chains.
    assert downstream(rows(seeded, "downstream_chains", material="ndfeb magnet")) == [
        (MOTOR, "Component", 1, 1, 1, [MAGNET, MOTOR]),
        (WSS, "Component", 1, 1, 1, [MAGNET, WSS]),
        (BEV, "Product", 2, 2, 2, [MAGNET, MOTOR, BEV]),
        (ICE, "Product", 2, 1, 1, [MAGNET, WSS, ICE]),
        (AUTO, "Sector", 3, 3, 3, [MAGNET, MOTOR, BEV, AUTO]),
    ]
    # Dysprosium: the oxide goes into the magnet directly (2 steps) and through the alloy (3 steps), so everything
    # after the magnet is reached by twice as many chains.
    assert [(r["name"], r["hops"], r["chains"], r["path"]) for r in rows(seeded, "downstream_chains", material="Dy")
            ] == [
        (DY_OXIDE, 1, 1, [DY, DY_OXIDE]),
        (ALLOY, 2, 1, [DY, DY_OXIDE, ALLOY]),
        (MAGNET, 2, 2, [DY, DY_OXIDE, MAGNET]),
        (MOTOR, 3, 2, [DY, DY_OXIDE, MAGNET, MOTOR]),
        (WSS, 3, 2, [DY, DY_OXIDE, MAGNET, WSS]),
        (BEV, 4, 4, [DY, DY_OXIDE, MAGNET, MOTOR, BEV]),
        (ICE, 4, 2, [DY, DY_OXIDE, MAGNET, WSS, ICE]),
        (AUTO, 5, 6, [DY, DY_OXIDE, MAGNET, MOTOR, BEV, AUTO]),
    ]


def test_downstream_chains_of_a_group_start_from_its_members(seeded: Connection) -> None:
    # "rare earth elements for magnets" groups neodymium and dysprosium: their downstream, merged
    group = {r["name"]: (r["hops"], r["chains"]) for r in rows(seeded, "downstream_chains",
                                                                  material="rare earth elements for magnets")}
    assert group[NDPR] == (1, 1) and group[DY_OXIDE] == (1, 1)
    # the alloy: from neodymium through NdPr oxide (1 chain), from dysprosium through its oxide (1 chain)
    assert group[ALLOY] == (2, 2)


def test_upstream_chains_of_a_sector(seeded: Connection) -> None:
    # Every material upstream of Automotive, intermediates included, with chains counted by hand from the drawing
    # (seed-chains.ttl): the car takes the motor, the sensor and the transistor (directly and through the on-board
    # charger); the combustion car takes the sensor. So 1 chain from the motor, 2 from the sensor, 2 from the
    # transistor; the magnet 3 (motor + sensor), the oxide of dysprosium 6 (into the magnet directly and through
    # the alloy). Strategic: gallium by its own flag, neodymium and dysprosium through their group.
    to_auto = [BEV, AUTO]
    assert values(rows(seeded, "upstream_chains", name="automotive")) == [
        (GAN_WAFER, "Intermediate", False, 3, 2, 2, [GAN_WAFER, GAN_HEMT, *to_auto]),
        (MAGNET, "Intermediate", False, 3, 3, 3, [MAGNET, MOTOR, *to_auto]),
        (ALLOY, "Intermediate", False, 4, 3, 3, [ALLOY, MAGNET, MOTOR, *to_auto]),
        (DY_OXIDE, "Intermediate", False, 4, 6, 6, [DY_OXIDE, MAGNET, MOTOR, *to_auto]),
        (GA_METAL, "Intermediate", False, 4, 2, 2, [GA_METAL, GAN_WAFER, GAN_HEMT, *to_auto]),
        (NDPR, "Intermediate", False, 5, 3, 3, [NDPR, ALLOY, MAGNET, MOTOR, *to_auto]),
        (BORON, "Material", False, 5, 3, 3, [BORON, ALLOY, MAGNET, MOTOR, *to_auto]),
        (DY, "Material", True, 5, 6, 6, [DY, DY_OXIDE, MAGNET, MOTOR, *to_auto]),
        (GA, "Material", True, 5, 2, 2, [GA, GA_METAL, GAN_WAFER, GAN_HEMT, *to_auto]),
        (ND, "Material", True, 6, 3, 3, [ND, NDPR, ALLOY, MAGNET, MOTOR, *to_auto]),
    ]
    # with 5 steps at most, neodymium's one 6-step chain is out, and dysprosium keeps the chains of 5 steps or
    # fewer: through the oxide straight into the magnet, then motor or sensor to a car (3 of its 6)
    within5 = {r["material"]: r["chains"] for r in rows(seeded, "upstream_chains", name="Automotive", max_hops=5)}
    assert ND not in within5 and within5[DY] == 3
    assert rows(seeded, "upstream_chains", name="abs SENSOR") == rows(seeded, "upstream_chains")


# -- exposure/ -------------------------------------------------------------------------------------------------


def test_supply_shares_of_gallium_in_the_world(seeded: Connection) -> None:
    # Every figure, latest year first, then largest share. The survey's 95% for China is also cited by the press
    # article, whose title sorts first: the share's id names the survey, so the survey is its source.
    def row(country: str, iso2: str, share: float, year: int, title: str, source_id: str) -> tuple[Any, ...]:
        return (GA, "processing", country, iso2, share, year, title, SEED_SOURCE + source_id)

    assert values(rows(seeded, "supply_shares")) == approx(
        [
            row("China", "CN", 0.98, 2024, NEWS, "FX_NEWS_UNDATED"),
            row("China", "CN", 0.95, 2024, SURVEY, "FX_SURVEY_2026"),
            row("Japan", "JP", 0.05, 2024, SURVEY, "FX_SURVEY_2026"),
            row("China", "CN", 0.90, 2020, STUDY, "FX_STUDY_2023"),
            row("Japan", "JP", 0.05, 2020, STUDY, "FX_STUDY_2023"),
            row("Germany", "DE", 0.03, 2020, STUDY, "FX_STUDY_2023"),
            row("Myanmar", "MM", 0.02, 2020, STUDY, "FX_STUDY_2023"),
        ]
    )


def test_supply_shares_by_scope_and_along_the_chain(seeded: Connection) -> None:
    eu = [(r["country"], r["share"], r["year"], r["source"]) for r in rows(seeded, "supply_shares", scope="EUSourcing")]
    assert eu == approx(
        [
            ("China", 0.71, 2026, AUDIT),
            ("Germany", 0.10, 2026, AUDIT),
            ("Japan", 0.09, 2026, AUDIT),
            ("China", 0.60, 2020, STUDY),
            ("Germany", 0.25, 2020, STUDY),
            ("Japan", 0.15, 2020, STUDY),
        ]
    )
    assert rows(seeded, "supply_shares", scope="eu sourcing") == rows(seeded, "supply_shares", scope="EUSourcing")
    # Extraction comes before processing.
    dysprosium = rows(seeded, "supply_shares", material="dysprosium", scope="world")
    assert [(r["stage"], r["iso2"], r["share"], r["year"], r["source"]) for r in dysprosium] == approx(
        [
            ("extraction", "CN", 0.70, 2020, STUDY),
            ("extraction", "MM", 0.30, 2020, STUDY),
            ("processing", "CN", 0.90, 2025, NEWS),
            ("processing", "CN", 1.0, 2020, STUDY),
        ]
    )
    assert rows(seeded, "supply_shares", material="boron") == []


# material_concentration, as of 2025-06-01 (WGI of 2023 and earlier; no export control in the seed, so t = 1):
#   dysprosium extraction, study 2020: CN .70 MM .30; HHI .58; HHI_WGI,t = .49 x .6 (MM has no score)  = .294
#   dysprosium processing, news page 2025 (not the study's 2020 1.0): CN .90, coverage .90:
#       HHI .81 + .10^2 = .82 (bounds .81 .. .82); HHI_WGI,t = .81 x .6                              = .486
#   gallium processing, survey 2024: CN .95 JP .05; HHI .905; HHI_WGI,t = .9025 x .6 + .0025 x .25    = .542125
# As of 2022-06-01: only 2020 figures and the 2022 governance scores (CN 5.0; JP and DE have only 2023's):
#   dysprosium processing, study 2020: CN 1.0: HHI 1; HHI_WGI,t = 1 x .5                              = .5
#   gallium processing, study 2020: CN .90 JP .05 DE .03 MM .02: HHI .8138; HHI_WGI,t = .81 x .5       = .405
def test_material_concentration_as_of_a_date(seeded: Connection) -> None:
    def picked(as_of: str) -> list[tuple[Any, ...]]:
        found = rows(seeded, "material_concentration", materials=[DY, GA], as_of=as_of)
        return [(r["material"], r["stage"], r["year"], r["source"], r["countries"], r["coverage"], r["top_iso2"],
                 r["top_share"], r["hhi"], r["hhi_min"], r["hhi_max"], r["hhi_wgi_t"], r["countries_without_wgi"],
                 r["restricted_by"]) for r in found]

    assert picked("2025-06-01") == approx([
        (DY, "extraction", 2020, STUDY, 2, 1.0, "CN", 0.70, 0.58, 0.58, 0.58, 0.294, 1, []),
        (DY, "processing", 2025, NEWS, 1, 0.90, "CN", 0.90, 0.82, 0.81, 0.82, 0.486, 0, []),
        (GA, "processing", 2024, SURVEY, 2, 1.0, "CN", 0.95, 0.905, 0.905, 0.905, 0.542125, 0, []),
    ])
    assert picked("2022-06-01") == approx([
        (DY, "extraction", 2020, STUDY, 2, 1.0, "CN", 0.70, 0.58, 0.58, 0.58, 0.245, 1, []),
        (DY, "processing", 2020, STUDY, 1, 1.0, "CN", 1.0, 1.0, 1.0, 1.0, 0.5, 0, []),
        (GA, "processing", 2020, STUDY, 4, 1.0, "CN", 0.90, 0.8138, 0.8138, 0.8138, 0.405, 3, []),
    ])
    assert rows(seeded, "material_concentration", materials=[DY], as_of="2019-12-31") == []


def test_material_profile_gives_import_reliance(seeded: Connection) -> None:
    assert values(rows(seeded, "material_profile", materials=[GA, DY], as_of="2025-06-01")) == [
        (DY, [], [], 0, None, None, None, []),
        (GA, [], [], 0, 0.98, "processing", 2020, []),
    ]
    assert values(rows(seeded, "material_profile", materials=[GA], as_of="2019-06-01")) == [
        (GA, [], [], 0, None, None, None, []),
    ]


# -- concentration/ --------------------------------------------------------------------------------------------

# HHI = sum of squared shares of the chosen (source, year), shares as fractions:
#   dysprosium extraction, study 2020:            .70^2 + .30^2             = .49 + .09                 = .58
#   dysprosium processing, news page 2025:        .90^2                                                 = .81
#   gallium processing, survey 2024:              .95^2 + .05^2             = .9025 + .0025             = .905
#   neodymium extraction, study 2020 (4 > 2):     .60^2 + .20^2 + .10^2 + .10^2 = .36 + .04 + .01 + .01 = .42
#   neodymium processing, survey 2020 (title):    .87^2 + .13^2             = .7569 + .0169             = .7738
#   magnet intermediate manufacturing, 2024:      .92^2 + .06^2 + .02^2     = .8464 + .0036 + .0004     = .8504
STAGE_CONCENTRATION = [
    (DY, True, "extraction", 2020, STUDY, "China", 0.70, 0.58, 2),
    (DY, True, "processing", 2025, NEWS, "China", 0.90, 0.81, 1),
    (GA, True, "processing", 2024, SURVEY, "China", 0.95, 0.905, 2),
    (ND, True, "extraction", 2020, STUDY, "China", 0.60, 0.42, 4),
    (ND, True, "processing", 2020, SURVEY, "China", 0.87, 0.7738, 2),
    (MAGNET, False, "intermediate-manufacturing", 2024, SURVEY, "China", 0.92, 0.8504, 3),
]


def test_stage_concentration_of_every_material_and_stage(seeded: Connection) -> None:
    assert values(rows(seeded, "stage_concentration")) == approx(STAGE_CONCENTRATION)


def test_stage_concentration_filters_by_stage_and_material(seeded: Connection) -> None:
    processing = [row for row in STAGE_CONCENTRATION if row[2] == "processing"]
    assert values(rows(seeded, "stage_concentration", stage="processing")) == approx(processing)
    assert values(rows(seeded, "stage_concentration", stage="Refining")) == approx(processing)  # an altLabel
    assert values(rows(seeded, "stage_concentration", stage="processing/refining", material="nd")) == approx(
        [STAGE_CONCENTRATION[4]]
    )
    assert rows(seeded, "stage_concentration", stage="recycling") == []


def test_crma_single_country_check(seeded: Connection) -> None:
    # Strategic materials only (not the magnet, not boron). EU-sourcing figures where the stage has any:
    # - dysprosium processing, audit 2026: Germany .45 is an EU member, so the top third country is China at .40;
    # - gallium processing, audit 2026 (latest EU-sourcing year; the world figures are not used): China .71.
    # Elsewhere world shares as a proxy, chosen as in stage_concentration. Breach: share > .65.
    assert values(rows(seeded, "crma_single_country_check")) == approx(
        [
            (DY, "extraction", "world share (proxy)", "China", 0.70, True, 2020, STUDY),
            (DY, "processing", "EU sourcing", "China", 0.40, False, 2026, AUDIT),
            (GA, "processing", "EU sourcing", "China", 0.71, True, 2026, AUDIT),
            (ND, "extraction", "world share (proxy)", "China", 0.60, False, 2020, STUDY),
            (ND, "processing", "world share (proxy)", "China", 0.87, True, 2020, SURVEY),
        ]
    )
    assert [r["stage"] for r in rows(seeded, "crma_single_country_check", material="Ga")] == ["processing"]
    assert rows(seeded, "crma_single_country_check", material=MAGNET) == []


def test_governance_weighted_concentration(seeded: Connection) -> None:
    # HHI_WGI = sum of share^2 x WGI_scaled / 10 over the figures of stage_concentration, with each country's
    # latest score: China 6.0 (2023, not 5.0 of 2022), Australia 2.0, Japan 2.5, Germany 1.5, Malaysia 4.0
    # (5 - 2 x its mean 0.5: it has no scaled score); Myanmar has none and adds nothing.
    #   dysprosium extraction:  .49 x .6 (CN) + MM                              = .294      (1 with, 1 without)
    #   dysprosium processing:  .81 x .6                                        = .486
    #   gallium processing:     .9025 x .6 + .0025 x .25                        = .5415 + .000625 = .542125
    #   neodymium extraction:   .36 x .6 + .04 x .2 + MM + .01 x .4             = .216 + .008 + .004 = .228
    #   neodymium processing:   .7569 x .6 + .0169 x .4                         = .45414 + .00676 = .4609
    #   magnet:                 .8464 x .6 + .0036 x .25 + .0004 x .15          = .50784 + .0009 + .00006 = .5088
    assert values(rows(seeded, "governance_weighted")) == approx(
        [
            (DY, "extraction", 2020, 0.294, 1, 1),
            (DY, "processing", 2025, 0.486, 1, 0),
            (GA, "processing", 2024, 0.542125, 2, 0),
            (ND, "extraction", 2020, 0.228, 3, 1),
            (ND, "processing", 2020, 0.4609, 2, 0),
            (MAGNET, "intermediate-manufacturing", 2024, 0.5088, 3, 0),
        ]
    )
    assert values(rows(seeded, "governance_weighted", material="neodymium")) == approx(
        [
            (ND, "extraction", 2020, 0.228, 3, 1),
            (ND, "processing", 2020, 0.4609, 2, 0),
        ]
    )


# -- provenance/ -----------------------------------------------------------------------------------------------


def test_sources_of_gallium(seeded: Connection) -> None:
    # The study: the material itself, 4 world and 3 EU-sourcing shares and the import reliance = 9 (the gap's
    # checked source does not count). The audit: 3 EU-sourcing shares; the survey: 2 world shares and the use
    # share = 3 (same count and year: by title). The press article and the undated news page: 1 each, the
    # dated one first.
    found = [
        (r["source"], sorted(r["publisher"]), r["year"], r["url"], r["facts"])
        for r in rows(seeded, "sources_of_material")
    ]
    assert found == [
        (STUDY, ["European Commission"], 2023, "https://example.org/study-2023", 9),
        (AUDIT, ["European Court of Auditors"], 2026, "https://example.org/audit-2026", 3),
        (SURVEY, ["Geological Survey"], 2026, "https://example.org/survey-2026", 3),
        (PRESS, ["A newspaper", "A wire service"], 2026, "https://example.org/article", 1),
        (NEWS, ["Trade press"], None, None, 1),
    ]
    assert [(r["source"], r["facts"]) for r in rows(seeded, "sources_of_material", material="NdFeB magnet")] == [
        (SURVEY, 3),
        (STUDY, 2),
    ]


def test_facts_without_source(seeded: Connection) -> None:
    query = QUERIES["facts_without_source"]
    assert rows(seeded, "facts_without_source") == []
    with seeded.driver.session(database=seeded.database) as session:
        transaction = session.begin_transaction()
        try:  # three unsourced facts, one of them pointing at something that is not a Source; rolled back
            transaction.run("CREATE (:Resource:SupplyShare {uri: 'urn:seed:share'})").consume()
            transaction.run("CREATE (:Resource:ImportReliance {uri: 'urn:seed:reliance'})").consume()
            transaction.run(
                "MATCH (c:Country {iso2: 'CN'}) CREATE (:Resource:UseShare {uri: 'urn:seed:use'})-[:SOURCE]->(c)"
            ).consume()
            found = [record.data() for record in transaction.run(query.text, query.check_parameters({}))]
        finally:
            transaction.rollback()
    assert values(found) == [
        ("ImportReliance", "urn:seed:reliance"),
        ("SupplyShare", "urn:seed:share"),
        ("UseShare", "urn:seed:use"),
    ]
    assert rows(seeded, "facts_without_source") == []


# -- the bundled dataset ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MINE)
def test_each_query_runs_on_the_bundled_dataset(bundled: Connection, name: str) -> None:
    found = rows(bundled, name)
    assert all(list(row) == [c.name for c in QUERIES[name].returns] for row in found)
    assert (found == []) == (name == "facts_without_source")


def test_gallium_reaches_semiconductors_and_cars(bundled: Connection) -> None:
    sectors = {r["name"] for r in rows(bundled, "downstream_chains") if r["kind"] == "Sector"}
    assert {"Digital and semiconductors", "Automotive"} <= sectors


def test_ndfeb_magnets_reach_sensors_and_motors(bundled: Connection) -> None:
    found = rows(bundled, "downstream_chains", material="NdFeB magnet")
    assert {r["path"][0] for r in found} == {"sintered NdFeB magnet"}  # material:ndfeb-magnet, by its altLabel
    components = [r["name"].lower() for r in found if r["kind"] == "Component"]
    assert any("sensor" in name for name in components)
    assert any("motor" in name for name in components)


def test_dysprosium_reaches_the_wheel_speed_sensor_and_the_combustion_engine_car(bundled: Connection) -> None:
    reached = {r["name"]: r for r in rows(bundled, "downstream_chains", material="dysprosium")}
    assert reached["Wheel-speed sensor"]["kind"] == "Component"
    assert reached["Combustion-engine passenger car"]["kind"] == "Product"
    upstream = {r["material"]: r for r in rows(bundled, "upstream_chains", name="Wheel-speed sensor")}
    assert upstream["dysprosium"]["is_strategic"] is True


def test_gallium_supply_shares_include_china_at_processing(bundled: Connection) -> None:
    found = rows(bundled, "supply_shares")
    assert any(r["stage"] == "processing" and r["iso2"] == "CN" for r in found)
    assert all(r["source"] and r["source_uri"] for r in found)


def test_no_fact_of_the_bundled_dataset_lacks_its_source(bundled: Connection) -> None:
    assert rows(bundled, "facts_without_source") == []


def test_gallium_processing_is_concentrated_in_china(bundled: Connection) -> None:
    found = rows(bundled, "stage_concentration", material="gallium")
    processing = [r for r in found if r["stage"] == "processing"]
    assert len(processing) == 1
    assert processing[0]["top_country"] == "China"
    assert processing[0]["top_share"] > 0.9 and processing[0]["hhi"] > 0.8
    check = rows(bundled, "crma_single_country_check", material="gallium")
    assert [(r["stage"], r["top_country"], r["breaches_65"]) for r in check] == [("processing", "China", True)]
