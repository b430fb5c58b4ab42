"""The canned reports of kg.reports.builders as a catalogue, for forms (the graph browser): each report's name, title,
description and typed parameters, and a builder `(ReportContext, params) -> Report`.

Parameters are checked here, before any query runs, so that a bad value is one line naming the parameter
(`ReportParamError`) rather than a database error: types are string, integer (within bounds), date (YYYY-MM-DD) and
choice (one of a fixed list). An optional parameter left out, null or empty takes its default.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kg.core.errors import InvalidRequest, NotFound
from kg.core.suggest import closest
from kg.cypher.names import resolve
from kg.reports import builders as reports
from kg.reports.builders import ReportContext
from kg.reports.exposure import STAGES
from kg.reports.output import Report

ParamType = Literal["string", "integer", "date", "choice"]
Builder = Callable[[ReportContext, Mapping[str, Any]], Report]
EXPOSURE_KINDS = ("Product", "Component", "Sector", "Company")


MAX_HOPS = (1, 12)  # the bounds of every max_hops, as `kg reports … --max-hops` has them
# Only the calendar date: Python 3.11's fromisoformat also takes 20250601 and 2025-W23-1, which packs comparing
# date strings would then get wrong. ASCII digits only (\d would take other scripts' digits too).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[+-]?[0-9]+")


class ReportParamError(InvalidRequest):
    """A report parameter that is missing, unknown or of the wrong type; the message names it."""


def parse_date(where: str, value: Any) -> dt.date:
    """A date given as YYYY-MM-DD (surrounding blanks aside); InvalidRequest naming `where` otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # 2025-02-30
    raise InvalidRequest(f"{where} must be a date YYYY-MM-DD, not {value!r}")


def whole_number(where: str, value: Any, lowest: int | None = None, highest: int | None = None) -> int:
    """A whole number within bounds (None: unbounded), given as a JSON number or as text (a form's field, a query
    string); InvalidRequest naming `where` otherwise. Text is plain digits: no `1_000`, no digits of other scripts."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()) and len(value.strip()) <= 30:
        number = int(value.strip())
    bounds = f" from {lowest} to {highest}" if lowest is not None and highest is not None else ""
    if number is None:
        raise InvalidRequest(f"{where} must be a whole number{bounds}, not {value!r}")
    if (lowest is not None and number < lowest) or (highest is not None and number > highest):
        raise InvalidRequest(f"{where} must be from {lowest} to {highest}, not {number}")
    return number


@dataclass(frozen=True)
class ReportParam:
    """One parameter of a canned report. `default` is what an optional one takes when not given; None for a
    date means today."""

    name: str
    type: ParamType
    label: str
    example: Any
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "label": self.label,
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

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_json() for p in self.params],
        }


def _hops(default: int) -> ReportParam:
    return ReportParam(
        "max_hops",
        "integer",
        f"Steps to follow (default: {default})",
        default,
        default=default,
        minimum=MAX_HOPS[0],
        maximum=MAX_HOPS[1],
    )


def _as_of() -> ReportParam:
    return ReportParam("as_of", "date", "As of (default: today)", "2025-06-01")


CATALOGUE: tuple[CatalogueReport, ...] = (
    CatalogueReport(
        "dependencies",
        "Dependencies of a material",
        "Everything downstream of a material or of a group's members, each with its number of chains and the "
        "shortest one.",
        (ReportParam("material", "string", "Material or material group", "gallium", required=True), _hops(6),
         _as_of()),
        lambda c, p: reports.dependencies(c, p["material"], p["max_hops"], p["as_of"]),
    ),
    CatalogueReport(
        "exposure",
        "Exposure of a product, component, sector or company",
        "The materials upstream, ranked by how concentrated their supply is at the worst stage (weighted by "
        "governance and export controls in force), main constituents before additives, each with its reasons.",
        (
            ReportParam("kind", "choice", "What it is", "Component", required=True, choices=EXPOSURE_KINDS),
            ReportParam("name", "string", "Its name", "Wheel-speed sensor", required=True),
            _hops(8),
            _as_of(),
        ),
        lambda c, p: reports.exposure(c, resolve(c.connection, p["kind"], p["name"]), p["max_hops"], p["as_of"]),
    ),
    CatalogueReport(
        "chains",
        "Chains from a material to a target",
        "The chains through which a product, component, sector or company depends on one material, "
        f"{reports.CHAINS_PAGE} a page.",
        (
            ReportParam("material", "string", "Material", "dysprosium", required=True),
            ReportParam("kind", "choice", "What it goes into", "Component", required=True, choices=EXPOSURE_KINDS),
            ReportParam("name", "string", "Its name", "Wheel-speed sensor", required=True),
            _hops(8),
            ReportParam("page", "integer", "Page (default: 1)", 1, default=1, minimum=1, maximum=1_000_000),
        ),
        lambda c, p: reports.chains(
            c, p["material"], resolve(c.connection, p["kind"], p["name"]), p["max_hops"], p["page"]
        ),
    ),
    CatalogueReport(
        "concentration",
        "Concentration of supply",
        "The top producing country, the HHI, the CRMA's 65% benchmark and the governance-weighted concentration, "
        "per material and stage.",
        (
            ReportParam("stage", "choice", "Stage (default: every stage)", "processing", default="", choices=STAGES),
            ReportParam("material", "string", "Material or group (default: every material)", "gallium", default=""),
            _as_of(),
        ),
        lambda c, p: reports.concentration(c, p["stage"], p["material"], p["as_of"]),
    ),
    CatalogueReport(
        "scenario",
        "Export-control scenario",
        "The export controls of a country in force on a date for a material, what they reach, the EU companies "
        "exposed, other producers and substitutes.",
        (
            ReportParam("country", "string", "Issuing country (default: CN)", "CN", default="CN"),
            ReportParam("material", "string", "Material", "dysprosium", required=True),
            _as_of(),
        ),
        lambda c, p: reports.scenario(c, p["country"], p["material"], p["as_of"]),
    ),
    CatalogueReport(
        "agreements",
        "EU agreements and producers",
        "Which strategic materials EU agreements cover with the countries that produce them, and the gaps.",
        (ReportParam("material", "string", "Strategic material (default: all)", "lithium", default=""),),
        lambda c, p: reports.agreements(c, p["material"]),
    ),
    CatalogueReport(
        "ownership",
        "Ownership by country",
        "The companies a country controls, directly or through a chain of control, and what they make.",
        (ReportParam("country", "string", "Controlling country", "CN", required=True),),
        lambda c, p: reports.ownership(c, p["country"]),
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
            raise ReportParamError(f"parameter {param.name} of report {report} is required")
        return dt.date.today() if param.type == "date" and param.default is None else param.default
    where = f"parameter {param.name} of report {report}"
    if param.type == "integer":
        try:
            return whole_number(where, value, param.minimum, param.maximum)
        except InvalidRequest as error:
            raise ReportParamError(str(error)) from None
    if not isinstance(value, str):
        raise ReportParamError(f"{where} must be a string, not {value!r}")
    text = value.strip()
    if param.type == "date":
        try:
            return parse_date(where, value)
        except InvalidRequest as error:
            raise ReportParamError(str(error)) from None
    if param.type == "choice":
        by_lower = {choice.lower(): choice for choice in param.choices}
        if text.lower() not in by_lower:
            raise ReportParamError(f"{where} must be one of {', '.join(param.choices)}, not {value!r}")
        return by_lower[text.lower()]
    return text
