"""`kg packs list|show|run`: the query packs, bundled and the analyst's own (--queries-dir, KG_QUERIES_DIR)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kg.cli.common import (
    DatabaseOption,
    DataDirOption,
    UriOption,
    UsernameOption,
    app,
    out,
    parameters_from,
    print_result,
    reports_errors,
    settings_from,
)
from kg.core.cypher_files import Query
from kg.core.resources import queries_dir
from kg.cypher import packs
from kg.cypher.packs import load_packs
from kg.cypher.results import QueryResult
from kg.render.formats import OutputFormat

packs_app = typer.Typer(help="List, show and run the Cypher query packs.", no_args_is_help=True)
app.add_typer(packs_app, name="packs")

QueriesDirOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--queries-dir",
        envvar="KG_QUERIES_DIR",
        help="A folder of your own packs (sub-folders of .cypher files with the same header); repeatable.",
    ),
]


def all_queries(extra: list[Path] | None) -> dict[str, Query]:
    return load_packs([queries_dir(), *(extra or [])])


def find_query(name: str, extra: list[Path] | None) -> Query:
    return packs.find_query(all_queries(extra), name, otherwise="; `kg packs list` shows them all")


@packs_app.command("list")
@reports_errors
def packs_list(queries_dir_: QueriesDirOption = None) -> None:
    """Every query: name, pack and what it answers."""
    table = Table(title="query packs")
    for column in ("name", "pack", "description"):
        table.add_column(column, overflow="fold")
    for query in sorted(all_queries(queries_dir_).values(), key=lambda q: (q.pack, q.name)):
        table.add_row(query.name, query.pack, query.description)
    out.print(table)


@packs_app.command("show")
@reports_errors
def packs_show(
    name: Annotated[str, typer.Argument(help="The query's name.")],
    browser: Annotated[
        bool,
        typer.Option(
            "--neo4j-browser",
            help="Print it ready to paste into Neo4j Browser: :param lines with the examples, then the Cypher.",
        ),
    ] = False,
    queries_dir_: QueriesDirOption = None,
) -> None:
    """A query's header (parameters with examples, columns, question) and its Cypher."""
    query = find_query(name, queries_dir_)
    if browser:
        sys.stdout.write(packs.neo4j_browser_text(query))
        return
    out.print(f"[bold]{query.name}[/bold]  (pack {query.pack}, {query.path})", highlight=False)
    out.print(query.description, highlight=False)
    if query.question:
        out.print(f"question: {query.question}", highlight=False)
    for param in query.params:
        doc = f" -- {param.doc}" if param.doc else ""
        out.print(f"param {param.name} ({param.type}), e.g. {param.example!r}{doc}", highlight=False)
    if query.returns:
        out.print("returns: " + ", ".join(f"{c.name} ({c.type})" for c in query.returns), highlight=False)
    from rich.syntax import Syntax  # with Pygments: imported by the one command that highlights

    out.print(Syntax(query.text, "cypher", theme="ansi_dark", background_color="default"))


@packs_app.command("run")
@reports_errors
def packs_run(
    name: Annotated[str, typer.Argument(help="The query's name.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value; the query's example is used for the rest.")
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Run a query of a pack, read-only, with its example parameters unless given."""
    from kg.cypher.querying import run_query
    from kg.server.connection import connect

    query = find_query(name, queries_dir_)
    parameters = query.check_parameters(parameters_from(param))
    with connect(settings_from(uri, username, database, data_dir_)) as connection:
        result = run_query(connection, query.text, parameters)
    print_result(result, output, title=query.name)


@app.command("shell")
@reports_errors
def shell_command(
    write: Annotated[bool, typer.Option("--write", help="Allow statements that change the graph.")] = False,
    queries_dir_: QueriesDirOption = None,
    uri: UriOption = None,
    username: UsernameOption = None,
    database: DatabaseOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """An interactive Cypher prompt: multi-line statements ending in ';', :param, :packs, :run, :schema."""
    from kg.cli.shell import Shell
    from kg.server.connection import connect

    settings = settings_from(uri, username, database, data_dir_)
    queries = all_queries(queries_dir_)
    interactive = sys.stdin.isatty()
    history = settings.data_dir / "shell_history"
    if interactive:
        _start_history(history)

    def show(item: QueryResult | str) -> None:
        if isinstance(item, str):
            out.print(item, highlight=False, markup=False)
        else:
            print_result(item, OutputFormat.table)

    with connect(settings) as connection:
        shell = Shell(connection, queries, show, write=write)
        if interactive:
            out.print(f"crm-kg shell on {connection.uri} ({'read-write' if write else 'read-only'}); :help, :quit")
        while not shell.done:
            try:
                line = input(shell.prompt if interactive else "")
            except EOFError:
                break
            except KeyboardInterrupt:
                out.print("")
                continue
            shell.feed(line)
    if interactive:
        _save_history(history)


def _start_history(path: Path) -> None:
    try:
        import readline
    except ImportError:  # no readline on this platform: the prompt still works, without history
        return
    if path.exists():
        readline.read_history_file(path)
    readline.set_history_length(1000)


def _save_history(path: Path) -> None:
    try:
        import readline
    except ImportError:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    readline.write_history_file(path)
