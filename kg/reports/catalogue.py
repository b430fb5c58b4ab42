"""The canned reports of kg.reports.builders as a catalogue, the one definition of each report that its callers (the
graph browser's forms, the command line) are made from: its name, title, description and typed parameters, and a
builder `(ReportContext, params) -> Report`.

Parameters are checked here, before any query runs, so that a bad value is one line naming the parameter
(`ReportParamError`) rather than a database error: types are string, integer (within bounds), date (YYYY-MM-DD) and
choice (one of a fixed list). An optional parameter left out, null or empty takes its default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kg.core.errors import NotFound, ReportParamError
from kg.core.suggest import closest
from kg.core.values import MAX_HOPS, as_date, as_whole_number
from kg.reports.exposure import STAGES
from kg.reports.model import CHAINS_PAGE, Report

if TYPE_CHECKING:
    from types import ModuleType

    from kg.cypher.names import ResolvedName
    from kg.reports.builders import ReportContext

ParamType = Literal["string", "integer", "date", "choice"]
Builder = Callable[["ReportContext", Mapping[str, Any]], Report]
EXPOSURE_KINDS = ("Product", "Component", "Sector", "Company")


def _builders() -> ModuleType:
    """The report builders, imported when a report is built: they run queries, and the driver takes a third of a
    second to import, which listing the reports (`kg --help`, the page's forms) need not pay."""
    from kg.reports import builders

    return builders


def _resolve(context: ReportContext, kind: str, name: str) -> ResolvedName:
    from kg.cypher.names import resolve

    return resolve(context.connection, kind, name)


@dataclass(frozen=True)
class ReportParam:
    """One parameter of a canned report: `label` captions a form's field, `help` says what it takes. `default` is
    what an optional one takes when not given; None for a date means today. A choice that says what kind of thing
    another parameter names (`kind_of`: that parameter's name) lets a caller ask for one value per choice instead
    ("the component X" rather than "kind: Component, name: X")."""

    name: str
    type: ParamType
    label: str
    help: str
    example: Any
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    kind_of: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "help": self.help,
            "example": self.example,
            "required": self.required,
            "choices": list(self.choices),
        }


@dataclass(frozen=True)
class CatalogueReport:
    name: str
    title: str
    description: str
    params: tuple[ReportParam, ...]
    build: Builder

    @property
    def paged(self) -> bool:
        """Whether the report comes a page at a time (a `page` parameter): its sections are never cut further."""
        return any(p.name == "page" for p in self.params)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_json() for p in self.params],
        }


def _hops(default: int, help: str) -> ReportParam:
    return ReportParam(
        "max_hops",
        "integer",
        f"Steps to follow (default: {default})",
        help,
        default,
        default=default,
        minimum=MAX_HOPS[0],
        maximum=MAX_HOPS[1],
    )


def _as_of() -> ReportParam:
    return ReportParam(
        "as_of", "date", "As of (default: today)", "The date to look at, YYYY-MM-DD (default: today).", "2025-06-01"
    )


def _target(what: str) -> tuple[ReportParam, ReportParam]:
    """The product, component, sector or company a report is about: its kind and its name."""
    return (
        ReportParam(
            "kind",
            "choice",
            what,
            "What kind of thing it is.",
            "Component",
            required=True,
            choices=EXPOSURE_KINDS,
            kind_of="name",
        ),
        ReportParam(
            "name", "string", "Its name", "Its name or an alternative label.", "Wheel-speed sensor", required=True
        ),
    )


_MATERIAL = "A material's name or alternative label."
_MATERIAL_OR_GROUP = "A material's or a material group's name or alternative label."

CATALOGUE: tuple[CatalogueReport, ...] = (
    CatalogueReport(
        "dependencies",
        "Dependencies of a material",
        "Everything downstream of a material or of a group's members, each with its number of chains and the "
        "shortest one.",
        (
            ReportParam(
                "material", "string", "Material or material group", _MATERIAL_OR_GROUP, "gallium", required=True
            ),
            _hops(6, "How far downstream to look."),
            _as_of(),
        ),
        lambda c, p: _builders().dependencies(c, p["material"], p["max_hops"], p["as_of"]),
    ),
    CatalogueReport(
        "exposure",
        "Exposure of a product, component, sector or company",
        "The materials upstream, ranked by how concentrated their supply is at the worst stage (weighted by "
        "governance and export controls in force), main constituents before additives, each with its reasons.",
        (*_target("What it is"), _hops(8, "How far upstream to look."), _as_of()),
        lambda c, p: _builders().exposure(c, _resolve(c, p["kind"], p["name"]), p["max_hops"], p["as_of"]),
    ),
    CatalogueReport(
        "chains",
        "Chains from a material to a target",
        "The chains through which a product, component, sector or company depends on one material, "
        f"{CHAINS_PAGE} a page.",
        (
            ReportParam("material", "string", "Material", _MATERIAL, "dysprosium", required=True),
            *_target("What it goes into"),
            _hops(8, "The longest chain listed."),
            ReportParam(
                "page",
                "integer",
                "Page (default: 1)",
                f"Which page of {CHAINS_PAGE} chains.",
                1,
                default=1,
                minimum=1,
                maximum=1_000_000,
            ),
        ),
        lambda c, p: _builders().chains(
            c, p["material"], _resolve(c, p["kind"], p["name"]), p["max_hops"], p["page"]
        ),
    ),
    CatalogueReport(
        "concentration",
        "Concentration of supply",
        "The top producing country, the HHI, the CRMA's 65% benchmark and the governance-weighted concentration, "
        "per material and stage.",
        (
            ReportParam(
                "stage",
                "choice",
                "Stage (default: every stage)",
                f"One stage: {', '.join(STAGES)} (default: every stage).",
                "processing",
                default="",
                choices=STAGES,
            ),
            ReportParam(
                "material",
                "string",
                "Material or group (default: every material)",
                "One material or group (default: every material).",
                "gallium",
                default="",
            ),
            _as_of(),
        ),
        lambda c, p: _builders().concentration(c, p["stage"], p["material"], p["as_of"]),
    ),
    CatalogueReport(
        "scenario",
        "Export-control scenario",
        "The export controls of a country in force on a date for a material, what they reach, the EU companies "
        "exposed, other producers and substitutes.",
        (
            ReportParam(
                "country",
                "string",
                "Issuing country (default: CN)",
                "The issuing country: ISO code or name.",
                "CN",
                default="CN",
            ),
            ReportParam("material", "string", "Material", _MATERIAL, "dysprosium", required=True),
            _as_of(),
        ),
        lambda c, p: _builders().scenario(c, p["country"], p["material"], p["as_of"]),
    ),
    CatalogueReport(
        "agreements",
        "EU agreements and producers",
        "Which strategic materials EU agreements cover with the countries that produce them, and the gaps.",
        (
            ReportParam(
                "material",
                "string",
                "Strategic material (default: all)",
                "One strategic material (default: all).",
                "lithium",
                default="",
            ),
        ),
        lambda c, p: _builders().agreements(c, p["material"]),
    ),
    CatalogueReport(
        "ownership",
        "Ownership by country",
        "The companies a country controls, directly or through a chain of control, and what they make.",
        (
            ReportParam(
                "country",
                "string",
                "Controlling country",
                "ISO code or name of the controlling country.",
                "CN",
                required=True,
            ),
        ),
        lambda c, p: _builders().ownership(c, p["country"]),
    ),
)


def find_report(name: str) -> CatalogueReport:
    for entry in CATALOGUE:
        if entry.name == name:
            return entry
    names = [entry.name for entry in CATALOGUE]
    suggestions = tuple(closest(name, names))
    raise NotFound(f"no report named {name!r}; the reports are {', '.join(names)}", suggestions)


def check_report_params(entry: CatalogueReport, given: Mapping[str, Any]) -> dict[str, Any]:
    """The values to build the report with, each checked and converted (a date to `datetime.date`)."""
    known = {p.name for p in entry.params}
    unknown = sorted(set(given) - known)
    if unknown:
        takes = ", ".join(p.name for p in entry.params)
        raise ReportParamError(f"report {entry.name} has no parameter {unknown[0]!r}; it takes {takes}")
    return {p.name: check_value(entry.name, p, given.get(p.name)) for p in entry.params}


def check_value(report: str, param: ReportParam, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        if param.required:
            raise ReportParamError(f"parameter {param.name} of report {report} is required", param.name, "is required")
        return dt.date.today() if param.type == "date" and param.default is None else param.default
    try:
        return _converted(param, value)
    except ValueError as problem:
        message = f"parameter {param.name} of report {report} {problem}"
        raise ReportParamError(message, param.name, str(problem)) from None


def _converted(param: ReportParam, value: Any) -> Any:
    if param.type == "integer":
        return as_whole_number(value, param.minimum, param.maximum)
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {value!r}")
    if param.type == "date":
        return as_date(value)
    if param.type == "choice":
        by_lower = {choice.lower(): choice for choice in param.choices}
        if value.strip().lower() not in by_lower:
            raise ValueError(f"must be one of {', '.join(param.choices)}, not {value!r}")
        return by_lower[value.strip().lower()]
    return value.strip()
