"""The canned dependency reports, built on the query packs: each runs pack queries and arranges their rows as a
`Report` (kg.report_output writes it as a table, JSON, CSV, Markdown or HTML).

Names are resolved first (kg.names: case-insensitive on a name or an alternative label; an unknown name fails with
the closest ones), then passed to the queries as the node's own name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.browse_graph import kind_of, pick_named
from kg.connection import Connection
from kg.errors import KgError
from kg.names import ResolvedName, resolve
from kg.packs import Query
from kg.querying import QueryResult, run_query
from kg.report_output import Chart, PathView, Report, Section, SourceRef
from kg.resources import internal_cypher

CRMA_SINGLE_COUNTRY_LIMIT = 0.65


class ReportError(KgError):
    """A report that cannot be made as asked."""


@dataclass(frozen=True)
class RanQuery:
    """One query a report ran, as an analyst would paste it into `kg shell` or Neo4j Browser."""

    name: str
    text: str
    params: Mapping[str, Any]


def run_recorded(
    connection: Connection,
    record: list[RanQuery] | None,
    name: str,
    text: str,
    parameters: Mapping[str, Any],
    max_rows: int | None = None,
) -> QueryResult:
    """Run a query read-only, first appending it to `record` (if given): the one place that records what ran, for
    the reports and the graph browser alike."""
    if record is not None:
        record.append(RanQuery(name, text, dict(parameters)))
    return run_query(connection, text, parameters, max_rows=max_rows)


@dataclass(frozen=True)
class ReportContext:
    """What a report runs its queries with. Given a `record` list, each query run is appended to it in order (the
    graph browser shows the Cypher behind a report); the report itself is the same either way."""

    connection: Connection
    queries: Mapping[str, Query]
    record: list[RanQuery] | None = field(default=None, compare=False)

    def run(self, name: str, /, **parameters: Any) -> QueryResult:
        query = self.queries.get(name)
        if query is None:
            # the packs installed lack one: the server's (or the installation's) fault, not the request's
            raise KgError(f"the report needs query {name!r}, which no pack provides")
        return self._run(name, query.text, query.check_parameters(parameters))

    def internal(self, name: str, /, **parameters: Any) -> QueryResult:
        """One of kg's own queries (kg/cypher), not an analyst's pack."""
        return self._run(name, internal_cypher(name), parameters)

    def _run(self, name: str, text: str, parameters: Mapping[str, Any]) -> QueryResult:
        return run_recorded(self.connection, self.record, name, text, parameters)

    def sources(self, titles: Iterable[str]) -> list[SourceRef]:
        wanted = sorted({t for t in titles if t})
        if not wanted:
            return []
        result = self.internal("sources_by_title", titles=wanted)
        return [SourceRef(row[0], row[1] or (), row[2], row[3]) for row in result.rows]

    def path_view(self, result: QueryResult, name: str = "path", title: str = "") -> PathView:
        """The paths of a result column (lists of names), each node coloured by its kind."""
        paths = [p for p in column(result, name) if p] if result.rows else []
        return PathView.from_names(paths, self.labels_of(n for p in paths for n in p), title)

    def iso2(self, country: ResolvedName) -> str:
        """A resolved country's ISO 3166 alpha-2 code."""
        rows = self.internal("country_code", country=country.name).rows
        if not rows or not rows[0][0]:
            raise ReportError(f"{country.name} has no ISO 3166 alpha-2 code in the graph")
        return str(rows[0][0])

    def labels_of(self, names: Iterable[str]) -> dict[str, str]:
        """The kind of each named node, to colour the dependency paths: the graph browser's (kg.browse_graph), so
        that a name several nodes carry stands for the same node in a report as in the page."""
        wanted = sorted(set(names))
        if not wanted:
            return {}
        named = pick_named(self.internal("browse_nodes_named", names=wanted).rows)
        return {name: kind_of(labels) for name, (_, labels) in named.items()}


def column(result: QueryResult, name: str) -> list[Any]:
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def combined(results: Sequence[QueryResult]) -> QueryResult:
    """The rows of several runs of one query, in order (no columns when it never ran)."""
    return QueryResult(results[0].columns if results else (), tuple(row for result in results for row in result.rows))


def dependencies(context: ReportContext, material: str, max_hops: int = 6) -> Report:
    found = resolve(context.connection, "Material", material)
    result = context.run("downstream_of_material", material=found.name, max_hops=max_hops)
    section = Section.from_result(
        f"Downstream of {found.name}",
        f"Everything that depends on {found.name} through what goes into what (USED_IN), up to {max_hops} steps: "
        "intermediates, components, products and sectors, each with its shortest path and its length.",
        result,
        paths=context.path_view(result, title="Dependency paths"),
    )
    return Report(f"Dependencies of {found.name}", [section], [])


def exposure(context: ReportContext, target: ResolvedName, max_hops: int = 8) -> Report:
    names = [target.name]
    if target.label == "Company":
        made = context.internal("company_makes", company=target.name)
        names = [row[0] for row in made.rows] or names
    # The packs take one name: a company's products are looked up one by one, and so are the materials' shares.
    ran = [
        (
            context.run("upstream_materials", name=name, max_hops=max_hops),
            context.run("chain_exposure", name=name, max_hops=max_hops),
        )
        for name in names
    ]
    upstream = combined([found for found, _ in ran])
    every_chain = combined([chains for _, chains in ran])
    chains = QueryResult(every_chain.columns, tuple(sorted(every_chain.rows, key=_worst_first(every_chain))))
    materials = sorted({row[0] for row in upstream.rows})
    supply = combined([context.run("supply_shares", material=material, scope="World") for material in materials])
    sections = [
        Section.from_result(
            "Materials, worst first",
            "For each raw material upstream, the largest single-country share of world output at any of its stages "
            "(latest reference year), and through how many paths the target depends on it.",
            by_material(chains),
            charts=[_largest_share_chart("share", ["material", "country"], "65%")],
        ),
        Section.from_result(
            "Chain-level exposure, worst first",
            "For each path from a raw material to the target, the largest single-country share of world output met "
            "at any stage of that material (latest reference year), with its year and source.",
            chains,
            paths=context.path_view(chains, title="Paths"),
        ),
        Section.from_result(
            "Upstream materials",
            f"The raw materials {target.name} depends on.",
            upstream,
        ),
        Section.from_result(
            "Who supplies them, by stage", "World shares by country and stage, with reference year and source.", supply
        ),
    ]
    titles = [*column(chains, "source"), *(column(supply, "source") if supply.rows else [])]
    return Report(f"Exposure of {target.name} ({target.label})", sections, context.sources(titles))


def concentration(context: ReportContext, stage: str = "", material: str = "") -> Report:
    name = resolve(context.connection, "Material", material).name if material else ""
    stages = context.run("stage_concentration", stage=stage, material=name)
    check = context.run("crma_single_country_check", material=name)
    weighted = context.run("governance_weighted", material=name)
    sections = [
        Section.from_result(
            "Concentration by material and stage",
            "The largest producing country and its share of world output, and the Herfindahl-Hirschman index "
            "(HHI, the sum of squared country shares, 0-1) of one source's figures for the latest reference year.",
            stages,
            charts=[Chart(value="hhi", label=["material", "stage"], title="HHI of country shares", max_value=1.0)],
        ),
        Section.from_result(
            "CRMA benchmark: no more than 65% from one third country",
            "Regulation (EU) 2024/1252, Art. 5(1)(b), for strategic raw materials, about the EU's own consumption. "
            "Where a source gives the EU's sourcing shares they are used; otherwise world shares stand in as a proxy "
            "and the basis column says so.",
            check,
            charts=[_largest_share_chart("top_share", ["material", "stage"], "CRMA 65%")],
        ),
        Section.from_result(
            "Governance-weighted concentration (EU criticality method)",
            "HHI_WGI = sum over countries of share squared times the country's scaled World Governance Indicator "
            "(0 best to 10 worst) divided by 10, as in the EU's supply-risk formula (see "
            "reference/crosswalks/SR_METHOD.md); countries without a WGI score are counted apart.",
            weighted,
        ),
    ]
    titles = [*column(stages, "source"), *column(check, "source")]
    return Report("Concentration of supply", sections, context.sources(titles))


def scenario(context: ReportContext, country: str, material: str, as_of: dt.date, max_hops: int = 6) -> Report:
    issuer = resolve(context.connection, "Country", country)
    found = resolve(context.connection, "Material", material)
    code = context.iso2(issuer)
    controls = context.run("controls_in_force", country=code, as_of=as_of.isoformat(), material=found.name)
    downstream = context.run("downstream_of_material", material=found.name, max_hops=max_hops)
    every_company = context.run("companies_exposed_to_material", material=found.name, max_hops=max_hops)
    eu_members = {row[0] for row in context.internal("eu_member_names").rows}
    hq = every_company.columns.index("hq_country")
    companies = QueryResult(every_company.columns, tuple(r for r in every_company.rows if r[hq] in eu_members))
    producers = context.run("alternative_producers", material=found.name, exclude_iso2=code)
    substitutes = context.run("substitutes_for", material=found.name)
    in_force = bool(controls.rows)
    headline = (
        f"{len(controls.rows)} export control(s) of {issuer.name} in force on {as_of.isoformat()} cover {found.name}."
        if in_force
        else f"No export control of {issuer.name} covering {found.name} is in force on {as_of.isoformat()}; "
        "the exposure below is what such a control would reach."
    )
    sections = [
        Section.from_result("Export controls in force", headline, controls),
        Section.from_result(
            "Affected downstream",
            f"What depends on {found.name}.",
            downstream,
            paths=context.path_view(downstream),
        ),
        Section.from_result(
            "EU companies exposed",
            "Companies headquartered in an EU member state that make something depending on it.",
            companies,
        ),
        Section.from_result(
            "Other producing countries",
            "World shares elsewhere, and the EU agreements or partnerships with each.",
            producers,
            charts=[
                Chart(
                    value="share",
                    label=["country", "stage"],
                    title="Share of world output",
                    percent=True,
                    max_value=1.0,
                )
            ],
        ),
        Section.from_result("Known substitutes", "Substitutions with their sources.", substitutes),
    ]
    titles = [*column(producers, "source")] if "source" in producers.columns else []
    titles += column(substitutes, "source")
    return Report(
        f"Scenario: {issuer.name} controls on {found.name}, as of {as_of.isoformat()}",
        sections,
        context.sources(titles),
    )


def agreements(context: ReportContext, material: str = "") -> Report:
    name = resolve(context.connection, "Material", material).name if material else ""
    coverage = context.run("agreement_coverage", material=name)
    agreement_index = coverage.columns.index("agreement")
    gaps = QueryResult(coverage.columns, tuple(r for r in coverage.rows if r[agreement_index] is None))
    covered = QueryResult(coverage.columns, tuple(r for r in coverage.rows if r[agreement_index] is not None))
    sections = [
        Section.from_result(
            "Covered: producing countries with an EU agreement",
            "Strategic materials, the countries that produce them (world shares) and the EU agreements with them.",
            covered,
        ),
        Section.from_result(
            "Gaps: producing countries without one",
            "The same, where the EU has no agreement or partnership with the producing country.",
            gaps,
        ),
    ]
    return Report(
        "EU agreements and the producers of strategic materials",
        sections,
        context.sources(column(coverage, "source") if "source" in coverage.columns else []),
    )


def ownership(context: ReportContext, country: str) -> Report:
    found = resolve(context.connection, "Country", country)
    result = context.run("controlled_from_country", iso2=context.iso2(found))
    section = Section.from_result(
        f"Companies controlled from {found.name}",
        "Companies headquartered there, or controlled from there directly or through a chain of control or "
        "ownership, and what they make.",
        result,
        paths=PathView.from_names([p for p in column(result, "control_path") if p]),
    )
    return Report(f"Ownership: {found.name}", [section], [])


def by_material(chains: QueryResult) -> QueryResult:
    """One row per material: its worst chain row (the rows come worst first) and the number of its paths."""
    material = chains.columns.index("material")
    path = chains.columns.index("path")
    keep = [i for i, name in enumerate(chains.columns) if i != path]
    first: dict[Any, tuple[Any, ...]] = {}
    paths: dict[Any, int] = {}
    for row in chains.rows:
        first.setdefault(row[material], row)
        paths[row[material]] = paths.get(row[material], 0) + 1
    rows = tuple((*(row[i] for i in keep), paths[name]) for name, row in first.items())
    return QueryResult((*(chains.columns[i] for i in keep), "paths"), rows)


def _largest_share_chart(value: str, label: list[str], marker_label: str) -> Chart:
    """A bar per row of its largest single-country share, against the CRMA's 65% line."""
    return Chart(
        value=value,
        label=label,
        title="Largest single-country share",
        percent=True,
        max_value=1.0,
        marker=CRMA_SINGLE_COUNTRY_LIMIT,
        marker_label=marker_label,
    )


def _worst_first(result: QueryResult) -> Any:
    share = result.columns.index("share")
    material = result.columns.index("material")

    def key(row: Sequence[Any]) -> tuple[float, str]:
        return (-(row[share] or 0.0), str(row[material]))

    return key
