"""The kinds of node a person sees (a material, a component, a country, ...): which kind a node's labels make it,
in what order kinds are listed, and which of several nodes of one name is meant. For the reports and the graph
browser alike (web/API.md: KINDS)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

# Each kind with its human label, in legend order (web/API.md, KINDS).
KINDS: tuple[tuple[str, str], ...] = (
    ("Material", "material"),
    ("Intermediate", "intermediate"),
    ("MaterialGroup", "material group"),
    ("Component", "component"),
    ("Product", "product"),
    ("Sector", "sector"),
    ("Country", "country"),
    ("CountryGroup", "country group"),
    ("Company", "company"),
    ("Facility", "facility"),
    ("Agreement", "agreement"),
    ("Regulation", "regulation"),
    ("Benchmark", "benchmark"),
    ("ExportControl", "export control"),
    ("Stage", "value-chain stage"),
    ("Source", "source"),
    ("SupplyShare", "supply share"),
    ("Event", "event"),
    ("Other", "other"),
)
# Label -> kind, most specific first: an intermediate and a material group are also labelled Material, and a
# strategic partnership is drawn as the agreement it is.
_SPECIFIC_FIRST: tuple[tuple[str, str], ...] = (
    ("Intermediate", "Intermediate"),
    ("MaterialGroup", "MaterialGroup"),
    ("Material", "Material"),
    ("Component", "Component"),
    ("Product", "Product"),
    ("Sector", "Sector"),
    ("CountryGroup", "CountryGroup"),
    ("Country", "Country"),
    ("Company", "Company"),
    ("Facility", "Facility"),
    ("Agreement", "Agreement"),
    ("StrategicPartnership", "Agreement"),
    ("Regulation", "Regulation"),
    ("Benchmark", "Benchmark"),
    ("ExportControl", "ExportControl"),
    ("Stage", "Stage"),
    ("Source", "Source"),
    ("SupplyShare", "SupplyShare"),
    ("Event", "Event"),
)
# What search and the neighbourhood show: the value chain itself, not the n-ary facts, their sources or the
# ontology's own terms.
VALUE_CHAIN_LABELS: tuple[str, ...] = tuple(
    dict.fromkeys(label for label, kind in _SPECIFIC_FIRST if kind not in ("Source", "SupplyShare"))
)


def kind_of(labels: Iterable[str]) -> str:
    """The most specific KIND of a node with these labels, else "Other"."""
    present = set(labels)
    return next((kind for label, kind in _SPECIFIC_FIRST if label in present), "Other")


_KIND_RANK: Mapping[str, int] = MappingProxyType({kind: rank for rank, (kind, _) in enumerate(KINDS)})


def kind_rank(kind: str) -> int:
    """Lower is a more telling kind for a name that several nodes carry; Other comes last."""
    return _KIND_RANK.get(kind, len(KINDS)) if kind != "Other" else len(KINDS) + 1


def pick_named(rows: Iterable[Sequence[Any]]) -> dict[str, tuple[str, list[str]]]:
    """Name -> (uri, labels) from browse_nodes_named rows: where several nodes carry a name, the one of the most
    telling kind (a path's "gallium metal" is the intermediate, not the export control's item of that name)."""
    best: dict[str, tuple[str, list[str]]] = {}
    for uri, name, labels in rows:
        current = best.get(name)
        if current is None or kind_rank(kind_of(labels)) < kind_rank(kind_of(current[1])):
            best[name] = (uri, list(labels))
    return best


# One colour per kind of node, shared by the report HTML's path views and the graph browser's legend (kg browse,
# GET /api/info), so that a kind looks the same everywhere. Families share a hue (a material group is a darker
# material, a country group a darker country) and neighbours on the value chain differ in lightness as well as hue, so
# that the kinds stay apart with red-green colour blindness too. Read-only, so that no caller changes it for others.
KIND_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "Material": "#f0b65a",
        "Intermediate": "#f3d27a",
        "MaterialGroup": "#c98a1e",
        "Component": "#8bbbe3",
        "Product": "#94d19a",
        "Sector": "#c3a3e0",
        "Country": "#b3c0cf",
        "CountryGroup": "#7d8ea3",
        "Company": "#e7a08f",
        "Facility": "#9b7b62",
        "Agreement": "#4fb3a1",
        "Regulation": "#3f6fb5",
        "Benchmark": "#a7b8e8",
        "ExportControl": "#d1453b",
        "Stage": "#e6dcc3",
        "Source": "#8c8c8c",
        "SupplyShare": "#f2c6de",
        "Event": "#b05d94",
    }
)
OTHER_COLOUR = "#d3d9e0"
