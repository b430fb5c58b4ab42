"""The exposure model (queries/EXPOSURE.md): how the reports rank the materials a target depends on, and why.

Pure logic, no database: the reports fill `MaterialExposure` from the rows of the packs upstream_chains,
material_concentration and material_profile, and `rank` orders them. The rule, anchored on the EU supply-risk
method (shared with the docs and the tests):

- concentration: at each stage, the governance- and trade-weighted HHI of world shares (HHI_WGI,t: share^2 x
  WGI/10 x t, t = 1.5 for a country with an export control in force on the material); the bottleneck stage is the
  one where it is highest, as the EU method keeps the worse of extraction and processing;
- role: a material that reaches the target only through links marked additive (a dopant, a minor alloying
  addition) weighs half as much as one that is a main constituent of some chain;
- score = bottleneck HHI_WGI,t x role weight; ties are broken by export controls in force that cover the material
  itself (or its group), then main constituents first, then the larger top share, then the name.

Materials without world-share figures up to the as-of date have no score and come last, said so in their row.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ADDITIVE_WEIGHT = 0.5
STALE_AFTER_YEARS = 5  # a figure older than this, counted from the as-of year, is called out as old


@dataclass(frozen=True)
class StageFigures:
    """The latest world-share figures of one material at one stage, as material_concentration gives them."""

    stage: str
    year: int
    source: str
    coverage: float
    top_country: str | None
    top_share: float | None
    hhi: float | None
    hhi_min: float
    hhi_max: float
    hhi_wgi_t: float
    restricted_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaterialExposure:
    """One material upstream of a target: how it is reached (chains), how its supply is concentrated (stages), and
    what else is known about it on the as-of date (controls, import reliance, substitutes)."""

    material: str
    kind: str = "Material"
    hops: int = 0
    chains: int = 0
    main_chains: int = 0
    path: tuple[str, ...] = ()
    stages: tuple[StageFigures, ...] = ()
    controls: tuple[str, ...] = ()
    controls_via: tuple[str, ...] = ()
    controls_direct: int = 0
    import_reliance: float | None = None
    substitutes: tuple[str, ...] = field(default=())

    @property
    def role(self) -> str:
        """"main" when some chain has no link marked additive, else "additive"."""
        return "additive" if self.chains > 0 and self.main_chains == 0 else "main"

    @property
    def bottleneck(self) -> StageFigures | None:
        if not self.stages:
            return None
        return max(self.stages, key=lambda s: (s.hhi_wgi_t, s.top_share or 0.0, -_stage_order(s.stage)))

    @property
    def score(self) -> float | None:
        worst = self.bottleneck
        if worst is None:
            return None
        return worst.hhi_wgi_t * (ADDITIVE_WEIGHT if self.role == "additive" else 1.0)

    def reasons(self, as_of: dt.date) -> str:
        """Why the row ranks where it does, in a few words."""
        parts = []
        worst = self.bottleneck
        if worst is None:
            parts.append(f"no world-share figures up to {as_of.year}")
        else:
            top = f"{worst.top_country} {percent(worst.top_share)}" if worst.top_country else "no country named"
            age = as_of.year - worst.year
            old = f", {age} years old" if age > STALE_AFTER_YEARS else ""
            parts.append(f"{worst.stage}: {top} ({worst.year}{old})")
            if worst.hhi is None:
                parts.append(f"figures cover {percent(worst.coverage)} of world output")
            if worst.restricted_by:
                parts.append(f"export control in force ({', '.join(worst.restricted_by)})")
        if self.controls and not (worst and worst.restricted_by):
            parts.append(f"{len(self.controls)} export control(s) in force on it or what is made from it")
        if self.role == "additive":
            parts.append("enters only as an additive")
        if self.import_reliance is not None:
            parts.append(f"EU import reliance {percent(self.import_reliance)}")
        if not self.substitutes:
            parts.append("no known substitute")
        return "; ".join(parts)


def rank(materials: Iterable[MaterialExposure]) -> list[MaterialExposure]:
    """Worst first, by the rule in the module docstring."""

    def key(m: MaterialExposure) -> tuple[int, float, int, int, float, str]:
        score = m.score
        worst = m.bottleneck
        return (
            0 if score is not None else 1,
            -(score or 0.0),
            0 if m.controls_direct else 1,
            0 if m.role == "main" else 1,
            -((worst.top_share if worst else None) or 0.0),
            m.material,
        )

    return sorted(materials, key=key)


def stage_figures(rows: Sequence[Mapping[str, Any]]) -> dict[str, tuple[StageFigures, ...]]:
    """material_concentration's rows (as dicts) grouped by material."""
    grouped: dict[str, list[StageFigures]] = {}
    for row in rows:
        grouped.setdefault(str(row["material"]), []).append(
            StageFigures(
                stage=str(row["stage"]),
                year=int(row["year"]),
                source=str(row["source"]),
                coverage=float(row["coverage"]),
                top_country=row["top_country"],
                top_share=row["top_share"],
                hhi=row["hhi"],
                hhi_min=float(row["hhi_min"]),
                hhi_max=float(row["hhi_max"]),
                hhi_wgi_t=float(row["hhi_wgi_t"]),
                restricted_by=tuple(row["restricted_by"] or ()),
            )
        )
    return {material: tuple(figures) for material, figures in grouped.items()}


# The value chain's stages in order (the last segment of each stage's uri); the report forms offer the same.
STAGES = ("extraction", "processing", "intermediate-manufacturing", "component-manufacturing", "assembly", "recycling")


def _stage_order(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def percent(fraction: float | None) -> str:
    """A fraction as people read it: 0.849 → "84.9%" (one decimal at most); None → "?". The one rule the reports'
    reasons and their tables share (kg.render.report_values)."""
    if fraction is None:
        return "?"
    if not math.isfinite(fraction):
        return str(fraction)
    text = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}%"
