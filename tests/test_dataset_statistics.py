"""Tests over the dataset files themselves (no database): the statistical half of data/.

Loads every data/*.ttl (both dataset halves) into one rdflib graph and checks:
- the 34 critical (Annex II) and 17 strategic (Annex I) raw materials of Regulation (EU) 2024/1252 are
  present and flagged, exactly those;
- every strategic material has, for extraction and for processing, a world supply share with a source or an
  explicit supply gap;
- every supply share has a source (that exists as a crm:Source) and a reference year;
- shares for one material, stage, scope, year and source never add up above 1 beyond rounding;
- every rare-earth element and platinum-group metal is a material of its own and a member of its group.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

DATA = Path(__file__).resolve().parents[1] / "data"
CRM = Namespace("https://w3id.org/crm-kg/ontology#")
ID = "https://w3id.org/crm-kg/id/"
MAT = Namespace(ID + "material/")
GRP = Namespace(ID + "group/")
STAGE = Namespace(ID + "stage/")

# Regulation (EU) 2024/1252, Annex II (critical raw materials), as worded in the Annex.
ANNEX_II = [
    "antimony",
    "arsenic",
    "bauxite/alumina/aluminium",
    "baryte",
    "beryllium",
    "bismuth",
    "boron",
    "cobalt",
    "coking coal",
    "copper",
    "feldspar",
    "fluorspar",
    "gallium",
    "germanium",
    "hafnium",
    "helium",
    "heavy rare earth elements",
    "light rare earth elements",
    "lithium",
    "magnesium",
    "manganese",
    "graphite",
    "nickel – battery grade",
    "niobium",
    "phosphate rock",
    "phosphorus",
    "platinum group metals",
    "scandium",
    "silicon metal",
    "strontium",
    "tantalum",
    "titanium metal",
    "tungsten",
    "vanadium",
]
# Regulation (EU) 2024/1252, Annex I (strategic raw materials), as worded in the Annex.
ANNEX_I = [
    "bismuth",
    "boron – metallurgy grade",
    "cobalt",
    "copper",
    "gallium",
    "germanium",
    "lithium – battery grade",
    "magnesium metal",
    "manganese – battery grade",
    "graphite – battery grade",
    "nickel – battery grade",
    "platinum group metals",
    "rare earth elements for magnets (Nd, Pr, Tb, Dy, Gd, Sm, Ce)",
    "silicon metal",
    "titanium metal",
    "tungsten",
    "bauxite/alumina/aluminium",
]

HREE = [
    "dysprosium",
    "erbium",
    "europium",
    "gadolinium",
    "holmium",
    "lutetium",
    "terbium",
    "thulium",
    "ytterbium",
    "yttrium",
]
LREE = ["cerium", "lanthanum", "neodymium", "praseodymium", "samarium"]
MAGNET_REE = ["neodymium", "praseodymium", "terbium", "dysprosium", "gadolinium", "samarium", "cerium"]
PGM = ["iridium", "palladium", "platinum", "rhodium", "ruthenium"]


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", str(s).replace("—", "–").replace(" - ", " – ")).strip().lower()


@pytest.fixture(scope="module")
def g(dataset_graph: Graph) -> Graph:
    return dataset_graph


def ints(v) -> int:
    assert isinstance(v, Literal), v
    return int(v.toPython())


# --------------------------------------------------------------------------------------------- lists


def test_34_critical_materials_flagged(g):
    flagged = {s for s in g.subjects(CRM.isCritical, Literal(True))}
    assert len(flagged) == 34
    scopes = sorted(norm(next(g.objects(s, CRM.criticalScope))) for s in flagged)
    assert scopes == sorted(norm(x) for x in ANNEX_II)
    assert not set(g.subjects(CRM.isCritical, Literal(False)))
    for s in flagged:
        assert (s, RDF.type, CRM.Material) in g or (s, RDF.type, CRM.MaterialGroup) in g, s


def test_17_strategic_materials_flagged(g):
    flagged = {s for s in g.subjects(CRM.isStrategic, Literal(True))}
    assert len(flagged) == 17
    scopes = sorted(norm(next(g.objects(s, CRM.strategicScope))) for s in flagged)
    assert scopes == sorted(norm(x) for x in ANNEX_I)


def test_copper_and_nickel_are_critical_and_strategic(g):
    for m in (MAT.copper, MAT.nickel):
        assert (m, CRM.isCritical, Literal(True)) in g
        assert (m, CRM.isStrategic, Literal(True)) in g


# --------------------------------------------------------------------------------------------- groups


@pytest.mark.parametrize(
    "group,members",
    [
        ("heavy-rare-earths", HREE),
        ("light-rare-earths", LREE),
        ("ree-for-magnets", MAGNET_REE),
        ("platinum-group-metals", PGM),
        ("rare-earths", HREE + LREE + ["scandium"]),
    ],
)
def test_group_members(g, group, members):
    grp = GRP[group]
    assert (grp, RDF.type, CRM.MaterialGroup) in g
    for m in members:
        assert (MAT[m], RDF.type, CRM.Material) in g, m
        assert (MAT[m], CRM.memberOfGroup, grp) in g, f"{m} not in {group}"
        assert len(set(g.objects(MAT[m], RDFS.label))) == 1, m
    listed = {str(s).rsplit("/", 1)[1] for s in g.subjects(CRM.memberOfGroup, grp) if (s, RDF.type, CRM.Material) in g}
    assert listed == set(members)


def test_every_material_has_one_label(g):
    for cls in (CRM.Material, CRM.MaterialGroup, CRM.Intermediate):
        members = set(g.subjects(RDF.type, cls))
        assert members, cls  # a class the data no longer uses would check nothing
        for s in members:
            assert len(set(g.objects(s, RDFS.label))) == 1, s


# --------------------------------------------------------------------------------------------- supply facts


def supply_shares(g):
    return sorted(set(g.subjects(RDF.type, CRM.SupplyShare)))


def test_every_supply_share_is_complete(g):
    shares = supply_shares(g)
    assert len(shares) > 500
    sources = set(g.subjects(RDF.type, CRM.Source))
    suppliers = set(g.subjects(RDF.type, CRM.Country)) | set(g.subjects(RDF.type, CRM.Company))
    stages = set(g.subjects(RDF.type, CRM.Stage))
    for s in shares:
        for p in (CRM.material, CRM.stage, CRM.scope, CRM.supplier, CRM.share, CRM.referenceYear):
            assert len(set(g.objects(s, p))) == 1, (s, p)
        srcs = set(g.objects(s, CRM.source))
        assert srcs, f"{s} has no source"
        assert srcs <= sources, f"{s}: unknown source(s) {srcs - sources}"
        year = ints(g.value(s, CRM.referenceYear))
        assert 1990 <= year <= 2030, (s, year)
        period = g.value(s, CRM.referencePeriod)
        if period is not None:
            a, b = map(int, re.fullmatch(r"(\d{4})-(\d{4})", str(period)).groups())
            assert a < b and year == b, (s, period, year)  # referenceYear = last year of the period
        share = Decimal(str(g.value(s, CRM.share)))
        assert Decimal(0) <= share <= Decimal(1), (s, share)
        assert str(g.value(s, CRM.qualifier) or "=") in {"=", "~", ">", "<"}, s
        assert g.value(s, CRM.supplier) in suppliers, s
        assert g.value(s, CRM.stage) in stages, s
        assert g.value(s, CRM.scope) in (CRM.World, CRM.EUSourcing), s


def half_unit(share: Decimal) -> Decimal:
    """Half a unit of the last digit the share was published with (in percent)."""
    pct = (share * 100).normalize()
    decimals = max(0, -pct.as_tuple().exponent)
    return Decimal(5).scaleb(-(decimals + 3))  # e.g. whole percent -> 0.005, one decimal -> 0.0005


def test_shares_do_not_sum_above_one(g):
    total: dict[tuple, Decimal] = defaultdict(Decimal)
    slack: dict[tuple, Decimal] = defaultdict(Decimal)
    for s in supply_shares(g):
        share = Decimal(str(g.value(s, CRM.share)))
        qual = str(g.value(s, CRM.qualifier) or "=")
        for src in g.objects(s, CRM.source):
            key = (
                g.value(s, CRM.material),
                g.value(s, CRM.stage),
                g.value(s, CRM.scope),
                ints(g.value(s, CRM.referenceYear)),
                src,
            )
            if qual != "<":  # "< x" only bounds the share from above
                total[key] += share
                slack[key] += half_unit(share)
    bad = {k: v for k, v in total.items() if v > 1 + max(Decimal("0.005"), slack[k])}
    assert not bad, bad


def test_every_strategic_material_has_shares_or_gap_at_extraction_and_processing(g):
    world = defaultdict(set)
    for s in supply_shares(g):
        if g.value(s, CRM.scope) == CRM.World and set(g.objects(s, CRM.source)):
            world[(g.value(s, CRM.material), g.value(s, CRM.stage))].add(s)
    gaps = defaultdict(set)
    for gp in g.subjects(RDF.type, CRM.SupplyGap):
        gaps[(g.value(gp, CRM.material), g.value(gp, CRM.stage))].add(gp)
    missing = []
    for m in g.subjects(CRM.isStrategic, Literal(True)):
        for st in (STAGE.extraction, STAGE.processing):
            if not world[(m, st)] and not gaps[(m, st)]:
                missing.append((str(m), str(st)))
    assert not missing, missing


def test_supply_gaps_are_explained(g):
    sources = set(g.subjects(RDF.type, CRM.Source))
    gaps = list(g.subjects(RDF.type, CRM.SupplyGap))
    assert gaps
    for gp in gaps:
        assert str(g.value(gp, CRM.reason)) in {"not-applicable", "no-public-figure"}, gp
        checked = set(g.objects(gp, CRM.checkedSource))
        assert checked and checked <= sources, gp
        assert g.value(gp, CRM.note), gp
        assert g.value(gp, CRM.material) is not None and g.value(gp, CRM.stage) is not None, gp


def test_gallium_and_germanium_extraction_not_applicable(g):
    for m in ("gallium", "germanium"):
        gp = URIRef(f"{ID}gap/{m}-extraction")
        assert (gp, RDF.type, CRM.SupplyGap) in g
        assert str(g.value(gp, CRM.reason)) == "not-applicable"


def test_required_coverage(g):
    """Gallium, germanium, rare earths (all, Nd, Pr, Dy, Tb) and NdFeB magnet manufacturing have world shares."""
    have = defaultdict(set)
    for s in supply_shares(g):
        if g.value(s, CRM.scope) == CRM.World:
            have[g.value(s, CRM.material)].add(g.value(s, CRM.stage))
    assert STAGE.processing in have[MAT.gallium]
    assert STAGE.processing in have[MAT.germanium]
    assert {STAGE.extraction, STAGE.processing} <= have[GRP["rare-earths"]]
    for m in ("neodymium", "praseodymium", "dysprosium", "terbium"):
        assert {STAGE.extraction, STAGE.processing} <= have[MAT[m]], m
    assert STAGE["intermediate-manufacturing"] in have[MAT["ndfeb-magnet"]]


def test_eu_sourcing_present(g):
    eu = [s for s in supply_shares(g) if g.value(s, CRM.scope) == CRM.EUSourcing]
    assert len(eu) > 100
    mats = {g.value(s, CRM.material) for s in eu}
    assert {MAT.gallium, MAT.germanium, MAT.magnesium, MAT.lithium} <= mats


def test_import_reliance_sourced(g):
    sources = set(g.subjects(RDF.type, CRM.Source))
    facts = set(g.subjects(RDF.type, CRM.ImportReliance))
    assert facts  # none would check nothing
    for s in facts:
        assert set(g.objects(s, CRM.source)) and set(g.objects(s, CRM.source)) <= sources, s
        assert g.value(s, CRM.referenceYear) is not None, s
        assert Decimal(0) <= Decimal(str(g.value(s, CRM.share))) <= 1, s


# --------------------------------------------------------------------------------------------- countries, sources


def test_countries_and_groups(g):
    eu = URIRef(ID + "countrygroup/EU")
    g7 = URIRef(ID + "countrygroup/G7")
    assert len(set(g.subjects(CRM.memberOf, eu))) == 27
    assert {str(s).rsplit("/", 1)[1] for s in g.subjects(CRM.memberOf, g7)} == {
        "CA",
        "FR",
        "DE",
        "IT",
        "JP",
        "GB",
        "US",
    }
    for c in g.subjects(RDF.type, CRM.Country):
        iso2 = str(g.value(c, CRM.iso2))
        assert str(c).endswith("/" + iso2) and re.fullmatch(r"[A-Z]{2}", iso2), c
        assert re.fullmatch(r"[A-Z]{3}", str(g.value(c, CRM.iso3))), c
        assert len(set(g.objects(c, RDFS.label))) == 1, c


def test_governance_scores(g):
    scores = list(g.subjects(RDF.type, CRM.GovernanceScore))
    assert len(scores) >= 40
    countries = set(g.subjects(RDF.type, CRM.Country))
    for s in scores:
        assert g.value(s, CRM.country) in countries, s
        assert 0 <= float(g.value(s, CRM.wgiScaled)) <= 10, s
        assert -2.5 <= float(g.value(s, CRM.wgiMean)) <= 2.5, s
        assert set(g.objects(s, CRM.source)), s


def test_sources_have_publisher_and_title(g):
    srcs = list(g.subjects(RDF.type, CRM.Source))
    assert len(srcs) >= 240
    for s in srcs:
        assert g.value(s, RDFS.label) is not None, s
        assert g.value(s, URIRef("http://purl.org/dc/terms/title")) is not None, s
        assert g.value(s, URIRef("http://purl.org/dc/terms/publisher")) is not None, s


def test_six_stages(g):
    stages = {str(s).rsplit("/", 1)[1] for s in g.subjects(RDF.type, CRM.Stage)}
    assert stages == {
        "extraction",
        "processing",
        "intermediate-manufacturing",
        "component-manufacturing",
        "assembly",
        "recycling",
    }
