"""`kg report NAME`: the canned dependency reports, as a table, JSON, CSV, Markdown or self-contained HTML.

Each sub-command is made from the report's entry in kg.reports.catalogue, the one definition of a report and its
parameters (the page's forms are made from it too): an option per parameter (`max_hops` is `--max-hops`), checked
by the catalogue, and one option per choice where a choice says what kind of thing another parameter names
(`--product`, `--component`, … instead of a kind and a name). The options every report shares (format, output,
graph) are the command line's own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

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
from kg.core.errors import ReportParamError
from kg.render.formats import ReportFormat
from kg.reports.catalogue import CATALOGUE, CatalogueReport, ReportParam, check_report_params
from kg.reports.model import Report

report_app = typer.Typer(help="Canned dependency reports built on the query packs.", no_args_is_help=True)
app.add_typer(report_app, name="report")

FormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")]
MaxRowsOption = Annotated[
    int,
    typer.Option("--max-rows", min=0, help="In the table format, show at most this many rows per section (0: all)."),
]
DEFAULT_MAX_ROWS = 25

# The options every report takes after its own, in this order: (name, annotation, default).
_SHARED_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("output_format", FormatOption, ReportFormat.table),
    ("output", OutputOption, None),
    ("max_rows", MaxRowsOption, DEFAULT_MAX_ROWS),
    ("queries_dir_", QueriesDirOption, None),
    ("uri", UriOption, None),
    ("username", UsernameOption, None),
    ("database", DatabaseOption, None),
    ("data_dir_", DataDirOption, None),
)


def flag(param: ReportParam) -> str:
    return "--" + param.name.replace("_", "-")


def report_options(entry: CatalogueReport) -> list[inspect.Parameter]:
    """The report's own options, from its parameters, in the catalogue's order."""
    named_by_choice = {p.kind_of for p in entry.params if p.kind_of}
    options = []
    for param in entry.params:
        if param.name in named_by_choice:
            continue  # asked for through its choice's options
        if param.kind_of:
            options += [_choice_option(choice) for choice in param.choices]
            continue
        options.append(_option(param))
    return options


def _option(param: ReportParam) -> inspect.Parameter:
    if param.type == "integer":
        kind: Any = int
        option = typer.Option(flag(param), min=param.minimum, max=param.maximum, help=param.help)
    else:
        # dates and choices are checked by the catalogue, as they are for the page
        kind = str if param.required else str | None
        option = typer.Option(flag(param), help=param.help)
    default = inspect.Parameter.empty if param.required else param.default
    return inspect.Parameter(
        param.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option]
    )


def _choice_option(choice: str) -> inspect.Parameter:
    option = typer.Option(f"--{choice.lower()}", help=f"A {choice.lower()}'s name.")
    return inspect.Parameter(
        f"choice_{choice.lower()}",
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[str | None, option],
    )


def given_params(entry: CatalogueReport, values: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's parameters from the command's option values."""
    given: dict[str, Any] = {}
    for param in entry.params:
        if param.kind_of:
            chosen = [
                (choice, values[f"choice_{choice.lower()}"])
                for choice in param.choices
                if values[f"choice_{choice.lower()}"]
            ]
            if len(chosen) != 1:
                flags = ", ".join(f"--{choice.lower()}" for choice in param.choices)
                raise typer.BadParameter(f"give exactly one of {flags}")
            given[param.name], given[param.kind_of] = chosen[0]
        elif param.name in values:
            given[param.name] = values[param.name]
    return given


def checked_params(entry: CatalogueReport, values: dict[str, Any]) -> dict[str, Any]:
    given = given_params(entry, values)
    try:
        return check_report_params(entry, given)
    except ReportParamError as error:
        by_name = {p.name: p for p in entry.params}
        if error.param in by_name and error.problem:
            raise typer.BadParameter(error.problem, param_hint=f"'{flag(by_name[error.param])}'") from None
        raise


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


def emit(report: Report, output_format: ReportFormat, output: Path | None, max_rows: int | None) -> None:
    from kg.render.report_text import render, to_renderable  # the renderers: a twentieth of a second to import

    if output is None and output_format is ReportFormat.table:
        out.print(to_renderable(shortened(report, max_rows)))
        return
    write_text(render(report, output_format), output)
    if output is not None:
        err.print(f"wrote {output_format.value} report to {output}", highlight=False)


def report_command(entry: CatalogueReport) -> Callable[..., None]:
    """The `kg report NAME` command of one catalogue entry."""

    def command(**values: Any) -> None:
        from kg.reports.builders import ReportContext
        from kg.server.connection import connect

        params = checked_params(entry, values)
        settings = settings_from(values["uri"], values["username"], values["database"], values["data_dir_"])
        queries = all_queries(values["queries_dir_"])
        with connect(settings) as connection:
            report = entry.build(ReportContext(connection, queries), params)
        emit(report, values["output_format"], values["output"], values["max_rows"])

    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, annotation, default in _SHARED_OPTIONS
    ]
    if entry.paged:  # a page of chains is read whole
        shared = [p.replace(default=0) if p.name == "max_rows" else p for p in shared]
    parameters = [*report_options(entry), *shared]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = f"{entry.name}_report"
    command.__doc__ = entry.description
    return reports_errors(command)


for _entry in CATALOGUE:
    report_app.command(_entry.name)(report_command(_entry))
