"""`kg load`, `kg unload` and `kg export`: RDF and spreadsheets in, named graphs out, RDF back out."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kg.cli.common import (
    DatabaseOption,
    DataDirOption,
    UriOption,
    UsernameOption,
    app,
    err,
    expand_paths,
    out,
    reports_errors,
    settings_from,
    write_text,
)
from kg.core.config import Settings
from kg.core.errors import KgError
from kg.core.resources import bundled_data_files, ontology_file
from loaders.rdf import DEFAULT_BATCH_SIZE

if TYPE_CHECKING:
    from rich.progress import Progress

    from loaders.rdf.load import LoadOptions
    from loaders.rdf.pipeline import FileOutcome
    from loaders.rdf.source import RdfFile


@app.command("load")
@reports_errors
def load_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="RDF files, folders or globs (default: the bundled ontology and dataset).", show_default=False
        ),
    ] = None,
    rdf_format: Annotated[
        str | None,
        typer.Option("--format", help="RDF format of every file: turtle, ntriples, nquads, trig, rdfxml, jsonld."),
    ] = None,
    graph: Annotated[
        str | None, typer.Option("--graph", help="Named graph for the statements of triple files.")
    ] = None,
    graph_config: Annotated[
        Path | None, typer.Option("--graph-config", help="n10s graph-config parameters (JSON or YAML).")
    ] = None,
    language_filter: Annotated[
        str | None, typer.Option("--language-filter", help="Keep only literals in this language (n10s languageFilter).")
    ] = None,
    exclude_predicate: Annotated[
        list[str] | None,
        typer.Option("--exclude-predicate", help="A predicate IRI to skip (n10s predicateExclusionList); repeatable."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, max=10_000_000, help="Statements per write batch.")
    ] = DEFAULT_BATCH_SIZE,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Parse, map and validate; write nothing.")] = False,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip the SHACL check of data in crm-kg's namespace.")
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="YAML mapping of a spreadsheet's columns to nodes and relationships."),
    ] = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Load RDF (or a spreadsheet with --mapping) into the graph, each file atomically; with no path, the bundled
    ontology and dataset."""
    from loaders.graph.config import load_graph_config, readable_config, with_import_options
    from loaders.rdf.load import LoadOptions
    from loaders.table.read import is_table_path

    settings = settings_from(uri, username, database, data_dir_)
    tables = [p for p in (paths or []) if is_table_path(Path(p))]
    if tables or mapping is not None:
        if mapping is None:
            raise typer.BadParameter(f"{tables[0]} is a spreadsheet: give its --mapping", param_hint="--mapping")
        if len(paths or []) != 1 or not tables:
            raise typer.BadParameter("--mapping goes with exactly one CSV or XLSX file", param_hint="--mapping")
        load_spreadsheet(Path(tables[0]), mapping, graph, batch_size, dry_run, settings)
        return
    from loaders.rdf.source import rdf_file

    files = expand_paths(paths) if paths else [ontology_file(), *bundled_data_files()]
    try:
        sources = [rdf_file(p, rdf_format) for p in files]
    except KgError as error:
        raise typer.BadParameter(str(error), param_hint="--format" if rdf_format else "PATHS") from error
    config = with_import_options(
        load_graph_config(graph_config) if graph_config else readable_config(),
        language_filter=language_filter,
        predicate_exclusions=frozenset(exclude_predicate or []),
    )
    options = LoadOptions(config, batch_size=batch_size, graph=graph or "", dry_run=dry_run)
    outcomes = load_rdf(sources, options, not no_validate, settings)
    print_summary(outcomes, dry_run)
    if any(not o.loaded for o in outcomes):
        raise typer.Exit(1)


def load_rdf(sources: list[RdfFile], options: LoadOptions, validate: bool, settings: Settings) -> list[FileOutcome]:
    """Load the files with a progress bar on a terminal; Ctrl-C says what was and was not written."""
    from kg.cypher.schema import ensure_schema
    from kg.server.connection import connect
    from loaders.rdf.pipeline import load_rdf_files

    loading: list[RdfFile] = []  # the file being loaded, for an interruption's message
    with connect(settings) as connection:
        if not options.dry_run:
            ensure_schema(connection)
        with progress_bar() as bar:

            def progress_for(source: RdfFile) -> Callable[[int], None]:
                loading[:] = [source]
                task = bar.add_task(source.path.name, total=None, rate="")

                def advance(done: int) -> None:
                    elapsed = bar.tasks[task].elapsed or 0.0
                    rate = f"{done / elapsed:,.0f} statements/s" if elapsed > 0 else ""
                    bar.update(task, completed=done, rate=rate)

                return advance

            try:
                return load_rdf_files(connection, sources, options, validate_first=validate, progress=progress_for)
            except KeyboardInterrupt:
                # the file's transaction was never committed: the server rolls it back when the session closes
                bar.stop()
                what = f"nothing of {loading[0].path} was written" if loading else "nothing was written"
                before = " (the files before it stay loaded)" if loading and loading[0] != sources[0] else ""
                err.print(f"[red]error:[/red] interrupted: {escape(what)}{before}", highlight=False)
                raise typer.Exit(130) from None


def progress_bar() -> Progress:
    """A bar per file on stderr, gone when done; nothing where stderr is not a terminal."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def load_spreadsheet(
    path: Path, mapping: Path, graph: str | None, batch_size: int, dry_run: bool, settings: Settings
) -> None:
    from kg.cypher.schema import ensure_schema
    from kg.server.connection import connect
    from loaders.table.load import load_table

    with connect(settings) as connection:
        if not dry_run:
            ensure_schema(connection)
        try:
            report = load_table(connection, path, mapping, dry_run=dry_run, batch_size=batch_size, graph=graph)
        except KeyboardInterrupt:
            # the transaction was never committed: the server rolls it back when the session closes
            err.print(f"[red]error:[/red] interrupted: nothing of {escape(str(path))} was written", highlight=False)
            raise typer.Exit(130) from None
    for warning in report.warnings:
        err.print(f"warning: {warning}", highlight=False, markup=False, style="yellow")
    verb = "would create" if dry_run else "created"
    out.print(
        f"{report.source}: {report.rows:,} rows into graph {report.graph}: {verb} {report.nodes_created:,} nodes "
        f"and {report.relationships_created:,} relationships, updated {report.nodes_updated:,} nodes and "
        f"{report.relationships_updated:,} relationships, {report.links:,} links to nodes already in the graph "
        f"({report.seconds:.2f} s)" + (" (dry run: nothing written)" if dry_run else ""),
        highlight=False,
    )


def print_summary(outcomes: list[FileOutcome], dry_run: bool) -> None:

    table = Table(title="would load (dry run: nothing written)" if dry_run else "load summary")
    for column in (
        "file",
        "status",
        "statements",
        "nodes created",
        "nodes updated",
        "relationships created",
        "seconds",
    ):
        table.add_column(column, justify="left" if column in ("file", "status") else "right")
    totals = [0, 0, 0, 0, 0.0]
    for outcome in outcomes:
        report = outcome.report
        if report is None:
            table.add_row(outcome.source.path.name, "[red]not loaded[/red]", "", "", "", "", "")
            continue
        counts = report.counts
        row = [report.statements_loaded, counts.nodes_created, counts.nodes_updated, counts.relationships_created]
        totals = [t + v for t, v in zip(totals, [*row, report.seconds], strict=True)]
        table.add_row(
            outcome.source.path.name,
            "loaded" if not dry_run else "ok",
            *(f"{v:,}" for v in row),
            f"{report.seconds:.2f}",
        )
    out.print(table)
    loaded = sum(1 for o in outcomes if o.loaded)
    rate = totals[0] / totals[4] if totals[4] else 0.0
    out.print(
        f"{loaded} of {len(outcomes)} file(s) {'checked' if dry_run else 'loaded'}: {totals[0]:,} statements, "
        f"{totals[1]:,} nodes created, {totals[2]:,} updated, {totals[3]:,} relationships created "
        f"in {totals[4]:.1f} s ({rate:,.0f} statements/s)",
        highlight=False,
    )
    for outcome in outcomes:
        if outcome.error:
            err.print(f"error: {outcome.error}", highlight=False, markup=False, style="red")


@app.command("unload")
@reports_errors
def unload_command(
    graph: Annotated[
        str, typer.Option("--graph", help="The named graph to remove (its IRI or the --graph NAME used).")
    ],
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Remove exactly what one named graph contributed, in one transaction."""
    from kg.server.connection import connect
    from loaders.graph.unload import unload_graph

    if not graph:
        raise typer.BadParameter("the default graph cannot be unloaded; name a graph", param_hint="--graph")
    with connect(settings_from(uri, username, database, data_dir_)) as connection:
        report = unload_graph(connection, graph)
    out.print(
        f"unloaded graph {graph}: {report.nodes_deleted:,} nodes deleted, {report.nodes_updated:,} updated, "
        f"{report.labels_removed:,} labels removed, {report.relationships_deleted:,} relationships deleted, "
        f"{report.relationships_released:,} kept for other graphs",
        highlight=False,
    )

class ExportFormat(StrEnum):
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"


_RDFLIB_FORMATS = {ExportFormat.ttl: "turtle", ExportFormat.nt: "nt", ExportFormat.jsonld: "json-ld"}


@app.command("export")
@reports_errors
def export_command(
    export_format: Annotated[ExportFormat, typer.Option("--format", help="RDF serialisation.")] = ExportFormat.ttl,
    graph: Annotated[str | None, typer.Option("--graph", help="Export only what this named graph contributed.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Write the graph (or one named graph) back as RDF, by the loading mapping in reverse."""
    # rdflib takes a tenth of a second to import: only this command pays it
    from kg.server.connection import connect
    from loaders.rdf.export import export_graph, serialize

    with connect(settings_from(uri, username, database, data_dir_)) as connection:
        rdf = export_graph(connection, graph)
    write_text(serialize(rdf, _RDFLIB_FORMATS[export_format]), output)
    if output is not None:
        err.print(f"wrote {len(rdf):,} statements to {output}", highlight=False)
