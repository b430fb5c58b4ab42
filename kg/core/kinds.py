"""The kinds of node a person sees (a material, a component, a country, ...): which kind a node's labels make it,
in what order kinds are listed, and which of several nodes of one name is meant. For the reports and the graph
browser alike (web/API.md: KINDS)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Kind:
    """A kind of node: its name (the label that makes it), what a person calls it, its colour, the other labels
    that make a node this kind, and the kind it is a special case of (whose label its nodes carry too)."""

    name: str
    human: str
    colour: str
    also: tuple[str, ...] = ()
    specialises: str | None = None


# Every kind, once, in legend order (web/API.md, KINDS). The colours are shared by the report HTML's path views and
# the graph browser's legend (GET /api/info), so that a kind looks the same everywhere. Families share a hue (a
# material group is a darker material, a country group a darker country) and neighbours on the value chain differ in
# lightness as well as hue, so that the kinds stay apart with red-green colour blindness too.
ALL_KINDS: tuple[Kind, ...] = (
    Kind("Material", "material", "#f0b65a"),
    Kind("Intermediate", "intermediate", "#f3d27a", specialises="Material"),
    Kind("MaterialGroup", "material group", "#c98a1e", specialises="Material"),
    Kind("Component", "component", "#8bbbe3"),
    Kind("Product", "product", "#94d19a"),
    Kind("Sector", "sector", "#c3a3e0"),
    Kind("Country", "country", "#b3c0cf"),
    Kind("CountryGroup", "country group", "#7d8ea3", specialises="Country"),
    Kind("Company", "company", "#e7a08f"),
    Kind("Facility", "facility", "#9b7b62"),
    Kind("Agreement", "agreement", "#4fb3a1", also=("StrategicPartnership",)),  # drawn as the agreement it is
    Kind("Regulation", "regulation", "#3f6fb5"),
    Kind("Benchmark", "benchmark", "#a7b8e8"),
    Kind("ExportControl", "export control", "#d1453b"),
    Kind("Stage", "value-chain stage", "#e6dcc3"),
    Kind("Source", "source", "#8c8c8c"),
    Kind("SupplyShare", "supply share", "#f2c6de"),
    Kind("Event", "event", "#b05d94"),
)
OTHER = Kind("Other", "other", "#d3d9e0")

# Each kind with its human label, in legend order, Other last.
KINDS: tuple[tuple[str, str], ...] = tuple((kind.name, kind.human) for kind in (*ALL_KINDS, OTHER))
KIND_COLOURS: Mapping[str, str] = MappingProxyType({kind.name: kind.colour for kind in ALL_KINDS})
OTHER_COLOUR = OTHER.colour


def _specific_first() -> tuple[tuple[str, str], ...]:
    """Label -> kind, each special case before the kind it specialises (an intermediate is labelled Material too)."""
    place = {kind.name: position for position, kind in enumerate(ALL_KINDS)}

    def order(kind: Kind) -> tuple[int, int, int]:
        family = place[kind.specialises] if kind.specialises else place[kind.name]
        return family, 0 if kind.specialises else 1, place[kind.name]

    return tuple(
        (label, kind.name) for kind in sorted(ALL_KINDS, key=order) for label in (kind.name, *kind.also)
    )


_SPECIFIC_FIRST = _specific_first()
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
