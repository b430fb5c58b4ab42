"""The `kg` command. It parses options, opens connections and turns library errors into one red line and exit 1.

The library (kg.* except this module, and loaders) never imports it.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from kg import __version__
from kg.config import Settings, load_settings
from kg.connection import connect, embedded_server
from kg.errors import KgError
from kg.params import parse_parameters
from kg.querying import run_query
from kg.render import OutputFormat, counts_table, render_text, to_table
from kg.resources import (
    bundled_data_files,
    bundled_root,
    data_dir,
    ontology_dir,
    ontology_file,
    queries_dir,
    rdf_files,
    shapes_file,
)
from kg.schema import ensure_schema, graph_counts
from kg.status import describe_status
from kg.validation import format_violation, validate

app = typer.Typer(
    name="kg",
    help="crm-kg: a knowledge graph of critical-raw-materials value chains, over Bolt (Neo4j 5 or embedded).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Start, stop and inspect the graph database.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print a library error as one red line on stderr and exit with status 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except KgError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
            raise typer.Exit(1) from error

    return wrapper


# Options shared by every command that talks to the graph. The password is never an option: it comes from
# NEO4J_PASSWORD (environment or .env) so that it stays out of shell history and process lists.
UriOption = Annotated[
    str | None,
    typer.Option("--uri", help="Bolt URI of a Neo4j server (default: NEO4J_URI; none: the embedded default)."),
]
UsernameOption = Annotated[
    str | None, typer.Option("--username", help="Neo4j user (default: NEO4J_USERNAME or neo4j).")
]
DatabaseOption = Annotated[str | None, typer.Option("--database", help="Database name (default: NEO4J_DATABASE).")]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help="Embedded server's data directory (default: KG_DATA_DIR).")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def settings_from(uri: str | None, username: str | None, database: str | None, data_dir_: Path | None) -> Settings:
    return load_settings(uri=uri, username=username, database=database, data_dir=data_dir_)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"crm-kg {__version__}", highlight=False)
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
    out.print(f"crm-kg {__version__}", highlight=False)
    for name in folders:
        out.print(f"{name:<9} {report[name]['path']}  ({report[name]['files']} files)", highlight=False)


@db_app.command("start")
@reports_errors
def db_start(data_dir_: DataDirOption = None, database: DatabaseOption = None) -> None:
    """Start the embedded server (detached, on 127.0.0.1) and create its database and schema."""
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
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Run a Cypher query, read-only unless --write is given."""
    cypher = sys.stdin.read() if text == "-" else text
    try:
        parameters = parse_parameters(param or [])
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--param") from error
    with connect(settings_from(uri, username, database, data_dir_)) as connection:
        result = run_query(connection, cypher, parameters, write=write)
    if output is OutputFormat.table:
        out.print(to_table(result))
        out.print(f"{len(result.rows)} row(s)", style="dim", highlight=False)
    else:
        text = render_text(result, output)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command("validate")
@reports_errors
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="RDF files or folders (default: the bundled dataset).", show_default=False),
    ] = None,
) -> None:
    """Check RDF data against the ontology's SHACL shapes; no database needed. Exit 1 on any violation."""
    files = rdf_files(paths) if paths else bundled_data_files()
    missing = [p for p in files if not p.is_file()]
    if missing:
        raise typer.BadParameter(f"{missing[0]} does not exist", param_hint="PATHS")
    report = validate(files, shapes_file(), [ontology_file()])
    for violation in report.violations:
        out.print(format_violation(violation), highlight=False, markup=False)
    if not report.conforms:
        err.print(f"[red]{len(report.violations)} violation(s)[/red] in {len(files)} file(s)", highlight=False)
        raise typer.Exit(1)
    out.print(f"{len(files)} file(s) conform to the crm-kg shapes", highlight=False)


if __name__ == "__main__":
    app()
