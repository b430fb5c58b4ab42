"""`kg query`, `kg validate`, `kg db …` and `kg version`: the commands that need no module of their own."""

from __future__ import annotations

import json
import math
import sys
from dataclasses import replace
from typing import Annotated, Any

import typer

from kg import __version__
from kg.cli import version_line
from kg.cli.common import (
    DatabaseOption,
    DataDirOption,
    JsonFlag,
    UriOption,
    UsernameOption,
    app,
    db_app,
    err,
    expand_paths,
    out,
    parameters_from,
    print_result,
    reports_errors,
    settings_from,
)
from kg.core.errors import KgError, ReadOnlyViolation
from kg.core.resources import (
    bundled_data_files,
    bundled_root,
    data_dir,
    ontology_dir,
    ontology_file,
    queries_dir,
    shapes_file,
)
from kg.cypher.results import ROW_LIMIT
from kg.render.formats import OutputFormat, counts_table
from loaders.rdf.violations import format_violation


def version_callback(value: bool) -> None:
    if value:
        out.print(version_line(), highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """crm-kg: what do we depend on, through what, and from whom?"""


@app.command()
@reports_errors
def info(as_json: JsonFlag = False) -> None:
    """Where the bundled ontology, data and query packs are, and how many files each has."""
    folders = {"ontology": ontology_dir(), "data": data_dir(), "queries": queries_dir()}
    report: dict[str, Any] = {"version": __version__, "bundled": str(bundled_root())}
    for name, folder in folders.items():
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        report[name] = {"path": str(folder), "files": len(files)}
    if as_json:
        print(json.dumps(report, indent=2))
        return
    out.print(version_line(), highlight=False)
    for name in folders:
        out.print(f"{name:<9} {report[name]['path']}  ({report[name]['files']} files)", highlight=False)


@db_app.command("start")
@reports_errors
def db_start(data_dir_: DataDirOption = None, database: DatabaseOption = None) -> None:
    """Start the embedded server (detached, on 127.0.0.1) and create its database and schema."""
    from kg.cypher.schema import ensure_schema
    from kg.server.connection import connect

    settings = settings_from(None, None, database, data_dir_)
    if settings.backend != "embedded":
        raise KgError("NEO4J_URI is set: crm-kg uses that server, there is no embedded server to start")
    with connect(settings) as connection:
        ensure_schema(connection)
        out.print(f"embedded server running at {connection.uri} (database {connection.database})", highlight=False)


@db_app.command("stop")
@reports_errors
def db_stop(data_dir_: DataDirOption = None) -> None:
    """Stop the embedded server of the data directory; its data stays."""
    from kg.server.connection import embedded_server

    settings = settings_from(None, None, None, data_dir_)
    stopped = embedded_server(settings).stop()
    out.print("embedded server stopped" if stopped else "embedded server was not running", highlight=False)


@db_app.command("status")
@reports_errors
def db_status(
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Which database crm-kg uses and whether it answers. Starts nothing."""
    from kg.server.status import describe_status

    status = describe_status(settings_from(uri, username, database, data_dir_))
    if as_json:
        print(json.dumps(status, indent=2))
        return
    for key, value in status.items():
        shown = (
            {True: "yes", False: "no", None: "-"}.get(value, value) if isinstance(value, (bool, type(None))) else value
        )
        out.print(f"{key.replace('_', ' '):<10} {shown}", highlight=False)


@db_app.command("stats")
@reports_errors
def db_stats(
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Count nodes by label and relationships by type."""
    from kg.cypher.schema import graph_counts
    from kg.server.connection import connect

    with connect(settings_from(uri, username, database, data_dir_)) as connection:
        counts = graph_counts(connection)
    if as_json:
        print(
            json.dumps(
                {
                    "nodes": counts.nodes,
                    "relationships": counts.relationships,
                    "labels": dict(counts.labels),
                    "relationship_types": dict(counts.relationship_types),
                },
                indent=2,
            )
        )
        return
    out.print(f"{counts.nodes} nodes, {counts.relationships} relationships", highlight=False)
    if counts.labels:
        out.print(counts_table("Nodes by label", ("label", "nodes"), counts.labels))
    if counts.relationship_types:
        out.print(counts_table("Relationships by type", ("type", "relationships"), counts.relationship_types))


@app.command()
@reports_errors
def query(
    text: Annotated[str, typer.Argument(help="The Cypher query; '-' reads it from standard input.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as name=value; the value is read as JSON if it parses."),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to change the graph.")] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="Print at most this many rows (0: all); the rest are never fetched."),
    ] = ROW_LIMIT,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0,
            help="Stop a read-only query on the server after this many seconds (0: no limit; default: "
            "KG_QUERY_TIMEOUT, else 60).",
            show_default=False,
        ),
    ] = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Run a Cypher query, read-only unless --write is given."""
    from kg.cypher.querying import run_query
    from kg.server.connection import connect

    cypher = sys.stdin.read() if text == "-" else text
    parameters = parameters_from(param)
    settings = settings_from(uri, username, database, data_dir_)
    if timeout is not None:
        if not math.isfinite(timeout):
            raise typer.BadParameter("give a number of seconds, 0 for no limit", param_hint="--timeout")
        settings = replace(settings, query_timeout=timeout or None)
    with connect(settings) as connection:
        try:
            result = run_query(connection, cypher, parameters, write=write, max_rows=None if write else limit or None)
        except ReadOnlyViolation as error:
            raise ReadOnlyViolation(f"{error} (run it again with --write to allow writes)") from error
    print_result(result, output)
    if result.truncated:
        err.print(f"(the first {limit} rows; --limit 0 prints them all)", style="dim", highlight=False)


@app.command("validate")
@reports_errors
def validate_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="RDF files or folders (default: the bundled dataset).", show_default=False),
    ] = None,
) -> None:
    """Check RDF data against the ontology's SHACL shapes; no database needed. Exit 1 on any violation."""
    files = expand_paths(paths) if paths else bundled_data_files()
    # the validator and rdflib take a fifth of a second to import: only this command and a validating load pay it
    from loaders.rdf.validation import validate

    report = validate(files, shapes_file(), [ontology_file()])
    for violation in report.violations:
        out.print(format_violation(violation), highlight=False, markup=False)
    if not report.conforms:
        err.print(f"[red]{len(report.violations)} violation(s)[/red] in {len(files)} file(s)", highlight=False)
        raise typer.Exit(1)
    out.print(f"{len(files)} file(s) conform to the crm-kg shapes", highlight=False)
