"""`kg report NAME`: the canned dependency reports, as a table, JSON, CSV, Markdown or self-contained HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    DatabaseOption,
    DataDirOption,
    UriOption,
    UsernameOption,
    app,
    err,
    out,
    reports_errors,
    settings_from,
    write_text,
)
from kg.cli.packs import QueriesDirOption, all_queries
from kg.core.config import Settings
from kg.core.errors import InvalidRequest
from kg.cypher.names import resolve
from kg.reports import builders as reports
from kg.reports.catalogue import parse_date
from kg.reports.exposure import STAGES
from kg.reports.output import Report, ReportFormat, render, to_renderable
from kg.server.connection import connect

report_app = typer.Typer(help="Canned dependency reports built on the query packs.", no_args_is_help=True)
app.add_typer(report_app, name="report")

FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")]


MaxRowsOption = Annotated[
    int,
    typer.Option(
        "--max-rows", min=0, help="In the table format, show at most this many rows per section (0: all)."
    ),
]
DEFAULT_MAX_ROWS = 25
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="The date to look at, YYYY-MM-DD (default: today).")
]


def as_of_date(value: str | None) -> dt.date:
    """--as-of as the page takes it (kg.reports.catalogue.parse_date): YYYY-MM-DD only."""
    if value is None:
        return dt.date.today()
    try:
        return parse_date("--as-of", value)
    except InvalidRequest as error:
        raise typer.BadParameter(str(error), param_hint="--as-of") from None


def stage_choice(value: str) -> str:
    if not value:
        return ""
    by_lower = {stage.lower(): stage for stage in STAGES}
    if value.strip().lower() not in by_lower:
        raise typer.BadParameter(f"{value!r} is not a stage; the stages are {', '.join(STAGES)}", param_hint="--stage")
    return by_lower[value.strip().lower()]


def shortened(report: Report, max_rows: int | None) -> Report:
    """The report with each section cut to `max_rows` rows, saying so (for reading in a terminal)."""
    if not max_rows:
        return report
    sections = []
    for section in report.sections:
        if len(section.rows) <= max_rows:
            sections.append(section)
            continue
        note = f" (the first {max_rows} of {len(section.rows)} rows; --format csv, json or html gives them all)"
        sections.append(replace(section, text=section.text + note, rows=section.rows[:max_rows]))
    return replace(report, sections=sections)


def emit(
    report: Report, output_format: ReportFormat, output: Path | None, max_rows: int | None = DEFAULT_MAX_ROWS
) -> None:
    if output is None and output_format is ReportFormat.table:
        out.print(to_renderable(shortened(report, max_rows)))
        return
    write_text(render(report, output_format), output)
    if output is not None:
        err.print(f"wrote {output_format.value} report to {output}", highlight=False)


def make(
    settings: Settings, queries_dir_: list[Path] | None, build: Callable[[reports.ReportContext], Report]
) -> Report:
    queries = all_queries(queries_dir_)
    with connect(settings) as connection:
        return build(reports.ReportContext(connection, queries))


@report_app.command("dependencies")
@reports_errors
def dependencies_report(
    material: Annotated[str, typer.Option("--material", help="A material's name or alternative label.")],
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=12, help="How far downstream to look.")] = 6,
    as_of: AsOfOption = None,
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    max_rows: MaxRowsOption = DEFAULT_MAX_ROWS,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Everything downstream of a material or group: chains counted, the shortest one shown."""
    day = as_of_date(as_of)
    settings = settings_from(uri, username, database, data_dir_)
    report = make(settings, queries_dir_, lambda c: reports.dependencies(c, material, max_hops, day))
    emit(report, output_format, output, max_rows)


@report_app.command("exposure")
@reports_errors
def exposure_report(
    product: Annotated[str | None, typer.Option("--product", help="A product's name.")] = None,
    component: Annotated[str | None, typer.Option("--component", help="A component's name.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="A sector's name.")] = None,
    company: Annotated[str | None, typer.Option("--company", help="A company's name: what it makes.")] = None,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=12, help="How far upstream to look.")] = 8,
    as_of: AsOfOption = None,
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    max_rows: MaxRowsOption = DEFAULT_MAX_ROWS,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """The materials upstream of a product, component, sector or company, who supplies them, and chain exposure."""
    label, name = exactly_one_target(product, component, sector, company)
    day = as_of_date(as_of)
    settings = settings_from(uri, username, database, data_dir_)
    report = make(
        settings, queries_dir_, lambda c: reports.exposure(c, resolve(c.connection, label, name), max_hops, day)
    )
    emit(report, output_format, output, max_rows)


@report_app.command("chains")
@reports_errors
def chains_report(
    material: Annotated[str, typer.Option("--material", help="The material's name or alternative label.")],
    product: Annotated[str | None, typer.Option("--product", help="A product's name.")] = None,
    component: Annotated[str | None, typer.Option("--component", help="A component's name.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="A sector's name.")] = None,
    company: Annotated[str | None, typer.Option("--company", help="A company's name: what it makes.")] = None,
    max_hops: Annotated[int, typer.Option("--max-hops", min=1, max=12, help="The longest chain listed.")] = 8,
    page: Annotated[int, typer.Option("--page", min=1, help=f"Which page of {reports.CHAINS_PAGE} chains.")] = 1,
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    max_rows: MaxRowsOption = 0,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """The chains from one material to a product, component, sector or company, a page at a time."""
    label, name = exactly_one_target(product, component, sector, company)
    settings = settings_from(uri, username, database, data_dir_)
    report = make(
        settings,
        queries_dir_,
        lambda c: reports.chains(c, material, resolve(c.connection, label, name), max_hops, page),
    )
    emit(report, output_format, output, max_rows)


def exactly_one_target(
    product: str | None, component: str | None, sector: str | None, company: str | None
) -> tuple[str, str]:
    given = [
        (label, name)
        for label, name in (("Product", product), ("Component", component), ("Sector", sector), ("Company", company))
        if name
    ]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --product, --component, --sector, --company")
    return given[0]


@report_app.command("concentration")
@reports_errors
def concentration_report(
    stage: Annotated[str, typer.Option("--stage", help="extraction, processing, … (default: all).")] = "",
    material: Annotated[str, typer.Option("--material", help="One material or group (default: all).")] = "",
    as_of: AsOfOption = None,
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    max_rows: MaxRowsOption = DEFAULT_MAX_ROWS,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Top country, HHI with coverage, governance-weighted concentration and the CRMA 65% check, per stage."""
    chosen, day = stage_choice(stage), as_of_date(as_of)
    settings = settings_from(uri, username, database, data_dir_)
    report = make(settings, queries_dir_, lambda c: reports.concentration(c, chosen, material, day))
    emit(report, output_format, output, max_rows)


@report_app.command("scenario")
@reports_errors
def scenario_report(
    country: Annotated[str, typer.Option("--country", help="The issuing country: ISO code or name.")],
    material: Annotated[str, typer.Option("--material", help="A material's name or alternative label.")],
    as_of: AsOfOption = None,
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    max_rows: MaxRowsOption = DEFAULT_MAX_ROWS,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Export controls in force on a date, what they reach, exposed companies, other producers and substitutes."""
    when = as_of_date(as_of)
    settings = settings_from(uri, username, database, data_dir_)
    report = make(settings, queries_dir_, lambda c: reports.scenario(c, country, material, when))
    emit(report, output_format, output, max_rows)


@report_app.command("agreements")
@reports_errors
def agreements_report(
    material: Annotated[str, typer.Option("--material", help="One strategic material (default: all).")] = "",
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Strategic materials covered by EU agreements with the countries that produce them, and the gaps."""
    settings = settings_from(uri, username, database, data_dir_)
    emit(make(settings, queries_dir_, lambda c: reports.agreements(c, material)), output_format, output)


@report_app.command("ownership")
@reports_errors
def ownership_report(
    country: Annotated[str, typer.Option("--country", help="ISO code or name of the controlling country.")],
    output_format: FormatOption = ReportFormat.table,
    output: OutputOption = None,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Companies controlled from a country, directly or through a chain, and what they make."""
    settings = settings_from(uri, username, database, data_dir_)
    emit(make(settings, queries_dir_, lambda c: reports.ownership(c, country)), output_format, output)
