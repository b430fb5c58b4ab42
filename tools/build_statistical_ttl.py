#!/usr/bin/env python3
"""Build the statistical half of the crm-kg dataset from the reference fact sheet.

ONE-OFF BOOTSTRAP. This script turned the reference fact sheet (``shared/reference/``: FACTS.md and its
CSVs, ``more/`` and ``crosswalks/``) into the curated Turtle files

    data/sources.ttl     every source of sources.csv, more/sources.csv, crosswalks/sources.csv (+ a few added here)
    data/stages.ttl      the six value-chain stages
    data/materials.ttl   the 34 critical / 17 strategic entries, every rare-earth element and PGM, key
                         intermediates, groups, symbols, alternative names, Wikidata ids, HS 2022 / EU CN codes
    data/countries.ttl   every supplier / party / issuer country, EU and G7, WGI governance scores
    data/supply.ttl      world and EU-sourcing supply shares, supply gaps, EU import reliance

and regenerated the two generated blocks of data/README.md (material ids, list of sources).

Once written and reviewed, THE TURTLE FILES ARE THE SOURCE OF TRUTH. Correct or extend them by hand; do not
re-run this script over reviewed files unless you mean to throw the hand edits away (``--out`` lets you
write to another directory and diff). Output is deterministic: the same inputs give byte-identical files.

Everything that the CSVs cannot give (material names, groups, intermediates, usedIn edges, the strategic /
critical scopes of the Regulation's Annexes, the mapping of the reference's stage strings onto the six
stages, the supply gaps and their reasons) is curated in the tables at the top of this file.

Rules applied (also stated in data/README.md):
  * shares: percent in the CSVs -> decimal fraction 0..1; the qualifier (=, ~, >, <) is kept;
  * a period (the EC 2023 study's "2016-2020") -> crm:referencePeriod "2016-2020" + crm:referenceYear 2020
    (the LAST year of the period);
  * a figure whose source states no reference year gets the publication year of its (earliest) source as
    crm:referenceYear ("as of"), and says so in crm:note; a figure with neither is left out;
  * rows whose verification label says "NOT verified" are kept, with the label carried in crm:note;
  * never averaged: where sources disagree both facts are kept, each with its own source;
  * left out (listed in data/README.md): projections, residual "other countries"/"Europe" rows, rows without
    a share, rows whose stage cannot be determined.

Usage:
    python tools/build_statistical_ttl.py /work/shared/reference [--out data]
        [--iso-codes /usr/share/iso-codes/json/iso_3166-1.json] [--critmat-ir PATH]

``--critmat-ir`` is a local copy of meyerdata/CritMAT input_data/seeds/eureport_results.csv (commit
0bd897788ddd82bc58752e5460c53b924cbc63bc); without it the import-reliance facts are not written.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

# =============================================================================================
# Namespaces and Turtle helpers
# =============================================================================================

ID = "https://w3id.org/crm-kg/id/"
PREFIXES = [
    ("crm", "https://w3id.org/crm-kg/ontology#"),
    ("id", ID),
    ("material", ID + "material/"),
    ("group", ID + "group/"),
    ("stage", ID + "stage/"),
    ("country", ID + "country/"),
    ("countrygroup", ID + "countrygroup/"),
    ("source", ID + "source/"),
    ("share", ID + "share/"),
    ("gap", ID + "gap/"),
    ("importreliance", ID + "importreliance/"),
    ("wgi", ID + "wgi/"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("prov", "http://www.w3.org/ns/prov#"),
]

LOCAL_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-]*$")


def qn(prefix: str, local: str) -> str:
    """A prefixed name; fails loudly on a local name Turtle would not accept as written."""
    if not LOCAL_RE.match(local):
        raise ValueError(f"bad local name {prefix}:{local!r}")
    return f"{prefix}:{local}"


def lit(text: str, lang: str | None = None) -> str:
    s = (
        str(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{s}"@{lang}' if lang else f'"{s}"'


def typed(text: str, dtype: str) -> str:
    return f"{lit(text)}^^xsd:{dtype}"


def dec(d: Decimal) -> str:
    """A Turtle xsd:decimal literal (bare form, always with a dot)."""
    s = format(d.normalize(), "f")
    if "." not in s:
        s += ".0"
    return s


def pct_to_fraction(pct: str) -> Decimal:
    return Decimal(pct.strip()).scaleb(-2)


def block(subject: str, types: list[str], props: list[tuple[str, object]]) -> str:
    """One Turtle subject block; props values are strings or lists of strings (already serialised)."""
    lines = [f"{subject} a {', '.join(types)}"]
    for p, v in props:
        if v is None or v == [] or v == "":
            continue
        vals = v if isinstance(v, list) else [v]
        lines.append(f"    {p} {', '.join(vals)}")
    return " ;\n".join(lines) + " .\n"


def header(title: str, extra: str = "") -> str:
    out = [
        f"# crm-kg dataset: {title}",
        "#",
        "# Bootstrapped once by tools/build_statistical_ttl.py from shared/reference/ (the fact sheet);",
        "# this file is now the reviewed source of truth: edit it by hand. See data/README.md.",
        "#",
    ]
    if extra:
        out += ["# " + line if line else "#" for line in extra.splitlines()]
        out.append("#")
    out.append("")
    out += [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES]
    return "\n".join(out) + "\n\n"


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# =============================================================================================
# Curated: stages
# =============================================================================================

STAGES = [
    (
        "extraction",
        "extraction",
        "Mining or otherwise extracting the ore, mineral, brine or concentrate from which the material is won "
        "(for gas, its production from natural gas).",
        ["mining", "mine production"],
    ),
    (
        "processing",
        "processing/refining",
        "Turning ores and concentrates (or by-product streams) into the element, compound or refined metal: "
        "beneficiation beyond the mine, separation, smelting, refining.",
        ["refining", "separation", "smelting"],
    ),
    (
        "intermediate-manufacturing",
        "intermediate manufacturing",
        "Making intermediate products from refined materials: alloys, magnet materials and magnets, wafers, "
        "battery cathode and anode materials.",
        ["magnet manufacturing", "alloy making"],
    ),
    (
        "component-manufacturing",
        "component manufacturing",
        "Making components from intermediates: motors, sensors, power modules, chips, battery cells.",
        [],
    ),
    (
        "assembly",
        "assembly",
        "Assembling components into finished products such as vehicles, wind turbines or electronic devices.",
        [],
    ),
    (
        "recycling",
        "recycling",
        "Recovering the material from end-of-life products or production scrap and returning it to the chain.",
        ["secondary production"],
    ),
]

# =============================================================================================
# Curated: materials, groups, intermediates
# =============================================================================================
# Each entry: slug, kind ("material" | "group" | "intermediate"), label, altLabels, symbol, forms,
# criticalScope (Annex II wording, only on the 34 Annex II entries), strategicScope (Annex I wording, only on
# the 17 Annex I entries), groups (memberOfGroup), usedIn, element (True -> owl:sameAs the element's Wikidata
# item, looked up by label in crosswalks/wikidata_ids.csv), note.
#
# The Annex wording follows FACTS.md section 1 (sources EU_CRMA_2024, NICOLA_BERNARD_2024, CBS_2025).

OC, EC, RP, IF = "crm:OreConcentrate", "crm:ElementOrCompound", "crm:RefinedProduct", "crm:IntermediateForm"
G_REE, G_LREE, G_HREE, G_PGM, G_MAG = (
    "rare-earths",
    "light-rare-earths",
    "heavy-rare-earths",
    "platinum-group-metals",
    "ree-for-magnets",
)


def M(
    slug,
    label,
    alt=(),
    symbol=None,
    forms=(EC,),
    crit=None,
    strat=None,
    groups=(),
    used=(),
    element=False,
    note=None,
    kind="material",
    wd_label=None,
):
    return dict(
        slug=slug,
        kind=kind,
        label=label,
        alt=list(alt),
        symbol=symbol,
        forms=list(forms),
        crit=crit,
        strat=strat,
        groups=list(groups),
        used=list(used),
        element=element,
        note=note,
        wd_label=wd_label or label,
    )


MATERIALS = [
    # ---- the 34 Annex II entries (groups among them are typed crm:MaterialGroup) ----
    M("antimony", "antimony", ["Sb", "stibium"], "Sb", crit="antimony", element=True),
    M("arsenic", "arsenic", ["As"], "As", crit="arsenic", used=["gaas-wafer"], element=True),
    M(
        "bauxite-alumina-aluminium",
        "bauxite/alumina/aluminium",
        ["bauxite", "alumina", "aluminium", "aluminum", "aluminium oxide", "Al"],
        None,
        [OC, RP],
        crit="bauxite/alumina/aluminium",
        strat="bauxite/alumina/aluminium",
        note="One Annex entry for three forms: bauxite (ore), alumina (aluminium oxide) and aluminium metal. "
        "Supply facts on this node say in crm:note which form they measure.",
    ),
    M("baryte", "baryte", ["barite", "barytes", "BaSO4"], "BaSO4", [OC], crit="baryte"),
    M("beryllium", "beryllium", ["Be"], "Be", crit="beryllium", element=True),
    M("bismuth", "bismuth", ["Bi"], "Bi", crit="bismuth", strat="bismuth", element=True),
    M(
        "boron",
        "boron",
        ["B", "borates", "borate"],
        "B",
        [EC, OC],
        crit="boron",
        strat="boron – metallurgy grade",
        used=["ndfeb-alloy"],
        element=True,
        note="Traded and assessed mostly as borates; strategic only in metallurgy grade.",
    ),
    M(
        "cobalt",
        "cobalt",
        ["Co"],
        "Co",
        crit="cobalt",
        strat="cobalt",
        used=["cobalt-sulphate", "samarium-cobalt-magnet"],
        element=True,
    ),
    M("coking-coal", "coking coal", ["metallurgical coal", "met coal", "coke"], None, [OC], crit="coking coal"),
    M(
        "copper",
        "copper",
        ["Cu"],
        "Cu",
        crit="copper",
        strat="copper",
        element=True,
        note="Strategic and critical although below the criticality thresholds (CBS_2025).",
    ),
    M("feldspar", "feldspar", [], None, [OC], crit="feldspar"),
    M("fluorspar", "fluorspar", ["fluorite", "CaF2"], "CaF2", [OC], crit="fluorspar"),
    M(
        "gallium",
        "gallium",
        ["Ga"],
        "Ga",
        crit="gallium",
        strat="gallium",
        used=["gallium-metal"],
        element=True,
        note="Recovered as a by-product of alumina and zinc processing; not mined for itself.",
    ),
    M(
        "germanium",
        "germanium",
        ["Ge"],
        "Ge",
        crit="germanium",
        strat="germanium",
        used=["germanium-tetrachloride"],
        element=True,
        note="Recovered as a by-product of zinc processing and from coal fly ash; not mined for itself.",
    ),
    M(
        "hafnium",
        "hafnium",
        ["Hf"],
        "Hf",
        crit="hafnium",
        element=True,
        note="Recovered from zircon (see material zircon); no world hafnium production table is published.",
    ),
    M("helium", "helium", ["He"], "He", crit="helium", element=True),
    M(
        G_HREE,
        "heavy rare earth elements",
        ["HREE", "HREEs", "heavy rare earths", "heavy REE"],
        None,
        [EC],
        crit="heavy rare earth elements",
        groups=[G_REE],
        kind="group",
        note="EU 2023 grouping (DOGANA_2023): Dy, Er, Eu, Gd, Ho, Lu, Tb, Tm, Yb, Y.",
    ),
    M(
        G_LREE,
        "light rare earth elements",
        ["LREE", "LREEs", "light rare earths", "light REE"],
        None,
        [EC],
        crit="light rare earth elements",
        groups=[G_REE],
        kind="group",
        note="EU 2023 grouping (DOGANA_2023): Ce, La, Nd, Pr, Sm.",
    ),
    M(
        "lithium",
        "lithium",
        ["Li"],
        "Li",
        crit="lithium",
        strat="lithium – battery grade",
        used=["lithium-carbonate", "lithium-hydroxide"],
        element=True,
    ),
    M(
        "magnesium",
        "magnesium",
        ["Mg", "magnesium metal"],
        "Mg",
        [EC, RP],
        crit="magnesium",
        strat="magnesium metal",
        element=True,
    ),
    M(
        "manganese",
        "manganese",
        ["Mn"],
        "Mn",
        crit="manganese",
        strat="manganese – battery grade",
        used=["manganese-sulphate"],
        element=True,
    ),
    M(
        "graphite",
        "graphite",
        ["natural graphite", "flake graphite", "synthetic graphite", "artificial graphite"],
        None,
        [OC, RP],
        crit="graphite",
        strat="graphite – battery grade",
        used=["spherical-graphite"],
        note="The CRMA entry covers natural and synthetic graphite (synthetic added in trilogue, EC_IP_23_5733). "
        "Extraction facts on this node are natural graphite.",
    ),
    M(
        "nickel",
        "nickel",
        ["Ni"],
        "Ni",
        crit="nickel – battery grade",
        strat="nickel – battery grade",
        used=["nickel-sulphate"],
        element=True,
        note="Critical and strategic only in battery grade; strategic although below the criticality thresholds "
        "(CBS_2025).",
    ),
    M("niobium", "niobium", ["Nb", "columbium"], "Nb", crit="niobium", element=True),
    M("phosphate-rock", "phosphate rock", ["phosphorite", "rock phosphate"], None, [OC], crit="phosphate rock"),
    M(
        "phosphorus",
        "phosphorus",
        ["P", "white phosphorus", "elemental phosphorus"],
        "P",
        crit="phosphorus",
        element=True,
    ),
    M(
        G_PGM,
        "platinum group metals",
        ["PGM", "PGMs", "platinum-group metals", "platinoids"],
        None,
        [EC],
        crit="platinum group metals",
        strat="platinum group metals",
        kind="group",
        note="EU 2023 grouping (DOGANA_2023): Ir, Pd, Pt, Rh, Ru (osmium not included).",
    ),
    M(
        "scandium",
        "scandium",
        ["Sc"],
        "Sc",
        crit="scandium",
        groups=[G_REE],
        element=True,
        note="Counted among the rare earths but assessed on its own in the EU 2023 study (not LREE or HREE).",
    ),
    M(
        "silicon-metal",
        "silicon metal",
        ["silicon", "Si", "metallurgical-grade silicon", "MG-Si"],
        "Si",
        [RP],
        crit="silicon metal",
        strat="silicon metal",
        used=["high-purity-silicon"],
        element=True,
        wd_label="silicon",
    ),
    M(
        "strontium",
        "strontium",
        ["Sr", "celestine", "celestite"],
        "Sr",
        crit="strontium",
        used=["ferrite-magnet"],
        element=True,
    ),
    M("tantalum", "tantalum", ["Ta"], "Ta", crit="tantalum", element=True),
    M(
        "titanium-metal",
        "titanium metal",
        ["titanium", "Ti", "titanium sponge"],
        "Ti",
        [RP],
        crit="titanium metal",
        strat="titanium metal",
        element=True,
        wd_label="titanium",
    ),
    M(
        "tungsten",
        "tungsten",
        ["W", "wolfram"],
        "W",
        crit="tungsten",
        strat="tungsten",
        used=["ammonium-paratungstate"],
        element=True,
    ),
    M("vanadium", "vanadium", ["V"], "V", crit="vanadium", element=True),
    # ---- Annex I entry that is not an Annex II entry ----
    M(
        G_MAG,
        "rare earth elements for magnets",
        ["REE for magnets", "magnet REE", "magnet rare earths", "magnet rare earth elements"],
        None,
        [EC],
        strat="rare earth elements for magnets (Nd, Pr, Tb, Dy, Gd, Sm, Ce)",
        groups=[G_REE],
        kind="group",
        note="Annex I (strategic) entry; its elements are critical through the LREE and HREE entries of Annex II.",
    ),
    # ---- umbrella group ----
    M(
        G_REE,
        "rare earth elements",
        ["REE", "REEs", "rare earths", "rare-earth elements", "rare earth metals"],
        None,
        [EC],
        kind="group",
        note="All rare-earth elements: the LREE and HREE of the EU 2023 grouping plus scandium. Not an Annex "
        "entry itself (the Annexes list LREE, HREE and scandium separately).",
    ),
    # ---- light rare earths ----
    M("cerium", "cerium", ["Ce"], "Ce", groups=[G_LREE, G_REE, G_MAG], used=["ndfeb-alloy"], element=True),
    M("lanthanum", "lanthanum", ["La"], "La", groups=[G_LREE, G_REE], element=True),
    M(
        "neodymium",
        "neodymium",
        ["Nd", "neodym"],
        "Nd",
        groups=[G_LREE, G_REE, G_MAG],
        used=["ndpr-oxide"],
        element=True,
    ),
    M("praseodymium", "praseodymium", ["Pr"], "Pr", groups=[G_LREE, G_REE, G_MAG], used=["ndpr-oxide"], element=True),
    M(
        "samarium",
        "samarium",
        ["Sm"],
        "Sm",
        groups=[G_LREE, G_REE, G_MAG],
        used=["samarium-cobalt-magnet"],
        element=True,
    ),
    # ---- heavy rare earths ----
    M("dysprosium", "dysprosium", ["Dy"], "Dy", groups=[G_HREE, G_REE, G_MAG], used=["dysprosium-oxide"], element=True),
    M("erbium", "erbium", ["Er"], "Er", groups=[G_HREE, G_REE], element=True),
    M("europium", "europium", ["Eu"], "Eu", groups=[G_HREE, G_REE], element=True),
    M("gadolinium", "gadolinium", ["Gd"], "Gd", groups=[G_HREE, G_REE, G_MAG], used=["ndfeb-alloy"], element=True),
    M("holmium", "holmium", ["Ho"], "Ho", groups=[G_HREE, G_REE], element=True),
    M("lutetium", "lutetium", ["Lu"], "Lu", groups=[G_HREE, G_REE], element=True),
    M("terbium", "terbium", ["Tb"], "Tb", groups=[G_HREE, G_REE, G_MAG], used=["terbium-oxide"], element=True),
    M("thulium", "thulium", ["Tm"], "Tm", groups=[G_HREE, G_REE], element=True),
    M("ytterbium", "ytterbium", ["Yb"], "Yb", groups=[G_HREE, G_REE], element=True),
    M("yttrium", "yttrium", ["Y"], "Y", groups=[G_HREE, G_REE], element=True),
    # ---- platinum-group metals ----
    M("iridium", "iridium", ["Ir"], "Ir", groups=[G_PGM], element=True),
    M("palladium", "palladium", ["Pd"], "Pd", groups=[G_PGM], element=True),
    M("platinum", "platinum", ["Pt"], "Pt", groups=[G_PGM], element=True),
    M("rhodium", "rhodium", ["Rh"], "Rh", groups=[G_PGM], element=True),
    M("ruthenium", "ruthenium", ["Ru"], "Ru", groups=[G_PGM], element=True),
    M(
        "osmium",
        "osmium",
        ["Os"],
        "Os",
        element=True,
        note="A platinum-group metal chemically, but NOT part of the EU 'platinum group metals' entry (EU 2023 "
        "grouping: Ir, Pd, Pt, Rh, Ru), so deliberately not a member of group platinum-group-metals.",
    ),
    # ---- other raw material needed by the supply data ----
    M(
        "zircon",
        "zircon",
        ["zircon sand", "zirconium silicate", "zirconium mineral concentrates"],
        "ZrSiO4",
        [OC],
        note="Zirconium mineral concentrate; hafnium is recovered from it when zirconium is processed (USGS "
        "MCS 2026 Zirconium and Hafnium). Not a critical raw material.",
    ),
    M(
        "molybdenum",
        "molybdenum",
        ["Mo", "moly"],
        "Mo",
        element=True,
        note="Not on the EU critical raw materials list; listed here because China's export controls of "
        "February 2025 (MOFCOM/GAC Announcement No. 10 [2025]) cover molybdenum items.",
    ),
    M(
        "indium",
        "indium",
        ["In"],
        "In",
        element=True,
        note="Not on the EU critical raw materials list; listed here because China's export controls of "
        "February 2025 (MOFCOM/GAC Announcement No. 10 [2025]) cover indium items.",
    ),
    M(
        "tellurium",
        "tellurium",
        ["Te"],
        "Te",
        element=True,
        note="Not on the EU critical raw materials list; listed here because China's export controls of "
        "February 2025 (MOFCOM/GAC Announcement No. 10 [2025]) cover tellurium items.",
    ),
    # ---- intermediates ----
    M(
        "ndpr-oxide",
        "NdPr oxide",
        ["PrNd oxide", "didymium oxide", "neodymium-praseodymium oxide"],
        None,
        [RP],
        used=["ndfeb-alloy"],
        kind="intermediate",
    ),
    M(
        "dysprosium-oxide",
        "dysprosium oxide",
        ["Dy2O3", "dysprosia", "Dy oxide"],
        "Dy2O3",
        [RP],
        used=["ndfeb-alloy"],
        kind="intermediate",
        note="Dysprosium enters NdFeB as alloy addition or by grain-boundary diffusion.",
    ),
    M(
        "terbium-oxide",
        "terbium oxide",
        ["Tb4O7", "Tb oxide"],
        "Tb4O7",
        [RP],
        used=["ndfeb-alloy"],
        kind="intermediate",
        note="Terbium enters NdFeB as alloy addition or by grain-boundary diffusion.",
    ),
    M(
        "ndfeb-alloy",
        "NdFeB alloy",
        ["neodymium-iron-boron alloy", "NdFeB strip-cast alloy", "NdFeB powder"],
        None,
        [IF],
        used=["ndfeb-magnet"],
        kind="intermediate",
    ),
    M(
        "ndfeb-magnet",
        "sintered NdFeB magnet",
        ["NdFeB magnet", "neodymium magnet", "neo magnet", "NdFeB", "neodymium-iron-boron magnet"],
        None,
        [IF],
        kind="intermediate",
        note="Sintered neodymium-iron-boron permanent magnets (the magnet material). Supply facts on this node "
        "whose source speaks of 'rare-earth permanent magnets' say so in crm:note.",
    ),
    M("samarium-cobalt-magnet", "samarium-cobalt magnet", ["SmCo magnet", "SmCo"], None, [IF], kind="intermediate"),
    M(
        "ferrite-magnet",
        "ferrite magnet",
        ["hard ferrite magnet", "ceramic magnet", "strontium ferrite magnet"],
        None,
        [IF],
        kind="intermediate",
        note="Rare-earth-free permanent magnet (strontium or barium ferrite).",
    ),
    M(
        "gallium-metal",
        "gallium metal",
        ["primary gallium", "refined gallium", "high-purity gallium", "Ga metal"],
        "Ga",
        [RP],
        used=["gan-wafer", "gaas-wafer"],
        kind="intermediate",
    ),
    M(
        "gan-wafer",
        "GaN wafer",
        ["gallium nitride", "GaN", "GaN substrate", "GaN epiwafer"],
        "GaN",
        [IF],
        kind="intermediate",
    ),
    M("gaas-wafer", "GaAs wafer", ["gallium arsenide", "GaAs", "GaAs substrate"], "GaAs", [IF], kind="intermediate"),
    M(
        "germanium-tetrachloride",
        "germanium tetrachloride",
        ["GeCl4"],
        "GeCl4",
        [RP],
        used=["germanium-dioxide"],
        kind="intermediate",
        note="Also used directly in fibre-optic preforms.",
    ),
    M(
        "germanium-dioxide",
        "germanium dioxide",
        ["GeO2", "germanium oxide"],
        "GeO2",
        [RP],
        used=["germanium-metal"],
        kind="intermediate",
    ),
    M(
        "germanium-metal",
        "germanium metal",
        ["zone-refined germanium", "Ge metal", "germanium ingot"],
        "Ge",
        [RP],
        kind="intermediate",
    ),
    M(
        "spherical-graphite",
        "spherical graphite",
        ["spheroidised graphite", "spheronised graphite", "SPG", "coated spherical purified graphite", "CSPG"],
        None,
        [RP],
        used=["graphite-anode-material"],
        kind="intermediate",
    ),
    M(
        "synthetic-graphite",
        "synthetic graphite",
        ["artificial graphite"],
        None,
        [RP],
        used=["graphite-anode-material"],
        kind="intermediate",
        note="Made from petroleum or needle coke, not from natural graphite; covered by the CRMA entry 'graphite'.",
    ),
    M(
        "graphite-anode-material",
        "graphite anode material",
        ["anode active material", "battery anode graphite", "anode material"],
        None,
        [IF],
        kind="intermediate",
    ),
    M(
        "lithium-carbonate",
        "lithium carbonate",
        ["Li2CO3"],
        "Li2CO3",
        [RP],
        used=["nmc-cathode-material"],
        kind="intermediate",
    ),
    M(
        "lithium-hydroxide",
        "lithium hydroxide",
        ["LiOH", "lithium hydroxide monohydrate"],
        "LiOH",
        [RP],
        used=["nmc-cathode-material"],
        kind="intermediate",
    ),
    M(
        "cobalt-sulphate",
        "cobalt sulphate",
        ["cobalt sulfate", "CoSO4"],
        "CoSO4",
        [RP],
        used=["nmc-cathode-material"],
        kind="intermediate",
    ),
    M(
        "nickel-sulphate",
        "nickel sulphate",
        ["nickel sulfate", "NiSO4"],
        "NiSO4",
        [RP],
        used=["nmc-cathode-material"],
        kind="intermediate",
    ),
    M(
        "manganese-sulphate",
        "high-purity manganese sulphate",
        ["HPMSM", "manganese sulfate", "MnSO4"],
        "MnSO4",
        [RP],
        used=["nmc-cathode-material"],
        kind="intermediate",
    ),
    M(
        "nmc-cathode-material",
        "NMC cathode material",
        ["lithium nickel manganese cobalt oxide", "NMC", "NCM", "cathode active material"],
        None,
        [IF],
        kind="intermediate",
    ),
    M(
        "high-purity-silicon",
        "high-purity silicon",
        ["polysilicon", "polycrystalline silicon", "solar-grade silicon", "electronic-grade silicon"],
        "Si",
        [RP],
        kind="intermediate",
        note="Silicon of at least 99.99 % Si (HS 280461).",
    ),
    M(
        "ammonium-paratungstate",
        "ammonium paratungstate",
        ["APT"],
        None,
        [RP],
        used=["tungsten-carbide"],
        kind="intermediate",
    ),
    M("tungsten-carbide", "tungsten carbide", ["WC"], "WC", [RP], kind="intermediate"),
]

CRITICAL_34 = [
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
STRATEGIC_17 = [
    "bauxite/alumina/aluminium",
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
]

MAT = {m["slug"]: m for m in MATERIALS}


def mat_ref(slug: str) -> str:
    m = MAT[slug]
    return qn("group" if m["kind"] == "group" else "material", slug)


# reference material_id (materials.csv, hs_codes.csv) -> slug
REF_MATERIAL = {
    "bauxite_alumina_aluminium": "bauxite-alumina-aluminium",
    "coking_coal": "coking-coal",
    "phosphate_rock": "phosphate-rock",
    "silicon_metal": "silicon-metal",
    "titanium_metal": "titanium-metal",
    "pgm": G_PGM,
    "hree": G_HREE,
    "lree": G_LREE,
    "ree_for_magnets": G_MAG,
}

# =============================================================================================
# Curated: HS / CN item -> the material(s) that carry the code
# =============================================================================================
# Rule: a code for a specific intermediate form goes on that intermediate; element-level codes on the element;
# codes that cover a whole family (e.g. "other rare-earth compounds") on the group. First match wins.

HS_ITEM_RULES = [
    ("permanent magnets of metal, other", []),  # AlNiCo etc.: no material node here
    ("permanent magnets other than of metal", ["ferrite-magnet"]),
    ("permanent magnets of metal", ["ndfeb-magnet", "samarium-cobalt-magnet"]),
    (
        "rare-earth metals, scandium and yttrium",
        [
            G_REE,
            "cerium",
            "lanthanum",
            "neodymium",
            "praseodymium",
            "samarium",
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
        ],
    ),
    ("other rare-earth compounds", [G_REE, "ndpr-oxide", "dysprosium-oxide", "terbium-oxide"]),
    ("rare-earth ores", [G_REE]),
    ("monazite", [G_REE]),
    ("RE metals: intermixtures", [G_REE]),
    ("compounds of mixtures of RE metals", [G_REE]),
    ("RE metals: cerium and lanthanum", ["cerium", "lanthanum"]),
    ("RE metals: praseodymium, neodymium and samarium", ["praseodymium", "neodymium", "samarium"]),
    ("RE metals: gadolinium, terbium and dysprosium", ["gadolinium", "terbium", "dysprosium"]),
    ("RE metals: europium", ["europium", "holmium", "erbium", "thulium", "ytterbium", "lutetium", "yttrium"]),
    ("cerium compounds", ["cerium"]),
    ("lanthanum compounds", ["lanthanum"]),
    ("compounds of praseodymium, neodymium or samarium", ["ndpr-oxide", "samarium"]),
    ("compounds of gadolinium, terbium or dysprosium", ["dysprosium-oxide", "terbium-oxide", "gadolinium"]),
    ("compounds of Eu, Ho", ["europium", "holmium", "erbium", "thulium", "ytterbium", "lutetium", "yttrium"]),
    ("lithium carbonate", ["lithium-carbonate"]),
    ("lithium oxide and hydroxide", ["lithium-hydroxide"]),
    ("lithium-ion accumulators", []),  # a product: belongs to the value-chain file
    ("NMC cathode", ["nmc-cathode-material"]),
    ("silicon >=99.99%", ["high-purity-silicon"]),
    ("tungstates", ["ammonium-paratungstate"]),
    ("tungsten carbide", ["tungsten-carbide"]),
    ("artificial", ["synthetic-graphite"]),
    ("germanium oxides", ["germanium-dioxide"]),
    ("germanium unwrought", ["germanium-metal"]),
    ("gallium unwrought", ["gallium-metal"]),
    ("platinum unwrought", ["platinum"]),
    ("platinum semi", ["platinum"]),
    ("palladium unwrought", ["palladium"]),
    ("palladium semi", ["palladium"]),
    ("rhodium unwrought", ["rhodium"]),
    ("rhodium semi", ["rhodium"]),
    ("iridium, osmium, ruthenium", ["iridium", "osmium", "ruthenium"]),
]


def hs_targets(row: dict) -> list[str]:
    item = row["item"].lower()
    for key, targets in HS_ITEM_RULES:
        if key.lower() in item:
            return targets
    mid = row["material_id"]
    return [REF_MATERIAL.get(mid, mid.replace("_", "-"))]


# =============================================================================================
# Curated: reference material / stage strings of the production and EU-sourcing tables
# =============================================================================================

PROD_MATERIAL = {
    "rare_earths": G_REE,
    "graphite_natural": "graphite",
    "graphite": "graphite",
    "silicon": "silicon-metal",
    "aluminium": "bauxite-alumina-aluminium",
    "magnesium_metal": "magnesium",
    "ndfeb_magnets": "ndfeb-magnet",
    "heavy_rare_earths (Dy, Tb)": ["dysprosium", "terbium"],
    "zircon (hafnium feedstock)": "zircon",
}


def prod_material_and_stage(material: str, stage: str) -> tuple[list[str], str | None, str]:
    """(material slugs, stage slug or None to skip, measure text) for a production_shares row."""
    s = stage.strip()
    measure = ""
    m = re.search(r"\((.*)\)\s*$", s)
    if m:
        measure = m.group(1)
    low = s.lower()
    if "projection" in low or low.startswith("extraction/processing"):
        return [], None, measure
    mats = PROD_MATERIAL.get(material, REF_MATERIAL.get(material, material.replace("_", "-")))
    mats = mats if isinstance(mats, list) else [mats]
    if material == "rare_earths" and "magnet" in low:
        return (
            ["ndfeb-magnet"],
            "intermediate-manufacturing",
            (f"{measure} (the source speaks of rare-earth permanent magnets, not NdFeB specifically)"),
        )
    if material == "rare_earths" and "heavy re" in low:
        return [G_HREE], "processing", measure
    if material == "graphite" and ("anode material loaded" in low or low.startswith("anode supply chain")):
        return ["graphite-anode-material"], "intermediate-manufacturing", measure or s
    if low.startswith("extraction"):
        return mats, "extraction", measure
    if low.startswith("processing"):
        return mats, "processing", measure
    if low.startswith("magnet manufacturing"):
        return mats, "intermediate-manufacturing", measure
    if low.startswith("global supply"):
        return mats, "infer", measure
    raise ValueError(f"unmapped stage {stage!r} for {material!r}")


def eu_material(raw: str) -> tuple[str | None, str]:
    """(slug or None to skip, extra note) for an eu_sourcing material string."""
    base = raw.split(" (")[0].strip()
    if raw.startswith("silicon_metal (?)"):
        return "silicon-metal", (
            "Material identification uncertain: the machine-translated ECA list reads "
            "'Dark metal'; the figure matches the EC 2023 silicon-metal table."
        )
    if base in ("ree", "ree+", "pgm"):
        return None, ""
    if raw.startswith("permanent magnets (RE)"):
        return "ndfeb-magnet", "The source speaks of rare-earth (permanent) magnets, not NdFeB specifically."
    table = {
        "graphite_natural": "graphite",
        "graphite": "graphite",
        "magnesium_metal": "magnesium",
        "magnesium": "magnesium",
        "hree": G_HREE,
    }
    if base in table:
        return table[base], ""
    return REF_MATERIAL.get(base, base.replace("_", "-")), ""


# EU-sourcing rows left out on purpose (reason goes to README)
EU_SKIPPED_REASONS = {
    "pgm": "stage not stated and not determinable (the EC 2023 study has no EU-sourcing table for PGMs)",
    "ree (all)": "stage not stated and not determinable; '2020 foresight' basis",
    "ree+": "a share of EU import weight of REE+ (incl. Sc, Y) in 2024; stage not stated and not determinable; "
    "the CN+MY+RU row is a combined supplier, which a SupplyShare cannot name",
}

# =============================================================================================
# Curated: supply gaps for strategic entries (asserted against the data: the script fails if a gap is
# declared where a share exists, or if a strategic entry x stage has neither)
# =============================================================================================

GAPS = {
    ("gallium", "extraction"): (
        "not-applicable",
        "Gallium is not mined for itself: it is recovered as a by-product of alumina (Bayer process) and zinc "
        "processing, so world shares start at primary low-purity gallium production, recorded here at the "
        "processing stage.",
        ["USGS_MCS2026_GA", "EC_CRM_STUDY_2023_APP7"],
    ),
    ("germanium", "extraction"): (
        "not-applicable",
        "Germanium is not mined for itself: it is recovered from zinc-processing residues and coal fly ash, so "
        "world shares start at refined germanium production, recorded here at the processing stage.",
        ["USGS_MCS2026_GE", "USGS_MCS2022_GE", "EC_CRM_STUDY_2023_APP7"],
    ),
    ("bismuth", "extraction"): (
        "no-public-figure",
        "No world mine-production shares in the sources checked: USGS MCS 2026 publishes refinery production "
        "only, and the EC 2023 study gives bismuth supply shares at the processing stage only.",
        ["USGS_MCS2026_BI", "EC_CRM_STUDY_2023_APP7"],
    ),
    ("magnesium", "extraction"): (
        "no-public-figure",
        "The strategic entry is magnesium metal. USGS MCS 2026 publishes primary magnesium metal production and "
        "the EC 2023 study assesses magnesium at the processing stage only; the feedstocks (dolomite, magnesite, "
        "brines) are not reported as magnesium extraction in the sources checked.",
        ["USGS_MCS2026_MG", "EC_CRM_STUDY_2023_APP7"],
    ),
    ("silicon-metal", "extraction"): (
        "no-public-figure",
        "Silicon metal is smelted from quartz, which the sources checked do not report as silicon extraction: "
        "USGS MCS 2026 publishes ferrosilicon and silicon-metal production, the EC 2023 study assesses silicon "
        "metal at the processing stage only.",
        ["USGS_MCS2026_SI", "EC_CRM_STUDY_2023_APP7"],
    ),
    (G_PGM, "extraction"): (
        "no-public-figure",
        "No share for the PGM group as a whole in the sources checked. Published per metal: palladium and "
        "platinum mine production (USGS MCS 2026); see the SupplyShares of material:palladium and "
        "material:platinum.",
        ["USGS_MCS2026_PGM", "EC_CRM_STUDY_2023_APP7"],
    ),
    (G_PGM, "processing"): (
        "no-public-figure",
        "No share for the PGM group as a whole in the sources checked. Published per metal: the EC 2023 study "
        "gives processing shares for Pd, Pt, Rh, Ir and Ru; see the SupplyShares of those materials.",
        ["EC_CRM_STUDY_2023_APP7", "USGS_MCS2026_PGM"],
    ),
    (G_MAG, "extraction"): (
        "no-public-figure",
        "No share for the Annex I grouping 'rare earth elements for magnets' as such. Published for all rare "
        "earths (group:rare-earths, USGS MCS 2026 and IEA) and per element (Nd, Pr, Sm, Ce, Gd, Dy, Tb: EC 2023 "
        "study).",
        ["USGS_MCS2026_REE", "IEA_GCMO_2024", "EC_CRM_STUDY_2023_APP7"],
    ),
    (G_MAG, "processing"): (
        "no-public-figure",
        "No share for the Annex I grouping 'rare earth elements for magnets' as such. Published for all rare "
        "earths (group:rare-earths: IEA separation/refining) and per element (Nd, Pr, Sm, Ce, Gd, Dy, Tb: EC 2023 "
        "study).",
        ["IEA_GCMO_2024", "IEA_COMMENTARY_2025", "EC_CRM_STUDY_2023_APP7"],
    ),
    # not strategic, but asked for (light and heavy rare earths): make the group-level gap visible
    (G_LREE, "extraction"): (
        "no-public-figure",
        "No share for light rare earths as a group in the sources checked; the EC 2023 study gives them per "
        "element (Ce, La, Nd, Pr, Sm) and USGS for all rare earths together (group:rare-earths).",
        ["EC_CRM_STUDY_2023_APP7", "USGS_MCS2026_REE"],
    ),
    (G_LREE, "processing"): (
        "no-public-figure",
        "No share for light rare earths as a group in the sources checked; the EC 2023 study gives them per "
        "element (Ce, La, Nd, Pr, Sm) and the IEA for all rare earths together (group:rare-earths).",
        ["EC_CRM_STUDY_2023_APP7", "IEA_GCMO_2024"],
    ),
    (G_HREE, "extraction"): (
        "no-public-figure",
        "No share for heavy rare earths as a group in the sources checked; the EC 2023 study gives them per "
        "element (Dy, Er, Eu, Gd, Ho, Lu, Tb, Tm, Yb, Y) and USGS for all rare earths together.",
        ["EC_CRM_STUDY_2023_APP7", "USGS_MCS2026_REE"],
    ),
}

# =============================================================================================
# Curated: extra sources (not in the reference CSVs)
# =============================================================================================

EXTRA_SOURCES = [
    dict(
        source_id="CRITMAT_EUREPORT_RESULTS",
        publisher="meyerdata/CritMAT (open-source software, GitHub)",
        title="CritMAT input_data/seeds/eureport_results.csv – per-material results of the EU CRM 2023 study "
        "(supply risk, economic importance, import reliance, EoL-RIR) as transcribed by CritMAT",
        year="2025",
        url="https://github.com/meyerdata/CritMAT",
        source_type="third-party transcription of a primary study",
        note="Read at commit 0bd897788ddd82bc58752e5460c53b924cbc63bc. The file labels its origin 'EU CRM Report "
        "2023' (single-market-economy.ec.europa.eu study-critical-raw-materials-eu-2023-final-report). Import "
        "reliance columns import_reliance_primary (extraction) and import_reliance_refined (processing), in "
        "percent. NOT checked against the study PDF; some other columns of the file are shifted for a few "
        "rows (e.g. strontium, coking coal), the import-reliance columns were checked to be aligned. Year: "
        "2025 as the file labels its rows (publish_year column); the commit date was not read.",
    ),
    dict(
        source_id="ISO_3166_1_ISOCODES",
        publisher="Debian iso-codes project (data from ISO 3166 Maintenance Agency)",
        title="iso-codes 4.15.0, iso_3166-1.json (ISO 3166-1 country codes and names)",
        year="2023",
        url="https://salsa.debian.org/iso-codes-team/iso-codes",
        source_type="reference table (standard codes)",
        note="Used for ISO alpha-3 codes and country names (the copy installed at "
        "/usr/share/iso-codes/json/iso_3166-1.json by the Debian package iso-codes 4.15.0-1). Year: that "
        "release's year. Kosovo (XK, XKX) is a user-assigned code, not ISO.",
    ),
]

# =============================================================================================
# Curated: countries
# =============================================================================================

EU27 = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
G7 = ["CA", "FR", "DE", "IT", "JP", "GB", "US"]

COUNTRY_LABEL = {  # display names where the ISO short name is unwieldy
    "RU": "Russia",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "GB": "United Kingdom",
    "US": "United States",
    "TR": "Türkiye",
    "KR": "South Korea",
    "KP": "North Korea",
    "VN": "Vietnam",
}
COUNTRY_ALT = {
    "CD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "GB": ["UK", "Great Britain"],
    "US": ["USA", "United States of America", "U.S."],
    "TR": ["Turkey"],
    "MM": ["Burma"],
    "NL": ["Holland"],
    "CI": ["Ivory Coast"],
    "CZ": ["Czech Republic"],
    "CN": ["PRC", "People's Republic of China"],
    "KR": ["Republic of Korea"],
    "TW": ["Chinese Taipei"],
}
MANUAL_COUNTRIES = {"XK": dict(alpha_2="XK", alpha_3="XKX", name="Kosovo")}

# =============================================================================================
# Build
# =============================================================================================


class Builder:
    def __init__(self, ref: Path, out: Path, iso_codes: Path, critmat_ir: Path | None):
        self.ref, self.out, self.critmat_ir = ref, out, critmat_ir
        self.iso = {c["alpha_2"]: c for c in json.loads(iso_codes.read_text(encoding="utf-8"))["3166-1"]}
        self.iso.update(MANUAL_COUNTRIES)
        self.iso3_to_2 = {c["alpha_3"]: a2 for a2, c in self.iso.items()}
        self.sources: dict[str, dict] = {}
        self.country_codes: set[str] = set()
        self.country_names: dict[str, set[str]] = defaultdict(set)
        self.skipped: list[str] = []
        self.shares: list[dict] = []
        self.gaps: list[dict] = []
        self.irs: list[dict] = []

    # ------------------------------------------------------------------ sources
    def load_sources(self):
        for rel in ["sources.csv", "more/sources.csv", "crosswalks/sources.csv"]:
            for r in read_csv(self.ref / rel):
                sid = r["source_id"].strip()
                if sid in self.sources:
                    raise ValueError(f"duplicate source {sid}")
                r = dict(r)
                r["year"] = r.get("pub_year", r.get("year", "")) or ""
                r["source_type"] = r.get("source_type", r.get("kind", "")) or ""
                r["_file"] = rel
                self.sources[sid] = r
        for r in EXTRA_SOURCES:
            r = dict(r)
            r["_file"] = "curated in build_statistical_ttl.py"
            r.setdefault("retrieved_via", "")
            self.sources[r["source_id"]] = r

    def source_year(self, sid: str) -> int | None:
        y = (self.sources[sid].get("year") or "").strip()
        m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", y)
        if not m:
            return None
        return int(m.group(2) or m.group(1))

    def write_sources(self):
        out = [
            header(
                "sources",
                "Every source of shared/reference/sources.csv, more/sources.csv and "
                "crosswalks/sources.csv,\nplus the few added by the bootstrap (see its "
                "EXTRA_SOURCES). Ids are the reference source_ids.",
            )
        ]
        for sid in sorted(self.sources):
            r = self.sources[sid]
            notes, url = [], None
            raw_url = (r.get("url") or "").strip()
            if raw_url:
                parts = [p.strip() for p in raw_url.split(" ; ")]
                first = parts[0]
                m = re.match(r"^(https?://\S+)(.*)$", first)
                if m:
                    url = m.group(1)
                    rest = m.group(2).strip()
                    if rest:
                        notes.append(f"Also: {rest.strip('() ')}.")
                else:
                    notes.append(f"Location as given (no scheme): {first}.")
                for p in parts[1:]:
                    notes.append(f"Also: {p}.")
            y = (r.get("year") or "").strip()
            year = self.source_year(sid)
            if y and (year is None or not y.isdigit()):
                notes.append(f"Year as given: {y}.")
            if r.get("retrieved_via"):
                notes.append(f"Retrieved via: {r['retrieved_via']}.")
            if r.get("note"):
                notes.append(r["note"].strip().rstrip(".") + ".")
            notes.append(f"Reference file: {r['_file']}.")
            title = r["title"].strip()
            lang = None if re.search(r"[\u3000-\u9fff]", title) else "en"  # Chinese titles: no @en
            props = [
                ("rdfs:label", lit(short_label(sid, r), lang)),
                ("dcterms:title", lit(title, lang)),
                ("dcterms:publisher", lit(r["publisher"].strip())),
                ("crm:year", str(year) if year else None),
                ("crm:url", typed(url, "anyURI") if url else None),
                ("crm:sourceType", lit(r["source_type"].strip()) if r["source_type"].strip() else None),
                ("crm:note", lit(" ".join(notes))),
            ]
            out.append(block(qn("source", sid), ["crm:Source"], props))
        (self.out / "sources.ttl").write_text("\n".join(out), encoding="utf-8")

    # ------------------------------------------------------------------ stages
    def write_stages(self):
        out = [header("value-chain stages", "The six crm:Stage individuals of the vocabulary contract.")]
        for slug, label, definition, alt in STAGES:
            out.append(
                block(
                    qn("stage", slug),
                    ["crm:Stage"],
                    [
                        ("rdfs:label", lit(label, "en")),
                        ("skos:altLabel", [lit(a, "en") for a in alt]),
                        ("skos:definition", lit(definition, "en")),
                    ],
                )
            )
        (self.out / "stages.ttl").write_text("\n".join(out), encoding="utf-8")

    # ------------------------------------------------------------------ materials
    def write_materials(self):
        # sanity of the curated table
        crit = sorted(m["crit"] for m in MATERIALS if m["crit"])
        strat = sorted(m["strat"] for m in MATERIALS if m["strat"])
        assert crit == sorted(CRITICAL_34) and len(crit) == 34, crit
        assert strat == sorted(STRATEGIC_17) and len(strat) == 17, strat
        for m in MATERIALS:
            for t in m["used"] + m["groups"]:
                assert t in MAT, (m["slug"], t)
        # Wikidata for elements
        wd = {}
        for r in read_csv(self.ref / "crosswalks/wikidata_ids.csv"):
            if r["entity_type"] == "chemical_element" and r["qid"]:
                wd[r["label"]] = (r["qid"], r["source_ids"], r["verification"])
        # HS / CN codes
        codes: dict[str, dict[str, set]] = defaultdict(lambda: {"hs": set(), "cn": set()})
        for r in read_csv(self.ref / "crosswalks/hs_codes.csv"):
            if r["verification"] == "not found" or not r["code"] or r["code_system"] == "CN_CHINA_10":
                continue
            kind = {"HS2022_6": "hs", "EU_CN8": "cn"}[r["code_system"]]
            assert len(r["code"]) == (6 if kind == "hs" else 8), r
            for t in hs_targets(r):
                assert t in MAT, (t, r)
                codes[t][kind].add(r["code"])
        self.hs_codes = codes
        out = [
            header(
                "materials",
                "The 34 critical raw materials (Regulation (EU) 2024/1252 Annex II, crm:isCritical) "
                "and the 17 strategic\nones (Annex I, crm:isStrategic), with the Annex wording in "
                "crm:criticalScope / crm:strategicScope;\nevery rare-earth element and "
                "platinum-group metal; material groups; key intermediates and the\ncrm:usedIn "
                "edges from raw materials to them. HS 2022 (crm:hsCode) and EU CN (crm:cnCode) from\n"
                "crosswalks/hs_codes.csv (verified rows); Wikidata ids from crosswalks/wikidata_ids.csv.",
            )
        ]
        sections = [
            (
                "Critical raw materials (Annex II) and the Annex I entry 'rare earth elements for magnets'",
                [m for m in MATERIALS if m["crit"] or m["strat"]],
            ),
            ("Rare-earth umbrella group", [MAT[G_REE]]),
            (
                "Rare-earth elements",
                [m for m in MATERIALS if m["kind"] == "material" and not m["crit"] and (G_REE in m["groups"])],
            ),
            ("Platinum-group metals", [m for m in MATERIALS if G_PGM in m["groups"] or m["slug"] == "osmium"]),
            (
                "Other raw materials (not on the EU lists)",
                [MAT[x] for x in ("zircon", "molybdenum", "indium", "tellurium")],
            ),
            ("Intermediates", [m for m in MATERIALS if m["kind"] == "intermediate"]),
        ]
        seen = set()
        for title, ms in sections:
            out.append(f"# {'=' * 100}\n# {title}\n# {'=' * 100}\n")
            for m in sorted(ms, key=lambda x: x["slug"]):
                assert m["slug"] not in seen, m["slug"]
                seen.add(m["slug"])
                out.append(self.material_block(m, wd, codes))
        assert seen == set(MAT), set(MAT) - seen
        (self.out / "materials.ttl").write_text("\n".join(out), encoding="utf-8")

    def material_block(self, m, wd, codes) -> str:
        types = {"material": ["crm:Material"], "group": ["crm:MaterialGroup"], "intermediate": ["crm:Intermediate"]}[
            m["kind"]
        ]
        props = [
            ("rdfs:label", lit(m["label"], "en")),
            ("skos:altLabel", [lit(a, "en") for a in m["alt"]]),
            ("crm:symbol", lit(m["symbol"]) if m["symbol"] else None),
            ("crm:form", m["forms"]),
        ]
        if m["crit"]:
            props += [("crm:isCritical", "true"), ("crm:criticalScope", lit(m["crit"]))]
        if m["strat"]:
            props += [("crm:isStrategic", "true"), ("crm:strategicScope", lit(m["strat"]))]
        if m["crit"] or m["strat"]:
            props.append(("crm:source", [qn("source", s) for s in ["EU_CRMA_2024", "NICOLA_BERNARD_2024", "CBS_2025"]]))
        if m["groups"]:
            props.append(("crm:memberOfGroup", [mat_ref(g) for g in m["groups"]]))
        if m["used"]:
            props.append(("crm:usedIn", [mat_ref(u) for u in m["used"]]))
        c = codes.get(m["slug"])
        if c:
            props.append(("crm:hsCode", [lit(x) for x in sorted(c["hs"])]))
            props.append(("crm:cnCode", [lit(x) for x in sorted(c["cn"])]))
        if m["element"] and m["kind"] == "material":
            q = wd.get(m["wd_label"])
            if q:
                props += [("crm:wikidataId", lit(q[0])), ("owl:sameAs", qn("wd", q[0]))]
        if m["note"]:
            props.append(("crm:note", lit(m["note"])))
        return block(mat_ref(m["slug"]), types, props)

    # ------------------------------------------------------------------ supply
    def load_supply(self):
        ec_eu_stage: dict[str, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
        ec_world: dict[tuple[str, str], Decimal] = {}
        raw_shares: list[dict] = []

        # ---- world production shares
        text_notes: dict[tuple, str] = {}
        rows = [(r, "production_shares.csv") for r in read_csv(self.ref / "production_shares.csv")]
        rows += [(r, "more/production_shares.csv") for r in read_csv(self.ref / "more/production_shares.csv")]
        # USGS-derived rows: share = country value / USGS *rounded* world total. Where the listed country values
        # (residual "other countries" included) add up to more than that rounded total, the world total cannot
        # be below their sum: the share is recomputed as value / sum, so that a table never adds up above 100 %
        # (only where the excess is more than 0.5 %, i.e. beyond rounding).
        vol_sum: dict[tuple, Decimal] = defaultdict(Decimal)
        for r, fname in rows:
            if r.get("value") and r.get("world_total") and "world total" in r.get("basis", ""):
                vol_sum[(fname, r["material"], r["stage"], r["ref_year"], r["source_id"])] += Decimal(r["value"])
        for r, fname in rows:
            k = (fname, r["material"], r["stage"], r["ref_year"], r["source_id"])
            if k in vol_sum and r.get("value") and vol_sum[k] > Decimal(r["world_total"]) * Decimal("1.005"):
                new = (Decimal(r["value"]) / vol_sum[k] * 100).quantize(Decimal("0.01"))
                r["_rescaled"] = (
                    f"Share recomputed as value / sum of the listed country values "
                    f"({fmt_num(str(vol_sum[k]))}), since USGS's rounded world total "
                    f"({fmt_num(r['world_total'])}) is below that sum; the reference sheet gives "
                    f"{r['share']}% (value / rounded world total)."
                )
                r["share"] = format(new.normalize(), "f")
        for r, fname in rows:
            mats, stage, measure = prod_material_and_stage(r["material"], r["stage"])
            cc = r["country_iso2"].strip()
            where = f"{fname}: {r['material']} / {r['stage']} / {cc or r['country_name']} / {r['ref_year']} / {r['source_id']}"
            if stage is None:
                self.skipped.append(f"{where} — projection or mixed units without a share")
                continue
            if not r["share"].strip():
                self.skipped.append(f"{where} — no share given (volume only)")
                continue
            if len(cc) != 2 or cc == "XX":
                self.skipped.append(f"{where} — residual row ('{r['country_name']}'), not a country")
                continue
            if r["verification"].strip() == "verified (USGS text)":
                # the same source's table gives a figure for the same cell: fold the text figure into its note
                for mslug in mats:
                    text_notes[(mslug, stage, cc, r["ref_year"], r["source_id"])] = (
                        f"USGS text gives {r['qualifier'] or '='}{r['share']}% ({r['note'].strip()})."
                    )
                continue
            for mslug in mats:
                if r["source_id"] == "EC_CRM_STUDY_2023_APP7":
                    ec_world[(mslug, stage, cc)] = Decimal(r["share"])
                raw_shares.append(
                    dict(
                        material=mslug,
                        stage=stage,
                        scope="world",
                        country=cc,
                        pct=r["share"].strip(),
                        qualifier=r["qualifier"].strip() or "=",
                        period=r["ref_year"].strip(),
                        sources=[r["source_id"].strip()],
                        measure=measure,
                        row=r,
                        file=fname,
                    )
                )
        # GLOBSEC etc.: stage not stated -> the EC 2023 stage with the matching value
        for s in raw_shares:
            if s["stage"] == "infer":
                cands = [
                    st
                    for st in ("extraction", "processing")
                    if (s["material"], st, s["country"]) in ec_world
                    and abs(ec_world[(s["material"], st, s["country"])] - Decimal(s["pct"])) <= Decimal("1")
                ]
                if len(cands) != 1:
                    raise ValueError(f"cannot infer stage for {s}")
                s["stage"] = cands[0]
                s["extra"] = (
                    f"Stage not stated by the source; set to {cands[0]} because the figure matches the EC "
                    f"2023 study's {cands[0]} share ({ec_world[(s['material'], cands[0], s['country'])]}%)."
                )
        for s in raw_shares:
            key = (s["material"], s["stage"], s["country"], s["period"], s["sources"][0])
            if key in text_notes:
                s["text_note"] = text_notes.pop(key)
        assert not text_notes, text_notes

        # ---- EU sourcing
        eu_rows = [(r, "eu_sourcing.csv") for r in read_csv(self.ref / "eu_sourcing.csv")]
        eu_rows += [(r, "more/eu_sourcing.csv") for r in read_csv(self.ref / "more/eu_sourcing.csv")]
        for r, _fname in eu_rows:
            metric = r["metric"]
            if "EC CRM 2023 study, Appendix 7" in metric:
                slug, _ = eu_material(r["material"])
                st = "extraction" if "extraction stage" in metric else "processing"
                ec_eu_stage[slug][st][r["supplier_iso2"]] = Decimal(r["share_pct"])
        for r, fname in eu_rows:
            raw = r["material"]
            slug, extra = eu_material(raw)
            where = f"{fname}: {raw} / {r['supplier_iso2']} / {r['share_pct']}% / {r['source_ids']}"
            if slug is None:
                key = raw.split(" (")[0].strip()
                key = "ree (all)" if raw.startswith("ree (all)") else key
                self.skipped.append(f"{where} — {EU_SKIPPED_REASONS[key]}")
                continue
            metric = r["metric"]
            cc = r["supplier_iso2"].strip()
            assert len(cc) == 2, r
            notes = [f"Metric: {metric}."]
            if extra:
                notes.append(extra)
            if "extraction stage" in metric:
                stage = "extraction"
            elif "processing stage" in metric:
                stage = "processing"
            elif slug == "ndfeb-magnet":
                stage = "intermediate-manufacturing"
            elif slug == G_HREE:
                stage = "processing"
                notes.append(
                    "Stage not stated; set to processing because the source speaks of imported heavy rare earth metals."
                )
            else:
                stages = ec_eu_stage.get(slug, {})
                if len(stages) == 1:
                    stage = next(iter(stages))
                    notes.append(
                        f"Stage not stated by the source; set to {stage}, the only stage at which the EC "
                        f"2023 study gives EU-sourcing shares for this material."
                    )
                else:
                    val = Decimal(r["share_pct"])
                    cands = [st for st, d in stages.items() if cc in d and abs(d[cc] - val) <= 2]
                    if len(cands) != 1:
                        raise ValueError(f"cannot infer EU stage for {where}: {dict(stages)}")
                    stage = cands[0]
                    notes.append(
                        f"Stage not stated by the source; set to {stage}, where the EC 2023 study gives "
                        f"{cc} {stages[stage][cc]}%."
                    )
            raw_shares.append(
                dict(
                    material=slug,
                    stage=stage,
                    scope="eu-sourcing",
                    country=cc,
                    pct=r["share_pct"].strip(),
                    qualifier=">" if "(qualifier >)" in metric else "=",
                    period=r["ref_period"].strip(),
                    sources=[s.strip() for s in r["source_ids"].split(";")],
                    measure="",
                    row=r,
                    file=fname,
                    eu_notes=notes,
                )
            )

        # ---- normalise years / periods, build notes, merge identical facts
        merged: dict[tuple, dict] = {}
        for s in raw_shares:
            for sid in s["sources"]:
                assert sid in self.sources, sid
            period = s["period"].replace("(NOT verified)", "").strip()
            year_note = ""
            m = re.fullmatch(r"(?:c\.\s*)?(\d{4})(?:\s*-\s*(\d{4}))?", period)
            if m and m.group(2):
                s["year"], s["refperiod"] = int(m.group(2)), f"{m.group(1)}-{m.group(2)}"
            elif m:
                s["year"], s["refperiod"] = int(m.group(1)), None
            elif period in ("", "not stated"):
                ys = [y for y in (self.source_year(x) for x in s["sources"]) if y]
                if not ys:
                    self.skipped.append(
                        f"{s['file']}: {s['material']} / {s['country']} / {s['pct']}% / "
                        f"{';'.join(s['sources'])} — no reference year and no publication year"
                    )
                    continue
                s["year"], s["refperiod"] = min(ys), None
                year_note = (
                    f"Reference year not stated by the source; crm:referenceYear is the publication year of "
                    f"the source ({min(ys)}), i.e. the figure is 'as of' then."
                )
            else:
                raise ValueError(f"unparsed period {period!r}")
            if "c." in s["period"]:
                year_note = f"Period given as '{s['period']}'."
            s["note"] = self.share_note(s, year_note)
            frac = pct_to_fraction(s["pct"])
            qual = s["qualifier"]
            if frac == 0 and s["row"].get("value") not in (None, "", "0", "0.0"):
                frac, qual = Decimal("0.001"), "<"
                s["note"] = "Rounds to 0.0% in the source table; recorded as <0.1%. " + s["note"]
            s["share"], s["qualifier"] = frac, qual
            key = (s["material"], s["stage"], s["scope"], s["country"], s["year"], s["refperiod"], frac, qual)
            if key in merged:
                t = merged[key]
                t["sources"] = sorted(set(t["sources"]) | set(s["sources"]))
                if s["note"] not in t["note"]:
                    t["note"] += " | Also: " + s["note"]
            else:
                merged[key] = s
        self.shares = list(merged.values())
        # ids
        used = set()
        for s in sorted(self.shares, key=share_sort_key):
            sid = sorted(s["sources"])[0]
            base = f"{s['material']}-{s['stage']}-{s['scope']}-{s['country']}-{s['year']}-{sid}"
            i, ident = 1, base
            while ident in used:
                i += 1
                ident = f"{base}-{i}"
            used.add(ident)
            s["id"] = ident
            self.country_codes.add(s["country"])

        # ---- gaps
        have = {(s["material"], s["stage"]) for s in self.shares if s["scope"] == "world"}
        strategic = [m["slug"] for m in MATERIALS if m["strat"]]
        missing = {(m, st) for m in strategic for st in ("extraction", "processing") if (m, st) not in have}
        declared_strategic = {k for k in GAPS if MAT[k[0]]["strat"]}
        if missing != declared_strategic:
            raise ValueError(f"gap table out of step: missing={sorted(missing)} declared={sorted(declared_strategic)}")
        for (m, st), (reason, note, checked) in sorted(GAPS.items()):
            assert (m, st) not in have, (m, st)
            for c in checked:
                assert c in self.sources, c
            self.gaps.append(dict(material=m, stage=st, reason=reason, note=note, checked=checked))

        # ---- import reliance (optional input)
        if self.critmat_ir:
            self.load_ir()

    def share_note(self, s, year_note) -> str:
        r = s["row"]
        parts = []
        if s.get("extra"):
            parts.append(s["extra"])
        if s["scope"] == "world":
            if s["measure"] and "EC CRM 2023" not in s["measure"]:
                parts.append(f"Measure: {s['measure']}.")
            if r.get("value"):
                if r.get("world_total"):
                    parts.append(
                        f"Volume: {fmt_num(r['value'])} {r.get('unit', '')} of {fmt_num(r['world_total'])} "
                        f"world total ({r.get('basis', '')})."
                    )
                else:
                    parts.append(f"Volume: {fmt_num(r['value'])} {r.get('unit', '')}.")
            if r.get("note"):
                n = r["note"].strip().replace(EC_PERIOD_CLAUSE, "").strip().rstrip(".")
                parts.append(n + ".")
            if r.get("_rescaled"):
                parts.append(r["_rescaled"])
            if s.get("text_note"):
                parts.append(s["text_note"])
        else:
            parts += s["eu_notes"]
        if year_note:
            parts.append(year_note)
        if s["refperiod"] == "2016-2020":
            parts.append(
                "Reference period 2016-2020 is the usual 5-year averaging period of the EC 2023 "
                "assessment: NOT verified in a retrieved text; crm:referenceYear is its last year."
            )
        parts.append(f"Verification: {r['verification'].strip()}.")
        parts.append(f"Reference file: {s['file']}.")
        return " ".join(p for p in parts if p)

    def load_ir(self):
        name_map = {
            "Aluminium": "bauxite-alumina-aluminium",
            "Natural graphite": "graphite",
            "HREE": G_HREE,
            "LREE": G_LREE,
            "PGM": G_PGM,
            "Silicon metal": "silicon-metal",
            "Titanium metal": "titanium-metal",
            "Coking coal": "coking-coal",
            "Phosphate rock": "phosphate-rock",
        }
        seen = set()
        for r in read_csv(self.critmat_ir):
            name = r["material_name"].strip()
            slug = name_map.get(name, name.lower())
            if slug not in MAT or name in ("Titanium",):
                continue
            for col, stage in (("import_reliance_primary", "extraction"), ("import_reliance_refined", "processing")):
                v = (r[col] or "").strip()
                if not v:
                    continue
                assert re.fullmatch(r"\d{1,3}", v), (name, col, v)
                key = (slug, stage)
                if key in seen:  # the file repeats tungsten verbatim
                    continue
                seen.add(key)
                self.irs.append(
                    dict(
                        material=slug,
                        stage=stage,
                        share=pct_to_fraction(v),
                        pct=v,
                        year=2020,
                        period="2016-2020",
                        column=col,
                        name=name,
                    )
                )

    def write_supply(self):
        out = [
            header(
                "supply facts",
                (
                    "crm:SupplyShare (world output by country at a stage, and the EU's own sourcing by country), crm:SupplyGap\n"
                    "(an explicit 'no figure', with reason and the sources checked) and crm:ImportReliance (EU).\n"
                    "Shares are fractions 0..1. A period (the EC 2023 study's 2016-2020) gives crm:referencePeriod and, as\n"
                    "crm:referenceYear, the LAST year of the period. Sorted by material, stage, scope, year, share (desc)."
                ),
            )
        ]
        by_mat: dict[str, list] = defaultdict(list)
        for s in self.shares:
            by_mat[s["material"]].append(("share", s))
        for g in self.gaps:
            by_mat[g["material"]].append(("gap", g))
        for ir in self.irs:
            by_mat[ir["material"]].append(("ir", ir))
        for mslug in sorted(by_mat):
            items = by_mat[mslug]
            n_sh = sum(1 for k, _ in items if k == "share")
            n_gap = sum(1 for k, _ in items if k == "gap")
            n_ir = sum(1 for k, _ in items if k == "ir")
            out.append(
                f"# {'=' * 100}\n# {MAT[mslug]['label']} ({mat_ref(mslug)}): {n_sh} shares, {n_gap} gaps, "
                f"{n_ir} import-reliance facts\n# {'=' * 100}\n"
            )
            for kind, x in sorted(items, key=lambda kx: item_sort_key(*kx)):
                if kind == "share":
                    out.append(self.share_block(x))
                elif kind == "gap":
                    out.append(self.gap_block(x))
                else:
                    out.append(self.ir_block(x))
        (self.out / "supply.ttl").write_text("\n".join(out), encoding="utf-8")

    def share_block(self, s) -> str:
        return block(
            qn("share", s["id"]),
            ["crm:SupplyShare"],
            [
                ("crm:material", mat_ref(s["material"])),
                ("crm:stage", qn("stage", s["stage"])),
                ("crm:scope", "crm:World" if s["scope"] == "world" else "crm:EUSourcing"),
                ("crm:supplier", qn("country", s["country"])),
                ("crm:share", dec(s["share"])),
                ("crm:qualifier", lit(s["qualifier"])),
                ("crm:referenceYear", str(s["year"])),
                ("crm:referencePeriod", lit(s["refperiod"]) if s["refperiod"] else None),
                ("crm:source", [qn("source", x) for x in sorted(s["sources"])]),
                ("crm:note", lit(s["note"])),
            ],
        )

    def gap_block(self, g) -> str:
        return block(
            qn("gap", f"{g['material']}-{g['stage']}"),
            ["crm:SupplyGap"],
            [
                ("crm:material", mat_ref(g["material"])),
                ("crm:stage", qn("stage", g["stage"])),
                ("crm:scope", "crm:World"),
                ("crm:reason", lit(g["reason"])),
                ("crm:checkedSource", [qn("source", c) for c in g["checked"]]),
                ("crm:note", lit(g["note"])),
            ],
        )

    def ir_block(self, ir) -> str:
        return block(
            qn("importreliance", f"{ir['material']}-{ir['stage']}-{ir['year']}-CRITMAT_EUREPORT_RESULTS"),
            ["crm:ImportReliance"],
            [
                ("crm:material", mat_ref(ir["material"])),
                ("crm:stage", qn("stage", ir["stage"])),
                ("crm:share", dec(ir["share"])),
                ("crm:referenceYear", str(ir["year"])),
                ("crm:referencePeriod", lit(ir["period"])),
                ("crm:source", [qn("source", "CRITMAT_EUREPORT_RESULTS"), qn("source", "EC_CRM_STUDY_2023")]),
                (
                    "crm:note",
                    lit(
                        f"EU import reliance {ir['pct']}% at the {'extraction (primary)' if ir['stage'] == 'extraction' else 'processing (refined)'} "
                        f"stage, EC 2023 study as transcribed by CritMAT (row '{ir['name']}', column {ir['column']}). "
                        "Secondary: NOT checked against the study PDF. Reference period 2016-2020 assumed as for the "
                        "study's other tables (NOT verified); crm:referenceYear is its last year."
                    ),
                ),
            ],
        )

    # ------------------------------------------------------------------ countries
    def write_countries(self):
        # codes from every reference file that names a supplier, party, issuer, HQ or facility country
        for rel, cols in [
            ("agreements.csv", ["partner_iso2"]),
            ("companies.csv", ["hq_iso2", "facility_iso2"]),
            ("more/companies.csv", ["hq_iso2", "facility_iso2"]),
            ("export_controls.csv", ["jurisdiction"]),
        ]:
            for r in read_csv(self.ref / rel):
                for c in cols:
                    for code in re.split(r"[;/+,]", r[c]):
                        code = code.strip()
                        if code:
                            assert re.fullmatch(r"[A-Z]{2}", code), (rel, c, code)
                            self.country_codes.add(code)
        for rel in ["production_shares.csv", "more/production_shares.csv"]:
            for r in read_csv(self.ref / rel):
                cc = r["country_iso2"].strip()
                if len(cc) == 2 and cc != "XX" and r["country_name"] and "(" not in r["country_name"]:
                    self.country_names[cc].add(r["country_name"].strip())
        self.country_codes |= set(EU27) | set(G7)
        # Wikidata + WGI
        qids: dict[str, str] = {}
        for r in read_csv(self.ref / "crosswalks/wikidata_ids.csv"):
            if r["entity_type"] == "country" and r["qid"]:
                qids[self.iso3_to_2[r["symbol_or_code"]]] = r["qid"]
                self.country_names[self.iso3_to_2[r["symbol_or_code"]]].add(r["label"])
        wgi_rows = read_csv(self.ref / "crosswalks/wgi.csv")
        for r in wgi_rows:
            a2 = self.iso3_to_2[r["iso3"]]
            if r["wikidata_qid"]:
                assert qids.get(a2, r["wikidata_qid"]) == r["wikidata_qid"], (a2, r["wikidata_qid"])
                qids[a2] = r["wikidata_qid"]
            self.country_names[a2].add(r["country_wb"])
            self.country_codes.add(a2)
        eu_qid = None
        for r in read_csv(self.ref / "crosswalks/wikidata_ids.csv"):
            if r["label"] == "European Union":
                eu_qid = r["qid"]

        out = [
            header(
                "countries, country groups and governance scores",
                (
                    "Every country that appears as a supplier, party, issuer, HQ or facility location in the reference, "
                    "all EU\nmembers and G7 members. ISO codes and names from ISO 3166-1 (Debian iso-codes); Wikidata ids "
                    "from\ncrosswalks/wikidata_ids.csv and crosswalks/wgi.csv (only where listed there). WGI 2023 from "
                    "crosswalks/wgi.csv."
                ),
            ),
            "# " + "=" * 100 + "\n# Country groups\n# " + "=" * 100 + "\n",
        ]
        out.append(
            block(
                qn("countrygroup", "EU"),
                ["crm:CountryGroup"],
                [
                    ("rdfs:label", lit("European Union", "en")),
                    ("skos:altLabel", [lit("EU", "en"), lit("EU-27", "en"), lit("EU27", "en")]),
                    ("crm:wikidataId", lit(eu_qid) if eu_qid else None),
                    ("owl:sameAs", qn("wd", eu_qid) if eu_qid else None),
                    (
                        "crm:note",
                        lit("The 27 member states since 1 February 2020 (after the United Kingdom's withdrawal)."),
                    ),
                ],
            )
        )
        out.append(
            block(
                qn("countrygroup", "G7"),
                ["crm:CountryGroup"],
                [
                    ("rdfs:label", lit("Group of Seven", "en")),
                    ("skos:altLabel", [lit("G7", "en"), lit("G-7", "en")]),
                    (
                        "crm:note",
                        lit(
                            "Canada, France, Germany, Italy, Japan, the United Kingdom and the United States; the "
                            "EU takes part in the G7 but is not a member."
                        ),
                    ),
                ],
            )
        )
        out.append("# " + "=" * 100 + "\n# Countries (by ISO 3166-1 alpha-2)\n# " + "=" * 100 + "\n")
        for cc in sorted(self.country_codes):
            c = self.iso[cc]
            label = COUNTRY_LABEL.get(cc) or c.get("common_name") or c["name"]
            alts = set(COUNTRY_ALT.get(cc, []))
            for n in [c["name"], c.get("common_name"), c.get("official_name"), *sorted(self.country_names.get(cc, []))]:
                if n and n != label:
                    alts.add(n)
            groups = []
            if cc in EU27:
                groups.append(qn("countrygroup", "EU"))
            if cc in G7:
                groups.append(qn("countrygroup", "G7"))
            note = None
            if cc == "XK":
                note = "XK / XKX are user-assigned codes (used by the EU and the World Bank), not ISO 3166-1."
            if cc == "GL":
                note = "Autonomous territory of the Kingdom of Denmark; not part of the EU (an overseas country and territory)."
            if cc == "TW":
                note = "ISO 3166-1 short name: 'Taiwan, Province of China'."
            out.append(
                block(
                    qn("country", cc),
                    ["crm:Country"],
                    [
                        ("rdfs:label", lit(label, "en")),
                        ("skos:altLabel", [lit(a, "en") for a in sorted(alts)]),
                        ("crm:iso2", lit(cc)),
                        ("crm:iso3", lit(c["alpha_3"])),
                        ("crm:memberOf", groups),
                        ("crm:wikidataId", lit(qids[cc]) if cc in qids else None),
                        ("owl:sameAs", qn("wd", qids[cc]) if cc in qids else None),
                        ("crm:source", qn("source", "ISO_3166_1_ISOCODES")),
                        ("crm:note", lit(note) if note else None),
                    ],
                )
            )
        out.append(
            "# "
            + "=" * 100
            + "\n# WGI governance scores (World Bank WGI 2024 update, estimates for 2023)\n# "
            + "=" * 100
            + "\n"
        )
        for r in sorted(wgi_rows, key=lambda r: self.iso3_to_2[r["iso3"]]):
            a2 = self.iso3_to_2[r["iso3"]]
            comps = ", ".join(
                f"{k}={r[c]}"
                for k, c in [
                    ("CC", "control_of_corruption"),
                    ("GE", "government_effectiveness"),
                    ("PV", "political_stability"),
                    ("RQ", "regulatory_quality"),
                    ("RL", "rule_of_law"),
                    ("VA", "voice_accountability"),
                ]
            )
            note = (
                f"Six WGI estimates (-2.5 worst .. +2.5 best): {comps}. wgiMean = their mean. wgiScaled = 5 - "
                f"2 x mean (0 best .. 10 worst), the EU supply-risk rescaling as implemented by CritMAT; "
                f"verification: estimates {r['verification']}, rescaling {r['scaled_verification']} "
                f"(see queries/EXPOSURE.md). {r['note']}"
            )
            out.append(
                block(
                    qn("wgi", f"{a2}-{r['year']}"),
                    ["crm:GovernanceScore"],
                    [
                        (
                            "rdfs:label",
                            lit(
                                f"WGI {r['year']} – {COUNTRY_LABEL.get(a2) or self.iso[a2].get('common_name') or self.iso[a2]['name']}",
                                "en",
                            ),
                        ),
                        ("crm:country", qn("country", a2)),
                        ("crm:referenceYear", str(int(r["year"]))),
                        ("crm:wgiMean", dec(Decimal(r["mean_6"]))),
                        ("crm:wgiScaled", dec(Decimal(r["wgi_scaled_0_10_eu"]))),
                        ("crm:source", [qn("source", s.strip()) for s in r["source_ids"].split(";")]),
                        ("crm:note", lit(note)),
                    ],
                )
            )
        (self.out / "countries.ttl").write_text("\n".join(out), encoding="utf-8")

    # ------------------------------------------------------------------ README generated blocks
    def update_readme(self):
        path = self.out / "README.md"
        if not path.exists():
            return
        text = path.read_text(encoding="utf-8")
        text = replace_block(text, "material-ids", self.material_table())
        text = replace_block(text, "sources", self.source_table())
        text = replace_block(text, "skipped", self.skipped_list())
        text = replace_block(text, "counts", self.counts())
        path.write_text(text, encoding="utf-8")

    def counts(self) -> str:
        world = sum(1 for s in self.shares if s["scope"] == "world")
        eu = len(self.shares) - world
        n_mat = sum(1 for m in MATERIALS if m["kind"] == "material")
        n_grp = sum(1 for m in MATERIALS if m["kind"] == "group")
        n_int = sum(1 for m in MATERIALS if m["kind"] == "intermediate")
        return (
            "\n".join(
                [
                    f"- materials: {len(MATERIALS)} ({n_mat} crm:Material, {n_grp} crm:MaterialGroup, {n_int} crm:Intermediate); "
                    f"34 flagged critical, 17 strategic",
                    f"- supply shares: {len(self.shares)} ({world} world, {eu} EU sourcing); supply gaps: {len(self.gaps)}; "
                    f"import reliance: {len(self.irs)}",
                    f"- sources: {len(self.sources)}; countries: {len(self.country_codes)}; WGI scores: "
                    f"{len(read_csv(self.ref / 'crosswalks/wgi.csv'))}",
                ]
            )
            + "\n"
        )

    def material_table(self) -> str:
        rows = [
            "| id | label | class | critical / strategic (Annex wording) | member of | used in |",
            "|---|---|---|---|---|---|",
        ]
        order = {"group": 0, "material": 1, "intermediate": 2}
        for m in sorted(MATERIALS, key=lambda m: (order[m["kind"]], m["slug"])):
            flags = []
            if m["crit"]:
                flags.append(f"C: {m['crit']}")
            if m["strat"]:
                flags.append(f"S: {m['strat']}")
            rows.append(
                f"| `{mat_ref(m['slug'])}` | {m['label']} | {m['kind']} | {'; '.join(flags)} | "
                f"{', '.join(m['groups'])} | {', '.join(m['used'])} |"
            )
        return "\n".join(rows) + "\n"

    def source_table(self) -> str:
        rows = ["| id | publisher | title | year |", "|---|---|---|---|"]
        for sid in sorted(self.sources):
            r = self.sources[sid]
            y = self.source_year(sid) or ""
            rows.append(f"| `{sid}` | {md(r['publisher'])} | {md(r['title'])} | {y} |")
        return "\n".join(rows) + "\n"

    def skipped_list(self) -> str:
        return "\n".join(f"- {md(s)}" for s in self.skipped) + "\n"

    def run(self):
        self.out.mkdir(parents=True, exist_ok=True)
        self.load_sources()
        self.write_stages()
        self.write_materials()
        self.load_supply()
        self.write_supply()
        self.write_countries()
        self.write_sources()
        self.update_readme()
        print(self.counts(), end="")
        print(f"- rows left out: {len(self.skipped)}")


# =============================================================================================
# small helpers
# =============================================================================================

STAGE_ORDER = {s[0]: i for i, s in enumerate(STAGES)}
EC_PERIOD_CLAUSE = (
    "; ref_year = usual 5-yr averaging period of the 2023 assessment – period NOT verified in retrieved text"
)


def share_sort_key(s):
    return (
        s["material"],
        STAGE_ORDER[s["stage"]],
        s["scope"] != "world",
        s["year"],
        -s["share"],
        s["country"],
        sorted(s["sources"]),
    )


def item_sort_key(kind, x):
    if kind == "share":
        return (
            STAGE_ORDER[x["stage"]],
            0,
            x["scope"] != "world",
            x["year"],
            -x["share"],
            x["country"],
            sorted(x["sources"]),
        )
    if kind == "gap":
        return (STAGE_ORDER[x["stage"]], 1, False, 0, 0, "", [])
    return (STAGE_ORDER[x["stage"]], 2, False, x["year"], 0, "", [])


def fmt_num(v: str) -> str:
    try:
        d = Decimal(v)
    except Exception:
        return v
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,}"


def md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def short_label(sid: str, r: dict) -> str:
    title = r["title"].strip()
    m = re.match(r"^USGS_MCS(\d{4})_(.+)$", sid)
    if m and "–" in title:
        return f"USGS MCS {m.group(1)} – {title.split('–', 1)[1].strip()}"
    if m:
        return f"USGS MCS {m.group(1)} – {m.group(2).title()}"
    pub = r["publisher"].strip()
    short_pub = {
        "European Commission": "EC",
        "International Energy Agency": "IEA",
        "U.S. Geological Survey": "USGS",
        "European Court of Auditors": "ECA",
    }.get(pub)
    t = title if len(title) <= 70 else title[:67].rsplit(" ", 1)[0] + "…"
    if short_pub and not t.startswith(short_pub):
        t = f"{short_pub}: {t}"
    return t


def replace_block(text: str, name: str, content: str) -> str:
    begin, end = f"<!-- BEGIN generated: {name} -->", f"<!-- END generated: {name} -->"
    if begin not in text or end not in text:
        return text
    pre, rest = text.split(begin, 1)
    _, post = rest.split(end, 1)
    return f"{pre}{begin}\n{content}{end}{post}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference", type=Path, help="path to shared/reference/")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1], help="output dir (data/)")
    ap.add_argument("--iso-codes", type=Path, default=Path("/usr/share/iso-codes/json/iso_3166-1.json"))
    ap.add_argument(
        "--critmat-ir",
        type=Path,
        default=None,
        help="local copy of CritMAT input_data/seeds/eureport_results.csv (import reliance)",
    )
    a = ap.parse_args(argv)
    Builder(a.reference, a.out, a.iso_codes, a.critmat_ir).run()


if __name__ == "__main__":
    sys.exit(main())
