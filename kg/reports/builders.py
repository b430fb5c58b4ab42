"""The canned dependency reports, built on the query packs: each runs pack queries and arranges their rows as a
`Report` (kg.reports.model; kg.render.report_text writes it as a table, JSON, CSV, Markdown or HTML).

Names are resolved first (kg.cypher.names: case-insensitive on a name or an alternative label; an unknown name fails
with the closest ones), then passed to the queries as the node's own name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.core.cypher_files import Query
from kg.core.errors import KgError, ReportError
from kg.core.kinds import kind_of, pick_named
from kg.cypher.names import ResolvedName, resolve
from kg.cypher.recording import RanQuery, RecordedRuns
from kg.cypher.results import QueryResult
from kg.reports.exposure import MaterialExposure, StageFigures, rank, stage_figures
from kg.reports.model import CHAINS_PAGE, Chart, PathView, Report, Section, SourceRef
from kg.server.connection import Connection

CRMA_SINGLE_COUNTRY_LIMIT = 0.65
PATH_VIEW_LIMIT = 60


@dataclass(frozen=True)
class ReportContext:
    """What a report runs its queries with. Given a `record` list, each query run is appended to it in order (the
    graph browser shows the Cypher behind a report); the report itself is the same either way."""

    connection: Connection
    queries: Mapping[str, Query]
    record: list[RanQuery] | None = field(default=None, compare=False)

    @property
    def runs(self) -> RecordedRuns:
        return RecordedRuns(self.connection, self.record)

    def run(self, name: str, /, **parameters: Any) -> QueryResult:
        query = self.queries.get(name)
        if query is None:
            # the packs installed lack one: the server's (or the installation's) fault, not the request's
            raise KgError(f"the report needs query {name!r}, which no pack provides")
        return self.runs.run(name, query.text, query.check_parameters(parameters))

    def internal(self, name: str, /, **parameters: Any) -> QueryResult:
        return self.runs.internal(name, **parameters)

    def sources(self, titles: Iterable[str]) -> list[SourceRef]:
        wanted = sorted({t for t in titles if t})
        if not wanted:
            return []
        result = self.internal("sources_by_title", titles=wanted)
        return [SourceRef(row[0], row[1] or (), row[2], row[3]) for row in result.rows]

    def path_view(self, result: QueryResult, name: str = "path", title: str = "") -> PathView:
        """The paths of a result column (lists of names), each node coloured by its kind. A graph of more than
        PATH_VIEW_LIMIT paths is unreadable (and costly to colour): past that, the paths to sectors and products
        come first, then the shortest."""
        paths = [p for p in column(result, name) if p] if result.rows else []
        if len(paths) > PATH_VIEW_LIMIT:
            kinds = column(result, "kind") if "kind" in result.columns else [""] * len(paths)
            rank = {"Sector": 0, "Product": 1}
            ordered = sorted(zip(kinds, paths, strict=True), key=lambda kp: (rank.get(kp[0], 2), len(kp[1])))
            paths = [p for _, p in ordered[:PATH_VIEW_LIMIT]]
            title = f"{title} (the {PATH_VIEW_LIMIT} to sectors and products first, then the shortest)".strip()
        return PathView.from_names(paths, self.labels_of(n for p in paths for n in p), title)

    def iso2(self, country: ResolvedName) -> str:
        """A resolved country's ISO 3166 alpha-2 code."""
        rows = self.internal("country_code", country=country.name).rows
        if not rows or not rows[0][0]:
            raise ReportError(f"{country.name} has no ISO 3166 alpha-2 code in the graph")
        return str(rows[0][0])

    def labels_of(self, names: Iterable[str]) -> dict[str, str]:
        """The kind of each named node, to colour the dependency paths: the graph browser's (kg.core.kinds), so
        that a name several nodes carry stands for the same node in a report as in the page."""
        wanted = sorted(set(names))
        if not wanted:
            return {}
        named = pick_named(self.internal("browse_nodes_named", names=wanted).rows)
        return {name: kind_of(labels) for name, (_, labels) in named.items()}


def column(result: QueryResult, name: str) -> list[Any]:
    """The values of one column; none when the query returned no rows (the driver then gives no columns)."""
    if not result.rows:
        return []
    index = result.columns.index(name)
    return [row[index] for row in result.rows]


def combined(results: Sequence[QueryResult]) -> QueryResult:
    """The rows of several runs of one query, in order (no columns when it never ran)."""
    return QueryResult(results[0].columns if results else (), tuple(row for result in results for row in result.rows))


def records(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def finding(title: str, text: str) -> Section:
    """A result that is a finding in itself (nothing modelled, nothing downstream): said in every format."""
    return Section(title, text, ("finding",), ((text,),))


def dependencies(
    context: ReportContext, material: str, max_hops: int = 6, as_of: dt.date | None = None
) -> Report:
    day = as_of or dt.date.today()
    found = resolve(context.connection, "Material", material)
    result = context.run("downstream_chains", material=found.name, max_hops=max_hops)
    if not result.rows:
        return Report(
            f"Dependencies of {found.name}",
            [finding("Downstream", f"No uses of {found.name} are modelled in this graph: nothing goes into anything "
                     f"from it within {max_hops} USED_IN steps (nor from any member, if it is a group).")],
            [],
        )
    rows = records(result)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    sectors = [row for row in rows if row["kind"] == "Sector"]
    summary = Section(
        "Summary",
        f"What depends on {found.name}, by kind, within {max_hops} steps; chains are counted, not listed.",
        ("kind", "nodes"),
        [(kind, kinds[kind]) for kind in ("Intermediate", "Component", "Product", "Sector") if kind in kinds],
    )
    profile = records(context.run("material_profile", materials=resolve_materials(context, found.name),
                                  as_of=day.isoformat()))
    controls = reached_by_control(
        (row["material"], row["controls"] or (), row["controls_via"] or ()) for row in profile
    )
    sections = [
        summary,
        Section(
            f"Export controls in force on {day.isoformat()}",
            f"Controls in force on the date that cover {found.name} (or a member, for a group), a group it belongs "
            "to or an intermediate made from it.",
            ("control", "materials"),
            list(controls.items()),
        ),
        Section(
            "Sectors reached",
            f"The sectors that depend on {found.name}, with the number of chains and the shortest one.",
            ("sector", "hops", "chains", "main_chains", "path"),
            [(r["name"], r["hops"], r["chains"], r["main_chains"], r["path"]) for r in sectors],
        ),
        Section.from_result(
            f"Downstream of {found.name}",
            f"Everything that depends on {found.name} through what goes into what (USED_IN), up to {max_hops} steps: "
            "intermediates, components, products and sectors, each with its number of chains (main_chains: those "
            "with no link marked additive), its shortest chain's length and one shortest chain.",
            result,
            paths=context.path_view(result, title="Shortest chains"),
            brief=("name", "kind", "hops", "chains", "main_chains"),
        ),
    ]
    return Report(f"Dependencies of {found.name}", sections, [])


def exposure(context: ReportContext, target: ResolvedName, max_hops: int = 8, as_of: dt.date | None = None) -> Report:
    """The materials a target depends on, ranked by the exposure model (kg.reports.exposure, queries/EXPOSURE.md)."""
    day = as_of or dt.date.today()
    title = f"Exposure of {target.name} ({target.label}), as of {day.isoformat()}"
    upstream = context.run("upstream_chains", name=target.name, max_hops=max_hops)
    if not upstream.rows:
        what = "what it makes" if target.label == "Company" else target.name
        return Report(
            title,
            [finding("Materials", f"No material upstream of {what} is modelled in this graph within {max_hops} "
                     "USED_IN steps.")],
            [],
        )
    chains = records(upstream)
    names = [row["material"] for row in chains]
    concentration = context.run("material_concentration", materials=names, stage="", as_of=day.isoformat())
    profiles = {row["material"]: row for row in records(
        context.run("material_profile", materials=names, as_of=day.isoformat())
    )}
    figures = stage_figures(records(concentration))
    ranked = rank(_material_exposure(row, figures, profiles.get(row["material"], {})) for row in chains)
    table = [_ranked_row(number, m, day) for number, m in enumerate(ranked, 1)]
    columns = ("rank", "material", "kind", "role", "stage", "top_country", "top_share", "year", "coverage", "hhi",
               "hhi_wgi_t", "score", "controls_in_force", "import_reliance", "chains", "hops", "source", "why")
    controls = reached_by_control((m.material, m.controls, m.controls_via) for m in ranked)
    sections = [
        Section(
            "Summary: the five worst",
            f"Ranked by the exposure model (queries/EXPOSURE.md): the governance- and trade-weighted concentration of "
            f"world supply at the bottleneck stage (HHI_WGI,t, as in the EU supply-risk method), halved for a "
            f"material that enters only as an additive; {len(ranked)} materials upstream, "
            f"{sum(1 for m in ranked if m.controls)} under an export control in force on {day.isoformat()}.",
            ("rank", "material", "score", "why"),
            [(row[0], row[1], row[11], row[-1]) for row in table[:5]],
        ),
        Section(
            "Materials, ranked",
            "One row per material upstream (intermediates too: they have a supply of their own). stage, "
            "top_country, top_share, year, coverage and source describe the bottleneck stage's latest world-share "
            f"figures up to {day.year}; hhi is left empty where the figures cover less than 90% of world output; "
            "role is additive when every chain passes a link marked additive; chains counts the chains of USED_IN "
            "steps to the target, hops is the shortest one's length.",
            columns,
            table,
            charts=[_largest_share_chart("top_share", ["material", "stage"], "65%")],
            brief=("rank", "material", "role", "stage", "top_country", "top_share", "year", "score",
                   "controls_in_force", "chains", "source"),
        ),
        Section(
            f"Export controls in force on {day.isoformat()}",
            "Each control in force on the date that covers an upstream material, a group it belongs to or an "
            "intermediate made from it, and the upstream materials it reaches.",
            ("control", "materials"),
            [(control, reached) for control, reached in controls.items()],
        ),
        Section(
            "Shortest chains",
            "One shortest chain per material (of equal-length chains, the first by names); chains counts them all.",
            ("material", "hops", "chains", "main_chains", "path"),
            [(m.material, m.hops, m.chains, m.main_chains, list(m.path)) for m in ranked],
            paths=PathView.from_names(
                [m.path for m in ranked], context.labels_of(n for m in ranked for n in m.path), "Shortest chains"
            ),
        ),
        Section.from_result(
            "Supply concentration by stage",
            "Per material and stage, the latest world-share figures of one source up to the as-of year: coverage "
            "(their sum), the top country, the HHI (its bounds hhi_min..hhi_max where coverage is short) and "
            "HHI_WGI,t.",
            _columns(concentration, ("material", "stage", "year", "source", "countries", "coverage", "top_country",
                                     "top_share", "hhi", "hhi_min", "hhi_max", "hhi_wgi_t")),
            brief=("material", "stage", "year", "coverage", "top_country", "top_share", "hhi", "hhi_wgi_t", "source"),
        ),
    ]
    return Report(title, sections, context.sources(column(concentration, "source")))




def chains(context: ReportContext, material: str, target: ResolvedName, max_hops: int = 8, page: int = 1) -> Report:
    """The chains from one material to a target, a page of CHAINS_PAGE at a time, with how many there are."""
    found = resolve(context.connection, "Material", material)
    counted = [
        row for row in records(context.run("upstream_chains", name=target.name, max_hops=max_hops))
        if row["material"] == found.name
    ]
    title = f"Chains from {found.name} to {target.name} ({target.label})"
    if not counted:
        return Report(title, [finding("Chains", f"{target.name} does not depend on {found.name} within {max_hops} "
                                       "USED_IN steps in this graph.")], [])
    total = counted[0]["chains"]
    pages = -(-total // CHAINS_PAGE)
    if page > pages:
        raise ReportError(f"there are {total} chains, {pages} page(s) of {CHAINS_PAGE}; page {page} is past the end")
    listed = context.run("chains_between", material=found.name, name=target.name, max_hops=max_hops,
                         skip=(page - 1) * CHAINS_PAGE, limit=CHAINS_PAGE)
    first = (page - 1) * CHAINS_PAGE + 1
    return Report(
        title,
        [
            Section.from_result(
                f"Chains {first}-{first + len(listed.rows) - 1} of {total} (page {page} of {pages})",
                f"{total} chains of at most {max_hops} USED_IN steps lead from {found.name} to {target.name}; the "
                f"shortest has {counted[0]['hops']} steps. Listed in the order the database finds them, "
                f"{CHAINS_PAGE} a page.",
                listed,
                paths=context.path_view(listed, "chain", title="Chains"),
            )
        ],
        [],
    )


def _material_exposure(
    chain: Mapping[str, Any], figures: Mapping[str, tuple[StageFigures, ...]], profile: Mapping[str, Any]
) -> MaterialExposure:
    """One upstream material: its row of upstream_chains, its stage figures and its row of material_profile."""
    return MaterialExposure(
        material=chain["material"],
        kind=chain["kind"],
        hops=chain["hops"],
        chains=chain["chains"],
        main_chains=chain["main_chains"],
        path=tuple(chain["path"]),
        stages=figures.get(chain["material"], ()),
        controls=tuple(profile.get("controls") or ()),
        controls_via=tuple(profile.get("controls_via") or ()),
        controls_direct=profile.get("controls_direct") or 0,
        import_reliance=profile.get("import_reliance"),
        substitutes=tuple(profile.get("substitutes") or ()),
    )


def reached_by_control(
    materials: Iterable[tuple[str, Sequence[str], Sequence[str]]],
) -> dict[str, list[str]]:
    """Each control, with the materials it reaches and, where it covers something else (a group, an intermediate
    made from the material), what: "gallium (via gallium metal)"."""
    reached: dict[str, list[str]] = {}
    for material, controls, vias in materials:
        for control, via in zip(controls, vias, strict=True):
            shown = material if via == material else f"{material} (via {via})"
            reached.setdefault(control, []).append(shown)
    return reached


def _ranked_row(number: int, m: MaterialExposure, day: dt.date) -> tuple[Any, ...]:
    worst = m.bottleneck
    return (
        number,
        m.material,
        m.kind,
        m.role,
        worst.stage if worst else None,
        worst.top_country if worst else None,
        worst.top_share if worst else None,
        worst.year if worst else None,
        worst.coverage if worst else None,
        worst.hhi if worst else None,
        worst.hhi_wgi_t if worst else None,
        m.score,
        len(m.controls),
        m.import_reliance,
        m.chains,
        m.hops,
        worst.source if worst else None,
        m.reasons(day),
    )


def _columns(result: QueryResult, names: Sequence[str]) -> QueryResult:
    indices = [result.columns.index(name) for name in names]
    return QueryResult(tuple(names), tuple(tuple(row[i] for i in indices) for row in result.rows))


def concentration(context: ReportContext, stage: str = "", material: str = "", as_of: dt.date | None = None) -> Report:
    day = as_of or dt.date.today()
    names = resolve_materials(context, material) if material else []
    stages = context.run("material_concentration", materials=names, stage=stage, as_of=day.isoformat())
    check = context.run("crma_single_country_check", material=names[0] if len(names) == 1 else "")
    if len(names) > 1:
        check = QueryResult(check.columns, tuple(r for r in check.rows if r[0] in names))
    if not stages.rows:
        about = f" of {material}" if material else ""
        at = f" at stage {stage}" if stage else ""
        return Report(
            f"Concentration of supply, as of {day.isoformat()}",
            [finding("Concentration", f"The graph holds no world-share figures{about}{at} up to {day.year}.")],
            [],
        )
    sections = [
        Section.from_result(
            "Concentration by material and stage",
            "Per material and stage, the latest world-share figures of one source up to the as-of year. coverage is "
            "how much of world output they cover; hhi (the Herfindahl-Hirschman index, sum of squared shares, 0-1) "
            "is given only where coverage is at least 90%, otherwise it is 'incomplete' and only its bounds are "
            "known: hhi_min (the rest spread thinly) to hhi_max (the rest in one country). hhi_wgi_t weights each "
            "country's squared share by its governance (WGI, 0 best to 10 worst, /10) and by 1.5 where it has an "
            "export control in force on the material, as in the EU supply-risk method (queries/EXPOSURE.md).",
            stages,
            charts=[Chart(value="hhi_max", label=["material", "stage"], title="HHI (upper bound)", max_value=1.0)],
            brief=("material", "stage", "year", "coverage", "top_country", "top_share", "hhi", "hhi_min", "hhi_max",
                   "hhi_wgi_t", "source"),
        ),
        Section.from_result(
            "CRMA benchmark: no more than 65% from one third country",
            "Regulation (EU) 2024/1252, Art. 5(1)(b), for strategic raw materials, about the EU's own consumption. "
            "Where a source gives the EU's sourcing shares they are used; otherwise world shares stand in as a proxy "
            "and the basis column says so (latest figures of any year).",
            check,
            charts=[_largest_share_chart("top_share", ["material", "stage"], "CRMA 65%")],
        ),
    ]
    titles = [*column(stages, "source"), *column(check, "source")]
    return Report(f"Concentration of supply, as of {day.isoformat()}", sections, context.sources(titles))


def resolve_materials(context: ReportContext, material: str) -> list[str]:
    """The material so named, or every member of a group so named (rare earth elements: its 17 elements)."""
    found = resolve(context.connection, "Material", material)
    members = context.internal("group_members", group=found.name).rows
    return [str(row[0]) for row in members] or [found.name]


def scenario(context: ReportContext, country: str, material: str, as_of: dt.date, max_hops: int = 6) -> Report:
    issuer = resolve(context.connection, "Country", country)
    found = resolve(context.connection, "Material", material)
    code = context.iso2(issuer)
    controls = context.run("controls_in_force", country=code, as_of=as_of.isoformat(), material=found.name)
    downstream = context.run("downstream_chains", material=found.name, max_hops=max_hops)
    makers = context.run("companies_exposed_to_material", material=found.name, max_hops=max_hops)
    eu_members = {row[0] for row in context.internal("eu_member_names").rows}
    companies = [
        (row["company"], row["hq_country"], row["makes"], row["hops"], row["chains"])
        for row in records(makers)
        if row["hq_country"] in eu_members
    ]
    producers = context.run("alternative_producers", material=found.name, exclude_iso2=code)
    substitutes = context.run("substitutes_for", material=found.name)
    in_force = bool(controls.rows)
    headline = (
        f"{len(controls.rows)} export control(s) of {issuer.name} in force on {as_of.isoformat()} cover {found.name}."
        if in_force
        else f"No export control of {issuer.name} covering {found.name} is in force on {as_of.isoformat()}; "
        "the exposure below is what such a control would reach."
    )
    if downstream.rows:
        affected = Section.from_result(
            "Affected downstream",
            f"What depends on {found.name} (a group: on any of its members), with the number of chains and the "
            "shortest one.",
            downstream,
            paths=context.path_view(downstream),
        )
    else:
        affected = finding("Affected downstream", f"No uses of {found.name} are modelled in this graph.")
    if companies:
        exposed = Section(
            "EU companies exposed",
            "Companies headquartered in an EU member state that make something depending on it, with the shortest "
            "chain's length and the number of chains.",
            ("company", "hq_country", "makes", "hops", "chains"),
            companies,
        )
    else:
        exposed = finding(
            "EU companies exposed",
            f"No company headquartered in an EU member state is downstream of {found.name} in this graph.",
        )
    sections = [
        Section.from_result("Export controls in force", headline, controls),
        affected,
        exposed,
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
            ] if producers.rows else [],
        ),
        Section.from_result("Known substitutes", "Substitutions with their sources.", substitutes),
    ]
    titles = [*(column(producers, "source") if "source" in producers.columns else []), *column(substitutes, "source")]
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
